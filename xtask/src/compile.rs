//! Building check binaries: one `cargo build` for every exercise asked for,
//! with `--keep-going`, so that one exercise that does not compile never
//! stops the others from being checked.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::catalogue::Exercise;
use crate::depinfo;
use crate::workspace::{self, Error, Result};

/// Which crate the checks are built against.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Against {
    Learner,
    Solution,
}

/// Which build of the check binaries.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// std's threads and locks: every check but schedule exploration.
    Ordinary,
    /// shuttle's, through `course-sync/explore`: exploration checks only.
    Explore,
}

/// What the build gave for one exercise.
pub enum Built {
    Binary(PathBuf),
    /// The first compiler error, rendered as rustc renders it.
    Broken(String),
}

/// Builds the check binaries of `exercises` in the workspace at `root`.
pub fn build(
    root: &Path,
    exercises: &[&Exercise],
    against: Against,
    variant: Variant,
    show_progress: bool,
) -> Result<BTreeMap<String, Built>> {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(root)
        .args(["build", "--profile", "grade", "--keep-going", "--message-format", "json"])
        .env("CARGO_TARGET_DIR", target_dir(root))
        .stdout(Stdio::piped());
    for exercise in exercises {
        command.args(["--package", &exercise.checks_package()]);
    }
    let mut features: Vec<String> = Vec::new();
    if against == Against::Solution {
        command.arg("--no-default-features");
        features.extend(exercises.iter().map(|e| format!("{}/solution", e.checks_package())));
    }
    if variant == Variant::Explore {
        features.extend(exercises.iter().map(|e| format!("{}/explore", e.checks_package())));
    }
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    if show_progress && std::io::stderr().is_terminal() {
        command.stderr(Stdio::inherit());
    } else {
        command.arg("--quiet").stderr(Stdio::piped());
    }
    let mut child = command.spawn().map_err(|e| Error::new("could not start cargo").cause(e))?;
    let stderr =
        child.stderr.take().map(|pipe| std::thread::spawn(move || std::io::read_to_string(pipe).unwrap_or_default()));

    let mut binaries = BTreeMap::new();
    // What the compiler read for each learner crate (its dep-info file).
    let mut read_lists: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines().map_while(std::result::Result::ok) {
        let Ok(message) = serde_json::from_str::<Message>(&line) else { continue };
        let Some(owner) = exercises.iter().find(|e| message.belongs_to(root, e)) else { continue };
        match message.reason.as_str() {
            "compiler-artifact" => {
                if message.is_learner_crate(root, owner)
                    && let Some(dep_info) = depinfo::of_artifact(&message.filenames)
                {
                    read_lists.insert(owner.name.clone(), dep_info);
                }
                if let Some(executable) = message.executable {
                    binaries.insert(owner.name.clone(), executable);
                }
            }
            "compiler-message" => {
                if let Some(diagnostic) = message.message.filter(|d| d.level == "error") {
                    errors.entry(owner.name.clone()).or_insert(diagnostic.rendered.unwrap_or(diagnostic.message));
                }
            }
            _ => {}
        }
    }
    let status = child.wait().map_err(|e| Error::new("cargo did not finish").cause(e))?;
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();

    if !status.success() && binaries.is_empty() && errors.is_empty() {
        return Err(Error::new("the workspace does not build")
            .cause(stderr.trim())
            .hint("a manifest (`Cargo.toml`) or the lock file may be broken; `git status` shows what changed"));
    }
    Ok(exercises
        .iter()
        .map(|e| {
            let built = match (binaries.remove(&e.name), errors.remove(&e.name)) {
                (Some(binary), None) => {
                    // Learner code that read a file outside its `src/` is never run.
                    let read_outside =
                        if against == Against::Learner { confined(root, e, &read_lists).err() } else { None };
                    match read_outside {
                        Some(why) => Built::Broken(format!("rejected: {why}")),
                        None => Built::Binary(binary),
                    }
                }
                (_, Some(error)) => Built::Broken(error),
                (None, None) => {
                    Built::Broken(format!("cargo built no check binary for `{}`:\n{}", e.name, stderr.trim()))
                }
            };
            (e.name.clone(), built)
        })
        .collect())
}

/// Whether the learner crate of `exercise` read only files inside its
/// `src/`, as its dep-info file lists them.
fn confined(
    root: &Path,
    exercise: &Exercise,
    read_lists: &BTreeMap<String, PathBuf>,
) -> std::result::Result<(), String> {
    let src = root.join("exercises").join(&exercise.name).join("src");
    match read_lists.get(&exercise.name) {
        Some(dep_info) => depinfo::confined(dep_info, root, &src),
        None => Err("cargo did not say which files the compiler read, so the grader cannot tell what the code used; \
                     build again"
            .into()),
    }
}

/// Builds the check binary of one exercise.
pub fn build_one(root: &Path, exercise: &Exercise, against: Against, variant: Variant) -> Result<Built> {
    build(root, &[exercise], against, variant, true)?
        .remove(&exercise.name)
        .ok_or_else(|| Error::new(format!("the build produced nothing for `{}`", exercise.name)))
}

/// Where the workspace at `root` builds. A staged copy gets a target folder
/// of its own: cargo hashes workspace members by their path *within* the
/// workspace, so a staged `exercises/NAME` and the learner's own would share
/// artifacts and fingerprints, and a later check of the learner's code could
/// run a submission's or a fixture's instead.
fn target_dir(root: &Path) -> PathBuf {
    if root == workspace::root() { workspace::target_dir() } else { workspace::scratch().join("stage-target") }
}

/// The parts of cargo's JSON messages the runner reads.
#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    filenames: Vec<PathBuf>,
    #[serde(default)]
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Target {
    src_path: PathBuf,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    message: String,
    rendered: Option<String>,
}

impl Message {
    /// Whether this message is about `exercise`'s learner crate itself.
    fn is_learner_crate(&self, root: &Path, exercise: &Exercise) -> bool {
        self.target.as_ref().is_some_and(|t| t.src_path.starts_with(root.join("exercises").join(&exercise.name)))
    }

    /// Whether the crate this message is about is one of `exercise`'s: its
    /// learner crate, its solution or its checks.
    fn belongs_to(&self, root: &Path, exercise: &Exercise) -> bool {
        let Some(target) = &self.target else { return false };
        ["exercises", "solutions", "tests/checks"]
            .iter()
            .any(|folder| target.src_path.starts_with(root.join(folder).join(&exercise.name)))
    }
}
