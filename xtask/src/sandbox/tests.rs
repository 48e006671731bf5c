//! Attacks on the sandbox, each run confined as a check would be. Each test
//! asserts that the attack failed, that this process (the grader) is fine,
//! and that nothing the attack started is still running.
//!
//! Shell attacks run /bin/sh (its folders are made readable for them);
//! attacks that need Rust (threads, memory, TCP) re-run this test binary
//! confined, in `confined_attack`, with the attack named in the
//! environment.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::*;

/// Names the attack a re-run of this test binary carries out.
const ATTACK: &str = "XTASK_SANDBOX_ATTACK";
/// Marks every process of one test, so that leftovers can be found.
const MARK: &str = "XTASK_SANDBOX_MARK";

struct Outcome {
    ended: bool,
    status: String,
    stdout: Tail,
    stderr: Tail,
}

/// Runs `program` confined, as a check of `limit`, and waits for its end or
/// for the limit; the process tree is gone when this returns.
fn confined(program: &Path, args: &[&str], envs: &[(&str, String)], limit: Duration) -> Outcome {
    // A shell starts processes; the Rust attacks run as a check does.
    let processes = program.starts_with("/bin");
    let policy = Policy { readable: vec![PathBuf::from("/bin"), PathBuf::from("/usr/bin")], processes };
    let mut started = spawn(program, &policy, &Limits::for_timeout(limit), |command| {
        command.args(args).env_clear().env("PATH", "/usr/bin:/bin");
        for (key, value) in envs {
            command.env(key, value);
        }
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    })
    .expect("the confined process starts");
    let stdout = Capture::start(started.child().stdout.take().unwrap(), TAIL);
    let stderr = Capture::start(started.child().stderr.take().unwrap(), TAIL);
    let begun = Instant::now();
    let ended = loop {
        if started.has_ended().unwrap() {
            break true;
        }
        if begun.elapsed() > limit {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if !ended {
        started.kill();
    }
    let status = started.exit_status();
    drop(started);
    let deadline = Instant::now() + Duration::from_secs(2);
    Outcome { ended, status, stdout: stdout.finish(deadline), stderr: stderr.finish(deadline) }
}

fn shell(script: &str, mark: &str, limit: Duration) -> Outcome {
    confined(Path::new("/bin/sh"), &["-c", script], &[(MARK, mark.to_string())], limit)
}

/// A mark no other test uses.
fn fresh_mark(name: &str) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{name}-{}-{n}", std::process::id())
}

/// The processes still running with `mark` in their environment.
fn left_running(mark: &str) -> Vec<u32> {
    let needle = format!("{MARK}={mark}");
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|entry| {
            let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
            let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // A zombie has let go of everything; its parent reaps it.
            let zombie = state.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
            let marked = environ.split(|&b| b == 0).any(|var| var == needle.as_bytes());
            (marked && !zombie).then_some(pid)
        })
        .collect()
}

fn assert_nothing_left(mark: &str) {
    // The kernel finishes tearing a namespace down after its init is
    // reaped; give it a moment on a busy machine.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !left_running(mark).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(left_running(mark), Vec::<u32>::new(), "processes of the check are still running");
}

/// These attacks are about the sandbox; with it switched off they prove
/// nothing.
fn sandbox_on() -> bool {
    !switched_off()
}

#[test]
fn a_confined_check_runs_as_nobody_when_the_grader_is_root() {
    let mark = fresh_mark("whoami");
    let out = shell("id -u; echo done", &mark, Duration::from_secs(30));
    assert!(out.ended && out.status.contains("exit status: 0"), "{} {:?}", out.status, out.stderr);
    let uid = out.stdout.text.lines().next().unwrap().to_string();
    if rustix::process::geteuid().is_root() {
        assert_eq!(uid, "65534");
    } else {
        assert_eq!(uid, rustix::process::geteuid().as_raw().to_string());
    }
    assert_nothing_left(&mark);
}

#[test]
fn a_fork_bomb_is_stopped_and_leaves_nothing() {
    assert!(sandbox_on());
    let mark = fresh_mark("forkbomb");
    let out = shell("bomb() { bomb | bomb & }; bomb; sleep 2; echo survived", &mark, Duration::from_secs(5));
    // Whether the shell reached the end or the watchdog stopped it, the
    // bomb is gone with the check.
    let _ = out;
    assert_nothing_left(&mark);
}

