//! Reference solution of `lock_poisoning`.

use std::sync::{Mutex, MutexGuard};
use std::thread;

/// Account balances behind one lock.
#[derive(Debug)]
pub struct Ledger {
    balances: Mutex<Vec<i64>>,
}

/// A job for [`run_jobs`]: it uses the ledger, and it may panic.
pub type Job = Box<dyn FnOnce(&Ledger) + Send>;

impl Ledger {
    pub fn new(balances: Vec<i64>) -> Self {
        Ledger { balances: Mutex::new(balances) }
    }

    /// The lock, poisoned or not.
    ///
    /// Recovering is sound here, and only because of `update`: every
    /// change is made on a draft and stored in one assignment once it has
    /// returned, so a panic, wherever it happens, leaves the balances as
    /// they were before that change. The data behind a poisoned lock is
    /// therefore whole, and the flag can go.
    fn lock(&self) -> MutexGuard<'_, Vec<i64>> {
        self.balances.lock().unwrap_or_else(|poisoned| {
            self.balances.clear_poison();
            poisoned.into_inner()
        })
    }

    pub fn update<R>(&self, change: impl FnOnce(&mut Vec<i64>) -> R) -> R {
        let mut balances = self.lock();
        let mut draft = balances.clone();
        let result = change(&mut draft);
        *balances = draft;
        result
    }

    pub fn balances(&self) -> Vec<i64> {
        self.lock().clone()
    }
}

/// Runs every job on a scoped thread and counts the panics: a panicked
/// thread's `join` is an `Err`, a value to count, not a panic to pass on.
pub fn run_jobs(ledger: &Ledger, jobs: Vec<Job>) -> usize {
    thread::scope(|s| {
        let handles: Vec<_> = jobs.into_iter().map(|job| s.spawn(move || job(ledger))).collect();
        handles.into_iter().map(|handle| handle.join()).filter(Result::is_err).count()
    })
}
