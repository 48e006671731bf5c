//! Scenarios for schedule exploration: small, so that the explorer can try
//! thousands of interleavings of them (see `grading_kit::Checks::explore`).

use course_sync::thread;

use crate::subject::{Bank, Transfer};

/// Two threads each try to move the whole balance of account 0 away: at
/// most one may succeed, and no account may go below zero.
pub fn two_withdrawals() {
    let bank = Bank::new(vec![10, 0, 0]);
    let withdraw = |to: usize| {
        let bank = bank.clone();
        thread::spawn(move || bank.transfer(Transfer { from: 0, to, amount: 10 }))
    };
    let (first, second) = (withdraw(1), withdraw(2));
    let succeeded = [first.join().unwrap(), second.join().unwrap()].iter().filter(|&&ok| ok).count();
    let balances = bank.balances();
    assert!(
        balances.iter().all(|&b| b >= 0) && succeeded <= 1,
        "two transfers of the whole balance both went through ({balances:?}): each checked the balance, \
         then the other moved the money before the first took it. Check and debit under one lock."
    );
    assert!(balances.iter().sum::<i64>() == 10, "money appeared or vanished: {balances:?}");
}
