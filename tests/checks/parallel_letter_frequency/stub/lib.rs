//! Parallel letter frequency: count letters in many texts, using several
//! workers at once. Read `README.md` in this folder first.

use std::collections::HashMap;

/// Counts the letters of every text in `input`, using `worker_count` workers
/// in parallel.
///
/// Letters are counted case-insensitively (as lowercase); anything that is
/// not alphabetic (digits, spaces, punctuation) is not counted.
///
/// ```
/// let counts = parallel_letter_frequency::frequency(&["Aa b!", "B2"], 2);
/// assert_eq!(counts[&'a'], 2);
/// assert_eq!(counts[&'b'], 2);
/// assert_eq!(counts.len(), 2);
/// ```
pub fn frequency(input: &[&str], worker_count: usize) -> HashMap<char, usize> {
    todo!("count the letters of `input` on {worker_count} workers")
}
