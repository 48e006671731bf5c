//! What confines a subject binary.
//!
//! INTERIM (architecture branch): only the type the rest of the xtask reads;
//! the runner engineer's `sandbox` module replaces this file.

use serde::Serialize;

/// One protection between the grader and the code it runs.
#[derive(Clone, Debug, Serialize)]
pub struct Protection {
    pub name: &'static str,
    pub active: bool,
    pub detail: String,
}

/// The protections of this build on this machine.
pub fn protections() -> Vec<Protection> {
    vec![Protection {
        name: "process group and watchdog",
        active: cfg!(unix),
        detail: "every check runs in a process group of its own under a wall-clock limit".to_string(),
    }]
}
