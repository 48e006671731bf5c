//! Running check binaries: one process per check, a watchdog on each, and
//! a fixed environment. Running only; what the learner reads is `report`'s.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use grading_kit::protocol::{self, CheckInfo, CheckResult, Curve, Runs};

use crate::error::{Error, Result};
use crate::sandbox;

/// The two builds of one check crate: against the learner's crate (the
/// subject) and against the reference solution (the judge).
#[derive(Clone, Copy)]
pub struct Binaries<'a> {
    pub subject: &'a Path,
    pub judge: &'a Path,
}

/// Whether a snapshot check compares with the stored snapshot or writes it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Snapshots {
    Compare,
    /// Maintainers: write the snapshots (from the reference solutions).
    Bless,
}

impl Snapshots {
    fn insta_update(self) -> &'static str {
        match self {
            Snapshots::Compare => "no",
            Snapshots::Bless => "always",
        }
    }
}

/// What protects the grader from the code it runs, and whether it is on here.
pub fn protections() -> Vec<sandbox::Protection> {
    sandbox::protections()
}

/// How one check ended.
pub enum Ran {
    /// The binary reported a result carrying our nonce.
    Reported(CheckResult),
    /// The watchdog stopped it; `threads` says what was still alive.
    TimedOut { limit: Duration, threads: Vec<ThreadState> },
    /// It exited without a result: a crash, an abort, or an early `exit`.
    Vanished { status: String, output: String },
}

/// A thread still alive when the watchdog fired.
pub struct ThreadState {
    pub name: String,
    /// Blocked (waiting on a lock, a channel, a join) rather than running.
    pub blocked: bool,
}

/// Asks a check binary which checks it has.
pub fn list(binary: &Path) -> Result<Vec<CheckInfo>> {
    let output =
        checked_command(binary).arg("--list").stdin(Stdio::null()).output().map_err(|e| Error::io("run", binary, e))?;
    serde_json::from_slice(&output.stdout).map_err(|e| {
        Error::new(format!("{} did not list its checks", binary.display()))
            .cause(e)
            .cause(String::from_utf8_lossy(&output.stderr))
    })
}

/// Runs one check under the watchdog: judged between the two binaries, or
/// in the subject alone, as the check says.
pub fn run(binaries: Binaries<'_>, check: &CheckInfo, snapshots: Snapshots) -> Result<Ran> {
    match check.runs {
        Runs::Judged => judged(binaries, check, snapshots),
        Runs::InSubject => run_on(binaries.subject, check, snapshots.insta_update(), None),
    }
}

/// Runs one check under the watchdog, on the given CPUs only (Linux): what
/// the verdict benchmark uses to give each condition cores of its own.
pub fn run_pinned(binaries: Binaries<'_>, check: &CheckInfo, cpus: &[usize]) -> Result<Ran> {
    match check.runs {
        Runs::Judged => judged(binaries, check, Snapshots::Compare),
        Runs::InSubject => run_on(binaries.subject, check, "no", Some(cpus)),
    }
}

