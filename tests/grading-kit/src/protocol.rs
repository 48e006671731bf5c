//! What a check binary and the runner say to each other.
//!
//! A check binary answers two requests:
//! - `--list`: one JSON array of [`CheckInfo`] on stdout;
//! - `--run NAME`: it first reads one line from stdin, the *nonce*, then runs
//!   the check and prints one line `RESULT_MARKER NONCE JSON` where JSON is a
//!   [`CheckResult`];
//! - `--curve NAME` (speedup checks only): the same framing around a [`Curve`].
//!
//! The nonce is why a learner cannot forge a pass: it reaches the harness
//! through a pipe that is read before any learner code runs, so code under
//! test cannot know it, and a result line without it does not count. A process
//! that exits early (even with status 0) prints no result line, and the runner
//! reports that as a failure.

use serde::{Deserialize, Serialize};

/// The prefix of the one line that carries a check's result.
pub const RESULT_MARKER: &str = "GRADING-KIT-RESULT";

/// What kind of evidence a check collects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// Random inputs compared against a sequential oracle (proptest).
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

/// One check, as listed by `--list`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckInfo {
    pub name: String,
    pub kind: CheckKind,
    /// The watchdog's limit for this check, in milliseconds.
    pub timeout_ms: u64,
}

/// The verdict of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// The evidence was too weak to say (one core, a machine too busy to
    /// measure). Never counted as a pass nor as a fail.
    Inconclusive,
}

/// What a check found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub status: Status,
    /// Plain words for the learner: what went wrong and what to try.
    pub message: String,
    /// True when the code under test hit a `todo!()`: the exercise is not
    /// started rather than wrong.
    #[serde(default)]
    pub todo: bool,
    /// The measured figures of a speedup check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speedup: Option<SpeedupFigures>,
}

/// The figures behind a speedup verdict, as measured in one run.
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
    /// How many measuring rounds were needed before the verdict.
    pub rounds: u32,
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

/// Formats the one result line of `--run` (a [`CheckResult`]) or `--curve`
/// (a [`Curve`]).
pub fn result_line(nonce: &str, result: &impl Serialize) -> String {
    let json = serde_json::to_string(result).expect("a check result always serialises");
    format!("{RESULT_MARKER} {nonce} {json}")
}

/// Finds the result line carrying `nonce` in a check's stdout.
///
/// Lines without the nonce are ignored: code under test may print anything,
/// including text that looks like a result.
pub fn parse_result<T: serde::de::DeserializeOwned>(stdout: &str, nonce: &str) -> Option<T> {
    stdout.lines().rev().find_map(|line| {
        let rest = line.strip_prefix(RESULT_MARKER)?.strip_prefix(' ')?;
        let json = rest.strip_prefix(nonce)?.strip_prefix(' ')?;
        serde_json::from_str(json).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass() -> CheckResult {
        CheckResult { status: Status::Pass, message: String::new(), todo: false, speedup: None }
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
}
