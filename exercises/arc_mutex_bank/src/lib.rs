//! A bank of accounts shared by many threads: `Arc<Mutex<_>>`.
//! Read `README.md` in this folder first.

use course_sync::{Arc, Mutex};

/// One transfer: move `amount` (at least 1) from account `from` to account `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub from: usize,
    pub to: usize,
    pub amount: i64,
}

/// A handle to a bank: a list of account balances, shared by every clone of
/// the handle (like a pointer to a struct in Go). Cloning a `Bank` does not
/// copy the accounts: all clones see and change the same ones.
#[derive(Clone, Debug)]
pub struct Bank {
    accounts: Arc<Mutex<Vec<i64>>>,
}

impl Bank {
    /// A bank whose account `i` holds `balances[i]`.
    pub fn new(balances: Vec<i64>) -> Self {
        todo!("wrap the {} balances in an Arc<Mutex<_>>", balances.len())
    }

    /// Moves `transfer.amount` from account `transfer.from` to account
    /// `transfer.to` and returns `true`, if `from` holds at least the amount;
    /// otherwise changes nothing and returns `false`. A balance never goes
    /// below zero and money is never created or lost, however many threads
    /// transfer at once. (`from == to` is allowed: it changes nothing.)
    pub fn transfer(&self, transfer: Transfer) -> bool {
        todo!("check the balance and move the money as one step: {transfer:?}")
    }

    /// The balances now, account by account.
    pub fn balances(&self) -> Vec<i64> {
        todo!("copy the balances out")
    }
}

/// Runs each plan in `plans` on a thread of its own
/// (`course_sync::thread::spawn`, each thread with its own clone of `bank`),
/// all at the same time, waits for them all, and returns how many transfers
/// succeeded in total.
///
/// A plan is anything that lists transfers (`IntoIterator<Item = Transfer>`):
/// a `Vec<Transfer>`, or transfers that arrive one at a time. Each thread
/// makes the transfers of its plan in order, as it iterates over it.
pub fn run_concurrently<P>(bank: &Bank, plans: Vec<P>) -> usize
where
    P: IntoIterator<Item = Transfer> + Send + 'static,
{
    todo!("one thread per plan ({} plans), each with a clone of the bank", plans.len())
}
