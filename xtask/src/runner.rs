//! Running check binaries: one confined subject per check (and, for a judged
//! check, its judge beside it), a watchdog on each, bounded output, and a
//! fixed environment. Running only; what the learner reads is `report`'s.
//!
//! Everything a check process says reaches the rest of the xtask through
//! here, tamed: every string of a result is cut to 4 KiB and its control
//! characters escaped, so no message can flood a report or draw on a
//! terminal.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use grading_kit::protocol::{self, CheckInfo, CheckResult, Curve, Finding, Runs, SubjectLoss};

use crate::error::{Error, Result};
use crate::sandbox::{self, Capture, Limits, Policy, RESULT_TAIL, Started, TAIL, Tail};

/// The two builds of one check crate.
#[derive(Clone, Copy)]
pub struct Binaries<'a> {
    /// Built against the learner's crate: runs confined.
    pub subject: &'a Path,
    /// Built against the reference solution: never runs learner code.
    pub judge: &'a Path,
}

/// Whether a judge may write snapshots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snapshots {
    /// Compare with the stored snapshots and never write them.
    Compare,
    /// Store what the code produces (a maintainer blessing new snapshots).
    Bless,
}

/// How one check ended.
#[derive(Debug)]
pub enum Ran {
    /// The check reported a result (tamed).
    Reported(CheckResult),
    /// The watchdog stopped it; `threads` says what was still alive.
    TimedOut { limit: Duration, threads: Vec<ThreadState> },
    /// It exited without a result: a crash, an abort, an early `exit`.
    /// `output` is the tail of what it wrote to stderr, tamed.
    Vanished { status: String, output: String },
}

/// A thread still alive when the watchdog fired.
#[derive(Debug)]
pub struct ThreadState {
    pub name: String,
    /// Blocked (waiting on a lock, a channel, a join) rather than running.
    pub blocked: bool,
}

/// The longest string of a result that reaches a report.
const TEXT_LIMIT: usize = 4 * 1024;
/// The longest tail of a vanished check's output that reaches a report.
const OUTPUT_LIMIT: usize = 8 * 1024;
/// How long a check binary may take to list its checks.
const LIST_LIMIT: Duration = Duration::from_secs(30);
/// How long a subject may take to exit after its judge has.
const SUBJECT_GRACE: Duration = Duration::from_secs(2);

/// What confines a check on this machine (for `grade`'s summary and JSON).
pub fn protections() -> Vec<sandbox::Protection> {
    sandbox::protections()
}

/// Asks a check binary which checks it has. The binary is confined: a
/// subject binary runs the learner's constructors before `main`.
pub fn list(binary: &Path) -> Result<Vec<CheckInfo>> {
    let limits = Limits::for_timeout(LIST_LIMIT);
    let mut started = sandbox::spawn(binary, &Policy::default(), &limits, |command| {
        fixed_environment(command, Snapshots::Compare);
        command.arg("--list").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    })
    .map_err(|e| Error::io("run", binary, e))?;
    let stdout = Capture::start(started.child().stdout.take().expect("stdout is piped"), RESULT_TAIL);
    let stderr = Capture::start(started.child().stderr.take().expect("stderr is piped"), TAIL);
    let ended = watch(&mut started, LIST_LIMIT).map_err(|e| Error::io("wait for", binary, e))?;
    let (stdout, stderr) = (finish(stdout), finish(stderr));
    if !ended {
        return Err(Error::new(format!(
            "{} did not list its checks within {} s: rebuild it, or look for code that runs before `main`",
            binary.display(),
            LIST_LIMIT.as_secs()
        )));
    }
    serde_json::from_str(&stdout.text).map_err(|e| {
        Error::new(format!("{} did not list its checks", binary.display())).cause(e).cause(tame_output(&stderr))
    })
}

/// Runs one check under the watchdog, where its kind says: a judged check
/// as a subject and its judge, an in-subject check in the subject alone.
pub fn run(binaries: Binaries<'_>, check: &CheckInfo, snapshots: Snapshots) -> Result<Ran> {
    run_on(binaries, check, snapshots, None)
}

/// Runs one check under the watchdog, on the given CPUs only (Linux): what
/// the verdict benchmark uses to give each condition cores of its own.
pub fn run_pinned(binaries: Binaries<'_>, check: &CheckInfo, cpus: &[usize]) -> Result<Ran> {
    run_on(binaries, check, Snapshots::Compare, Some(cpus))
}

