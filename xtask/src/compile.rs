//! Building check binaries: one `cargo build` for every exercise asked for,
//! with `--keep-going`, so that one exercise that does not compile never
//! stops the others from being checked; and under a wall-clock limit, so
//! that one that never finishes compiling does not stall them either.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::catalogue::Exercise;
use crate::course::Course;
use crate::depinfo;
use crate::error::{Error, Result};

/// Which crate the checks are built against.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Against {
    Learner,
    Solution,
}

/// Which build of the check binaries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Variant {
    /// std's threads and locks: every check but schedule exploration.
    Ordinary,
    /// shuttle's, through `course-sync/explore`: exploration checks only.
    Explore,
}

/// What the build gave for one exercise.
pub enum Built {
    Binary(PathBuf),
    /// The first compiler error, rendered as rustc renders it, and where.
    Broken {
        error: String,
        location: Option<String>,
    },
    /// It built, but the compiler read files outside the exercise's `src/`
    /// for the learner's crate (`depinfo`), and why: the binary is never
    /// run.
    Rejected(String),
}

/// How long one cargo invocation may take: a cold build of every check
/// crate on a slow laptop stays well inside it; code that makes the
/// compiler loop does not.
const LIMIT: Limit = Limit { base: Duration::from_secs(240), per_exercise: Duration::from_secs(30) };

#[derive(Clone, Copy)]
struct Limit {
    base: Duration,
    per_exercise: Duration,
}

impl Limit {
    /// The limit in force: `XTASK_BUILD_LIMIT_SECS`, when an instructor (or a
    /// test) sets it, bounds every cargo invocation alike; else [`LIMIT`].
    /// Either counts from the last of the course's own crates cargo
    /// finished (`Cargo::run`), within [`LIMIT`] as a backstop.
    fn in_force() -> Limit {
        std::env::var("XTASK_BUILD_LIMIT_SECS")
            .ok()
            .and_then(|secs| secs.trim().parse::<u64>().ok())
            .filter(|&secs| secs > 0)
            .map_or(LIMIT, |secs| Limit { base: Duration::from_secs(secs), per_exercise: Duration::ZERO })
    }

    fn of(self, exercises: usize) -> Duration {
        self.base + self.per_exercise * exercises as u32
    }
}

/// Builds the check binaries of `exercises` in the workspace at `root` (the
/// course's own, or a stage of it).
pub fn build(
    course: &Course,
    root: &Path,
    exercises: &[&Exercise],
    against: Against,
    variant: Variant,
    show_progress: bool,
) -> Result<BTreeMap<String, Built>> {
    // Learner code in a stage: what is built there is noted, so that the
    // next stage of the same code finds it built (`stage::note_built`).
    if against == Against::Learner && course.target_for(root) != course.target {
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        crate::stage::note_built(course, root, &names)?;
    }
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let cargo = Cargo { program, course, root, against, variant, show_progress, limit: Limit::in_force() };
    // One invocation per group that cargo can build together: the members
    // of the course's workspace in one (in the exploration build, those
    // explored by shuttle apart from those explored by loom, whose features
    // cannot meet in one build of `course-sync`), and each exercise that is
    // a workspace of its own alone.
    let mut built = BTreeMap::new();
    for group in groups(exercises, variant) {
        let started = Instant::now();
        built.extend(cargo.build(&group)?);
        crate::style::timing(
            || format!("build {against:?} {variant:?} {} exercises in {}", group.len(), root.display()),
            started.elapsed(),
        );
    }
    Ok(built)
}

/// `exercises` in the groups one cargo invocation each builds, in order.
fn groups<'e>(exercises: &[&'e Exercise], variant: Variant) -> Vec<Vec<&'e Exercise>> {
    let mut shared: BTreeMap<bool, Vec<&Exercise>> = BTreeMap::new();
    let mut alone = Vec::new();
    for &exercise in exercises {
        if exercise.own_workspace {
            alone.push(vec![exercise]);
        } else {
            shared.entry(variant == Variant::Explore && exercise.explored_by_loom()).or_default().push(exercise);
        }
    }
    shared.into_values().chain(alone).collect()
}

