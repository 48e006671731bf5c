//! What a submission changed outside its learner surface.
//!
//! Grading never uses those files (staging takes the course's own); they
//! are listed so that an instructor sees what a student tried. They are
//! looked at within bounds: the walk stops after [`MAX_ENTRIES`] entries
//! and [`MAX_DEPTH`] folders, a file is compared by size first and then
//! read in small pieces, never whole, and only up to [`MAX_COMPARED`] bytes;
//! links and files that are not plain files are never opened (a FIFO named
//! `README.md` would hang the grader).

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use crate::admit;
use crate::error::{Error, Result};
use crate::stage;

/// Entries of a submission looked at outside its learner surface. A course
/// folder holds about 600; the rest is listed as not looked at.
pub const MAX_ENTRIES: usize = 5_000;
/// Folders below the submission's root.
pub const MAX_DEPTH: usize = 16;
/// Bytes of one file compared with the course's: larger files of the same
/// size as the course's are listed as not compared.
pub const MAX_COMPARED: u64 = 16 * 1024 * 1024;

/// What is listed for a file or folder that could not be read.
const UNREADABLE: &str = "could not be read: not compared";

/// A trusted file the submission has in another version than the course's,
/// or that grading did not look into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Relative to the submission's root, with `/` separators.
    pub path: String,
    /// `changed`, `added`, or why it was not compared.
    pub what: &'static str,
}

/// The files outside the learner surface where `submission` differs from
/// `trusted`: they are ignored by grading, and listed in the report. Files
/// the submission lacks are not listed: a classroom copy may leave out
/// the reference solutions.
pub fn changed_trusted(trusted: &Path, submission: &Path) -> Result<Vec<Change>> {
    changed_trusted_within(trusted, submission, MAX_ENTRIES)
}

fn changed_trusted_within(trusted: &Path, submission: &Path, max_entries: usize) -> Result<Vec<Change>> {
    let mut walk = Walk { trusted, root: submission, changes: Vec::new(), entries: 0, max_entries, cut_short: false };
    walk.folder(submission, 0)?;
    let mut changes = walk.changes;
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

struct Walk<'a> {
    trusted: &'a Path,
    root: &'a Path,
    changes: Vec<Change>,
    entries: usize,
    max_entries: usize,
    /// The walk met [`MAX_ENTRIES`]: nothing more is looked at.
    cut_short: bool,
}

impl Walk<'_> {
    /// Compares the folder `dir`. Only the submission's own root failing to
    /// be read is an error: below it, what cannot be read is listed, and the
    /// grading goes on.
    fn folder(&mut self, dir: &Path, depth: usize) -> Result<()> {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if depth == 0 => return Err(Error::io("read", dir, e)),
            Err(_) => {
                self.note(dir, UNREADABLE);
                return Ok(());
            }
        };
        for entry in entries {
            let Ok(entry) = entry else {
                self.note(dir, UNREADABLE);
                return Ok(());
            };
            let path = entry.path();
            let relative = path.strip_prefix(self.root).expect("walked below the root");
            if !stage::is_trusted(relative) {
                continue;
            }
            if self.cut_short {
                return Ok(());
            }
            self.entries += 1;
            if self.entries > self.max_entries {
                self.cut_short = true;
                self.note(dir, "holds more than the grader looks at: the rest was not compared");
                return Ok(());
            }
            // `symlink_metadata`: the entry itself, never what a link names.
            let Ok(meta) = fs::symlink_metadata(&path) else {
                self.note(&path, UNREADABLE);
                continue;
            };
            if meta.is_dir() {
                if depth + 1 > MAX_DEPTH {
                    self.note(&path, "lies too deep: not compared");
                } else {
                    self.folder(&path, depth + 1)?;
                }
            } else if !meta.is_file() {
                let what = if meta.file_type().is_symlink() {
                    "a symbolic link: not followed"
                } else {
                    "not a plain file: never opened"
                };
                self.note(&path, what);
            } else {
                match compare(&self.trusted.join(relative), &path, meta.len()) {
                    Ok(None) => {}
                    Ok(Some(what)) => self.note(&path, what),
                    Err(_) => self.note(&path, UNREADABLE),
                }
            }
        }
        Ok(())
    }

    fn note(&mut self, path: &Path, what: &'static str) {
        let relative = path.strip_prefix(self.root).unwrap_or(path);
        self.changes.push(Change { path: admit::slashed(relative), what });
    }
}

/// How the submission's plain file `theirs` (of `size` bytes) differs from
/// the course's `ours`; `None` when it does not.
fn compare(ours: &Path, theirs: &Path, size: u64) -> std::io::Result<Option<&'static str>> {
    let ours_size = match fs::metadata(ours) {
        Ok(meta) if meta.is_file() => meta.len(),
        _ => return Ok(Some("added")),
    };
    if ours_size != size {
        return Ok(Some("changed"));
    }
    if size > MAX_COMPARED {
        return Ok(Some("too large to compare: not read"));
    }
    let Some((their_file, _)) = admit::open_plain(theirs)? else {
        return Ok(Some("not a plain file: never opened"));
    };
    let our_file = File::open(ours)?;
    // In pieces, never more than the size both had when listed: a file that
    // grows meanwhile is read no further.
    let same = same_bytes(our_file.take(size), their_file.take(size))?;
    Ok((!same).then_some("changed"))
}

