//! Async pipeline, the capstone of the async level: a source, a bounded
//! channel, a pool of workers, a deadline, and the first error cancelling
//! everything. Read `README.md` in this folder first.

use std::future::Future;
use std::time::Duration;

/// Why a pipeline gave no results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PipelineError {
    /// The first error a `process` call returned.
    Failed(String),
    /// The deadline passed before every item was processed.
    TimedOut,
}

/// Processes every item with `process`, on `workers` tasks at the same
/// time (`workers >= 1`), fed in item order through a bounded channel.
///
/// - all succeed by `deadline` (counted from the call): `Ok` with the
///   results in item order;
/// - a `process` call fails first: `Err(Failed(its error))`, at once;
/// - the deadline passes first: `Err(TimedOut)`, at the deadline.
///
/// Either way, nothing may go on running after `pipeline` returns: every
/// task it started has stopped.
pub async fn pipeline<F, Fut>(
    items: Vec<u32>,
    workers: usize,
    deadline: Duration,
    process: F,
) -> Result<Vec<u64>, PipelineError>
where
    F: Fn(u32) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<u64, String>> + Send + 'static,
{
    todo!("a source task, {workers} workers on a bounded channel, all under one deadline")
}
