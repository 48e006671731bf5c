//! Reference solution of `async_pipeline`.

use std::future::Future;
use std::panic::resume_unwind;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinSet;

/// Why a pipeline gave no results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PipelineError {
    /// The first error a `process` call returned.
    Failed(String),
    /// The deadline passed before every item was processed.
    TimedOut,
}

/// A source, a bounded channel, `workers` workers, one deadline.
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
    let total = items.len();
    // Small: the source runs at most a little ahead of the workers.
    let (queue, inbox) = mpsc::channel(2);
    // tokio's receiver has one owner; the workers take turns at it. The
    // lock is held across `recv().await`, hence tokio's `Mutex`.
    let inbox = Arc::new(Mutex::new(inbox));
    let process = Arc::new(process);

    let mut tasks = JoinSet::new();
    tasks.spawn(async move {
        for (index, item) in items.into_iter().enumerate() {
            if queue.send((index, item)).await.is_err() {
                break; // no worker left to take it
            }
        }
        None // the source has no result of its own
    });
    for _ in 0..workers {
        let inbox = Arc::clone(&inbox);
        let process = Arc::clone(&process);
        tasks.spawn(async move {
            let mut done = Vec::new();
            loop {
                let next = inbox.lock().await.recv().await;
                let Some((index, item)) = next else { return Some(Ok(done)) };
                match process(item).await {
                    Ok(result) => done.push((index, result)),
                    Err(error) => return Some(Err(error)),
                }
            }
        });
    }

    let mut results: Vec<Option<u64>> = vec![None; total];
    let outcome = tokio::time::timeout(deadline, async {
        while let Some(joined) = tasks.join_next().await {
            match joined.unwrap_or_else(|error| resume_unwind(error.into_panic())) {
                Some(Ok(done)) => done.into_iter().for_each(|(index, result)| results[index] = Some(result)),
                // The first error ends the wait; the others are cancelled below.
                Some(Err(error)) => return Err(PipelineError::Failed(error)),
                None => {}
            }
        }
        Ok(())
    })
    .await
    .unwrap_or(Err(PipelineError::TimedOut));
    // On an error or at the deadline, stop every task, and wait until they
    // have: dropping a task's future is what cancels its `process` call.
    tasks.shutdown().await;
    outcome.map(|()| results.into_iter().map(|result| result.expect("every item was processed")).collect())
}
