//! Async deadlines: `select!`, `timeout` and `interval`, on tokio's clock.
//! Read `README.md` in this folder first.

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// Starts every worker as a task and collects their results, in the order
/// they arrive, until `deadline` has passed since the call or every worker
/// has finished, whichever comes first.
///
/// One deadline for the whole collection. Workers still running at the
/// deadline are cancelled, and have stopped when `gather` returns.
pub async fn gather<T, F>(workers: Vec<F>, deadline: Duration) -> Vec<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    todo!("spawn {} workers on a JoinSet, then select! between join_next and one sleep", workers.len())
}

/// Runs `work(0)` at once, then `work(1)`, `work(2)`, ... on the beats of
/// a clock of `period`: at `period`, `2 * period`, ... after the call.
///
/// A run that takes longer than a period makes the beats it overran
/// *missed*: one late run starts as soon as it ends, and the runs after
/// that are back on the grid. The missed beats are not made up with a burst
/// of runs, and the grid does not shift.
/// When `stop` is cancelled, `run_every` returns at once if it is waiting
/// for a beat, or as soon as the run in progress ends; it returns how many
/// runs it started.
pub async fn run_every<F, Fut>(period: Duration, stop: CancellationToken, work: F) -> usize
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = ()>,
{
    todo!("tokio::time::interval({period:?}) with MissedTickBehavior::Skip, in a select! with stop.cancelled()")
}
