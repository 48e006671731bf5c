//! Findings in words for people: each outcome becomes a few lines, each with
//! a tone (what colour it gets on a terminal). The plain text of those lines
//! is the JSON's `message`; the painted text is the learner's screen.

use grading_kit::protocol::{
    Deadlock, Failure, Finding, Panic, SlowCause, SpeedupFigures, SpeedupVerdict, SubjectLoss,
};

use super::{CheckReport, Outcome, Thread};

/// How a line is shown on a terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// An expected value.
    Expected,
    /// What the code gave; a failure's headline.
    Wrong,
    /// A diff's removed line (`-`: the snapshot has it, yours does not):
    /// red, as in every diff a learner has seen (git, `cargo insta review`).
    Removed,
    /// A diff's added line (`+`: yours has it, the snapshot does not): green.
    Added,
    /// A heading worth finding at a glance.
    Strong,
    /// A warning that is not a failure (a timeout's headline).
    Warn,
    /// A location in source code.
    Code,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub tone: Tone,
}

fn line(tone: Tone, text: impl Into<String>) -> Line {
    Line { text: text.into(), tone }
}

/// Lines of plain text, each kept as one or more `Plain` lines.
fn plain_lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    text.lines().map(|l| line(Tone::Plain, l))
}

/// The lines as plain text.
pub fn plain(lines: &[Line]) -> String {
    lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
}

const NOT_STARTED_YET: &str = "not run yet: the exercise is not started (every other check met a `todo!()`)";

/// What one check found, in words.
pub fn describe(check: &CheckReport, exercise: &str) -> Vec<Line> {
    match &check.outcome {
        Outcome::Reported { finding } => finding_lines(finding, exercise),
        Outcome::TimedOut { limit_s, threads } => timeout(*limit_s, threads),
        Outcome::Vanished { exit, output } => vanished(exit, output),
        Outcome::NotRun { hung } => {
            vec![line(Tone::Plain, format!("not run: `{hung}` hung before it; fix that first"))]
        }
        Outcome::NotStartedYet => vec![line(Tone::Plain, NOT_STARTED_YET.to_string())],
        Outcome::BuildError { error, location } => build_error(error, location.as_deref()),
        Outcome::Refused { why } => plain_lines(why).collect(),
    }
}

/// One line for a failure after the first, which is often its echo: the
/// details wait until the failure above is fixed. A failure whose kind is
/// told in one sentence keeps that sentence (a speedup not measured because
/// the output is wrong, a timeout), so the learner knows what waits.
pub fn summary(check: &CheckReport) -> String {
    const MORE: &str = "(more once the failure above is fixed)";
    match &check.outcome {
        Outcome::NotRun { hung } => format!("not run: `{hung}` hung before it; fix that first"),
        Outcome::NotStartedYet => NOT_STARTED_YET.to_string(),
        Outcome::Reported { finding: Finding::Speedup { verdict: SpeedupVerdict::WrongOutput { .. }, .. } } => {
            format!("the output is wrong, so its speed was not measured. {MORE}")
        }
        Outcome::TimedOut { limit_s, .. } => {
            format!("timed out after {limit_s:.0} s and was stopped: a possible deadlock. {MORE}")
        }
        _ => "fails too; the details show once the failure above is fixed".to_string(),
    }
}

