//! Checks of `worker_panic`.
//!
//! The jobs here panic on purpose. The grading kit records every panic and
//! would show the first one (a job's, on purpose) instead of the check's own
//! explanation; `quiet_panics` keeps only the stub's `todo!` panics visible
//! to it. Panics of the code under test are caught and explained here.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, Once};
use std::time::Duration;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

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
#[derive(Clone, Debug)]
enum Plan {
    Return(u32),
    /// `panic!("{message}")`: a `String` payload.
    PanicFormatted(String),
    /// `panic!` with a `&'static str` payload.
    PanicLiteral(&'static str),
    /// `panic_any(7u8)`: no message.
    PanicWithoutMessage,
}

impl Plan {
    fn job(self) -> Job {
        Box::new(move || match self {
            Plan::Return(value) => value,
            Plan::PanicFormatted(message) => panic!("{message}"),
            Plan::PanicLiteral(message) => panic::panic_any(message),
            Plan::PanicWithoutMessage => panic::panic_any(7u8),
        })
    }

    fn expected(&self) -> Result<u32, String> {
        match self {
            Plan::Return(value) => Ok(*value),
            Plan::PanicFormatted(message) => Err(message.clone()),
            Plan::PanicLiteral(message) => Err(message.to_string()),
            Plan::PanicWithoutMessage => Err("a panic without a message".to_string()),
        }
    }
}

fn plans() -> impl Strategy<Value = Vec<Plan>> {
    let plan = prop_oneof![
        3 => (0..1000u32).prop_map(Plan::Return),
        1 => "[a-z ]{0,12}".prop_map(Plan::PanicFormatted),
        1 => prop::sample::select(vec!["disk full", "out of cheese", ""]).prop_map(Plan::PanicLiteral),
        1 => Just(Plan::PanicWithoutMessage),
    ];
    prop::collection::vec(plan, 0..8)
}

/// Calls `run_all`, turning a panic of the call itself into a lesson.
fn run_all_caught(jobs: Vec<Job>) -> Result<Vec<Result<u32, String>>, TestCaseError> {
    quiet_panics();
    panic::catch_unwind(AssertUnwindSafe(|| subject::run_all(jobs))).map_err(|payload| {
        let what = payload_text(&*payload).unwrap_or_else(|| "a panic without a message".to_string());
        if what.starts_with("not yet implemented") {
            panic::resume_unwind(payload);
        }
        TestCaseError::fail(format!(
            "run_all itself panicked ({what}) because one of its jobs panicked. A worker's panic comes back to \
             the spawner through `join`, as `Err(payload)`; an `.unwrap()` or `.expect()` on that result panics \
             the caller too, and takes every other job's result with it. Keep the `Result` instead: \
             `handle.join().map_err(panic_message)`."
        ))
    })
}

fn main() {
    grading_kit::checks!("worker_panic")
        .property("panic_message reads the payload", (0..3usize, "[a-z]{1,12}"), |(kind, message)| {
            quiet_panics();
            let leaked: &'static str = Box::leak(message.clone().into_boxed_str());
            let (plan, kind_name) = match kind {
                0 => (Plan::PanicFormatted(message), "`panic!(\"{x}\")`, whose payload is a `String`"),
                1 => (Plan::PanicLiteral(leaked), "`panic!(\"literal\")`, whose payload is a `&'static str`"),
                _ => (Plan::PanicWithoutMessage, "`panic_any(7u8)`, whose payload is no text at all"),
            };
            let expected = plan.expected().unwrap_err();
            let payload = panic::catch_unwind(AssertUnwindSafe(plan.job())).unwrap_err();
            let got = subject::panic_message(payload);
            expect(
                got == expected,
                format!(
                    "for a panic from {kind_name}, panic_message returned {got:?}, not {expected:?}. Try \
                     `payload.downcast::<String>()` first, then `downcast_ref::<&str>()` on what comes back \
                     in its `Err`."
                ),
            )
        })
        .property("every job gets its result, panics as Err", plans(), |plans| {
            let expected: Vec<Result<u32, String>> = plans.iter().map(Plan::expected).collect();
            let got = run_all_caught(plans.into_iter().map(Plan::job).collect())?;
            expect_eq(got, expected)
        })
        .property_with_cases("a panic stops no other job", 1, Just(3usize), |n| {
            // Job 0 panics at once; the other `n` wait for each other, which
            // only works if they all run at the same time.
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
            let got = run_all_caught(jobs)?;
            let mut expected = vec![Err("job 0 failed".to_string())];
            expected.extend((0..n).map(|_| Ok(n as u32)));
            expect(
                got == expected,
                format!(
                    "job 0 panicked and the other {n} jobs waited for each other; the results should be \
                     {expected:?} but were {got:?}. The jobs must all run at the same time (spawn every thread \
                     before joining any), and a panic must not stop the others."
                ),
            )
        })
        .snapshot("three of five jobs fail", || {
            let plans = [
                Plan::Return(1),
                Plan::PanicLiteral("disk full"),
                Plan::Return(3),
                Plan::PanicFormatted(format!("job {} failed", 3)),
                Plan::PanicWithoutMessage,
            ];
            match run_all_caught(plans.into_iter().map(Plan::job).collect()) {
                Ok(results) => {
                    results.iter().enumerate().map(|(i, r)| format!("job {i}: {r:?}")).collect::<Vec<_>>().join("\n")
                }
                Err(TestCaseError::Fail(lesson)) => lesson.message().to_string(),
                Err(other) => other.to_string(),
            }
        })
        .main();
}
