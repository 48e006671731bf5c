//! Many async tasks: start a hundred thousand of them, as you would
//! goroutines. Read `README.md` in this folder first.

use std::future::Future;

/// Runs every job as a task of its own, all at the same time, and returns
/// their results in the order of `jobs` (not the order they finish in).
///
/// A job that panics makes `run_all` panic too.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let jobs: Vec<_> = (1..=3u32).map(|n| async move { n * 10 }).collect();
/// assert_eq!(many_async_tasks::run_all(jobs).await, [10, 20, 30]);
/// # });
/// ```
pub async fn run_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    todo!("spawn {} jobs with tokio::spawn, then await their handles in order", jobs.len())
}
