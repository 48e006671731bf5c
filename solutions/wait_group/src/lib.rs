//! Reference solution of `wait_group`.

use course_sync::{Arc, Condvar, Mutex, thread};

/// Go's `sync.WaitGroup`: a counter of pending tasks, and a way to wait
/// until it is back to zero.
///
/// The condition ("nothing pending") is a fact about the counter, so the
/// counter lives in the mutex the condition variable waits with.
#[derive(Debug, Default)]
pub struct WaitGroup {
    pending: Mutex<usize>,
    all_done: Condvar,
}

impl WaitGroup {
    /// A wait group with nothing pending.
    pub fn new() -> Self {
        WaitGroup { pending: Mutex::new(0), all_done: Condvar::new() }
    }

    /// Adds `n` pending tasks.
    pub fn add(&self, n: usize) {
        *self.pending.lock().unwrap() += n;
    }

    /// Marks one pending task as finished.
    ///
    /// `notify_all`, not `notify_one`: every waiter is waiting for the same
    /// condition, and each must see it.
    pub fn done(&self) {
        let mut pending = self.pending.lock().unwrap();
        *pending = pending.checked_sub(1).expect("done called more often than add");
        if *pending == 0 {
            self.all_done.notify_all();
        }
    }

    /// Blocks until no task is pending.
    ///
    /// `wait_while` re-checks the condition after every wake-up: a condition
    /// variable may wake a thread spuriously, or after the condition changed
    /// back, so waking up proves nothing by itself.
    pub fn wait(&self) {
        let pending = self.pending.lock().unwrap();
        let _pending = self.all_done.wait_while(pending, |pending| *pending > 0).unwrap();
    }
}

/// Starts every worker on a thread of its own and returns once all have
/// finished.
///
/// `add` comes before any `spawn`: were it inside the workers, `wait` could
/// run before the first `add` and return at once.
pub fn wait_for_workers<F>(workers: Vec<F>)
where
    F: FnOnce() + Send + 'static,
{
    let group = Arc::new(WaitGroup::new());
    group.add(workers.len());
    for worker in workers {
        let group = Arc::clone(&group);
        thread::spawn(move || {
            worker();
            group.done();
        });
    }
    group.wait();
}
