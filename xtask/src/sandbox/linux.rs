//! Confinement on Linux.
//!
//! A confined check is started as a chain of three processes:
//!
//! ```text
//! grader ── keeper (host namespaces; the `Child` that std returns)
//!              └─ init (pid 1 of new user, pid and network namespaces)
//!                   └─ subject (pid 2: the check binary, exec'd)
//! ```
//!
//! The keeper and init are what std's `pre_exec` closure becomes after a
//! bare `clone3`: they never exec, make only raw system calls, and `_exit`.
//! init stays so that the subject is not pid 1 (the kernel ignores signals
//! that pid 1 sends itself with no handler, so an `abort()` would read as a
//! crash of another kind), and because when init exits the kernel kills
//! every process left in its pid namespace: daemons, `setsid` orphans and
//! double forks included. init tells the grader the subject's wait status
//! through a pipe; the keeper tells it init's pid, which is what the
//! watchdog kills. The keeper reaps init only after the namespace is empty,
//! so "the keeper has exited" means "nothing of the check is left".
//!
//! In the subject, just before exec: the resource limits, Landlock (the
//! ruleset is made by the grader; the subject only enforces it), and two
//! seccomp programs that let it start threads but no processes.
//!
//! Where user namespaces are missing (and the grader is not root, which
//! needs none), the check runs as one process in a process group of its
//! own, and only that group is killed. Landlock, seccomp and the resource
//! limits apply either way, where the kernel has them.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use landlock::{
    ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, RulesetAttr, RulesetCreatedAttr, Scope,
    path_beneath_rules,
};
use rustix::process::{Resource, Rlimit, Signal};

use super::{Limits, Policy, Protection};

/// The unprivileged user a root grader runs checks as (`nobody`).
const NOBODY: u32 = 65534;

/// The Landlock ABI this code was written and tested against; newer kernels
/// are asked for no more than this, older ones give what they have.
const LANDLOCK_ABI: ABI = ABI::V7;

/// What this machine allows, found once.
struct Mode {
    /// Dropped to when the grader is root.
    drop_to: Option<u32>,
    /// Why a root grader cannot drop to another user here (a container
    /// without CAP_SETUID): its checks then run as root.
    cannot_drop: Option<String>,
    /// The user, pid and network namespaces that work here, or why not.
    namespaces: Result<Namespaces, String>,
    /// The kernel's Landlock ABI version (0: none).
    landlock_abi: i64,
    /// The seccomp programs that forbid new processes, or why there are none.
    no_processes: Result<Vec<seccompiler::BpfProgram>, String>,
}

#[derive(Clone, Copy)]
struct Namespaces {
    /// A user namespace is made too (needed when not root).
    user: bool,
}

fn mode() -> &'static Mode {
    static MODE: OnceLock<Mode> = OnceLock::new();
    MODE.get_or_init(|| {
        let root = rustix::process::geteuid().is_root();
        let (drop_to, cannot_drop) = match root.then(|| probe_drop(NOBODY)) {
            Some(Ok(())) => (Some(NOBODY), None),
            Some(Err(why)) => (None, Some(why)),
            None => (None, None),
        };
        let namespaces = probe(Namespaces { user: true }, drop_to).or_else(|with_user| {
            if root {
                probe(Namespaces { user: false }, drop_to)
                    .map_err(|without| format!("{with_user}; without a user namespace: {without}"))
            } else {
                Err(with_user)
            }
        });
        Mode { drop_to, cannot_drop, namespaces, landlock_abi: landlock_abi(), no_processes: no_processes() }
    })
}

fn landlock_abi() -> i64 {
    // SAFETY: landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)
    // only returns the ABI version, or -1 where Landlock is missing.
    let version = unsafe {
        libc::syscall(libc::SYS_landlock_create_ruleset, std::ptr::null::<u8>(), 0usize, 1u32 /* VERSION */)
    };
    version.max(0)
}

