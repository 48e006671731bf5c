//! Non-blocking channels: send and receive only what can be done right now.
//! Read `README.md` in this folder first.

use crossbeam_channel::{Receiver, Sender};

/// Offers every event to `buffer`, in order, **without ever waiting**: an
/// event that does not fit because the buffer is full (or has no receiver
/// any more) is dropped. Returns the dropped events, in order.
///
/// Go's `select { case buffer <- e: default: dropped = append(dropped, e) }`.
///
/// ```
/// let (buffer, events) = crossbeam_channel::bounded(2);
/// assert_eq!(non_blocking::publish_all(vec![1, 2, 3], &buffer), vec![3]);
/// assert_eq!(events.try_iter().collect::<Vec<_>>(), vec![1, 2]);
/// ```
pub fn publish_all<T>(events: Vec<T>, buffer: &Sender<T>) -> Vec<T> {
    todo!("try_send each of the {} events; keep the ones that did not fit", events.len())
}

/// Takes every message waiting in `buffer` right now, in order, and returns
/// at once: it does not wait for more, even if senders are still alive.
pub fn drain<T>(buffer: &Receiver<T>) -> Vec<T> {
    todo!("try_recv until the channel is empty")
}

/// A latest-value mailbox: takes every message waiting in `mailbox` right
/// now and returns only the newest, or `None` if nothing is waiting. Never
/// waits.
pub fn latest<T>(mailbox: &Receiver<T>) -> Option<T> {
    todo!("keep the last of the waiting messages")
}
