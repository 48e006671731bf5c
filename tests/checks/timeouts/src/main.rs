//! Checks of `timeouts`.
//!
//! Latencies are injected, with wide margins: a fast worker takes at most
//! 2 ms, a slow one 300 ms, and the deadline lies far from both.

grading_kit::subject!();

use std::thread;
use std::time::{Duration, Instant};

use grading_kit::helpers::Rendezvous;
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

/// Replies at 0, 200, 400, 600 and 800 ms, against a deadline of 300 ms.
const EVERY_200_MS: [u64; 5] = [0, 200, 400, 600, 800];
/// Workers of the check that `gather` returns when all have replied.
const ALL_FAST: usize = 4;
/// Workers of the check that they run at the same time.
const MEETING: usize = 3;

fn main() {
    grading_kit::checks!()
        .property_with_cases(
            "first_reply waits at most its timeout",
            8,
            (any::<bool>(), any::<u32>()),
            |&(fast, value)| {
                // The reply, and how long `first_reply` took, in milliseconds.
                let (sender, replies) = crossbeam_channel::unbounded();
                let latency = if fast { 1 } else { SLOW_MS };
                thread::spawn(move || {
                    thread::sleep(Duration::from_millis(latency));
                    let _ = sender.send(value);
                });
                let start = Instant::now();
                let reply = subject::first_reply(&replies, Duration::from_millis(DEADLINE_MS));
                (reply, start.elapsed().as_millis() as u64)
            },
            |&(fast, value), (reply, waited)| {
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
                timed_gather(workers, DEADLINE_MS)
            },
            |slow, (mut results, took)| {
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
        .case(
            "one deadline for all the replies",
            || {
                // Each worker replies with its own latency.
                let workers: Vec<(u64, u64)> = EVERY_200_MS.iter().map(|&l| (l, l)).collect();
                timed_gather(workers, 300)
            },
            |(mut results, took)| {
                results.sort();
                expect(
                    results == [0, 200],
                    format!(
                        "with replies at 0, 200, 400, 600 and 800 ms and a deadline of 300 ms, gather returned \
                         after {took} ms with the replies at {results:?} ms. The deadline counts from the call, not \
                         from the last reply: a `recv_timeout(deadline)` in the loop starts the clock again at every \
                         reply. Make one timer before the loop (`after(deadline)`) and `select!` on it."
                    ),
                )
            },
        )
        .case(
            "gather returns when every worker has replied",
            || {
                let workers: Vec<(usize, u64)> = (0..ALL_FAST).map(|i| (i, i as u64 % (FAST_MS + 1))).collect();
                timed_gather(workers, 2000)
            },
            |(mut results, took)| {
                let n = ALL_FAST;
                expect(
                    took < 1000,
                    format!(
                        "all {n} workers replied within {FAST_MS} ms, but gather returned after {took} ms: it \
                         waited out the deadline. When the last worker has replied, the channel closes (if you \
                         dropped your own `Sender`), and its `Err` says that there is nothing more to wait for."
                    ),
                )?;
                results.sort();
                expect_eq(results, (0..n).collect())
            },
        )
        .case(
            "the workers run at the same time",
            || {
                // Each worker waits (up to a second) for all of them to
                // start, and replies how many had; the deadline is far.
                let meeting = Rendezvous::new(MEETING, Duration::from_secs(1));
                let workers: Vec<_> = (0..MEETING)
                    .map(|_| {
                        let meeting = meeting.clone();
                        move || meeting.arrive()
                    })
                    .collect();
                subject::gather(workers, Duration::from_secs(10))
            },
            |mut seen| {
                let n = MEETING;
                seen.sort();
                expect(
                    seen == vec![n; n],
                    format!(
                        "{n} workers each waited for all {n} to start, and replied {seen:?}: the workers ran one \
                         after another, not at the same time. A loop that calls each worker and looks at the \
                         clock in between waits for every slow worker in turn; start each worker on a thread of \
                         its own, sending its result into a channel, and wait on that channel and the timer."
                    ),
                )
            },
        )
        .snapshot("five workers, two slow", || {
            let workers = vec![("ana", 1), ("bo", SLOW_MS), ("cy", 0), ("di", FAST_MS), ("ed", SLOW_MS + 50)];
            let (mut results, _) = timed_gather(workers, DEADLINE_MS);
            results.sort();
            format!("replied by the deadline: {}", results.join(", "))
        })
        .main();
}
