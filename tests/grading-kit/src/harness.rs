//! The check binary's `main`: list the checks, or run the one asked for.

use std::fmt::Debug;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use proptest::strategy::Strategy;
use proptest::test_runner::TestCaseError;

use crate::protocol::{self, CheckInfo, CheckKind, CheckResult, Curve};
use crate::speedup::Speedup;
use crate::{explore, panics, property, snapshot};

/// Property and snapshot checks of a correct solution finish in well under a
/// second; the limit is there for deadlocks, and stays far below 30 s.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// A speedup check measures up to three rounds of paired runs.
const SPEEDUP_TIMEOUT: Duration = Duration::from_secs(25);
/// Two schedulers explore for at most 4 s each.
const EXPLORE_TIMEOUT: Duration = Duration::from_secs(20);

/// The checks of one exercise. Build it with [`crate::checks!`], add checks,
/// and end `main` with [`Checks::main`].
pub struct Checks {
    exercise: String,
    snapshot_dir: PathBuf,
    checks: Vec<Check>,
}

struct Check {
    info: CheckInfo,
    run: Box<dyn Fn() -> CheckResult>,
    /// Speedup checks only: the learner's code on 1, 2, … threads.
    curve: Option<Box<dyn Fn() -> Curve>>,
    /// Exploration checks only: one given schedule, replayed.
    replay: Option<Replay>,
}

/// Runs an exploration check on one given schedule.
type Replay = Box<dyn Fn(&str) -> CheckResult>;

impl Checks {
    #[doc(hidden)]
    pub fn new(exercise: &str, snapshot_dir: PathBuf) -> Self {
        Checks { exercise: exercise.to_string(), snapshot_dir, checks: Vec::new() }
    }

    /// A property: `test` must hold for every input `strategy` draws
    /// ([`crate::DEFAULT_CASES`] of them, from a fixed seed).
    pub fn property<S>(
        self,
        name: &str,
        strategy: S,
        test: impl Fn(S::Value) -> Result<(), TestCaseError> + 'static,
    ) -> Self
    where
        S: Strategy + 'static,
        S::Value: Debug,
    {
        self.property_with_cases(name, property::DEFAULT_CASES, strategy, test)
    }

    /// A property tried on `cases` inputs: fewer for slow ones.
    pub fn property_with_cases<S>(
        self,
        name: &str,
        cases: u32,
        strategy: S,
        test: impl Fn(S::Value) -> Result<(), TestCaseError> + 'static,
    ) -> Self
    where
        S: Strategy + 'static,
        S::Value: Debug,
    {
        self.add(name, CheckKind::Property, DEFAULT_TIMEOUT, move || property::run(&strategy, cases, &test))
    }

    /// A snapshot: `produce` must return exactly the stored text. Use it only
    /// on deterministic output (sorted, on a virtual clock, injected timings).
    pub fn snapshot(self, name: &str, produce: impl Fn() -> String + 'static) -> Self {
        let dir = self.snapshot_dir.clone();
        let snapshot_name = name.replace(' ', "_");
        self.add(name, CheckKind::Snapshot, DEFAULT_TIMEOUT, move || snapshot::run(&dir, &snapshot_name, &produce))
    }

    /// A schedule-exploration check: `scenario` drives the learner's code from
    /// a few `course_sync` threads and asserts its invariants; in the
    /// exploration build it runs under thousands of interleavings, and a
    /// failing one is reported with a replay token.
    ///
    /// Keep scenarios small (two or three threads, a few operations each):
    /// the explorer is thorough where the state space is small.
    pub fn explore(self, name: &str, scenario: impl Fn() + Send + Sync + 'static) -> Self {
        let index = self.checks.iter().filter(|c| c.info.kind == CheckKind::Explore).count();
        let scenario: explore::Scenario = Arc::new(scenario);
        let for_replay = Arc::clone(&scenario);
        let mut checks = self.add(name, CheckKind::Explore, EXPLORE_TIMEOUT, move || explore::run(&scenario, index));
        checks.checks.last_mut().expect("just added").replay =
            Some(Box::new(move |schedule: &str| explore::replay(&for_replay, index, schedule)));
        checks
    }