fn finding_lines(finding: &Finding, exercise: &str) -> Vec<Line> {
    match finding {
        Finding::Passed => Vec::new(),
        Finding::NotStarted { panic } => vec![line(Tone::Plain, format!("not written yet: {}", panicked(panic)))],
        Finding::Counterexample { input, shrunk, failure } => {
            let heading = if *shrunk { "minimal failing input:" } else { "failing input:" };
            // A fixed case has no input worth a line of its own.
            let mut out = if matches!(input.trim(), "" | "()") { Vec::new() } else { compact_input(heading, input) };
            out.extend(failure_lines(failure));
            out
        }
        Finding::SnapshotMismatch { snapshot, expected, actual } => {
            let mut out = vec![line(
                Tone::Plain,
                format!("the output differs from the snapshot `{snapshot}` (- expected, + yours):"),
            )];
            out.extend(diff(expected, actual));
            out
        }
        Finding::Speedup { figures, verdict } => speedup(figures, verdict, exercise),
        Finding::Interleaving { failure, replay_token, trace, deadlock } => {
            let mut out = match (deadlock, failure) {
                (Some(Deadlock::Cycle), _) => {
                    let mut out = vec![line(
                        Tone::Plain,
                        "a deadlock: in one interleaving the threads ended up waiting for each other in a cycle:",
                    )];
                    out.extend(trace.iter().map(|t| line(Tone::Wrong, format!("  {t}"))));
                    out.push(line(
                        Tone::Plain,
                        "Take locks in one global order (the lower-numbered first, say), or never hold one while \
                         taking another.",
                    ));
                    out
                }
                (Some(Deadlock::NobodyToWake), other) => {
                    let mut out = vec![line(
                        Tone::Plain,
                        "a deadlock: in one interleaving every thread ended up waiting, and nobody was left to wake \
                         them. Look for a wait that nobody will signal (a notify before the wait, an `if` where a \
                         `while` belongs), or a join on a thread that waits.",
                    )];
                    out.extend(failure_lines(other));
                    out
                }
                (None, Failure::Said { why }) => plain_lines(why).collect(),
                (None, other) => {
                    let mut out = vec![line(Tone::Plain, "an interleaving broke the invariant:")];
                    out.extend(failure_lines(other));
                    out
                }
            };
            if !trace.is_empty() && *deadlock != Some(Deadlock::Cycle) {
                out.push(line(Tone::Plain, "the last lock operations before it:"));
                out.extend(trace.iter().map(|t| line(Tone::Plain, format!("  {t}"))));
            }
            if let Some(token) = replay_token {
                out.push(line(Tone::Strong, format!("replay token: {token}")));
                out.push(line(
                    Tone::Plain,
                    format!("run exactly this interleaving again: `cargo xtask replay {exercise} {token}`"),
                ));
            }
            out
        }
        Finding::Failed { failure } => failure_lines(failure),
        Finding::SubjectLost { why: SubjectLoss::Exited } => vec![line(
            Tone::Plain,
            "the code under test ended its process without giving a verdict: it may have called \
             `std::process::exit`, aborted, or overflowed its stack. An early exit is never a pass.",
        )],
        Finding::SubjectLost { why: SubjectLoss::Garbled { line: garbled } } => vec![
            line(Tone::Plain, "the code under test wrote something that is not an answer to the check:"),
            line(Tone::Wrong, format!("  {garbled}")),
            line(Tone::Plain, "print nothing to the check's channel; a check is never passed by output."),
        ],
    }
}

fn failure_lines(failure: &Failure) -> Vec<Line> {
    match failure {
        Failure::Mismatch { expected, actual } => {
            vec![
                line(Tone::Expected, format!("expected: {expected}")),
                line(Tone::Wrong, format!("     got: {actual}")),
            ]
        }
        Failure::Said { why } => plain_lines(why).collect(),
        Failure::Panicked { panic } if panic.is_todo() => {
            vec![line(Tone::Plain, format!("not written yet: {}", panicked(panic)))]
        }
        Failure::Panicked { panic } if panic.message.starts_with("failed to spawn thread") => vec![
            line(Tone::Wrong, panicked(panic)),
            line(
                Tone::Plain,
                "The check ran out of threads: it allows a few hundred at once. Starting one thread per task \
                 does not scale; start a fixed number of threads (a pool) and hand them the tasks.",
            ),
        ],
        Failure::Panicked { panic } => vec![line(Tone::Wrong, panicked(panic))],
        Failure::GaveUp { why } => vec![line(Tone::Plain, format!("the check gave up: {why}"))],
    }
}

