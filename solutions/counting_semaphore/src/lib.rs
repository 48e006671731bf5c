//! Reference solution of `counting_semaphore`.

use course_sync::{Condvar, Mutex, PoisonError};

/// A counting semaphore: the count of available permits, guarded by a
/// mutex, and a condition variable to sleep on while it is zero.
#[derive(Debug)]
pub struct Semaphore {
    available: Mutex<usize>,
    released: Condvar,
}

/// One permit, held for as long as this value lives.
///
/// There is no `release` to forget: the permit goes back in `Drop`, which
/// runs at the end of the holder's scope on every way out of it, a panic
/// included.
#[derive(Debug)]
#[must_use = "the permit is given back as soon as it is dropped"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` permits, all available.
    pub fn new(permits: usize) -> Self {
        Semaphore { available: Mutex::new(permits), released: Condvar::new() }
    }

    /// Takes a permit, waiting while none is available.
    ///
    /// The loop (inside `wait_while`) matters: between the drop that woke us
    /// and our taking the lock again, another thread may have taken that
    /// permit.
    pub fn acquire(&self) -> Permit<'_> {
        let available = self.available.lock().unwrap();
        let mut available = self.released.wait_while(available, |available| *available == 0).unwrap();
        *available -= 1;
        Permit { semaphore: self }
    }
}

impl Drop for Permit<'_> {
    /// Gives the permit back and wakes one waiter.
    ///
    /// This may run while the holder's thread unwinds from a panic, and a
    /// second panic then would abort the process: so no `unwrap` here. A
    /// poisoned mutex still holds a good count (nothing panics between
    /// reading and writing it), so the guard is taken either way.
    ///
    /// One permit can let one waiter through, so `notify_one` is enough:
    /// every waiter waits for the same thing, and any one of them may take it.
    fn drop(&mut self) {
        let semaphore = self.semaphore;
        *semaphore.available.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        semaphore.released.notify_one();
    }
}
