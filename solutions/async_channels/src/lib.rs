//! Reference solution of `async_channels`.

use std::panic::resume_unwind;

use tokio::sync::{broadcast, mpsc, oneshot};

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

/// Every event to every subscriber.
pub async fn broadcast_all(events: Vec<u32>, subscribers: usize) -> Vec<Vec<u32>> {
    // Room for every event, so that no subscriber can fall behind far
    // enough to miss one (`RecvError::Lagged`).
    let (sender, _) = broadcast::channel(events.len().max(1));
    // Subscribe *before* sending: a receiver gets only what is sent after
    // it was made. Made here, not inside the tasks, which start later.
    let tasks: Vec<_> = (0..subscribers)
        .map(|_| {
            let mut receiver = sender.subscribe();
            tokio::spawn(async move {
                let mut got = Vec::new();
                // `Err(Closed)` once the sender is dropped and all is read.
                while let Ok(event) = receiver.recv().await {
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
