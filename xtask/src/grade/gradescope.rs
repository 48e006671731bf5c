//! Gradescope's `results.json` (its "Autograder Specifications"): `score`,
//! `max_score`, `execution_time`, the notes as Markdown in `output`
//! (`output_format: "md"`), one test per check, and a `leaderboard` of the
//! speedups measured and decided. An inconclusive check has no `score` (Gradescope then
//! counts none) and says, as does the top-level `output`, that the grade
//! must be run again: it is never reported as 0 nor as full points.
//!
//! A test's output stays plain text (Gradescope's default for tests): it
//! holds diffs and code, which Markdown would mangle.

use grading_kit::protocol::CheckKind;
use serde_json::{Value, json};

use super::Graded;
use super::score::Score;

/// What the instructor chose for the students' view.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Speedup tests are shown to students after the due date only
    /// (`visibility: "after_due_date"`): their points count from the start.
    pub hide_speedup_until_due: bool,
}

pub fn render(graded: &Graded, options: Options) -> String {
    let mut tests: Vec<Value> = Vec::new();
    let mut leaderboard: Vec<Value> = Vec::new();
    for exercise in &graded.exercises {
        for check in &exercise.checks {
            let name = format!("{}: {}", exercise.name, check.name);
            let mut test = json!({
                "name": name,
                "max_score": check.max,
                "output": check.message,
            });
            match check.score {
                Score::Points(points) => {
                    test["score"] = number(points);
                    test["status"] = json!(if points >= f64::from(check.max) { "passed" } else { "failed" });
                }
                Score::Inconclusive => {
                    test["status"] = json!("failed");
                    test["output"] = json!(format!(
                        "INCONCLUSIVE: this machine could not measure the speedup; grade again. {}",
                        check.message
                    ));
                }
            }
            if check.kind == CheckKind::Speedup {
                test["visibility"] = json!(if options.hide_speedup_until_due { "after_due_date" } else { "visible" });
                // Decided speedups only: an inconclusive one was measured on
                // a machine that could not show the gain.
                if let (Some(figures), Score::Points(_)) = (&check.figures, check.score) {
                    // Higher ranks higher (Gradescope's default order).
                    leaderboard
                        .push(json!({ "name": format!("{name} (speedup)"), "value": hundredths(figures.speedup) }));
                }
            }
            tests.push(test);
        }
    }
    tests.push(json!({
        "name": "integrity: trusted files unchanged",
        "score": 0,
        "max_score": 0,
        "status": if graded.changed.is_empty() { "passed" } else { "failed" },
        "output": graded.changed.iter().map(|c| format!("{} ({})", c.path, c.what)).collect::<Vec<_>>().join("\n"),
    }));
    let mut document = json!({
        "score": number(graded.points()),
        "max_score": graded.max(),
        "execution_time": graded.seconds.ceil() as u64,
        "output": markdown(&super::human::notes(graded)),
        "output_format": "md",
        "tests": tests,
    });
    if !leaderboard.is_empty() {
        document["leaderboard"] = json!(leaderboard);
    }
    serde_json::to_string_pretty(&document).expect("a JSON value always serialises") + "\n"
}

/// The notes as a Markdown list: one item a line, indented lines nested.
fn markdown(notes: &str) -> String {
    let mut out = String::new();
    for line in notes.lines().filter(|l| !l.trim().is_empty()) {
        let nested = line.starts_with(' ');
        out.push_str(if nested { "  - " } else { "- " });
        out.push_str(&escape_markdown(line.trim()));
        out.push('\n');
    }
    out
}

/// Text shown as written, not as Markdown: every character Markdown could
/// read as markup is escaped.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whole points as integers (`9`, not `9.0`).
fn number(points: f64) -> Value {
    if points.fract() == 0.0 { json!(points as u64) } else { json!(points) }
}

fn hundredths(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use grading_kit::protocol::SpeedupFigures;

    use super::super::machine::{Cpus, Quota};
    use super::super::model::{CheckGrade, ExerciseGrade, GradeState};
    use super::*;
    use crate::report::Report;

    fn speedup(name: &str, score: Score, speedup: f64) -> CheckGrade {
        let figures = SpeedupFigures {
            speedup,
            required: 1.5,
            cores: 2,
            cores_used: 1.9,
            reference_cores_used: 1.0,
            calibration: 1.9,
            reference_ms: 100.0,
            subject_ms: 100.0 / speedup,
            workload_gain: None,
            rounds: 3,
        };
        CheckGrade {
            name: name.into(),
            kind: CheckKind::Speedup,
            max: 3,
            score,
            message: String::new(),
            figures: Some(figures),
        }
    }

    fn graded(checks: Vec<CheckGrade>, cpus: Cpus) -> Graded {
        Graded {
            student: "ada".into(),
            exercises: vec![ExerciseGrade { name: "sum".into(), state: GradeState::Graded, checks }],
            changed: Vec::new(),
            skipped: Vec::new(),
            report: Report::new(Vec::new(), &[], Vec::new()),
            seconds: 41.2,
            cpus,
        }
    }

    #[test]
    fn speedups_are_hidden_until_due_and_decided_ones_make_the_leaderboard() {
        let checks = vec![speedup("fast", Score::Points(3.0), 1.834), speedup("busy", Score::Inconclusive, 1.05)];
        let text = render(&graded(checks, Cpus { cores: 2, quota: None }), Options { hide_speedup_until_due: true });
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["execution_time"], 42);
        assert_eq!(doc["output_format"], "md");
        assert_eq!(doc["tests"][0]["visibility"], "after_due_date");
        assert_eq!(doc["tests"][1]["visibility"], "after_due_date");
        assert_eq!(doc["tests"][2].get("visibility"), None, "integrity stays visible");
        assert_eq!(doc["leaderboard"], json!([{ "name": "sum: fast (speedup)", "value": 1.83 }]));
        let shown = render(
            &graded(vec![speedup("fast", Score::Points(3.0), 1.8)], Cpus { cores: 2, quota: None }),
            Options::default(),
        );
        assert_eq!(serde_json::from_str::<Value>(&shown).unwrap()["tests"][0]["visibility"], "visible");
    }

    #[test]
    fn half_a_cpu_is_said_in_the_top_level_output() {
        let half = Cpus { cores: 1, quota: Some(Quota { micros: 50_000, period: 100_000 }) };
        let doc: Value = serde_json::from_str(&render(&graded(Vec::new(), half), Options::default())).unwrap();
        let output = doc["output"].as_str().unwrap();
        assert!(output.starts_with("- This machine gives the grader 0.5 of a CPU"), "{output}");
        assert!(output.contains("Autograder Settings"), "{output}");
    }

    #[test]
    fn notes_become_a_markdown_list_shown_as_written() {
        let notes = "serial_baseline rejected: `include!` of a_file\nFiles differ:\n  tests/x.rs (changed)\n";
        assert_eq!(
            markdown(notes),
            "- serial\\_baseline rejected: \\`include!\\` of a\\_file\n- Files differ:\n  - tests/x.rs (changed)\n"
        );
        assert_eq!(markdown(""), "");
    }
}
