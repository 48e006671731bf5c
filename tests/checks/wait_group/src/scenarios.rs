//! Scenarios for schedule exploration: small, so that the explorer can try
//! thousands of interleavings of them (see `grading_kit::Checks::explore`).

use std::sync::atomic::{AtomicUsize, Ordering};

use course_sync::{Arc, thread};

use crate::subject::WaitGroup;

/// Two workers; `wait` must not return before both called `done`, whatever
/// wakes it (a notify, or a spurious wake-up the explorer may choose, as a
/// real condition variable may).
pub fn wait_sees_every_done() {
    let group = Arc::new(WaitGroup::new());
    let finished = Arc::new(AtomicUsize::new(0));
    group.add(2);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (group, finished) = (Arc::clone(&group), Arc::clone(&finished));
            thread::spawn(move || {
                finished.fetch_add(1, Ordering::SeqCst);
                group.done();
            })
        })
        .collect();
    group.wait();
    let seen = finished.load(Ordering::SeqCst);
    assert!(seen == 2, "`wait` returned when {seen} of 2 workers were done: re-check the count after every wake-up");
    for handle in handles {
        handle.join().unwrap();
    }
}