fn run_on(binaries: Binaries<'_>, check: &CheckInfo, snapshots: Snapshots, cpus: Option<&[usize]>) -> Result<Ran> {
    let limit = Duration::from_millis(check.timeout_ms);
    match check.runs {
        Runs::Judged => judged(binaries, check, snapshots, cpus, limit),
        Runs::InSubject => {
            let ended = in_subject(binaries.subject, &["--run", &check.name], "", cpus, limit)?;
            Ok(reported(ended, limit))
        }
    }
}

/// The speedup curve of a speedup check: the learner's code on 1, 2, …
/// threads. `Err` carries what went wrong, as for a check.
pub fn curve(subject: &Path, check: &CheckInfo, limit: Duration) -> Result<std::result::Result<Curve, Ran>> {
    let ended = in_subject(subject, &["--curve", &check.name], "", None, limit)?;
    if let Ended::Exited { result_stream, nonce, .. } = &ended
        && let Some(curve) = protocol::parse_result::<Curve>(&result_stream.text, nonce)
    {
        return Ok(Ok(curve));
    }
    Ok(Err(reported(ended, limit)))
}

/// Replays one schedule of an exploration check (from the exploration build).
pub fn replay(subject: &Path, check: &CheckInfo, schedule: &str) -> Result<Ran> {
    let limit = Duration::from_millis(check.timeout_ms);
    let ended = in_subject(subject, &["--replay", &check.name], schedule, None, limit)?;
    Ok(reported(ended, limit))
}

/// How a check's processes ended.
enum Ended {
    Exited {
        /// The subject's exit status.
        status: String,
        /// The stream that carries the result: the subject's stdout for an
        /// in-subject check, the judge's stderr for a judged one.
        result_stream: Tail,
        /// The subject's stderr.
        output: Tail,
        /// What the result line must carry ("judge" for a judge's).
        nonce: String,
    },
    TimedOut {
        threads: Vec<ThreadState>,
    },
}

/// The one place a check's end becomes a `Ran`: the result found by `parse`
/// in the result stream, tamed, or why there is none.
fn reported(ended: Ended, limit: Duration) -> Ran {
    match ended {
        Ended::TimedOut { threads } => Ran::TimedOut { limit, threads },
        Ended::Exited { status, result_stream, output, nonce } => {
            let result = protocol::parse_result(&result_stream.text, &nonce).and_then(|json| tame_result(json).ok());
            match result {
                // The judge lost the subject because it exited: what the
                // learner needs is how it exited and what it said.
                Some(CheckResult { finding: Finding::SubjectLost { why: SubjectLoss::Exited }, .. }) | None => {
                    Ran::Vanished { status, output: tame_output(&output) }
                }
                Some(result) => Ran::Reported(result),
            }
        }
    }
}

/// Runs a check in the subject alone: the nonce and `input` on its stdin,
/// the result on its stdout.
fn in_subject(subject: &Path, args: &[&str], input: &str, cpus: Option<&[usize]>, limit: Duration) -> Result<Ended> {
    let nonce = nonce();
    let limits = Limits::for_timeout(limit);
    let mut started = sandbox::spawn(subject, &Policy::default(), &limits, |command| {
        fixed_environment(command, Snapshots::Compare);
        command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        if let Some(cpus) = cpus {
            pin(command, cpus);
        }
    })
    .map_err(|e| Error::io("run", subject, e))?;
    {
        let mut stdin = started.child().stdin.take().expect("stdin is piped");
        // A binary that exits before reading its nonce closes the pipe: that
        // shows up as a missing result, not as an error here.
        let _ = writeln!(stdin, "{nonce}\n{input}");
    }
    let stdout = Capture::start(started.child().stdout.take().expect("stdout is piped"), RESULT_TAIL);
    let stderr = Capture::start(started.child().stderr.take().expect("stderr is piped"), TAIL);
    let learner = started.pid();
    let ended = watch_fairly(&mut started, learner, limit).map_err(|e| Error::io("wait for", subject, e))?;
    if !ended {
        let threads = started.pid().map(thread_states).unwrap_or_default();
        started.kill();
        return Ok(Ended::TimedOut { threads });
    }
    let status = started.exit_status();
    Ok(Ended::Exited { status, result_stream: finish(stdout), output: finish(stderr), nonce })
}

