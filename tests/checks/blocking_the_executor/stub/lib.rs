//! Blocking the executor: keep CPU work and blocking calls off the threads
//! that run async tasks. Read `README.md` in this folder first.

use std::time::Duration;

/// Waits `delay`, then returns `value`, without holding up the other tasks
/// of the runtime while it waits.
pub async fn wait_then<T>(delay: Duration, value: T) -> T {
    todo!("wait {delay:?} the async way")
}

/// Runs `work`, which keeps a CPU busy for a long while, where it does not
/// stall the runtime's other tasks, and returns its result. A panic in
/// `work` makes `compute` panic too.
pub async fn compute<R>(work: impl FnOnce() -> R + Send + 'static) -> R
where
    R: Send + 'static,
{
    todo!("hand the work to tokio's blocking threads")
}
