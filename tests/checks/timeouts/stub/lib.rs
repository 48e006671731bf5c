//! Timeouts: wait for replies, but not forever. Read `README.md` in this
//! folder first.

use std::time::Duration;

use crossbeam_channel::Receiver;

/// Waits at most `timeout` for one message on `replies`: `Some(message)` if
/// one came in time, `None` if the time ran out or the channel is closed.
///
/// ```
/// use std::time::Duration;
/// let (sender, replies) = crossbeam_channel::unbounded::<u32>();
/// assert_eq!(timeouts::first_reply(&replies, Duration::from_millis(5)), None);
/// sender.send(7).unwrap();
/// assert_eq!(timeouts::first_reply(&replies, Duration::from_millis(5)), Some(7));
/// ```
pub fn first_reply<T>(replies: &Receiver<T>, timeout: Duration) -> Option<T> {
    todo!("receive with a timeout")
}

/// Starts every worker on a thread of its own and collects their results,
/// in the order they arrive, until `deadline` has passed since the call or
/// every worker has replied, whichever comes first.
///
/// One deadline for the whole collection, not one per reply. Workers still
/// running at the deadline are left behind: their late results are not
/// waited for (and sending them must not make them panic).
pub fn gather<T, W>(workers: Vec<W>, deadline: Duration) -> Vec<T>
where
    W: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    todo!("spawn {} workers, then select! between their replies and a timer", workers.len())
}
