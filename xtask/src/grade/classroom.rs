//! GitHub Classroom's autograding result, as the
//! `classroom-resources/autograding-grading-reporter` action reads it:
//! `{"version": 1, "status", "max_score", "tests": [{"name", "status",
//! "score", "message", "test_code", "filename", "line_no", "duration"}]}`,
//! the shape its own graders (`autograding-command-grader`) write.
//!
//! How it travels: a step writes the JSON, base64-encoded, to a step output;
//! the reporter reads it from an environment variable `ID_RESULTS` (`ID`
//! being the step's id, in capitals) and posts `Points X/Y` to Classroom, X
//! being the sum of the tests' `score` and Y the top-level `max_score`. So
//! partial credit shows in Classroom's points, test by test. (The reporter's
//! own console table counts tests passed instead, and weighs them equally.)
//!
//! Statuses: `pass` for full points, `fail` for fewer, `error` for an
//! inconclusive check. The reporter adds up every test's `score`, so an
//! inconclusive one has `score: 0` (the format has no "undecided") and says
//! in its message that the points are undecided; the run's status is then
//! `error`, which fails the reporter's step.
//!
//! An environment variable holds at most 128 KiB on Linux (one string of a
//! process's environment), and the reporter runs as a process: the document
//! is kept under [`MAX_JSON`] by shortening messages, whole checks never.

use serde_json::{Value, json};

use super::Graded;
use super::score::Score;

/// Bytes of JSON at most: base64 makes 4 of every 3, which stays well under
/// Linux's 128 KiB for one environment string.
pub const MAX_JSON: usize = 64 * 1024;

/// Characters of each message kept, tried in turn until the document fits.
const MESSAGE_LIMITS: [usize; 5] = [4096, 1024, 256, 64, 0];

pub fn render(graded: &Graded) -> String {
    for limit in MESSAGE_LIMITS {
        let text = render_within(graded, limit);
        if text.len() <= MAX_JSON || limit == 0 {
            return text;
        }
    }
    unreachable!("the last limit always returns")
}

fn render_within(graded: &Graded, limit: usize) -> String {
    let mut tests: Vec<Value> = Vec::new();
    let (mut failed, mut errored) = (false, false);
    for exercise in &graded.exercises {
        for check in &exercise.checks {
            let (status, score, message) = match check.score {
                Score::Points(points) if points >= f64::from(check.max) => ("pass", points, check.message.clone()),
                Score::Points(points) => {
                    failed = true;
                    ("fail", points, check.message.clone())
                }
                Score::Inconclusive => {
                    errored = true;
                    let message = format!(
                        "INCONCLUSIVE: this machine could not measure the speedup; these {} points are \
                         undecided (0 here), not lost. {}",
                        check.max, check.message
                    );
                    ("error", 0.0, message)
                }
            };
            tests.push(json!({
                "name": format!("{}: {}", exercise.name, check.name),
                "status": status,
                "score": number(score),
                "max_score": check.max,
                "message": cut(&message, limit),
                "test_code": format!("cargo xtask check {}", exercise.name),
                "filename": "",
                "line_no": 0,
                // Not measured check by check: checks run side by side.
                "duration": 0,
            }));
        }
    }
    if !graded.changed.is_empty() {
        failed = true;
    }
    tests.push(json!({
        "name": "integrity: trusted files unchanged",
        "status": if graded.changed.is_empty() { "pass" } else { "fail" },
        "score": 0,
        "max_score": 0,
        "message": cut(&graded.changed.iter().map(|c| format!("{} ({})", c.path, c.what)).collect::<Vec<_>>().join("\n"), limit),
        "test_code": "",
        "filename": "",
        "line_no": 0,
        "duration": 0,
    }));
    // `error` before `fail`: undecided points matter more than lost ones.
    let status = if errored {
        "error"
    } else if failed {
        "fail"
    } else {
        "pass"
    };
    let document = json!({
        "version": 1,
        "status": status,
        "max_score": graded.max(),
        "tests": tests,
    });
    serde_json::to_string(&document).expect("a JSON value always serialises") + "\n"
}

/// `text` cut to `limit` characters, saying so.
fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let kept: String = text.chars().take(limit).collect();
    format!("{kept}… (cut: `cargo xtask check` shows it all)")
}

