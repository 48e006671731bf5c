//! Staging: a copy of the trusted workspace with learner code laid in from
//! elsewhere (a submission folder, or a wrong-solution fixture).
//!
//! Only `exercises/*/src` ever comes from outside: manifests, checks,
//! snapshots, references and the lock file always come from this workspace,
//! so learner code is judged by the checks as shipped. A submission's code
//! comes in as `admit` read it, never from its folder again.
//!
//! Two kinds of stage: [`prepare`] keeps one folder that every call lays out
//! again, changing only what changed (the course's own code: stubs and
//! fixtures, in `verify` and `bench`); a [`Stage`] from [`submission`] is a
//! folder of one run's own (a submission in `check`, `replay` and `grade`,
//! or the learner's copy of the course kept elsewhere), shared with no other
//! and removed when that run is done.

use std::collections::BTreeSet;
use std::fs;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::admit::SourceFile;
use crate::course::Course;
use crate::error::{Error, Result};

/// Where one exercise's learner code comes from in a stage.
pub enum Source<'a> {
    /// A folder to copy as `exercises/NAME/src`: the course's own (a stub).
    Dir(PathBuf),
    /// One file to lay in as `exercises/NAME/src/lib.rs`: a fixture.
    LibFile(&'a Path),
    /// A submission's files, as admitted (read within limits and scanned).
    Admitted(&'a [SourceFile]),
    /// A rejected exercise: a `lib.rs` that fails to compile with this
    /// message, so that the rejection is that exercise's build error.
    Rejected(&'a str),
}

/// Lays out the shared stage and returns its root. Exercises without a
/// source in `sources` get this workspace's own learner code; each of
/// `copies` is laid in beside them, under its own name.
pub fn prepare(course: &Course, sources: &[(&str, Source<'_>)], copies: &[Copy<'_>]) -> Result<PathBuf> {
    let root = &course.root;
    let stage = course.stage_dir();
    let mut wanted = BTreeSet::new();
    copy_trusted(root, root, &stage, &mut wanted)?;
    write_wanted(&stage.join("Cargo.toml"), &stage_manifest(root, copies)?, &mut wanted)?;
    // Learner code at an exercise's own path is laid as in every stage
    // (`lay_learner_code`): its time says what was last built there.
    // (Copies have paths no submission has, and only this stage lays them.)
    lay_learner_code(course, &stage, sources, &mut wanted)?;
    for copy in copies {
        lay_copy(root, &stage, copy, &mut wanted)?;
    }
    remove_stale(&stage, &wanted)?;
    Ok(stage)
}

/// An exercise laid into the shared stage a second time, under a name of its
/// own, with other learner code: `verify` stages every fixture so, and so
/// builds them all in one cargo invocation. The copy is a workspace member
/// at a path of its own, so cargo keeps its artifacts apart from the
/// original's and finds them up to date in the next run.
pub struct Copy<'a> {
    /// Its name: its folders are `exercises/NAME` and `tests/checks/NAME`, its
    /// packages `NAME` and `NAME-checks`.
    pub name: String,
    /// The exercise copied: its manifest, checks and snapshots, renamed.
    pub of: &'a str,
    /// Its learner code.
    pub source: Source<'a>,
    /// Whether any of its checks will time it (a speedup check, or
    /// exploration, whose budget is wall-clock). A copy none will is built
    /// without optimisation: its checks only compare values, and its build
    /// then takes about a third of the time (`stage_manifest`).
    pub timed: bool,
}

impl Copy<'_> {
    /// The copy's name for `fixture` of `exercise`: a package name that no
    /// exercise can have, as exercise names have no `--`.
    pub fn name_for(exercise: &str, fixture: &str) -> String {
        format!("{exercise}--{fixture}")
    }
}

/// Lays `copy` into the stage: the exercise's manifest and its checks
/// (sources, snapshots and manifest) under the copy's name, the checks
/// linked to the copy's learner crate and still to the exercise's
/// reference solution.
fn lay_copy(root: &Path, stage: &Path, copy: &Copy<'_>, wanted: &mut BTreeSet<PathBuf>) -> Result<()> {
    let (of, name) = (copy.of, copy.name.as_str());
    let manifest = |relative: &Path| -> Result<String> {
        let path = root.join(relative);
        fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))
    };
    let renamed = |text: String, from: &str, to: &str| -> Result<String> {
        if !text.contains(from) {
            return Err(Error::new(format!("the manifest of `{of}` does not say `{from}`"))
                .hint("`cargo test -p xtask` checks the shape of the course's manifests"));
        }
        Ok(text.replace(from, to))
    };
    let exercise = Path::new("exercises").join(of).join("Cargo.toml");
    let text = renamed(manifest(&exercise)?, &format!("name = \"{of}\""), &format!("name = \"{name}\""))?;
    write_wanted(&stage.join("exercises").join(name).join("Cargo.toml"), text.as_bytes(), wanted)?;

    let checks = Path::new("tests").join("checks").join(of);
    let text = renamed(
        manifest(&checks.join("Cargo.toml"))?,
        &format!("name = \"{of}-checks\""),
        &format!("name = \"{name}-checks\""),
    )?;
    let text = renamed(
        text,
        &format!("package = \"{of}\", path = \"../../../exercises/{of}\""),
        &format!("package = \"{name}\", path = \"../../../exercises/{name}\""),
    )?;
    let into = stage.join("tests").join("checks").join(name);
    write_wanted(&into.join("Cargo.toml"), text.as_bytes(), wanted)?;
    for folder in ["src", "snapshots"] {
        copy_tree(&root.join(&checks).join(folder), &into.join(folder), wanted)?;
    }

    lay_source(&copy.source, &stage.join("exercises").join(name).join("src"), wanted)
}

