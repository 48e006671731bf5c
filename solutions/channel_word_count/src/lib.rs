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

/// One producer thread per source, each reading its text and sending its
/// words, all into one channel.
pub fn count_words<R>(sources: Vec<R>) -> BTreeMap<String, usize>
where
    R: FnOnce() -> String + Send + 'static,
{
    let (sender, receiver) = crossbeam_channel::unbounded();
    for source in sources {
        let sender = sender.clone();
        // The reading happens on the producer's thread too: that is the slow
        // part that the producers do at the same time.
        thread::spawn(move || produce(source(), sender));
    }
    // The channel closes when its last `Sender` is dropped. Each producer
    // drops its clone when it returns; this one is ours to drop, or
    // `collect` would wait forever for words that never come.
    drop(sender);
    collect(receiver)
}