/// Runs a judged check: the subject confined, the judge beside it, each
/// one's stdout the other's stdin. The verdict is the judge's.
fn judged(
    binaries: Binaries<'_>,
    check: &CheckInfo,
    snapshots: Snapshots,
    cpus: Option<&[usize]>,
    limit: Duration,
) -> Result<Ran> {
    let limits = Limits::for_timeout(limit);
    let mut subject = sandbox::spawn(binaries.subject, &Policy::default(), &limits, |command| {
        fixed_environment(command, Snapshots::Compare);
        command.args(["--subject", &check.name]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        if let Some(cpus) = cpus {
            pin(command, cpus);
        }
    })
    .map_err(|e| Error::io("run", binaries.subject, e))?;
    let to_subject = subject.child().stdin.take().expect("stdin is piped");
    let from_subject = subject.child().stdout.take().expect("stdout is piped");
    let subject_output = Capture::start(subject.child().stderr.take().expect("stderr is piped"), TAIL);
    // The judge's end of both pipes moves into the judge: once it exits,
    // the subject reads the end of its input.
    let mut judge = sandbox::spawn_trusted(binaries.judge, |command| {
        fixed_environment(command, snapshots);
        command
            .args(["--judge", &check.name])
            .stdin(Stdio::from(from_subject))
            .stdout(Stdio::from(to_subject))
            .stderr(Stdio::piped());
        if let Some(cpus) = cpus {
            pin(command, cpus);
        }
    })
    .map_err(|e| Error::io("run", binaries.judge, e))?;
    let judge_says = Capture::start(judge.child().stderr.take().expect("stderr is piped"), RESULT_TAIL);

    let started = Instant::now();
    let learner = subject.pid();
    let judge_ended = watch_fairly(&mut judge, learner, limit).map_err(|e| Error::io("wait for", binaries.judge, e))?;
    if !judge_ended {
        // The judge waits for the subject: what hangs is the learner's code.
        let threads = subject.pid().map(thread_states).unwrap_or_default();
        subject.kill();
        judge.kill();
        return Ok(Ran::TimedOut { limit, threads });
    }
    let grace = limit.saturating_sub(started.elapsed()).min(SUBJECT_GRACE);
    if !watch(&mut subject, grace).map_err(|e| Error::io("wait for", binaries.subject, e))? {
        subject.kill();
    }
    let judge_status = judge.exit_status();
    let status = subject.exit_status();
    let judge_says = finish(judge_says);
    if protocol::parse_judge(&judge_says.text).is_none() {
        // A judge runs no learner code, but it reads what the subject
        // sends: the check scores nothing, and grading goes on. What the
        // judge said is kept for a maintainer.
        return Ok(Ran::Vanished {
            status: format!("the judge ended without a verdict ({judge_status}); the check binary: {status}"),
            output: tame_output(&judge_says),
        });
    }
    let ended =
        Ended::Exited { status, result_stream: judge_says, output: finish(subject_output), nonce: "judge".into() };
    Ok(reported(ended, limit))
}

/// How many more limits a check may run whose learner code is starved: its
/// threads want to run, but the machine is busy with other work and gives
/// them little CPU. Such code is late, not stuck; calling it a deadlock or
/// an endless loop would be the machine's verdict, not the code's.
const STARVED_EXTENSIONS: u32 = 2;
/// Below this share of one core over a limit, running threads are starved.
const STARVED_SHARE: f64 = 0.5;

/// [`watch`], giving more time while the learner's process (`learner`)
/// has threads that want to run but got less than [`STARVED_SHARE`] of a
/// core: a deadlock (every thread blocked) or an endless loop (a core's
/// worth of CPU) is stopped at `limit`, as before.
fn watch_fairly(watched: &mut Started, learner: Option<u32>, limit: Duration) -> std::io::Result<bool> {
    let mut cpu_before = learner.and_then(cpu_seconds);
    for extension in 0..=STARVED_EXTENSIONS {
        if watch(watched, limit)? {
            return Ok(true);
        }
        let Some(pid) = learner else { return Ok(false) };
        let cpu_now = cpu_seconds(pid);
        let got = cpu_now.zip(cpu_before).map(|(now, before)| now - before);
        let wants_to_run = thread_states(pid).iter().any(|t| !t.blocked);
        if extension == STARVED_EXTENSIONS || !starved(got, wants_to_run, limit) {
            return Ok(false);
        }
        cpu_before = cpu_now;
    }
    Ok(false)
}

/// Whether a process that got `cpu` seconds of CPU over `window` was
/// starved by the machine, not stuck by its own code.
fn starved(cpu: Option<f64>, wants_to_run: bool, window: Duration) -> bool {
    wants_to_run && cpu.is_some_and(|cpu| cpu < STARVED_SHARE * window.as_secs_f64())
}

/// CPU seconds used so far by process `pid`, all its threads (Linux).
fn cpu_seconds(pid: u32) -> Option<f64> {
    #[cfg(target_os = "linux")]
    {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // After `pid (comm) `: state is field 3, utime and stime 14 and 15.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        // SAFETY: sysconf only reads a configuration value.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        (per_second > 0).then(|| ticks / per_second as f64)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

/// Waits until `started` ends or `limit` passes; whether it ended.
fn watch(started: &mut Started, limit: Duration) -> std::io::Result<bool> {
    let begun = Instant::now();
    loop {
        if started.has_ended()? {
            return Ok(true);
        }
        if begun.elapsed() >= limit {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// What was captured, once the writers are gone; a pipe that a leftover
/// process holds (where no pid namespace kills it) is let go after a second.
fn finish(capture: Capture) -> Tail {
    capture.finish(Instant::now() + Duration::from_secs(1))
}

/// The environment of a check is fixed: nothing the learner (or the shell)
/// set may change a verdict, such as `INSTA_UPDATE`, `PROPTEST_CASES`,
/// `RAYON_NUM_THREADS` or `COURSE_SANDBOX`. Snapshots are written only when
/// blessing.
fn fixed_environment(command: &mut Command, snapshots: Snapshots) {
    command.env_clear();
    for key in ["PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT"] {
        if let Some(value) = std::env::var_os(key) {
            command.env(key, value);
        }
    }
    let update = match snapshots {
        Snapshots::Compare => "no",
        Snapshots::Bless => "always",
    };
    command.env("INSTA_UPDATE", update).env("INSTA_FORCE_PASS", "0").env("INSTA_OUTPUT", "none");
}

/// A nonce no learner code can guess: fresh randomness from the OS.
fn nonce() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos() ^ u128::from(std::process::id()));
    let a = hasher.finish();
    let b = RandomState::new().hash_one(a);
    format!("{a:016x}{b:016x}")
}

/// A result as the rest of the xtask may see it: every string in it tamed.
fn tame_result(json: serde_json::Value) -> serde_json::Result<CheckResult> {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) => *text = tame_text(text),
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(walk),
            _ => {}
        }
    }
    let mut json = json;
    walk(&mut json);
    serde_json::from_value(json)
}

/// A string from a check process, made safe to show: at most 4 KiB (the
/// start is kept, and how much was cut is said), with control characters
/// escaped except newlines and tabs, so that no ANSI sequence reaches a
/// terminal and no carriage return rewrites a line.
pub fn tame_text(text: &str) -> String {
    let (kept, cut) = head(text, TEXT_LIMIT);
    let mut tamed = escape_controls(kept);
    if tamed.len() > TEXT_LIMIT || cut > 0 {
        let (kept, more) = head(&tamed, TEXT_LIMIT);
        tamed = format!("{kept}… [{} more bytes cut]", cut + more);
    }
    tamed
}

/// The tail of a check's output, tamed as `tame_text` does, keeping the end.
fn tame_output(tail: &Tail) -> String {
    escape_controls(&tail.shown(OUTPUT_LIMIT))
}

/// The first `limit` bytes of `text` on a character boundary, and how many
/// bytes were left out.
fn head(text: &str, limit: usize) -> (&str, usize) {
    if text.len() <= limit {
        return (text, 0);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], text.len() - end)
}

