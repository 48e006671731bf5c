//! The check binary's `main`: list the checks, or play the role the runner
//! asks for in one of them (see [`crate::protocol`]).

use std::fmt::Debug;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use proptest::strategy::Strategy;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::property::{self, Outcome};
use crate::protocol::{self, CheckInfo, CheckKind, CheckResult, Curve, Runs};
use crate::roles::{self, Channel, JudgeHalf, Refusal, SubjectHalf};
use crate::speedup::Speedup;
use crate::{explore, panics, snapshot};

/// Property and snapshot checks of a correct solution finish in well under a
/// second; the limit is there for deadlocks, and stays far below 30 s.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// A speedup check measures up to three rounds of paired runs.
const SPEEDUP_TIMEOUT: Duration = Duration::from_secs(25);
/// Two schedulers explore for at most 4 s each (shuttle), or loom for at
/// most 8 s.
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
    role: Role,
}

enum Role {
    /// Decided in the judge from what the subject's half returned.
    Judged { subject: SubjectHalf, judge: JudgeHalf },
    /// Decided in the subject's own process.
    InSubject {
        run: Box<dyn Fn() -> CheckResult>,
        /// Speedup checks only: the learner's code on 1, 2, … threads.
        curve: Option<Box<dyn Fn() -> Curve>>,
        /// Exploration checks only: one given schedule, replayed.
        replay: Option<Replay>,
    },
}

/// Runs an exploration check on one given schedule.
type Replay = Box<dyn Fn(&str) -> CheckResult>;

impl Checks {
    #[doc(hidden)]
    pub fn new(exercise: &str, snapshot_dir: PathBuf) -> Self {
        Checks { exercise: exercise.to_string(), snapshot_dir, checks: Vec::new() }
    }

    /// A property: for every input `strategy` draws ([`crate::DEFAULT_CASES`]
    /// of them, from a fixed seed), `run` calls the learner's code in the
    /// subject and `judge` decides on its output, in the judge, with the
    /// oracle. A failure is shrunk to a minimal failing input.
    ///
    /// ```no_run
    /// # mod subject { pub fn double(xs: &[u32]) -> Vec<u32> { xs.iter().map(|x| x * 2).collect() } }
    /// use grading_kit::expect_eq;
    /// use proptest::prelude::*;
    ///
    /// grading_kit::checks!()
    ///     .property(
    ///         "doubles every number",
    ///         prop::collection::vec(0..1000u32, 0..20),
    ///         |xs| subject::double(xs),
    ///         |xs, doubled| expect_eq(doubled, xs.iter().map(|x| x * 2).collect()),
    ///     )
    ///     .main();
    /// ```
    pub fn property<S, O>(
        self,
        name: &str,
        strategy: S,
        run: impl Fn(&S::Value) -> O + 'static,
        judge: impl Fn(&S::Value, O) -> Outcome + 'static,
    ) -> Self
    where
        S: Strategy + 'static,
        S::Value: Serialize + DeserializeOwned + Debug,
        O: Serialize + DeserializeOwned + 'static,
    {
        self.property_with_cases(name, property::DEFAULT_CASES, strategy, run, judge)
    }

    /// A property tried on `cases` inputs: fewer for slow ones.
    pub fn property_with_cases<S, O>(
        self,
        name: &str,
        cases: u32,
        strategy: S,
        run: impl Fn(&S::Value) -> O + 'static,
        judge: impl Fn(&S::Value, O) -> Outcome + 'static,
    ) -> Self
    where
        S: Strategy + 'static,
        S::Value: Serialize + DeserializeOwned + Debug,
        O: Serialize + DeserializeOwned + 'static,
    {
        let judge: JudgeHalf = Box::new(move |channel: &Channel| {
            property::run(&strategy, cases, &|input| judge_call(channel, &input, |output| judge(&input, output)))
        });
        self.judged(name, CheckKind::Property, roles::subject_half(run), judge)
    }

    /// One fixed case: `run` calls the learner's code once, in the subject,
    /// and `judge` decides on its output. For a scenario that needs no
    /// random input (threads that must meet, one known file). Its failure is
    /// not called a minimal input: there was nothing to shrink.
    ///
    /// ```no_run
    /// # mod subject { pub fn answer() -> u32 { 42 } }
    /// grading_kit::checks!()
    ///     .case("the answer", || subject::answer(), |answer| grading_kit::expect_eq(answer, 42))
    ///     .main();
    /// ```
    pub fn case<O>(self, name: &str, run: impl Fn() -> O + 'static, judge: impl Fn(O) -> Outcome + 'static) -> Self
    where
        O: Serialize + DeserializeOwned + 'static,
    {
        let judge: JudgeHalf =
            Box::new(move |channel: &Channel| property::run_case(&|| judge_call(channel, &(), &judge)));
        self.judged(name, CheckKind::Property, roles::subject_half(move |&(): &()| run()), judge)
    }

