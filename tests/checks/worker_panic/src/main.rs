//! Checks of `worker_panic`.
//!
//! The jobs here panic on purpose. The grading kit records every panic and
//! would show the first one (a job's, on purpose) instead of the check's own
//! explanation; `quiet_panics` keeps only the stub's `todo!` panics visible
//! to it. Panics of the code under test are caught and explained here.

grading_kit::subject!();

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, Once};
use std::time::Duration;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde::{Deserialize, Serialize};

type Job = Box<dyn FnOnce() -> u32 + Send>;

/// Lets only "not yet implemented" panics through to the kit's hook.
fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let kit = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if payload_text(info.payload()).is_some_and(|m| m.starts_with("not yet implemented")) {
                kit(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn Any + Send)) -> Option<String> {
    payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned())
}

/// What a job of the checks does.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum Plan {
    Return(u32),
    /// `panic!("{message}")`: a `String` payload.
    PanicFormatted(String),
    /// `panic!` with a `&'static str` payload (the text is leaked to make
    /// one: a few bytes a job).
    PanicLiteral(String),
    /// `panic_any(7u8)`: no message.
    PanicWithoutMessage,
}

impl Plan {
    fn job(self) -> Job {
        Box::new(move || match self {
            Plan::Return(value) => value,
            Plan::PanicFormatted(message) => panic!("{message}"),
            Plan::PanicLiteral(message) => {
                let literal: &'static str = Box::leak(message.into_boxed_str());
                panic::panic_any(literal)
            }
            Plan::PanicWithoutMessage => panic::panic_any(7u8),
        })
    }

    fn expected(&self) -> Result<u32, String> {
        match self {
            Plan::Return(value) => Ok(*value),
            Plan::PanicFormatted(message) | Plan::PanicLiteral(message) => Err(message.clone()),
            Plan::PanicWithoutMessage => Err("a panic without a message".to_string()),
        }
    }
}

fn plans() -> impl Strategy<Value = Vec<Plan>> {
    let plan = prop_oneof![
        3 => (0..1000u32).prop_map(Plan::Return),
        1 => "[a-z ]{0,12}".prop_map(Plan::PanicFormatted),
        1 => prop::sample::select(vec!["disk full", "out of cheese", ""]).prop_map(|m| Plan::PanicLiteral(m.into())),
        1 => Just(Plan::PanicWithoutMessage),
    ];
    prop::collection::vec(plan, 0..8)
}

/// The job that panics in `panic_message`'s property, and how its payload
/// is made, in words.
fn payload_plan(kind: usize, message: &str) -> (Plan, &'static str) {
    match kind {
        0 => (Plan::PanicFormatted(message.to_string()), "`panic!(\"{x}\")`, whose payload is a `String`"),
        1 => (Plan::PanicLiteral(message.to_string()), "`panic!(\"literal\")`, whose payload is a `&'static str`"),
        _ => (Plan::PanicWithoutMessage, "`panic_any(7u8)`, whose payload is no text at all"),
    }
}

/// What `run_all` did with its jobs.
#[derive(Debug, Serialize, Deserialize)]
enum RunAll {
    /// It returned these results.
    Returned(Vec<Result<u32, String>>),
    /// It panicked itself, with this message.
    Panicked(String),
}

/// Calls `run_all`, catching a panic of the call itself (but not the stub's
/// `todo!()`, which the kit reports as "not started").
fn run_all_caught(jobs: Vec<Job>) -> RunAll {
    quiet_panics();
    match panic::catch_unwind(AssertUnwindSafe(|| subject::run_all(jobs))) {
        Ok(results) => RunAll::Returned(results),
        Err(payload) => {
            let what = payload_text(&*payload).unwrap_or_else(|| "a panic without a message".to_string());
            if what.starts_with("not yet implemented") {
                panic::resume_unwind(payload);
            }
            RunAll::Panicked(what)
        }
    }
}

/// The lesson of a `run_all` that panicked itself.
fn run_all_panicked(what: &str) -> String {
    format!(
        "run_all itself panicked ({what}) because one of its jobs panicked. A worker's panic comes back to \
         the spawner through `join`, as `Err(payload)`; an `.unwrap()` or `.expect()` on that result panics \
         the caller too, and takes every other job's result with it. Keep the `Result` instead: \
         `handle.join().map_err(panic_message)`."
    )
}

