//! Checks of `channel_word_count`.

grading_kit::subject!();

use std::collections::BTreeMap;
use std::thread;
use std::time::Duration;

use grading_kit::helpers::Rendezvous;
use grading_kit::{expect, expect_eq};
use proptest::prelude::*;

/// The sequential count.
fn oracle(texts: &[String]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for word in texts.iter().flat_map(|t| t.split_whitespace()) {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

/// Sources that hand out `texts`, one each.
fn sources(texts: &[String]) -> Vec<impl FnOnce() -> String + Send + 'static + use<>> {
    texts.iter().cloned().map(|text| move || text).collect()
}

/// Sources of the check that the producers read at the same time.
const MEETING: usize = 3;

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
            |texts: &Vec<String>| subject::count_words(sources(texts)),
            |texts, counts| expect_eq(counts, oracle(texts)),
        )
        .case(
            "the producers read at the same time",
            || {
                // Each source waits (up to a second) until every source has
                // started reading, and its text is one word: how many had.
                let meeting = Rendezvous::new(MEETING, Duration::from_secs(1));
                let sources: Vec<_> = (0..MEETING)
                    .map(|_| {
                        let meeting = meeting.clone();
                        move || format!("started{}", meeting.arrive())
                    })
                    .collect();
                subject::count_words(sources)
            },
            |counts| {
                let n = MEETING;
                let all_at_once = BTreeMap::from([(format!("started{n}"), n)]);
                expect(
                    counts == all_at_once,
                    format!(
                        "{n} sources each waited for all {n} to start reading, and their texts counted {counts:?}: \
                         the texts were read one after another. Call each source on its producer's thread, \
                         inside `thread::spawn(move || produce(source(), sender))`: reading the text is the slow \
                         part, and the producers are there to do it at the same time. Calling the sources (or \
                         `produce`) in a loop on the calling thread gives the right counts with no concurrency."
                    ),
                )
            },
        )
        .snapshot("three texts", || {
            let texts = vec![
                "Do not communicate by sharing memory".to_string(),
                "share memory by communicating".to_string(),
                "by by BY".to_string(),
            ];
            subject::count_words(sources(&texts)).iter().map(|(w, n)| format!("{w}: {n}\n")).collect()
        })
        .main();
}
