//! Scenarios for schedule exploration: small, so that the explorer can try
//! thousands of interleavings of them (see `grading_kit::Checks::explore`).

use std::sync::atomic::{AtomicUsize, Ordering};

use course_sync::{Arc, thread};

use crate::subject::Semaphore;

/// Three threads share one permit: at most one may hold it at any moment,
/// whatever wakes them (a permit given back, or a spurious wake-up the explorer may
/// choose, as a real condition variable may).
pub fn three_threads_one_permit() {
    let semaphore = Arc::new(Semaphore::new(1));
    let holders = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let (semaphore, holders) = (Arc::clone(&semaphore), Arc::clone(&holders));
            thread::spawn(move || {
                let permit = semaphore.acquire();
                let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
                assert!(
                    now <= 1,
                    "{now} threads held a permit at once, with 1 permit: a waiter went on without re-checking"
                );
                thread::yield_now();
                holders.fetch_sub(1, Ordering::SeqCst);
                drop(permit);
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}
