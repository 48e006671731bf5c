//! Reference solution of `channel_word_count`.

use std::collections::BTreeMap;
use std::thread;

use crossbeam_channel::{Receiver, Sender};

/// Sends every word of `text` (split on whitespace, lowercased) into `words`.
pub fn produce(text: String, words: Sender<String>) {
    for word in text.split_whitespace() {
        // Sending fails only when every receiver is gone: nobody is
        // listening any more, so there is nothing left to do.
        if words.send(word.to_lowercase()).is_err() {
            return;
        }
    }
}

/// Receives words until every `Sender` is dropped, counting them.
pub fn collect(words: Receiver<String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for word in words {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}

/// One producer thread per text, all sending into one channel.
pub fn count_words(texts: Vec<String>) -> BTreeMap<String, usize> {
    let (sender, receiver) = crossbeam_channel::unbounded();
    for text in texts {
        let sender = sender.clone();
        thread::spawn(move || produce(text, sender));
    }
    // The channel closes when its last `Sender` is dropped. Each producer
    // drops its clone when it returns; this one is ours to drop, or
    // `collect` would wait forever for words that never come.
    drop(sender);
    collect(receiver)
}