/// Whole points as integers (`9`, not `9.0`).
fn number(points: f64) -> Value {
    if points.fract() == 0.0 { json!(points as u64) } else { json!(points) }
}

#[cfg(test)]
mod tests {
    use grading_kit::protocol::{CheckKind, SpeedupFigures};

    use super::super::machine::Cpus;
    use super::super::model::{CheckGrade, ExerciseGrade, GradeState};
    use super::*;
    use crate::report::Report;

    fn check(name: &str, kind: CheckKind, max: u32, score: Score, message: &str) -> CheckGrade {
        CheckGrade { name: name.into(), kind, max, score, message: message.into(), figures: None::<SpeedupFigures> }
    }

    fn graded(checks: Vec<CheckGrade>) -> Graded {
        Graded {
            student: "ada".into(),
            exercises: vec![ExerciseGrade { name: "sum".into(), state: GradeState::Graded, checks }],
            changed: Vec::new(),
            skipped: Vec::new(),
            report: Report::new(Vec::new(), &[], Vec::new()),
            seconds: 1.0,
            cpus: Cpus { cores: 2, quota: None },
        }
    }

    fn decoded(graded: &Graded) -> Value {
        serde_json::from_str(&render(graded)).unwrap()
    }

    #[test]
    fn the_document_has_the_reporters_shape_with_partial_points_per_check() {
        let doc = decoded(&graded(vec![
            check("adds", CheckKind::Property, 2, Score::Points(2.0), ""),
            check("is faster", CheckKind::Speedup, 3, Score::Points(2.4), "1.4x of 1.5x"),
            check("prints", CheckKind::Snapshot, 1, Score::Points(0.0), "differs"),
        ]));
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["status"], "fail");
        assert_eq!(doc["max_score"], 6);
        let tests = doc["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 4, "three checks and integrity");
        for test in tests {
            for field in ["name", "status", "score", "message", "test_code", "filename", "line_no", "duration"] {
                assert!(test.get(field).is_some(), "{field} missing in {test}");
            }
            assert_eq!(test["line_no"], 0, "the reporter prints `- line N` unless it is 0");
        }
        let statuses: Vec<&str> = tests.iter().map(|t| t["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["pass", "fail", "fail", "pass"]);
        assert_eq!(tests[1]["name"], "sum: is faster");
        assert_eq!(tests[1]["score"], 2.4);
        assert_eq!(tests[1]["test_code"], "cargo xtask check sum");
        // What the reporter posts to Classroom: the sum of the scores.
        let total: f64 = tests.iter().map(|t| t["score"].as_f64().unwrap()).sum();
        assert_eq!(total, 4.4);
    }

    #[test]
    fn an_inconclusive_check_is_an_error_with_a_numeric_score() {
        let doc = decoded(&graded(vec![
            check("adds", CheckKind::Property, 2, Score::Points(0.0), "wrong"),
            check("is faster", CheckKind::Speedup, 3, Score::Inconclusive, "busy machine"),
        ]));
        assert_eq!(doc["status"], "error");
        let test = &doc["tests"][1];
        assert_eq!(test["status"], "error");
        assert_eq!(test["score"], 0, "the reporter adds every score: it must be a number");
        assert!(test["message"].as_str().unwrap().starts_with("INCONCLUSIVE"), "{test}");
        let passing = decoded(&graded(vec![check("adds", CheckKind::Property, 2, Score::Points(2.0), "")]));
        assert_eq!(passing["status"], "pass");
    }

    #[test]
    fn long_messages_are_cut_to_fit_an_environment_variable() {
        let long = "x".repeat(20_000);
        let checks = (0..60).map(|i| check(&format!("c{i}"), CheckKind::Property, 2, Score::Points(0.0), &long));
        let text = render(&graded(checks.collect()));
        assert!(text.len() <= MAX_JSON, "{} bytes", text.len());
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["tests"].as_array().unwrap().len(), 61, "no check is left out");
        assert!(doc["tests"][0]["message"].as_str().unwrap().ends_with("shows it all)"));
        // Short messages are kept whole.
        let short =
            decoded(&graded(vec![check("adds", CheckKind::Property, 2, Score::Points(0.0), "left 3, right 4")]));
        assert_eq!(short["tests"][0]["message"], "left 3, right 4");
    }
}
