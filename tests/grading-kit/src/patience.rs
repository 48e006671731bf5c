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
pub fn within<T: Send + 'static>(patience: Duration, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (done, result) = mpsc::channel();
    let worker = thread::spawn(move || {
        // The receiver is gone only if the check stopped waiting.
        let _ = done.send(f());
    });
    match result.recv_timeout(patience) {
        Ok(value) => Some(value),
        Err(RecvTimeoutError::Timeout) => None,
        Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends its result before it ends"),
        },
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
    fn a_panic_is_raised_again_with_its_message() {
        let caught = std::panic::catch_unwind(|| within(Duration::from_secs(5), || -> u8 { panic!("learner bug") }));
        let payload = caught.expect_err("the panic comes back to the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"learner bug"));
    }
}
