//! Checks of `wait_group`.

grading_kit::subject!();

mod scenarios;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use grading_kit::helpers::Rendezvous;
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

/// Workers of `the workers run at the same time`: each waits, at most
/// [`PATIENCE`], until all of them have started.
const MEETING: usize = 3;

/// What `the workers run at the same time` saw: how many workers had
/// started when each stopped waiting for the others, and how many ran on
/// the thread that called `wait_for_workers`.
#[derive(Debug, Serialize, Deserialize)]
struct Meeting {
    seen: Vec<usize>,
    on_caller: usize,
}

/// The learner's half of `the workers run at the same time`.
fn meeting() -> Option<Meeting> {
    let rendezvous = Rendezvous::new(MEETING, PATIENCE);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let on_caller = Arc::new(AtomicUsize::new(0));
    let (caller_seen, on_caller_seen) = (Arc::clone(&seen), Arc::clone(&on_caller));
    // Sequential workers wait in turn: (MEETING - 1) x PATIENCE, then return.
    within(PATIENCE * (MEETING as u32 + 1), move || {
        let caller = thread::current().id();
        let workers: Vec<_> = (0..MEETING)
            .map(|_| {
                let (rendezvous, seen, on_caller) = (rendezvous.clone(), Arc::clone(&seen), Arc::clone(&on_caller));
                move || {
                    if thread::current().id() == caller {
                        on_caller.fetch_add(1, Ordering::SeqCst);
                    }
                    let met = rendezvous.arrive();
                    seen.lock().unwrap().push(met);
                }
            })
            .collect();
        subject::wait_for_workers(workers);
    })?;
    let seen = caller_seen.lock().unwrap().clone();
    Some(Meeting { seen, on_caller: on_caller_seen.load(Ordering::SeqCst) })
}

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
        .case("the workers run at the same time", meeting, |meeting| {
            let Some(Meeting { seen, on_caller }) = meeting else { return fail(STUCK) };
            if seen.len() == MEETING && seen.iter().all(|&s| s == MEETING) {
                return Ok(());
            }
            if on_caller > 0 {
                return fail(format!(
                    "`wait_for_workers` ran {on_caller} of {MEETING} workers itself, on the calling thread, one after \
                     another: each worker waited {PATIENCE:?} for the others to start and saw {seen:?} started. \
                     Start every worker on a thread of its own (`thread::spawn`), and let the wait group tell you \
                     when they have all called `done`."
                ));
            }
            fail(format!(
                "{MEETING} workers each waited {PATIENCE:?} for the others to start, and saw {seen:?} started: they \
                 ran one at a time, not at the same time. Spawn every worker first and only then wait (once, on the \
                 wait group); do not wait for one worker before starting the next."
            ))
        })
        .explore("wait returns only after every done in any interleaving", scenarios::wait_sees_every_done)
        .main();
}
