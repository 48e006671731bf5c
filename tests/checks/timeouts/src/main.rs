//! Checks of `timeouts`.
//!
//! Latencies are injected, with wide margins: a fast worker takes at most
//! 2 ms, a slow one 300 ms, and the deadline lies far from both.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::thread;
use std::time::{Duration, Instant};

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;

const FAST_MS: u64 = 2;
const SLOW_MS: u64 = 300;
/// Far enough from both the fast and the slow workers that a busy machine's
/// late wake-ups (tens of milliseconds) never put a reply on the wrong side.
const DEADLINE_MS: u64 = 100;
/// A correct answer returns at the deadline; one that waits for the slow
/// workers cannot return before `SLOW_MS`.
const RETURNED_BY_MS: u64 = 250;

/// A worker that takes `latency_ms` and then returns `value`.
fn worker<T: Send + 'static>(value: T, latency_ms: u64) -> impl FnOnce() -> T + Send + 'static {
    move || {
        thread::sleep(Duration::from_millis(latency_ms));
        value
    }
}

/// Runs `gather` and says how long it took, in milliseconds.
fn timed_gather<T: Send + 'static>(workers: Vec<(T, u64)>, deadline_ms: u64) -> (Vec<T>, u64) {
    let workers: Vec<_> = workers.into_iter().map(|(value, latency)| worker(value, latency)).collect();
    let start = Instant::now();
    let results = subject::gather(workers, Duration::from_millis(deadline_ms));
    (results, start.elapsed().as_millis() as u64)
}

fn main() {
    grading_kit::checks!("timeouts")
        .property_with_cases(
            "first_reply waits at most its timeout",
            8,
            (any::<bool>(), any::<u32>()),
            |(fast, value)| {
                let (sender, replies) = crossbeam_channel::unbounded();
                let latency = if fast { 1 } else { SLOW_MS };
                thread::spawn(move || {
                    thread::sleep(Duration::from_millis(latency));
                    let _ = sender.send(value);
                });
                let start = Instant::now();
                let reply = subject::first_reply(&replies, Duration::from_millis(DEADLINE_MS));
                let waited = start.elapsed().as_millis() as u64;
                expect(
                    waited < RETURNED_BY_MS,
                    format!(
                        "first_reply waited {waited} ms with a timeout of {DEADLINE_MS} ms: a plain `recv` waits as \
                     long as the sender takes. Use `recv_timeout`."
                    ),
                )?;
                expect_eq(reply, fast.then_some(value))
            },
        )
        .property_with_cases(
            "gather keeps the fast replies and returns by the deadline",
            10,
            prop::collection::vec(any::<bool>(), 0..6),
            |slow| {
                let workers: Vec<(usize, u64)> = slow
                    .iter()
                    .enumerate()
                    .map(|(i, &slow)| (i, if slow { SLOW_MS } else { i as u64 % (FAST_MS + 1) }))
                    .collect();
                let (mut results, took) = timed_gather(workers, DEADLINE_MS);
                expect(
                    took < RETURNED_BY_MS,
                    format!(
                        "gather returned {took} ms after the call, though its deadline was {DEADLINE_MS} ms: it \
                         waited for the slow workers. `select!` between the replies and a timer \
                         (`crossbeam_channel::after(deadline)`) and stop when the timer fires."
                    ),
                )?;
                results.sort();
                let fast: Vec<usize> = (0..slow.len()).filter(|&i| !slow[i]).collect();
                expect_eq(results, fast)
            },
        )
        .property_with_cases("one deadline for all the replies", 1, Just(vec![0, 200, 400, 600, 800]), |latencies| {
            // Replies come every 200 ms; the deadline is at 300 ms.
            let workers: Vec<(u64, u64)> = latencies.iter().map(|&l| (l, l)).collect();
            let (mut results, took) = timed_gather(workers, 300);
            results.sort();
            expect(
                results == [0, 200],
                format!(
                    "with replies at 0, 200, 400, 600 and 800 ms and a deadline of 300 ms, gather returned after \
                     {took} ms with the replies at {results:?} ms. The deadline counts from the call, not from the \
                     last reply: a `recv_timeout(deadline)` in the loop starts the clock again at every reply. \
                     Make one timer before the loop (`after(deadline)`) and `select!` on it."
                ),
            )
        })
        .property_with_cases("gather returns when every worker has replied", 1, Just(4usize), |n| {
            let workers: Vec<(usize, u64)> = (0..n).map(|i| (i, i as u64 % (FAST_MS + 1))).collect();
            let (mut results, took) = timed_gather(workers, 2000);
            expect(
                took < 1000,
                format!(
                    "all {n} workers replied within {FAST_MS} ms, but gather returned after {took} ms: it waited \
                     out the deadline. When the last worker has replied, the channel closes (if you dropped your \
                     own `Sender`), and its `Err` says that there is nothing more to wait for."
                ),
            )?;
            results.sort();
            expect_eq(results, (0..n).collect())
        })
        .snapshot("five workers, two slow", || {
            let workers = vec![("ana", 1), ("bo", SLOW_MS), ("cy", 0), ("di", FAST_MS), ("ed", SLOW_MS + 50)];
            let (mut results, _) = timed_gather(workers, DEADLINE_MS);
            results.sort();
            format!("replied by the deadline: {}", results.join(", "))
        })
        .main();
}
