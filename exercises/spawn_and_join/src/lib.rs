//! Spawn and join: start work on threads of its own, then wait for it.
//! Read `README.md` in this folder first.

/// Runs every job on a thread of its own, all of them at the same time, and
/// returns their results in the order of `jobs` (not the order they finish).
///
/// This is Go's `go job()` for each job, followed by waiting for them all.
///
/// ```
/// let jobs: Vec<Box<dyn FnOnce() -> u32 + Send>> = vec![Box::new(|| 1), Box::new(|| 2)];
/// assert_eq!(spawn_and_join::run_concurrently(jobs), vec![1, 2]);
/// ```
pub fn run_concurrently<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    todo!("spawn a thread for each of the {} jobs, then join them in order", jobs.len())
}

/// Splits `data` into chunks of `chunk_len` numbers (`chunk_len` is at least
/// 1), sums each chunk with `sum` on a thread of its own, all at the same
/// time, and returns the sums in chunk order.
///
/// The threads *borrow* `data` (and `sum`) instead of copying them: that
/// needs threads that are sure to end before `data` does.
///
/// ```
/// let sums = spawn_and_join::chunk_sums(&[1, 2, 3, 4, 5], 2, |chunk| chunk.iter().sum());
/// assert_eq!(sums, vec![3, 7, 5]);
/// ```
pub fn chunk_sums<S>(data: &[u64], chunk_len: usize, sum: S) -> Vec<u64>
where
    S: Fn(&[u64]) -> u64 + Sync,
{
    todo!("sum each chunk of {chunk_len} on a scoped thread")
}
