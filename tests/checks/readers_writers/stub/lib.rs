//! Readers and writers, with writer priority, from a mutex and a condvar.
//! Read `README.md` in this folder first.

use course_sync::{Condvar, Mutex};

/// Who is inside, and who is waiting to write.
#[derive(Debug, Default)]
struct State {
    /// Readers inside now.
    readers: usize,
    /// Whether a writer is inside now.
    writing: bool,
    /// Writers waiting to get in.
    waiting_writers: usize,
}

/// A readers-writers lock (like `std::sync::RwLock`, which you may not use
/// here). It guards no data itself: it decides who may run their closure.
///
/// - Any number of readers may read at the same time.
/// - A writer writes alone: no reader and no other writer beside it.
/// - Writers have priority: once a writer is waiting, readers that arrive
///   after it wait too, so that a steady stream of readers cannot starve it.
#[derive(Debug, Default)]
pub struct ReadWriteLock {
    state: Mutex<State>,
    changed: Condvar,
}

impl ReadWriteLock {
    /// A lock with nobody inside.
    pub fn new() -> Self {
        todo!("nobody inside, nobody waiting")
    }

    /// Runs `f` as a reader: waits while a writer is inside or waiting, runs
    /// `f` beside any other readers, then leaves. Returns what `f` returns.
    pub fn read<R>(&self, f: impl FnOnce() -> R) -> R {
        todo!("enter as a reader, run f without holding the mutex, leave")
    }

    /// Runs `f` as a writer: waits until nobody is inside, runs `f` alone,
    /// then leaves. Returns what `f` returns.
    pub fn write<R>(&self, f: impl FnOnce() -> R) -> R {
        todo!("announce yourself as waiting, enter when nobody is inside, run f, leave")
    }
}
