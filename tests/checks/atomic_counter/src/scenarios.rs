//! Scenarios for schedule exploration: small, so that the explorer can try
//! thousands of interleavings of them (see `grading_kit::Checks::explore`).

use course_sync::{Arc, thread};

use crate::subject::Counter;

/// Two threads, two increments each: the count must be exactly four in
/// every interleaving. This is the check that decides a load-then-store
/// counter: the explorer's scheduler stops a thread between its load and
/// its store, as an ordinary run does only when the machine happens to run
/// both threads at the same moment (on a busy machine, sometimes never).
pub fn two_by_two() {
    let counter = Arc::new(Counter::new());
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                counter.increment();
                counter.increment();
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let count = counter.get();
    assert!(
        count == 4,
        "2 threads x 2 increments counted {count}, not 4: an increment was lost between a read and a write. In this \
         interleaving both threads read the count before either wrote it back, so both wrote the same value plus \
         one. Make the read-add-write one indivisible step: `fetch_add(1, ...)`."
    );
}
