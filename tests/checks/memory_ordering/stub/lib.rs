//! Memory ordering: three ways to share data through atomics, and the
//! `Ordering` each needs (`course_sync::atomic::Ordering`). Read `README.md`
//! in this folder first: it starts from Go's terms.

use std::sync::OnceLock;

use course_sync::atomic::{AtomicBool, AtomicU64, AtomicUsize};

/// A number of tickets that any thread can take from, never below zero.
pub struct Tickets {
    left: AtomicUsize,
}

impl Tickets {
    pub fn new(count: usize) -> Self {
        todo!("Tickets::new")
    }

    /// Takes one ticket if one is left: `true` if this call took it. Two
    /// threads must never take the same last ticket. Write it as a
    /// `compare_exchange` loop.
    pub fn take(&self) -> bool {
        todo!("Tickets::take")
    }

    /// How many are left.
    pub fn left(&self) -> usize {
        todo!("Tickets::left")
    }
}

/// A one-time message: one thread publishes a value, others may read it
/// once it is ready. `value` is written before `ready` is set.
pub struct Mailbox {
    value: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    pub fn new() -> Self {
        todo!("Mailbox::new")
    }

    /// Stores `value`, then marks the mailbox ready. Called once.
    pub fn publish(&self, value: u64) {
        todo!("Mailbox::publish")
    }

    /// `Some(value)` once the mailbox is ready (and then always the value
    /// published), `None` before.
    pub fn read(&self) -> Option<u64> {
        todo!("Mailbox::read")
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
        todo!("Settings::new")
    }

    /// The settings: the first call loads them with `load`; every other
    /// call, from any thread, even at the same time, gets the same ones
    /// without calling its `load`.
    pub fn get(&self, load: impl FnOnce() -> Vec<String>) -> &[String] {
        todo!("Settings::get")
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings::new()
    }
}
