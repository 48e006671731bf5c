//! Worker pool: a fixed number of threads share one queue of jobs. Read
//! `README.md` in this folder first.

/// Runs `jobs` on a pool of `workers` threads (`workers` is at least 1) and
/// returns their results in the order of `jobs`.
///
/// - start exactly `workers` threads, however many jobs there are; each
///   takes jobs from **one shared job channel** until it is closed and
///   empty (crossbeam `Receiver`s can be cloned: every worker gets one);
/// - a worker sends each result back with the job's index, so that the
///   results can be put back in order;
/// - close the job channel once every job is in it, and join every worker
///   before returning: no thread of the pool outlives the call.
///
/// ```
/// let jobs: Vec<_> = (1..=5u64).map(|n| move || n * n).collect();
/// assert_eq!(worker_pool::run_pool(jobs, 2), vec![1, 4, 9, 16, 25]);
/// ```
pub fn run_pool<T, F>(jobs: Vec<F>, workers: usize) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    todo!("{workers} workers sharing one job channel; {} jobs; results in job order", jobs.len())
}
