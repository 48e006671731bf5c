//! Quiet panic capture: panics in code under test are recorded with their
//! location instead of being printed once per shrinking step.

use std::fmt;
use std::panic::{self, PanicHookInfo};
use std::sync::Mutex;

/// A panic seen while a check ran.
#[derive(Clone, Debug)]
pub(crate) struct Panic {
    message: String,
    location: String,
    thread: String,
}

static PANICS: Mutex<Vec<Panic>> = Mutex::new(Vec::new());

/// Replaces the default hook (which would print every panic of every case).
pub(crate) fn install_hook() {
    panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
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

/// The result of a check whose code under test panicked outside the
/// kit's own catching (for example in a speedup check).
pub(crate) fn failed_check() -> crate::protocol::CheckResult {
    let panic = todo().or_else(first);
    let todo = panic.as_ref().is_some_and(Panic::is_todo);
    let what = panic.map_or_else(|| "the check panicked".to_string(), |p| p.to_string());
    crate::protocol::CheckResult {
        status: crate::protocol::Status::Fail,
        message: if todo { format!("not written yet: {what}") } else { what },
        todo,
        speedup: None,
    }
}

impl Panic {
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn is_todo(&self) -> bool {
        self.message.starts_with("not yet implemented")
    }
}

impl fmt::Display for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let thread = if self.thread == "main" { String::new() } else { format!(" (in {})", self.thread) };
        write!(f, "panicked at {}{thread}: {}", self.location, self.message)
    }
}
