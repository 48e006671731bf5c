//! Bounded capture of a check's output: the last bytes of a pipe, and how
//! many came before them. A check that prints gigabytes costs the grader a
//! fixed buffer, and a pipe that some leftover process holds open never keeps
//! the grader waiting past its deadline.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The tail kept of an ordinary stream (a subject's stderr): enough for a
/// panic message and a backtrace's first frames.
pub const TAIL: usize = 64 * 1024;
/// The tail kept of a stream that carries a result line (a judge's stderr,
/// an in-subject check's stdout): results stay far below this.
pub const RESULT_TAIL: usize = 1024 * 1024;

/// What was kept of one stream.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tail {
    /// The last bytes, lossily decoded as UTF-8.
    pub text: String,
    /// How many bytes came before them and were dropped.
    pub dropped: u64,
}

impl Tail {
    /// The last `limit` bytes of the text, on a character boundary, with a
    /// first line saying how much was left out.
    pub fn shown(&self, limit: usize) -> String {
        let mut start = self.text.len().saturating_sub(limit);
        while !self.text.is_char_boundary(start) {
            start += 1;
        }
        let dropped = self.dropped + start as u64;
        if dropped == 0 {
            self.text.clone()
        } else {
            format!("[{dropped} earlier bytes not kept]\n{}", &self.text[start..])
        }
    }
}

/// A thread reading one pipe into a bounded buffer.
pub struct Capture {
    kept: Arc<Mutex<Ring>>,
    closed: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Ring {
    bytes: Vec<u8>,
    dropped: u64,
    limit: usize,
}

impl Ring {
    fn push(&mut self, chunk: &[u8]) {
        self.bytes.extend_from_slice(chunk);
        if self.bytes.len() > self.limit {
            let excess = self.bytes.len() - self.limit;
            self.bytes.drain(..excess);
            self.dropped += excess as u64;
        }
    }
}

impl Capture {
    /// Starts reading `pipe`, keeping its last `limit` bytes.
    pub fn start(pipe: impl Read + Send + 'static + WaitReadable, limit: usize) -> Capture {
        let kept = Arc::new(Mutex::new(Ring { limit, ..Ring::default() }));
        let closed = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (kept, closed, stop) = (kept.clone(), closed.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut pipe = pipe;
                let mut chunk = vec![0u8; 16 * 1024];
                loop {
                    // Waiting with a timeout, not in read(2), lets the grader
                    // give up on a pipe that a leftover process keeps open.
                    if stop.load(Ordering::Relaxed) || !pipe.wait_readable(Duration::from_millis(100)) {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        continue;
                    }
                    match pipe.read(&mut chunk) {
                        Ok(0) => break,
                        Ok(n) => kept.lock().unwrap_or_else(|e| e.into_inner()).push(&chunk[..n]),
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
                closed.store(true, Ordering::Release);
            })
        };
        Capture { kept, closed, stop, reader: Some(reader) }
    }

    /// Waits until the writers have closed the pipe, or until `deadline`,
    /// and returns what was kept. The pipe is let go either way.
    pub fn finish(mut self, deadline: Instant) -> Tail {
        while !self.closed.load(Ordering::Acquire) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.stop.store(true, Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let ring = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        Tail { text: String::from_utf8_lossy(&ring.bytes).into_owned(), dropped: ring.dropped }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A pipe that can be waited on with a timeout.
pub trait WaitReadable {
    /// Whether data (or the end of the stream) is ready within `timeout`.
    fn wait_readable(&self, timeout: Duration) -> bool;
}

#[cfg(unix)]
impl<T: std::os::fd::AsFd> WaitReadable for T {
    fn wait_readable(&self, timeout: Duration) -> bool {
        let mut poll =
            [libc::pollfd { fd: std::os::fd::AsRawFd::as_raw_fd(&self.as_fd()), events: libc::POLLIN, revents: 0 }];
        let millis = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd, owned by this frame, for the length given.
        let ready = unsafe { libc::poll(poll.as_mut_ptr(), 1, millis) };
        ready > 0
    }
}

#[cfg(not(unix))]
impl<T> WaitReadable for T {
    fn wait_readable(&self, _timeout: Duration) -> bool {
        // Elsewhere the reader blocks in read(2): a pipe held open by a
        // leftover process delays only the reading thread.
        true
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    #[test]
    fn a_flood_keeps_only_the_tail_and_counts_the_rest() {
        let mut child = Command::new("sh")
            .args(["-c", "head -c 1000000 /dev/zero; printf end"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let capture = Capture::start(child.stdout.take().unwrap(), 1000);
        let tail = capture.finish(Instant::now() + Duration::from_secs(60));
        child.wait().unwrap();
        assert_eq!(tail.text.len(), 1000);
        assert!(tail.text.ends_with("end"));
        assert_eq!(tail.dropped, 1_000_003 - 1000);
        assert!(tail.shown(10).starts_with("[999993 earlier bytes not kept]\n"));
    }

    #[test]
    fn a_pipe_held_open_is_let_go_at_the_deadline() {
        let mut child =
            Command::new("sh").args(["-c", "echo started; sleep 30"]).stdout(Stdio::piped()).spawn().unwrap();
        let capture = Capture::start(child.stdout.take().unwrap(), TAIL);
        let tail = capture.finish(Instant::now() + Duration::from_millis(500));
        assert_eq!(tail.text, "started\n");
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
