//! JoinSet and errgroup: run fallible work at the same time, and stop the
//! rest at the first failure. Read `README.md` in this folder first.

use std::future::Future;

use tokio_util::sync::CancellationToken;

/// Runs `left` and `right` at the same time, in the calling task, and
/// returns both results; or, as soon as either fails, its error (the other
/// one is then dropped half-way: it stops at its next `.await`).
pub async fn both<A, B, E>(
    left: impl Future<Output = Result<A, E>>,
    right: impl Future<Output = Result<B, E>>,
) -> Result<(A, B), E> {
    todo!("tokio::try_join! the two futures")
}

/// Go's `errgroup.WithContext`: starts every job as a task, handing each a
/// cancellation token (Go's `ctx`), and waits for them all.
///
/// - All succeed: `Ok` with their results in the order of `jobs`.
/// - One fails: the *first* error to come back, after the others have been
///   told to stop (cancel their token, or abort their tasks) and have
///   stopped. No job may go on working after the first error has come.
pub async fn try_all<T, E, F, Fut>(jobs: Vec<F>) -> Result<Vec<T>, E>
where
    F: FnOnce(CancellationToken) -> Fut,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    todo!("spawn {} jobs on a JoinSet, each with a token; cancel it at the first error", jobs.len())
}
