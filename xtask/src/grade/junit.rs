//! The JUnit XML report: one `testsuite` per exercise, one `testcase` per
//! check, points in `properties`. A fail is a `failure`; an inconclusive
//! check is an `error` (the grade could not be decided: run it again).
//!
//! Written by hand rather than with `quick-junit`: every learner builds the
//! xtask, and that crate brings chrono, uuid and quick-xml along for a few
//! dozen lines of XML.

use std::fmt::Write as _;

use super::score::{Score, show};
use super::{Graded, Refusal};

pub fn render(graded: &Graded) -> String {
    let checks = graded.exercises.iter().map(|e| e.checks.len()).sum::<usize>() + 1;
    let failures = graded.exercises.iter().flat_map(|e| &e.checks).filter(|c| failed(c)).count()
        + usize::from(!graded.changed.is_empty());
    let errors = graded.exercises.iter().flat_map(|e| &e.checks).filter(|c| c.score == Score::Inconclusive).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{checks}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">",
        escape(&graded.student),
        graded.seconds
    );
    for exercise in &graded.exercises {
        let failures = exercise.checks.iter().filter(|c| failed(c)).count();
        let errors = exercise.checks.iter().filter(|c| c.score == Score::Inconclusive).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">",
            escape(&exercise.name),
            exercise.checks.len()
        );
        properties(&mut out, "    ", &show(exercise.points()), exercise.max());
        if let Some(Refusal::Rejected(why)) = exercise.refused() {
            let _ = writeln!(out, "    <system-err>rejected: {}</system-err>", escape(why));
        }
        for check in &exercise.checks {
            let _ = writeln!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\">",
                escape(&check.name),
                escape(&exercise.name)
            );
            let points = check.points().map_or("inconclusive".to_string(), show);
            properties(&mut out, "      ", &points, check.max);
            let kind = check.kind.name();
            match check.score {
                Score::Inconclusive => {
                    let _ = writeln!(
                        out,
                        "      <error message=\"inconclusive: grade again on a quieter machine\" type=\"{kind}\">{}</error>",
                        escape(&check.message)
                    );
                }
                Score::Points(points) if failed(check) => {
                    let _ = writeln!(
                        out,
                        "      <failure message=\"{} of {} points\" type=\"{kind}\">{}</failure>",
                        show(points),
                        check.max,
                        escape(&check.message)
                    );
                }
                Score::Points(_) => {}
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    // Integrity as a test of its own: CI tools show it beside the checks.
    out.push_str("  <testsuite name=\"integrity\" tests=\"1\" failures=\"");
    let _ = writeln!(out, "{}\" errors=\"0\">", usize::from(!graded.changed.is_empty()));
    out.push_str("    <testcase name=\"trusted files unchanged\" classname=\"integrity\">\n");
    if !graded.changed.is_empty() {
        let list: Vec<String> = graded.changed.iter().map(|c| format!("{} ({})", c.path, c.what)).collect();
        let _ = writeln!(
            out,
            "      <failure message=\"{} trusted files changed; graded with the course's own\" type=\"integrity\">{}</failure>",
            graded.changed.len(),
            escape(&list.join("\n"))
        );
    }
    out.push_str("    </testcase>\n  </testsuite>\n</testsuites>\n");
    out
}

fn failed(check: &super::CheckGrade) -> bool {
    matches!(check.score, Score::Points(points) if points < f64::from(check.max))
}

fn properties(out: &mut String, indent: &str, score: &str, max: u32) {
    let _ = writeln!(out, "{indent}<properties>");
    let _ = writeln!(out, "{indent}  <property name=\"score\" value=\"{score}\"/>");
    let _ = writeln!(out, "{indent}  <property name=\"max_score\" value=\"{max}\"/>");
    let _ = writeln!(out, "{indent}</properties>");
}

/// Escapes text for XML attributes and content, dropping the characters
/// XML 1.0 cannot hold at all (learner output may contain any of them).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(escape("a < b && \"c\""), "a &lt; b &amp;&amp; &quot;c&quot;");
        assert_eq!(escape("bell\u{7}"), "bell\u{FFFD}");
        assert_eq!(escape("line\nnext"), "line\nnext");
    }
}
