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

use crate::protocol::{CheckResult, Status};

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

    let mut explored = 0;
    for strategy in [Strategy::Pct, Strategy::Random] {
        let outcome = match strategy {
            Strategy::Pct => attempt(PctScheduler::new_from_seed(SEED, 3, ITERATIONS), scenario),
            Strategy::Random => attempt(RandomScheduler::new_from_seed(SEED, ITERATIONS), scenario),
        };
        match outcome {
            Ok(iterations) => explored += iterations,
            Err(failure) => {
                let found = if explored == 0 {
                    "Found by the first scheduler".to_string()
                } else {
                    format!("Found after {explored} passing interleavings")
                };
                let why = "Ordinary runs may pass a thousand times and still hide this: the operating system \
                           rarely picks this schedule, the explorer did.";
                return failure.report(index, &format!("{found}. {why}"));
            }
        }
    }
    CheckResult {
        status: Status::Pass,
        message: format!("{explored} interleavings explored, none broke the invariant"),
        todo: false,
        speedup: None,
    }
}

/// Runs `scenario` once, in exactly the interleaving `schedule` describes.
#[cfg(feature = "explore")]
pub(crate) fn replay(scenario: &Scenario, index: usize, schedule: &str) -> CheckResult {
    let scheduler = shuttle::scheduler::ReplayScheduler::new_from_encoded(schedule);
    match attempt(scheduler, scenario) {
        Ok(_) => CheckResult {
            status: Status::Pass,
            message: "this schedule ran to the end and every invariant held: the bug it showed is fixed".into(),
            todo: false,
            speedup: None,
        },
        Err(failure) => failure.report(index, "Reproduced: this is the recorded interleaving."),
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
    what: String,
    todo: bool,
    schedule: Option<String>,
    /// Who held and waited for which lock, when threads block each other.
    cycle: Option<String>,
    /// The last lock operations before the failure.
    trace: Vec<String>,
}

#[cfg(feature = "explore")]
fn attempt<S: shuttle::scheduler::Scheduler + 'static>(scheduler: S, scenario: &Scenario) -> Result<usize, Failure> {
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
        Ok(iterations) => Ok(iterations),
        Err(_) => {
            let panic = crate::panics::todo().or_else(crate::panics::first);
            Err(Failure {
                todo: panic.as_ref().is_some_and(|p| p.is_todo()),
                what: panic.map_or_else(|| "the scenario failed".to_string(), |p| p.to_string()),
                schedule,
                cycle: course_sync::ledger::wait_for_cycle(),
                trace: course_sync::ledger::trace(TRACE_LENGTH),
            })
        }
    }
}

#[cfg(feature = "explore")]
impl Failure {
    fn report(self, index: usize, found: &str) -> CheckResult {
        if self.todo {
            return CheckResult {
                status: Status::Fail,
                message: format!("not written yet: {}", self.what),
                todo: true,
                speedup: None,
            };
        }
        let deadlock = self.what.contains("deadlock!");
        let mut message = match (deadlock, &self.cycle) {
            (true, Some(cycle)) => format!(
                "a deadlock: in one interleaving the threads ended up waiting for each other in a cycle:\n{cycle}.\n\
                 Take locks in one global order (the lower-numbered first, say), or never hold one while taking another."
            ),
            (true, None) => format!(
                "a deadlock: in one interleaving every thread ended up waiting, and nobody was left to wake them.\n{}\n\
                 Look for a wait that nobody will signal (a notify before the wait, an `if` where a `while` belongs), \
                 or a join on a thread that waits.",
                // The explorer's own report, without the location of its panic.
                self.what.find("deadlock!").map_or(self.what.as_str(), |at| &self.what[at..])
            ),
            (false, _) => format!("an interleaving broke the invariant:\n{}", self.what),
        };
        if !self.trace.is_empty() {
            message.push_str("\nthe last lock operations before it:\n  ");
            message.push_str(&self.trace.join("\n  "));
        }
        message.push('\n');
        message.push_str(found);
        if let Some(schedule) = self.schedule {
            message.push_str(&format!("\nreplay token: {index}-{schedule}"));
        }
        CheckResult { status: Status::Fail, message, todo: false, speedup: None }
    }
}

/// In an ordinary build there is nothing to explore with.
#[cfg(not(feature = "explore"))]
pub(crate) fn run(_: &Scenario, _: usize) -> CheckResult {
    CheckResult {
        status: Status::Fail,
        message: "schedule exploration runs only in the exploration build: use `cargo xtask check`".into(),
        todo: false,
        speedup: None,
    }
}

#[cfg(not(feature = "explore"))]
pub(crate) fn replay(scenario: &Scenario, index: usize, _: &str) -> CheckResult {
    run(scenario, index)
}
