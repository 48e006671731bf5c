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

fn render_exercise(exercise: &ExerciseReport, learner: bool) -> String {
    let name = paint(&exercise.name, Color::Bold);
    if exercise.not_started() {
        let what =
            if learner { format!("not started: write exercises/{}/src/", exercise.name) } else { "not started".into() };
        return format!("{} {name}  {}\n", paint("·", Color::Dim), paint(&what, Color::Dim));
    }
    let mut out = format!("{} {name}\n", mark(exercise.status));
    for check in &exercise.checks {
        let kind =
            serde_json::to_value(check.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
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
        if check.status != Status::Pass {
            for line in check.message.lines() {
                out.push_str(&format!("        {line}\n"));
            }
        }
    }
    out
}
