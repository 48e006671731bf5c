//! False sharing: counters that belong to different threads, but share a
//! cache line. Read `README.md` in this folder first.

use course_sync::atomic::{AtomicU64, Ordering};
use course_sync::thread;

/// Whether `value` is a hit: a few dozen arithmetic steps, true for about
/// half of all values. Given; use it as it is.
pub fn is_hit(value: u64) -> bool {
    let mut x = value;
    for _ in 0..16 {
        x = (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
    }
    x & 1 == 0
}

/// A value that has a cache line to itself: no other `Padded` value, and
/// nothing else, shares its 128 bytes, so that writes to it never slow down a
/// thread that writes a neighbour.
///
/// As given, it is as small as `T`, so that two `Padded<AtomicU64>` in a
/// `Vec` sit 8 bytes apart on one line. Make it *aligned* to 128 bytes
/// (the size of two cache lines: some CPUs fetch lines in pairs).
#[derive(Debug, Default)]
pub struct Padded<T>(pub T);

/// `n` counters at zero, one per thread for [`count_hits`], each with its
/// cache line to itself.
///
/// ```no_run
/// let counters = false_sharing::counters(2);
/// assert_eq!(counters.len(), 2);
/// ```
pub fn counters(n: usize) -> Vec<Padded<AtomicU64>> {
    todo!("{n} padded counters at zero")
}

/// Counts the hits in `data` (see [`is_hit`]) on `threads` threads (at
/// least 1), in parallel: each thread takes one contiguous part of `data` and
/// counts its hits *as it finds them* into an `AtomicU64` counter of its own
/// (one of [`counters`] per thread). Returns the sum of the counters once
/// every thread has finished.
///
/// ```no_run
/// let data: Vec<u64> = (0..1000).collect();
/// let expected = data.iter().filter(|&&v| false_sharing::is_hit(v)).count() as u64;
/// assert_eq!(false_sharing::count_hits(&data, 4), expected);
/// ```
pub fn count_hits(data: &[u64], threads: usize) -> u64 {
    todo!("count the hits among {} values on {threads} threads, one padded counter each", data.len())
}
