//! A process started without confinement: trusted binaries (judges), and
//! every check where no sandbox is available or it is switched off. It gets
//! a process group of its own (a Ctrl+C to the grader does not reach it; a
//! kill reaches all its group) and, on Linux, dies with the grader thread
//! that started it.

use std::path::Path;
use std::process::{Child, Command};

pub struct Plain {
    pub child: Child,
    killed: bool,
}

pub fn spawn(binary: &Path, prepare: impl FnOnce(&mut Command)) -> std::io::Result<Plain> {
    let mut command = Command::new(binary);
    prepare(&mut command);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    die_with_parent(&mut command);
    Ok(Plain { child: command.spawn()?, killed: false })
}

impl Plain {
    /// Kills the process group even when its leader has exited: what it
    /// left in the group goes too. (A process that left the group is out of
    /// reach here: that takes the Linux sandbox.)
    pub fn kill(&mut self) {
        if std::mem::replace(&mut self.killed, true) {
            return;
        }
        #[cfg(unix)]
        // SAFETY: kill(2) with a negative pid signals the process group the
        // child led (it was spawned with `process_group(0)`); the id is not
        // reused while the group has members.
        unsafe {
            libc::kill(-(self.child.id() as libc::pid_t), libc::SIGKILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn die_with_parent(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl(PR_SET_PDEATHSIG) is async-signal-safe and touches
        // only the child being set up.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}
