//! Reference solution of `async_deadlines`.

use std::future::Future;
use std::panic::resume_unwind;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

/// The results that arrive before the deadline; the late workers cancelled.
pub async fn gather<T, F>(workers: Vec<F>, deadline: Duration) -> Vec<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut tasks = JoinSet::new();
    for worker in workers {
        tasks.spawn(worker);
    }
    // One timer, made before the loop: a `timeout` around each
    // `join_next` would start the clock again at every result.
    let time_up = tokio::time::sleep(deadline);
    tokio::pin!(time_up);
    let mut results = Vec::new();
    loop {
        tokio::select! {
            joined = tasks.join_next() => match joined {
                Some(Ok(result)) => results.push(result),
                Some(Err(error)) => resume_unwind(error.into_panic()),
                None => break, // every worker has finished
            },
            () = &mut time_up => break,
        }
    }
    // Unlike threads, tasks can be stopped: abort the late ones and wait
    // until they have, so that none runs on behind the caller.
    tasks.shutdown().await;
    results
}

/// Runs `work` on the beats of a `period` clock until `stop`.
pub async fn run_every<F, Fut>(period: Duration, stop: CancellationToken, mut work: F) -> usize
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut beats = tokio::time::interval(period);
    // The default, `Burst`, would fire every missed beat at once to catch
    // up; `Delay` would shift the grid by each overrun. `Skip` drops the
    // missed beats and keeps to the grid.
    beats.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut runs = 0;
    loop {
        tokio::select! {
            // Checked first: once stopped, a beat that is also due must not
            // start one more run.
            biased;
            () = stop.cancelled() => return runs,
            _ = beats.tick() => {}
        }
        work(runs).await;
        runs += 1;
    }
}
