//! Contended atomic bins: a histogram that every thread writes is slower
//! than one thread; bins of its own for each piece of work, added up at the
//! end, are not. Read `README.md` in this folder first.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

/// How many bins a byte histogram has: one per byte value.
pub const BINS: usize = 256;

/// How often each byte value occurs in `data`, counted on rayon's threads
/// into one set of shared atomic bins. Correct, and given to you as the
/// "before" picture: every byte is a `fetch_add` on a bin that every other
/// thread writes too. Do not change it; beat it.
pub fn shared_atomic_histogram(data: &[u8]) -> [u64; BINS] {
    let bins: Vec<AtomicU64> = (0..BINS).map(|_| AtomicU64::new(0)).collect();
    data.par_chunks(64 * 1024).for_each(|chunk| {
        for &byte in chunk {
            bins[usize::from(byte)].fetch_add(1, Ordering::Relaxed);
        }
    });
    std::array::from_fn(|bin| bins[bin].load(Ordering::Relaxed))
}

/// How often each byte value occurs in `data`, counted in parallel: element
/// `b` of the result is the number of bytes equal to `b`.
///
/// Each piece of work counts into bins of its own, with no atomic and no
/// lock; the bins are added up at the end.
///
/// ```no_run
/// let bins = histogram_fold_reduce::byte_histogram(b"abracadabra");
/// assert_eq!(bins[usize::from(b'a')], 5);
/// assert_eq!(bins.iter().sum::<u64>(), 11);
/// ```
pub fn byte_histogram(data: &[u8]) -> [u64; BINS] {
    todo!("count {} bytes into private bins per piece of work, then add the bins up", data.len())
}
