//! Reference solution of `many_async_tasks`.

use std::future::Future;

/// Runs every job as a task of its own and returns the results in job order.
pub async fn run_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    // Every task is started before any is awaited: awaiting each right
    // after spawning it would run them one after another.
    let handles: Vec<_> = jobs.into_iter().map(tokio::spawn).collect();
    let mut results = Vec::with_capacity(handles.len());
    // Awaiting the handles in job order gives the results in job order,
    // whatever order the tasks finish in.
    for handle in handles {
        match handle.await {
            Ok(result) => results.push(result),
            // A task's panic is caught by the runtime and handed to whoever
            // awaits it; pass it on, as a joined thread's panic would be.
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            // Only a runtime shutting down cancels a task we did not abort.
            Err(error) => panic!("a job was cancelled before it finished: {error}"),
        }
    }
    results
}