/// Two seccomp programs that let a process start threads but no processes.
/// clone3 answers "not implemented", as on kernels before 5.3: glibc then
/// starts threads with clone, whose flags (unlike clone3's, in memory) a
/// filter can read. clone without CLONE_THREAD, fork and vfork answer
/// EAGAIN, what fork says at the process limit.
fn no_processes() -> Result<Vec<seccompiler::BpfProgram>, String> {
    use seccompiler::{SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule};
    let build = || -> Result<Vec<seccompiler::BpfProgram>, seccompiler::Error> {
        let arch = std::env::consts::ARCH.try_into()?;
        let no_clone3 = SeccompFilter::new(
            [(libc::SYS_clone3, vec![])].into_iter().collect(),
            SeccompAction::Allow,
            SeccompAction::Errno(libc::ENOSYS as u32),
            arch,
        )?;
        let not_a_thread =
            SeccompCondition::new(0, SeccompCmpArgLen::Qword, SeccompCmpOp::MaskedEq(libc::CLONE_THREAD as u64), 0)?;
        #[allow(unused_mut)]
        let mut forks = vec![(libc::SYS_clone, vec![SeccompRule::new(vec![not_a_thread])?])];
        #[cfg(target_arch = "x86_64")]
        forks.extend([(libc::SYS_fork, vec![]), (libc::SYS_vfork, vec![])]);
        let no_fork = SeccompFilter::new(
            forks.into_iter().collect(),
            SeccompAction::Allow,
            SeccompAction::Errno(libc::EAGAIN as u32),
            arch,
        )?;
        Ok(vec![no_clone3.try_into()?, no_fork.try_into()?])
    };
    build().map_err(|e| format!("no seccomp filter for this machine ({e})"))
}

/// Tries the change of user in a throw-away process that exits at once
/// instead of exec'ing.
fn probe_drop(id: u32) -> Result<(), String> {
    let mut command = Command::new("/");
    command.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    // SAFETY: the closure makes raw system calls only.
    unsafe {
        command.pre_exec(move || {
            drop_privileges(id)?;
            libc::_exit(0);
        });
    }
    match command.spawn().and_then(|mut child| child.wait()) {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("the probe failed ({status})")),
        Err(e) => Err(format!("setuid to {id} failed: {e}")),
    }
}

/// Tries the namespaces in a throw-away process: the keeper makes init,
/// which exits at once; the keeper then exits without exec'ing, which std
/// reads as a successful spawn.
fn probe(namespaces: Namespaces, drop_to: Option<u32>) -> Result<Namespaces, String> {
    let mut command = Command::new("/");
    command.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    // SAFETY: the closure makes raw system calls only (see `clone3`).
    unsafe {
        command.pre_exec(move || {
            if namespaces.user
                && let Some(id) = drop_to
            {
                drop_privileges(id)?;
            }
            let pid = clone3(namespace_flags(namespaces))?;
            if pid == 0 {
                libc::_exit(0);
            }
            let mut status = 0;
            libc::waitpid(pid, &mut status, 0);
            libc::_exit(if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 { 0 } else { 1 });
        });
    }
    match command.spawn() {
        Ok(mut keeper) => match keeper.wait() {
            Ok(status) if status.success() => Ok(namespaces),
            Ok(status) => Err(format!("the probe's namespace init failed ({status})")),
            Err(e) => Err(format!("the probe could not be waited for: {e}")),
        },
        Err(e) => Err(format!("clone3 with new namespaces failed: {e}")),
    }
}

fn namespace_flags(namespaces: Namespaces) -> u64 {
    let mut flags = (libc::CLONE_NEWPID | libc::CLONE_NEWNET) as u64;
    if namespaces.user {
        flags |= libc::CLONE_NEWUSER as u64;
    }
    flags
}

