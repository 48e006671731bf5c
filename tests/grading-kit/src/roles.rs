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

/// Takes fd 0 for the channel: returns a private duplicate of it and points
/// fd 0 at `/dev/null`, so that learner code reading its stdin cannot take
/// the judge's requests. Call it before any learner code runs.
#[cfg(unix)]
pub(crate) fn take_stdin() -> std::fs::File {
    use std::os::fd::{AsRawFd, FromRawFd};
    let null = std::fs::File::open("/dev/null").expect("/dev/null can be opened");
    // SAFETY: as in `take_stdout`: fd 0 is duplicated into a new descriptor
    // owned by the one `File` made from it, then replaced by a duplicate of
    // `/dev/null` (which `null` keeps open until then).
    unsafe {
        let private = libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 3);
        assert!(private >= 0, "stdin cannot be duplicated: {}", std::io::Error::last_os_error());
        let moved = libc::dup2(null.as_raw_fd(), 0);
        assert!(moved >= 0, "stdin cannot be pointed at /dev/null: {}", std::io::Error::last_os_error());
        std::fs::File::from_raw_fd(private)
    }
}

/// Without unix descriptors the channel is the ordinary stdin.
#[cfg(not(unix))]
pub(crate) fn take_stdin() -> std::io::Stdin {
    std::io::stdin()
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

/// The longest reply the judge reads: far above any check's output.
const MAX_REPLY_BYTES: u64 = 64 << 20;

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
        // Bounded: a subject that writes one endless line must not take the
        // judge's memory with it.
        let read = std::io::Read::take(&mut *self.replies.borrow_mut(), MAX_REPLY_BYTES).read_line(&mut line);
        match read {
            Ok(0) | Err(_) => return Err(self.stop_lost(SubjectLoss::Exited)),
            Ok(_) if !line.ends_with('\n') => {
                let why = SubjectLoss::Garbled { line: format!("a reply longer than {} MiB", MAX_REPLY_BYTES >> 20) };
                return Err(self.stop_lost(why));
            }
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

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn channel(replies: &str) -> Channel {
        Channel::new(Vec::new(), Cursor::new(replies.to_string().into_bytes()))
    }

    fn lost(why: SubjectLoss) -> CheckResult {
        CheckResult { status: Status::Fail, finding: Finding::SubjectLost { why } }
    }

    #[test]
    fn a_reply_is_the_output() {
        let channel = channel("{\"reply\":\"output\",\"output\":[2,4]}\n");
        assert_eq!(channel.call::<_, Vec<u32>>(&[1, 2]).unwrap(), [2, 4]);
        let passed = CheckResult { status: Status::Pass, finding: Finding::Passed };
        assert_eq!(channel.verdict(passed.clone()), passed);
    }

    #[test]
    fn a_line_that_is_not_a_reply_loses_the_subject() {
        let channel = channel("Hello from the learner\n");
        assert!(matches!(channel.call::<_, u32>(&1), Err(Refusal::Stopped)));
        let decided = CheckResult { status: Status::Pass, finding: Finding::Passed };
        assert_eq!(channel.verdict(decided), lost(SubjectLoss::Garbled { line: "Hello from the learner".into() }));
    }

    #[test]
    fn an_endless_reply_is_read_no_further_than_the_bound() {
        let endless = std::io::Read::take(std::io::repeat(b'x'), MAX_REPLY_BYTES + 1024);
        let channel = Channel::new(Vec::new(), std::io::BufReader::new(endless));
        assert!(matches!(channel.call::<_, u32>(&1), Err(Refusal::Stopped)));
        let decided = CheckResult { status: Status::Pass, finding: Finding::Passed };
        let why = SubjectLoss::Garbled { line: "a reply longer than 64 MiB".into() };
        assert_eq!(channel.verdict(decided), lost(why));
    }

    #[test]
    fn an_output_of_the_wrong_shape_loses_the_subject() {
        let channel = channel("{\"reply\":\"output\",\"output\":\"two\"}\n");
        assert!(matches!(channel.call::<_, u32>(&1), Err(Refusal::Stopped)));
        let decided = CheckResult { status: Status::Pass, finding: Finding::Passed };
        assert!(matches!(channel.verdict(decided).finding, Finding::SubjectLost { why: SubjectLoss::Garbled { .. } }));
    }

    #[test]
    fn the_end_of_the_replies_loses_the_subject_and_stops_the_check() {
        let channel = channel("");
        assert!(matches!(channel.call::<_, u32>(&1), Err(Refusal::Stopped)));
        assert!(matches!(channel.call::<_, u32>(&2), Err(Refusal::Stopped)), "no further calls are made");
        let decided = CheckResult { status: Status::Pass, finding: Finding::Passed };
        assert_eq!(channel.verdict(decided), lost(SubjectLoss::Exited));
    }

    #[test]
    fn the_subject_answers_each_request_and_catches_panics() {
        let _serial = crate::panics::serial();
        panics::install_hook();
        let half = subject_half(|n: &u32| if *n == 0 { panic!("zero") } else { n * 2 });
        let mut replies = Vec::new();
        let requests = "{\"request\":\"call\",\"input\":21}\n{\"request\":\"call\",\"input\":0}\n";
        serve(&half, Cursor::new(requests), &mut replies).unwrap();
        let replies: Vec<Reply> =
            String::from_utf8(replies).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(replies[0], Reply::Output { output: serde_json::json!(42) });
        let Reply::Panicked { panic } = &replies[1] else { panic!("{replies:?}") };
        assert_eq!(panic.message, "zero");
    }

    #[test]
    fn an_input_of_another_shape_is_a_protocol_error() {
        let _serial = crate::panics::serial();
        let half = subject_half(|n: &u32| *n);
        let outcome = serve(&half, Cursor::new("{\"request\":\"call\",\"input\":\"x\"}\n"), Vec::new());
        assert!(outcome.is_err());
        assert!(serve(&half, Cursor::new("garbage\n"), Vec::new()).is_err());
    }
}
