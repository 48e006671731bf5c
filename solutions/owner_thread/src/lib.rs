//! Reference solution of `owner_thread`.

use std::collections::HashMap;

use course_sync::mpsc::{self, Receiver, Sender};
use course_sync::thread::{self, JoinHandle};

/// What a client asks of the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Get(u32),
    Put(u32, i64),
    Remove(u32),
}

/// A command, and the sender on which its reply must go.
#[derive(Debug)]
pub struct Request {
    pub command: Command,
    pub reply: Sender<Option<i64>>,
}

/// The owner's loop.
///
/// `for request in requests` ends when `recv` reports that every sender is
/// gone: that is how the owner learns there will be no more work. The map
/// lives on this thread's stack, so no lock is needed: requests are served
/// one at a time, in arrival order.
pub fn serve(requests: Receiver<Request>) -> HashMap<u32, i64> {
    let mut map = HashMap::new();
    for Request { command, reply } in requests {
        let answer = match command {
            Command::Get(key) => map.get(&key).copied(),
            Command::Put(key, value) => map.insert(key, value),
            Command::Remove(key) => map.remove(&key),
        };
        // A client that gave up waiting dropped its receiver: nothing to do.
        let _ = reply.send(answer);
    }
    map
}

/// Starts the owner thread and returns the sender for requests and its handle.
///
/// Only the receiver moves into the thread; the caller keeps the one sender,
/// so dropping it (and its clones) is what ends the owner.
pub fn spawn_store() -> (Sender<Request>, JoinHandle<HashMap<u32, i64>>) {
    let (sender, receiver) = mpsc::channel();
    (sender, thread::spawn(move || serve(receiver)))
}

/// Sends `command` and waits for its reply.
///
/// A fresh reply channel per call is what pairs each reply with its request,
/// however many clients call at once.
pub fn call(requests: &Sender<Request>, command: Command) -> Option<i64> {
    let (reply, answer) = mpsc::channel();
    requests.send(Request { command, reply }).expect("the owner runs while a sender exists");
    answer.recv().expect("the owner replies to every request")
}