fn escape_controls(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        // Bidirectional overrides are not control characters, but they can
        // make a line read as something else.
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && c != '\n' && c != '\t') || bidi {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// What each thread of a hung check was doing (Linux only: elsewhere the
/// timeout message simply has no thread list).
fn thread_states(pid: u32) -> Vec<ThreadState> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    let mut threads: Vec<(u32, ThreadState)> = tasks
        .filter_map(|task| {
            let task = task.ok()?;
            let tid: u32 = task.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
            // `pid (comm) STATE ...`: comm may hold spaces and parentheses.
            let (comm_part, rest) = stat.rsplit_once(')')?;
            // The first thread is the process itself; its name is the
            // binary's, which says nothing to the learner.
            let name = if tid == pid { "main".to_string() } else { tame_text(comm_part.split_once('(')?.1) };
            let state = rest.split_whitespace().next()?;
            Some((tid, ThreadState { name, blocked: state != "R" }))
        })
        .collect();
    threads.sort_by_key(|(tid, _)| *tid);
    threads.into_iter().map(|(_, t)| t).collect()
}

/// Restricts a command to `cpus` (Linux; elsewhere it runs unpinned).
pub fn pin(command: &mut Command, cpus: &[usize]) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        let cpus = cpus.to_vec();
        // SAFETY: between fork and exec this only fills a local cpu set and
        // makes one async-signal-safe system call.
        unsafe {
            command.pre_exec(move || {
                let mut set: libc::cpu_set_t = std::mem::zeroed();
                for &cpu in &cpus {
                    libc::CPU_SET(cpu, &mut set);
                }
                if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (command, cpus);
}

#[cfg(test)]
mod tests;
