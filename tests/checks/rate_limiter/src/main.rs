//! Checks of `rate_limiter`, on a virtual clock that the check moves.

grading_kit::subject!();

use std::cell::Cell;
use std::rc::Rc;

use grading_kit::{expect_eq, fail};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde::{Deserialize, Serialize};
use subject::{Clock, RateLimiter};

/// A clock that only moves when the check sets it.
#[derive(Clone, Default)]
struct VirtualClock(Rc<Cell<u64>>);

impl Clock for VirtualClock {
    fn now(&self) -> u64 {
        self.0.get()
    }
}

/// A limiter made at `start`, asked at each of `times`.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Schedule {
    rate: u64,
    period: u64,
    burst: u64,
    start: u64,
    times: Vec<u64>,
}

/// The bucket, one tick of time at a time: at every whole period after the
/// start it gains `rate` tokens, up to `burst`. Returns each answer and the
/// tokens the bucket held just before each request.
fn model(s: &Schedule) -> Vec<(bool, u64)> {
    let mut tokens = s.burst;
    let mut time = s.start;
    let mut answers = Vec::new();
    for &at in &s.times {
        while time < at {
            time += 1;
            if (time - s.start).is_multiple_of(s.period) {
                tokens = (tokens + s.rate).min(s.burst);
            }
        }
        answers.push((tokens > 0, tokens));
        tokens = tokens.saturating_sub(1);
    }
    answers
}

fn run(s: &Schedule) -> Vec<bool> {
    let clock = VirtualClock::default();
    clock.0.set(s.start);
    let mut limiter = RateLimiter::new(clock.clone(), s.rate, s.period, s.burst);
    s.times
        .iter()
        .map(|&at| {
            clock.0.set(at);
            limiter.try_acquire()
        })
        .collect()
}

fn schedules() -> impl Strategy<Value = Schedule> {
    (1..4u64, 1..10u64, 1..5u64, 0..20u64, prop::collection::vec(0..8u64, 0..30)).prop_map(
        |(rate, period, burst, start, gaps)| {
            let times = gaps.iter().scan(start, |now, gap| Some(std::mem::replace(now, *now + gap))).collect();
            Schedule { rate, period, burst, start, times }
        },
    )
}

/// Compares the learner's answers `got` with the bucket's and explains the
/// first that differs.
fn answers_like_the_bucket(s: &Schedule, got: Vec<bool>) -> Result<(), TestCaseError> {
    let expected = model(s);
    expect_eq(got.len(), expected.len())?;
    let Some(i) = (0..got.len()).find(|&i| got[i] != expected[i].0) else { return Ok(()) };
    let (should, tokens) = expected[i];
    let why = if should {
        "it should have been allowed. Count refills in whole periods from the moment the limiter was \
         made (start + period, start + 2 * period, ...): the part of a period that has already passed \
         when you refill still counts towards the next one, so move the refill mark on by whole \
         periods, not to `now`."
    } else {
        "it should have been refused. The bucket never holds more than `burst` tokens, however long it \
         sat idle: cap every refill."
    };
    fail(format!(
        "request {i}, at time {} (limiter made at {}, {} per {} with a burst of {}): the bucket held \
         {tokens} token(s) and you answered {}; {why}",
        s.times[i], s.start, s.rate, s.period, s.burst, got[i]
    ))
}

fn main() {
    grading_kit::checks!()
        .property("answers like the bucket, request by request", schedules(), run, |s, got| {
            answers_like_the_bucket(s, got)
        })
        .snapshot("two per ten, burst of three", || {
            let s = Schedule {
                rate: 2,
                period: 10,
                burst: 3,
                start: 0,
                times: vec![0, 0, 0, 0, 1, 5, 10, 10, 10, 15, 20, 35, 35, 35, 35, 39, 40, 100, 100, 100, 100],
            };
            s.times
                .iter()
                .zip(run(&s))
                .map(|(t, ok)| format!("t={t:>3} {}\n", if ok { "allowed" } else { "refused" }))
                .collect()
        })
        .main();
}
