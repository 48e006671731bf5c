//! The learner's loop: what a learner reads for each kind of failure, the
//! list, hints, reset and its backups, the progress file under a crash and
//! under corruption, the speedup curve, and `watch` driven through a real
//! terminal (tmux).
//!
//! Every test works in a scratch copy of the learner's side of the course
//! (`XTASK_COURSE_DIR`: its `exercises/*/src` and `.course/`), never in this
//! workspace's own exercises or progress. Timings are redacted from the
//! snapshots, and no assertion depends on how fast this machine is.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use course_test_support::tempfile_dir::Dir;
use course_test_support::{root, xtask};

/// A learner's copy of the course holding `files`: (exercise, `src/lib.rs`).
fn course(label: &str, files: &[(&str, &str)]) -> Dir {
    let dir = Dir::new(&format!("loop-{label}"));
    for (exercise, code) in files {
        write_lib(dir.path(), exercise, code);
    }
    dir
}

fn write_lib(course: &Path, exercise: &str, code: &str) {
    let src = course.join("exercises").join(exercise).join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("lib.rs"), code).unwrap();
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn solution(exercise: &str) -> String {
    read(root().join("solutions").join(exercise).join("src/lib.rs"))
}

fn fixture(exercise: &str, name: &str) -> String {
    read(root().join("tests/checks").join(exercise).join("fixtures").join(format!("{name}.rs")))
}

fn stub(exercise: &str) -> String {
    read(root().join("tests/checks").join(exercise).join("stub/lib.rs"))
}

