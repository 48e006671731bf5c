//! Waiting for learner code that may never return, without hanging the check.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// Runs `f` on a thread of its own and waits at most `patience` for it:
/// `Some(result)`, or `None` if it is still running then.
///
/// A stuck thread is left behind; the check's process ends soon after, and
/// the runner's watchdog stands behind it. A panic in `f` is raised again
/// here, so that the check reports the learner's panic and where it
/// happened, not "stuck".
///
/// `patience` should be far above what a correct answer needs on a busy
/// machine (a wake-up can be late by tens of milliseconds) and far below the
/// watchdog's limit, so that the learner reads the check's own message.
///
/// ```
/// use std::time::Duration;
/// let answer = grading_kit::within(Duration::from_secs(2), || 6 * 7);
/// assert_eq!(answer, Some(42));
/// ```
pub fn within<T: Send + 'static>(patience: Duration, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    start(f).wait(patience)
}

/// Starts `f` (learner code that may never return) on a thread of its own
/// and returns at once, so that the check can act meanwhile (send the
/// message the call waits for, say); then [`Running::wait`] waits for it
/// with patience, as [`within`] does.
///
/// ```
/// use std::sync::mpsc;
/// use std::time::Duration;
///
/// let (send, receive) = mpsc::channel();
/// // A call that blocks until it is sent something.
/// let running = grading_kit::start(move || receive.recv().unwrap() + 1);
/// send.send(41).unwrap();
/// assert_eq!(running.wait(Duration::from_secs(2)), Some(42));
/// ```
pub fn start<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Running<T> {
    let (done, result) = mpsc::channel();
    let worker = thread::spawn(move || {
        // The receiver is gone only if the check stopped waiting.
        let _ = done.send(f());
    });
    Running { result, worker }
}

/// Learner code started by [`start`].
#[must_use = "a started call is only checked when it is waited for"]
pub struct Running<T> {
    result: mpsc::Receiver<T>,
    worker: thread::JoinHandle<()>,
}

impl<T> Running<T> {
    /// Whether the call has returned (or panicked) already.
    pub fn is_finished(&self) -> bool {
        self.worker.is_finished()
    }

    /// Waits at most `patience` for the call: `Some(result)`, or `None` if it
    /// is still running then (it is left behind). A panic in the call is
    /// raised again here.
    pub fn wait(self, patience: Duration) -> Option<T> {
        match self.result.recv_timeout(patience) {
            Ok(value) => Some(value),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => match self.worker.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => unreachable!("the worker sends its result before it ends"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_call_returns_its_value() {
        assert_eq!(within(Duration::from_secs(5), || 6 * 7), Some(42));
    }

    #[test]
    fn a_call_that_never_returns_is_given_up_on() {
        let (_keep, never) = mpsc::channel::<()>();
        assert_eq!(within(Duration::from_millis(50), move || never.recv().ok()), None);
    }

    #[test]
    fn a_started_call_can_be_unblocked_before_the_wait() {
        let (send, receive) = mpsc::channel::<u8>();
        let running = start(move || receive.recv().map(|n| n * 2));
        assert!(!running.is_finished());
        send.send(21).unwrap();
        assert_eq!(running.wait(Duration::from_secs(5)), Some(Ok(42)));
    }

    #[test]
    fn a_started_call_that_never_returns_is_given_up_on() {
        let (_keep, never) = mpsc::channel::<()>();
        assert_eq!(start(move || never.recv().ok()).wait(Duration::from_millis(50)), None);
    }

    #[test]
    fn a_started_calls_panic_is_raised_again() {
        let running = start(|| -> u8 { panic!("learner bug") });
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| running.wait(Duration::from_secs(5))));
        let payload = caught.expect_err("the panic comes back to the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"learner bug"));
    }

    #[test]
    fn a_panic_is_raised_again_with_its_message() {
        let caught = std::panic::catch_unwind(|| within(Duration::from_secs(5), || -> u8 { panic!("learner bug") }));
        let payload = caught.expect_err("the panic comes back to the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"learner bug"));
    }
}
