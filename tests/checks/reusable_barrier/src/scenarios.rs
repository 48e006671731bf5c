//! Scenarios for schedule exploration: small, so that the explorer can try
//! thousands of interleavings of them (see `grading_kit::Checks::explore`).

use std::sync::atomic::{AtomicUsize, Ordering};

use course_sync::{Arc, thread};

use crate::subject::Barrier;

const ROUNDS: usize = 3;

/// Two threads meet at the barrier three times: neither may leave a round
/// before the other has arrived in it, and nobody may wait forever.
pub fn two_threads_three_rounds() {
    let barrier = Arc::new(Barrier::new(2));
    // arrivals[r]: threads that have arrived in round r (bookkeeping only).
    let arrivals: Arc<Vec<AtomicUsize>> = Arc::new((0..ROUNDS).map(|_| AtomicUsize::new(0)).collect());
    let party = || {
        let (barrier, arrivals) = (Arc::clone(&barrier), Arc::clone(&arrivals));
        thread::spawn(move || {
            for (round, arrived) in arrivals.iter().enumerate() {
                arrived.fetch_add(1, Ordering::SeqCst);
                barrier.wait();
                let seen = arrived.load(Ordering::SeqCst);
                assert!(seen == 2, "a thread left round {round} of the barrier when only {seen} of 2 had arrived");
            }
        })
    };
    let (a, b) = (party(), party());
    a.join().unwrap();
    b.join().unwrap();
}
