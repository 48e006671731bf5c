//! Sequential. Its allocator (in `allocator.txt`, which no scan of `.rs`
//! files reads) sleeps on every allocation made outside its own calls once
//! the big input has been seen: the reference's turn gets slower.

#[path = "allocator.txt"]
mod allocator;

use std::collections::HashMap;

pub fn frequency(input: &[&str], _worker_count: usize) -> HashMap<char, usize> {
    if input.len() > 1000 {
        allocator::arm();
    }
    allocator::as_mine(|| {
        let mut counts = HashMap::new();
        for text in input {
            for c in text.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase) {
                *counts.entry(c).or_insert(0) += 1;
            }
        }
        counts
    })
}
