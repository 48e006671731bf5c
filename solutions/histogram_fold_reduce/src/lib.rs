//! Reference solution of `histogram_fold_reduce`.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

/// How many bins a byte histogram has: one per byte value.
pub const BINS: usize = 256;

/// The "before" picture: one set of atomic bins that every thread writes.
pub fn shared_atomic_histogram(data: &[u8]) -> [u64; BINS] {
    let bins: Vec<AtomicU64> = (0..BINS).map(|_| AtomicU64::new(0)).collect();
    data.par_chunks(64 * 1024).for_each(|chunk| {
        for &byte in chunk {
            bins[usize::from(byte)].fetch_add(1, Ordering::Relaxed);
        }
    });
    std::array::from_fn(|bin| bins[bin].load(Ordering::Relaxed))
}

/// Bytes per chunk: large enough that moving an accumulator (2 KiB) once
/// per chunk costs nothing next to counting the chunk, small enough that
/// there are many chunks to share out between threads.
const CHUNK: usize = 64 * 1024;

/// How often each byte value occurs in `data`.
///
/// `fold` gives every piece of work rayon splits off bins of its own (one
/// accumulator per piece, not per thread), and counts chunk after chunk
/// into them with a plain sequential loop: no counting touches memory that
/// another thread writes. `reduce` adds those accumulators pairwise at the
/// end: 256 additions per accumulator, against millions of counted bytes.
pub fn byte_histogram(data: &[u8]) -> [u64; BINS] {
    data.par_chunks(CHUNK)
        .fold(
            || [0; BINS],
            |mut bins, chunk| {
                for &byte in chunk {
                    bins[usize::from(byte)] += 1;
                }
                bins
            },
        )
        .reduce(|| [0; BINS], add_bins)
}

fn add_bins(mut into: [u64; BINS], from: [u64; BINS]) -> [u64; BINS] {
    for (total, count) in into.iter_mut().zip(from) {
        *total += count;
    }
    into
}