/// What is active here, mechanism by mechanism.
pub fn protections() -> Vec<Protection> {
    let mode = mode();
    let mut list = Vec::new();
    list.push(match &mode.namespaces {
        Ok(ns) => Protection {
            name: "namespaces",
            active: true,
            detail: format!(
                "new pid and network namespaces{}: the whole process tree is killed with the check, and it has no network",
                if ns.user { " in a user namespace" } else { "" }
            ),
        },
        Err(why) => Protection {
            name: "namespaces",
            active: false,
            detail: format!(
                "{why}: only the check's process group is killed (a process that leaves it may survive), and the network is open"
            ),
        },
    });
    let abi = mode.landlock_abi;
    let landlock = |name, since: i64, what: &str| Protection {
        name,
        active: abi >= since,
        detail: if abi >= since {
            format!("Landlock ABI {abi}: {what}")
        } else if abi == 0 {
            format!("Landlock is not enabled in this kernel: not {what}")
        } else {
            format!("Landlock ABI {abi} here, {since} needed: not {what}")
        },
    };
    list.push(landlock(
        "landlock-filesystem",
        1,
        "the check reads only its binary, system libraries and a few devices, and writes nowhere; \
         nothing of /proc (Landlock cannot give /proc/self/task/*/stat without /proc/self/mem: CPU time comes \
         from clock_gettime)",
    ));
    list.push(landlock("landlock-network", 4, "TCP connect and bind denied"));
    list.push(landlock("landlock-signals", 6, "no signal reaches a process outside the check"));
    list.push(match &mode.no_processes {
        Ok(_) => Protection {
            name: "no-processes",
            active: true,
            detail: "seccomp: a check starts threads, never processes".into(),
        },
        Err(why) => Protection {
            name: "no-processes",
            active: false,
            detail: format!("{why}: a check may start processes, each with the limits below"),
        },
    });
    list.push(match (mode.drop_to, &mode.cannot_drop) {
        (Some(id), _) => {
            Protection { name: "unprivileged-user", active: true, detail: format!("checks run as uid {id}") }
        }
        (None, Some(why)) => Protection {
            name: "unprivileged-user",
            active: false,
            detail: format!("the grader is root and cannot change user here ({why}): checks run as root"),
        },
        (None, None) => Protection {
            name: "unprivileged-user",
            active: true,
            detail: format!("the grader is not root: checks run as uid {}", rustix::process::geteuid().as_raw()),
        },
    });
    let limits = Limits::for_timeout(Duration::from_secs(60));
    list.push(Protection {
        name: "limits",
        active: true,
        detail: format!(
            "{} MiB of data, {} tasks (threads and processes), {} MiB files, no core dumps, CPU time tied to the watchdog",
            limits.data_bytes >> 20,
            limits.tasks,
            limits.file_bytes >> 20
        ),
    });
    list
}

/// A confined process, as the runner holds it.
pub struct Confined {
    pub child: Child,
    /// init's status pipe (namespaced mode): `P` + init's pid, `S` + the
    /// subject's wait status.
    reports: Option<OwnedFd>,
    init_pid: Option<i32>,
    subject_status: Option<i32>,
    // Kept open until the subject has exec'd (see `spawn`).
    _binary: OwnedFd,
}

/// Starts `binary` confined: `prepare` sets its arguments, environment and
/// stdio.
pub fn spawn(
    binary: &Path,
    policy: &Policy,
    limits: &Limits,
    prepare: impl FnOnce(&mut Command),
) -> io::Result<Confined> {
    spawn_in(mode(), binary, policy, limits, prepare)
}

