//! Reference solution of `spawn_and_join`.

use std::thread;

/// Runs every job on a thread of its own, all of them at the same time, and
/// returns their results in the order of `jobs`.
///
/// Every thread is spawned before any is joined: joining each one right
/// after spawning it would run the jobs one after another.
pub fn run_concurrently<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<thread::JoinHandle<T>> = jobs.into_iter().map(thread::spawn).collect();
    handles.into_iter().map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
}

/// Sums `data` in chunks of `chunk_len` numbers with `sum`, each chunk on a
/// scoped thread.
///
/// `thread::scope` joins every thread it spawned before it returns, which is
/// what lets the threads borrow `data`, and `sum` too: every thread calls it
/// through the same shared reference, which `Sync` allows.
pub fn chunk_sums<S>(data: &[u64], chunk_len: usize, sum: S) -> Vec<u64>
where
    S: Fn(&[u64]) -> u64 + Sync,
{
    let sum = &sum;
    thread::scope(|scope| {
        let handles: Vec<_> = data.chunks(chunk_len).map(|chunk| scope.spawn(move || sum(chunk))).collect();
        handles.into_iter().map(|handle| handle.join().expect("summing never panics")).collect()
    })
}
