//! Checks of `prefix_scan`.

grading_kit::subject!();

use grading_kit::helpers::SeededRng;
use grading_kit::{Speedup, fail};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// The trusted sequential scan: one pass, one running sum, with the same
/// arithmetic as the exercise's given `weight`.
mod oracle {
    pub fn prefix_sums(values: &[u64]) -> Vec<u64> {
        let mut running = 0;
        values
            .iter()
            .map(|&value| {
                let mut x = value;
                for _ in 0..128 {
                    x = (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
                }
                running += x >> 32;
                running
            })
            .collect()
    }
}

const SPEEDUP_LEN: u64 = 800_000;

/// Compares the learner's sums `got` with the sequential scan and, on a
/// difference, says where the first wrong sum is and in which chunk.
fn scans_like_the_oracle(values: &[u64], chunk_len: usize, got: Vec<u64>) -> Result<(), TestCaseError> {
    let want = oracle::prefix_sums(values);
    if got.len() != want.len() {
        return fail(format!("{} sums for {} values: one sum per value", got.len(), values.len()));
    }
    match got.iter().zip(&want).position(|(g, w)| g != w) {
        None => Ok(()),
        Some(i) => fail(format!(
            "with chunk_len {chunk_len}, the first wrong sum is at index {i} (chunk {}): {} instead of {}. \
                 Within a chunk the sums start from 0; each chunk after the first must then add the total of \
                 all the chunks before it (not its own)",
            i / chunk_len,
            got[i],
            want[i]
        )),
    }
}

fn main() {
    grading_kit::checks!()
        .property(
            "sums like the sequential scan, in many chunks",
            (prop::collection::vec(any::<u64>(), 0..300), 1..20usize),
            |(values, chunk_len)| subject::prefix_sums(values, *chunk_len),
            |(values, chunk_len), got| scans_like_the_oracle(values, *chunk_len, got),
        )
        .property(
            "one chunk, or chunks longer than the input",
            (prop::collection::vec(any::<u64>(), 0..50), 50..200usize),
            |(values, chunk_len)| subject::prefix_sums(values, *chunk_len),
            |(values, chunk_len), got| scans_like_the_oracle(values, *chunk_len, got),
        )
        .snapshot("ten values in chunks of three", || {
            let values: Vec<u64> = (0..10).collect();
            subject::prefix_sums(&values, 3).iter().map(|sum| format!("{sum}\n")).collect()
        })
        .speedup(
            "faster than the sequential scan",
            Speedup::seeded(
                // Scattered values, new at every seed; as many of them.
                |seed| SeededRng::new(seed).take(SPEEDUP_LEN as usize).collect::<Vec<u64>>(),
                |values: &Vec<u64>| oracle::prefix_sums(values),
                |values: &Vec<u64>| {
                    subject::prefix_sums(values, values.len().div_ceil(grading_kit::workers() * 8).max(1))
                },
            ),
        )
        .main();
}
