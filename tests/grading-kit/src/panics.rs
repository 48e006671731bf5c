//! Quiet panic capture: panics in code under test are recorded with their
//! location instead of being printed once per shrinking step.

use std::panic::{self, PanicHookInfo};
use std::sync::Mutex;

use crate::protocol::{CheckResult, Failure, Finding, Panic, Status};

static PANICS: Mutex<Vec<Panic>> = Mutex::new(Vec::new());

/// Replaces the default hook (which would print every panic of every case).
pub(crate) fn install_hook() {
    panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        let message = payload_text(info.payload()).unwrap_or_else(|| "a panic without a message".to_string());
        let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        let thread = std::thread::current().name().unwrap_or("a spawned thread").to_string();
        // The ledger of the exploration build must describe the moment of
        // the failure, not the unwinding that follows it.
        #[cfg(feature = "explore")]
        course_sync::ledger::freeze();
        let mut panics = PANICS.lock().unwrap_or_else(|poison| poison.into_inner());
        if panics.len() < 16 {
            panics.push(Panic { message, location, thread });
        }
    }));
}

/// The text of a panic's payload, when it is text (`panic!("...")` gives a
/// `&str` or a `String`; `panic_any` can give anything).
pub(crate) fn payload_text(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned())
}

pub(crate) fn clear() {
    PANICS.lock().unwrap_or_else(|poison| poison.into_inner()).clear();
}

/// The first panic since the last [`clear`]: usually the cause, where later
/// ones are its echoes (a `join` or a lock that found the first one).
pub(crate) fn first() -> Option<Panic> {
    PANICS.lock().unwrap_or_else(|poison| poison.into_inner()).first().cloned()
}

/// A `todo!()` reached since the last [`clear`], if any: then the exercise
/// is not started, whatever else panicked around it (a check's own thread
/// that found the learner's half of a channel gone, say).
pub(crate) fn todo() -> Option<Panic> {
    PANICS.lock().unwrap_or_else(|poison| poison.into_inner()).iter().find(|p| p.is_todo()).cloned()
}

/// The panic that explains a failure: a `todo!()` first, else the first one.
pub(crate) fn cause() -> Option<Panic> {
    todo().or_else(first)
}

/// A panic the hook did not see (it was not installed, or the payload was
/// caught and raised again without a hook call).
pub(crate) fn unrecorded() -> Panic {
    Panic { message: "a panic without a message".to_string(), location: None, thread: "main".to_string() }
}

/// The result of a check whose code panicked outside the kit's per-case
/// catching (for example in a speedup check's set-up).
pub(crate) fn failed_check() -> CheckResult {
    let panic = cause().unwrap_or_else(unrecorded);
    if panic.is_todo() {
        return CheckResult { status: Status::Fail, finding: Finding::NotStarted { panic } };
    }
    CheckResult { status: Status::Fail, finding: Finding::Failed { failure: Failure::Panicked { panic } } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_payloads_are_read_and_others_are_not() {
        assert_eq!(payload_text(&"static"), Some("static".to_string()));
        assert_eq!(payload_text(&String::from("formatted")), Some("formatted".to_string()));
        assert_eq!(payload_text(&7u8), None);
    }
}
