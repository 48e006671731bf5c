//! The verdicts of a run, as a model: per check its kind, its status, and
//! what was found (the kit's typed [`Finding`], or what the runner saw).
//! Renderers turn it into words (`words`: plain lines with a tone each;
//! `human`: the learner's screen) or a JSON document (`json`). `grade`,
//! `watch`, `list`, `curve` and `verify` read this model; nothing parses a
//! message back.

pub mod human;
mod words;

use serde::Serialize;

use grading_kit::protocol::{CheckInfo, CheckKind, Finding, SpeedupFigures, SpeedupVerdict, Status};

use crate::catalogue::Exercise;
use crate::runner::Ran;
use crate::sandbox::Protection;

/// Where an exercise stands: one vocabulary for `check`, `list`, `watch`,
/// `grade` and the JSON alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Pass,
    Fail,
    Inconclusive,
    /// Every check stopped at a `todo!()` of the stub: a fail, in words that
    /// say where to begin.
    NotStarted,
}

impl State {
    /// The state in words, as people read it.
    pub fn words(self) -> &'static str {
        match self {
            State::Pass => "pass",
            State::Fail => "fail",
            State::Inconclusive => "inconclusive",
            State::NotStarted => "not started",
        }
    }

    /// The verdict behind the state: not started is a fail.
    pub fn status(self) -> Status {
        match self {
            State::Pass => Status::Pass,
            State::Fail | State::NotStarted => Status::Fail,
            State::Inconclusive => Status::Inconclusive,
        }
    }
}

/// The verdicts of one `check` run.
pub struct Report {
    pub exercises: Vec<ExerciseReport>,
    /// The first exercise, in course order, that does not pass yet.
    pub next: Option<String>,
    /// What protected the grader while the checks ran.
    pub protections: Vec<Protection>,
}

pub struct ExerciseReport {
    pub name: String,
    pub level: u32,
    pub state: State,
    pub checks: Vec<CheckReport>,
}

pub struct CheckReport {
    pub name: String,
    pub kind: CheckKind,
    pub status: Status,
    pub outcome: Outcome,
}

/// What was found about one check.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Outcome {
    /// The check gave its verdict, with its evidence.
    Reported { finding: Finding },
    /// The watchdog stopped it; `threads` says what was still alive.
    TimedOut { limit_s: f64, threads: Vec<Thread> },
    /// It ended without a verdict: a crash, an abort, or an early `exit`.
    Vanished { exit: String, output: String },
    /// Not run: an earlier check of the same exercise hung.
    NotRun { hung: String },
    /// Not run: every check run before it hit the stub's `todo!()`, so the
    /// exercise is not started (an exploration check, whose build of its
    /// own would only find the same `todo!()`).
    NotStartedYet,
    /// The exercise did not compile (or not in time).
    BuildError { error: String, location: Option<String> },
    /// Not graded: the submission was rejected or did not have the exercise.
    Refused { why: String },
}

/// A thread still alive when the watchdog fired.
#[derive(Clone, Debug, Serialize)]
pub struct Thread {
    pub name: String,
    pub blocked: bool,
}

impl ExerciseReport {
    pub fn new(exercise: &Exercise, checks: Vec<CheckReport>) -> Self {
        let state = if !checks.is_empty() && checks.iter().all(CheckReport::todo) {
            State::NotStarted
        } else if checks.is_empty() || checks.iter().any(|c| c.status == Status::Fail) {
            State::Fail
        } else if checks.iter().any(|c| c.status == Status::Inconclusive) {
            State::Inconclusive
        } else {
            State::Pass
        };
        ExerciseReport { name: exercise.name.clone(), level: exercise.level, state, checks }
    }

    pub fn status(&self) -> Status {
        self.state.status()
    }

    /// The speedup measured, for exercises with a speedup check.
    pub fn speedup(&self) -> Option<f64> {
        self.checks.iter().find_map(|c| c.figures().map(|f| f.speedup))
    }
}

impl CheckReport {
    /// The exercise did not compile: one failed check that says where.
    pub fn broken_build(error: &str, location: Option<String>) -> Self {
        CheckReport {
            name: "compiles".to_string(),
            kind: CheckKind::Build,
            status: Status::Fail,
            outcome: Outcome::BuildError { error: error.trim_end().to_string(), location },
        }
    }

    /// A check of an exercise that was not graded, and why.
    pub fn refused(info: &CheckInfo, why: &str) -> Self {
        CheckReport {
            name: info.name.clone(),
            kind: info.kind,
            status: Status::Fail,
            outcome: Outcome::Refused { why: why.to_string() },
        }
    }

    /// A check skipped because an earlier one of the same exercise hung.
    pub fn not_run(info: &CheckInfo, hung: &str) -> Self {
        CheckReport {
            name: info.name.clone(),
            kind: info.kind,
            status: Status::Fail,
            outcome: Outcome::NotRun { hung: hung.to_string() },
        }
    }

    /// An exploration check of an exercise not started: see
    /// [`Outcome::NotStartedYet`].
    pub fn not_started_yet(info: &CheckInfo) -> Self {
        CheckReport { name: info.name.clone(), kind: info.kind, status: Status::Fail, outcome: Outcome::NotStartedYet }
    }

    pub fn from_ran(info: &CheckInfo, ran: Ran) -> Self {
        let (status, outcome) = match ran {
            Ran::Reported(result) => (result.status, Outcome::Reported { finding: result.finding }),
            Ran::TimedOut { limit, threads } => (
                Status::Fail,
                Outcome::TimedOut {
                    limit_s: limit.as_secs_f64(),
                    threads: threads.into_iter().map(|t| Thread { name: t.name, blocked: t.blocked }).collect(),
                },
            ),
            Ran::Vanished { status, output } => (Status::Fail, Outcome::Vanished { exit: status, output }),
        };
        CheckReport { name: info.name.clone(), kind: info.kind, status, outcome }
    }