    /// A snapshot: `produce` runs in the subject, and what it returns must be
    /// exactly the stored text (compared in the judge). Use it only on
    /// deterministic output (sorted, on a virtual clock, injected timings).
    pub fn snapshot(self, name: &str, produce: impl Fn() -> String + 'static) -> Self {
        let dir = self.snapshot_dir.clone();
        let snapshot_name = name.replace(' ', "_");
        let judge: JudgeHalf = Box::new(move |channel: &Channel| match channel.call::<(), String>(&()) {
            Ok(output) => snapshot::compare(&dir, &snapshot_name, &output),
            Err(Refusal::Panicked(panic)) => snapshot::panicked(panic),
            // The channel has the verdict.
            Err(Refusal::Stopped) => snapshot::panicked(panics::unrecorded()),
        });
        self.judged(name, CheckKind::Snapshot, roles::subject_half(move |&(): &()| produce()), judge)
    }

    /// TRANSITIONAL: a property decided in the subject, as before the
    /// judge/subject split (`test` calls the learner's code and compares).
    /// Split it into [`Checks::property`]'s two halves.
    pub fn property_in_subject<S>(self, name: &str, strategy: S, test: impl Fn(S::Value) -> Outcome + 'static) -> Self
    where
        S: Strategy + 'static,
        S::Value: Debug,
    {
        self.property_in_subject_with_cases(name, property::DEFAULT_CASES, strategy, test)
    }

    /// TRANSITIONAL: [`Checks::property_in_subject`] on `cases` inputs.
    pub fn property_in_subject_with_cases<S>(
        self,
        name: &str,
        cases: u32,
        strategy: S,
        test: impl Fn(S::Value) -> Outcome + 'static,
    ) -> Self
    where
        S: Strategy + 'static,
        S::Value: Debug,
    {
        self.in_subject(name, CheckKind::Property, DEFAULT_TIMEOUT, move || property::run(&strategy, cases, &test))
    }

    /// TRANSITIONAL: one fixed case decided in the subject. Split it into
    /// [`Checks::case`]'s two halves.
    pub fn case_in_subject(self, name: &str, test: impl Fn() -> Outcome + 'static) -> Self {
        self.in_subject(name, CheckKind::Property, DEFAULT_TIMEOUT, move || property::run_case(&test))
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
        self.add(
            name,
            CheckKind::Explore,
            EXPLORE_TIMEOUT,
            Role::InSubject {
                run: Box::new(move || explore::run(&scenario, index)),
                curve: None,
                replay: Some(Box::new(move |schedule: &str| explore::replay(&for_replay, index, schedule))),
            },
        )
    }

    /// A measured speedup against the trusted sequential reference.
    pub fn speedup<I: Send + Sync + 'static, O: PartialEq + Debug + Send + 'static>(
        self,
        name: &str,
        spec: Speedup<I, O>,
    ) -> Self {
        let spec = Rc::new(spec);
        let for_curve = Rc::clone(&spec);
        self.add(
            name,
            CheckKind::Speedup,
            SPEEDUP_TIMEOUT,
            Role::InSubject {
                run: Box::new(move || spec.run()),
                curve: Some(Box::new(move || for_curve.curve())),
                replay: None,
            },
        )
    }

    fn judged(self, name: &str, kind: CheckKind, subject: SubjectHalf, judge: JudgeHalf) -> Self {
        self.add(name, kind, DEFAULT_TIMEOUT, Role::Judged { subject, judge })
    }

    fn in_subject(
        self,
        name: &str,
        kind: CheckKind,
        timeout: Duration,
        run: impl Fn() -> CheckResult + 'static,
    ) -> Self {
        self.add(name, kind, timeout, Role::InSubject { run: Box::new(run), curve: None, replay: None })
    }

    fn add(mut self, name: &str, kind: CheckKind, timeout: Duration, role: Role) -> Self {
        assert!(self.checks.iter().all(|c| c.info.name != name), "{}: two checks are called {name:?}", self.exercise);
        let runs = match role {
            Role::Judged { .. } => Runs::Judged,
            Role::InSubject { .. } => Runs::InSubject,
        };
        let info = CheckInfo { name: name.to_string(), kind, timeout_ms: timeout.as_millis() as u64, runs };
        self.checks.push(Check { info, role });
        self
    }

    /// Answers the runner: `--list`, `--subject NAME`, `--judge NAME`, or
    /// `--run NAME` / `--curve NAME` / `--replay NAME` with the nonce on
    /// stdin. See [`crate::protocol`].
    pub fn main(self) {
        let args: Vec<String> = std::env::args().skip(1).collect();
        match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["--list"] => {
                let infos: Vec<&CheckInfo> = self.checks.iter().map(|c| &c.info).collect();
                println!("{}", serde_json::to_string(&infos).expect("check infos serialise"));
            }
            ["--subject", name] => self.subject(name),
            ["--judge", name] => self.judge(name),
            ["--run", name] => self.in_subject_mode(name, Mode::Run),
            ["--curve", name] => self.in_subject_mode(name, Mode::Curve),
            ["--replay", name] => self.in_subject_mode(name, Mode::Replay),
            _ => self.refuse(format!(
                "this is the check binary of `{}`; run it through `cargo xtask check {}`",
                self.exercise, self.exercise
            )),
        }
    }