/// A judged check: the judge's stdout is the subject's stdin and the other
/// way round; the verdict is the last line of the judge's stderr.
// INTERIM (architecture branch): the runner engineer's runner.rs replaces
// this with the sandboxed version.
fn judged(binaries: Binaries<'_>, check: &CheckInfo, snapshots: Snapshots) -> Result<Ran> {
    let limit = Duration::from_millis(check.timeout_ms);
    let mut subject = checked_command(binaries.subject);
    subject.args(["--subject", &check.name]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    die_with_parent(&mut subject);
    let mut subject = subject.spawn().map_err(|e| Error::io("run", binaries.subject, e))?;
    let mut judge = checked_command(binaries.judge);
    judge
        .args(["--judge", &check.name])
        .env("INSTA_UPDATE", snapshots.insta_update())
        .stdin(Stdio::from(subject.stdout.take().expect("stdout is piped")))
        .stdout(Stdio::from(subject.stdin.take().expect("stdin is piped")))
        .stderr(Stdio::piped());
    die_with_parent(&mut judge);
    let mut judge = judge.spawn().map_err(|e| Error::io("run", binaries.judge, e))?;
    let subject_err = drain(subject.stderr.take().expect("stderr is piped"));
    let judge_err = drain(judge.stderr.take().expect("stderr is piped"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = judge.try_wait().map_err(|e| Error::io("wait for", binaries.judge, e))? {
            break status;
        }
        if started.elapsed() >= limit {
            let threads = thread_states(subject.id());
            let _ = subject.kill();
            let _ = judge.kill();
            let _ = (subject.wait(), judge.wait());
            return Ok(Ran::TimedOut { limit, threads });
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = subject.kill();
    let _ = subject.wait();
    let stderr = judge_err.join().unwrap_or_default();
    Ok(match protocol::parse_judge(&stderr) {
        Some(result) => Ran::Reported(result),
        None => Ran::Vanished { status: status.to_string(), output: subject_err.join().unwrap_or_default() + &stderr },
    })
}

fn run_on(binary: &Path, check: &CheckInfo, insta_update: &str, cpus: Option<&[usize]>) -> Result<Ran> {
    let limit = Duration::from_millis(check.timeout_ms);
    Ok(match watched(binary, &["--run", &check.name], "", insta_update, cpus, limit)? {
        Watched::Exited { stdout, stderr, status, nonce } => match protocol::parse_result(&stdout, &nonce) {
            Some(result) => Ran::Reported(result),
            None => Ran::Vanished { status, output: stderr },
        },
        Watched::TimedOut { threads } => Ran::TimedOut { limit, threads },
    })
}

/// The speedup curve of a speedup check: the learner's code on 1, 2, …
/// threads. `Err` carries what went wrong, as for a check.
pub fn curve(subject: &Path, check: &CheckInfo, limit: Duration) -> Result<std::result::Result<Curve, Ran>> {
    Ok(match watched(subject, &["--curve", &check.name], "", "no", None, limit)? {
        Watched::Exited { stdout, stderr, status, nonce } => match protocol::parse_result::<Curve>(&stdout, &nonce) {
            Some(curve) => Ok(curve),
            None => Err(match protocol::parse_result(&stdout, &nonce) {
                Some(result) => Ran::Reported(result),
                None => Ran::Vanished { status, output: stderr },
            }),
        },
        Watched::TimedOut { threads } => Err(Ran::TimedOut { limit, threads }),
    })
}

/// Replays one schedule of an exploration check (from the exploration build).
pub fn replay(subject: &Path, check: &CheckInfo, schedule: &str) -> Result<Ran> {
    let limit = Duration::from_millis(check.timeout_ms);
    Ok(match watched(subject, &["--replay", &check.name], schedule, "no", None, limit)? {
        Watched::Exited { stdout, stderr, status, nonce } => match protocol::parse_result(&stdout, &nonce) {
            Some(result) => Ran::Reported(result),
            None => Ran::Vanished { status, output: stderr },
        },
        Watched::TimedOut { threads } => Ran::TimedOut { limit, threads },
    })
}

enum Watched {
    Exited { stdout: String, stderr: String, status: String, nonce: String },
    TimedOut { threads: Vec<ThreadState> },
}

/// Starts a check binary in a process group of its own, hands it a fresh
/// nonce (and `input`, on the next line of stdin), and waits at most
/// `limit` for it.
fn watched(
    binary: &Path,
    args: &[&str],
    input: &str,
    insta_update: &str,
    cpus: Option<&[usize]>,
    limit: Duration,
) -> Result<Watched> {
    let nonce = nonce();
    let mut command = checked_command(binary);
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command.env("INSTA_UPDATE", insta_update);
    if let Some(cpus) = cpus {
        pin(&mut command, cpus);
    }
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    die_with_parent(&mut command);
    let mut child = command.spawn().map_err(|e| Error::io("run", binary, e))?;
    {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // A binary that exits before reading its nonce closes the pipe: that
        // shows up as a missing result, not as an error here.
        let _ = writeln!(stdin, "{nonce}\n{input}");
    }
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| Error::io("wait for", binary, e))? {
            break status;
        }
        if started.elapsed() >= limit {
            let threads = thread_states(child.id());
            kill_group(&mut child);
            return Ok(Watched::TimedOut { threads });
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Ok(Watched::Exited {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        status: status.to_string(),
        nonce,
    })
}

/// The environment of a check is fixed: nothing the learner (or the shell)
/// set may change a verdict, such as `INSTA_UPDATE`, `PROPTEST_CASES` or
/// `RAYON_NUM_THREADS`. Snapshots are never written unless `run` is told to.
fn checked_command(binary: &Path) -> Command {
    let mut command = Command::new(binary);
    command.env_clear();
    for key in ["PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT"] {
        if let Some(value) = std::env::var_os(key) {
            command.env(key, value);
        }
    }
    command.env("INSTA_UPDATE", "no").env("INSTA_FORCE_PASS", "0").env("INSTA_OUTPUT", "none");
    command
}

fn drain(pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = std::io::Read::read_to_end(&mut { pipe }, &mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
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

/// Kills the check and every process it started.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        // SAFETY: kill(2) with a negative pid signals the process group the
        // child leads (it was spawned with `process_group(0)`).
        unsafe {
            libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
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
            let name = if tid == pid { "main".to_string() } else { comm_part.split_once('(')?.1.to_string() };
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

/// A check in a process group of its own escapes the Ctrl+C that stops the
/// runner; on Linux it is killed when the runner's thread that started it
/// dies, so that a deadlocked check never outlives the `cargo xtask` that
/// started it.
fn die_with_parent(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl(PR_SET_PDEATHSIG) is async-signal-safe and touches
        // only the child being set up.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}
