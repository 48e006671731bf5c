//! What an instructor reads: the summary of one submission on stdout, and
//! the notes every report carries.

use std::fmt::Write as _;

use super::model::{GradeState, Graded, Refusal};
use super::score::show;

/// The summary on stdout.
pub fn render(graded: &Graded) -> String {
    let mut out = format!("grade of {}: {} of {} points", graded.student, show(graded.points()), graded.max());
    if graded.undecided() > 0 {
        let _ = write!(out, " ({} points inconclusive: grade again)", graded.undecided());
    }
    out.push('\n');
    for exercise in &graded.exercises {
        let _ = write!(out, "  {:<32} {:>6}/{}", exercise.name, show(exercise.points()), exercise.max());
        if exercise.state != GradeState::Graded {
            let _ = write!(out, " {}", exercise.state.words());
        }
        out.push('\n');
        if exercise.refused().is_some() {
            continue;
        }
        for check in exercise.checks.iter().filter(|c| c.points() != Some(f64::from(c.max))) {
            let points = check.points().map_or("inconclusive".to_string(), |p| format!("{}/{}", show(p), check.max));
            let _ = writeln!(out, "      {} [{}] {points}", check.name, check.kind.name());
            for line in check.message.lines().take(3) {
                let _ = writeln!(out, "          {line}");
            }
        }
    }
    out.push_str(&protections(graded));
    out.push_str(&notes(graded));
    out
}

/// One line: what protected the grader from the code it ran.
fn protections(graded: &Graded) -> String {
    let (on, off): (Vec<_>, Vec<_>) = graded.report.protections.iter().partition(|p| p.active);
    let names = |list: &[&crate::sandbox::Protection]| list.iter().map(|p| p.name).collect::<Vec<_>>().join(", ");
    let mut out = format!("protections: {}", if on.is_empty() { "none".to_string() } else { names(&on) });
    out.push('\n');
    // Protections off for one reason are listed together, with the reason:
    // the instructor needs to know whether to fix the machine or the switch.
    let mut reasons: Vec<(&str, Vec<&crate::sandbox::Protection>)> = Vec::new();
    for protection in off {
        match reasons.iter_mut().find(|(why, _)| *why == protection.detail) {
            Some((_, list)) => list.push(protection),
            None => reasons.push((&protection.detail, vec![protection])),
        }
    }
    for (why, list) in reasons {
        let _ = writeln!(out, "  off: {} ({why})", names(&list));
    }
    out
}

/// What an instructor must know beyond the points: a machine that cannot
/// measure speedup, re-runs, rejections, files left out, changed trusted
/// files. Empty when there is nothing to say.
pub fn notes(graded: &Graded) -> String {
    let mut out = String::new();
    if let Some(note) = graded.cpus.note() {
        let _ = writeln!(out, "{note}");
    }
    if graded.undecided() > 0 {
        let _ = writeln!(
            out,
            "INCONCLUSIVE: {} points could not be decided (a speedup this machine could not measure): \
             grade this submission again, on a quieter machine; this is not the final score.",
            graded.undecided()
        );
    }
    for exercise in &graded.exercises {
        if let Some(Refusal::Rejected(why)) = exercise.refused() {
            let _ = writeln!(out, "{} rejected: {why}", exercise.name);
        }
    }
    for skipped in &graded.skipped {
        let _ = writeln!(out, "{} was left out: {}", skipped.path, skipped.why);
    }
    if !graded.changed.is_empty() {
        let _ =
            writeln!(out, "Files outside the learner surface differ from the course's; grading used the course's own:");
        for change in &graded.changed {
            let _ = writeln!(out, "  {} ({})", change.path, change.what);
        }
    }
    out
}
