//! Checks of `rate_limiter`, on a virtual clock that the check moves.

grading_kit::subject!();

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::thread;

use grading_kit::{expect_eq, fail};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde::{Deserialize, Serialize};
use subject::{Clock, RateLimiter};

/// A clock that only moves when the check sets it, readable from any thread.
#[derive(Clone, Default)]
struct VirtualClock(Arc<AtomicU64>);

impl VirtualClock {
    fn set(&self, now: u64) {
        self.0.store(now, SeqCst);
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> u64 {
        self.0.load(SeqCst)
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
    clock.set(s.start);
    let limiter = RateLimiter::new(clock.clone(), s.rate, s.period, s.burst);
    s.times
        .iter()
        .map(|&at| {
            clock.set(at);
            limiter.try_acquire()
        })
        .collect()
}

/// Threads that share one limiter, and the requests each makes per round.
const THREADS: usize = 4;
const TRIES: usize = 6;

/// A limiter shared by [`THREADS`] threads: in each round the clock stands
/// still at the round's time while every thread makes [`TRIES`] requests at
/// once. Returns how many were allowed in each round.
fn run_shared(s: &Schedule) -> Vec<usize> {
    let clock = VirtualClock::default();
    clock.set(s.start);
    let limiter = RateLimiter::new(clock.clone(), s.rate, s.period, s.burst);
    s.times
        .iter()
        .map(|&at| {
            clock.set(at);
            thread::scope(|scope| {
                let handles: Vec<_> = (0..THREADS)
                    .map(|_| scope.spawn(|| (0..TRIES).filter(|_| limiter.try_acquire()).count()))
                    .collect();
                handles
                    .into_iter()
                    .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                    .sum()
            })
        })
        .collect()
}

/// The bucket's answer to [`run_shared`]: each round's requests, as one
/// request after another at the round's time.
fn model_shared(s: &Schedule) -> Vec<usize> {
    let tries = THREADS * TRIES;
    let times: Vec<u64> = s.times.iter().flat_map(|&at| std::iter::repeat_n(at, tries)).collect();
    let answers = model(&Schedule { times, ..s.clone() });
    answers.chunks(tries).map(|round| round.iter().filter(|(allowed, _)| *allowed).count()).collect()
}

/// Rounds of requests from several threads: a few, often far apart.
fn shared_schedules() -> impl Strategy<Value = Schedule> {
    (1..4u64, 1..10u64, 1..12u64, 0..20u64, prop::collection::vec(0..25u64, 1..5)).prop_map(
        |(rate, period, burst, start, gaps)| {
            let times = gaps.iter().scan(start, |now, gap| Some(std::mem::replace(now, *now + gap))).collect();
            Schedule { rate, period, burst, start, times }
        },
    )
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
        .property_with_cases("several threads share one limiter", 16, shared_schedules(), run_shared, |s, allowed| {
            let expected = model_shared(s);
            let tries = THREADS * TRIES;
            let Some(round) = (0..expected.len()).find(|&r| allowed.get(r) != Some(&expected[r])) else {
                return Ok(());
            };
            fail(format!(
                "{THREADS} threads shared one limiter ({} per {} with a burst of {}, made at {}) and made \
                         {tries} requests at once at time {}, with the clock standing still; the bucket allows \
                         {} of them, and {} were allowed. Refilling, reading the tokens and taking one must be one \
                         step for every other thread: keep the bucket behind one `Mutex` (or make each change one \
                         atomic operation, `compare_exchange` in a loop), not separate loads and stores.",
                s.rate,
                s.period,
                s.burst,
                s.start,
                s.times[round],
                expected[round],
                allowed.get(round).map_or("none".to_string(), |a| a.to_string()),
            ))
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
