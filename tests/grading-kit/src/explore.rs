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

#[cfg(feature = "explore")]
use crate::protocol::Panic;
use crate::protocol::{CheckResult, Finding, Status};
#[cfg(any(feature = "explore", feature = "loom"))]
use crate::protocol::{Deadlock, Failure as Failed};

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
    // One folder per attempt: shuttle saves the failing schedule in it.
    static ATTEMPTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let attempt = ATTEMPTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("grading-kit-schedules-{}-{attempt}", std::process::id()));
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
        // Shuttle reports a deadlock by panicking with this word; the kit
        // turns it into data here, so that no one downstream reads prose.
        let deadlocked = self.panic.message.contains("deadlock!");
        let (trace, deadlock) = match self.cycle {
            Some(cycle) => (cycle.lines().map(str::to_string).collect(), deadlocked.then_some(Deadlock::Cycle)),
            None => (self.trace, deadlocked.then_some(Deadlock::NobodyToWake)),
        };
        CheckResult {
            status: Status::Fail,
            finding: Finding::Interleaving {
                failure: Failed::Panicked { panic: self.panic },
                replay_token: self.schedule.map(|schedule| format!("{index}-{schedule}")),
                trace,
                deadlock,
            },
        }
    }
}

/// How long loom may explore one scenario. Loom's search is exhaustive
/// within its bound on preemptions; past this budget it stops, and what it
/// did not reach is not judged.
#[cfg(all(feature = "loom", not(feature = "explore")))]
const LOOM_BUDGET: std::time::Duration = std::time::Duration::from_secs(8);

/// Explores `scenario` under loom's model checker: every interleaving with
/// at most three preemptions, and for each load every value the memory
/// model allows it to read. Loom's search is exhaustive and deterministic,
/// so a failure needs no token to be found again: `replay` runs the model
/// once more.
#[cfg(all(feature = "loom", not(feature = "explore")))]
pub(crate) fn run(scenario: &Scenario, _index: usize) -> CheckResult {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.max_duration = Some(LOOM_BUDGET);
    builder.log = false;
    builder.location = false;
    let scenario = Arc::clone(scenario);
    crate::panics::clear();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || builder.check(move || scenario())));
    if outcome.is_ok() {
        return CheckResult { status: Status::Pass, finding: Finding::Passed };
    }
    let panic = crate::panics::cause().unwrap_or_else(crate::panics::unrecorded);
    if panic.is_todo() {
        return CheckResult { status: Status::Fail, finding: Finding::NotStarted { panic } };
    }
    // Loom reports threads that wait for each other forever by panicking
    // with this word; the kit turns it into data here.
    let deadlock = panic.message.contains("deadlock").then_some(Deadlock::NobodyToWake);
    CheckResult {
        status: Status::Fail,
        finding: Finding::Interleaving {
            failure: Failed::Panicked { panic },
            replay_token: None,
            trace: Vec::new(),
            deadlock,
        },
    }
}

#[cfg(all(feature = "loom", not(feature = "explore")))]
pub(crate) fn replay(scenario: &Scenario, index: usize, _: &str) -> CheckResult {
    run(scenario, index)
}

/// In an ordinary build there is nothing to explore with.
#[cfg(not(any(feature = "explore", feature = "loom")))]
pub(crate) fn run(_: &Scenario, _: usize) -> CheckResult {
    let why = "schedule exploration runs only in the exploration build: use `cargo xtask check`".to_string();
    CheckResult { status: Status::Fail, finding: Finding::Failed { failure: crate::protocol::Failure::GaveUp { why } } }
}

#[cfg(not(any(feature = "explore", feature = "loom")))]
pub(crate) fn replay(scenario: &Scenario, index: usize, _: &str) -> CheckResult {
    run(scenario, index)
}

#[cfg(all(test, feature = "explore"))]
mod tests {
    use course_sync::{Arc, Mutex, thread};

    use super::*;
    use crate::protocol::Failure;

    /// Two threads add one each, reading and writing under separate locks:
    /// one interleaving loses an update.
    fn lost_update() {
        let total = Arc::new(Mutex::new(0));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let total = Arc::clone(&total);
                thread::spawn(move || {
                    let seen = *total.lock().unwrap();
                    *total.lock().unwrap() = seen + 1;
                })
            })
            .collect();
        handles.into_iter().for_each(|h| h.join().unwrap());
        assert_eq!(*total.lock().unwrap(), 2, "an update was lost");
    }

    /// Two threads take two locks in opposite orders.
    fn opposite_lock_orders() {
        let (a, b) = (Arc::new(Mutex::new(())), Arc::new(Mutex::new(())));
        let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
        let other = thread::spawn(move || {
            let _b = b2.lock().unwrap();
            let _a = a2.lock().unwrap();
        });
        {
            let _a = a.lock().unwrap();
            let _b = b.lock().unwrap();
        }
        other.join().unwrap();
    }

    #[test]
    fn a_broken_invariant_is_an_interleaving_with_a_token_that_replays_it() {
        let _serial = crate::panics::serial();
        crate::panics::install_hook();
        let scenario: Scenario = Arc::new(lost_update);
        let result = run(&scenario, 2);
        assert_eq!(result.status, Status::Fail);
        let Finding::Interleaving { failure: Failure::Panicked { panic }, replay_token: Some(token), .. } =
            result.finding
        else {
            panic!("{result:?}")
        };
        assert!(panic.message.contains("an update was lost"), "{panic:?}");
        let schedule = token.strip_prefix("2-").expect("the token names the check's index");
        assert_eq!(replay(&scenario, 2, schedule).status, Status::Fail);
    }

    #[test]
    fn a_deadlock_is_reported_with_its_cycle() {
        let _serial = crate::panics::serial();
        crate::panics::install_hook();
        let result = run(&(Arc::new(opposite_lock_orders) as Scenario), 0);
        let Finding::Interleaving { failure: Failure::Panicked { panic }, trace, deadlock, .. } = result.finding else {
            panic!("{result:?}")
        };
        assert!(panic.message.contains("deadlock"), "{panic:?}");
        assert!(!trace.is_empty());
        assert_eq!(deadlock, Some(Deadlock::Cycle));
    }
}

#[cfg(all(test, feature = "loom", not(feature = "explore")))]
mod loom_tests {
    use course_sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use course_sync::{Arc, thread};

    use super::*;
    use crate::protocol::Failure;

    /// A value published behind a flag, with the flag's store and load at
    /// `ordering`: the reader asserts that the flag brings the value.
    fn publication(ordering: (Ordering, Ordering)) -> Scenario {
        std::sync::Arc::new(move || {
            let (data, ready) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
            let writer = thread::spawn({
                let (data, ready) = (Arc::clone(&data), Arc::clone(&ready));
                move || {
                    data.store(42, Ordering::Relaxed);
                    ready.store(true, ordering.0);
                }
            });
            if ready.load(ordering.1) {
                assert_eq!(data.load(Ordering::Relaxed), 42, "the flag came without the value");
            }
            writer.join().unwrap();
        })
    }

    #[test]
    fn loom_catches_a_relaxed_publication_that_a_sequentially_consistent_explorer_cannot() {
        let _serial = crate::panics::serial();
        crate::panics::install_hook();
        let result = run(&publication((Ordering::Relaxed, Ordering::Relaxed)), 0);
        let Finding::Interleaving { failure: Failure::Panicked { panic }, .. } = result.finding else {
            panic!("{result:?}")
        };
        assert!(panic.message.contains("the flag came without the value"), "{panic:?}");
        assert_eq!(run(&publication((Ordering::Release, Ordering::Acquire)), 0).status, Status::Pass);
    }
}
