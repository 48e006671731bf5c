//! Schedule exploration: run a scenario under many interleavings.
//!
//! In the exploration build (feature `explore`), `course_sync` hands learner
//! code shuttle's threads, locks, condition variables and atomics, and
//! shuttle's scheduler decides which thread runs at every synchronisation
//! point. A PCT scheduler (which finds bugs needing few preemptions with high
//! probability) and a random one each try a bounded number of schedules in a
//! bounded time. A failing schedule is saved as a *replay token*, from which
//! `cargo xtask replay` runs exactly that interleaving again.
//!
//! In an ordinary build an exploration check cannot run (the types are
//! std's, and the OS picks the schedule); the runner runs it from the
//! exploration build only.

use std::sync::Arc;

use crate::protocol::{CheckResult, Finding, Status};
#[cfg(feature = "explore")]
use crate::protocol::{Failure as Failed, Panic};

/// A scenario: code that drives the learner's code from a few threads and
/// panics (`assert!`) when an invariant breaks.
pub(crate) type Scenario = Arc<dyn Fn() + Send + Sync + 'static>;

/// How many schedules each scheduler tries, at most.
#[cfg(feature = "explore")]
const ITERATIONS: usize = 2_000;
/// How long each scheduler may explore.
#[cfg(feature = "explore")]
const TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(4);
/// Lock operations shown before a failure.
#[cfg(feature = "explore")]
const TRACE_LENGTH: usize = 12;
/// The seed of both schedulers: exploration is as repeatable as the code
/// under test allows.
#[cfg(feature = "explore")]
const SEED: u64 = 0x5EED_C0DE;

/// Explores `scenario`; `index` names the check in replay tokens.
#[cfg(feature = "explore")]
pub(crate) fn run(scenario: &Scenario, index: usize) -> CheckResult {
    use shuttle::scheduler::{PctScheduler, RandomScheduler};

    for strategy in [Strategy::Pct, Strategy::Random] {
        let outcome = match strategy {
            Strategy::Pct => attempt(PctScheduler::new_from_seed(SEED, 3, ITERATIONS), scenario),
            Strategy::Random => attempt(RandomScheduler::new_from_seed(SEED, ITERATIONS), scenario),
        };
        if let Some(failure) = outcome {
            return failure.report(index);
        }
    }
    CheckResult { status: Status::Pass, finding: Finding::Passed }
}

/// Runs `scenario` once, in exactly the interleaving `schedule` describes.
#[cfg(feature = "explore")]
pub(crate) fn replay(scenario: &Scenario, index: usize, schedule: &str) -> CheckResult {
    let scheduler = shuttle::scheduler::ReplayScheduler::new_from_encoded(schedule);
    match attempt(scheduler, scenario) {
        None => CheckResult { status: Status::Pass, finding: Finding::Passed },
        Some(failure) => failure.report(index),
    }
}

#[cfg(feature = "explore")]
#[derive(Clone, Copy)]
enum Strategy {
    Pct,
    Random,
}

/// A schedule that broke the scenario.
#[cfg(feature = "explore")]
struct Failure {
    /// The first panic: the broken invariant, or shuttle's deadlock report.
    panic: Panic,
    schedule: Option<String>,
    /// Who held and waited for which lock, when threads block each other.
    cycle: Option<String>,
    /// The last lock operations before the failure.
    trace: Vec<String>,
}

/// Runs `scenario` under `scheduler`: the schedule that broke it, if any.
#[cfg(feature = "explore")]
fn attempt<S: shuttle::scheduler::Scheduler + 'static>(scheduler: S, scenario: &Scenario) -> Option<Failure> {
    let dir = std::env::temp_dir().join(format!("grading-kit-schedules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let mut config = shuttle::Config::new();
    config.failure_persistence = shuttle::FailurePersistence::File(Some(dir.clone()));
    config.max_time = Some(TIME_BUDGET);
    config.max_steps = shuttle::MaxSteps::FailAfter(200_000);
    config.silence_warnings = true;
    let runner = shuttle::Runner::new(scheduler, config);
    let scenario = Arc::clone(scenario);
    crate::panics::clear();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        runner.run(move || {
            course_sync::ledger::reset();
            scenario()
        })
    }));
    let schedule = std::fs::read_dir(&dir)
        .ok()
        .and_then(|mut files| files.next())
        .and_then(|file| std::fs::read_to_string(file.ok()?.path()).ok())
        .map(|text| text.trim().to_string());
    let _ = std::fs::remove_dir_all(&dir);
    match outcome {
        Ok(_) => None,
        Err(_) => Some(Failure {
            panic: crate::panics::cause().unwrap_or_else(crate::panics::unrecorded),
            schedule,
            cycle: course_sync::ledger::wait_for_cycle(),
            trace: course_sync::ledger::trace(TRACE_LENGTH),
        }),
    }
}

#[cfg(feature = "explore")]
impl Failure {
    /// The typed finding. The trace is the wait-for cycle when threads ended
    /// up waiting for each other, else the last lock operations; shuttle's
    /// own deadlock report is the panic's message.
    fn report(self, index: usize) -> CheckResult {
        if self.panic.is_todo() {
            return CheckResult { status: Status::Fail, finding: Finding::NotStarted { panic: self.panic } };
        }
        let trace = match self.cycle {
            Some(cycle) => cycle.lines().map(str::to_string).collect(),
            None => self.trace,
        };
        CheckResult {
            status: Status::Fail,
            finding: Finding::Interleaving {
                failure: Failed::Panicked { panic: self.panic },
                replay_token: self.schedule.map(|schedule| format!("{index}-{schedule}")),
                trace,
            },
        }
    }
}

/// In an ordinary build there is nothing to explore with.
#[cfg(not(feature = "explore"))]
pub(crate) fn run(_: &Scenario, _: usize) -> CheckResult {
    let why = "schedule exploration runs only in the exploration build: use `cargo xtask check`".to_string();
    CheckResult { status: Status::Fail, finding: Finding::Failed { failure: crate::protocol::Failure::GaveUp { why } } }
}

#[cfg(not(feature = "explore"))]
pub(crate) fn replay(scenario: &Scenario, index: usize, _: &str) -> CheckResult {
    run(scenario, index)
}
