//! Reference solution of `readers_writers`.

use course_sync::{Condvar, Mutex};

/// Who is inside, and who is waiting to write.
#[derive(Debug, Default)]
struct State {
    readers: usize,
    writing: bool,
    waiting_writers: usize,
}

/// A readers-writers lock with writer priority.
///
/// The mutex guards only the bookkeeping, and is held for a moment on the
/// way in and out; the closures run without it, which is what lets readers
/// overlap. One condition variable serves both kinds of waiter, so every
/// change is announced with `notify_all` and each waiter re-checks its own
/// condition.
#[derive(Debug, Default)]
pub struct ReadWriteLock {
    state: Mutex<State>,
    changed: Condvar,
}

impl ReadWriteLock {
    /// A lock with nobody inside.
    pub fn new() -> Self {
        ReadWriteLock::default()
    }

    /// Runs `f` as a reader.
    ///
    /// A reader waits not only while a writer writes but while one *waits*:
    /// that is the writer priority.
    pub fn read<R>(&self, f: impl FnOnce() -> R) -> R {
        {
            let state = self.state.lock().unwrap();
            let mut state = self.changed.wait_while(state, |s| s.writing || s.waiting_writers > 0).unwrap();
            state.readers += 1;
        }
        let result = f();
        let mut state = self.state.lock().unwrap();
        state.readers -= 1;
        if state.readers == 0 {
            self.changed.notify_all();
        }
        result
    }

    /// Runs `f` as a writer, alone.
    ///
    /// It counts itself as waiting first, so that readers arriving from now
    /// on hold back, then waits for the readers inside to leave.
    pub fn write<R>(&self, f: impl FnOnce() -> R) -> R {
        {
            let mut state = self.state.lock().unwrap();
            state.waiting_writers += 1;
            let mut state = self.changed.wait_while(state, |s| s.writing || s.readers > 0).unwrap();
            state.waiting_writers -= 1;
            state.writing = true;
        }
        let result = f();
        self.state.lock().unwrap().writing = false;
        self.changed.notify_all();
        result
    }
}
