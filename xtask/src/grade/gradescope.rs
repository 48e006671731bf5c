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
    use super::*;

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
