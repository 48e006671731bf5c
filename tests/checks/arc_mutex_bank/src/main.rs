//! Checks of `arc_mutex_bank`.

grading_kit::subject!();

mod scenarios;

use std::sync::Barrier;
use std::thread;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use subject::Bank;

/// A planned transfer, as the judge draws it and the subject is sent it: the
/// fields of the learner's `Transfer`, and its name, so that a failing plan
/// reads as the learner's type would.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Transfer {
    from: usize,
    to: usize,
    amount: i64,
}

impl Transfer {
    fn to_subject(self) -> subject::Transfer {
        subject::Transfer { from: self.from, to: self.to, amount: self.amount }
    }
}

/// The plans in the learner's type.
fn subject_plans(plans: &[Vec<Transfer>]) -> Vec<Vec<subject::Transfer>> {
    plans.iter().map(|plan| plan.iter().map(|t| t.to_subject()).collect()).collect()
}

/// The sequential model: the final balances and how many transfers succeeded.
fn oracle(balances: &[i64], plan: &[Transfer]) -> (Vec<i64>, usize) {
    let mut balances = balances.to_vec();
    let mut done = 0;
    for t in plan {
        if balances[t.from] >= t.amount {
            balances[t.from] -= t.amount;
            balances[t.to] += t.amount;
            done += 1;
        }
    }
    (balances, done)
}

fn balances_and_plans(plans: std::ops::Range<usize>) -> impl Strategy<Value = (Vec<i64>, Vec<Vec<Transfer>>)> {
    prop::collection::vec(0..60i64, 1..5).prop_flat_map(move |balances| {
        let n = balances.len();
        let transfer = (0..n, 0..n, 1..30i64).prop_map(|(from, to, amount)| Transfer { from, to, amount });
        (Just(balances), prop::collection::vec(prop::collection::vec(transfer, 0..40), plans.clone()))
    })
}

/// Drain rounds: four threads race to move single units out of account 0
/// until it is empty. A thread that checks, lets go of the lock, and waits
/// for it again to debit can find the account emptied meanwhile.
const ROUNDS: usize = 300;
const START: i64 = 1000;
const DRAINERS: usize = 4;

/// Runs the drain rounds; returns the first round that went wrong, with the
/// balances after it and how many transfers succeeded.
fn drain_rounds() -> Option<(usize, Vec<i64>, usize)> {
    for round in 1..=ROUNDS {
        let mut start = vec![0; DRAINERS + 1];
        start[0] = START;
        let bank = Bank::new(start);
        let go = Barrier::new(DRAINERS);
        let moved: usize = thread::scope(|s| {
            let drainers: Vec<_> = (1..=DRAINERS)
                .map(|to| {
                    let (bank, go) = (bank.clone(), &go);
                    s.spawn(move || {
                        go.wait();
                        let mut moved = 0;
                        while bank.transfer(subject::Transfer { from: 0, to, amount: 1 }) {
                            moved += 1;
                        }
                        moved
                    })
                })
                .collect();
            drainers.into_iter().map(|d| d.join().unwrap()).sum()
        });
        let balances = bank.balances();
        if balances.iter().any(|&b| b < 0) || balances.iter().sum::<i64>() != START || moved != START as usize {
            return Some((round, balances, moved));
        }
    }
    None
}

fn overdraft_message(balances: &[i64], round: usize) -> String {
    format!(
        "round {round}: {DRAINERS} threads moved single units out of account 0, which held {START}, until it was empty; afterwards the \
         balances are {balances:?}. Account 0 was overdrawn: two threads both saw enough money and both took it. \
         The balance check and the debit must happen under the same lock guard; releasing the lock between them \
         (for example by calling `lock()` twice) lets another thread in."
    )
}

fn main() {
    grading_kit::checks!()
        .property(
            "one thread: like the sequential model",
            balances_and_plans(1..2),
            |(balances, plans)| {
                // The balances afterwards, and how many transfers succeeded.
                let bank = Bank::new(balances.clone());
                let done = subject::run_concurrently(&bank, subject_plans(plans));
                (bank.balances(), done)
            },
            |(balances, plans), after| expect_eq(after, oracle(balances, &plans[0])),
        )
        .case("no account is overdrawn under contention", drain_rounds, |went_wrong| {
            let Some((round, balances, moved)) = went_wrong else { return Ok(()) };
            expect(balances.iter().all(|&b| b >= 0), overdraft_message(&balances, round))?;
            expect(
                balances.iter().sum::<i64>() == START,
                format!("round {round}: the total went from {START} to {balances:?}: money was created or lost"),
            )?;
            expect(moved == START as usize, format!("round {round}: {moved} transfers of 1 out of {START} succeeded"))
        })
        .property_with_cases(
            "concurrent transfers conserve the total and never overdraw",
            32,
            balances_and_plans(2..6),
            |(balances, plans)| {
                // The balances afterwards, and how many transfers succeeded.
                let bank = Bank::new(balances.clone());
                let done = subject::run_concurrently(&bank, subject_plans(plans));
                (bank.balances(), done)
            },
            |(balances, plans), (after, done)| {
                let attempted: usize = plans.iter().map(Vec::len).sum();
                expect(
                    after.iter().sum::<i64>() == balances.iter().sum::<i64>(),
                    format!(
                        "the balances went from {balances:?} to {after:?}: the total changed, money was lost or created"
                    ),
                )?;
                expect(
                    after.iter().all(|&b| b >= 0),
                    format!("the balances went from {balances:?} to {after:?}: an account was overdrawn"),
                )?;
                expect(done <= attempted, format!("{done} transfers succeeded out of {attempted}"))
            },
        )
        .snapshot("three accounts", || {
            // Every transfer that can succeed does, whatever the order: the
            // output does not depend on the schedule.
            let bank = Bank::new(vec![100, 0, 0, 5]);
            let plan = |to| vec![subject::Transfer { from: 0, to, amount: 10 }; 5];
            let too_much = vec![subject::Transfer { from: 3, to: 0, amount: 1000 }; 3];
            let done = subject::run_concurrently(&bank, vec![plan(1), plan(2), too_much]);
            format!("succeeded: {done}\nbalances: {:?}\n", bank.balances())
        })
        .explore("no overdraft in any interleaving", scenarios::two_withdrawals)
        .main();
}
