//! A histogram with `fold` and `reduce`: every thread counts into bins of
//! its own, and the bins are added up at the end. Read `README.md` in this
//! folder first.

/// The bin (`0..bins`) that `sample` falls into: a few rounds of hashing, so
/// that each sample is a little work. Given; use it as it is. `bins` is at
/// least 1.
pub fn bucket(sample: u64, bins: usize) -> usize {
    let mut x = sample;
    for _ in 0..64 {
        x ^= x >> 31;
        x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (x % bins as u64) as usize
}

/// Counts, in parallel, how many of `samples` fall into each of `bins` bins
/// (see [`bucket`]): element `b` of the result is the number of samples
/// whose bucket is `b`. The result has exactly `bins` elements; `bins` is
/// at least 1.
///
/// Each thread counts into a `Vec` of its own (`fold`); the vectors are
/// added element by element at the end (`reduce`).
///
/// ```no_run
/// let counts = histogram_fold_reduce::histogram(&[1, 2, 3, 4], 3);
/// assert_eq!(counts.len(), 3);
/// assert_eq!(counts.iter().sum::<usize>(), 4);
/// ```
pub fn histogram(samples: &[u64], bins: usize) -> Vec<usize> {
    todo!("count {} samples into {bins} bins: fold into per-thread bins, then reduce", samples.len())
}
