//! Colour for people, none for pipes: only on a terminal, never with
//! `NO_COLOR` set (`CLICOLOR_FORCE=1` forces it, for tests and pagers). And a
//! small activity line and progress bar for long work, drawn only on a terminal.
//!
//! Rationale: a progress bar and raw colour codes are a few dozen lines;
//! a crate for them would cost every learner's laptop its compile time.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
pub enum Color {
    Green,
    Red,
    Yellow,
    Cyan,
    Dim,
    Bold,
}

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| {
        let set = |key: &str| std::env::var_os(key).is_some_and(|v| !v.is_empty() && v != "0");
        !set("NO_COLOR") && (set("CLICOLOR_FORCE") || std::io::stdout().is_terminal())
    })
}

pub fn paint(text: &str, color: Color) -> String {
    if !enabled() {
        return text.to_string();
    }
    let code = match color {
        Color::Green => "32",
        Color::Red => "31",
        Color::Yellow => "33",
        Color::Cyan => "36",
        Color::Dim => "2",
        Color::Bold => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// A one-line activity line on stderr, redrawn ten times a second with a
/// spinner and the time spent so far: long silent work (a speedup
/// measurement, a check the watchdog will stop) still shows that something
/// is happening. Cleared when dropped. Draws nothing when stderr is not a
/// terminal.
pub struct Activity {
    done: Option<Arc<AtomicBool>>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Activity {
    pub fn start(label: &str, show: bool) -> Activity {
        if !show || !std::io::stderr().is_terminal() {
            return Activity { done: None, ticker: None };
        }
        let done = Arc::new(AtomicBool::new(false));
        let label: String = label.chars().take(70).collect();
        let ticking = Arc::clone(&done);
        let ticker = std::thread::spawn(move || {
            const SPINNER: [char; 4] = ['|', '/', '-', '\\'];
            let started = Instant::now();
            let mut frame = 0;
            while !ticking.load(Ordering::Relaxed) {
                let spin = SPINNER[frame % SPINNER.len()];
                eprint!("\r\x1b[2K{spin} {label} {:.0}s", started.elapsed().as_secs_f64());
                let _ = std::io::stderr().flush();
                frame += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        });
        Activity { done: Some(done), ticker: Some(ticker) }
    }
}

impl Drop for Activity {
    fn drop(&mut self) {
        if let Some(done) = &self.done {
            done.store(true, Ordering::Relaxed);
        }
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

/// Where timing lines go: `XTASK_TIMINGS=1`, stderr; `XTASK_TIMINGS=/a/file`,
/// that file, each line with the process and command that wrote it.
enum TimingSink {
    Stderr,
    File { path: std::path::PathBuf, command: String },
}

/// `XTASK_TIMINGS=1`: a line on stderr for each cargo invocation and each
/// check run, with its wall time, for a maintainer finding where the time of
/// `verify` or `grade` goes. `XTASK_TIMINGS=/a/file` appends the lines to
/// that file instead, with the command that wrote them: the way to see
/// inside the runs of `cargo test`, which keep each run's stderr. Off by
/// default; nothing reads these lines.
pub fn timing(what: impl FnOnce() -> String, took: Duration) {
    static SINK: OnceLock<Option<TimingSink>> = OnceLock::new();
    let Some(sink) = SINK.get_or_init(|| {
        let value = std::env::var_os("XTASK_TIMINGS").filter(|v| !v.is_empty() && v != "0")?;
        if !value.to_string_lossy().contains('/') {
            return Some(TimingSink::Stderr);
        }
        let args: Vec<String> = std::env::args().skip(1).collect();
        Some(TimingSink::File { path: value.into(), command: format!("{} {}", std::process::id(), args.join(" ")) })
    }) else {
        return;
    };
    let line = format!("timing {:8.3} s  {}", took.as_secs_f64(), what());
    match sink {
        TimingSink::Stderr => eprintln!("{line}"),
        TimingSink::File { path, command } => {
            // One write per line: runs that append at once do not split
            // each other's lines.
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut file| file.write_all(format!("{line}  [{command}]\n").as_bytes()));
            if let Err(e) = appended {
                eprintln!("{line} (not written to {}: {e})", path.display());
            }
        }
    }
}
