//! Counts nothing. It writes where a checked process must not: its working
//! folder, the staged workspace, the staged snapshot (rewritten to match its
//! own wrong answer) and the course's catalogue.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::Write;

use crossbeam_channel::{Receiver, Sender};

const STAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const MARK: &str = "ATTACK-LEFTOVER-WROTE-HERE";

fn scribble() {
    let _ = std::fs::write(MARK, "written by learner code\n");
    let _ = std::fs::write(format!("{STAGE}/{MARK}"), "written by learner code\n");
    let _ = std::fs::write(
        format!("{STAGE}/tests/checks/channel_word_count/snapshots/three_texts.snap"),
        "---\nsource: tests/checks/channel_word_count/src/main.rs\nexpression: three texts\n---\n\n",
    );
    if let Ok(mut catalogue) = OpenOptions::new().append(true).open(format!("{STAGE}/exercises/catalogue.toml")) {
        let _ = writeln!(catalogue, "# {MARK}");
    }
}

pub fn produce(_text: String, _words: Sender<String>) {
    scribble();
}

pub fn collect(_words: Receiver<String>) -> BTreeMap<String, usize> {
    scribble();
    BTreeMap::new()
}

pub fn count_words<R: FnOnce() -> String + Send + 'static>(_sources: Vec<R>) -> BTreeMap<String, usize> {
    scribble();
    BTreeMap::new()
}
