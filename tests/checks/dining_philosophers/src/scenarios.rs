//! Scenarios for schedule exploration: small, so that the explorer can try
//! thousands of interleavings of them (see `grading_kit::Checks::explore`).

use crate::subject::{PHILOSOPHERS, dine};

/// Every philosopher eats once; a philosopher's neighbours are never eating
/// at the same time; and nobody waits forever (the explorer reports a
/// deadlock with the cycle of forks).
pub fn one_meal_each() {
    // Bookkeeping only: never held across a scheduling point.
    let eating = std::sync::Mutex::new([false; PHILOSOPHERS]);
    dine([1; PHILOSOPHERS], &|p| {
        {
            let mut eating = eating.lock().unwrap();
            let (left, right) = ((p + PHILOSOPHERS - 1) % PHILOSOPHERS, (p + 1) % PHILOSOPHERS);
            assert!(
                !eating[left] && !eating[right],
                "philosopher {p} started eating while a neighbour was eating: they share a fork"
            );
            eating[p] = true;
        }
        course_sync::thread::yield_now();
        eating.lock().unwrap()[p] = false;
    });
}
