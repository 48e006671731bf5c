//! What the runner, a judge and a subject say to each other: the typed
//! interface between the grading kit and the xtask.
//!
//! A check crate is built twice: against the learner's crate (the *subject*
//! binary) and against the reference solution (the *judge* binary, which never
//! runs learner code). A check binary answers these requests:
//!
//! - `--list`: one JSON array of [`CheckInfo`] on stdout.
//! - `--subject NAME` (subject binary, a [`Runs::Judged`] check): it serves
//!   [`Request`]s, one JSON line each on stdin, and answers each with one
//!   [`Reply`] JSON line on the stdout it had when it started. Before any
//!   learner code runs, its stdout is pointed at its stderr, so that what
//!   learner code prints never reaches the judge. It stops at end of input.
//! - `--judge NAME` (judge binary, a [`Runs::Judged`] check): its stdout is
//!   the subject's stdin and its stdin the subject's stdout. It draws the
//!   inputs, asks the subject to run the learner's half of the check on each,
//!   and decides the verdict from the outputs. Its result is the last line of
//!   its stderr: `RESULT_MARKER JSON`, a [`CheckResult`]. Only the runner reads
//!   that pipe, and no learner code runs in that process, so no nonce is
//!   needed.
//! - `--run NAME` (subject binary, a [`Runs::InSubject`] check: speedup and
//!   schedule exploration, which must observe the learner's code from inside
//!   its process): it first reads one line from stdin, the *nonce*, then runs
//!   the check and prints one line `RESULT_MARKER NONCE JSON`.
//! - `--curve NAME` (speedup checks only) and `--replay NAME` (exploration
//!   checks only, the schedule on the line after the nonce): the same framing
//!   as `--run`, around a [`Curve`] or a [`CheckResult`].
//!
//! What a learner would need to forge each kind of verdict is written down in
//! ARCHITECTURE.md ("The trust boundary").

use serde::{Deserialize, Serialize};

/// The prefix of the one line that carries a check's result.
pub const RESULT_MARKER: &str = "GRADING-KIT-RESULT";

/// What kind of evidence a check collects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// Inputs compared against a sequential oracle (proptest), or one fixed
    /// case.
    Property,
    /// Deterministic output compared against a stored snapshot (insta).
    Snapshot,
    /// Measured speed against the trusted sequential reference.
    Speedup,
    /// A scenario run under many interleavings picked by a schedule explorer
    /// (shuttle), in the exploration build.
    Explore,
    /// The crate did not compile: reported by the runner, never by a binary.
    Build,
}

impl CheckKind {
    /// The kind's name, as in the JSON and in what the learner reads.
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::Property => "property",
            CheckKind::Snapshot => "snapshot",
            CheckKind::Speedup => "speedup",
            CheckKind::Explore => "explore",
            CheckKind::Build => "build",
        }
    }
}

/// Where a check's verdict is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Runs {
    /// In the judge, from the outputs the subject returned: properties,
    /// fixed cases and snapshots.
    Judged,
    /// In the subject's own process: speedup and exploration checks, which
    /// observe the learner's code from inside.
    InSubject,
}

/// One check, as listed by `--list`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckInfo {
    pub name: String,
    pub kind: CheckKind,
    /// The watchdog's limit for this check, in milliseconds.
    pub timeout_ms: u64,
    pub runs: Runs,
}

/// The verdict of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// The evidence was too weak to say (one core, a machine too busy to
    /// measure). Never counted as a pass nor as a fail.
    Inconclusive,
}

/// What a check found: its status and the evidence behind it, as data. Words
/// for people are made where they are shown (the xtask's `report`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub status: Status,
    pub finding: Finding,
}

