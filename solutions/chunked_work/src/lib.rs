//! Reference solution of `chunked_work`.

use std::ops::Range;
use std::thread;

/// Splits `0..n` into `workers` ranges whose sizes differ by at most one.
///
/// Every worker gets `n / workers` items, and the `n % workers` left over go
/// one each to the first workers. Rounding the chunk size down alone would
/// drop those leftovers; rounding it up would leave the last workers short
/// (or idle).
pub fn partition(n: usize, workers: usize) -> Vec<Range<usize>> {
    let (base, extra) = (n / workers, n % workers);
    let mut start = 0;
    (0..workers)
        .map(|worker| {
            let len = base + usize::from(worker < extra);
            let range = start..start + len;
            start += len;
            range
        })
        .collect()
}

/// Maps each chunk of [`partition`] on a scoped thread of its own.
///
/// The scope lets the threads borrow `data` and `f` (hence `F: Sync`, as
/// every thread calls it through a shared reference), and joining in chunk
/// order puts the results back in item order.
pub fn map_in_chunks<F>(data: &[u64], workers: usize, f: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Sync,
{
    let f = &f;
    thread::scope(|scope| {
        let handles: Vec<_> = partition(data.len(), workers)
            .into_iter()
            .filter(|range| !range.is_empty())
            .map(|range| scope.spawn(move || data[range].iter().map(|&x| f(x)).collect::<Vec<u64>>()))
            .collect();
        handles.into_iter().flat_map(|handle| handle.join().expect("f is the caller's and does not panic")).collect()
    })
}