#[test]
fn a_process_left_holding_the_pipes_ends_with_the_check() {
    let mark = fresh_mark("pipes");
    let begun = Instant::now();
    let out = shell("sleep infinity & echo started", &mark, Duration::from_secs(60));
    assert!(out.ended, "the check should end when its shell does");
    assert_eq!(out.stdout.text, "started\n");
    assert!(begun.elapsed() < Duration::from_secs(50), "the pipes kept the check alive");
    assert_nothing_left(&mark);
}

#[test]
fn a_setsid_double_fork_orphan_does_not_survive() {
    let mark = fresh_mark("orphan");
    let out = shell(
        "setsid sh -c 'sleep 1000 & sleep 1000 &' </dev/null >/dev/null 2>&1; echo forked",
        &mark,
        Duration::from_secs(60),
    );
    assert!(out.ended);
    assert_eq!(out.stdout.text, "forked\n");
    assert_nothing_left(&mark);
}

#[test]
fn killing_its_parent_or_everything_does_not_reach_the_grader() {
    // Unconfined, as root, `kill -9 -1` would reach every process here.
    assert!(sandbox_on());
    let mark = fresh_mark("killer");
    let grader = std::process::id();
    let script = format!(
        "kill -9 $PPID 2>/dev/null; kill -9 {grader} 2>/dev/null; kill -9 0 2>/dev/null; kill -9 -1 2>/dev/null; echo alive"
    );
    let out = shell(&script, &mark, Duration::from_secs(60));
    // This process is the grader: that it is here to assert is the point.
    assert_eq!(std::process::id(), grader);
    assert!(out.ended);
    assert_nothing_left(&mark);
}

#[test]
fn a_file_outside_the_allowed_set_cannot_be_read() {
    let dir = private_dir("solutions");
    let secret = dir.join("lib.rs");
    std::fs::write(&secret, "pub fn answer() {}").unwrap();
    // Readable by anyone: only the sandbox stands in the way.
    set_mode(&dir, 0o755);
    set_mode(&secret, 0o644);
    let mark = fresh_mark("read");
    let out = shell(&format!("cat {} && echo READ", secret.display()), &mark, Duration::from_secs(60));
    assert!(!out.stdout.text.contains("READ"), "the file was read: {}", out.stdout.text);
    assert!(!out.stdout.text.contains("answer"));
    let out =
        shell("cat /proc/self/mem /proc/self/maps /proc/self/environ && echo READ", &mark, Duration::from_secs(60));
    assert!(!out.stdout.text.contains("READ"), "/proc/self was read: {}", out.stdout.text);
    assert_nothing_left(&mark);
}

#[test]
fn a_folder_standing_in_for_the_target_cannot_be_written() {
    let dir = private_dir("target");
    // Writable by anyone: only the sandbox stands in the way.
    set_mode(&dir, 0o777);
    let mark = fresh_mark("write");
    let forged = dir.join("forged-check-binary");
    let out = shell(&format!("echo forged > {} && echo WROTE", forged.display()), &mark, Duration::from_secs(60));
    assert!(!out.stdout.text.contains("WROTE"));
    assert!(!forged.exists(), "the sandbox let the check write {}", forged.display());
    let out = shell("echo x > /tmp/xtask-sandbox-escape && echo WROTE", &mark, Duration::from_secs(60));
    assert!(!out.stdout.text.contains("WROTE"));
    assert_nothing_left(&mark);
}

#[test]
fn two_gibibytes_of_output_cost_the_grader_a_bounded_tail() {
    let mark = fresh_mark("flood");
    let out = shell("head -c 2147483648 /dev/zero; echo; echo end", &mark, Duration::from_secs(300));
    assert!(out.ended, "the flood did not finish within the limit: {}", out.status);
    assert!(out.stdout.text.len() <= TAIL);
    assert!(out.stdout.text.ends_with("\nend\n"));
    assert_eq!(out.stdout.dropped + out.stdout.text.len() as u64, 2147483648 + 5);
    assert_nothing_left(&mark);
}

#[test]
fn four_thousand_threads_are_refused() {
    let mark = fresh_mark("threads");
    let out = attack("threads", &mark);
    let started: usize = report_of(&out, "threads").parse().unwrap();
    assert!(started < 4000, "all 4000 threads started: {}", out.status);
    assert!(started >= 100, "too few threads for rayon and the kit: {started}");
    assert_nothing_left(&mark);
}

