//! A short answer: the real one is in `words.txt`, which no scan of `.rs`
//! files reads.

#[path = "words.txt"]
mod words;

pub use words::*;
