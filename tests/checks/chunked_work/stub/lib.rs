//! Chunked work: split n items evenly between w workers, then let each
//! worker process its chunk on a thread of its own. Read `README.md` in this
//! folder first.

use std::ops::Range;

/// Splits the items `0..n` between `workers` workers (`workers` is at least
/// 1): exactly one range per worker, in order, next to each other, covering
/// `0..n`, with sizes that differ by at most one. When `n % workers` is not
/// zero, the first `n % workers` ranges are the longer ones. A range is empty
/// only when there are fewer items than workers.
///
/// ```
/// assert_eq!(chunked_work::partition(10, 3), vec![0..4, 4..7, 7..10]);
/// assert_eq!(chunked_work::partition(2, 3), vec![0..1, 1..2, 2..2]);
/// ```
pub fn partition(n: usize, workers: usize) -> Vec<Range<usize>> {
    todo!("split {n} items between {workers} workers")
}

/// Applies `f` to every item of `data` and returns the results in order.
/// The items are split with [`partition`], and each non-empty chunk is
/// mapped on a scoped thread of its own, borrowing `data`.
///
/// ```
/// assert_eq!(chunked_work::map_in_chunks(&[1, 2, 3], 2, |x| x * 10), vec![10, 20, 30]);
/// ```
pub fn map_in_chunks<F>(data: &[u64], workers: usize, f: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Sync,
{
    todo!("map each chunk of the {} items on a scoped thread", data.len())
}
