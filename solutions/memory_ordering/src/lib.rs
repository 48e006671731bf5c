//! Memory ordering: a `compare_exchange` loop, an Acquire/Release
//! publication, and `OnceLock`.

use std::sync::OnceLock;

use course_sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// A number of tickets that any thread can take from, never below zero.
pub struct Tickets {
    left: AtomicUsize,
}

impl Tickets {
    pub fn new(count: usize) -> Self {
        Tickets { left: AtomicUsize::new(count) }
    }

    /// Takes one ticket if one is left. The check (`left > 0`) and the
    /// change (`left - 1`) are one step: `compare_exchange` writes only if
    /// the count is still the one we read, and otherwise tells us the new
    /// one to try again with. The count guards nothing else, so `Relaxed`
    /// is enough.
    pub fn take(&self) -> bool {
        let mut left = self.left.load(Ordering::Relaxed);
        loop {
            if left == 0 {
                return false;
            }
            match self.left.compare_exchange_weak(left, left - 1, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(now) => left = now,
            }
        }
    }

    pub fn left(&self) -> usize {
        self.left.load(Ordering::Relaxed)
    }
}

/// A one-time message: `value` is written before `ready` is set.
pub struct Mailbox {
    value: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    pub fn new() -> Self {
        Mailbox { value: AtomicU64::new(0), ready: AtomicBool::new(false) }
    }

    /// The `Release` store of `ready` publishes everything this thread
    /// wrote before it, `value` included...
    pub fn publish(&self, value: u64) {
        self.value.store(value, Ordering::Relaxed);
        self.ready.store(true, Ordering::Release);
    }

    /// ...to any thread whose `Acquire` load of `ready` reads that `true`.
    pub fn read(&self) -> Option<u64> {
        if self.ready.load(Ordering::Acquire) { Some(self.value.load(Ordering::Relaxed)) } else { None }
    }
}

impl Default for Mailbox {
    fn default() -> Self {
        Mailbox::new()
    }
}

/// Settings loaded once, on first use, and then shared by every thread.
pub struct Settings {
    loaded: OnceLock<Vec<String>>,
}

impl Settings {
    pub fn new() -> Self {
        Settings { loaded: OnceLock::new() }
    }

    /// `get_or_init` runs `load` once; a thread that calls it meanwhile
    /// waits, and every caller gets the one value, safely published.
    pub fn get(&self, load: impl FnOnce() -> Vec<String>) -> &[String] {
        self.loaded.get_or_init(load)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings::new()
    }
}
