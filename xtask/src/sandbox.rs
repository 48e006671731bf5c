//! The sandbox every process that runs learner code is started in: limits
//! on memory, tasks, CPU time and file size; threads but no processes; no
//! network; a read-only view of its own binary and the system libraries; an
//! unprivileged user; and a process tree that is killed whole when the check
//! ends (`linux.rs` says how). What is active on
//! this machine is `protections()`; elsewhere (macOS, Windows, old kernels)
//! checks run with what is there, and `protections()` says what is not.
//!
//! `COURSE_SANDBOX=off`, read once from the grader's environment, turns
//! confinement off: a test shows with it what `grade` then prints. Checks
//! get a cleared environment, so no submission can set it for the grader.

mod capture;
#[cfg(target_os = "linux")]
mod linux;
mod plain;
#[cfg(all(test, target_os = "linux"))]
mod tests;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::OnceLock;
use std::time::Duration;

pub use capture::{Capture, RESULT_TAIL, TAIL, Tail};
use serde::Serialize;

/// One mechanism of the sandbox, and whether it is active here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Protection {
    pub name: &'static str,
    pub active: bool,
    /// What it does, or why it is not active.
    pub detail: String,
}

/// What a confined check may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Private writable memory (`RLIMIT_DATA`): the heap, thread stacks.
    pub data_bytes: u64,
    /// Address space (`RLIMIT_AS`): a backstop for what `RLIMIT_DATA` does
    /// not count (shared mappings); reservations (malloc's arenas, one per
    /// thread up to 8 per core) make it far larger than what is used.
    pub address_space_bytes: u64,
    /// Threads and processes together (`RLIMIT_NPROC`, counted in the
    /// check's own user namespace).
    pub tasks: u64,
    /// CPU seconds of the check's process, all threads together.
    pub cpu_seconds: u64,
    /// Largest file it may write (`RLIMIT_FSIZE`); it may write none where
    /// Landlock works, so this matters only where it does not.
    pub file_bytes: u64,
    /// Open descriptors.
    pub files: u64,
}

const MIB: u64 = 1024 * 1024;

impl Limits {
    /// The limits of a check whose watchdog fires after `timeout`.
    ///
    /// Memory: parallel_letter_frequency's speedup check, measured on 2
    /// cores, peaks at 26 MiB of data (VmData) and 16 MiB resident, with 5
    /// threads; more cores add a 2 MiB stack per rayon thread. 2 GiB of data
    /// leaves ample room for that on any machine, and stops an 8 GiB
    /// allocation. Tasks: rayon starts one thread per core, the speedup
    /// check a few pools more, and exercises tens of threads of their own;
    /// 4000 threads or a fork bomb stop at 512 + 8 per core, capped at 2048.
    pub fn for_timeout(timeout: Duration) -> Limits {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
        let tasks = (512 + 8 * cores).min(2048);
        let data_bytes = 2 * 1024 * MIB;
        Limits {
            data_bytes,
            // The data, malloc's reserved arenas (64 MiB, up to 8 per
            // core), every task's stack with its guard, and the binary and
            // libraries.
            address_space_bytes: data_bytes + 8 * cores * 64 * MIB + tasks * 3 * MIB + 1024 * MIB,
            tasks,
            // The watchdog stops the check first; this stops a process
            // that would outlive it.
            cpu_seconds: (timeout.as_secs() + 2) * cores + 10,
            file_bytes: 64 * MIB,
            files: 1024,
        }
    }
}

/// Where a confined check may read, beyond its binary and the system
/// libraries.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Extra folders or files it may read (tests use /bin for a shell).
    pub readable: Vec<PathBuf>,
    /// Whether it may start processes (tests run shell scripts). A check
    /// needs threads only; without processes, its memory and CPU limits
    /// bound the whole check, not each of hundreds of processes.
    pub processes: bool,
}

/// Whether `COURSE_SANDBOX=off` was set when the xtask started.
pub fn switched_off() -> bool {
    static OFF: OnceLock<bool> = OnceLock::new();
    *OFF.get_or_init(|| std::env::var_os("COURSE_SANDBOX").is_some_and(|v| v == "off"))
}

