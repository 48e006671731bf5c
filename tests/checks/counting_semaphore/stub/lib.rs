//! A counting semaphore from a mutex and a condition variable.
//! Read `README.md` in this folder first.

use course_sync::{Condvar, Mutex};

/// A counting semaphore: at most `permits` threads may hold a permit at the
/// same time; the others wait in [`Semaphore::acquire`] until one is released.
#[derive(Debug)]
pub struct Semaphore {
    available: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    /// A semaphore with `permits` permits (at least 1), all available.
    pub fn new(permits: usize) -> Self {
        todo!("{permits} permits available")
    }

    /// Takes a permit, first waiting (blocked, not spinning) as long as none
    /// is available.
    pub fn acquire(&self) {
        todo!("wait while no permit is available, then take one")
    }

    /// Gives back a permit taken with [`Semaphore::acquire`], and wakes a
    /// thread waiting for one, if any.
    pub fn release(&self) {
        todo!("give the permit back and wake a waiter")
    }

    /// Runs `f` while holding a permit: acquire, `f()`, release.
    pub fn with_permit<R>(&self, f: impl FnOnce() -> R) -> R {
        todo!("acquire, run f, release")
    }
}
