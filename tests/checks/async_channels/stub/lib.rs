//! Async channels: a bounded `mpsc` that holds a producer back, `oneshot`
//! replies, and `broadcast`. Read `README.md` in this folder first.

use tokio::sync::{mpsc, oneshot};

/// Sends every item, in order, on `sender`, waiting whenever the channel is
/// full; returns once the last item is in the channel.
pub async fn produce(items: Vec<u32>, sender: mpsc::Sender<u32>) {
    todo!("send {} items, awaiting each send", items.len())
}

/// A request to the counter task: add `amount`, and reply with the total
/// after the addition.
#[derive(Debug)]
pub struct Add {
    pub amount: u64,
    pub reply: oneshot::Sender<u64>,
}

/// The counter task (Go's stateful goroutine): owns the total, starting at
/// 0, and serves the requests one at a time. Returns the final total once
/// every sender of `requests` is gone.
pub async fn counter(requests: mpsc::Receiver<Add>) -> u64 {
    todo!("loop on requests.recv(), add, and reply")
}

/// Asks the counter task behind `requests` to add `amount`, and waits for
/// its reply: the total after this addition.
pub async fn add(requests: &mpsc::Sender<Add>, amount: u64) -> u64 {
    todo!("send an Add with a oneshot sender, then await the receiver")
}

/// Delivers every event, in order, to each of `subscribers` tasks through
/// one `broadcast` channel, and returns what each subscriber received.
pub async fn broadcast_all(events: Vec<u32>, subscribers: usize) -> Vec<Vec<u32>> {
    todo!("one broadcast::channel, {subscribers} receivers subscribed before the first send")
}
