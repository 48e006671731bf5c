//! Reference solution of `worker_panic`.

use std::any::Any;
use std::thread;

/// The message a panic carried, or `"a panic without a message"`.
///
/// `panic!` with a literal carries a `&'static str` and with arguments a
/// `String`; those are the two payloads worth reading. Anything else is a
/// value somebody passed to `panic_any`, which has no message to show.
pub fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => match payload.downcast_ref::<&str>() {
            Some(message) => message.to_string(),
            None => "a panic without a message".to_string(),
        },
    }
}

/// Runs every job on a thread of its own and returns one result per job.
///
/// A panic unwinds only the thread it happens on; `join` reports it as an
/// `Err`, which this function keeps as a value instead of unwrapping it, so
/// one failed job costs one result and nothing more.
pub fn run_all<T, F>(jobs: Vec<F>) -> Vec<Result<T, String>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<thread::JoinHandle<T>> = jobs.into_iter().map(thread::spawn).collect();
    handles.into_iter().map(|handle| handle.join().map_err(panic_message)).collect()
}