#[test]
fn eight_gibibytes_are_refused() {
    let mark = fresh_mark("memory");
    let out = attack("memory", &mark);
    assert_eq!(report_of(&out, "memory"), "refused", "{}", out.stderr.text);
    assert_nothing_left(&mark);
}

#[test]
fn a_check_cannot_start_a_process() {
    let mark = fresh_mark("process");
    let out = attack("process", &mark);
    let said = report_of(&out, "process");
    assert!(said.starts_with("refused"), "{said}");
    assert_nothing_left(&mark);
}

#[test]
fn a_tcp_connection_to_the_loopback_fails() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let mark = fresh_mark("tcp");
    let out = confined_attack("tcp", &mark, &[("XTASK_SANDBOX_PORT", port.to_string())]);
    assert_eq!(report_of(&out, "tcp"), "refused", "{}", out.stderr.text);
    assert!(listener.accept().is_err(), "the grader's listener was reached");
    assert_nothing_left(&mark);
}

fn attack(name: &str, mark: &str) -> Outcome {
    confined_attack(name, mark, &[])
}

/// Re-runs this test binary confined, carrying out attack `name`.
fn confined_attack(name: &str, mark: &str, extra: &[(&str, String)]) -> Outcome {
    let me = std::env::current_exe().unwrap();
    let mut envs = vec![(ATTACK, name.to_string()), (MARK, mark.to_string())];
    envs.extend(extra.iter().cloned());
    let out = confined(
        &me,
        &["--exact", "sandbox::tests::attack_in_the_sandbox", "--nocapture", "--test-threads=1"],
        &envs,
        Duration::from_secs(120),
    );
    assert!(out.ended, "the attack `{name}` did not finish: {}", out.status);
    out
}

fn report_of(out: &Outcome, name: &str) -> String {
    let prefix = format!("ATTACK {name}: ");
    out.stdout
        .text
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| {
            panic!("the attack `{name}` gave no report ({}): {}{}", out.status, out.stdout.text, out.stderr.text)
        })
        .to_string()
}

/// The confined side of the Rust attacks: does nothing unless this binary
/// was started by `confined_attack`.
#[test]
fn attack_in_the_sandbox() {
    let Ok(attack) = std::env::var(ATTACK) else { return };
    let outcome = match attack.as_str() {
        "threads" => {
            let mut started = 0;
            let mut handles = Vec::new();
            for _ in 0..4000 {
                match std::thread::Builder::new().stack_size(64 * 1024).spawn(std::thread::park) {
                    Ok(handle) => {
                        started += 1;
                        handles.push(handle);
                    }
                    Err(_) => break,
                }
            }
            started.to_string()
        }
        "memory" => {
            let mut big: Vec<u8> = Vec::new();
            // Reserved, never touched: if the limit is missing, the test
            // fails without taking the machine's memory.
            match big.try_reserve_exact(8 << 30) {
                Ok(()) => "reserved".into(),
                Err(_) => "refused".into(),
            }
        }
        "process" => match std::process::Command::new("/bin/true").spawn() {
            Ok(mut child) => {
                let _ = child.wait();
                "started".into()
            }
            Err(e) => format!("refused ({e})"),
        },
        "tcp" => {
            let port: u16 = std::env::var("XTASK_SANDBOX_PORT").unwrap().parse().unwrap();
            match std::net::TcpStream::connect(("127.0.0.1", port)) {
                Ok(_) => "connected".into(),
                Err(_) => "refused".into(),
            }
        }
        other => format!("unknown attack {other}"),
    };
    // On a line of its own: libtest has just written the test's name.
    println!("\nATTACK {attack}: {outcome}");
    std::io::stdout().flush().unwrap();
    // The parked threads would keep the process alive: leave at once.
    std::process::exit(0);
}

/// A temporary folder, removed when the test ends, passed or not.
struct PrivateDir(PathBuf);

impl std::ops::Deref for PrivateDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn private_dir(name: &str) -> PrivateDir {
    let dir = std::env::temp_dir().join(fresh_mark(&format!("xtask-sandbox-{name}")));
    std::fs::create_dir_all(&dir).unwrap();
    PrivateDir(dir)
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_check_that_aborts_is_seen_to_abort() {
    // The check binary is not its namespace's pid 1, which would ignore
    // the signal and read as another kind of crash.
    let mark = fresh_mark("abort");
    let out = shell("kill -ABRT $$", &mark, Duration::from_secs(60));
    assert!(out.ended);
    assert!(out.status.contains("SIGABRT"), "{}", out.status);
    assert_nothing_left(&mark);
}
