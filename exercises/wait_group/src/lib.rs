//! A WaitGroup from a mutex and a condition variable.
//! Read `README.md` in this folder first.

use course_sync::{Condvar, Mutex};

/// Go's `sync.WaitGroup`: a counter of pending tasks, and a way to wait
/// until it is back to zero.
#[derive(Debug, Default)]
pub struct WaitGroup {
    pending: Mutex<usize>,
    all_done: Condvar,
}

impl WaitGroup {
    /// A wait group with nothing pending.
    pub fn new() -> Self {
        todo!("nothing pending yet")
    }

    /// Adds `n` pending tasks.
    pub fn add(&self, n: usize) {
        todo!("add {n} to the pending count")
    }

    /// Marks one pending task as finished. When none are left, every thread
    /// blocked in [`WaitGroup::wait`] must wake up and return.
    pub fn done(&self) {
        todo!("one fewer pending; wake the waiters when none are left")
    }

    /// Blocks until no task is pending (returns at once if none is). Any
    /// number of threads may wait at the same time. Must not busy-wait.
    pub fn wait(&self) {
        todo!("block on the condition variable until the count is zero")
    }
}

/// Starts every worker on a thread of its own (`course_sync::thread::spawn`)
/// and returns once all of them have finished, using a [`WaitGroup`] (shared
/// through an `Arc`) to know when, not `join`.
pub fn wait_for_workers<F>(workers: Vec<F>)
where
    F: FnOnce() + Send + 'static,
{
    todo!("add {} to a wait group, spawn, call done at the end of each, wait", workers.len())
}