    pub fn finding(&self) -> Option<&Finding> {
        match &self.outcome {
            Outcome::Reported { finding } => Some(finding),
            _ => None,
        }
    }

    /// The code under test hit a `todo!()` of the stub.
    pub fn todo(&self) -> bool {
        matches!(self.finding(), Some(Finding::NotStarted { .. })) || matches!(self.outcome, Outcome::NotStartedYet)
    }

    pub fn timed_out(&self) -> bool {
        matches!(self.outcome, Outcome::TimedOut { .. })
    }

    /// The figures of a speedup that was measured: not of a wrong output,
    /// nor of a machine with one core, where nothing is timed.
    pub fn figures(&self) -> Option<&SpeedupFigures> {
        match self.finding() {
            Some(Finding::Speedup { figures, verdict })
                if !matches!(verdict, SpeedupVerdict::WrongOutput { .. }) && figures.subject_ms > 0.0 =>
            {
                Some(figures)
            }
            _ => None,
        }
    }

    /// What the check found, in plain words (the JSON's `message`; what
    /// `verify` matches a fixture's `says` against).
    pub fn message(&self, exercise: &str) -> String {
        words::plain(&words::describe(self, exercise))
    }
}

impl Report {
    pub fn new(exercises: Vec<ExerciseReport>, catalogue_order: &[Exercise], protections: Vec<Protection>) -> Self {
        let next = catalogue_order
            .iter()
            .find(|e| exercises.iter().any(|r| r.name == e.name && r.state != State::Pass))
            .map(|e| e.name.clone());
        Report { exercises, next, protections }
    }

    /// Exercises that pass, of those checked.
    pub fn passed(&self) -> usize {
        self.exercises.iter().filter(|e| e.state == State::Pass).count()
    }

    /// The document of `check --format json`.
    pub fn json(&self) -> String {
        let exercises: Vec<JsonExercise<'_>> = self
            .exercises
            .iter()
            .map(|e| JsonExercise {
                name: &e.name,
                level: e.level,
                status: e.status(),
                state: e.state,
                checks: e
                    .checks
                    .iter()
                    .map(|c| JsonCheck {
                        name: &c.name,
                        kind: c.kind,
                        status: c.status,
                        message: c.message(&e.name),
                        todo: c.todo(),
                        timed_out: c.timed_out(),
                        figures: c.figures(),
                        outcome: &c.outcome,
                    })
                    .collect(),
            })
            .collect();
        let document = JsonReport {
            exercises,
            passed: self.passed(),
            total: self.exercises.len(),
            next: self.next.as_deref(),
            protections: &self.protections,
        };
        serde_json::to_string_pretty(&document).expect("reports serialise")
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    exercises: Vec<JsonExercise<'a>>,
    passed: usize,
    total: usize,
    next: Option<&'a str>,
    protections: &'a [Protection],
}

#[derive(Serialize)]
struct JsonExercise<'a> {
    name: &'a str,
    level: u32,
    /// The verdict: `pass`, `fail` or `inconclusive`.
    status: Status,
    /// The same in the vocabulary people read, `not_started` included.
    state: State,
    checks: Vec<JsonCheck<'a>>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    name: &'a str,
    kind: CheckKind,
    status: Status,
    message: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    todo: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    timed_out: bool,
    /// A speedup's figures at the top level, as before the typed findings.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    figures: Option<&'a SpeedupFigures>,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

#[cfg(test)]
mod tests {
    use grading_kit::protocol::{CheckResult, Panic, Runs};

    use super::*;

    fn info(name: &str) -> CheckInfo {
        CheckInfo { name: name.into(), kind: CheckKind::Property, timeout_ms: 1000, runs: Runs::Judged }
    }

    fn exercise() -> Exercise {
        toml::from_str("name = \"spawn_and_join\"\nlevel = 1\nhints = []\n").expect("a minimal exercise")
    }

    #[test]
    fn a_stub_is_not_started_and_a_stub_beside_a_failure_is_a_fail() {
        let todo = || {
            let panic = Panic { message: "not yet implemented".into(), location: None, thread: "main".into() };
            CheckReport::from_ran(
                &info("a"),
                Ran::Reported(CheckResult { status: Status::Fail, finding: Finding::NotStarted { panic } }),
            )
        };
        let stub = ExerciseReport::new(&exercise(), vec![todo(), todo()]);
        assert_eq!((stub.state, stub.status()), (State::NotStarted, Status::Fail));
        let mixed = ExerciseReport::new(&exercise(), vec![todo(), CheckReport::not_run(&info("b"), "a")]);
        assert_eq!(mixed.state, State::Fail);
    }

    #[test]
    fn the_json_keeps_its_shape_and_adds_the_typed_outcome() {
        let check = CheckReport::refused(&info("sums"), "not submitted");
        let report = Report::new(vec![ExerciseReport::new(&exercise(), vec![check])], &[exercise()], Vec::new());
        let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
        let check = &json["exercises"][0]["checks"][0];
        assert_eq!(json["exercises"][0]["status"], "fail");
        assert_eq!(
            (&check["name"], &check["kind"], &check["status"]),
            (&"sums".into(), &"property".into(), &"fail".into())
        );
        assert_eq!(
            (&check["outcome"], &check["why"], &check["message"]),
            (&"refused".into(), &"not submitted".into(), &"not submitted".into())
        );
        assert_eq!(json["next"], "spawn_and_join");
    }
}