    fn refuse(&self, why: String) -> ! {
        eprintln!("{why}");
        std::process::exit(2);
    }

    fn find(&self, name: &str) -> &Check {
        self.checks
            .iter()
            .find(|c| c.info.name == name)
            .unwrap_or_else(|| self.refuse(format!("{}: no check called {name:?}", self.exercise)))
    }

    /// `--subject NAME`: serve the learner's half until the judge is done.
    fn subject(&self, name: &str) -> ! {
        // Before anything else: what learner code prints must not reach the
        // judge, nor may it read the judge's requests.
        let replies = roles::take_stdout();
        let requests = std::io::BufReader::new(roles::take_stdin());
        let Role::Judged { subject, .. } = &self.find(name).role else {
            self.refuse(format!("{}: `{name}` is not a judged check: run it with --run", self.exercise))
        };
        panics::install_hook();
        let served = roles::serve(subject, requests, std::io::BufWriter::new(replies));
        if let Err(why) = served {
            self.refuse(format!("{}: `{name}`: {why}", self.exercise));
        }
        // Threads the code under test left running must not keep the
        // process alive, nor run destructors after the last reply.
        std::process::exit(0);
    }

    /// `--judge NAME`: draw the inputs, ask the subject, decide.
    fn judge(&self, name: &str) -> ! {
        // The requests go to the subject; nothing else this process prints
        // (insta's summary, say) may.
        let requests = roles::take_stdout();
        let Role::Judged { judge, .. } = &self.find(name).role else {
            self.refuse(format!("{}: `{name}` is not a judged check: run it with --run", self.exercise))
        };
        panics::install_hook();
        let channel = Channel::new(std::io::BufWriter::new(requests), std::io::stdin().lock());
        // Judging drops the channel, which closes the subject's stdin: it
        // exits while the result is written.
        let result = roles::judge(judge, channel);
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr);
        let _ = writeln!(stderr, "{}", protocol::judge_line(&result));
        let _ = stderr.flush();
        std::process::exit(0);
    }

    fn in_subject_mode(&self, name: &str, mode: Mode) -> ! {
        // Read the nonce before any code under test runs: see `protocol`.
        let mut nonce = String::new();
        if std::io::stdin().lock().read_line(&mut nonce).is_err() || nonce.trim().is_empty() {
            self.refuse("no nonce on stdin: run the checks through `cargo xtask check`".to_string());
        }
        let nonce = nonce.trim();
        let Role::InSubject { run, curve, replay } = &self.find(name).role else {
            self.refuse(format!("{}: `{name}` is a judged check: run it with --subject and --judge", self.exercise))
        };
        panics::install_hook();
        let guarded = |run: &dyn Fn() -> CheckResult| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| panics::failed_check())
        };
        let line = match mode {
            Mode::Run => protocol::result_line(nonce, &guarded(&**run)),
            Mode::Curve => {
                let Some(curve) = curve else {
                    self.refuse(format!("{}: `{name}` is not a speedup check, so it has no curve", self.exercise))
                };
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(curve)) {
                    Ok(curve) => protocol::result_line(nonce, &curve),
                    Err(_) => protocol::result_line(nonce, &panics::failed_check()),
                }
            }
            Mode::Replay => {
                // The schedule follows the nonce on stdin.
                let mut schedule = String::new();
                let _ = std::io::stdin().lock().read_line(&mut schedule);
                let Some(replay) = replay else {
                    self.refuse(format!(
                        "{}: `{name}` is not an exploration check, so it has nothing to replay",
                        self.exercise
                    ))
                };
                protocol::result_line(nonce, &guarded(&|| replay(schedule.trim())))
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

/// Asks the subject for one output and judges it; a panic of the learner's
/// half fails the case with that panic.
fn judge_call<I: Serialize, O: DeserializeOwned>(
    channel: &Channel,
    input: &I,
    judge: impl FnOnce(O) -> Outcome,
) -> Outcome {
    match channel.call(input) {
        Ok(output) => judge(output),
        Err(Refusal::Panicked(panic)) => {
            let error = proptest::test_runner::TestCaseError::fail(panic.message.clone());
            property::record(protocol::Failure::Panicked { panic });
            Err(error)
        }
        Err(Refusal::Stopped) => Err(proptest::test_runner::TestCaseError::fail("the check was stopped")),
    }
}

/// What the runner asked of an in-subject check.
#[derive(Clone, Copy)]
enum Mode {
    /// `--run NAME`: the check itself.
    Run,
    /// `--curve NAME`: a speedup check's curve over thread counts.
    Curve,
    /// `--replay NAME`: an exploration check, on one given schedule.
    Replay,
}
