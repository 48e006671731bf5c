//! The two halves of a judged check: the subject serves calls of the
//! learner's code, the judge draws inputs, asks, and decides.
//!
//! See [`crate::protocol`] for the wire format. Both roles first move their
//! stdout out of the way (fd 1 is pointed at stderr, the original kept
//! privately for the channel), so that a `println!` anywhere in the process
//! (learner code in the subject, insta or proptest in the judge) cannot
//! corrupt the channel.

use std::cell::RefCell;
use std::io::{BufRead, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::panics;
use crate::protocol::{CheckResult, Finding, Panic, Reply, Request, Status, SubjectLoss};

/// The subject half of a judged check: the input as JSON in, the output as
/// JSON out. `Err` says the input was not what this half takes (a judge of
/// another build): a protocol error, not the learner's.
pub(crate) type SubjectHalf = Box<dyn Fn(serde_json::Value) -> Result<serde_json::Value, String>>;

/// The judge half of a judged check.
pub(crate) type JudgeHalf = Box<dyn Fn(&Channel) -> CheckResult>;

/// Builds the subject half of a check from a typed function.
pub(crate) fn subject_half<I: DeserializeOwned, O: Serialize>(run: impl Fn(&I) -> O + 'static) -> SubjectHalf {
    Box::new(move |input| {
        let input: I = serde_json::from_value(input).map_err(|e| format!("the input does not fit this check: {e}"))?;
        let output = run(&input);
        serde_json::to_value(&output).map_err(|e| format!("the output cannot be sent: {e}"))
    })
}

/// Takes fd 1 for the channel: returns a private duplicate of it and points
/// fd 1 at fd 2. Call it before any code that may print runs.
#[cfg(unix)]
pub(crate) fn take_stdout() -> std::fs::File {
    use std::os::fd::FromRawFd;
    let _ = std::io::stdout().flush();
    // SAFETY: plain descriptor calls on fds 1 and 2, which every process
    // started by the runner has; the duplicate is new, owned by nobody else,
    // and handed to exactly one `File`. `F_DUPFD_CLOEXEC` keeps it from
    // children that learner code may start.
    unsafe {
        let private = libc::fcntl(1, libc::F_DUPFD_CLOEXEC, 3);
        assert!(private >= 0, "stdout cannot be duplicated: {}", std::io::Error::last_os_error());
        let moved = libc::dup2(2, 1);
        assert!(moved >= 0, "stdout cannot be pointed at stderr: {}", std::io::Error::last_os_error());
        std::fs::File::from_raw_fd(private)
    }
}

/// Without unix descriptors the channel is the ordinary stdout, and learner
/// output is not kept off it.
#[cfg(not(unix))]
pub(crate) fn take_stdout() -> std::io::Stdout {
    std::io::stdout()
}

/// Serves `half` to a judge: one [`Reply`] line per [`Request`] line, until
/// the end of `requests`.
pub(crate) fn serve(half: &SubjectHalf, requests: impl BufRead, mut replies: impl Write) -> Result<(), String> {
    for line in requests.lines() {
        let line = line.map_err(|e| format!("reading a request: {e}"))?;
        let request: Request = serde_json::from_str(&line).map_err(|e| format!("not a request ({e}): {line}"))?;
        let reply = match request {
            Request::Call { input } => call(half, input)?,
        };
        let json = serde_json::to_string(&reply).expect("a reply always serialises");
        writeln!(replies, "{json}").and_then(|()| replies.flush()).map_err(|e| format!("replying: {e}"))?;
    }
    Ok(())
}

/// One call of the learner's half, its panic caught. A `todo!()` reached on
/// any thread makes the reply a panic, even if the half returned: the
/// exercise is not started.
fn call(half: &SubjectHalf, input: serde_json::Value) -> Result<Reply, String> {
    panics::clear();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| half(input)));
    if let Some(panic) = panics::todo() {
        return Ok(Reply::Panicked { panic });
    }
    match outcome {
        Ok(output) => Ok(Reply::Output { output: output? }),
        Err(_) => Ok(Reply::Panicked { panic: panics::cause().unwrap_or_else(panics::unrecorded) }),
    }
}

/// Why the subject gave no output for a call.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The learner's code panicked (not a `todo!()`: that ends the check).
    Panicked(Panic),
    /// The check cannot go on: the subject is lost, or not started.
    Stopped,
}

/// The judge's end of the channel to its subject.
pub(crate) struct Channel {
    requests: RefCell<Box<dyn Write>>,
    replies: RefCell<Box<dyn BufRead>>,
    /// Set once the check cannot go on; then it is the check's result,
    /// whatever the property made of the failed calls.
    stopped: RefCell<Option<CheckResult>>,
}

impl Channel {
    pub(crate) fn new(requests: impl Write + 'static, replies: impl BufRead + 'static) -> Self {
        Channel {
            requests: RefCell::new(Box::new(requests)),
            replies: RefCell::new(Box::new(replies)),
            stopped: RefCell::new(None),
        }
    }

    /// Asks the subject to run its half on `input`.
    pub(crate) fn call<I: Serialize, O: DeserializeOwned>(&self, input: &I) -> Result<O, Refusal> {
        if self.stopped.borrow().is_some() {
            return Err(Refusal::Stopped);
        }
        let input = serde_json::to_value(input).expect("check inputs serialise");
        let request = serde_json::to_string(&Request::Call { input }).expect("a request always serialises");
        let sent = {
            let mut requests = self.requests.borrow_mut();
            writeln!(requests, "{request}").and_then(|()| requests.flush())
        };
        if sent.is_err() {
            return Err(self.stop_lost(SubjectLoss::Exited));
        }
        let mut line = String::new();
        match self.replies.borrow_mut().read_line(&mut line) {
            Ok(0) | Err(_) => return Err(self.stop_lost(SubjectLoss::Exited)),
            Ok(_) => {}
        }
        let line = line.trim_end_matches(['\n', '\r']);
        let garbled = || SubjectLoss::Garbled { line: crate::property::abbreviate(line) };
        match serde_json::from_str::<Reply>(line) {
            Ok(Reply::Output { output }) => serde_json::from_value(output).map_err(|_| self.stop_lost(garbled())),
            Ok(Reply::Panicked { panic }) if panic.is_todo() => {
                self.stop(CheckResult { status: Status::Fail, finding: Finding::NotStarted { panic } });
                Err(Refusal::Stopped)
            }
            Ok(Reply::Panicked { panic }) => Err(Refusal::Panicked(panic)),
            Err(_) => Err(self.stop_lost(garbled())),
        }
    }

    fn stop_lost(&self, why: SubjectLoss) -> Refusal {
        self.stop(CheckResult { status: Status::Fail, finding: Finding::SubjectLost { why } });
        Refusal::Stopped
    }

    fn stop(&self, result: CheckResult) {
        self.stopped.borrow_mut().get_or_insert(result);
    }

    /// The check's result: `decided`, unless the check was stopped.
    pub(crate) fn verdict(&self, decided: CheckResult) -> CheckResult {
        self.stopped.borrow_mut().take().unwrap_or(decided)
    }
}

/// Runs a judge half against the subject on the other end of `channel`.
pub(crate) fn judge(half: &JudgeHalf, channel: Channel) -> CheckResult {
    panics::clear();
    let decided = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| half(&channel))) {
        Ok(result) => result,
        // The judge's own code panicked: on an output it did not expect,
        // most likely (an index the learner's output makes out of range).
        Err(_) => panics::failed_check(),
    };
    channel.verdict(decided)
}
