//! Reference solution of `arc_mutex_bank`.

use course_sync::{Arc, Mutex, thread};

/// One transfer: move `amount` from account `from` to account `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub from: usize,
    pub to: usize,
    pub amount: i64,
}

/// A handle to a bank shared by every clone of it.
///
/// `Arc` lets many threads own the accounts (the last owner frees them);
/// `Mutex` lets one of them at a time change them.
#[derive(Clone, Debug)]
pub struct Bank {
    accounts: Arc<Mutex<Vec<i64>>>,
}

impl Bank {
    /// A bank whose account `i` holds `balances[i]`.
    pub fn new(balances: Vec<i64>) -> Self {
        Bank { accounts: Arc::new(Mutex::new(balances)) }
    }

    /// Moves the amount if `from` holds enough, and says whether it did.
    ///
    /// The check and the move happen under one lock guard: were the lock
    /// released in between, another thread could spend the same money
    /// after our check and before our debit.
    pub fn transfer(&self, transfer: Transfer) -> bool {
        let mut accounts = self.accounts.lock().expect("no thread panics while it holds the lock");
        if accounts[transfer.from] < transfer.amount {
            return false;
        }
        accounts[transfer.from] -= transfer.amount;
        accounts[transfer.to] += transfer.amount;
        true
    }

    /// The balances now, account by account.
    pub fn balances(&self) -> Vec<i64> {
        self.accounts.lock().expect("no thread panics while it holds the lock").clone()
    }
}

/// Runs each plan on a thread of its own and returns how many transfers
/// succeeded.
///
/// `thread::spawn` needs a `'static` closure, so each thread gets a clone of
/// the handle (one more owner of the same accounts) rather than a borrow,
/// and takes its plan by value: hence `P: Send + 'static`.
pub fn run_concurrently<P>(bank: &Bank, plans: Vec<P>) -> usize
where
    P: IntoIterator<Item = Transfer> + Send + 'static,
{
    let handles: Vec<_> = plans
        .into_iter()
        .map(|plan| {
            let bank = bank.clone();
            thread::spawn(move || plan.into_iter().filter(|&t| bank.transfer(t)).count())
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).sum()
}
