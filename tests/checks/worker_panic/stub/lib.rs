//! Worker panic: a panic in one worker thread becomes an error the caller
//! can handle, and the other workers carry on. Read `README.md` in this
//! folder first.

use std::any::Any;

/// The message a panic carried, from its payload (what `JoinHandle::join`
/// returns as the `Err` of a thread that panicked).
///
/// `panic!("literal")` carries a `&'static str`, `panic!("{x}")` a `String`;
/// for any other payload (`std::panic::panic_any(7)`), the message is
/// `"a panic without a message"`.
///
/// ```
/// let payload = std::thread::spawn(|| panic!("disk full")).join().unwrap_err();
/// assert_eq!(worker_panic::panic_message(payload), "disk full");
/// ```
pub fn panic_message(payload: Box<dyn Any + Send>) -> String {
    todo!("downcast the payload to the message it carries")
}

/// Runs every job on a thread of its own, all at the same time, and returns
/// one result per job, in the order of `jobs`: `Ok` with what the job
/// returned, or `Err` with the message of its panic. A job that panics
/// affects no other job, and `run_all` itself never panics because of one.
///
/// ```
/// let jobs: Vec<Box<dyn FnOnce() -> u32 + Send>> = vec![Box::new(|| 1), Box::new(|| panic!("no"))];
/// assert_eq!(worker_panic::run_all(jobs), vec![Ok(1), Err("no".to_string())]);
/// ```
pub fn run_all<T, F>(jobs: Vec<F>) -> Vec<Result<T, String>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    todo!("spawn a thread per job, join them all, and turn each panic into an Err")
}
