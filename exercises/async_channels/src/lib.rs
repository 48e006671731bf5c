//! Async channels: a bounded `mpsc` that holds a producer back, `oneshot`
//! replies, `broadcast`, and a lock held across an `.await`. Read
//! `README.md` in this folder first.

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
///
/// Subscriber `i` (from 0) awaits `handle(i, event)` for each event it
/// receives, before it receives the next: the work a real subscriber does
/// with an event. The checks supply one.
pub async fn broadcast_all<H, Fut>(events: Vec<u32>, subscribers: usize, handle: H) -> Vec<Vec<u32>>
where
    H: Fn(usize, u32) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    todo!("one broadcast::channel, {subscribers} receivers subscribed before the first send, a task each")
}

/// One connection to a server that answers one request at a time: a call
/// sends a request and awaits its answer, and needs the connection to
/// itself (`&mut self`) until the answer is in. The checks supply one.
pub trait Connection: Send + 'static {
    /// Sends `request` and awaits its answer.
    fn call(&mut self, request: u64) -> impl Future<Output = u64> + Send;
}

/// Serves every request at once, a task each, and returns the answers in
/// the order of `requests`.
///
/// - each task first prepares its request, `prepare(request).await`: slow,
///   and it needs nothing shared, so all the tasks prepare at once;
/// - then it makes its call, `call(prepared).await`, on the one shared
///   `connection`, under a lock held for the whole call and no longer.
///
/// ```no_run
/// use async_channels::{Connection, call_all};
///
/// struct Echo;
/// impl Connection for Echo {
///     async fn call(&mut self, request: u64) -> u64 {
///         request
///     }
/// }
///
/// # let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// # runtime.block_on(async {
/// let answers = call_all(vec![1, 2, 3], Echo, |request| async move { request * 10 }).await;
/// assert_eq!(answers, vec![10, 20, 30]);
/// # });
/// ```
pub async fn call_all<C, P, Fut>(requests: Vec<u64>, connection: C, prepare: P) -> Vec<u64>
where
    C: Connection,
    P: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = u64> + Send + 'static,
{
    todo!("a task per request: prepare without the lock, then call under a tokio::sync::Mutex")
}
