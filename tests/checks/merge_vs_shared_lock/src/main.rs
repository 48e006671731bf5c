//! Checks of `merge_vs_shared_lock`.

grading_kit::subject!();

use std::collections::HashMap;

use grading_kit::helpers::SeededRng;
use grading_kit::{Speedup, expect_eq};
use proptest::prelude::*;

/// The trusted sequential count.
fn oracle(data: &[u32]) -> HashMap<u32, usize> {
    let mut counts = HashMap::new();
    for &value in data {
        *counts.entry(value).or_insert(0) += 1;
    }
    counts
}

/// `len` pseudo-random values below 1000, new ones for each `seed`: as
/// many values and as many distinct keys at every seed.
fn large_input(len: usize, seed: u64) -> Vec<u32> {
    let mut rng = SeededRng::new(seed);
    (0..len).map(|_| rng.below(1000) as u32).collect()
}

fn main() {
    grading_kit::checks!()
        .property(
            "counts like the sequential count",
            (prop::collection::vec(0..20u32, 0..300), 1..8usize),
            |(data, workers)| subject::count_values(data, *workers),
            |(data, _), counts| expect_eq(counts, oracle(data)),
        )
        .property(
            "more workers than values",
            (prop::collection::vec(any::<u32>(), 0..10), 8..40usize),
            |(data, workers)| subject::count_values(data, *workers),
            |(data, _), counts| expect_eq(counts, oracle(data)),
        )
        .snapshot("a small count", || {
            let data = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3];
            let mut counts: Vec<(u32, usize)> = subject::count_values(&data, 3).into_iter().collect();
            counts.sort();
            counts.iter().map(|(v, n)| format!("{v}: {n}\n")).collect()
        })
        .speedup(
            "faster than counting sequentially",
            Speedup::seeded(
                |seed| large_input(8_000_000, seed),
                |data: &Vec<u32>| oracle(data),
                |data: &Vec<u32>| {
                    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                    subject::count_values(data, cores)
                },
            ),
        )
        .main();
}
