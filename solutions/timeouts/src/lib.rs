//! Reference solution of `timeouts`.

use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, after, select};

/// Waits at most `timeout` for one message on `replies`.
pub fn first_reply<T>(replies: &Receiver<T>, timeout: Duration) -> Option<T> {
    // `Err` is either "timed out" or "closed": both mean no reply.
    replies.recv_timeout(timeout).ok()
}

/// Collects the workers' results until `deadline` or until all replied.
pub fn gather<T, W>(workers: Vec<W>, deadline: Duration) -> Vec<T>
where
    W: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (sender, replies) = crossbeam_channel::unbounded();
    for worker in workers {
        let sender = sender.clone();
        thread::spawn(move || {
            // After the deadline nobody listens: a failed send is expected,
            // and the late result is simply dropped.
            let _ = sender.send(worker());
        });
    }
    // Ours dropped, the channel closes when the last worker has replied.
    drop(sender);

    // The timer is made once, before the loop: a timer made inside it
    // would start again at every reply and never stop a steady trickle.
    let time_up = after(deadline);
    let mut results = Vec::new();
    loop {
        select! {
            recv(replies) -> reply => match reply {
                Ok(result) => results.push(result),
                Err(_) => break, // every worker has replied
            },
            recv(time_up) -> _ => break,
        }
    }
    results
}