impl Cargo<'_> {
    fn build(&self, exercises: &[&Exercise]) -> Result<BTreeMap<String, Built>> {
        let (mut built, finished) = self.run(exercises, self.limit.of(exercises.len()))?;
        if !finished {
            // Which crate stalled cargo is not in its messages: the exercises
            // still without an outcome are built again one at a time, so that
            // the others are still checked.
            let pending: Vec<&Exercise> = exercises.iter().copied().filter(|e| !built.contains_key(&e.name)).collect();
            for exercise in pending {
                let limit = self.limit.of(1);
                let (mut alone, finished) =
                    if pending_alone(exercises) { (BTreeMap::new(), false) } else { self.run(&[exercise], limit)? };
                let outcome = match alone.remove(&exercise.name) {
                    Some(outcome) if finished || matches!(outcome, Built::Broken { .. }) => outcome,
                    _ => Built::Broken {
                        error: format!(
                            "`{}` did not finish compiling in {} s and was stopped: look for code that makes the \
                             compiler work without end (a recursive type or const, an enormous macro expansion)",
                            exercise.name,
                            limit.as_secs()
                        ),
                        location: None,
                    },
                };
                built.insert(exercise.name.clone(), outcome);
            }
        }
        Ok(exercises
            .iter()
            .map(|e| {
                let outcome = built.remove(&e.name).unwrap_or_else(|| Built::Broken {
                    error: format!("cargo built no check binary for `{}`", e.name),
                    location: None,
                });
                (e.name.clone(), outcome)
            })
            .collect())
    }
}

/// One exercise alone that did not finish: building it again alone would
/// only wait as long once more.
fn pending_alone(exercises: &[&Exercise]) -> bool {
    exercises.len() == 1
}

/// Builds the check binary of one exercise.
pub fn build_one(
    course: &Course,
    root: &Path,
    exercise: &Exercise,
    against: Against,
    variant: Variant,
) -> Result<Built> {
    build(course, root, &[exercise], against, variant, true)?
        .remove(&exercise.name)
        .ok_or_else(|| Error::new(format!("the build produced nothing for `{}`", exercise.name)))
}

/// Keeps a built binary at `to`, out of reach of the next build, which
/// replaces the target folder's copy: a hard link when the file system
/// allows one (cargo replaces its copy, never writes into it), else a copy.
pub fn keep(binary: &Path, to: &Path) -> Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    let _ = std::fs::remove_file(to);
    std::fs::hard_link(binary, to)
        .or_else(|_| std::fs::copy(binary, to).map(drop))
        .map_err(|e| Error::io("keep a copy of", binary, e))
}

struct Cargo<'a> {
    program: std::ffi::OsString,
    course: &'a Course,
    root: &'a Path,
    against: Against,
    variant: Variant,
    show_progress: bool,
    limit: Limit,
}