/// The stage's workspace manifest: this workspace's own, and for each copy
/// no check times, its check crate built without optimisation. Its learner
/// crate keeps the profile's: that is the code under test.
fn stage_manifest(root: &Path, copies: &[Copy<'_>]) -> Result<Vec<u8>> {
    let path = root.join("Cargo.toml");
    let mut text = fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
    let untimed: Vec<&Copy<'_>> = copies.iter().filter(|copy| !copy.timed).collect();
    if !untimed.is_empty() {
        text.push_str(
            "\n# Laid by the xtask in its stage: check crates of copies that no check\n# times, built without optimisation.\n",
        );
        for copy in untimed {
            text.push_str(&format!("[profile.grade.package.\"{}-checks\"]\nopt-level = 0\n", copy.name));
        }
    }
    Ok(text.into_bytes())
}

fn write_wanted(path: &Path, contents: &[u8], wanted: &mut BTreeSet<PathBuf>) -> Result<()> {
    write_if_changed(path, contents)?;
    wanted.insert(path.to_path_buf());
    Ok(())
}

/// A stage of one run, in a folder no other run ever uses; removed, with
/// everything the checks left in it, when dropped. Derefs to its root.
pub struct Stage {
    root: PathBuf,
}

impl Deref for Stage {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.root
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Err(error) = remove(&self.root) {
            eprintln!("warning: could not remove the stage {}: {error}", self.root.display());
        }
    }
}

