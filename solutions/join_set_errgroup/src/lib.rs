//! Reference solution of `join_set_errgroup`.

use std::future::Future;
use std::panic::resume_unwind;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Both results, or the first error.
pub async fn both<A, B, E>(
    left: impl Future<Output = Result<A, E>>,
    right: impl Future<Output = Result<B, E>>,
) -> Result<(A, B), E> {
    // Polls both in this task; on the first `Err` it returns, and dropping
    // the other future is what stops it.
    tokio::try_join!(left, right)
}

/// An errgroup: every job a task, the first error cancels the rest.
pub async fn try_all<T, E, F, Fut>(jobs: Vec<F>) -> Result<Vec<T>, E>
where
    F: FnOnce(CancellationToken) -> Fut,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let cancel = CancellationToken::new();
    let mut tasks = JoinSet::new();
    let mut results: Vec<Option<T>> = Vec::with_capacity(jobs.len());
    for (index, job) in jobs.into_iter().enumerate() {
        results.push(None);
        // A child token: cancelling the group reaches every job, while a
        // job that cancels its own token stops only itself.
        let work = job(cancel.child_token());
        // The index travels with the result, because a JoinSet hands the
        // results back in the order the tasks finish.
        tasks.spawn(async move { (index, work.await) });
    }

    let mut first_error = None;
    // As Go's `Wait`, wait for every job to return: cancelled ones return
    // promptly, and none is left running behind the caller's back.
    while let Some(joined) = tasks.join_next().await {
        let (index, result) = match joined {
            Ok(done) => done,
            Err(error) => resume_unwind(error.into_panic()),
        };
        match result {
            Ok(value) => results[index] = Some(value),
            // Later errors are mostly the cancelled jobs saying so: only
            // the first is the cause.
            Err(error) if first_error.is_none() => {
                cancel.cancel();
                first_error = Some(error);
            }
            Err(_) => {}
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(results.into_iter().map(|result| result.expect("every job succeeded")).collect()),
    }
}
