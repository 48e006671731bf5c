//! Atomic counter: one counter, many threads, no lost increments.
//! Read `README.md` in this folder first.

use course_sync::atomic::AtomicUsize;

/// A counter that many threads may increment at the same time, through a
/// shared reference (`&Counter`), without a lock.
#[derive(Debug, Default)]
pub struct Counter {
    count: AtomicUsize,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        todo!("start the count at zero")
    }

    /// Adds one to the count. Many threads may call this at once: no
    /// increment may be lost.
    pub fn increment(&self) {
        todo!("add one, as one indivisible step")
    }

    /// The count now.
    pub fn get(&self) -> usize {
        todo!("read the count")
    }
}

/// Starts `threads` threads that each increment one shared [`Counter`]
/// `per_thread` times, waits for all of them, and returns the final count
/// (which must be `threads * per_thread`).
///
/// ```no_run
/// assert_eq!(atomic_counter::count_concurrently(4, 1000), 4000);
/// ```
pub fn count_concurrently(threads: usize, per_thread: usize) -> usize {
    todo!("share one Counter between {threads} threads, {per_thread} increments each")
}
