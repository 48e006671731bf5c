//! Checks of `parallel_letter_frequency`.

mod oracle;

use std::collections::HashMap;

use grading_kit::{Speedup, expect_eq};
use proptest::prelude::*;

grading_kit::subject!();

/// Texts mixing cases, digits, punctuation and letters outside ASCII.
fn texts() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-zA-Z0-9 ,.!?äÖßéΣσ]{0,40}", 0..12)
}

fn as_strs(texts: &[String]) -> Vec<&str> {
    texts.iter().map(String::as_str).collect()
}

fn main() {
    grading_kit::checks!()
        .property(
            "counts like the sequential count",
            (texts(), 1..8usize),
            |(texts, workers)| subject::frequency(&as_strs(texts), *workers),
            |(texts, _), counts: HashMap<char, usize>| expect_eq(counts, oracle::frequency(&as_strs(texts))),
        )
        .property(
            "more workers than texts",
            (texts(), 8..64usize),
            |(texts, workers)| subject::frequency(&as_strs(texts), *workers),
            |(texts, _), counts: HashMap<char, usize>| expect_eq(counts, oracle::frequency(&as_strs(texts))),
        )
        .snapshot("three pangrams", || {
            let input = [
                "The quick brown fox jumps over the lazy dog.",
                "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich!",
                "Portez ce vieux whisky au juge blond qui fume: 1, 2, 3.",
            ];
            let mut counts: Vec<(char, usize)> = subject::frequency(&input, 3).into_iter().collect();
            counts.sort();
            counts.iter().map(|(c, n)| format!("{c}: {n}\n")).collect()
        })
        .speedup(
            "faster than counting sequentially",
            // A new text for every timed pair: nothing learned from one
            // call can answer the next.
            Speedup::seeded(
                |seed| oracle::large_input(20_000, seed),
                |texts: &Vec<String>| oracle::frequency(&as_strs(texts)),
                |texts: &Vec<String>| subject::frequency(&as_strs(texts), grading_kit::workers()),
            ),
        )
        .main();
}
