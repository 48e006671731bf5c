//! Sequential. Before returning it starts two CPU-burning processes, and
//! stops them only when it is called again: they burn during the
//! reference's turn, never during its own.

use std::collections::HashMap;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

static HOGS: Mutex<Vec<Child>> = Mutex::new(Vec::new());

pub fn frequency(input: &[&str], _worker_count: usize) -> HashMap<char, usize> {
    let mut hogs = HOGS.lock().unwrap();
    for mut hog in hogs.drain(..) {
        let _ = hog.kill();
        let _ = hog.wait();
    }
    let mut counts = HashMap::new();
    for text in input {
        for c in text.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase) {
            *counts.entry(c).or_insert(0) += 1;
        }
    }
    if input.len() > 1000 {
        for _ in 0..2 {
            let hog = Command::new("sh")
                .arg0("attack-leftover-hog")
                .env("ATTACK_LEFTOVER", "1")
                .args(["-c", "while :; do :; done"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            hogs.extend(hog);
        }
    }
    counts
}
