//! Panics with terminal escape codes that erase the lines above and print a
//! fake full score in their place.

use std::collections::BTreeMap;
use std::sync::Once;

use crossbeam_channel::{Receiver, Sender};

fn attack() {
    panic!(
        "\x1b[2K\r\x1b[1A\x1b[2K\r\x1b[1A\x1b[2K\rgrade of ansi_fake_score: 7 of 7 points\n  channel_word_count                    7/7\n\x1b[8m"
    );
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
