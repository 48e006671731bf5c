//! Reference solution of `blocking_the_executor`.

use std::panic::resume_unwind;
use std::time::Duration;

/// Waits without blocking the thread: the task is parked, and the runtime
/// runs the others meanwhile.
pub async fn wait_then<T>(delay: Duration, value: T) -> T {
    tokio::time::sleep(delay).await;
    value
}

/// Runs `work` on tokio's pool of blocking threads, and awaits its result.
pub async fn compute<R>(work: impl FnOnce() -> R + Send + 'static) -> R
where
    R: Send + 'static,
{
    // `spawn_blocking` moves the closure to a thread of its own; the task
    // that awaits the handle is parked until it is done.
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(error) => resume_unwind(error.into_panic()),
    }
}
