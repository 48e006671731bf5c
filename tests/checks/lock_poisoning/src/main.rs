//! Checks of `lock_poisoning`.

grading_kit::subject!();

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use grading_kit::helpers::{Rendezvous, catch_panic_any};
use grading_kit::{Outcome, expect, expect_eq};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

use subject::{Job, Ledger};

/// Accounts of the property's ledger.
const ACCOUNTS: usize = 3;
/// Jobs in the concurrent case: one that panics, the others after it.
const JOBS: usize = 4;
/// How long each job waits for the others at the meeting point.
const PATIENCE: Duration = Duration::from_millis(300);

/// One update of the property: move `amount` from `from` to `to`, or panic
/// half-way, after the debit and before the credit.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Op {
    from: usize,
    to: usize,
    amount: i64,
    panics: bool,
}

fn panic_text(i: usize) -> String {
    format!("update {i} gave up half-way")
}

/// The oracle: the updates that did not panic, applied in order.
fn oracle(start: &[i64], ops: &[Op]) -> Vec<i64> {
    let mut balances = start.to_vec();
    for op in ops.iter().filter(|op| !op.panics) {
        balances[op.from] -= op.amount;
        balances[op.to] += op.amount;
    }
    balances
}

/// What the subject saw: each update's outcome (`Err` with the panic's
/// text), then the balances (or the panic `balances()` ended in).
#[derive(Debug, Serialize, Deserialize)]
struct Run {
    updates: Vec<Result<(), String>>,
    balances: Result<Vec<i64>, String>,
}

fn run_ops(start: &[i64], ops: &[Op]) -> Run {
    let ledger = Ledger::new(start.to_vec());
    let updates = ops
        .iter()
        .enumerate()
        .map(|(i, op)| {
            catch_panic_any(|| {
                ledger.update(|balances| {
                    balances[op.from] -= op.amount;
                    if op.panics {
                        panic!("{}", panic_text(i));
                    }
                    balances[op.to] += op.amount;
                })
            })
            .map_err(|caught| caught.message.unwrap_or_default())
        })
        .collect();
    let balances = catch_panic_any(|| ledger.balances()).map_err(|caught| caught.message.unwrap_or_default());
    Run { updates, balances }
}

/// What a panic that is not the change's own says about the lock.
fn cascade(what: &str, said: &str, first_panic: Option<usize>) -> String {
    format!(
        "{what} panicked with \"{said}\", a panic of its own: {}. A `Mutex` is poisoned when a thread panics \
         while it holds the guard, and from then on every `lock()` returns `Err(PoisonError)`; \
         `lock().unwrap()` turns that into one more panic, and one failure into a failure of everything \
         that touches the lock. Here the data is whole (an update either finished or kept nothing), so \
         recover it: `lock().unwrap_or_else(PoisonError::into_inner)`.",
        first_panic.map_or("the lock was poisoned".to_string(), |i| format!(
            "the lock was poisoned by update {i}, which panicked while holding it"
        ))
    )
}

fn judge_ops(start: &[i64], ops: &[Op], run: Run) -> Outcome {
    expect_eq(run.updates.len(), ops.len())?;
    let mut first_panic = None;
    for (i, (op, outcome)) in ops.iter().zip(&run.updates).enumerate() {
        match (op.panics, outcome) {
            (true, Err(said)) if *said == panic_text(i) => {
                first_panic.get_or_insert(i);
            }
            (true, Err(said)) => return grading_kit::fail(cascade(&format!("update {i}"), said, first_panic)),
            (true, Ok(())) => {
                return grading_kit::fail(format!(
                    "update {i}'s change panicked, but `update` returned as if nothing happened: the panic \
                     must go on to the caller (the lock guard does that by itself: do not catch it)."
                ));
            }
            (false, Err(said)) => return grading_kit::fail(cascade(&format!("update {i}"), said, first_panic)),
            (false, Ok(())) => {}
        }
    }
    let balances = match run.balances {
        Ok(balances) => balances,
        Err(said) => return grading_kit::fail(cascade("`balances()`", &said, first_panic)),
    };
    let expected = oracle(start, ops);
    let half = ops.iter().enumerate().find(|(_, op)| op.panics);
    expect(
        balances == expected,
        format!(
            "after the updates {ops:?} on {start:?}, the balances should be {expected:?}, but they are \
             {balances:?}.{} An update is all or nothing: make the change on a copy (`let mut draft = \
             guard.clone();`), and store it (`*guard = draft;`) only once `change` has returned.",
            half.map_or(String::new(), |(i, op)| format!(
                " Update {i} panicked half-way, after taking {} from account {} and before giving it to \
                 account {}: what it did before the panic must not be kept.",
                op.amount, op.from, op.to
            ))
        ),
    )
}

fn ops() -> impl Strategy<Value = (Vec<i64>, Vec<Op>)> {
    let op = (0..ACCOUNTS, 0..ACCOUNTS, 1..50i64, prop::bool::weighted(0.3))
        .prop_map(|(from, to, amount, panics)| Op { from, to, amount, panics });
    (prop::collection::vec(0..200i64, ACCOUNTS), prop::collection::vec(op, 0..8))
}

