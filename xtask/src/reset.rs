//! `cargo xtask reset EXERCISE`: start an exercise again from its stub,
//! after keeping the learner's code in `.course/backups/NAME/TIMESTAMP/`.
//! No work is ever lost: `--list` shows the backups, `--restore` brings one
//! back (keeping the code it replaces, too).
//!
//! The stub comes from `tests/checks/NAME/stub/`, the course's own copy of
//! the shipped `src/`, which the learner does not edit. `sync-stubs` writes
//! those copies (maintainers); a tidy test keeps them equal to the shipped
//! stubs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::catalogue::Exercise;
use crate::course::Course;
use crate::error::{Error, Result};
use crate::exit;
use crate::flags::ResetArgs;
use crate::style::{Color, paint};

pub fn run(course: &Course, args: &ResetArgs) -> Result<u8> {
    let exercise = course.catalogue.find(&args.exercise)?;
    let backups = course.backups_dir(exercise);
    if args.list {
        return list(exercise, &backups);
    }
    let src = course.learner_src(&exercise.name);
    let (from, what) = match args.backup.as_ref().filter(|_| args.restore) {
        Some(backup) => {
            let dir = backups.join(backup);
            if backup.is_empty() || backup.contains(['/', '\\']) || backup.starts_with('.') || !dir.is_dir() {
                return Err(Error::new(format!("`{}` has no backup called `{backup}`", exercise.name))
                    .hint(format!("`cargo xtask reset --list {}` shows its backups", exercise.name)));
            }
            (dir, format!("backup {backup}"))
        }
        None => {
            let stub = exercise.stub_dir(&course.root);
            if !stub.is_dir() {
                return Err(Error::new(format!("the course has no copy of the stub of `{}`", exercise.name))
                    .hint("maintainers: `cargo xtask sync-stubs` writes tests/checks/*/stub/"));
            }
            (stub, "its stub".to_string())
        }
    };
    let files = read_tree(&from).map_err(|e| Error::io("read", &from, e))?;
    let current = read_tree(&src).unwrap_or_default();
    if current == files {
        println!("{} is already {what}: nothing to do.", exercise.name);
        return Ok(exit::SUCCESS);
    }
    if !current.is_empty() {
        let backup = back_up(&backups, &current)?;
        println!(
            "Your code of {} is kept in {} (`cargo xtask reset --restore {} {}` brings it back).",
            exercise.name,
            backup.display(),
            exercise.name,
            backup.file_name().expect("a folder").to_string_lossy()
        );
    }
    replace_tree(&src, &files).map_err(|e| Error::io("write", &src, e))?;
    println!("{} {} is back to {what}.", paint("✓", Color::Green), exercise.name);
    Ok(exit::SUCCESS)
}

fn list(exercise: &Exercise, dir: &Path) -> Result<u8> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    if names.is_empty() {
        println!(
            "{} has no backups yet: `cargo xtask reset {}` makes one before it resets.",
            exercise.name, exercise.name
        );
        return Ok(exit::SUCCESS);
    }
    println!("Backups of {} (oldest first), in {}:", exercise.name, dir.display());
    for name in &names {
        let files = read_tree(&dir.join(name)).unwrap_or_default();
        let bytes: usize = files.values().map(Vec::len).sum();
        println!("  {name}  {} file{}, {bytes} bytes", files.len(), if files.len() == 1 { "" } else { "s" });
    }
    let last = names.last().expect("not empty");
    println!("Restore one with `cargo xtask reset --restore {} {last}`.", exercise.name);
    Ok(exit::SUCCESS)
}

/// Copies the learner's files into a new backup folder, written under a
/// temporary name and renamed: a backup that exists is whole.
fn back_up(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<PathBuf> {
    let stamp = timestamp(SystemTime::now());
    let mut name = stamp.clone();
    let mut n = 1;
    while dir.join(&name).exists() {
        n += 1;
        name = format!("{stamp}-{n}");
    }
    let target = dir.join(&name);
    let temporary = dir.join(format!(".{name}.tmp"));
    let written = replace_tree(&temporary, files).and_then(|()| std::fs::rename(&temporary, &target));
    written.map_err(|e| Error::io("back up your code into", &target, e))?;
    Ok(target)
}

/// Every file under `dir`, by path relative to it.
pub fn read_tree(dir: &Path) -> std::io::Result<BTreeMap<PathBuf, Vec<u8>>> {
    fn walk(dir: &Path, base: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, base, files)?;
            } else {
                let relative = path.strip_prefix(base).expect("walked below the base").to_path_buf();
                files.insert(relative, std::fs::read(&path)?);
            }
        }
        Ok(())
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files)?;
    Ok(files)
}

/// Makes `dir` hold exactly `files`.
pub fn replace_tree(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    for (relative, bytes) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
    }
    Ok(())
}

/// `2026-11-27T08-51-10Z`: UTC, sortable, and valid in a file name everywhere.
fn timestamp(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}-{:02}-{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// `cargo xtask sync-stubs` (maintainers): copies each exercise's shipped
/// `src/` to `tests/checks/NAME/stub/`, the copy `reset` restores from.
pub fn sync_stubs(course: &Course) -> Result<u8> {
    let root = &course.root;
    let catalogue = &course.catalogue;
    let mut changed = 0;
    for exercise in &catalogue.exercises {
        let src = exercise.source_dir(root);
        let files = read_tree(&src).map_err(|e| Error::io("read", &src, e))?;
        let stub = exercise.stub_dir(root);
        if read_tree(&stub).ok().as_ref() != Some(&files) {
            replace_tree(&stub, &files).map_err(|e| Error::io("write", &stub, e))?;
            println!("updated {}", stub.strip_prefix(root).unwrap_or(&stub).display());
            changed += 1;
        }
    }
    println!("sync-stubs: {changed} of {} stub copies updated.", catalogue.exercises.len());
    if changed > 0 && !exercises_as_in_git(root) {
        println!(
            "note: exercises/ differs from git's HEAD; make sure the stubs copied are the ones to ship \
             (`git status exercises/`)."
        );
    }
    Ok(exit::SUCCESS)
}

/// Whether `exercises/` has no change against git's HEAD (or this is not a
/// git checkout, such as a downloaded archive).
pub fn exercises_as_in_git(root: &Path) -> bool {
    let status =
        std::process::Command::new("git").current_dir(root).args(["status", "--porcelain", "--", "exercises"]).output();
    match status {
        Ok(out) if out.status.success() => out.stdout.is_empty(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_and_sortable() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00-00-00Z");
        let later = UNIX_EPOCH + std::time::Duration::from_secs(1_795_776_670);
        assert_eq!(timestamp(later), "2026-11-27T10-51-10Z");
        assert_eq!(timestamp(UNIX_EPOCH + std::time::Duration::from_secs(951_782_400)), "2000-02-29T00-00-00Z");
    }
}