/// The mechanisms of the Linux sandbox, in the order `protections` lists
/// them.
const MECHANISMS: [&str; 7] = [
    "namespaces",
    "landlock-filesystem",
    "landlock-network",
    "landlock-signals",
    "no-processes",
    "unprivileged-user",
    "limits",
];

/// What confines a check on this machine, mechanism by mechanism.
pub fn protections() -> Vec<Protection> {
    if switched_off() {
        return MECHANISMS
            .into_iter()
            .map(|name| Protection {
                name,
                active: false,
                detail: "turned off by COURSE_SANDBOX=off: learner code runs with the grader's rights".into(),
            })
            .collect();
    }
    #[cfg(target_os = "linux")]
    return linux::protections();
    #[cfg(not(target_os = "linux"))]
    return vec![Protection {
        name: "sandbox",
        active: false,
        detail: format!(
            "not available on {}: learner code runs with the grader's rights, and only its process group is killed",
            std::env::consts::OS
        ),
    }];
}

/// A started check process, confined where this machine allows.
pub struct Started {
    inner: Inner,
}

enum Inner {
    #[cfg(target_os = "linux")]
    Confined(linux::Confined),
    Plain(plain::Plain),
}

/// Starts `binary` confined: `prepare` sets its arguments, environment and
/// stdio (piped stdio is then taken from `child()`).
pub fn spawn(
    binary: &Path,
    policy: &Policy,
    limits: &Limits,
    prepare: impl FnOnce(&mut Command),
) -> std::io::Result<Started> {
    #[cfg(target_os = "linux")]
    if !switched_off() {
        return Ok(Started { inner: Inner::Confined(linux::spawn(binary, policy, limits, prepare)?) });
    }
    let _ = (policy, limits);
    Ok(Started { inner: Inner::Plain(plain::spawn(binary, prepare)?) })
}

/// Starts a trusted binary (a judge) unconfined, in a process group of its
/// own that dies with the grader.
pub fn spawn_trusted(binary: &Path, prepare: impl FnOnce(&mut Command)) -> std::io::Result<Started> {
    Ok(Started { inner: Inner::Plain(plain::spawn(binary, prepare)?) })
}

impl Started {
    /// The process std started, for its stdio.
    pub fn child(&mut self) -> &mut Child {
        match &mut self.inner {
            #[cfg(target_os = "linux")]
            Inner::Confined(c) => &mut c.child,
            Inner::Plain(p) => &mut p.child,
        }
    }

    /// Whether it has ended; in a pid namespace, with everything it started.
    pub fn has_ended(&mut self) -> std::io::Result<bool> {
        match &mut self.inner {
            #[cfg(target_os = "linux")]
            Inner::Confined(c) => c.try_wait(),
            Inner::Plain(p) => Ok(p.child.try_wait()?.is_some()),
        }
    }

    /// The pid of the check binary's process, while it runs (for the
    /// watchdog's list of threads).
    pub fn pid(&mut self) -> Option<u32> {
        match &mut self.inner {
            #[cfg(target_os = "linux")]
            Inner::Confined(c) => c.subject_pid(),
            Inner::Plain(p) => Some(p.child.id()),
        }
    }

    /// Kills it and everything it started that can be found, and waits.
    pub fn kill(&mut self) {
        match &mut self.inner {
            #[cfg(target_os = "linux")]
            Inner::Confined(c) => c.kill(),
            Inner::Plain(p) => p.kill(),
        }
    }

    /// How the binary ended, for the learner ("exit status: 3",
    /// "signal: 6 (SIGABRT)"); waits for it.
    pub fn exit_status(&mut self) -> String {
        match &mut self.inner {
            #[cfg(target_os = "linux")]
            Inner::Confined(c) => c.exit_status(),
            Inner::Plain(p) => p.child.wait().map(|s| s.to_string()).unwrap_or_else(|e| format!("unknown ({e})")),
        }
    }
}

impl Drop for Started {
    /// However a check ends (an error, a panic in the grader), nothing of it
    /// outlives its `Started`.
    fn drop(&mut self) {
        self.kill();
    }
}