/// The results of `run_all`, or the lesson if it panicked itself.
fn results(run: RunAll) -> Result<Vec<Result<u32, String>>, TestCaseError> {
    match run {
        RunAll::Returned(results) => Ok(results),
        RunAll::Panicked(what) => Err(TestCaseError::fail(run_all_panicked(&what))),
    }
}

/// How many jobs wait for each other beside the one that panics.
const WAITING_JOBS: usize = 3;

fn main() {
    grading_kit::checks!()
        .property(
            "panic_message reads the payload",
            (0..3usize, "[a-z]{1,12}"),
            |(kind, message): &(usize, String)| {
                quiet_panics();
                let (plan, _) = payload_plan(*kind, message);
                let payload = panic::catch_unwind(AssertUnwindSafe(plan.job())).unwrap_err();
                subject::panic_message(payload)
            },
            |(kind, message), got| {
                let (plan, kind_name) = payload_plan(*kind, message);
                let expected = plan.expected().unwrap_err();
                expect(
                    got == expected,
                    format!(
                        "for a panic from {kind_name}, panic_message returned {got:?}, not {expected:?}. Try \
                         `payload.downcast::<String>()` first, then `downcast_ref::<&str>()` on what comes back \
                         in its `Err`."
                    ),
                )
            },
        )
        .property(
            "every job gets its result, panics as Err",
            plans(),
            |plans: &Vec<Plan>| run_all_caught(plans.iter().cloned().map(Plan::job).collect()),
            |plans, run| {
                let expected: Vec<Result<u32, String>> = plans.iter().map(Plan::expected).collect();
                expect_eq(results(run)?, expected)
            },
        )
        .case(
            "a panic stops no other job",
            || {
                // Job 0 panics at once; the other `n` wait for each other,
                // which only works if they all run at the same time.
                let n = WAITING_JOBS;
                let started = Arc::new((Mutex::new(0usize), Condvar::new()));
                let mut jobs: Vec<Job> = vec![Box::new(|| panic!("job {} failed", 0))];
                for _ in 0..n {
                    let started = Arc::clone(&started);
                    jobs.push(Box::new(move || {
                        let (count, all_started) = &*started;
                        let mut count = count.lock().unwrap();
                        *count += 1;
                        all_started.notify_all();
                        let patience = Duration::from_millis(300);
                        let (count, _) = all_started.wait_timeout_while(count, patience, |c| *c < n).unwrap();
                        *count as u32
                    }));
                }
                run_all_caught(jobs)
            },
            |run| {
                let n = WAITING_JOBS;
                let got = results(run)?;
                let mut expected = vec![Err("job 0 failed".to_string())];
                expected.extend((0..n).map(|_| Ok(n as u32)));
                let waited: Vec<u32> = got.iter().skip(1).filter_map(|r| r.as_ref().ok().copied()).collect();
                expect(
                    got.len() != expected.len() || waited.len() != n || waited.iter().all(|&seen| seen == n as u32),
                    format!(
                        "{n} jobs waited for each other, but they saw {waited:?} of them started: the jobs ran one \
                         after another. Joining each thread right after spawning it waits for that job to end \
                         before the next one starts; spawn every thread first, then join them all."
                    ),
                )?;
                expect(
                    got == expected,
                    format!(
                        "job 0 panicked and the other {n} jobs waited for each other; the results should be \
                         {expected:?} but were {got:?}. The jobs must all run at the same time (spawn every thread \
                         before joining any), and a panic must not stop the others."
                    ),
                )
            },
        )
        .snapshot("three of five jobs fail", || {
            let plans = [
                Plan::Return(1),
                Plan::PanicLiteral("disk full".to_string()),
                Plan::Return(3),
                Plan::PanicFormatted(format!("job {} failed", 3)),
                Plan::PanicWithoutMessage,
            ];
            match run_all_caught(plans.into_iter().map(Plan::job).collect()) {
                RunAll::Returned(results) => {
                    results.iter().enumerate().map(|(i, r)| format!("job {i}: {r:?}")).collect::<Vec<_>>().join("\n")
                }
                RunAll::Panicked(what) => run_all_panicked(&what),
            }
        })
        .main();
}
