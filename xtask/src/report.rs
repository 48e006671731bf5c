//! What the learner reads: verdicts turned into words (human) or a JSON
//! document (tools). No process is started here.

use serde::Serialize;

use grading_kit::protocol::{CheckInfo, CheckKind, SpeedupFigures, Status};

use crate::catalogue::Exercise;
use crate::runner::Ran;
use crate::style::{Color, paint};

/// The verdicts of one `check` run.
#[derive(Serialize)]
pub struct Report {
    pub exercises: Vec<ExerciseReport>,
    /// Exercises that passed, of those checked.
    pub passed: usize,
    pub total: usize,
    /// The first exercise, in course order, that does not pass yet.
    pub next: Option<String>,
}

#[derive(Serialize)]
pub struct ExerciseReport {
    pub name: String,
    pub level: u32,
    pub status: Status,
    pub checks: Vec<CheckReport>,
}

#[derive(Serialize)]
pub struct CheckReport {
    pub name: String,
    pub kind: CheckKind,
    pub status: Status,
    pub message: String,
    /// The code under test hit a `todo!()`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub todo: bool,
    /// The watchdog stopped the check.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub figures: Option<SpeedupFigures>,
}

impl ExerciseReport {
    pub fn new(exercise: &Exercise, checks: Vec<CheckReport>) -> Self {
        let status = if checks.is_empty() || checks.iter().any(|c| c.status == Status::Fail) {
            Status::Fail
        } else if checks.iter().any(|c| c.status == Status::Inconclusive) {
            Status::Inconclusive
        } else {
            Status::Pass
        };
        ExerciseReport { name: exercise.name.clone(), level: exercise.level, status, checks }
    }

    /// Every check stopped at a `todo!()`: the exercise is not started.
    pub fn not_started(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|c| c.todo)
    }

    pub fn speedup(&self) -> Option<f64> {
        self.checks.iter().find_map(|c| c.figures.as_ref().map(|f| f.speedup))
    }
}

impl CheckReport {
    /// The exercise did not compile: one failed check that says where.
    pub fn broken_build(first_error: &str) -> Self {
        CheckReport {
            name: "compiles".to_string(),
            kind: CheckKind::Build,
            status: Status::Fail,
            message: format!("the code does not compile; the compiler's first error:\n{}", first_error.trim_end()),
            todo: false,
            timed_out: false,
            figures: None,
        }
    }

    /// A check skipped because an earlier one of the same exercise hung.
    pub fn not_run(info: &CheckInfo, hung: &str) -> Self {
        CheckReport {
            name: info.name.clone(),
            kind: info.kind,
            status: Status::Fail,
            message: format!("not run: `{hung}` hung before it; fix that first"),
            todo: false,
            timed_out: false,
            figures: None,
        }
    }

    pub fn from_ran(info: &CheckInfo, ran: Ran) -> Self {
        let (status, message, todo, timed_out, figures) = match ran {
            Ran::Reported(result) => (result.status, result.message, result.todo, false, result.speedup),
            Ran::TimedOut { limit, threads } => {
                (Status::Fail, timeout_message(limit.as_secs_f64(), &threads), false, true, None)
            }
            Ran::Vanished { status, stderr } => (Status::Fail, vanished_message(&status, &stderr), false, false, None),
        };
        CheckReport { name: info.name.clone(), kind: info.kind, status, message, todo, timed_out, figures }
    }
}

fn timeout_message(limit: f64, threads: &[crate::runner::ThreadState]) -> String {
    let mut out = format!("timed out after {limit:.0} s and was stopped: a possible deadlock.");
    if !threads.is_empty() {
        let running = threads.iter().filter(|t| !t.blocked).count();
        let names: Vec<String> =
            threads.iter().map(|t| format!("{} ({})", t.name, if t.blocked { "blocked" } else { "running" })).collect();
        let alive =
            if threads.len() == 1 { "1 thread was".to_string() } else { format!("{} threads were", threads.len()) };
        out.push_str(&format!("\n{alive} still alive: {}.", names.join(", ")));
        out.push_str(if running == 0 {
            "\nEvery thread was blocked, waiting for another: that is a deadlock."
        } else {
            "\nSome threads were still running: an endless loop, a busy-wait that never sees its \
             signal, or work far slower than it should be."
        });
    }
    out.push_str(
        "\nThe usual causes:\n\
         - a receiver waiting on a channel whose senders were never all dropped \
         (drop the original `Sender` once every worker has its clone);\n\
         - a lock taken twice on one thread, or two locks taken in opposite orders;\n\
         - a `join` on a thread that itself waits forever.",
    );
    out
}