/// `panicked at src/lib.rs:3:5 (in worker-1): boom`
fn panicked(panic: &Panic) -> String {
    let at = panic.location.as_deref().map(|l| format!(" at {l}")).unwrap_or_default();
    let thread = if panic.thread == "main" { String::new() } else { format!(" (in {})", panic.thread) };
    format!("panicked{at}{thread}: {}", panic.message)
}

/// A minimal input printed one element a line (`{:#?}`) can fill several
/// screens; past a dozen lines it is joined up and wrapped, to stay on one.
fn compact_input(heading: &str, input: &str) -> Vec<Line> {
    const MOST_LINES: usize = 12;
    const WIDTH: usize = 100;
    let lines: Vec<&str> = input.lines().collect();
    if lines.len() <= 1 {
        return vec![line(Tone::Strong, format!("{heading} {input}"))];
    }
    if lines.len() <= MOST_LINES {
        let mut out = vec![line(Tone::Strong, format!("{heading} {}", lines[0]))];
        out.extend(lines[1..].iter().map(|l| line(Tone::Plain, *l)));
        return out;
    }
    let joined = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    let joined = joined.replace("( ", "(").replace("[ ", "[").replace(", ]", "]").replace(", )", ")");
    let mut wrapped = vec![String::new()];
    for word in joined.split(' ') {
        let current = wrapped.last_mut().expect("never empty");
        if !current.is_empty() && current.len() + word.len() + 1 > WIDTH {
            wrapped.push(word.to_string());
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    let mut out = vec![line(Tone::Strong, heading)];
    let shown = wrapped.len().min(MOST_LINES / 2);
    for (i, text) in wrapped.iter().take(shown).enumerate() {
        let more = if i + 1 == shown && wrapped.len() > shown { " …" } else { "" };
        out.push(line(Tone::Plain, format!("    {text}{more}")));
    }
    out
}

/// A line diff of a snapshot: removed lines (expected) and added lines
/// (yours), with a line of context around each change.
fn diff(expected: &str, actual: &str) -> Vec<Line> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(expected, actual);
    let mut out = Vec::new();
    for group in diff.grouped_ops(1) {
        for op in group {
            for change in diff.iter_changes(&op) {
                let text = change.value().trim_end_matches('\n');
                out.push(match change.tag() {
                    ChangeTag::Delete => line(Tone::Removed, format!("-{text}")),
                    ChangeTag::Insert => line(Tone::Added, format!("+{text}")),
                    ChangeTag::Equal => line(Tone::Plain, format!(" {text}")),
                });
            }
        }
    }
    out
}

fn slow_cause(cause: SlowCause) -> &'static str {
    match cause {
        SlowCause::OneCore => "used about one core",
        SlowCause::BusyWithoutGain => "kept cores busy without getting faster",
        SlowCause::TooSlow => "not fast enough",
    }
}

/// The verdict and the kit's advice, then the figures as a small table, then
/// what they suggest.
fn speedup(f: &SpeedupFigures, verdict: &SpeedupVerdict, exercise: &str) -> Vec<Line> {
    let mut out = match verdict {
        SpeedupVerdict::Faster => Vec::new(),
        SpeedupVerdict::Slow { cause, advice } => {
            let mut out =
                vec![line(Tone::Wrong, format!("speedup check failed ({}) in every round:", slow_cause(*cause)))];
            out.extend(plain_lines(advice));
            out
        }
        SpeedupVerdict::Undecided { why } => vec![line(Tone::Warn, format!("inconclusive: {why}"))],
        SpeedupVerdict::WrongOutput { expected, actual } => {
            return vec![
                line(Tone::Plain, "the output is wrong, so its speed was not measured."),
                line(Tone::Expected, format!("expected: {expected}")),
                line(Tone::Wrong, format!("     got: {actual}")),
            ];
        }
    };
    if f.subject_ms <= 0.0 {
        // Nothing was timed (one core: nothing to measure).
        return out;
    }
    // Numbers aligned on their last digit, units after them.
    let row = |label: &str, number: String, unit: &str| line(Tone::Plain, format!("  {label:<22}{number:>8}{unit}"));
    out.push(row("sequential time", format!("{:.1}", f.reference_ms), " ms"));
    out.push(row("parallel time (yours)", format!("{:.1}", f.subject_ms), " ms"));
    out.push(row("speedup", format!("{:.2}", f.speedup), "x"));
    out.push(row("required", format!("{:.2}", f.required), "x"));
    out.push(row("cores available", f.cores.to_string(), ""));
    out.push(row("cores used", format!("{:.1}", f.cores_used), ""));
    if let Some(gain) = f.workload_gain {
        out.push(row("sequential, all cores", format!("{gain:.2}"), "x (copies at once)"));
    }
    if matches!(verdict, SpeedupVerdict::Faster) {
        return out;
    }
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
    out.push(line(Tone::Plain, format!("The numbers suggest: {suggests}.")));
    out.push(line(Tone::Plain, format!("See how it scales: `cargo xtask curve {exercise}`.")));
    out
}