/// What the concurrent case saw.
#[derive(Debug, Serialize, Deserialize)]
struct Jobs {
    /// How many jobs each job met at the meeting point.
    met: Vec<usize>,
    /// What `run_jobs` returned, or the panic it ended in.
    panicked: Result<usize, String>,
    balances: Result<Vec<i64>, String>,
}

/// Four jobs meet; job 0 then panics half-way through an update, and the
/// other three, once job 0 holds the lock, each move 1 from account 1 to
/// account 2: they wait for the lock job 0 poisons.
fn poisoned_by_a_job() -> Jobs {
    let ledger = Ledger::new(vec![100, 100, 100]);
    let meeting = Rendezvous::new(JOBS, PATIENCE);
    let met = std::sync::Arc::new(Mutex::new(Vec::new()));
    let holding = std::sync::Arc::new(AtomicBool::new(false));
    let jobs: Vec<Job> = (0..JOBS)
        .map(|job| {
            let (meeting, met, holding) = (meeting.clone(), met.clone(), holding.clone());
            Box::new(move |ledger: &Ledger| {
                let seen = meeting.arrive();
                met.lock().unwrap_or_else(|poison| poison.into_inner()).push(seen);
                if job == 0 {
                    ledger.update(|balances| {
                        balances[0] -= 50;
                        holding.store(true, Ordering::SeqCst);
                        // Let the others queue up for the lock.
                        std::thread::sleep(Duration::from_millis(20));
                        panic!("job 0 gave up half-way");
                    })
                } else {
                    let waiting = Instant::now();
                    while !holding.load(Ordering::SeqCst) && waiting.elapsed() < PATIENCE {
                        std::thread::yield_now();
                    }
                    ledger.update(|balances| {
                        balances[1] -= 1;
                        balances[2] += 1;
                    })
                }
            }) as Job
        })
        .collect();
    let panicked = catch_panic_any(|| subject::run_jobs(&ledger, jobs)).map_err(|c| c.message.unwrap_or_default());
    let balances = catch_panic_any(|| ledger.balances()).map_err(|c| c.message.unwrap_or_default());
    let met = met.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
    Jobs { met, panicked, balances }
}

fn judge_jobs(run: Jobs) -> Outcome {
    let panicked = match run.panicked {
        Ok(n) => n,
        Err(said) => {
            return grading_kit::fail(format!(
                "run_jobs panicked with \"{said}\": one job's panic must not become the caller's. A scoped \
                 thread's `join()` returns `Err` for a thread that panicked: count it, do not `unwrap` it."
            ));
        }
    };
    expect(
        run.met.len() == JOBS && run.met.iter().all(|&m| m == JOBS),
        format!(
            "each of {JOBS} jobs waited for all {JOBS} to start, but they saw {:?} started: the jobs ran one by \
             one. Spawn every job's thread first, then join them.",
            run.met
        ),
    )?;
    expect(
        panicked == 1,
        if panicked > 1 {
            format!(
                "one job panicked while holding the lock, but run_jobs counted {panicked} panicked jobs: the \
                 others panicked too, on the poisoned lock. A `Mutex` is poisoned when a thread panics while \
                 it holds the guard; `lock().unwrap()` then panics in every thread that comes after. Recover \
                 it (`PoisonError::into_inner`): the data is whole, because updates are all or nothing."
            )
        } else {
            format!("one job panicked, but run_jobs counted {panicked}: count the `Err`s of `join()`.")
        },
    )?;
    match run.balances {
        Ok(balances) => expect(
            balances == [100, 97, 103],
            format!(
                "after job 0 panicked half-way (it had taken 50 from account 0) and three jobs moved 1 from \
                 account 1 to account 2, the balances should be [100, 97, 103], not {balances:?}: the \
                 panicked update must keep nothing, and every other update must be kept."
            ),
        ),
        Err(said) => grading_kit::fail(cascade("`balances()`", &said, Some(0))),
    }
}

fn story() -> String {
    let start = [10, 20, 30];
    let ops = [
        Op { from: 0, to: 1, amount: 5, panics: false },
        Op { from: 1, to: 2, amount: 7, panics: true },
        Op { from: 2, to: 0, amount: 3, panics: false },
    ];
    let run = run_ops(&start, &ops);
    let mut out = format!("start: {start:?}\n");
    for (i, (op, outcome)) in ops.iter().zip(&run.updates).enumerate() {
        let told = match outcome {
            Ok(()) => "done".to_string(),
            Err(said) => format!("panicked: {said}"),
        };
        out.push_str(&format!("update {i}: {} from {} to {}: {told}\n", op.amount, op.from, op.to));
    }
    out.push_str(&format!("balances: {:?}", run.balances));
    out
}

fn main() {
    grading_kit::checks!()
        .property(
            "a panicked update keeps nothing and poisons nothing after it",
            ops(),
            |(start, ops)| run_ops(start, ops),
            |(start, ops), run: Run| judge_ops(start, ops, run),
        )
        .case("a job's panic on one thread: the other jobs go on", poisoned_by_a_job, judge_jobs)
        .snapshot("three updates and a panic", story)
        .main();
}
