//! Reference solution of `async_channels`.

use std::panic::resume_unwind;
use std::sync::Arc;

use tokio::sync::{Mutex, broadcast, mpsc, oneshot};

/// Sends every item, waiting while the channel is full.
pub async fn produce(items: Vec<u32>, sender: mpsc::Sender<u32>) {
    for item in items {
        // `send` waits for room: that wait is the backpressure. An `Err`
        // means the receiver is gone, and nobody wants the rest.
        if sender.send(item).await.is_err() {
            return;
        }
    }
}

/// A request to the counter task.
#[derive(Debug)]
pub struct Add {
    pub amount: u64,
    pub reply: oneshot::Sender<u64>,
}

/// Owns the total and serves one request at a time.
pub async fn counter(mut requests: mpsc::Receiver<Add>) -> u64 {
    let mut total = 0;
    // `None` once every `Sender` is dropped and the queue is empty.
    while let Some(Add { amount, reply }) = requests.recv().await {
        total += amount;
        // The asker may have given up waiting; that is its business.
        let _ = reply.send(total);
    }
    total
}

/// One request, one reply.
pub async fn add(requests: &mpsc::Sender<Add>, amount: u64) -> u64 {
    let (reply, total) = oneshot::channel();
    requests.send(Add { amount, reply }).await.expect("the counter task has stopped");
    total.await.expect("the counter task dropped the request without replying")
}

/// Every event to every subscriber, each subscriber a task of its own.
pub async fn broadcast_all<H, Fut>(events: Vec<u32>, subscribers: usize, handle: H) -> Vec<Vec<u32>>
where
    H: Fn(usize, u32) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    // Room for every event, so that no subscriber can fall behind far
    // enough to miss one (`RecvError::Lagged`).
    let (sender, _) = broadcast::channel(events.len().max(1));
    // One `handle` for every task: a spawned task must own what it uses.
    let handle = Arc::new(handle);
    // Subscribe *before* sending: a receiver gets only what is sent after
    // it was made. Made here, not inside the tasks, which start later.
    let tasks: Vec<_> = (0..subscribers)
        .map(|index| {
            let mut receiver = sender.subscribe();
            let handle = Arc::clone(&handle);
            tokio::spawn(async move {
                let mut got = Vec::new();
                // `Err(Closed)` once the sender is dropped and all is read.
                while let Ok(event) = receiver.recv().await {
                    // Each subscriber handles its events in its own task:
                    // while one waits in `handle`, the others go on.
                    handle(index, event).await;
                    got.push(event);
                }
                got
            })
        })
        .collect();
    for event in events {
        // Fails only when there are no receivers: then nobody is listening.
        let _ = sender.send(event);
    }
    drop(sender);
    let mut received = Vec::with_capacity(subscribers);
    for task in tasks {
        match task.await {
            Ok(got) => received.push(got),
            Err(error) => resume_unwind(error.into_panic()),
        }
    }
    received
}

/// One connection to a server that answers one request at a time.
pub trait Connection: Send + 'static {
    /// Sends `request` and awaits its answer, with the connection to itself.
    fn call(&mut self, request: u64) -> impl Future<Output = u64> + Send;
}

/// A task per request: prepare without the lock, call under it.
pub async fn call_all<C, P, Fut>(requests: Vec<u64>, connection: C, prepare: P) -> Vec<u64>
where
    C: Connection,
    P: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = u64> + Send + 'static,
{
    // tokio's `Mutex`: its guard may be held across the `.await` of the
    // call (it is `Send`, and a task waiting for it is parked, not its
    // thread). std's guard is not `Send`: `tokio::spawn` would refuse a
    // task that holds one across an `.await`.
    let connection = Arc::new(Mutex::new(connection));
    let prepare = Arc::new(prepare);
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let (connection, prepare) = (Arc::clone(&connection), Arc::clone(&prepare));
            tokio::spawn(async move {
                // No lock while preparing: every task prepares at once.
                let prepared = prepare(request).await;
                // The lock for the call only, and for all of it: the
                // connection takes one call at a time.
                connection.lock().await.call(prepared).await
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok(answer) => answers.push(answer),
            Err(error) => resume_unwind(error.into_panic()),
        }
    }
    answers
}
