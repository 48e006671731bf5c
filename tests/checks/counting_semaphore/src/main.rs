//! Checks of `counting_semaphore`.

grading_kit::subject!();

mod scenarios;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use grading_kit::helpers::{Rendezvous, catch_panic_any};
use grading_kit::{expect, fail, within};
use serde::{Deserialize, Serialize};
use subject::Semaphore;

const PATIENCE: Duration = Duration::from_secs(2);

/// `threads` threads each take a permit `rounds` times; inside, they count
/// how many hold one. Returns the most seen at once.
fn most_holders(permits: usize, threads: usize, rounds: usize) -> usize {
    let semaphore = Semaphore::new(permits);
    let inside = AtomicUsize::new(0);
    let most = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..rounds {
                    let permit = semaphore.acquire();
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    thread::yield_now();
                    inside.fetch_sub(1, Ordering::SeqCst);
                    drop(permit);
                }
            });
        }
    });
    most.load(Ordering::SeqCst)
}

/// What the check that a dropped permit wakes a waiter saw.
#[derive(Debug, Serialize, Deserialize)]
struct Wake {
    /// `acquire` returned though the only permit was taken.
    acquired_while_taken: bool,
    /// After the drop: whether the waiter returned within [`PATIENCE`]
    /// (`None`: it was still waiting), and did so without a panic.
    woke: Option<bool>,
}

fn main() {
    grading_kit::checks!()
        .property_with_cases(
            "never more than K holders at once",
            12,
            (1..4usize, 1..6usize),
            |&(permits, extra)| {
                // The most holders seen at once; `None`: stuck.
                within(PATIENCE * 3, move || most_holders(permits, permits + extra, 300))
            },
            |&(permits, extra), most| {
                let threads = permits + extra;
                let Some(most) = most else {
                    return fail(format!("{threads} threads taking and giving back {permits} permit(s) got stuck (6 s): when a permit is dropped, a waiting `acquire` must be woken (`notify_one` or `notify_all`)"));
                };
                expect(
                    most <= permits,
                    format!(
                        "{threads} threads shared a semaphore of {permits} permit(s), and {most} held a permit at the same \
                         time. A woken `acquire` must check again that a permit is free before taking it (`while`, or \
                         `wait_while`, around the wait): the permit that woke it may be gone already, or several waiters \
                         may have been woken for one permit. And wait while *no permit is left*, not one later."
                    ),
                )
            },
        )
        .property_with_cases(
            "K holders can hold at once",
            4,
            1..5usize,
            |&permits| {
                // `permits` threads take a permit each and wait, holding it,
                // until all of them have one; each says how many it saw.
                let semaphore = Arc::new(Semaphore::new(permits));
                let meeting = Rendezvous::new(permits, Duration::from_millis(500));
                (0..permits)
                    .map(|_| {
                        let (semaphore, meeting) = (Arc::clone(&semaphore), meeting.clone());
                        thread::spawn(move || {
                            let _permit = semaphore.acquire();
                            meeting.arrive()
                        })
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .map(|h| h.join().unwrap())
                    .collect::<Vec<usize>>()
            },
            |&permits, seen| {
                expect(
                    seen.len() == permits && seen.iter().all(|&s| s == permits),
                    format!("a semaphore of {permits} permit(s) let only {seen:?} of {permits} threads hold a permit at once: it must admit {permits}"),
                )
            },
        )
        .case(
            "dropping a permit wakes a waiting acquire",
            || {
                let semaphore = Arc::new(Semaphore::new(1));
                let permit = semaphore.acquire();
                let got_it = Arc::new(AtomicBool::new(false));
                let (waiter_semaphore, waiter_got_it) = (Arc::clone(&semaphore), Arc::clone(&got_it));
                let waiter = thread::spawn(move || {
                    let _permit = waiter_semaphore.acquire();
                    waiter_got_it.store(true, Ordering::SeqCst);
                });
                thread::sleep(Duration::from_millis(30));
                let acquired_while_taken = got_it.load(Ordering::SeqCst);
                drop(permit);
                let woke = within(PATIENCE, move || waiter.join().is_ok());
                Wake { acquired_while_taken, woke }
            },
            |wake| {
                expect(
                    !wake.acquired_while_taken,
                    "with its only permit taken, the semaphore still let `acquire` return: it must wait until a permit is given back",
                )?;
                expect(wake.woke == Some(true), "the only permit was dropped, but the waiting `acquire` did not return within 2 s: dropping a permit must give it back and wake a waiter")
            },
        )
        .case(
            "a permit comes back when its holder panics",
            || {
                // Whether `acquire` got the only permit again after its
                // holder panicked; `None`: it was still waiting.
                within(PATIENCE, || {
                    let semaphore = Semaphore::new(1);
                    let holder = catch_panic_any(|| {
                        let _permit = semaphore.acquire();
                        panic!("the holder of the only permit panics");
                    });
                    let _again = semaphore.acquire();
                    holder.is_err()
                })
            },
            |again| {
                let Some(panicked) = again else {
                    return fail(
                        "the holder of the only permit panicked, and 2 s later `acquire` was still waiting: the \
                         permit never came back. Give it back in `Drop for Permit`, on every way out: `drop` runs \
                         when its holder's scope ends, also when it ends in a panic (the thread unwinds). Do not \
                         skip it while `std::thread::panicking()`; instead, never panic in `drop` (no `unwrap` \
                         of a lock there: `unwrap_or_else(PoisonError::into_inner)`).",
                    );
                };
                expect(panicked, "the holder's closure was made to panic, but no panic was seen")
            },
        )
        .explore("never more holders than permits in any interleaving", scenarios::three_threads_one_permit)
        .main();
}
