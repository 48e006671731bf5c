//! The owner thread: one thread owns the state, the others send it requests.
//! Read `README.md` in this folder first.

use std::collections::HashMap;

use course_sync::mpsc::{Receiver, Sender};
use course_sync::thread::JoinHandle;

/// What a client asks of the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// The value of the key, if any.
    Get(u32),
    /// Sets the key to the value; replies with the value it had before, if any.
    Put(u32, i64),
    /// Removes the key; replies with the value it had, if any.
    Remove(u32),
}

/// A command, and the sender on which its reply (one message) must go.
#[derive(Debug)]
pub struct Request {
    pub command: Command,
    pub reply: Sender<Option<i64>>,
}

/// The owner's loop: serves `requests` one at a time, in the order they
/// arrive, on a `HashMap<u32, i64>` that no other thread can see, sending
/// each reply to that request's own `reply` sender. Returns the map once
/// every `Sender<Request>` is gone (the channel is closed).
pub fn serve(requests: Receiver<Request>) -> HashMap<u32, i64> {
    todo!("loop over the requests until the channel closes, then return the map")
}

/// Starts the owner thread (running [`serve`]) and returns the sender for
/// requests and the thread's handle. Joining the handle gives the final map,
/// once every clone of the sender has been dropped.
pub fn spawn_store() -> (Sender<Request>, JoinHandle<HashMap<u32, i64>>) {
    todo!("make a channel, spawn serve on its receiver")
}

/// Sends `command` to the owner behind `requests`, waits for the reply, and
/// returns it. Many threads may call this at once, each with its own clone of
/// the sender: each must get the reply to *its* request.
pub fn call(requests: &Sender<Request>, command: Command) -> Option<i64> {
    todo!("send {command:?} with a fresh reply channel, then wait on it")
}
