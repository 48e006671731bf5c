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

/// Sums `data` in chunks of `chunk_len` numbers, each on a scoped thread.
///
/// `thread::scope` joins every thread it spawned before it returns, which is
/// what lets the threads borrow `data`.
pub fn chunk_sums(data: &[u64], chunk_len: usize) -> Vec<u64> {
    thread::scope(|scope| {
        let handles: Vec<_> =
            data.chunks(chunk_len).map(|chunk| scope.spawn(move || chunk.iter().sum::<u64>())).collect();
        handles.into_iter().map(|handle| handle.join().expect("summing never panics")).collect()
    })
}