fn timeout(limit_s: f64, threads: &[Thread]) -> Vec<Line> {
    let mut out =
        vec![line(Tone::Warn, format!("timed out after {limit_s:.0} s and was stopped: a possible deadlock."))];
    if !threads.is_empty() {
        let running = threads.iter().filter(|t| !t.blocked).count();
        let names: Vec<String> =
            threads.iter().map(|t| format!("{} ({})", t.name, if t.blocked { "blocked" } else { "running" })).collect();
        let alive =
            if threads.len() == 1 { "1 thread was".to_string() } else { format!("{} threads were", threads.len()) };
        out.push(line(Tone::Plain, format!("{alive} still alive: {}.", names.join(", "))));
        out.push(line(
            Tone::Plain,
            if running == 0 {
                "Every thread was blocked, waiting for another: that is a deadlock."
            } else {
                "Some threads were still running: an endless loop, a busy-wait that never sees its \
                 signal, or work far slower than it should be."
            },
        ));
    }
    out.extend(plain_lines(
        "The usual causes:\n\
         - a receiver waiting on a channel whose senders were never all dropped \
         (drop the original `Sender` once every worker has its clone);\n\
         - a lock taken twice on one thread, or two locks taken in opposite orders;\n\
         - a `join` on a thread that itself waits forever.",
    ));
    out
}

fn vanished(exit: &str, output: &str) -> Vec<Line> {
    let mut out = vec![line(
        Tone::Plain,
        format!(
            "the check ended ({exit}) without giving a verdict: the code under test may have called \
             `std::process::exit`, aborted, or overflowed its stack. An early exit is never a pass."
        ),
    )];
    let tail: Vec<&str> = output.lines().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
    if !tail.is_empty() {
        out.push(line(Tone::Plain, "its last output:"));
        out.extend(tail.into_iter().map(|l| line(Tone::Plain, l)));
    }
    out
}