/// Whether two readers give the same bytes, read 64 KiB at a time.
fn same_bytes(mut a: impl Read, mut b: impl Read) -> std::io::Result<bool> {
    let mut left = vec![0u8; 64 * 1024];
    let mut right = vec![0u8; 64 * 1024];
    loop {
        let n = read_full(&mut a, &mut left)?;
        let m = read_full(&mut b, &mut right)?;
        if n != m || left[..n] != right[..m] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

/// Fills `buffer` unless the reader ends first; how much it read.
fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admit::scratch::Scratch;

    fn changes(trusted: &Scratch, submission: &Scratch) -> Vec<(String, &'static str)> {
        changed_trusted(trusted.path(), submission.path()).unwrap().into_iter().map(|c| (c.path, c.what)).collect()
    }

    #[test]
    fn changed_and_added_trusted_files_are_listed_and_learner_code_is_not() {
        let course = Scratch::new("integrity-course");
        course.put("exercises/ex/Cargo.toml", "[package]\n");
        course.put("tests/checks/ex/src/main.rs", "fn main() {}\n");
        course.put("Cargo.lock", "same\n");
        let submission = Scratch::new("integrity-submission");
        submission.put("exercises/ex/Cargo.toml", "[package]\n");
        submission.put("exercises/ex/src/lib.rs", "learner code\n");
        submission.put("tests/checks/ex/src/main.rs", "fn main() { println!(\"pass\") }\n");
        submission.put("Cargo.lock", "diff\n");
        submission.put("exercises/ex/build.rs", "fn main() {}\n");
        submission.put("target/debug/junk", "");
        assert_eq!(
            changes(&course, &submission),
            [
                ("Cargo.lock".to_string(), "changed"),
                ("exercises/ex/build.rs".to_string(), "added"),
                ("tests/checks/ex/src/main.rs".to_string(), "changed"),
            ]
        );
    }

    #[test]
    fn a_huge_sparse_file_is_judged_by_its_size_unread() {
        let course = Scratch::new("integrity-sparse-course");
        course.put("Cargo.lock", "the lock\n");
        let submission = Scratch::new("integrity-sparse");
        File::create(submission.path().join("Cargo.lock")).unwrap().set_len(6 << 30).unwrap();
        assert_eq!(changes(&course, &submission), [("Cargo.lock".to_string(), "changed")]);

        // As large as the course's and over the cap: listed, not read.
        File::create(course.path().join("big.bin")).unwrap().set_len(MAX_COMPARED + 1).unwrap();
        File::create(submission.path().join("big.bin")).unwrap().set_len(MAX_COMPARED + 1).unwrap();
        assert!(changes(&course, &submission).contains(&("big.bin".to_string(), "too large to compare: not read")));
    }

    #[test]
    fn equal_sizes_are_compared_by_content() {
        let course = Scratch::new("integrity-same-size-course");
        course.put("README.md", "abc");
        course.put("docs/a.md", &"x".repeat(200_000));
        let submission = Scratch::new("integrity-same-size");
        submission.put("README.md", "abd");
        submission.put("docs/a.md", &"x".repeat(200_000));
        assert_eq!(changes(&course, &submission), [("README.md".to_string(), "changed")]);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_link_is_listed_unopened() {
        let course = Scratch::new("integrity-fifo-course");
        course.put("exercises/ex/README.md", "the lesson\n");
        let submission = Scratch::new("integrity-fifo");
        std::fs::create_dir_all(submission.path().join("exercises/ex")).unwrap();
        let fifo = submission.path().join("exercises/ex/README.md");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `name` is a valid C string that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
        std::os::unix::fs::symlink("/etc/passwd", submission.path().join("Cargo.lock")).unwrap();
        // Opening the FIFO would wait for a writer: this test would hang.
        assert_eq!(
            changes(&course, &submission),
            [
                ("Cargo.lock".to_string(), "a symbolic link: not followed"),
                ("exercises/ex/README.md".to_string(), "not a plain file: never opened"),
            ]
        );
    }

    #[test]
    fn a_wide_tree_is_cut_short_once() {
        let course = Scratch::new("integrity-wide-course");
        let submission = Scratch::new("integrity-wide");
        for n in 0..60 {
            File::create(submission.path().join(format!("f{n}"))).unwrap();
        }
        submission.put("later/more", "");
        let listed = changed_trusted_within(course.path(), submission.path(), 50).unwrap();
        let cut: Vec<_> = listed.iter().filter(|c| c.what.contains("not compared")).collect();
        assert_eq!(cut.len(), 1, "{cut:?}");
        assert!(listed.len() <= 51, "{} listed", listed.len());
    }

    #[test]
    fn a_deep_tree_is_cut_short() {
        let course = Scratch::new("integrity-deep-course");
        let submission = Scratch::new("integrity-deep");
        let deep = (0..MAX_DEPTH + 2).map(|n| format!("d{n}")).collect::<Vec<_>>().join("/");
        submission.put(&format!("{deep}/x"), "");
        let listed = changes(&course, &submission);
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].1, "lies too deep: not compared");
    }
}
