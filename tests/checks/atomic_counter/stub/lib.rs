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

/// Counts the items of every stream in `streams`: starts one thread per
/// stream, all at the same time, each incrementing one shared [`Counter`]
/// once per item its stream yields; waits for all of them, and returns the
/// final count (the number of items of all the streams together).
///
/// A stream is anything you can iterate over (`IntoIterator`): a `Vec`, a
/// range, or items that arrive one at a time. It is moved into its thread,
/// hence `Send`.
///
/// ```no_run
/// assert_eq!(atomic_counter::count_concurrently(vec![0..1000, 0..1000, 0..1000, 0..1000]), 4000);
/// ```
pub fn count_concurrently<S>(streams: Vec<S>) -> usize
where
    S: IntoIterator + Send,
{
    todo!("one thread per stream ({} streams), all incrementing one shared Counter", streams.len())
}
