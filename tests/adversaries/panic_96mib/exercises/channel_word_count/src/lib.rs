//! Panics with a 96 MiB message.

use std::collections::BTreeMap;
use std::sync::Once;

use crossbeam_channel::{Receiver, Sender};

fn attack() {
    panic!("{}", "a very long excuse ".repeat((96 << 20) / 19));
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
