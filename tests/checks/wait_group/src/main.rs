//! Checks of `wait_group`.

grading_kit::subject!();

mod scenarios;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use grading_kit::{expect, fail, within};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use subject::WaitGroup;

/// How long a `wait` may take to return once it should: generous, because a
/// busy machine can delay a wake-up, and far below the watchdog.
const PATIENCE: Duration = Duration::from_secs(2);

const STUCK: &str = "`wait` had not returned 2 s after the last `done`. When the count reaches zero, `done` must \
                     wake the waiting threads (`notify_all` on the condition variable, while the count is zero); \
                     a waiter that is never notified sleeps forever.";

/// When `wait` returned: how many tasks had finished by then, and how long
/// after the last `done`.
#[derive(Debug, Serialize, Deserialize)]
struct Returned {
    finished: usize,
    late: Duration,
}

fn main() {
    grading_kit::checks!()
        .case(
            "wait returns at once when nothing is pending",
            || within(PATIENCE, || WaitGroup::new().wait()).is_some(),
            |returned| {
                expect(
                    returned,
                    "`wait` on a new wait group (nothing added) did not return: with nothing pending there is \
                     nothing to wait for; check the count before waiting",
                )
            },
        )
        .property_with_cases(
            "wait returns only after every done, and promptly",
            16,
            prop::collection::vec(0..12u64, 1..6),
            |delays: &Vec<u64>| {
                let group = Arc::new(WaitGroup::new());
                group.add(delays.len());
                let finished = Arc::new(AtomicUsize::new(0));
                let last_done = Arc::new(Mutex::new(Instant::now()));
                for &delay in delays {
                    let (group, finished, last_done) =
                        (Arc::clone(&group), Arc::clone(&finished), Arc::clone(&last_done));
                    thread::spawn(move || {
                        thread::sleep(Duration::from_millis(delay));
                        finished.fetch_add(1, Ordering::SeqCst);
                        *last_done.lock().unwrap() = Instant::now();
                        group.done();
                    });
                }
                let waiting = Arc::clone(&group);
                let returned_at = within(PATIENCE + Duration::from_millis(20), move || {
                    waiting.wait();
                    Instant::now()
                })?;
                let finished = finished.load(Ordering::SeqCst);
                let late = returned_at.saturating_duration_since(*last_done.lock().unwrap());
                Some(Returned { finished, late })
            },
            |delays, returned| {
                let n = delays.len();
                let Some(Returned { finished, late }) = returned else { return fail(STUCK) };
                expect(
                    finished == n,
                    format!(
                        "`wait` returned while {} of {n} tasks were still running. Waking up from a condition \
                         variable proves nothing: another `done` woke you, or the wake-up was spurious. Check the \
                         count again after every wake-up: `while *pending > 0 {{ pending = cv.wait(pending)... }}`, \
                         or `cv.wait_while(guard, |pending| *pending > 0)`.",
                        n - finished
                    ),
                )?;
                expect(
                    late < Duration::from_millis(500),
                    format!(
                        "`wait` returned {late:?} after the last `done`: it should return at once, woken by the last \
                         `done`, not by polling"
                    ),
                )
            },
        )
        .property_with_cases(
            "every waiting thread wakes up",
            4,
            2..5usize,
            |&waiters: &usize| {
                let group = Arc::new(WaitGroup::new());
                group.add(2);
                let (woke, woken) = mpsc::channel();
                for _ in 0..waiters {
                    let (group, woke) = (Arc::clone(&group), woke.clone());
                    thread::spawn(move || {
                        group.wait();
                        let _ = woke.send(());
                    });
                }
                // Let the waiters block before the tasks finish.
                thread::sleep(Duration::from_millis(20));
                for _ in 0..2 {
                    let group = Arc::clone(&group);
                    thread::spawn(move || group.done());
                }
                let deadline = Instant::now() + PATIENCE;
                (0..waiters)
                    .take_while(|_| woken.recv_timeout(deadline.saturating_duration_since(Instant::now())).is_ok())
                    .count()
            },
            |&waiters, returned| {
                expect(
                    returned == waiters,
                    format!(
                        "{waiters} threads were in `wait` when the last task finished, but only {returned} of them \
                         returned (2 s later). They all wait for the same condition, so all must be woken: \
                         `notify_all`, not `notify_one`."
                    ),
                )
            },
        )
        .property_with_cases(
            "wait_for_workers waits for every worker",
            16,
            prop::collection::vec(0..8u64, 0..8),
            |delays: &Vec<u64>| {
                let finished = Arc::new(AtomicUsize::new(0));
                let workers: Vec<_> = delays
                    .iter()
                    .map(|&delay| {
                        let finished = Arc::clone(&finished);
                        move || {
                            thread::sleep(Duration::from_millis(delay));
                            finished.fetch_add(1, Ordering::SeqCst);
                        }
                    })
                    .collect();
                let counted = Arc::clone(&finished);
                within(PATIENCE, move || {
                    subject::wait_for_workers(workers);
                    counted.load(Ordering::SeqCst)
                })
            },
            |delays, seen| {
                let n = delays.len();
                let Some(seen) = seen else { return fail(STUCK) };
                expect(
                    seen == n,
                    format!(
                        "`wait_for_workers` returned when {seen} of {n} workers had finished: add every worker to \
                         the group before spawning, and check the count again after every wake-up"
                    ),
                )
            },
        )
        .explore("wait returns only after every done in any interleaving", scenarios::wait_sees_every_done)
        .main();
}
