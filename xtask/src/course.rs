//! The course a command works on: the catalogue, and where everything is.
//! Built once in `main` and handed to every command, so that no other module
//! decides a path (rustlings' `AppState`).
//!
//! Two roots, which are the same folder except in the runner's own tests:
//! - the *workspace* the xtask was built from: checks, solutions, snapshots,
//!   manifests, the target folder. Everything a verdict depends on but the
//!   learner's code comes from here.
//! - the *learner's copy* of the course: `exercises/*/src` and `.course/`
//!   (progress, backups, curves). `XTASK_COURSE_DIR` points it elsewhere, so
//!   that the runner's tests never touch a real learner's code or progress.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::catalogue::{Catalogue, Exercise};
use crate::error::{Error, Result};

pub struct Course {
    pub catalogue: Catalogue,
    /// The workspace the xtask was built from.
    pub root: PathBuf,
    /// The learner's copy of the course: `exercises/*/src` and `.course/`.
    pub learner: PathBuf,
    /// Where cargo builds the workspace: `CARGO_TARGET_DIR` when set, as cargo
    /// itself reads it.
    pub target: PathBuf,
}

/// Held while a command builds or runs checks; released when dropped.
pub struct Lock(#[allow(dead_code, reason = "held for its drop, which releases the lock")] File);

impl Course {
    /// The course this xtask serves, as the environment says.
    pub fn discover() -> Result<Course> {
        let root = Course::workspace_root();
        let learner = std::env::var_os("XTASK_COURSE_DIR").filter(|v| !v.is_empty()).map(PathBuf::from);
        let target = std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()).map(PathBuf::from);
        Course::at(&root, learner, target)
    }

    /// The workspace the xtask was built from. It always is built from the
    /// workspace it serves, so its own manifest's parent is the root,
    /// wherever the command is started from.
    pub fn workspace_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace root").to_path_buf()
    }

    /// The course at `root`, with the learner's copy and the target folder
    /// elsewhere when given.
    pub fn at(root: &Path, learner: Option<PathBuf>, target: Option<PathBuf>) -> Result<Course> {
        Ok(Course {
            catalogue: Catalogue::load_from(root)?,
            root: root.to_path_buf(),
            learner: learner.unwrap_or_else(|| root.to_path_buf()),
            target: target.unwrap_or_else(|| root.join("target")),
        })
    }

    /// The exercises named, in the order given; every exercise when `names`
    /// is empty.
    pub fn select(&self, names: &[String]) -> Result<Vec<&Exercise>> {
        if names.is_empty() {
            Ok(self.catalogue.exercises.iter().collect())
        } else {
            names.iter().map(|name| self.catalogue.find(name)).collect()
        }
    }

    /// Whether the learner works in this workspace itself (the usual case).
    pub fn learner_is_workspace(&self) -> bool {
        self.learner == self.root
    }

    /// The learner's code of exercise `name`.
    pub fn learner_src(&self, name: &str) -> PathBuf {
        self.learner.join("exercises").join(name).join("src")
    }

    /// `.course/`: progress, backups and curves, kept out of version control.
    pub fn state_dir(&self) -> PathBuf {
        self.learner.join(".course")
    }

    pub fn progress_file(&self) -> PathBuf {
        self.state_dir().join("progress.txt")
    }

    pub fn backups_dir(&self, exercise: &Exercise) -> PathBuf {
        self.state_dir().join("backups").join(&exercise.name)
    }

    pub fn curve_file(&self, exercise: &Exercise) -> PathBuf {
        self.state_dir().join("curves").join(format!("{}.svg", exercise.name))
    }

    /// The runner's own scratch space: progress is kept elsewhere, so deleting
    /// `target/` loses nothing.
    pub fn scratch(&self) -> PathBuf {
        self.target.join("xtask")
    }

    /// Where a copy of the workspace with learner code laid in is kept.
    pub fn stage_dir(&self) -> PathBuf {
        self.scratch().join("stage")
    }

    /// Where the stages of single runs are made, each in a folder of its own
    /// (`stage::submission`).
    pub fn stages_dir(&self) -> PathBuf {
        self.scratch().join("stages")
    }

    /// Where the workspace at `root` builds. A staged copy gets a target
    /// folder of its own: cargo hashes workspace members by their path *within*
    /// the workspace, so a staged `exercises/NAME` and the learner's own would
    /// share artifacts and fingerprints, and a later check of the learner's
    /// code could run a submission's or a fixture's instead.
    pub fn target_for(&self, root: &Path) -> PathBuf {
        if root == self.root { self.target.clone() } else { self.scratch().join("stage-target") }
    }

    /// Where the judge binaries are kept once built: apart from the target
    /// folder, whose copy of a check binary the next build of the same crate
    /// (against the learner's code) replaces.
    pub fn judges_dir(&self) -> PathBuf {
        self.scratch().join("judges")
    }

    /// One check run at a time on this machine: speedup is measured on a
    /// machine that no other check of ours is loading.
    pub fn lock(&self) -> Result<Lock> {
        let dir = self.scratch();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
        let path = dir.join("lock");
        let file = File::create(&path).map_err(|e| Error::io("create", &path, e))?;
        if file.try_lock().is_err() {
            eprintln!("waiting for another `cargo xtask` run to finish…");
            let waited = std::time::Instant::now();
            file.lock().map_err(|e| Error::io("lock", &path, e))?;
            crate::style::timing(|| "waited for the lock".to_string(), waited.elapsed());
        }
        Ok(Lock(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_learners_copy_holds_state_and_the_workspace_builds() {
        let root = &Course::workspace_root();
        let course = Course::at(root, Some("/elsewhere".into()), None).unwrap();
        assert!(!course.learner_is_workspace());
        assert_eq!(course.progress_file(), Path::new("/elsewhere/.course/progress.txt"));
        assert_eq!(course.learner_src("a"), Path::new("/elsewhere/exercises/a/src"));
        assert_eq!(course.target_for(root), root.join("target"));
        assert_eq!(course.target_for(&course.stage_dir()), root.join("target/xtask/stage-target"));
    }
}
