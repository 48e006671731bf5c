//! Reference solution of `non_blocking`.

use crossbeam_channel::{Receiver, Sender, TrySendError};

/// Offers every event to `buffer`, dropping those that do not fit now.
pub fn publish_all<T>(events: Vec<T>, buffer: &Sender<T>) -> Vec<T> {
    let mut dropped = Vec::new();
    for event in events {
        // `try_send` hands the event back when it cannot take it, whether
        // the buffer is full or nobody receives any more.
        if let Err(TrySendError::Full(event) | TrySendError::Disconnected(event)) = buffer.try_send(event) {
            dropped.push(event);
        }
    }
    dropped
}

/// Takes every message waiting right now.
pub fn drain<T>(buffer: &Receiver<T>) -> Vec<T> {
    // `try_iter` stops at the first `try_recv` that finds nothing, where
    // `iter` would wait for the senders to send more or to close.
    buffer.try_iter().collect()
}

/// The newest of the messages waiting right now, the older ones dropped.
pub fn latest<T>(mailbox: &Receiver<T>) -> Option<T> {
    mailbox.try_iter().last()
}
