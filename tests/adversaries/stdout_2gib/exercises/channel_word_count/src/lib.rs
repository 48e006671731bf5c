//! Writes 2 GiB to stdout before it fails.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Once;

use crossbeam_channel::{Receiver, Sender};

fn attack() {
    let chunk = vec![b'y'; 1 << 20];
    let mut stdout = std::io::stdout().lock();
    for _ in 0..2048 {
        if stdout.write_all(&chunk).is_err() {
            break;
        }
    }
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
