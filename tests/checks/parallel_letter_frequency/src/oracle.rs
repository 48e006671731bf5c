//! The trusted sequential reference: one loop, one map.

use std::collections::HashMap;

pub fn frequency(input: &[&str]) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for text in input {
        for c in text.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase) {
            *counts.entry(c).or_insert(0) += 1;
        }
    }
    counts
}

/// `lines` lines of 300 pseudo-random characters, a different text for each
/// `seed`.
pub fn large_input(lines: usize, seed: u64) -> Vec<String> {
    const ALPHABET: &[char] = &[
        'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
        'w', 'x', 'y', 'z', 'E', 'T', 'A', ' ', ' ', ' ', ',', '.', '7', 'é', 'ß', 'Ö',
    ];
    // xorshift's state must not be 0.
    let mut state = (0x2545_F491_4F6C_DD1D_u64 ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)).max(1);
    (0..lines)
        .map(|_| {
            (0..300)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    ALPHABET[(state % ALPHABET.len() as u64) as usize]
                })
                .collect()
        })
        .collect()
}
