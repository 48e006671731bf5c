//! Lock poisoning: what `lock().unwrap()` means, and when to recover.
//! Read `README.md` in this folder first.

use std::sync::Mutex;

/// Account balances behind one lock. Many threads may use one `Ledger`
/// (`&Ledger` is enough), and any of them may panic in the middle of an
/// update.
#[derive(Debug)]
pub struct Ledger {
    balances: Mutex<Vec<i64>>,
}

/// A job for [`run_jobs`]: it uses the ledger, and it may panic.
pub type Job = Box<dyn FnOnce(&Ledger) + Send>;

impl Ledger {
    /// A ledger with these balances.
    pub fn new(balances: Vec<i64>) -> Self {
        todo!("keep the {} balances behind a Mutex", balances.len())
    }

    /// Runs `change` on the balances, with the lock held, all or nothing:
    /// if `change` returns, everything it changed is kept and its result
    /// returned; if it panics, nothing it changed is kept, and the panic
    /// goes on to the caller.
    ///
    /// Works as usual after an earlier `change` panicked, in this thread or
    /// in any other.
    ///
    /// ```no_run
    /// let ledger = lock_poisoning::Ledger::new(vec![10, 0]);
    /// ledger.update(|b| {
    ///     b[0] -= 4;
    ///     b[1] += 4;
    /// });
    /// assert_eq!(ledger.balances(), vec![6, 4]);
    /// ```
    pub fn update<R>(&self, change: impl FnOnce(&mut Vec<i64>) -> R) -> R {
        todo!("lock, recovering from poison, and apply `change` all or nothing")
    }

    /// The balances now. Works after a panicked update too.
    pub fn balances(&self) -> Vec<i64> {
        todo!("lock, recovering from poison, and copy the balances")
    }
}

/// Runs every job on a thread of its own, all at the same time, each given
/// `ledger`, waits for all of them, and returns how many panicked. A job's
/// panic must not stop the other jobs, nor make this function panic.
pub fn run_jobs(ledger: &Ledger, jobs: Vec<Job>) -> usize {
    todo!("run the {} jobs on scoped threads and count the ones that panicked", jobs.len())
}
