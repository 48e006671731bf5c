//! Reference solution of `false_sharing`.

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

/// A value with a cache line to itself.
///
/// `align(128)` makes every `Padded` start on a 128-byte boundary, and its
/// size a multiple of 128: two of them side by side in a `Vec` are 128 bytes
/// apart, never on the same 64-byte line, nor on the pair of lines that
/// Intel's adjacent-line prefetcher fetches together.
#[derive(Debug, Default)]
#[repr(align(128))]
pub struct Padded<T>(pub T);

/// `n` counters at zero, each on its own cache lines.
pub fn counters(n: usize) -> Vec<Padded<AtomicU64>> {
    (0..n).map(|_| Padded::default()).collect()
}

/// Counts the hits in `data` on `threads` threads, one padded counter each.
///
/// Each thread writes only its own counter, and no two counters share a
/// cache line, so no core ever has to fetch a line another core just wrote.
/// (A plain local `u64` per thread, stored once at the end, does even less
/// work; the padded atomics are the fix when the counters must be shared while
/// the threads run, for example to report progress.)
pub fn count_hits(data: &[u64], threads: usize) -> u64 {
    let threads = threads.max(1);
    let counters = counters(threads);
    let part = data.len().div_ceil(threads).max(1);
    thread::scope(|s| {
        for (values, counter) in data.chunks(part).zip(&counters) {
            s.spawn(move || {
                for &value in values {
                    if is_hit(value) {
                        counter.0.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    counters.iter().map(|counter| counter.0.load(Ordering::Relaxed)).sum()
}
