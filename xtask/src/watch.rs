//! `cargo xtask watch`: the learner's loop. Checks the current exercise,
//! then again on every save of its files; keys for a hint, the list, the
//! next exercise, a re-run, and quitting.
//!
//! Saves are found by polling the exercise's `src/` a few times a second
//! (sizes and modification times of a handful of files). Rationale: polling
//! cannot miss a change the way file-change notifications can (editors that
//! save by renaming, network and container file systems, WSL), it costs
//! nothing measurable, and it keeps a dependency off every learner's laptop.
//! `r` re-runs by hand whatever happens.
//!
//! It never freezes: each check runs on a worker thread under the runner's
//! watchdog, so keys are answered while a check runs, and a hang comes back as
//! a verdict ("possible deadlock") after which the loop goes on.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use crate::course::Course;
use crate::error::Result;
use crate::flags::WatchArgs;
use crate::judge::{self, Judge, Subject};
use crate::report::{ExerciseReport, State, human};
use crate::runner::Snapshots;
use crate::style::{Color, paint};
use crate::{exit, list, progress};

enum Event {
    Key(u8),
    /// Standard input ended (a pipe, not a terminal): keys are over.
    KeysEnded,
    Checked {
        name: String,
        outcome: Result<ExerciseReport>,
        took: Duration,
    },
}

pub fn run(course: &Course, args: &WatchArgs) -> Result<u8> {
    let catalogue = &course.catalogue;
    let mut current = match &args.exercise {
        Some(name) => catalogue.find(name)?.name.clone(),
        None => first_not_passing(course, None).unwrap_or_else(|| catalogue.exercises[0].name.clone()),
    };
    let _raw = RawMode::enable();
    let (events, incoming) = mpsc::channel();
    read_keys(events.clone());

    let poll = Duration::from_millis(args.poll_ms.max(10));
    let mut watcher = Snapshot::take(&course.learner_src(&current));
    let mut changed_at: Option<Instant> = None;
    let mut checking = false;
    let mut rerun = true; // the first check, right away
    let mut quitting = false;
    let mut last: Option<ExerciseReport> = None;

    std::thread::scope(|scope| {
        loop {
            if rerun && !checking {
                rerun = false;
                checking = true;
                start_check(scope, course, &current, events.clone());
            }
            if quitting && !checking {
                break;
            }
            match incoming.recv_timeout(poll) {
                Ok(Event::Key(key)) => match key {
                    b'q' | b'Q' | 3 | 4 => {
                        if checking {
                            say("quitting once this check ends (the watchdog stops it within seconds)…");
                        }
                        quitting = true;
                    }
                    b'r' | b'R' => {
                        if checking {
                            say("a check is running: it runs again when this one ends");
                        }
                        rerun = true;
                    }
                    b'h' | b'H' => {
                        let exercise = catalogue.find(&current).expect("the current exercise is the catalogue's");
                        let mut text = format!("\n{}\n", paint(&format!("Hints for {current}:"), Color::Bold));
                        for (i, hint) in exercise.hints.iter().enumerate() {
                            text.push_str(&format!("{}. {}\n", i + 1, hint.trim()));
                        }
                        show(&text);
                    }
                    b'l' | b'L' => show(&format!("\n{}", list::render(course, Some(&current)))),
                    b'n' | b'N' => {
                        let passes = last.as_ref().is_some_and(|r| r.name == current && r.state == State::Pass);
                        if checking {
                            say("a check is running: press n again once it has passed");
                        } else if !passes {
                            say(&format!("{current} does not pass yet: n moves on once it does"));
                        } else if let Some(next) = first_not_passing(course, Some(&current)) {
                            current = next;
                            watcher = Snapshot::take(&course.learner_src(&current));
                            changed_at = None;
                            rerun = true;
                        } else {
                            say("every exercise passes: well done! (q quits)");
                        }
                    }
                    b'\r' | b'\n' | b' ' => {}
                    _ => say("keys: h hint · l list · n next (once it passes) · r re-run · q quit"),
                },
                Ok(Event::KeysEnded) => {}
                Ok(Event::Checked { name, outcome, took }) => {
                    checking = false;
                    let report = match outcome {
                        Ok(report) => report,
                        Err(error) => {
                            // Never a dead end: say what went wrong, keep watching.
                            println!("{}\n(save, or press r, to try again)", error.render());
                            continue;
                        }
                    };
                    if name == current {
                        clear_screen();
                        print!("{}", screen(&report, took));
                        let _ = std::io::stdout().flush();
                        last = Some(report);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            // Debounce: an editor may write a file in several steps; check once
            // the files have stayed the same for one polling interval.
            let now = Snapshot::take(&course.learner_src(&current));
            if now != watcher {
                watcher = now;
                changed_at = Some(Instant::now());
            } else if changed_at.is_some_and(|at| at.elapsed() >= poll) {
                changed_at = None;
                if checking {
                    rerun = true;
                } else {
                    rerun = true;
                    say(&format!("saved: checking {current}…"));
                }
            }
        }
    });
    drop(_raw);
    println!("\nYour progress is saved; `cargo xtask watch` picks up where you left off.");
    Ok(exit::SUCCESS)
}

/// The first exercise that does not pass, after `after` in course order if
/// there is one there, else from the start.
fn first_not_passing(course: &Course, after: Option<&str>) -> Option<String> {
    let catalogue = &course.catalogue;
    let progress = progress::load(course);
    let passes = |name: &str| progress.get(name).is_some_and(|e| e.state == State::Pass);
    let start = after.and_then(|a| catalogue.exercises.iter().position(|e| e.name == a)).map_or(0, |i| i + 1);
    let (before, rest) = catalogue.exercises.split_at(start.min(catalogue.exercises.len()));
    rest.iter().chain(before).find(|e| Some(e.name.as_str()) != after && !passes(&e.name)).map(|e| e.name.clone())
}

/// Checks `name` on a thread of its own and sends the verdict back. The
/// progress file is written before the verdict is shown.
fn start_check<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    course: &'scope Course,
    name: &str,
    events: mpsc::Sender<Event>,
) {
    let name = name.to_string();
    scope.spawn(move || {
        let started = Instant::now();
        let outcome = check_one(course, &name);
        let _ = events.send(Event::Checked { name, outcome, took: started.elapsed() });
    });
}

fn check_one(course: &Course, name: &str) -> Result<ExerciseReport> {
    let exercise = course.catalogue.find(name)?;
    let _lock = course.lock()?;
    let root = judge::learner_root(course)?;
    let source = progress::source_fingerprint(course, name);
    let mut reports = Judge::new(course, Snapshots::Compare, true).judge(Subject::Learner(&root), &[exercise])?;
    let report = reports.pop().expect("one exercise judged");
    progress::record(course, [(report.name.clone(), progress::entry(&report, source))]);
    Ok(report)
}

/// One screen: the verdict, then what to do next and the keys.
fn screen(report: &ExerciseReport, took: Duration) -> String {
    let name = &report.name;
    let mut out = human::exercise_screen(report, true);
    out.push('\n');
    let next = match report.state {
        State::NotStarted => {
            format!("Start with the lesson, exercises/{name}/README.md, then write exercises/{name}/src/ and save.")
        }
        State::Pass => format!("{} {name} passes! Press n for the next exercise.", paint("✓", Color::Green)),
        State::Fail => format!("Edit exercises/{name}/src/ and save to check again (stuck? press h)."),
        State::Inconclusive => "The speedup could not be measured reliably here: press r to measure again.".to_string(),
    };
    out.push_str(&next);
    out.push('\n');
    out.push_str(&paint(
        &format!(
            "watching exercises/{name}/src/ · checked in {:.1} s · h hint · l list · n next · r re-run · q quit",
            took.as_secs_f64()
        ),
        Color::Dim,
    ));
    out.push('\n');
    out
}

/// A short line under the current screen.
fn say(text: &str) {
    println!("{}", paint(text, Color::Dim));
    let _ = std::io::stdout().flush();
}

fn show(text: &str) {
    print!("{text}");
    let _ = std::io::stdout().flush();
}

fn clear_screen() {
    if std::io::stdout().is_terminal() {
        print!("\x1b[2J\x1b[H");
    }
}

/// Reads keys, one byte at a time, until standard input ends.
fn read_keys(events: mpsc::Sender<Event>) {
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut byte = [0u8; 1];
        loop {
            match stdin.read(&mut byte) {
                Ok(1) => {
                    if events.send(Event::Key(byte[0])).is_err() {
                        return;
                    }
                }
                Ok(_) | Err(_) => {
                    let _ = events.send(Event::KeysEnded);
                    return;
                }
            }
        }
    });
}