fn spawn_in(
    mode: &Mode,
    binary: &Path,
    policy: &Policy,
    limits: &Limits,
    prepare: impl FnOnce(&mut Command),
) -> io::Result<Confined> {
    // The binary is opened here, by the grader, and exec'd through
    // /proc/self/fd: a process running as `nobody` needs no right on the
    // folders above it, and the file that runs is the one opened now.
    let binary_fd: OwnedFd =
        rustix::fs::open(binary, rustix::fs::OFlags::PATH | rustix::fs::OFlags::CLOEXEC, rustix::fs::Mode::empty())?;
    let mut command = Command::new(format!("/proc/self/fd/{}", binary_fd.as_raw_fd()));
    command.arg0(binary);
    prepare(&mut command);
    command.current_dir("/");
    command.process_group(0);

    let ruleset = landlock_ruleset(mode, &binary_fd, policy)?;
    let ruleset_fd = ruleset.as_ref().map(AsRawFd::as_raw_fd);
    let limits = *limits;
    let grader = rustix::process::getpid().as_raw_nonzero().get();

    let (reports, namespaces) = match mode.namespaces {
        Ok(namespaces) => {
            let (read, write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
            (Some((read, write)), Some(namespaces))
        }
        Err(_) => (None, None),
    };
    let report_fd = reports.as_ref().map(|(_, write)| write.as_raw_fd());
    let (uid, gid) = match mode.drop_to {
        Some(id) => (id, id),
        None => (rustix::process::geteuid().as_raw(), rustix::process::getegid().as_raw()),
    };
    let uid_map = CString::new(format!("{uid} {uid} 1")).expect("digits have no NUL");
    let gid_map = CString::new(format!("{gid} {gid} 1")).expect("digits have no NUL");
    let drop_to = mode.drop_to;
    let no_processes = match &mode.no_processes {
        Ok(programs) if !policy.processes => Some(programs.clone()),
        _ => None,
    };

    // SAFETY: between fork and exec the closure makes raw system calls only
    // (rustix's, and `clone3`/`waitpid`/`_exit`), on data prepared above.
    unsafe {
        command.pre_exec(move || {
            match (namespaces, report_fd) {
                (Some(namespaces), Some(report_fd)) => {
                    if namespaces.user
                        && let Some(id) = drop_to
                    {
                        drop_privileges(id)?;
                    }
                    die_with(grader)?;
                    rustix::thread::set_no_new_privs(true)?;
                    let init = clone3(namespace_flags(namespaces))?;
                    if init > 0 {
                        be_keeper(init, report_fd);
                    }
                    init_setup(namespaces.user, &uid_map, &gid_map)?;
                    let subject = clone3(0)?;
                    if subject > 0 {
                        be_init(subject, report_fd);
                    }
                    rustix::process::setsid()?;
                    if !namespaces.user
                        && let Some(id) = drop_to
                    {
                        drop_privileges(id)?;
                    }
                }
                _ => {
                    if let Some(id) = drop_to {
                        drop_privileges(id)?;
                    }
                    die_with(grader)?;
                    rustix::thread::set_no_new_privs(true)?;
                }
            }
            apply_limits(&limits)?;
            if let Some(fd) = ruleset_fd {
                // SAFETY: a ruleset fd made by the grader and inherited here.
                if libc::syscall(libc::SYS_landlock_restrict_self, fd, 0u32) != 0 {
                    return Err(io::Error::last_os_error());
                }
            }
            // Last: seccomp applies from here on, to the exec included.
            if let Some(programs) = &no_processes {
                for program in programs {
                    seccompiler::apply_filter(program).map_err(io::Error::other)?;
                }
            }
            Ok(())
        });
    }
    let child = command.spawn();
    drop(command);
    drop(ruleset);
    let reports = reports.map(|(read, write)| {
        drop(write);
        read
    });
    let child = child?;
    if let Some(read) = &reports {
        rustix::fs::fcntl_setfl(read, rustix::fs::OFlags::NONBLOCK)?;
    }
    Ok(Confined { child, reports, init_pid: None, subject_status: None, _binary: binary_fd })
}

impl Confined {
    fn read_reports(&mut self) {
        let Some(reports) = &self.reports else { return };
        let mut message = [0u8; 5];
        while let Ok(5) = rustix::io::read(reports, &mut message) {
            let value = i32::from_le_bytes([message[1], message[2], message[3], message[4]]);
            match message[0] {
                b'P' => self.init_pid = Some(value),
                b'S' => self.subject_status = Some(value),
                _ => {}
            }
        }
    }

    /// The host pid of the process running the check binary, while it runs.
    pub fn subject_pid(&mut self) -> Option<u32> {
        if self.reports.is_none() {
            return Some(self.child.id());
        }
        self.read_reports();
        let init = self.init_pid?;
        let children = std::fs::read_to_string(format!("/proc/{init}/task/{init}/children")).ok()?;
        children.split_whitespace().next()?.parse().ok()
    }

    /// Whether the check has ended (for the namespaced mode: its whole tree).
    pub fn try_wait(&mut self) -> io::Result<bool> {
        Ok(self.child.try_wait()?.is_some())
    }

    /// Kills everything the check started and waits until it is gone.
    pub fn kill(&mut self) {
        if self.child.try_wait().ok().flatten().is_some() {
            return;
        }
        self.read_reports();
        if let Some(init) = self.init_pid {
            // init is alive until the keeper reaps it, and the keeper has
            // not been reaped by us: the pid cannot have been reused.
            // SAFETY: kill(2) on a pid; SIGKILL reaches a namespace's init
            // from its parent namespace.
            unsafe { libc::kill(init, libc::SIGKILL) };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if self.child.try_wait().ok().flatten().is_some() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        // SAFETY: kill(2) with a negative pid signals the keeper's process
        // group (it was started with `process_group(0)`).
        unsafe { libc::kill(-(self.child.id() as libc::pid_t), libc::SIGKILL) };
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// How the check binary ended, once `try_wait` said it had.
    pub fn exit_status(&mut self) -> String {
        let keeper = self.child.wait().map(|s| s.to_string()).unwrap_or_else(|e| format!("unknown ({e})"));
        if self.reports.is_none() {
            return keeper;
        }
        self.read_reports();
        match self.subject_status {
            Some(raw) => ExitStatus::from_raw(raw).to_string(),
            None => format!("killed before it reported (its keeper: {keeper})"),
        }
    }
}

/// The Landlock ruleset of one check, made in the grader; the subject only
/// enforces it. `None` where Landlock is missing.
fn landlock_ruleset(mode: &Mode, binary_fd: &OwnedFd, policy: &Policy) -> io::Result<Option<OwnedFd>> {
    if mode.landlock_abi == 0 {
        return Ok(None);
    }
    let fail = |e: landlock::RulesetError| io::Error::other(format!("Landlock ruleset: {e}"));
    let read = AccessFs::from_read(LANDLOCK_ABI);
    let mut readable: Vec<PathBuf> = [
        "/lib",
        "/lib32",
        "/lib64",
        "/usr/lib",
        "/usr/lib32",
        "/usr/lib64",
        "/etc/ld.so.cache",
        // glibc counts CPUs there (malloc's arenas); std's own count uses
        // sched_getaffinity and needs nothing.
        "/sys/devices/system/cpu",
        "/dev/urandom",
        "/dev/random",
        "/dev/zero",
    ]
    .into_iter()
    .map(PathBuf::from)
    .collect();
    readable.extend(policy.readable.iter().cloned());
    let ruleset = landlock::Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(LANDLOCK_ABI))
        .map_err(fail)?
        .handle_access(AccessNet::from_all(LANDLOCK_ABI))
        .map_err(fail)?
        .scope(Scope::from_all(LANDLOCK_ABI))
        .map_err(fail)?
        .create()
        .map_err(fail)?
        .add_rules(path_beneath_rules(&readable, read))
        .map_err(fail)?
        .add_rules(path_beneath_rules(["/dev/null"], read | AccessFs::WriteFile))
        .map_err(fail)?
        // The binary itself, through the descriptor it is exec'd from.
        .add_rule(landlock::PathBeneath::new(binary_fd.as_fd(), AccessFs::ReadFile | AccessFs::Execute))
        .map_err(fail)?;
    Ok(ruleset.into())
}

/// The resource limits, set in the subject just before exec. The task
/// limit counts in the check's own user namespace, so checks running side
/// by side do not share it.
fn apply_limits(limits: &Limits) -> io::Result<()> {
    let set = |resource, value: u64| {
        rustix::process::setrlimit(resource, Rlimit { current: Some(value), maximum: Some(value) })
    };
    set(Resource::Core, 0)?;
    set(Resource::Fsize, limits.file_bytes)?;
    set(Resource::Data, limits.data_bytes)?;
    set(Resource::As, limits.address_space_bytes)?;
    set(Resource::Cpu, limits.cpu_seconds)?;
    set(Resource::Nofile, limits.files)?;
    set(Resource::Nproc, limits.tasks)?;
    Ok(())
}

/// Gives up root: no supplementary groups, then the group, then the user.
fn drop_privileges(id: u32) -> io::Result<()> {
    use rustix::process::{Gid, Uid};
    rustix::thread::set_thread_groups(&[])?;
    let gid = Gid::from_raw(id);
    rustix::thread::set_thread_res_gid(gid, gid, gid)?;
    let uid = Uid::from_raw(id);
    rustix::thread::set_thread_res_uid(uid, uid, uid)?;
    // A change of user makes /proc/self root's, and init must write its
    // own uid_map there. The exec that follows sets this again anyway.
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::Dumpable)?;
    Ok(())
}

/// Dies with the grader thread that started us. Set after any change of
/// user, which clears it; a grader gone already is caught by the check.
fn die_with(grader: i32) -> io::Result<()> {
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
    if rustix::process::getppid().map(|p| p.as_raw_nonzero().get()) != Some(grader) {
        // SAFETY: _exit(2) in a child between fork and exec.
        unsafe { libc::_exit(1) };
    }
    Ok(())
}

/// In init, before it starts the subject: dies with the keeper, and names
/// its user (a user namespace starts with no mapping).
fn init_setup(user: bool, uid_map: &CString, gid_map: &CString) -> io::Result<()> {
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
    if user {
        write_proc(c"/proc/self/setgroups", b"deny")?;
        write_proc(c"/proc/self/uid_map", uid_map.as_bytes())?;
        write_proc(c"/proc/self/gid_map", gid_map.as_bytes())?;
    }
    Ok(())
}

fn write_proc(path: &std::ffi::CStr, content: &[u8]) -> io::Result<()> {
    let fd =
        rustix::fs::open(path, rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CLOEXEC, rustix::fs::Mode::empty())?;
    rustix::io::write(&fd, content)?;
    Ok(())
}

/// The keeper: reports init's pid, then waits for init (which exits after
/// its namespace is empty) and exits.
fn be_keeper(init: i32, report_fd: RawFd) -> ! {
    report(report_fd, b'P', init);
    close_all_but(report_fd);
    let mut status = 0;
    // SAFETY: waitpid(2) and _exit(2), raw calls in a child that never execs.
    unsafe {
        while libc::waitpid(init, &mut status, 0) < 0 && *libc::__errno_location() == libc::EINTR {}
        libc::_exit(0)
    }
}

/// init: reaps every orphan of its namespace; when the subject exits, it
/// reports the subject's wait status and exits, and the kernel kills what is
/// left in the namespace.
fn be_init(subject: i32, report_fd: RawFd) -> ! {
    close_all_but(report_fd);
    let mut status = 0;
    loop {
        // SAFETY: waitpid(2) and _exit(2), raw calls in a child that never execs.
        let pid = unsafe { libc::waitpid(-1, &mut status, 0) };
        if pid == subject {
            report(report_fd, b'S', status);
            unsafe { libc::_exit(0) };
        }
        if pid < 0 && unsafe { *libc::__errno_location() } != libc::EINTR {
            unsafe { libc::_exit(1) };
        }
    }
}

fn report(fd: RawFd, tag: u8, value: i32) {
    let v = value.to_le_bytes();
    let message = [tag, v[0], v[1], v[2], v[3]];
    // SAFETY: write(2) of a local buffer to an fd this process holds.
    unsafe { libc::write(fd, message.as_ptr().cast(), message.len()) };
}

/// Closes every descriptor but `keep`: the check's pipes must close when the
/// subject's tree is gone, not when its keeper is.
fn close_all_but(keep: RawFd) {
    // SAFETY: close_range(2) on this process's own descriptors.
    unsafe {
        if keep > 0 {
            libc::syscall(libc::SYS_close_range, 0u32, (keep - 1) as u32, 0u32);
        }
        libc::syscall(libc::SYS_close_range, (keep + 1) as u32, u32::MAX, 0u32);
    }
}

/// `clone3(2)` as a bare system call, returning like fork(2). glibc's fork
/// would take its locks and run atfork handlers, which must not happen
/// between fork and exec in a multithreaded grader.
fn clone3(flags: u64) -> io::Result<i32> {
    #[repr(C)]
    #[derive(Default)]
    struct CloneArgs {
        flags: u64,
        pidfd: u64,
        child_tid: u64,
        parent_tid: u64,
        exit_signal: u64,
        stack: u64,
        stack_size: u64,
        tls: u64,
    }
    let args = CloneArgs { flags, exit_signal: libc::SIGCHLD as u64, ..CloneArgs::default() };
    // SAFETY: clone3 with no stack and no CLONE_VM duplicates the process
    // like fork(2); the child continues on its copy of this stack.
    let pid = unsafe { libc::syscall(libc::SYS_clone3, &args as *const CloneArgs, std::mem::size_of::<CloneArgs>()) };
    if pid < 0 { Err(io::Error::last_os_error()) } else { Ok(pid as i32) }
}

#[cfg(test)]
mod tests {
    use std::process::Stdio;

    use super::*;
    use crate::sandbox::{Capture, MECHANISMS};

    /// `COURSE_SANDBOX=off` lists the same mechanisms, all off.
    #[test]
    fn every_mechanism_is_listed_under_its_name() {
        let names: Vec<_> = protections().iter().map(|p| p.name).collect();
        assert_eq!(names, MECHANISMS);
    }

    /// Where user namespaces are missing, a check still runs with Landlock,
    /// the limits and (for a root grader) another user.
    #[test]
    fn without_namespaces_the_rest_still_confines() {
        let here = mode();
        let degraded = Mode {
            drop_to: here.drop_to,
            cannot_drop: None,
            namespaces: Err("forced off".into()),
            landlock_abi: here.landlock_abi,
            no_processes: Err("not under test".into()),
        };
        let secret = std::env::temp_dir().join(format!("xtask-sandbox-degraded-{}", std::process::id()));
        std::fs::write(&secret, "secret").unwrap();
        let policy = Policy { readable: vec![PathBuf::from("/bin"), PathBuf::from("/usr/bin")], processes: true };
        let script = format!("id -u; cat {} || echo denied", secret.display());
        let mut confined =
            spawn_in(&degraded, Path::new("/bin/sh"), &policy, &Limits::for_timeout(Duration::from_secs(30)), |c| {
                c.args(["-c", &script]).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
            })
            .unwrap();
        let stdout = Capture::start(confined.child.stdout.take().unwrap(), 4096);
        let status = confined.child.wait().unwrap();
        let out = stdout.finish(Instant::now() + Duration::from_secs(5));
        std::fs::remove_file(&secret).unwrap();
        assert!(status.success(), "{status}");
        let uid = here.drop_to.unwrap_or_else(|| rustix::process::geteuid().as_raw());
        assert!(out.text.starts_with(&format!("{uid}\n")), "{}", out.text);
        if here.landlock_abi > 0 {
            assert!(out.text.ends_with("denied\n"), "{}", out.text);
        }
    }
}
