//! Reference solution of `histogram_fold_reduce`.

use rayon::prelude::*;

/// The bin (`0..bins`) that `sample` falls into.
pub fn bucket(sample: u64, bins: usize) -> usize {
    let mut x = sample;
    for _ in 0..64 {
        x ^= x >> 31;
        x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (x % bins as u64) as usize
}

/// Counts how many of `samples` fall into each of `bins` bins.
///
/// `fold` gives every piece of work that rayon splits off a `Vec` of bins of
/// its own, so counting never touches memory another thread writes; `reduce`
/// adds those vectors pairwise at the end: a handful of additions of
/// `bins` numbers, against millions of counted samples.
pub fn histogram(samples: &[u64], bins: usize) -> Vec<usize> {
    samples
        .par_iter()
        .fold(
            || vec![0; bins],
            |mut counts, &sample| {
                counts[bucket(sample, bins)] += 1;
                counts
            },
        )
        .reduce(|| vec![0; bins], add_bins)
}

fn add_bins(mut into: Vec<usize>, from: Vec<usize>) -> Vec<usize> {
    for (total, count) in into.iter_mut().zip(from) {
        *total += count;
    }
    into
}
