//! A counting semaphore from a mutex and a condition variable.
//! Read `README.md` in this folder first.

use course_sync::{Condvar, Mutex};

/// A counting semaphore: at most `permits` threads may hold a [`Permit`] at
/// the same time; the others wait in [`Semaphore::acquire`] until one is
/// given back.
#[derive(Debug)]
pub struct Semaphore {
    available: Mutex<usize>,
    released: Condvar,
}

/// One permit of a [`Semaphore`], held for as long as this value lives.
/// Dropping it gives the permit back and wakes a thread waiting for one,
/// if any: at the end of its holder's scope, or when its holder panics.
#[derive(Debug)]
#[must_use = "the permit is given back as soon as it is dropped"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` permits (at least 1), all available.
    pub fn new(permits: usize) -> Self {
        todo!("{permits} permits available")
    }

    /// Takes a permit, first waiting (blocked, not spinning) as long as none
    /// is available, and hands it out as a [`Permit`].
    pub fn acquire(&self) -> Permit<'_> {
        todo!("wait while no permit is available, then take one")
    }
}

impl Drop for Permit<'_> {
    /// Gives the permit back. Runs when the holder is done with it, and
    /// also while the holder's thread unwinds from a panic.
    fn drop(&mut self) {
        todo!("give the permit back and wake a waiter")
    }
}
