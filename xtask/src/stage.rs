//! Staging: a copy of the trusted workspace with learner code laid in from
//! elsewhere (a submission folder, or a wrong-solution fixture).
//!
//! Only `exercises/*/src` ever comes from outside: manifests, checks,
//! snapshots, references and the lock file always come from this workspace,
//! so learner code is judged by the checks as shipped.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::course::Course;
use crate::error::{Error, Result};

/// Where one exercise's learner code comes from in a stage.
pub enum Source<'a> {
    /// A folder to copy as `exercises/NAME/src`.
    Dir(PathBuf),
    /// One file to lay in as `exercises/NAME/src/lib.rs`.
    LibFile(&'a Path),
}

/// Lays out the stage and returns its root. Exercises without a source in
/// `sources` get this workspace's own learner code.
pub fn prepare(course: &Course, sources: &[(&str, Source<'_>)]) -> Result<PathBuf> {
    let root = course.root.clone();
    let stage = course.stage_dir();
    let mut wanted = BTreeSet::new();
    copy_trusted(&root, &root, &stage, &mut wanted)?;
    for exercise in &course.catalogue.exercises {
        let into = stage.join("exercises").join(&exercise.name).join("src");
        match sources.iter().find(|(name, _)| *name == exercise.name) {
            Some((_, Source::LibFile(file))) => {
                let text = fs::read(file).map_err(|e| Error::io("read", file, e))?;
                write_if_changed(&into.join("lib.rs"), &text)?;
                wanted.insert(into.join("lib.rs"));
            }
            Some((_, Source::Dir(dir))) => copy_tree(dir, &into, &mut wanted)?,
            None => copy_tree(&exercise.source_dir(&root), &into, &mut wanted)?,
        }
    }
    remove_stale(&stage, &wanted)?;
    Ok(stage)
}

/// Is `relative` (to the workspace root) outside the learner surface and not
/// a build product? Those are the files a stage takes from this workspace.
pub fn is_trusted(relative: &Path) -> bool {
    let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
    match parts.as_slice() {
        [first, ..] if matches!(*first, "target" | ".git" | ".course") => false,
        ["exercises", _, "src", ..] => false,
        _ => true,
    }
}

fn copy_trusted(root: &Path, dir: &Path, stage: &Path, wanted: &mut BTreeSet<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))? {
        let path = entry.map_err(|e| Error::io("read", dir, e))?.path();
        let relative = path.strip_prefix(root).expect("walked below the root");
        if !is_trusted(relative) {
            continue;
        }
        if path.is_dir() {
            copy_trusted(root, &path, stage, wanted)?;
        } else if path.is_file() {
            let to = stage.join(relative);
            write_if_changed(&to, &fs::read(&path).map_err(|e| Error::io("read", &path, e))?)?;
            wanted.insert(to);
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path, wanted: &mut BTreeSet<PathBuf>) -> Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(from).map_err(|e| Error::io("read", from, e))? {
        let entry = entry.map_err(|e| Error::io("read", from, e))?;
        let path = entry.path();
        // A link would let learner code in from outside the learner surface
        // (a solution, a check): `is_dir` and `read` below follow links.
        if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            return Err(Error::new(format!("{} is a symbolic link", path.display()))
                .hint("the learner surface takes plain files only: replace the link by the file itself"));
        }
        let target = to.join(path.file_name().expect("a directory entry has a name"));
        if path.is_dir() {
            copy_tree(&path, &target, wanted)?;
        } else if path.is_file() {
            write_if_changed(&target, &fs::read(&path).map_err(|e| Error::io("read", &path, e))?)?;
            wanted.insert(target);
        }
    }
    Ok(())
}

/// Unchanged files keep their modification time, so cargo rebuilds only
/// what changed between two stagings.
fn write_if_changed(path: &Path, contents: &[u8]) -> Result<()> {
    if fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    let parent = path.parent().expect("staged files live in folders");
    fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    fs::write(path, contents).map_err(|e| Error::io("write", path, e))
}

fn remove_stale(dir: &Path, wanted: &BTreeSet<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))? {
        let path = entry.map_err(|e| Error::io("read", dir, e))?.path();
        if path.is_dir() {
            remove_stale(&path, wanted)?;
            if fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none()) {
                fs::remove_dir(&path).map_err(|e| Error::io("remove", &path, e))?;
            }
        } else if !wanted.contains(&path) {
            fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exercise_sources_are_the_learners() {
        assert!(!is_trusted(Path::new("exercises/foo/src/lib.rs")));
        assert!(is_trusted(Path::new("exercises/foo/Cargo.toml")));
        assert!(is_trusted(Path::new("exercises/catalogue.toml")));
        assert!(is_trusted(Path::new("tests/checks/foo/src/main.rs")));
        assert!(!is_trusted(Path::new("target/grade/foo")));
    }
}