/// The evidence behind a verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "finding")]
pub enum Finding {
    /// Nothing to say: the check passed.
    Passed,
    /// The code under test reached a `todo!()`: the exercise is not started.
    NotStarted { panic: Panic },
    /// A property or a fixed case failed on `input`.
    Counterexample {
        /// The input, rendered with `{:#?}` and cut to one screen; empty for
        /// a fixed case, which has no input of its own.
        input: String,
        /// True when proptest shrank it to a minimal failing input; false for
        /// a fixed case.
        shrunk: bool,
        failure: Failure,
    },
    /// The output differs from the stored snapshot `snapshot`.
    SnapshotMismatch { snapshot: String, expected: String, actual: String },
    /// A speedup check's measurement and verdict.
    Speedup { figures: SpeedupFigures, verdict: SpeedupVerdict },
    /// A schedule-exploration check found an interleaving that breaks the
    /// scenario.
    Interleaving {
        failure: Failure,
        /// What `cargo xtask replay` takes to run exactly that schedule again.
        replay_token: Option<String>,
        /// The last lock operations before the failure, or the wait-for
        /// cycle of a deadlock, one line each.
        trace: Vec<String>,
        /// Whether the interleaving ended in a deadlock, and which kind.
        #[serde(default)]
        deadlock: Option<Deadlock>,
    },
    /// The check failed outside any single case (a panic in a speedup
    /// check's set-up, a check that gave up).
    Failed { failure: Failure },
    /// The subject process stopped answering the judge: it exited, crashed,
    /// or wrote something that is not a reply.
    SubjectLost { why: SubjectLoss },
}

/// How the threads of a deadlocked interleaving ended up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadlock {
    /// Each waits for a lock another holds: the trace is the wait-for cycle.
    Cycle,
    /// Every thread waits and nobody is left to wake them (a lost wake-up, a
    /// join on a thread that waits).
    NobodyToWake,
}

/// Why one case failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "failure")]
pub enum Failure {
    /// The output differs from the oracle's.
    Mismatch { expected: String, actual: String },
    /// The check's own words: the lesson it teaches (`expect`, `fail`).
    Said { why: String },
    /// The code under test panicked.
    Panicked { panic: Panic },
    /// The check could not go on (proptest rejected too many inputs, say).
    GaveUp { why: String },
}

/// A panic in the code under test, where it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Panic {
    pub message: String,
    /// `file:line:column`, when the panic had a location.
    pub location: Option<String>,
    /// The thread's name; `main` for the thread the check runs on.
    pub thread: String,
}

impl Panic {
    /// Whether this is a `todo!()` (or `unimplemented!()`) of the stub.
    pub fn is_todo(&self) -> bool {
        is_todo_message(&self.message)
    }
}

/// Whether a panic's message is the one of `todo!()` or `unimplemented!()`.
pub fn is_todo_message(message: &str) -> bool {
    message.starts_with("not yet implemented") || message.starts_with("not implemented")
}

/// Why the judge lost its subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "loss")]
pub enum SubjectLoss {
    /// The subject closed its end: it exited (learner code called `exit`, or
    /// the process crashed). The runner adds the exit status it saw.
    Exited,
    /// The subject wrote a line that is not a [`Reply`].
    Garbled { line: String },
}

/// A speedup check's verdict, typed; `advice` is the kit's words for the
/// learner, kept beside the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum SpeedupVerdict {
    /// Faster than the reference, by using more cores.
    Faster,
    /// Every round failed for `cause`.
    Slow { cause: SlowCause, advice: String },
    /// The evidence was too weak to say.
    Undecided { why: String },
    /// The learner's output differed from the reference's on the timed input.
    WrongOutput { expected: String, actual: String },
}

/// Why a speedup check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlowCause {
    /// The learner's run used about one core.
    OneCore,
    /// It kept cores busy without getting faster.
    BusyWithoutGain,
    /// Parallel, but the gain is below the threshold on a quiet machine.
    TooSlow,
}

/// The figures behind a speedup verdict, as measured in one run. With
/// `rounds: 0` nothing was measured (a wrong output, a single core) and every
/// measurement reads 0.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeedupFigures {
    /// Median over interleaved pairs of (reference time / learner time).
    pub speedup: f64,
    /// The threshold applied in this run.
    pub required: f64,
    /// Cores available to the process (`available_parallelism`).
    pub cores: usize,
    /// CPU time / wall time of the learner's run: how many cores it kept busy.
    pub cores_used: f64,
    /// The same for the sequential reference, measured in the same pairs.
    pub reference_cores_used: f64,
    /// What a pure-compute kernel gained on all cores, measured in this run.
    pub calibration: f64,
    /// Median wall time of the reference, in milliseconds.
    pub reference_ms: f64,
    /// Median wall time of the learner's code, in milliseconds.
    pub subject_ms: f64,
    /// What copies of the reference, run at once on all cores, gained over
    /// one: measured only where a fail would blame the code for little gain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_gain: Option<f64>,
    /// How many measuring rounds were needed before the verdict.
    pub rounds: u32,
}

