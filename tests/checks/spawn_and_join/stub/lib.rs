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

/// Sums `data` in chunks of `chunk_len` numbers (`chunk_len` is at least 1),
/// each chunk on a thread of its own, and returns the sums in chunk order.
///
/// The threads *borrow* `data` instead of copying it: that needs threads
/// that are sure to end before `data` does.
///
/// ```
/// assert_eq!(spawn_and_join::chunk_sums(&[1, 2, 3, 4, 5], 2), vec![3, 7, 5]);
/// ```
pub fn chunk_sums(data: &[u64], chunk_len: usize) -> Vec<u64> {
    todo!("sum each chunk of {chunk_len} on a scoped thread")
}
