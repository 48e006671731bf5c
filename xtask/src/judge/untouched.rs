//! What a build folder held right after a build, so that a file that learner
//! code changed there while its checks ran is never used again.
//!
//! Cargo takes a crate for built from its fingerprint and the times of its
//! sources; it never looks at its outputs again. A check binary replaced in
//! the target folder by one grading would so be run by the next grading of
//! the same code. The sandbox gives checks no write access to the target
//! folder; where it is off, this is the guard: before each run the subject
//! binary must be the file the build left, and after the checks every file
//! of the build folder that changed, or appeared, is removed, so that cargo
//! builds it again.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// What a file is: on Unix its device, inode, size and times (the change
/// time is the kernel's, which no one can set); elsewhere its size and
/// modification time.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Identity(Vec<i128>);

impl Identity {
    pub fn of(path: &Path) -> Option<Identity> {
        let meta = fs::symlink_metadata(path).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Identity(
                [
                    meta.dev() as i128,
                    meta.ino() as i128,
                    meta.len() as i128,
                    meta.mtime() as i128,
                    meta.mtime_nsec() as i128,
                    meta.ctime() as i128,
                    meta.ctime_nsec() as i128,
                    meta.mode() as i128,
                ]
                .to_vec(),
            ))
        }
        #[cfg(not(unix))]
        {
            let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
            Some(Identity(vec![meta.len() as i128, modified.as_nanos() as i128]))
        }
    }
}

/// Every file below a build folder, as the last build left it.
pub struct Untouched {
    dir: PathBuf,
    files: BTreeMap<PathBuf, Identity>,
}

impl Untouched {
    /// Notes every file below `dir` (a profile folder of a target folder).
    pub fn note(dir: &Path) -> Untouched {
        let mut files = BTreeMap::new();
        walk(dir, &mut |path| {
            if let Some(identity) = Identity::of(path) {
                files.insert(path.to_path_buf(), identity);
            }
        });
        Untouched { dir: dir.to_path_buf(), files }
    }

    /// Removes every file below the folder that is not as noted (changed,
    /// replaced, or new) and returns them: cargo builds them again.
    pub fn undo_changes(&self) -> Vec<PathBuf> {
        let mut changed = Vec::new();
        walk(&self.dir, &mut |path| {
            if self.files.get(path) != Identity::of(path).as_ref() {
                changed.push(path.to_path_buf());
            }
        });
        for path in &changed {
            let _ = fs::remove_file(path);
        }
        changed
    }
}

/// Calls `each` with every file below `dir`, links included (never
/// followed).
fn walk(dir: &Path, each: &mut dyn FnMut(&Path)) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => walk(&path, each),
            Ok(_) => each(&path),
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_replaced_or_added_after_the_build_is_removed_and_the_rest_kept() {
        let scratch = crate::admit::scratch::Scratch::new("untouched");
        let kept = scratch.put("grade/deps/kept", "binary");
        let altered = scratch.put("grade/deps/altered", "binary");
        let replaced = scratch.put("grade/replaced-checks", "binary");
        let untouched = Untouched::note(&scratch.path().join("grade"));
        assert_eq!(Identity::of(&kept), Identity::of(&kept));

        fs::write(&altered, "#!/bin/sh\necho pass\n").unwrap();
        fs::remove_file(&replaced).unwrap();
        fs::write(&replaced, "binary").unwrap();
        let added = scratch.put("grade/deps/added", "x");
        let mut changed = untouched.undo_changes();
        changed.sort();
        let mut expected = vec![altered.clone(), replaced.clone(), added.clone()];
        expected.sort();
        assert_eq!(changed, expected);
        assert!(kept.exists() && !altered.exists() && !replaced.exists() && !added.exists());
    }
}