/// Lays one submission into a folder of its own below the course's
/// `stages_dir`, with this workspace's trusted files. Exercises without a
/// source in `sources` get this workspace's own learner code.
///
/// Trusted files keep their modification times, so cargo finds the crates
/// built for an earlier stage (the kit, the dependencies) up to date: only
/// learner crates and the checks linked to them are built again.
pub fn submission(course: &Course, sources: &[(&str, Source<'_>)]) -> Result<Stage> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let stages = course.stages_dir();
    fs::create_dir_all(&stages).map_err(|e| Error::io("create", &stages, e))?;
    clear_stale(&stages)?;
    let root = loop {
        let candidate = stages.join(format!("{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
        match fs::create_dir(&candidate) {
            Ok(()) => break candidate,
            // A folder by that name is another stage's: never share it.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io("create", &candidate, e)),
        }
    };
    // From here on, the folder is removed however this ends.
    let stage = Stage { root };
    copy_trusted_keeping_times(&course.root, &course.root, &stage.root)?;
    lay_learner_code(course, &stage.root, sources, &mut BTreeSet::new())?;
    Ok(stage)
}

/// Lays every exercise's learner code into the stage at `stage`, noting in
/// `wanted` the files laid.
///
/// Every stage builds into one target folder, where cargo knows a crate by
/// its path within the workspace and takes it for built when no source file
/// is newer than its last build. So the files at `exercises/NAME/src` get
/// the time of [`laid_at`]: the time the same code was given when it is the
/// code built there last (cargo finds its build up to date), and now when it
/// is not (cargo builds it again, whatever the times of the files it came
/// from).
fn lay_learner_code(
    course: &Course,
    stage: &Path,
    sources: &[(&str, Source<'_>)],
    wanted: &mut BTreeSet<PathBuf>,
) -> Result<()> {
    for exercise in &course.catalogue.exercises {
        let into = stage.join("exercises").join(&exercise.name).join("src");
        let files = match sources.iter().find(|(name, _)| *name == exercise.name) {
            Some((_, source)) => files_of(source)?,
            None => files_of(&Source::Dir(exercise.source_dir(&course.root)))?,
        };
        let time = laid_at(course, &exercise.name, &files)?;
        lay_files(&files, &into, Some(time), wanted)?;
    }
    Ok(())
}

/// Lays one exercise's learner code from `source` into `into` (its `src/`).
fn lay_source(source: &Source<'_>, into: &Path, wanted: &mut BTreeSet<PathBuf>) -> Result<()> {
    lay_files(&files_of(source)?, into, None, wanted)
}

/// The files of `source`, each with its path relative to `src/`, in order.
fn files_of(source: &Source<'_>) -> Result<Vec<SourceFile>> {
    let mut files = match source {
        Source::LibFile(file) => {
            vec![SourceFile { path: "lib.rs".into(), bytes: fs::read(file).map_err(|e| Error::io("read", file, e))? }]
        }
        Source::Dir(dir) => {
            let mut files = Vec::new();
            read_tree(dir, Path::new(""), &mut files)?;
            files
        }
        Source::Admitted(files) => files.to_vec(),
        Source::Rejected(why) => vec![SourceFile { path: "lib.rs".into(), bytes: rejected_lib(why).into_bytes() }],
    };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Writes `files` below `into`: each given the time `time`, or, without one,
/// left as it is when its bytes are already there.
fn lay_files(
    files: &[SourceFile],
    into: &Path,
    time: Option<SystemTime>,
    wanted: &mut BTreeSet<PathBuf>,
) -> Result<()> {
    for file in files {
        let target = into.join(&file.path);
        write_if_changed(&target, &file.bytes)?;
        if let Some(time) = time {
            set_time(&target, time)?;
        }
        wanted.insert(target);
    }
    Ok(())
}

/// The time to give the learner code `files` laid at `exercises/NAME/src`
/// in a stage: when it is the code built there last, in any stage, the
/// time it was given then (see [`note_built`]); else now, later than the
/// start of every build there.
fn laid_at(course: &Course, name: &str, files: &[SourceFile]) -> Result<SystemTime> {
    let note = course.scratch().join("laid").join(name);
    if let Ok(old) = fs::read(&note)
        && let Some(time) = time_of(&old)
        && old == encoded(time, files)
    {
        return Ok(time);
    }
    Ok(SystemTime::now())
}

/// Notes, before cargo builds the exercises `names` in the stage at
/// `stage`, the learner code laid there and its time, for [`laid_at`] to
/// give the same code the same time in the next stage (so that cargo finds
/// it built) and any other code a later time (so that cargo builds it).
///
/// The note (`laid/NAME` in the scratch folder) keeps the code itself, not a
/// digest of it, so that no crafted submission can pass for the code built
/// before it. It is replaced whole (written aside, then renamed), and only
/// when the code differs from the note's: then the code was laid after the
/// last build there started, so its time is later than that build's.
pub fn note_built(course: &Course, stage: &Path, names: &[&str]) -> Result<()> {
    let dir = course.scratch().join("laid");
    fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    for name in names {
        let src = stage.join("exercises").join(name).join("src");
        let mut files = Vec::new();
        read_tree(&src, Path::new(""), &mut files)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let Some(first) = files.first() else { continue };
        let path = src.join(&first.path);
        let time = fs::metadata(&path).and_then(|m| m.modified()).map_err(|e| Error::io("read", &path, e))?;
        let note = dir.join(name);
        let text = encoded(time, &files);
        if fs::read(&note).is_ok_and(|old| old == text) {
            continue;
        }
        let aside = dir.join(format!("{name}.new"));
        fs::write(&aside, &text).map_err(|e| Error::io("write", &aside, e))?;
        fs::rename(&aside, &note).map_err(|e| Error::io("write", &note, e))?;
    }
    Ok(())
}

/// A note of [`laid_at`]: the time, then each file's path and bytes.
fn encoded(time: SystemTime, files: &[SourceFile]) -> Vec<u8> {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let mut bytes = format!("laid {} {}\n", since.as_secs(), since.subsec_nanos()).into_bytes();
    for file in files {
        let path = file.path.as_os_str().as_encoded_bytes();
        bytes.extend(format!("{} {}\n", path.len(), file.bytes.len()).as_bytes());
        bytes.extend(path);
        bytes.extend(&file.bytes);
    }
    bytes
}

/// The time a note of [`laid_at`] says, from its first line.
fn time_of(note: &[u8]) -> Option<SystemTime> {
    let line = note.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.strip_prefix("laid ")?.split(' ');
    let secs = words.next()?.parse().ok()?;
    let nanos = words.next()?.parse().ok()?;
    UNIX_EPOCH.checked_add(Duration::new(secs, nanos))
}

fn set_time(path: &Path, time: SystemTime) -> Result<()> {
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(time))
        .map_err(|e| Error::io("write", path, e))
}

/// Removes stages left by a grader that was killed: those whose process is
/// gone. A live one's stage is never touched, whoever it is.
fn clear_stale(stages: &Path) -> Result<()> {
    for entry in fs::read_dir(stages).map_err(|e| Error::io("read", stages, e))? {
        let entry = entry.map_err(|e| Error::io("read", stages, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let owner = name.split_once('-').and_then(|(pid, _)| pid.parse::<u32>().ok());
        if owner.is_some_and(|pid| !alive(pid)) {
            remove(&entry.path()).map_err(|e| Error::io("remove", &entry.path(), e))?;
        }
    }
    Ok(())
}

/// Whether process `pid` exists. Where that cannot be asked, every process
/// is taken to be alive: a stale stage costs disk, a removed live one a
/// grade.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return true };
        // SAFETY: signal 0 only asks whether the process exists.
        let found = unsafe { libc::kill(pid, 0) } == 0;
        found || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Removes `path` and everything below it, without following links; folders
/// made read-only are made writable first.
fn remove(path: &Path) -> std::io::Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) => {
            make_writable(path);
            fs::remove_dir_all(path)
        }
    }
}

fn make_writable(path: &Path) {
    let Ok(meta) = fs::symlink_metadata(path) else { return };
    if !meta.is_dir() {
        return;
    }
    let mut permissions = meta.permissions();
    #[allow(clippy::permissions_set_readonly_false, reason = "the stage is ours to remove, on every platform")]
    permissions.set_readonly(false);
    let _ = fs::set_permissions(path, permissions);
    if let Ok(entries) = fs::read_dir(path) {
        for entry in entries.flatten() {
            make_writable(&entry.path());
        }
    }
}

/// A `lib.rs` that does not compile, and says why the exercise was
/// rejected. `{:?}` writes a Rust string literal.
fn rejected_lib(why: &str) -> String {
    format!("compile_error!({:?});\n", format!("rejected: {why}"))
}

/// Copies the trusted files below `dir` into `stage`, each with the
/// modification time of the course's own.
fn copy_trusted_keeping_times(root: &Path, dir: &Path, stage: &Path) -> Result<()> {
    walk_trusted(root, dir, &mut |path, relative| {
        let to = stage.join(relative);
        let parent = to.parent().expect("staged files live in folders");
        fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        fs::copy(path, &to).map_err(|e| Error::io("copy", path, e))?;
        let modified = fs::metadata(path).and_then(|m| m.modified()).map_err(|e| Error::io("read", path, e))?;
        // Setting a time needs ownership, not write access: a read-only
        // copy takes it too.
        fs::File::open(&to).and_then(|f| f.set_modified(modified)).map_err(|e| Error::io("write", &to, e))
    })
}

/// Calls `each` with every trusted file below `dir` and its path relative
/// to `root`.
fn walk_trusted(root: &Path, dir: &Path, each: &mut dyn FnMut(&Path, &Path) -> Result<()>) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))? {
        let path = entry.map_err(|e| Error::io("read", dir, e))?.path();
        let relative = path.strip_prefix(root).expect("walked below the root");
        if !is_trusted(relative) {
            continue;
        }
        if path.is_dir() {
            walk_trusted(root, &path, each)?;
        } else if path.is_file() {
            each(&path, relative)?;
        }
    }
    Ok(())
}

/// Is `relative` (to the workspace root) outside the learner surface and not
/// a build product? Those are the files a stage takes from this workspace.
pub fn is_trusted(relative: &Path) -> bool {
    let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
    match parts.as_slice() {
        [first, ..] if matches!(*first, "target" | ".git" | ".course") => false,
        // The build folder of a check crate that is a workspace of its own,
        // built by hand without `CARGO_TARGET_DIR`.
        ["tests", "checks", _, "target", ..] => false,
        ["exercises", _, "src", ..] => false,
        _ => true,
    }
}

/// Copies the trusted files below `dir` into `stage`, but the workspace
/// manifest, which [`prepare`] writes itself.
fn copy_trusted(root: &Path, dir: &Path, stage: &Path, wanted: &mut BTreeSet<PathBuf>) -> Result<()> {
    walk_trusted(root, dir, &mut |path, relative| {
        if relative == Path::new("Cargo.toml") {
            return Ok(());
        }
        let to = stage.join(relative);
        write_if_changed(&to, &fs::read(path).map_err(|e| Error::io("read", path, e))?)?;
        wanted.insert(to);
        Ok(())
    })
}

fn copy_tree(from: &Path, to: &Path, wanted: &mut BTreeSet<PathBuf>) -> Result<()> {
    let mut files = Vec::new();
    read_tree(from, Path::new(""), &mut files)?;
    lay_files(&files, to, None, wanted)
}

/// Reads every plain file below `from` into `files`, with its path below
/// `from` prefixed by `relative`. A missing folder has none.
fn read_tree(from: &Path, relative: &Path, files: &mut Vec<SourceFile>) -> Result<()> {
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
        let below = relative.join(path.file_name().expect("a directory entry has a name"));
        if path.is_dir() {
            read_tree(&path, &below, files)?;
        } else if path.is_file() {
            files.push(SourceFile { path: below, bytes: fs::read(&path).map_err(|e| Error::io("read", &path, e))? });
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
    use crate::admit::SourceFile;

    #[test]
    fn only_exercise_sources_are_the_learners() {
        assert!(!is_trusted(Path::new("exercises/foo/src/lib.rs")));
        assert!(is_trusted(Path::new("exercises/foo/Cargo.toml")));
        assert!(is_trusted(Path::new("exercises/catalogue.toml")));
        assert!(is_trusted(Path::new("tests/checks/foo/src/main.rs")));
        assert!(!is_trusted(Path::new("target/grade/foo")));
    }

    #[test]
    fn each_submission_is_staged_in_a_folder_of_its_own_removed_after() {
        let scratch = crate::admit::scratch::Scratch::new("stage-submission");
        let course = Course::at(&Course::workspace_root(), None, Some(scratch.path().join("target"))).unwrap();
        let [first, second, ..] = course.catalogue.exercises.as_slice() else {
            panic!("a course of two exercises at least")
        };
        let files = [SourceFile { path: "lib.rs".into(), bytes: b"pub fn mine() {}\n".to_vec() }];
        let sources = [
            (first.name.as_str(), Source::Admitted(&files)),
            (second.name.as_str(), Source::Rejected("exercises/x/src/lib.rs:1: \"no\"")),
        ];
        let one = submission(&course, &sources).unwrap();
        note_built(&course, &one, &[&first.name]).unwrap();
        let other = submission(&course, &sources).unwrap();
        assert!(one.starts_with(course.stages_dir()));
        assert_ne!(one.to_path_buf(), other.to_path_buf());

        let src = |stage: &Stage, name: &str| stage.join("exercises").join(name).join("src");
        assert_eq!(fs::read(src(&one, &first.name).join("lib.rs")).unwrap(), files[0].bytes);
        let rejected = fs::read_to_string(src(&one, &second.name).join("lib.rs")).unwrap();
        assert_eq!(rejected, "compile_error!(\"rejected: exercises/x/src/lib.rs:1: \\\"no\\\"\");\n");

        // Trusted files keep the course's times: cargo finds what it built
        // for an earlier stage up to date.
        let manifest = Path::new("exercises").join(&first.name).join("Cargo.toml");
        let time = |path: &Path| fs::metadata(path).unwrap().modified().unwrap();
        assert_eq!(time(&one.join(&manifest)), time(&course.root.join(&manifest)));

        // The same learner code as built last keeps the time it was built
        // with, so cargo finds its build up to date.
        let lib = |stage: &Stage| src(stage, &first.name).join("lib.rs");
        assert_eq!(time(&lib(&one)), time(&lib(&other)));

        let root = one.to_path_buf();
        drop(one);
        assert!(!root.exists(), "the stage outlived its submission's grading");
        assert!(other.exists());
    }

    #[test]
    fn only_copies_no_check_times_are_built_without_optimisation() {
        let root = Course::workspace_root();
        let copy = |name: &str, timed| Copy { name: name.into(), of: "x", source: Source::Rejected(""), timed };
        let text =
            String::from_utf8(stage_manifest(&root, &[copy("a--f", false), copy("a--g", true)]).unwrap()).unwrap();
        let own = fs::read_to_string(root.join("Cargo.toml")).unwrap();
        assert!(text.starts_with(&own), "the workspace's own manifest comes first");
        assert!(text.contains("[profile.grade.package.\"a--f-checks\"]\nopt-level = 0\n"), "{text}");
        assert!(!text.contains("a--g"), "a timed copy keeps the profile's optimisation: {text}");
        // Without an untimed copy (a submission's stage, `bench`), the
        // manifest is the workspace's own.
        assert_eq!(stage_manifest(&root, &[copy("a--g", true)]).unwrap(), own.into_bytes());
    }

    /// Code laid where other code was built last is given a time later than
    /// that build; the same code again, the time it was built with.
    #[test]
    fn learner_code_keeps_its_time_only_while_it_is_the_code_built_last() {
        let scratch = crate::admit::scratch::Scratch::new("stage-laid");
        let course = Course::at(&Course::workspace_root(), None, Some(scratch.path().join("target"))).unwrap();
        let stage = scratch.path().join("stage");
        let code = |text: &str, more: &[&str]| -> Vec<SourceFile> {
            let mut files = vec![SourceFile { path: "lib.rs".into(), bytes: text.as_bytes().to_vec() }];
            files.extend(more.iter().map(|m| SourceFile { path: format!("{m}.rs").into(), bytes: Vec::new() }));
            files
        };
        // Lays `files` as a stage does, and builds them.
        let built = |name: &str, files: &[SourceFile]| -> SystemTime {
            let time = laid_at(&course, name, files).unwrap();
            let into = stage.join("exercises").join(name).join("src");
            let _ = fs::remove_dir_all(&into);
            lay_files(files, &into, Some(time), &mut BTreeSet::new()).unwrap();
            note_built(&course, &stage, &[name]).unwrap();
            time
        };
        let first = built("x", &code("a", &[]));
        assert_eq!(built("x", &code("a", &[])), first);
        assert!(built("y", &code("a", &[])) > first, "each exercise has its own note");
        let other = built("x", &code("b", &[]));
        assert!(other > first);
        assert!(laid_at(&course, "x", &code("a", &[])).unwrap() > other, "laid, not built: not noted");
        let more = built("x", &code("b", &["m"]));
        assert!(more > other, "a file more is other code");
        let again = built("x", &code("a", &[]));
        assert!(again > more, "code built before the last is built anew");
        assert_eq!(built("x", &code("a", &[])), again);
    }

    /// The `lib.rs` of a rejected exercise fails to build with the reason,
    /// whatever characters the reason holds.
    #[test]
    fn a_rejected_exercise_fails_to_compile_with_its_reason() {
        let dir = crate::admit::scratch::Scratch::new("stage-rejected");
        let why = "src/a \"b\" \\ c.rs:1: `include!(\"{x}\")` …";
        let lib = dir.put("lib.rs", &rejected_lib(why));
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let output = std::process::Command::new(rustc)
            .current_dir(dir.path())
            .args(["--edition", "2024", "--crate-type", "lib", "--emit", "metadata"])
            .arg(&lib)
            .output()
            .expect("rustc runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success());
        assert!(stderr.contains(&format!("error: rejected: {why}")), "{stderr}");
    }

    #[test]
    fn a_stage_is_removed_even_when_made_read_only() {
        let scratch = crate::admit::scratch::Scratch::new("stage-read-only");
        let dir = scratch.path().join("stage");
        fs::create_dir_all(dir.join("a/b")).unwrap();
        fs::write(dir.join("a/b/f"), "x").unwrap();
        for folder in [dir.join("a/b"), dir.join("a")] {
            let mut permissions = fs::metadata(&folder).unwrap().permissions();
            permissions.set_readonly(true);
            fs::set_permissions(&folder, permissions).unwrap();
        }
        drop(Stage { root: dir.clone() });
        assert!(!dir.exists());
    }

    #[cfg(unix)]
    #[test]
    fn only_the_stages_of_processes_gone_are_stale() {
        assert!(alive(std::process::id()));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        assert!(!alive(gone));
    }
}
