//! Checks of `channel_word_count`.

grading_kit::subject!();

use std::collections::BTreeMap;
use std::thread;

use grading_kit::expect_eq;
use proptest::prelude::*;

/// The sequential count.
fn oracle(texts: &[String]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for word in texts.iter().flat_map(|t| t.split_whitespace()) {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("(go|Go|rust|chan| |  |\n|ok){0,12}", 0..6)
}

fn main() {
    grading_kit::checks!()
        .property(
            "produce sends every word, lowercased",
            "(Go|rust| |\t|x){0,12}",
            |text: &String| {
                let (sender, receiver) = crossbeam_channel::unbounded();
                subject::produce(text.clone(), sender);
                receiver.try_iter().collect::<Vec<String>>()
            },
            |text, sent| expect_eq(sent, text.split_whitespace().map(str::to_lowercase).collect()),
        )
        .property(
            "collect counts until every sender is gone",
            texts(),
            |texts: &Vec<String>| {
                // Three senders, each dropped when its thread ends: `collect`
                // must notice that the channel closed.
                let (sender, receiver) = crossbeam_channel::bounded(1);
                let words: Vec<String> =
                    texts.iter().flat_map(|t| t.split_whitespace()).map(str::to_lowercase).collect();
                for part in words.chunks(words.len().div_ceil(3).max(1)).map(<[String]>::to_vec) {
                    let sender = sender.clone();
                    thread::spawn(move || part.into_iter().for_each(|w| sender.send(w).unwrap()));
                }
                drop(sender);
                subject::collect(receiver)
            },
            |texts, counts| expect_eq(counts, oracle(texts)),
        )
        .property(
            "count_words counts like the sequential count",
            texts(),
            |texts: &Vec<String>| subject::count_words(texts.clone()),
            |texts, counts| expect_eq(counts, oracle(texts)),
        )
        .snapshot("three texts", || {
            let texts = vec![
                "Do not communicate by sharing memory".to_string(),
                "share memory by communicating".to_string(),
                "by by BY".to_string(),
            ];
            subject::count_words(texts).iter().map(|(w, n)| format!("{w}: {n}\n")).collect()
        })
        .main();
}
