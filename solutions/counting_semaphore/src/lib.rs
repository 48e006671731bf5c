//! Reference solution of `counting_semaphore`.

use course_sync::{Condvar, Mutex};

/// A counting semaphore: the count of available permits, guarded by a
/// mutex, and a condition variable to sleep on while it is zero.
#[derive(Debug)]
pub struct Semaphore {
    available: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    /// A semaphore with `permits` permits, all available.
    pub fn new(permits: usize) -> Self {
        Semaphore { available: Mutex::new(permits), released: Condvar::new() }
    }

    /// Takes a permit, waiting while none is available.
    ///
    /// The loop (inside `wait_while`) matters: between the `release` that
    /// woke us and our taking the lock again, another thread may have taken
    /// that permit.
    pub fn acquire(&self) {
        let available = self.available.lock().unwrap();
        let mut available = self.released.wait_while(available, |available| *available == 0).unwrap();
        *available -= 1;
    }

    /// Gives back a permit and wakes one waiter.
    ///
    /// One permit can let one waiter through, so `notify_one` is enough here:
    /// every waiter waits for the same thing, and any one of them may take it.
    pub fn release(&self) {
        *self.available.lock().unwrap() += 1;
        self.released.notify_one();
    }

    /// Runs `f` while holding a permit.
    ///
    /// The permit goes back even if `f` panics: the guard's `Drop` releases it.
    pub fn with_permit<R>(&self, f: impl FnOnce() -> R) -> R {
        struct Permit<'a>(&'a Semaphore);
        impl Drop for Permit<'_> {
            fn drop(&mut self) {
                self.0.release();
            }
        }
        self.acquire();
        let _permit = Permit(self);
        f()
    }
}
