//! The learner's progress: `.course/progress.txt`, derived from the checks.
//!
//! The file is small and meant to be read by a person:
//!
//! ```text
//! # Your progress, written by `cargo xtask check` and `cargo xtask watch`.
//! # NAME STATUS BEST_SPEEDUP SOURCE (see xtask/src/progress.rs)
//! spawn_and_join pass - 5f1c2a9e0b3d4c87
//! parallel_letter_frequency inconclusive 1.62 0a9b8c7d6e5f4a3b
//! ```
//!
//! - `STATUS` is the last state: `pass`, `fail`, `inconclusive` or
//!   `not-started`;
//! - `BEST_SPEEDUP` the best speedup ever measured (`-` for none);
//! - `SOURCE` a fingerprint of `exercises/NAME/src/` when it was checked, so
//!   that `list` can tell a verdict that no longer matches the code.
//!
//! It is a cache, never the truth: a missing file, or a line that does not
//! parse, only means "not checked yet", and the next check writes the file
//! whole again. It is written to a temporary file, flushed to disk and renamed
//! into place, so a crash or Ctrl+C mid-check leaves the old file whole.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::course::Course;
use crate::report::{ExerciseReport, State};

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub state: State,
    /// The best speedup measured so far, for exercises with a speedup check.
    pub best_speedup: Option<f64>,
    /// The fingerprint of the learner's `src/` that got this verdict.
    pub source: Option<String>,
}

pub type Progress = BTreeMap<String, Entry>;

/// What `load` found.
pub struct Loaded {
    pub progress: Progress,
    /// The file was missing, or had lines that did not parse: it is rebuilt
    /// by the next check.
    pub damaged: bool,
}

pub fn load(course: &Course) -> Progress {
    load_checked(course).progress
}

pub fn load_checked(course: &Course) -> Loaded {
    match std::fs::read(course.progress_file()) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let (progress, bad) = parse(&text);
            Loaded { progress, damaged: bad > 0 }
        }
        Err(_) => Loaded { progress: Progress::new(), damaged: false },
    }
}

/// Lines that do not parse are skipped (and counted): they are rebuilt by the
/// next check.
fn parse(text: &str) -> (Progress, usize) {
    let mut bad = 0;
    let progress = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let entry = parse_line(line);
            bad += usize::from(entry.is_none());
            entry
        })
        .collect();
    (progress, bad)
}

fn parse_line(line: &str) -> Option<(String, Entry)> {
    let mut fields = line.split_whitespace();
    let name = fields.next()?;
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let state = match fields.next()? {
        "pass" => State::Pass,
        "fail" => State::Fail,
        "inconclusive" => State::Inconclusive,
        "not-started" => State::NotStarted,
        _ => return None,
    };
    let best_speedup = match fields.next() {
        None | Some("-") => None,
        Some(x) => Some(x.parse::<f64>().ok().filter(|s| s.is_finite() && *s > 0.0)?),
    };
    let source = match fields.next() {
        None => None,
        Some(hash) if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) => Some(hash.to_string()),
        Some(_) => return None,
    };
    if fields.next().is_some() {
        return None;
    }
    Some((name.to_string(), Entry { state, best_speedup, source }))
}

fn render(progress: &Progress) -> String {
    let mut out = String::from(
        "# Your progress, written by `cargo xtask check` and `cargo xtask watch`.\n\
         # NAME STATUS BEST_SPEEDUP SOURCE: the last verdict, the best speedup measured (- for none),\n\
         # and a fingerprint of the code that got the verdict. Safe to delete: checks write it again.\n",
    );
    for (name, entry) in progress {
        let status = match entry.state {
            State::NotStarted => "not-started",
            state => state.words(),
        };
        let speedup = entry.best_speedup.map_or("-".to_string(), |s| format!("{s:.2}"));
        out.push_str(&format!("{name} {status} {speedup}"));
        if let Some(source) = &entry.source {
            out.push_str(&format!(" {source}"));
        }
        out.push('\n');
    }
    out
}

/// Records fresh verdicts, keeping the best speedup ever measured. A damaged
/// file keeps what still parses and is written whole again.
pub fn record(course: &Course, verdicts: impl IntoIterator<Item = (String, Entry)>) {
    let mut progress = load(course);
    for (name, mut entry) in verdicts {
        if let Some(old) = progress.get(&name).and_then(|e| e.best_speedup) {
            entry.best_speedup = Some(entry.best_speedup.map_or(old, |new| new.max(old)));
        }
        progress.insert(name, entry);
    }
    let path = course.progress_file();
    // Progress is a convenience: failing to save it must not fail a check.
    if let Err(error) = write_atomically(&path, render(&progress).as_bytes()) {
        eprintln!("warning: could not save your progress in {}: {error}", path.display());
    }
}

/// The fingerprint of the learner's code of exercise `name`, as it is now.
pub fn source_fingerprint(course: &Course, name: &str) -> Option<String> {
    fingerprint(&course.learner_src(name))
}

/// What the progress file keeps of a verdict on code of fingerprint `source`.
pub fn entry(report: &ExerciseReport, source: Option<String>) -> Entry {
    Entry { state: report.state, best_speedup: report.speedup(), source }
}

/// Writes a temporary file beside `path`, flushes it to disk, and renames it
/// into place: readers (and a machine that loses power) see the old file or
/// the new one, never half of one.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().expect("the file lives in a folder");
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().expect("a file name").to_string_lossy();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed
}

/// A fingerprint of every file under `dir` (FNV-1a over paths and contents):
/// stable across runs and Rust versions, and cheap for a few small files.
pub fn fingerprint(dir: &Path) -> Option<String> {
    fn walk(dir: &Path, base: &Path, files: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.filter_map(|e| e.ok()) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, base, files);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let relative = path.strip_prefix(base).unwrap_or(&path).to_string_lossy().into_owned();
                files.push((relative, bytes));
            }
        }
    }
    if !dir.is_dir() {
        return None;
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, bytes) in &files {
        for byte in name.bytes().chain([0]).chain(bytes.iter().copied()).chain([0]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    Some(format!("{hash:016x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips() {
        let mut progress = Progress::new();
        progress.insert("a".into(), Entry { state: State::Pass, best_speedup: Some(1.93), source: None });
        progress.insert(
            "b".into(),
            Entry { state: State::NotStarted, best_speedup: None, source: Some("0123456789abcdef".into()) },
        );
        assert_eq!(parse(&render(&progress)), (progress, 0));
    }

    #[test]
    fn a_corrupt_file_reads_as_what_it_can() {
        let (progress, bad) = parse("a pass 1.5\n\u{0}garbage\nb maybe\nc fail nan?\nd fail -\ne pass - zz\n");
        assert_eq!(progress.keys().collect::<Vec<_>>(), ["a", "d"]);
        assert_eq!(bad, 4);
    }
}
