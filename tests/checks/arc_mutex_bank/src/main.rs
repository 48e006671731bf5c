//! Checks of `arc_mutex_bank`.

grading_kit::subject!();

mod scenarios;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use grading_kit::helpers::Rendezvous;
use grading_kit::{expect, expect_eq, fail, within};
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

/// Plans of `the plans run at the same time`, their transfers, and how long
/// each waits for the others before its first transfer.
const MEETING: usize = 3;
const MEETING_TRANSFERS: usize = 5;
const PATIENCE: Duration = Duration::from_secs(2);

/// A plan of [`MEETING_TRANSFERS`] transfers of 1 from account 0 to account
/// `to` that, before its first transfer, waits (at most [`PATIENCE`]) until
/// every plan of the meeting has started, and notes how many had.
struct Meeting {
    to: usize,
    rendezvous: Rendezvous,
    seen: Arc<Mutex<Vec<usize>>>,
    caller: ThreadId,
    on_caller: Arc<AtomicUsize>,
    started: bool,
    left: usize,
}

impl Iterator for Meeting {
    type Item = subject::Transfer;

    fn next(&mut self) -> Option<subject::Transfer> {
        if !self.started {
            self.started = true;
            if thread::current().id() == self.caller {
                self.on_caller.fetch_add(1, Ordering::SeqCst);
            }
            let met = self.rendezvous.arrive();
            self.seen.lock().unwrap().push(met);
        }
        self.left = self.left.checked_sub(1)?;
        Some(subject::Transfer { from: 0, to: self.to, amount: 1 })
    }
}

/// What `the plans run at the same time` saw: the transfers that succeeded,
/// the balances after, how many plans had started when each stopped waiting,
/// and how many were made on the thread that called `run_concurrently`.
#[derive(Debug, Serialize, Deserialize)]
struct Met {
    done: usize,
    balances: Vec<i64>,
    seen: Vec<usize>,
    on_caller: usize,
}

/// The learner's half of `the plans run at the same time`.
fn meeting() -> Option<Met> {
    let rendezvous = Rendezvous::new(MEETING, PATIENCE);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let on_caller = Arc::new(AtomicUsize::new(0));
    let (seen_after, on_caller_after) = (Arc::clone(&seen), Arc::clone(&on_caller));
    // Plans made one by one wait in turn: (MEETING - 1) x PATIENCE.
    within(PATIENCE * (MEETING as u32 + 1), move || {
        let caller = thread::current().id();
        let mut start = vec![0; MEETING + 1];
        start[0] = (MEETING * MEETING_TRANSFERS) as i64;
        let bank = Bank::new(start);
        let plans = (1..=MEETING)
            .map(|to| Meeting {
                to,
                rendezvous: rendezvous.clone(),
                seen: Arc::clone(&seen),
                caller,
                on_caller: Arc::clone(&on_caller),
                started: false,
                left: MEETING_TRANSFERS,
            })
            .collect();
        let done = subject::run_concurrently(&bank, plans);
        let seen = seen_after.lock().unwrap().clone();
        Met { done, balances: bank.balances(), seen, on_caller: on_caller_after.load(Ordering::SeqCst) }
    })
}

fn judge_meeting(met: Option<Met>) -> Result<(), TestCaseError> {
    let Some(Met { done, balances, seen, on_caller }) = met else {
        return fail(format!(
            "`run_concurrently` of {MEETING} plans had not returned after {:?}",
            PATIENCE * (MEETING as u32 + 1)
        ));
    };
    let mut expected = vec![MEETING_TRANSFERS as i64; MEETING + 1];
    expected[0] = 0;
    expect_eq((done, balances), (MEETING * MEETING_TRANSFERS, expected))?;
    if seen.len() == MEETING && seen.iter().all(|&s| s == MEETING) {
        return Ok(());
    }
    if on_caller > 0 {
        return fail(format!(
            "`run_concurrently` made the transfers of {on_caller} of its {MEETING} plans itself, on the calling \
             thread, one plan after another: each plan waited {PATIENCE:?}, before its first transfer, for the \
             others to start, and saw {seen:?} started. The results are right, but nothing ran concurrently: \
             spawn one thread per plan, each with a clone of the bank."
        ));
    }
    fail(format!(
        "{MEETING} plans each waited {PATIENCE:?}, before their first transfer, for the others to start, and saw \
         {seen:?} started: their threads ran one at a time. Spawn every thread first and join them after; do not \
         join each thread before spawning the next."
    ))
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
        .case("the plans run at the same time", meeting, judge_meeting)
        .explore("no overdraft in any interleaving", scenarios::two_withdrawals)
        .main();
}