fn vanished_message(status: &str, stderr: &str) -> String {
    let tail: Vec<&str> = stderr.lines().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
    let mut out = format!(
        "the check ended ({status}) without giving a verdict: the code under test may have called \
         `std::process::exit`, aborted, or overflowed its stack. An early exit is never a pass."
    );
    if !tail.is_empty() {
        out.push_str(&format!("\nits last output:\n{}", tail.join("\n")));
    }
    out
}

impl Report {
    pub fn new(exercises: Vec<ExerciseReport>, catalogue_order: &[&Exercise]) -> Self {
        let passed = exercises.iter().filter(|e| e.status == Status::Pass).count();
        let next = catalogue_order
            .iter()
            .find(|e| exercises.iter().any(|r| r.name == e.name && r.status != Status::Pass))
            .map(|e| e.name.clone());
        Report { total: exercises.len(), passed, exercises, next }
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("reports serialise")
    }

    pub fn human(&self, learner: bool) -> String {
        let mut out = String::new();
        for exercise in &self.exercises {
            out.push_str(&render_exercise(exercise, learner));
        }
        out.push_str(&format!("\n{}/{} exercises pass.", self.passed, self.total));
        if let Some(next) = &self.next {
            if learner {
                out.push_str(&format!(
                    "\nNext: {next}. Read exercises/{next}/README.md, edit exercises/{next}/src/, then \
                     `cargo xtask check {next}` (stuck? `cargo xtask hint {next}`)."
                ));
            }
        } else if self.total > 0 && learner {
            out.push_str("\nEverything checked passes.");
        }
        out.push('\n');
        out
    }
}

fn mark(status: Status) -> String {
    match status {
        Status::Pass => paint("✓", Color::Green),
        Status::Fail => paint("✗", Color::Red),
        Status::Inconclusive => paint("?", Color::Yellow),
    }
}

/// One exercise, for the learner: a line per check, and under the first
/// failure its whole diagnostic (most useful first: a failure that comes
/// after it is often its echo, so it gets one line until that is fixed).
pub fn render_exercise(exercise: &ExerciseReport, learner: bool) -> String {
    let name = paint(&exercise.name, Color::Bold);
    if exercise.not_started() {
        let what =
            if learner { format!("not started: write exercises/{}/src/", exercise.name) } else { "not started".into() };
        return format!("{} {name}  {}\n", paint("·", Color::Dim), paint(&what, Color::Dim));
    }
    let mut out = format!("{} {name}\n", mark(exercise.status));
    let mut explained = false;
    for check in &exercise.checks {
        let kind = check.kind.name();
        let figures = check
            .figures
            .as_ref()
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
            paint(&format!("[{kind}]"), Color::Dim)
        ));
        if check.status == Status::Pass {
            continue;
        }
        if explained && check.status == Status::Fail {
            out.push_str(&format!("        {}\n", paint(&summary(&check.message), Color::Dim)));
            continue;
        }
        explained |= check.status == Status::Fail;
        for line in diagnostic(check, &exercise.name).lines() {
            out.push_str(&format!("        {line}\n"));
        }
    }
    out
}

/// One line for a failure after the first: its first line when that says
/// something on its own ("not run: … hung before it").
fn summary(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default().trim_end();
    if first.starts_with("not run") {
        first.to_string()
    } else if first.starts_with("minimal failing input") || first.ends_with([':', '(', '[', '{']) || first.len() > 100 {
        "fails too; the details show once the failure above is fixed".to_string()
    } else {
        format!("{first} (more once the failure above is fixed)")
    }
}