impl Cargo<'_> {
    fn command(&self, exercises: &[&Exercise]) -> Command {
        let mut command = Command::new(&self.program);
        command
            .current_dir(self.root)
            .args(["build", "--profile", "grade", "--keep-going", "--message-format", "json"])
            .env("CARGO_TARGET_DIR", self.course.target_for(self.root))
            .stdout(Stdio::piped());
        // An exercise whose checks are a workspace of their own is built
        // alone (`groups`), from its own manifest.
        if let [exercise] = exercises
            && let Some(manifest) = exercise.own_manifest(self.root)
        {
            command.arg("--manifest-path").arg(manifest);
        }
        for exercise in exercises {
            command.args(["--package", &exercise.checks_package()]);
        }
        let mut features: Vec<String> = Vec::new();
        if self.against == Against::Solution {
            command.arg("--no-default-features");
            features.extend(exercises.iter().map(|e| format!("{}/solution", e.checks_package())));
        }
        if self.variant == Variant::Explore {
            features.extend(exercises.iter().map(|e| format!("{}/explore", e.checks_package())));
        }
        if !features.is_empty() {
            command.args(["--features", &features.join(",")]);
        }
        if self.show_progress && std::io::stderr().is_terminal() {
            command.stderr(Stdio::inherit());
        } else {
            command.arg("--quiet").stderr(Stdio::piped());
        }
        // A group of its own, so that a build past its limit is stopped with
        // every compiler it started.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        command
    }

    /// One cargo invocation: what it said of each exercise, and whether it
    /// finished within `limit`.
    fn run(&self, exercises: &[&Exercise], limit: Duration) -> Result<(BTreeMap<String, Built>, bool)> {
        let mut child = self.command(exercises).spawn().map_err(|e| Error::new("could not start cargo").cause(e))?;
        let stderr = child
            .stderr
            .take()
            .map(|pipe| std::thread::spawn(move || std::io::read_to_string(pipe).unwrap_or_default()));
        let stdout = child.stdout.take().expect("stdout is piped");
        let (lines, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(std::result::Result::ok) {
                if lines.send(line).is_err() {
                    return;
                }
            }
        });

        // The limit runs from the last crate of the course's own that cargo
        // finished (a dependency, the kit, a check crate): a cold build of
        // the dependencies is trusted work, however slow the machine, and
        // must not use up the time of learner code. Learner crates are
        // never progress, so one that keeps the compiler busy is stopped
        // `limit` after everything else is done. The default limit of the
        // whole invocation stays a backstop.
        let started = Instant::now();
        let backstop = started + limit.max(LIMIT.of(exercises.len()));
        let mut deadline = started + limit;
        let mut binaries = BTreeMap::new();
        // What the compiler read for each learner crate (its dep-info file).
        let mut read_lists: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut errors: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
        let finished = loop {
            let line = match incoming.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => line,
                Err(mpsc::RecvTimeoutError::Disconnected) => break true,
                Err(mpsc::RecvTimeoutError::Timeout) => break false,
            };
            let Ok(message) = serde_json::from_str::<Message>(&line) else { continue };
            if message.reason == "compiler-artifact" && !message.is_any_learner_crate(self.root) {
                deadline = deadline.max((Instant::now() + limit).min(backstop));
            }
            let Some(owner) = exercises.iter().find(|e| message.belongs_to(self.root, e)) else { continue };
            if message.reason == "compiler-artifact"
                && message.is_learner_crate(self.root, owner)
                && let Some(dep_info) = depinfo::of_artifact(&message.filenames)
            {
                read_lists.insert(owner.name.clone(), dep_info);
            }
            match (message.reason.as_str(), message.executable, message.message) {
                ("compiler-artifact", Some(executable), _) => {
                    binaries.insert(owner.name.clone(), executable);
                }
                ("compiler-message", _, Some(diagnostic)) if diagnostic.level == "error" => {
                    // A crate outside the workspace cargo ran in (an
                    // exercise that is a workspace of its own) is named by
                    // its full path: shown from the course's root, as the
                    // others are.
                    let root = format!("{}/", self.root.display());
                    let (error, location) = diagnostic.shown();
                    let location = location.map(|l| l.strip_prefix(&root).map_or(l.clone(), str::to_string));
                    errors.entry(owner.name.clone()).or_insert_with(|| (error.replace(&root, ""), location));
                }
                _ => {}
            }
        };
        if !finished {
            kill_group(&mut child);
        }
        let status = child.wait().map_err(|e| Error::new("cargo did not finish").cause(e))?;
        let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
        if finished && !status.success() && binaries.is_empty() && errors.is_empty() {
            return Err(Error::new("the workspace does not build")
                .cause(stderr.trim())
                .hint("a manifest (`Cargo.toml`) or the lock file may be broken; `git status` shows what changed"));
        }
        let mut built: BTreeMap<String, Built> =
            errors.into_iter().map(|(name, (error, location))| (name, Built::Broken { error, location })).collect();
        for (name, binary) in binaries {
            if built.contains_key(&name) {
                continue;
            }
            // Learner code that read a file outside its `src/` is never run.
            let outcome = match self.confined(&name, &read_lists) {
                Ok(()) => Built::Binary(binary),
                Err(why) => Built::Rejected(why),
            };
            built.insert(name, outcome);
        }
        if finished {
            for exercise in exercises {
                built.entry(exercise.name.clone()).or_insert_with(|| Built::Broken {
                    error: format!("cargo built no check binary for `{}`:\n{}", exercise.name, stderr.trim()),
                    location: None,
                });
            }
        }
        Ok((built, finished))
    }

    /// Whether the learner crate of exercise `name` read only files inside
    /// its `src/`, as its dep-info file lists them. The solutions the judge
    /// binaries are built against are the course's own, and not looked at.
    fn confined(&self, name: &str, read_lists: &BTreeMap<String, PathBuf>) -> std::result::Result<(), String> {
        if self.against != Against::Learner {
            return Ok(());
        }
        let src = self.root.join("exercises").join(name).join("src");
        match read_lists.get(name) {
            Some(dep_info) => depinfo::confined(dep_info, self.root, &src),
            None => Err("cargo did not say which files the compiler read, so the grader cannot tell what the code \
                         used; build again"
                .into()),
        }
    }
}

fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    // SAFETY: kill(2) with a negative pid signals the process group cargo
    // leads (it was spawned with `process_group(0)`).
    unsafe {
        libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
    }
    let _ = child.kill();
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
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: u32,
    column_start: u32,
    is_primary: bool,
}

impl Diagnostic {
    /// The error as rustc renders it, and where its primary span is.
    fn shown(self) -> (String, Option<String>) {
        let location = self
            .spans
            .iter()
            .find(|s| s.is_primary)
            .map(|s| format!("{}:{}:{}", s.file_name, s.line_start, s.column_start));
        (self.rendered.unwrap_or(self.message), location)
    }
}

