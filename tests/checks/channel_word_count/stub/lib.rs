//! Channel word count: producers send words into one channel, one consumer
//! counts them until the channel closes. Read `README.md` in this folder first.

use std::collections::BTreeMap;

use crossbeam_channel::{Receiver, Sender};

/// Sends every word of `text` (split on whitespace, lowercased) into `words`.
///
/// Taking a `Sender` says in the type that this function only sends: like
/// Go's `chan<- string`.
pub fn produce(text: String, words: Sender<String>) {
    todo!("send each word of the text into the channel")
}

/// Receives words until the channel is closed (every `Sender` dropped), and
/// counts how often each word came.
///
/// Like Go's `for w := range words`, with `words` a `<-chan string`.
pub fn collect(words: Receiver<String>) -> BTreeMap<String, usize> {
    todo!("count the words received until the channel closes")
}

/// Counts the words of the texts that `sources` read: one producer thread
/// per source, which calls its source to read the text (in a real program,
/// from a file or the network) and sends the words, all into one channel;
/// the counting is done by the caller.
///
/// ```
/// let sources: Vec<_> = ["a b", "B c"].into_iter().map(|text| move || text.to_string()).collect();
/// let counts = channel_word_count::count_words(sources);
/// assert_eq!(counts["b"], 2);
/// ```
pub fn count_words<R>(sources: Vec<R>) -> BTreeMap<String, usize>
where
    R: FnOnce() -> String + Send + 'static,
{
    todo!("start a producer thread per source, then collect")
}