/// `cargo xtask ARGS` as the learner of `course` types it.
fn learner(course: &Path, args: &[&str]) -> Output {
    xtask(args).env("XTASK_COURSE_DIR", course).env("NO_COLOR", "1").timeout(Duration::from_secs(600)).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The built xtask itself: for the tests that must signal it, not cargo.
fn xtask_binary() -> PathBuf {
    assert!(xtask(&["list"]).output().unwrap().status.success(), "cargo xtask builds");
    root().join("target/debug/xtask")
}

/// Replaces what changes from run to run: timings, speedups, dates, the
/// scratch folder, the threads a hung check still had.
fn redact(text: &str, course: &Path) -> String {
    let text = text.replace(&course.display().to_string(), "[COURSE]");
    text.lines()
        .map(|line| {
            if line.trim_start().contains(" threads were still alive: ") || line.contains("thread was still alive") {
                return "        [THREADS] still alive: [...]".to_string();
            }
            redact_numbers(&redact_stamps(line))
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `2026-11-27T10-51-10Z` and `2026-11-27T10-51-10Z-2` (backup names) become `[STAMP]`.
fn redact_stamps(line: &str) -> String {
    let shape = |s: &[u8]| {
        s.len() >= 20
            && s[..20].iter().enumerate().all(|(i, &c)| match i {
                4 | 7 => c == b'-',
                10 => c == b'T',
                13 | 16 => c == b'-',
                19 => c == b'Z',
                _ => c.is_ascii_digit(),
            })
    };
    let bytes = line.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if shape(&bytes[i..]) {
            out.push_str("[STAMP]");
            i += 20;
            // Two backups in the same second: `STAMP-2`.
            if bytes.get(i) == Some(&b'-') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                i += 2;
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
        } else {
            let ch = line[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Numbers with a unit of time or speed (`12.3 ms`, `1.52x`, `4.0 s`), and
/// every number on the lines of a speedup table, become `[N]`.
fn redact_numbers(line: &str) -> String {
    let table = ["sequential time", "parallel time", "speedup", "required", "cores available", "cores used"]
        .iter()
        .any(|label| line.trim_start().starts_with(label));
    let mut out = String::new();
    let mut chars = line.char_indices().peekable();
    while let Some((start, ch)) = chars.next() {
        let boundary = start == 0 || !line[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        if ch.is_ascii_digit() && boundary {
            let mut end = start + 1;
            while let Some(&(i, c)) = chars.peek() {
                if c.is_ascii_digit() || c == '.' {
                    end = i + 1;
                    chars.next();
                } else {
                    break;
                }
            }
            let rest = &line[end..];
            let timed = ["x", " ms", " s", "s ", "%"].iter().any(|unit| rest.starts_with(unit));
            if table || timed { out.push_str("[N]") } else { out.push_str(&line[start..end]) }
        } else {
            out.push(ch);
        }
    }
    out
}

// ---- Diagnostics: one screen per failure kind ---------------------------

#[test]
fn a_compile_error_shows_the_first_error_and_where() {
    let course = course("build", &[("spawn_and_join", "pub fn run_concurrently( {\n")]);
    let output = learner(course.path(), &["check", "spawn_and_join"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("does not compile at exercises/spawn_and_join/src/lib.rs:"), "{text}");
    insta::assert_snapshot!("build", redact(&text, course.path()));
}

#[test]
fn a_panic_shows_its_message_and_the_learners_line() {
    let code = solution("spawn_and_join").replace(
        "data.chunks(chunk_len).map(|chunk| scope.spawn(move || sum(chunk))).collect();",
        "(0..data.len().div_ceil(chunk_len))\n            .map(|i| &data[i * chunk_len..(i + 1) * chunk_len])\n            .map(|chunk| scope.spawn(move || sum(chunk)))\n            .collect();",
    );
    assert!(code.contains("(i + 1) * chunk_len"), "the solution changed: update this test's mistake");
    let course = course("panic", &[("spawn_and_join", &code)]);
    let output = learner(course.path(), &["check", "spawn_and_join"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("panicked at exercises/spawn_and_join/src/lib.rs:"), "{text}");
    insta::assert_snapshot!("panic", redact(&text, course.path()));
}

#[test]
fn a_wrong_answer_shows_the_minimal_input_expected_and_got() {
    let code = fixture("parallel_letter_frequency", "uppercase_counted_apart");
    let course = course("property", &[("parallel_letter_frequency", &code)]);
    let output = learner(course.path(), &["check", "parallel_letter_frequency"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("minimal failing input:") && text.contains("expected:") && text.contains("got:"), "{text}");
    insta::assert_snapshot!("property", redact(&text, course.path()));
}

/// A count that loses the words with an `m`: the properties' words have
/// none, so only the snapshot sees it.
fn snapshot_mistake() -> String {
    let code = solution("channel_word_count").replace(
        "    drop(sender);\n    collect(receiver)\n",
        "    drop(sender);\n    collect(receiver).into_iter().filter(|(word, _)| !word.contains('m')).collect()\n",
    );
    assert!(code.contains("!word.contains('m')"), "the solution changed: update this test's mistake");
    code
}

#[test]
fn a_snapshot_mismatch_shows_a_line_diff() {
    let code = snapshot_mistake();
    let course = course("snapshot", &[("channel_word_count", &code)]);
    let output = learner(course.path(), &["check", "channel_word_count"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("-communicate: 1"), "{text}");
    insta::assert_snapshot!("snapshot", redact(&text, course.path()));
}

#[test]
fn a_snapshot_diff_is_coloured_when_colour_is_forced() {
    let code = snapshot_mistake();
    let course = course("colour", &[("channel_word_count", &code)]);
    let output = xtask(&["check", "channel_word_count"])
        .env("XTASK_COURSE_DIR", course.path())
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let text = stdout(&output);
    assert!(text.contains("\x1b[31m-communicate: 1\x1b[0m"), "removed lines are red: {text:?}");
    let plain = xtask(&["check", "channel_word_count"])
        .env("XTASK_COURSE_DIR", course.path())
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&plain).contains('\x1b'), "NO_COLOR wins");
}

#[test]
fn a_hang_is_reported_as_a_possible_deadlock() {
    let code = fixture("channel_word_count", "sender_kept_alive");
    let course = course("timeout", &[("channel_word_count", &code)]);
    let output = learner(course.path(), &["check", "channel_word_count"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("possible deadlock") && text.contains("The usual causes"), "{text}");
    insta::assert_snapshot!("timeout", redact(&text, course.path()));
}

#[test]
fn a_slow_parallel_answer_gets_a_table_of_its_figures() {
    let code = fixture("parallel_letter_frequency", "sequential");
    let course = course("speedup", &[("parallel_letter_frequency", &code)]);
    let output = learner(course.path(), &["check", "parallel_letter_frequency"]);
    let text = stdout(&output);
    // The verdict depends on the machine (fail, or inconclusive when busy or
    // on one core; never a pass): pin the table, not the verdict.
    assert_ne!(output.status.code(), Some(0), "{text}");
    if text.contains("inconclusive: only 1 core") {
        return;
    }
    let table: Vec<&str> =
        text.lines().skip_while(|l| !l.trim_start().starts_with("sequential time")).take(6).collect();
    assert!(text.contains("The numbers suggest:"), "{text}");
    insta::assert_snapshot!("speedup_table", redact(&table.join("\n"), course.path()));
}

// ---- list, hint, reset ---------------------------------------------------

#[test]
fn list_shows_level_status_staleness_and_best_speedup() {
    let course = course("list", &[("channel_word_count", "// changed since it was checked\n")]);
    let state = course.path().join(".course");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::write(
        state.join("progress.txt"),
        "# a comment\nspawn_and_join pass -\nparallel_letter_frequency inconclusive 1.62\n\
         channel_word_count fail - 0123456789abcdef\n",
    )
    .unwrap();
    let output = learner(course.path(), &["list"]);
    assert!(output.status.success());
    let text = stdout(&output);
    // Only the lines of these exercises: authors keep adding others.
    let shown: Vec<&str> = text
        .lines()
        .filter(|l| {
            ["spawn_and_join ", "parallel_letter_frequency ", "channel_word_count ", "Level 1:", "Progress:"]
                .iter()
                .any(|w| l.contains(w))
        })
        .collect();
    let shown = shown.join("\n").replace(|c: char| c.is_ascii_digit(), "#");
    insta::assert_snapshot!("list", shown.replace("Progress: #/## exercises", "Progress: #/[TOTAL] exercises"));
}

#[test]
fn hint_prints_every_hint_numbered() {
    let output = xtask(&["hint", "spawn_and_join"]).output().unwrap();
    assert!(output.status.success());
    insta::assert_snapshot!("hint", stdout(&output));
}

#[test]
fn reset_keeps_a_backup_and_restore_brings_it_back() {
    let mine = "// my work in progress\npub fn half_done() {}\n";
    let course = course("reset", &[("spawn_and_join", mine)]);
    let lib = course.path().join("exercises/spawn_and_join/src/lib.rs");

    let output = learner(course.path(), &["reset", "spawn_and_join"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(read(&lib), stub("spawn_and_join"), "the stub is back");
    let reset_text = redact(&stdout(&output), course.path());

    let output = learner(course.path(), &["reset", "--list", "spawn_and_join"]);
    assert!(output.status.success());
    let list_text = redact(&stdout(&output), course.path());
    let backups = course.path().join(".course/backups/spawn_and_join");
    let names: Vec<String> =
        std::fs::read_dir(&backups).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert_eq!(read(backups.join(&names[0]).join("lib.rs")), mine, "the backup is the learner's code");

    let output = learner(course.path(), &["reset", "--restore", "spawn_and_join", &names[0]]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(read(&lib), mine, "restored");
    let restore_text = redact(&stdout(&output), course.path());
    // Restoring kept the stub it replaced, too: nothing is ever lost.
    assert_eq!(std::fs::read_dir(&backups).unwrap().count(), 2);

    let output = learner(course.path(), &["reset", "--restore", "spawn_and_join", "no-such-backup"]);
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr).into_owned();

    insta::assert_snapshot!(
        "reset",
        format!(
            "$ reset spawn_and_join\n{reset_text}$ reset --list spawn_and_join\n{list_text}$ reset --restore spawn_and_join [STAMP]\n{restore_text}$ reset --restore spawn_and_join no-such-backup\n{error}"
        )
    );
}

// ---- progress: crash and corruption ---------------------------------------

fn progress_file(course: &Path) -> PathBuf {
    course.join(".course/progress.txt")
}

/// Every line of a progress file is a comment or `NAME STATUS SPEEDUP [SOURCE]`,
/// `STATUS` one of the states `progress.rs` writes.
fn assert_well_formed(text: &str) {
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split(' ').collect();
        assert!((3..=4).contains(&fields.len()), "malformed line {line:?} in:\n{text}");
        assert!(["pass", "fail", "inconclusive", "not_started"].contains(&fields[1]), "{line:?}");
        assert!(fields[2] == "-" || fields[2].parse::<f64>().is_ok(), "{line:?}");
    }
}

/// The check processes of `exercise` that `ancestor` started, with their
/// command lines: a subject (`--subject`, or `--run` for an in-subject check)
/// and a judge (`--judge`). Only `ancestor`'s own, so that another test
/// checking the same exercise is never taken for this one.
fn check_processes(exercise: &str, ancestor: u32) -> Vec<(u32, String)> {
    let needle = format!("{exercise}-checks");
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            let role = ["--subject", "--run", "--judge"].iter().any(|arg| cmdline.contains(&format!(" {arg} ")));
            (cmdline.contains(&needle) && role && descends_from(pid, ancestor)).then_some((pid, cmdline))
        })
        .collect()
}

/// Whether `ancestor` is `pid`'s parent, or its parent's, and so on.
fn descends_from(pid: u32, ancestor: u32) -> bool {
    let parent = |pid: u32| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `PID (COMMAND) STATE PPID ...`: the command may hold spaces.
        stat[stat.rfind(')')? + 1..].split_whitespace().nth(1)?.parse().ok()
    };
    let mut current = pid;
    for _ in 0..64 {
        match parent(current) {
            Some(p) if p == ancestor => return true,
            Some(p) if p > 1 => current = p,
            _ => return false,
        }
    }
    false
}

#[cfg(target_os = "linux")]
#[test]
fn a_check_killed_midway_leaves_the_progress_file_whole() {
    let code = fixture("channel_word_count", "sender_kept_alive");
    let course = course("killed", &[("channel_word_count", &code)]);
    let before = "# Your progress\nspawn_and_join pass -\nparallel_letter_frequency pass 1.80\n";
    std::fs::create_dir_all(course.path().join(".course")).unwrap();
    std::fs::write(progress_file(course.path()), before).unwrap();

    let binary = xtask_binary();
    let mut child = std::process::Command::new(&binary)
        .args(["check", "channel_word_count"])
        .env("XTASK_COURSE_DIR", course.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Midway: once the learner's code runs in a check binary (the hanging
    // one waits for the watchdog, so there is time), as Ctrl+C would.
    let started = Instant::now();
    let processes = loop {
        let processes = check_processes("channel_word_count", child.id());
        if processes.iter().any(|(_, cmdline)| cmdline.contains(" --subject ") || cmdline.contains(" --run ")) {
            break processes;
        }
        assert!(child.try_wait().unwrap().is_none(), "the check ended before it could be interrupted");
        assert!(started.elapsed() < Duration::from_secs(600), "no check started");
        std::thread::sleep(Duration::from_millis(20));
    };
    // SIGTERM rather than the SIGINT of a Ctrl+C: a shell that starts a job
    // in the background (as a CI script may) has it ignore SIGINT.
    let signalled = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(signalled.success());
    let _ = child.wait();
    // The check binaries run in process groups of their own; end the ones we
    // caused (the subject would otherwise wait for its deadlock forever).
    for (pid, _) in processes {
        let _ = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    }

    assert_eq!(read(progress_file(course.path())), before, "the progress file is untouched");
    let stray: Vec<_> = std::fs::read_dir(course.path().join(".course"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "progress.txt")
        .collect();
    assert!(stray.is_empty(), "no half-written files: {stray:?}");

    // The next check completes and records its verdict beside the old ones.
    let output = learner(course.path(), &["check", "channel_word_count"]);
    assert_eq!(output.status.code(), Some(1));
    let after = read(progress_file(course.path()));
    assert_well_formed(&after);
    assert!(after.contains("\nspawn_and_join pass -\n"), "{after}");
    assert!(after.contains("\nparallel_letter_frequency pass 1.80\n"), "{after}");
    assert!(after.contains("\nchannel_word_count fail - "), "{after}");
}

#[test]
fn a_corrupt_progress_file_is_rebuilt_by_the_next_check() {
    let course = course("corrupt", &[("spawn_and_join", &stub("spawn_and_join"))]);
    std::fs::create_dir_all(course.path().join(".course")).unwrap();
    std::fs::write(
        progress_file(course.path()),
        b"parallel_letter_frequency pass 1.93\nspawn_and_join pa\xff\x00ss\n<<<<<<< merge\ngarbage garbage garbage garbage garbage\n",
    )
    .unwrap();

    // Never blocking: the list still shows, and says what happened.
    let output = learner(course.path(), &["list"]);
    assert!(output.status.success());
    let list = stdout(&output);
    assert!(list.contains("could not be read"), "{list}");

    let output = learner(course.path(), &["check", "spawn_and_join"]);
    assert_eq!(output.status.code(), Some(1), "the stub fails");
    let rebuilt = read(progress_file(course.path()));
    assert_well_formed(&rebuilt);
    assert!(rebuilt.contains("\nparallel_letter_frequency pass 1.93\n"), "what could be read is kept: {rebuilt}");
    // The stub stops at its `todo!()`s: a fail, recorded as not started.
    assert!(rebuilt.contains("\nspawn_and_join not_started - "), "{rebuilt}");
    assert!(!stdout(&learner(course.path(), &["list"])).contains("could not be read"));

    // A missing file is simply written again.
    std::fs::remove_file(progress_file(course.path())).unwrap();
    learner(course.path(), &["check", "spawn_and_join"]);
    assert!(read(progress_file(course.path())).contains("\nspawn_and_join not_started - "));
}

// ---- curve ----------------------------------------------------------------

#[test]
fn curve_prints_a_table_fits_amdahl_and_writes_a_plot() {
    let course = course("curve", &[("parallel_letter_frequency", &solution("parallel_letter_frequency"))]);
    let output = learner(course.path(), &["curve", "parallel_letter_frequency"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(text.contains("threads      time   speedup  cores used"), "{text}");
    assert!(text.lines().any(|l| l.trim_start().starts_with("1 ")), "a row for one thread: {text}");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores > 1 {
        assert!(text.contains("Amdahl's law fitted to your times"), "{text}");
    }
    let svg = read(course.path().join(".course/curves/parallel_letter_frequency.svg"));
    assert!(svg.starts_with("<svg") && svg.contains("<polyline"), "{svg}");

    let output = learner(course.path(), &["curve", "spawn_and_join"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("has no speedup check"));
}

// ---- watch, through a terminal ---------------------------------------------

/// A tmux server of this test's own (its own socket), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(command: &str) -> Option<Tmux> {
        let socket = format!("course-watch-{}", std::process::id());
        // Tall enough for the whole course list (a level header and a line
        // per exercise), which the test reads for the current exercise.
        let started = std::process::Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-x", "160", "-y", "100", command])
            .status()
            .ok()?;
        started.success().then_some(Tmux { socket })
    }

    fn screen(&self) -> String {
        let output = std::process::Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p"]).output();
        output.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
    }

    fn keys(&self, keys: &str) {
        let sent = std::process::Command::new("tmux").args(["-L", &self.socket, "send-keys", "-l", keys]).status();
        assert!(sent.unwrap().success());
    }

    /// Waits until the screen contains `text`; long limits, as builds on a
    /// busy machine are slow: only a hang makes this fail.
    fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(started.elapsed() < Duration::from_secs(600), "never saw {text:?}; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn alive(&self) -> bool {
        std::process::Command::new("tmux").args(["-L", &self.socket, "has-session"]).status().is_ok_and(|s| s.success())
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = std::process::Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

#[test]
fn watch_rechecks_on_save_survives_a_deadlock_and_quits_cleanly() {
    if std::process::Command::new("tmux").arg("-V").output().is_err() {
        // Windows has no tmux: there `watch` is only tested by hand.
        assert!(std::env::var_os("CI").is_none() || cfg!(windows), "CI needs tmux for this test");
        eprintln!("note: tmux is not installed, so watch is not driven through a terminal here");
        return;
    }
    let course = course("watch", &[("spawn_and_join", &stub("spawn_and_join"))]);
    let binary = xtask_binary();
    let command = format!(
        "env XTASK_COURSE_DIR='{}' '{}' watch spawn_and_join; echo WATCH-ENDED-$?; sleep 600",
        course.path().display(),
        binary.display()
    );
    let tmux = Tmux::start(&command).expect("tmux starts");
    tmux.wait_for("not started: write exercises/spawn_and_join/src/");

    // `n` does not move on from an exercise that does not pass.
    tmux.keys("n");
    tmux.wait_for("does not pass yet");

    // Save a fix: the pass shows, without a key.
    let saved = Instant::now();
    write_lib(course.path(), "spawn_and_join", &solution("spawn_and_join"));
    tmux.wait_for("spawn_and_join passes!");
    eprintln!("save to verdict (a fix, build included): {:.1} s", saved.elapsed().as_secs_f64());

    // Save a deadlock: the watchdog stops it, and the loop goes on.
    let deadlock = solution("spawn_and_join").replace(
        "let handles: Vec<thread::JoinHandle<T>>",
        "let (_keep, never) = std::sync::mpsc::channel::<()>();\n    let _ = never.recv();\n    let handles: Vec<thread::JoinHandle<T>>",
    );
    assert!(deadlock.contains("never.recv()"), "the solution changed: update this test's deadlock");
    write_lib(course.path(), "spawn_and_join", &deadlock);
    let screen = tmux.wait_for("possible deadlock");
    assert!(screen.contains("still alive") || screen.contains("The usual causes"), "{screen}");
    tmux.keys("h");
    tmux.wait_for("Hints for spawn_and_join:");
    tmux.keys("l");
    tmux.wait_for("▶ spawn_and_join");

    // Back to the fix by hand (`r` re-runs whatever the file watching saw).
    write_lib(course.path(), "spawn_and_join", &solution("spawn_and_join"));
    tmux.keys("r");
    tmux.wait_for("spawn_and_join passes!");

    tmux.keys("q");
    let screen = tmux.wait_for("WATCH-ENDED-");
    assert!(screen.contains("WATCH-ENDED-0"), "{screen}");
    assert!(screen.contains("Your progress is saved"), "{screen}");
    assert!(tmux.alive());
    let progress = read(progress_file(course.path()));
    assert!(progress.contains("\nspawn_and_join pass - "), "{progress}");
}
