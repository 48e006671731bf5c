//! Reference solution of `parallel_letter_frequency`.

use std::collections::HashMap;

use rayon::prelude::*;

/// Counts the letters of every text in `input`, using `worker_count` workers
/// in parallel.
///
/// Each piece of work rayon splits off counts into a map of its own (`fold`:
/// one map per piece, not per thread), and the maps are merged at the end
/// (`reduce`): no worker ever waits for another during the count.
pub fn frequency(input: &[&str], worker_count: usize) -> HashMap<char, usize> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(worker_count.max(1))
        .build()
        .expect("a thread pool of a few threads can always be built");
    pool.install(|| {
        input
            .par_iter()
            .fold(HashMap::new, |mut counts, text| {
                count_into(&mut counts, text);
                counts
            })
            .reduce(HashMap::new, merge)
    })
}

fn count_into(counts: &mut HashMap<char, usize>, text: &str) {
    for c in text.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase) {
        *counts.entry(c).or_insert(0) += 1;
    }
}

fn merge(mut into: HashMap<char, usize>, from: HashMap<char, usize>) -> HashMap<char, usize> {
    for (c, n) in from {
        *into.entry(c).or_insert(0) += n;
    }
    into
}