/// The diagnostic of one failed (or inconclusive) check, shaped by its kind.
fn diagnostic(check: &CheckReport, exercise: &str) -> String {
    let message = check.message.trim_end();
    if check.timed_out {
        return timeout_diagnostic(message);
    }
    if let Some(figures) = &check.figures {
        return speedup_diagnostic(message, figures, exercise);
    }
    match check.kind {
        CheckKind::Build => build_diagnostic(message),
        CheckKind::Snapshot => snapshot_diagnostic(message),
        _ => value_diagnostic(message),
    }
}

/// The compiler's first error, its location first.
fn build_diagnostic(message: &str) -> String {
    let location = message.lines().find_map(|l| l.trim_start().strip_prefix("--> ")).map(str::trim);
    let mut out = match location {
        Some(at) => format!("{} at {}\n", paint("does not compile", Color::Red), paint(at, Color::Bold)),
        None => String::new(),
    };
    for line in message.lines().filter(|l| !l.starts_with("the code does not compile")) {
        let painted = if line.starts_with("error") {
            paint(line, Color::Red)
        } else if line.trim_start().starts_with("-->") {
            paint(line, Color::Cyan)
        } else {
            line.to_string()
        };
        out.push_str(&painted);
        out.push('\n');
    }
    out.push_str("Fix this first error and save: later errors often follow from it.");
    out
}

