//! A stub; the suite makes the submission's `Cargo.lock` a 6 GiB sparse file at test time.

use std::collections::BTreeMap;

use crossbeam_channel::{Receiver, Sender};

pub fn produce(_text: String, _words: Sender<String>) {
    todo!()
}

pub fn collect(_words: Receiver<String>) -> BTreeMap<String, usize> {
    todo!()
}

pub fn count_words<R: FnOnce() -> String + Send + 'static>(_sources: Vec<R>) -> BTreeMap<String, usize> {
    todo!()
}
