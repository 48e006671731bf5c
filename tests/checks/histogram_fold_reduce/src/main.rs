//! Checks of `histogram_fold_reduce`.

grading_kit::subject!();

use grading_kit::{Speedup, expect_eq};
use proptest::prelude::*;

/// The trusted sequential histogram: one loop, one vector of bins.
mod oracle {
    pub fn bucket(sample: u64, bins: usize) -> usize {
        let mut x = sample;
        for _ in 0..64 {
            x ^= x >> 31;
            x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
        (x % bins as u64) as usize
    }

    pub fn histogram(samples: &[u64], bins: usize) -> Vec<usize> {
        let mut counts = vec![0; bins];
        for &sample in samples {
            counts[bucket(sample, bins)] += 1;
        }
        counts
    }

    /// `n` pseudo-random samples, new ones for each `seed`.
    pub fn large_input(n: usize, seed: u64) -> Vec<u64> {
        grading_kit::helpers::SeededRng::new(seed).take(n).collect()
    }
}

const SPEEDUP_SAMPLES: usize = 2_400_000;
const SPEEDUP_BINS: usize = 64;

fn main() {
    grading_kit::checks!()
        .property(
            "counts like the sequential histogram",
            (prop::collection::vec(any::<u64>(), 0..2_000), 1..40usize),
            |(samples, bins): &(Vec<u64>, usize)| subject::histogram(samples, *bins),
            |(samples, bins), counts| expect_eq(counts, oracle::histogram(samples, *bins)),
        )
        .property(
            "one bin holds every sample",
            prop::collection::vec(any::<u64>(), 0..500),
            |samples: &Vec<u64>| subject::histogram(samples, 1),
            |samples, counts| expect_eq(counts, vec![samples.len()]),
        )
        .snapshot("a thousand samples in eight bins", || {
            let samples: Vec<u64> = (0..1_000).collect();
            subject::histogram(&samples, 8).iter().enumerate().map(|(b, n)| format!("{b}: {n}\n")).collect()
        })
        .speedup(
            "faster than the sequential histogram",
            Speedup::seeded(
                |seed| oracle::large_input(SPEEDUP_SAMPLES, seed),
                |samples: &Vec<u64>| oracle::histogram(samples, SPEEDUP_BINS),
                |samples: &Vec<u64>| subject::histogram(samples, SPEEDUP_BINS),
            ),
        )
        .main();
}