/// A snapshot diff: removed lines red, added lines green.
fn snapshot_diagnostic(message: &str) -> String {
    message
        .lines()
        .map(|line| match line.chars().next() {
            Some('-') => paint(line, Color::Red),
            Some('+') => paint(line, Color::Green),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A counterexample or a panic: the input, then expected against got, or
/// where the panic happened.
fn value_diagnostic(message: &str) -> String {
    compact_input(message)
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("expected:") {
                format!("{}{rest}", paint(&line[..line.len() - rest.len()], Color::Green))
            } else if let Some(rest) = trimmed.strip_prefix("got:") {
                format!("{}{rest}", paint(&line[..line.len() - rest.len()], Color::Red))
            } else if trimmed.starts_with("panicked at ") {
                paint(line, Color::Red)
            } else if let Some(rest) = line.strip_prefix("minimal failing input:") {
                format!("{}{rest}", paint("minimal failing input:", Color::Bold))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A minimal input printed one element a line (`{:#?}`) can fill several
/// screens; past a dozen lines it is joined up and wrapped, to stay on one.
fn compact_input(message: &str) -> String {
    const MOST_LINES: usize = 12;
    const WIDTH: usize = 100;
    let Some(rest) = message.strip_prefix("minimal failing input:") else { return message.to_string() };
    let lines: Vec<&str> = rest.lines().collect();
    let end = lines
        .iter()
        .skip(1)
        .position(|l| {
            let l = l.trim_start();
            l.starts_with("expected:") || l.starts_with("got:") || l.starts_with("panicked at ")
        })
        .map_or(lines.len(), |i| i + 1);
    if end <= MOST_LINES {
        return message.to_string();
    }
    let joined = lines[..end].iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    let joined = joined.replace("( ", "(").replace("[ ", "[").replace(", ]", "]").replace(", )", ")");
    let mut wrapped = vec![String::new()];
    for word in joined.split(' ') {
        let line = wrapped.last_mut().expect("never empty");
        if !line.is_empty() && line.len() + word.len() + 1 > WIDTH {
            wrapped.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    let mut out = String::from("minimal failing input:");
    for line in wrapped.iter().take(MOST_LINES / 2) {
        out.push_str(&format!("\n    {line}"));
    }
    if wrapped.len() > MOST_LINES / 2 {
        out.push_str(" …");
    }
    for line in &lines[end..] {
        out.push('\n');
        out.push_str(line);
    }
    out
}

fn timeout_diagnostic(message: &str) -> String {
    let mut lines = message.lines();
    let headline = lines.next().unwrap_or_default();
    let mut out = paint(headline, Color::Yellow);
    for line in lines {
        out.push('\n');
        out.push_str(line);
    }
    out
}

/// The kit's advice, then the figures as a small table, then what they
/// suggest.
fn speedup_diagnostic(message: &str, f: &SpeedupFigures, exercise: &str) -> String {
    let advice: Vec<&str> = message
        .lines()
        .filter(|l| !l.starts_with("sequential reference ") && !l.starts_with("cores available "))
        .collect();
    let mut out = String::new();
    for line in &advice {
        out.push_str(line);
        out.push('\n');
    }
    // Numbers aligned on their last digit, units after them.
    let row = |label: &str, number: String, unit: &str| format!("  {label:<22}{number:>8}{unit}\n");
    out.push_str(&row("sequential time", format!("{:.1}", f.reference_ms), " ms"));
    out.push_str(&row("parallel time (yours)", format!("{:.1}", f.subject_ms), " ms"));
    out.push_str(&row("speedup", format!("{:.2}", f.speedup), "x"));
    out.push_str(&row("required", format!("{:.2}", f.required), "x"));
    out.push_str(&row("cores available", f.cores.to_string(), ""));
    out.push_str(&row("cores used", format!("{:.1}", f.cores_used), ""));
    let suggests = if f.calibration < 1.3 && f.cores >= 2 {
        format!(
            "the machine was busy: a pure-compute kernel gained only {:.2}x on {} cores; close heavy programs and check again",
            f.calibration, f.cores
        )
    } else if f.cores_used < 1.3 {
        "your code kept about one core busy: the work is not split across threads yet".to_string()
    } else if f.speedup < 1.1 {
        format!(
            "your code kept {:.1} cores busy but got no faster: its threads wait on each other (a shared lock, \
             a busy-wait) or repeat work",
            f.cores_used
        )
    } else if f.speedup < f.required {
        "your code is parallel, but not enough: look for a sequential step left, pieces too small to pay for \
         their threads, or contention on shared state"
            .to_string()
    } else {
        "your code scales".to_string()
    };
    out.push_str(&format!("The numbers suggest: {suggests}.\n"));
    out.push_str(&format!("See how it scales: `cargo xtask curve {exercise}`."));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_minimal_input_is_wrapped_onto_a_few_lines() {
        let numbers: Vec<String> = (0..200).map(|n| format!("    {n},")).collect();
        let message = format!("minimal failing input: [\n{}\n]\npanicked at src/lib.rs:3:4: boom", numbers.join("\n"));
        let shown = compact_input(&message);
        assert!(shown.lines().count() <= 8, "{shown}");
        assert!(shown.starts_with("minimal failing input:\n    [0, 1, 2,"), "{shown}");
        assert!(shown.ends_with("…\npanicked at src/lib.rs:3:4: boom"), "{shown}");
        let short = "minimal failing input: [\n    1,\n]\nexpected: 1\n     got: 2";
        assert_eq!(compact_input(short), short);
    }

    #[test]
    fn speedup_figures_become_a_table_with_what_they_suggest() {
        let figures = SpeedupFigures {
            speedup: 1.01,
            required: 1.5,
            cores: 2,
            cores_used: 1.02,
            reference_cores_used: 1.0,
            calibration: 1.9,
            reference_ms: 120.44,
            subject_ms: 119.3,
            rounds: 3,
        };
        let message = "your code used about one core.\nsequential reference 120.4 ms, yours 119.3 ms: speedup 1.01x, \
                       required 1.50x\ncores available 2, cores used 1.02 (the sequential reference used 1.00), \
                       machine calibration 1.90x";
        let shown = speedup_diagnostic(message, &figures, "letters");
        assert_eq!(
            shown,
            "your code used about one core.\n\
             \x20 sequential time          120.4 ms\n\
             \x20 parallel time (yours)    119.3 ms\n\
             \x20 speedup                   1.01x\n\
             \x20 required                  1.50x\n\
             \x20 cores available              2\n\
             \x20 cores used                 1.0\n\
             The numbers suggest: your code kept about one core busy: the work is not split across threads yet.\n\
             See how it scales: `cargo xtask curve letters`."
        );
    }
}
