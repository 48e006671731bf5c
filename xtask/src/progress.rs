//! The learner's progress: `.course/progress.txt`, one line per exercise
//! checked (`NAME STATUS BEST_SPEEDUP`), derived from the checks.
//!
//! It is a cache, never the truth: a missing or corrupt file only means
//! "not checked yet", and the next `cargo xtask check` writes it again. It is
//! written to a temporary file and renamed into place, so a crash or Ctrl+C
//! mid-write leaves the old file whole.

use std::collections::BTreeMap;
use std::path::PathBuf;

use grading_kit::protocol::Status;

use crate::workspace;

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub status: Status,
    /// The best speedup measured so far, for exercises with a speedup check.
    pub best_speedup: Option<f64>,
}

pub type Progress = BTreeMap<String, Entry>;

fn path() -> PathBuf {
    workspace::root().join(".course").join("progress.txt")
}

pub fn load() -> Progress {
    std::fs::read_to_string(path()).map(|text| parse(&text)).unwrap_or_default()
}

/// Lines that do not parse are skipped: they are rebuilt by the next check.
fn parse(text: &str) -> Progress {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let name = fields.next()?.to_string();
            let status = match fields.next()? {
                "pass" => Status::Pass,
                "fail" => Status::Fail,
                "inconclusive" => Status::Inconclusive,
                _ => return None,
            };
            let best_speedup = match fields.next() {
                None | Some("-") => None,
                Some(x) => Some(x.parse().ok()?),
            };
            Some((name, Entry { status, best_speedup }))
        })
        .collect()
}

fn render(progress: &Progress) -> String {
    let mut out = String::from(
        "# Your progress, written by `cargo xtask check`: exercise, last status, best speedup.\n\
         # Safe to delete: the next check writes it again.\n",
    );
    for (name, entry) in progress {
        let status = match entry.status {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Inconclusive => "inconclusive",
        };
        let speedup = entry.best_speedup.map_or("-".to_string(), |s| format!("{s:.2}"));
        out.push_str(&format!("{name} {status} {speedup}\n"));
    }
    out
}

/// Records fresh verdicts, keeping the best speedup ever measured.
pub fn record(verdicts: impl IntoIterator<Item = (String, Entry)>) {
    let mut progress = load();
    for (name, mut entry) in verdicts {
        if let Some(old) = progress.get(&name).and_then(|e| e.best_speedup) {
            entry.best_speedup = Some(entry.best_speedup.map_or(old, |new| new.max(old)));
        }
        progress.insert(name, entry);
    }
    let path = path();
    let temporary = path.with_extension("txt.tmp");
    // Progress is a convenience: failing to save it must not fail a check.
    let saved = std::fs::create_dir_all(path.parent().expect("the file lives in .course/"))
        .and_then(|()| std::fs::write(&temporary, render(&progress)))
        .and_then(|()| std::fs::rename(&temporary, &path));
    if let Err(error) = saved {
        eprintln!("warning: could not save your progress in {}: {error}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips() {
        let mut progress = Progress::new();
        progress.insert("a".into(), Entry { status: Status::Pass, best_speedup: Some(1.93) });
        progress.insert("b".into(), Entry { status: Status::Fail, best_speedup: None });
        assert_eq!(parse(&render(&progress)), progress);
    }

    #[test]
    fn a_corrupt_file_reads_as_what_it_can() {
        let progress = parse("a pass 1.5\n\u{0}garbage\nb maybe\nc fail nan?\nd fail -\n");
        assert_eq!(progress.keys().collect::<Vec<_>>(), ["a", "d"]);
    }
}