/// The compiler's first error, its location first: the headline says where.
fn build_error(error: &str, location: Option<&str>) -> Vec<Line> {
    let mut out = vec![match location {
        Some(at) => line(Tone::Wrong, format!("does not compile at {at}")),
        None => line(Tone::Wrong, "the code does not compile; the compiler's first error:"),
    }];
    out.extend(error.lines().map(|l| {
        let tone = if l.starts_with("error") {
            Tone::Wrong
        } else if l.trim_start().starts_with("-->") {
            Tone::Code
        } else {
            Tone::Plain
        };
        line(tone, l)
    }));
    out.push(line(Tone::Plain, "Fix this first error and save: later errors often follow from it."));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_minimal_input_is_wrapped_onto_a_few_lines() {
        let numbers: Vec<String> = (0..200).map(|n| format!("    {n},")).collect();
        let input = format!("[\n{}\n]", numbers.join("\n"));
        let shown = plain(&compact_input("minimal failing input:", &input));
        assert!(shown.lines().count() <= 8, "{shown}");
        assert!(shown.starts_with("minimal failing input:\n    [0, 1, 2,"), "{shown}");
        assert!(shown.ends_with('…'), "{shown}");
        assert_eq!(
            plain(&compact_input("minimal failing input:", "[\n    1,\n]")),
            "minimal failing input: [\n    1,\n]"
        );
    }

    #[test]
    fn a_failed_speedup_gives_the_advice_a_table_and_what_it_suggests() {
        let figures = SpeedupFigures {
            speedup: 1.01,
            required: 1.5,
            cores: 2,
            cores_used: 1.02,
            reference_cores_used: 1.0,
            calibration: 1.9,
            reference_ms: 120.44,
            subject_ms: 119.3,
            workload_gain: None,
            rounds: 3,
        };
        let verdict = SpeedupVerdict::Slow { cause: SlowCause::OneCore, advice: "split the work.".into() };
        assert_eq!(
            plain(&speedup(&figures, &verdict, "letters")),
            "speedup check failed (used about one core) in every round:\n\
             split the work.\n\
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

    /// Where the check weighed copies of the reference, the learner sees
    /// what they gained: the machine could speed this work up.
    #[test]
    fn a_busy_run_shows_what_copies_of_the_sequential_code_gained() {
        let figures = SpeedupFigures {
            speedup: 0.98,
            required: 1.45,
            cores_used: 1.97,
            reference_cores_used: 1.0,
            calibration: 1.9,
            reference_ms: 120.0,
            subject_ms: 122.4,
            workload_gain: Some(1.9),
            rounds: 3,
            ..SpeedupFigures::unmeasured(2)
        };
        let verdict = SpeedupVerdict::Slow { cause: SlowCause::BusyWithoutGain, advice: "stop spinning.".into() };
        let shown = plain(&speedup(&figures, &verdict, "letters"));
        assert!(shown.contains("\n  sequential, all cores     1.90x (copies at once)\n"), "{shown}");
        assert!(shown.contains("kept 2.0 cores busy but got no faster"), "{shown}");
    }

    #[test]
    fn a_snapshot_mismatch_is_a_line_diff() {
        let lines = diff("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(plain(&lines), " a\n-b\n+B\n c");
        let tones: Vec<Tone> = lines.iter().map(|l| l.tone).collect();
        assert_eq!(tones, [Tone::Plain, Tone::Removed, Tone::Added, Tone::Plain], "removed red, added green");
    }

    #[test]
    fn a_build_error_says_where_in_its_headline() {
        let shown = plain(&build_error("error: oops\n --> src/lib.rs:1:2", Some("src/lib.rs:1:2")));
        assert!(shown.starts_with("does not compile at src/lib.rs:1:2\nerror: oops\n"), "{shown}");
        let shown = plain(&build_error("error: oops", None));
        assert!(shown.starts_with("the code does not compile; the compiler's first error:\nerror: oops"), "{shown}");
    }

    #[test]
    fn a_later_wrong_output_says_its_speed_was_not_measured() {
        let figures = SpeedupFigures { required: 1.5, ..SpeedupFigures::unmeasured(2) };
        let verdict = SpeedupVerdict::WrongOutput { expected: "1".into(), actual: "2".into() };
        let check = CheckReport {
            name: "faster".into(),
            kind: grading_kit::protocol::CheckKind::Speedup,
            status: grading_kit::protocol::Status::Fail,
            outcome: Outcome::Reported { finding: Finding::Speedup { figures, verdict } },
        };
        assert_eq!(
            summary(&check),
            "the output is wrong, so its speed was not measured. (more once the failure above is fixed)"
        );
    }

    #[test]
    fn a_panic_says_where_and_on_which_thread() {
        let panic = Panic { message: "boom".into(), location: Some("src/lib.rs:3:5".into()), thread: "worker".into() };
        assert_eq!(panicked(&panic), "panicked at src/lib.rs:3:5 (in worker): boom");
    }
}
