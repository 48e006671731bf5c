//! Graceful shutdown: workers that stop promptly when told, losing nothing.
//! Read `README.md` in this folder first.

use crossbeam_channel::{Receiver, Sender};

/// Runs `workers` threads (at least 1) that take items from `items`, apply
/// `work`, and send the results on `results`, until **either** `items` is
/// closed and empty, **or** `shutdown` is closed (its every `Sender`
/// dropped: Go's `close(done)`). Returns how many items were processed,
/// once every worker has ended.
///
/// - on shutdown, a worker finishes the item it is working on, sends its
///   result, and takes no new one: items never taken stay in `items`;
/// - an item taken from `items` is always processed and its result sent:
///   none is lost;
/// - stop promptly: within about the time of one item after `shutdown`
///   closes, even while `items` is still open and full;
/// - every worker thread is joined before returning.
///
/// ```no_run
/// let (feed, items) = crossbeam_channel::unbounded();
/// let (_stop, shutdown) = crossbeam_channel::unbounded::<()>();
/// let (results, done) = crossbeam_channel::unbounded();
/// (1..=3u32).for_each(|n| feed.send(n).unwrap());
/// drop(feed); // no more items: the workers end when these are done
/// assert_eq!(graceful_shutdown::serve(items, shutdown, 2, |n| n + 1, results), 3);
/// ```
pub fn serve<T, U, F>(items: Receiver<T>, shutdown: Receiver<()>, workers: usize, work: F, results: Sender<U>) -> usize
where
    T: Send,
    U: Send,
    F: Fn(T) -> U + Sync,
{
    todo!("{workers} workers: select! on shutdown and items; finish what you took")
}