/// Sizes and modification times of every file of a folder: what a save
/// changes, even one that writes the same bytes again.
#[derive(PartialEq)]
struct Snapshot(BTreeMap<PathBuf, (u64, Option<SystemTime>)>);

impl Snapshot {
    fn take(dir: &Path) -> Snapshot {
        fn walk(dir: &Path, files: &mut BTreeMap<PathBuf, (u64, Option<SystemTime>)>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for entry in entries.filter_map(|e| e.ok()) {
                let path = entry.path();
                let Ok(meta) = entry.metadata() else { continue };
                if meta.is_dir() {
                    walk(&path, files);
                } else {
                    files.insert(path, (meta.len(), meta.modified().ok()));
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(dir, &mut files);
        Snapshot(files)
    }
}

/// Keys without Enter and without echo, while watching (Unix terminals);
/// the terminal is restored when dropped, also on a panic.
struct RawMode {
    #[cfg(unix)]
    saved: Option<libc::termios>,
}

impl RawMode {
    fn enable() -> RawMode {
        #[cfg(unix)]
        {
            if !std::io::stdin().is_terminal() {
                return RawMode { saved: None };
            }
            // SAFETY: tcgetattr/tcsetattr on standard input with a termios
            // the call itself filled in.
            unsafe {
                let mut term: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(libc::STDIN_FILENO, &mut term) != 0 {
                    return RawMode { saved: None };
                }
                let saved = term;
                // Ctrl+C arrives as a key (3), so that quitting always
                // restores the terminal and never strands a running check.
                term.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG);
                term.c_cc[libc::VMIN] = 1;
                term.c_cc[libc::VTIME] = 0;
                if libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &term) != 0 {
                    return RawMode { saved: None };
                }
                RawMode { saved: Some(saved) }
            }
        }
        #[cfg(not(unix))]
        RawMode {}
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            // SAFETY: restores the settings read in `enable`.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved);
            }
        }
    }
}