impl SpeedupFigures {
    /// The figures of a check that measured nothing (one core, a wrong
    /// output, rounds all void): every measurement reads 0, `rounds` too.
    pub fn unmeasured(cores: usize) -> Self {
        SpeedupFigures {
            speedup: 0.0,
            required: 0.0,
            cores,
            cores_used: 0.0,
            reference_cores_used: 0.0,
            calibration: 0.0,
            reference_ms: 0.0,
            subject_ms: 0.0,
            workload_gain: None,
            rounds: 0,
        }
    }
}

/// What the judge asks of the subject: run the learner's half of the check
/// on one input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "request")]
pub enum Request {
    Call { input: serde_json::Value },
}

/// The subject's answer to one [`Request`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reply")]
pub enum Reply {
    /// The learner's half returned this output.
    Output { output: serde_json::Value },
    /// It panicked (a `todo!()` included: the judge tells them apart).
    Panicked { panic: Panic },
}

/// A speedup curve (`--curve NAME`): the learner's code on 1, 2, … threads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// Median wall time of the sequential reference, in milliseconds.
    pub reference_ms: f64,
    pub points: Vec<CurvePoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Threads in the rayon pool (and `grading_kit::workers()`).
    pub threads: usize,
    /// Median wall time of the learner's code, in milliseconds.
    pub ms: f64,
    /// CPU time / wall time of those runs.
    pub cores_used: f64,
}

/// Formats the one result line of `--run`, `--replay` (a [`CheckResult`]) or
/// `--curve` (a [`Curve`]).
pub fn result_line(nonce: &str, result: &impl Serialize) -> String {
    let json = serde_json::to_string(result).expect("a check result always serialises");
    format!("{RESULT_MARKER} {nonce} {json}")
}

/// Finds the result line carrying `nonce` in a check's output.
///
/// Lines without the nonce are ignored: code under test may print anything,
/// including text that looks like a result.
pub fn parse_result<T: serde::de::DeserializeOwned>(output: &str, nonce: &str) -> Option<T> {
    output.lines().rev().find_map(|line| {
        let rest = line.strip_prefix(RESULT_MARKER)?.strip_prefix(' ')?;
        let json = rest.strip_prefix(nonce)?.strip_prefix(' ')?;
        serde_json::from_str(json).ok()
    })
}

/// The judge's result line (on its stderr, which only the runner reads).
pub fn judge_line(result: &CheckResult) -> String {
    result_line("judge", result)
}

/// Finds the judge's result line in its stderr.
pub fn parse_judge(stderr: &str) -> Option<CheckResult> {
    parse_result(stderr, "judge")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass() -> CheckResult {
        CheckResult { status: Status::Pass, finding: Finding::Passed }
    }

    #[test]
    fn a_result_round_trips_through_its_line() {
        let line = result_line("n0nce", &pass());
        let stdout = format!("learner output\n{line}\n");
        assert_eq!(parse_result(&stdout, "n0nce"), Some(pass()));
    }

    #[test]
    fn a_kind_is_named_as_it_is_serialised() {
        for kind in [CheckKind::Property, CheckKind::Snapshot, CheckKind::Speedup, CheckKind::Explore, CheckKind::Build]
        {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
    }

    #[test]
    fn a_line_with_another_nonce_is_not_a_result() {
        let forged = result_line("guess", &pass());
        assert_eq!(parse_result::<CheckResult>(&forged, "n0nce"), None);
        assert_eq!(parse_result::<CheckResult>(&format!("{RESULT_MARKER}  {{}}"), ""), None);
    }

    #[test]
    fn findings_round_trip() {
        let failed = CheckResult {
            status: Status::Fail,
            finding: Finding::Counterexample {
                input: "[1, 2]".into(),
                shrunk: true,
                failure: Failure::Panicked {
                    panic: Panic {
                        message: "boom".into(),
                        location: Some("src/lib.rs:3:5".into()),
                        thread: "main".into(),
                    },
                },
            },
        };
        assert_eq!(parse_judge(&judge_line(&failed)), Some(failed));
        let reply = Reply::Output { output: serde_json::json!([1, 2]) };
        let line = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<Reply>(&line).unwrap(), reply);
    }
}