    /// A measured speedup against the trusted sequential reference.
    pub fn speedup<I: Send + Sync + 'static, O: PartialEq + Debug + Send + 'static>(
        self,
        name: &str,
        spec: Speedup<I, O>,
    ) -> Self {
        let spec = Rc::new(spec);
        let for_curve = Rc::clone(&spec);
        let mut checks = self.add(name, CheckKind::Speedup, SPEEDUP_TIMEOUT, move || spec.run());
        checks.checks.last_mut().expect("just added").curve = Some(Box::new(move || for_curve.curve()));
        checks
    }

    fn add(mut self, name: &str, kind: CheckKind, timeout: Duration, run: impl Fn() -> CheckResult + 'static) -> Self {
        assert!(self.checks.iter().all(|c| c.info.name != name), "{}: two checks are called {name:?}", self.exercise);
        let info = CheckInfo { name: name.to_string(), kind, timeout_ms: timeout.as_millis() as u64 };
        self.checks.push(Check { info, run: Box::new(run), curve: None, replay: None });
        self
    }

    /// Answers the runner: `--list`, or `--run NAME` / `--curve NAME` with the
    /// nonce on stdin.
    pub fn main(self) {
        let args: Vec<String> = std::env::args().skip(1).collect();
        match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["--list"] => {
                let infos: Vec<&CheckInfo> = self.checks.iter().map(|c| &c.info).collect();
                println!("{}", serde_json::to_string(&infos).expect("check infos serialise"));
            }
            ["--run", name] => self.run_one(name, Mode::Run),
            ["--curve", name] => self.run_one(name, Mode::Curve),
            ["--replay", name] => self.run_one(name, Mode::Replay),
            _ => {
                eprintln!(
                    "this is the check binary of `{}`; run it through `cargo xtask check {}`",
                    self.exercise, self.exercise
                );
                std::process::exit(2);
            }
        }
    }

    fn run_one(self, name: &str, mode: Mode) {
        // Read the nonce before any code under test runs: see `protocol`.
        let mut nonce = String::new();
        if std::io::stdin().lock().read_line(&mut nonce).is_err() || nonce.trim().is_empty() {
            eprintln!("no nonce on stdin: run the checks through `cargo xtask check`");
            std::process::exit(2);
        }
        let Some(check) = self.checks.iter().find(|c| c.info.name == name) else {
            eprintln!("{}: no check called {name:?}", self.exercise);
            std::process::exit(2);
        };
        panics::install_hook();
        let guarded = |run: &dyn Fn() -> CheckResult| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| panics::failed_check())
        };
        let line = match mode {
            Mode::Run => protocol::result_line(nonce.trim(), &guarded(&*check.run)),
            Mode::Curve => {
                let Some(curve) = &check.curve else {
                    eprintln!("{}: `{name}` is not a speedup check, so it has no curve", self.exercise);
                    std::process::exit(2);
                };
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(curve)) {
                    Ok(curve) => protocol::result_line(nonce.trim(), &curve),
                    Err(_) => protocol::result_line(nonce.trim(), &panics::failed_check()),
                }
            }
            Mode::Replay => {
                // The schedule follows the nonce on stdin.
                let mut schedule = String::new();
                let _ = std::io::stdin().lock().read_line(&mut schedule);
                let Some(replay) = &check.replay else {
                    eprintln!("{}: `{name}` is not an exploration check, so it has nothing to replay", self.exercise);
                    std::process::exit(2);
                };
                protocol::result_line(nonce.trim(), &guarded(&|| replay(schedule.trim())))
            }
        };
        let mut stdout = std::io::stdout().lock();
        // A learner's print without a newline must not swallow the marker.
        let _ = writeln!(stdout);
        let _ = writeln!(stdout, "{line}");
        let _ = stdout.flush();
        // Threads the code under test left running must not keep the
        // process alive, nor run destructors after the verdict.
        std::process::exit(0);
    }
}

/// What the runner asked a check binary to do.
#[derive(Clone, Copy)]
enum Mode {
    /// `--run NAME`: the check itself.
    Run,
    /// `--curve NAME`: a speedup check's curve over thread counts.
    Curve,
    /// `--replay NAME`: an exploration check, on one given schedule.
    Replay,
}
