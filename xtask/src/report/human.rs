//! The learner's screen: a line per check, and under the first failure its
//! whole diagnostic, painted for a terminal.

use grading_kit::protocol::Status;

use super::words::{self, Line, Tone};
use super::{ExerciseReport, Report, State};
use crate::style::{Color, paint};

/// The whole run: every exercise, then how many pass and what is next.
pub fn report(report: &Report, learner: bool) -> String {
    let mut out = String::new();
    for exercise in &report.exercises {
        out.push_str(&exercise_screen(exercise, learner));
    }
    out.push_str(&format!("\n{}/{} exercises pass.", report.passed(), report.exercises.len()));
    if let Some(next) = &report.next {
        if learner {
            out.push_str(&format!(
                "\nNext: {next}. Read exercises/{next}/README.md, edit exercises/{next}/src/, then \
                 `cargo xtask check {next}` (stuck? `cargo xtask hint {next}`)."
            ));
        }
    } else if !report.exercises.is_empty() && learner {
        out.push_str("\nEverything checked passes.");
    }
    out.push('\n');
    out
}

/// A state as `list` and `grade` show it, coloured.
pub fn state(state: State) -> String {
    let color = match state {
        State::Pass => Color::Green,
        State::Fail => Color::Red,
        State::Inconclusive => Color::Yellow,
        State::NotStarted => Color::Dim,
    };
    paint(state.words(), color)
}

fn mark(status: Status) -> String {
    match status {
        Status::Pass => paint("✓", Color::Green),
        Status::Fail => paint("✗", Color::Red),
        Status::Inconclusive => paint("?", Color::Yellow),
    }
}

fn painted(line: &Line) -> String {
    let color = match line.tone {
        Tone::Plain => return line.text.clone(),
        Tone::Expected => Color::Green,
        Tone::Wrong => Color::Red,
        Tone::Removed => Color::Red,
        Tone::Added => Color::Green,
        Tone::Strong => Color::Bold,
        Tone::Warn => Color::Yellow,
        Tone::Code => Color::Cyan,
    };
    paint(&line.text, color)
}

/// One exercise, for the learner: a line per check, and under the first
/// failure its whole diagnostic (most useful first: a failure that comes
/// after it is often its echo, so it gets one line until that is fixed).
pub fn exercise_screen(exercise: &ExerciseReport, learner: bool) -> String {
    let name = paint(&exercise.name, Color::Bold);
    if exercise.state == State::NotStarted {
        let what =
            if learner { format!("not started: write exercises/{}/src/", exercise.name) } else { "not started".into() };
        return format!("{} {name}  {}\n", paint("·", Color::Dim), paint(&what, Color::Dim));
    }
    let mut out = format!("{} {name}\n", mark(exercise.status()));
    let mut explained = false;
    for check in &exercise.checks {
        let figures = check
            .figures()
            .map(|f| {
                format!(
                    " {:.2}x (required {:.2}x, {:.1} of {} cores used)",
                    f.speedup, f.required, f.cores_used, f.cores
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "    {} {} {}{figures}\n",
            mark(check.status),
            check.name,
            paint(&format!("[{}]", check.kind.name()), Color::Dim)
        ));
        if check.status == Status::Pass {
            continue;
        }
        if explained && check.status == Status::Fail {
            out.push_str(&format!("        {}\n", paint(&words::summary(check), Color::Dim)));
            continue;
        }
        explained |= check.status == Status::Fail;
        for line in words::describe(check, &exercise.name) {
            out.push_str(&format!("        {}\n", painted(&line)));
        }
    }
    out
}