impl Message {
    /// Whether this message is about `exercise`'s learner crate itself.
    fn is_learner_crate(&self, root: &Path, exercise: &Exercise) -> bool {
        self.target.as_ref().is_some_and(|t| t.src_path.starts_with(root.join("exercises").join(&exercise.name)))
    }

    /// Whether the crate this message is about is any exercise's learner
    /// crate (code the course does not own).
    fn is_any_learner_crate(&self, root: &Path) -> bool {
        self.target.as_ref().is_some_and(|t| t.src_path.starts_with(root.join("exercises")))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(name: &str) -> Exercise {
        toml::from_str(&format!("name = \"{name}\"\nlevel = 1\nhints = []\n")).expect("a minimal exercise")
    }

    /// Shuttle's and loom's exercises never share an exploration build (their
    /// features cannot meet in one build of `course-sync`), and an exercise
    /// that is a workspace of its own is always built alone.
    #[test]
    fn explorers_and_own_workspaces_are_built_apart() {
        let parse = |text: &str| -> Exercise { toml::from_str(text).expect("an exercise") };
        let shuttle = parse("name = \"a\"\nlevel = 1\nhints = []\n");
        let loom = parse("name = \"b\"\nlevel = 1\nhints = []\nexplorer = \"loom\"\n");
        let alone = parse("name = \"c\"\nlevel = 1\nhints = []\nown_workspace = true\n");
        let other = parse("name = \"d\"\nlevel = 1\nhints = []\n");
        let names = |groups: Vec<Vec<&Exercise>>| -> Vec<Vec<String>> {
            groups.into_iter().map(|g| g.into_iter().map(|e| e.name.clone()).collect()).collect()
        };
        let all = [&shuttle, &loom, &alone, &other];
        assert_eq!(names(groups(&all, Variant::Ordinary)), [vec!["a", "b", "d"], vec!["c"]]);
        assert_eq!(names(groups(&all, Variant::Explore)), [vec!["a", "d"], vec!["b"], vec!["c"]]);
    }

    /// A stand-in for cargo: it stalls (with a child of its own, past any
    /// limit) whenever `stuck` is among the packages, and builds `quick`
    /// alone at once: `quick` is only built if the stalled build is retried
    /// without `stuck`.
    #[cfg(unix)]
    fn fake_cargo(dir: &Path, root: &Path) -> std::ffi::OsString {
        use std::os::unix::fs::PermissionsExt;
        let script = dir.join("cargo");
        let artifact = format!(
            r#"{{"reason":"compiler-artifact","target":{{"src_path":"{}/tests/checks/quick/src/main.rs"}},"executable":"/bin/true"}}"#,
            root.display()
        );
        let text = format!(
            "#!/bin/sh\ncase \"$*\" in *stuck-checks*) sleep 30 & wait;; *quick-checks*) echo '{artifact}';; esac\n"
        );
        std::fs::write(&script, text).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script.into_os_string()
    }

    #[cfg(unix)]
    #[test]
    fn a_build_that_never_finishes_is_stopped_and_the_others_are_kept() {
        let dir = std::env::temp_dir().join(format!("xtask-compile-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let course = Course::at(&Course::workspace_root(), None, Some(dir.join("target"))).unwrap();
        let root = course.root.clone();
        let cargo = Cargo {
            program: fake_cargo(&dir, &root),
            course: &course,
            root: &root,
            // The judges' build: the stand-in says nothing of learner crates,
            // whose dep-info a learner build would need.
            against: Against::Solution,
            variant: Variant::Ordinary,
            show_progress: false,
            limit: Limit { base: Duration::from_millis(500), per_exercise: Duration::from_millis(250) },
        };
        let (quick, stuck) = (exercise("quick"), exercise("stuck"));
        let started = Instant::now();
        let built = cargo.build(&[&stuck, &quick]).unwrap();
        assert!(started.elapsed() < Duration::from_secs(10), "the stalled build was waited out");
        assert!(matches!(&built["quick"], Built::Binary(path) if path == Path::new("/bin/true")));
        match &built["stuck"] {
            Built::Broken { error, .. } => assert!(error.contains("`stuck` did not finish compiling in"), "{error}"),
            _ => panic!("a build that never finished gave no build error"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A cold build of the course's own crates that takes longer than the
    /// limit is not stopped: the limit runs from the last of them, so only
    /// learner code that keeps the compiler busy is.
    #[cfg(unix)]
    #[test]
    fn the_limit_runs_from_the_last_trusted_crate_built() {
        use std::os::unix::fs::PermissionsExt;
        let dir = crate::admit::scratch::Scratch::new("compile-progress");
        let course = Course::at(&Course::workspace_root(), None, Some(dir.path().join("target"))).unwrap();
        let root = course.root.clone();
        let dependency = r#"{"reason":"compiler-artifact","target":{"src_path":"/registry/dep/src/lib.rs"}}"#;
        let learner = format!(
            r#"{{"reason":"compiler-artifact","target":{{"src_path":"{}/exercises/slow/src/lib.rs"}}}}"#,
            root.display()
        );
        let check = format!(
            r#"{{"reason":"compiler-artifact","target":{{"src_path":"{}/tests/checks/slow/src/main.rs"}},"executable":"/bin/true"}}"#,
            root.display()
        );
        // Five dependencies 0.3 s apart (1.5 s in all, past the 0.6 s
        // limit), then learner crates that finish at once but never count
        // as progress, then the check binary.
        let script = dir.path().join("cargo-slow");
        let mut text = String::from("#!/bin/sh\n");
        for _ in 0..5 {
            text.push_str(&format!("sleep 0.3; echo '{dependency}'\n"));
        }
        text.push_str(&format!("echo '{learner}'; echo '{check}'\n"));
        std::fs::write(&script, text).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let cargo = Cargo {
            program: script.into_os_string(),
            course: &course,
            root: &root,
            against: Against::Solution,
            variant: Variant::Ordinary,
            show_progress: false,
            limit: Limit { base: Duration::from_millis(600), per_exercise: Duration::ZERO },
        };
        let slow = exercise("slow");
        let built = cargo.build(&[&slow]).unwrap();
        assert!(matches!(&built["slow"], Built::Binary(path) if path == Path::new("/bin/true")));
    }

    /// A stand-in for cargo that prints `messages` and exits.
    #[cfg(unix)]
    fn cargo_saying(dir: &Path, messages: &[String]) -> std::ffi::OsString {
        use std::os::unix::fs::PermissionsExt;
        let script = dir.join("cargo-saying");
        let lines: String = messages.iter().map(|m| format!("echo '{m}'\n")).collect();
        std::fs::write(&script, format!("#!/bin/sh\n{lines}")).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script.into_os_string()
    }

    /// A learner crate whose dep-info lists a file outside its `src/` is
    /// rejected, with the file named, though its check binary was built;
    /// one that read only its own files gives its binary.
    #[cfg(unix)]
    #[test]
    fn learner_code_that_read_outside_its_src_is_rejected_after_the_build() {
        let dir = crate::admit::scratch::Scratch::new("compile-depinfo");
        let root = dir.path().join("stage");
        let deps = dir.path().join("target/grade/deps");
        let mut messages = Vec::new();
        for (name, extra) in [("peeks", " /etc/hostname"), ("keeps", "")] {
            dir.put(&format!("stage/exercises/{name}/src/lib.rs"), "pub fn f() {}\n");
            let listing = format!("{}/{name}-1.d: exercises/{name}/src/lib.rs{extra}\n", deps.display());
            dir.put(&format!("target/grade/deps/{name}-1.d"), &listing);
            messages.push(format!(
                r#"{{"reason":"compiler-artifact","target":{{"src_path":"{r}/exercises/{name}/src/lib.rs"}},"filenames":["{d}/lib{name}-1.rlib","{d}/lib{name}-1.rmeta"]}}"#,
                r = root.display(),
                d = deps.display()
            ));
            messages.push(format!(
                r#"{{"reason":"compiler-artifact","target":{{"src_path":"{}/tests/checks/{name}/src/main.rs"}},"executable":"/bin/true"}}"#,
                root.display()
            ));
        }
        let course = Course::at(&Course::workspace_root(), None, Some(dir.path().join("target"))).unwrap();
        let cargo = Cargo {
            program: cargo_saying(dir.path(), &messages),
            course: &course,
            root: &root,
            against: Against::Learner,
            variant: Variant::Ordinary,
            show_progress: false,
            limit: LIMIT,
        };
        let (peeks, keeps) = (exercise("peeks"), exercise("keeps"));
        let built = cargo.build(&[&peeks, &keeps]).unwrap();
        match &built["peeks"] {
            Built::Rejected(why) => {
                assert!(why.starts_with("the compiler read /etc/hostname outside exercises/peeks/src"), "{why}")
            }
            _ => panic!("code that read outside its src/ was not rejected"),
        }
        assert!(matches!(&built["keeps"], Built::Binary(path) if path == Path::new("/bin/true")));
    }
}
