//! `cargo xtask grade`: points for an instructor, over the verdicts of
//! `check`.
//!
//! A thin layer: [`check::judge`] gives the verdicts, `score` turns them into
//! points, `integrity` decides what of a submission may be graded at all, and
//! `junit` and `gradescope` write the reports CI tools read. What each check
//! is worth is in the catalogue (`points`, with defaults by kind); which
//! checks an exercise has comes from the checks built against the reference
//! solution, never from a binary the learner's code is linked into.

mod gradescope;
mod integrity;
mod junit;
mod score;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use grading_kit::protocol::{CheckInfo, CheckKind, Status};

use crate::catalogue::{Catalogue, Exercise};
use crate::check;
use crate::compile::{self, Against, Built, Variant};
use crate::exit;
use crate::flags::GradeArgs;
use crate::report::{CheckReport, ExerciseReport, Report};
use crate::runner;
use crate::stage::{self, Source};
use crate::workspace::{self, Error, Result};

use crate::admit;
use integrity::Change;
use score::{Score, show};

/// One submission, graded.
pub struct Graded {
    pub student: String,
    pub exercises: Vec<ExerciseGrade>,
    /// Trusted files the submission changed: ignored, and listed.
    pub changed: Vec<Change>,
    /// Entries of the learner surface never opened (links, FIFOs, …).
    pub skipped: Vec<admit::Skipped>,
    /// The verdicts, as `check --format json` gives them.
    pub report: Report,
    /// Wall time of grading this submission, builds included.
    pub seconds: f64,
}

pub struct ExerciseGrade {
    pub name: String,
    /// Why the exercise was not run: rejected, or not submitted.
    pub refused: Option<Refusal>,
    pub checks: Vec<CheckGrade>,
}

pub enum Refusal {
    Rejected(String),
    NotSubmitted,
}

pub struct CheckGrade {
    pub name: String,
    pub kind: CheckKind,
    pub max: u32,
    pub score: Score,
    pub message: String,
}

pub fn run(args: &GradeArgs) -> Result<u8> {
    fix_environment();
    let catalogue = Catalogue::load()?;
    let selected: Vec<&Exercise> = if args.exercises.is_empty() {
        catalogue.exercises.iter().collect()
    } else {
        args.exercises.iter().map(|name| catalogue.find(name)).collect::<Result<_>>()?
    };
    let _lock = check::exclusive()?;
    let roster = roster(&selected)?;
    if let Some(dir) = &args.submissions {
        return class(&catalogue, &selected, &roster, dir, &args.out);
    }
    let (dir, student) = match &args.submission {
        Some(dir) => {
            if !dir.join("exercises").is_dir() {
                return Err(Error::new(format!("{} is not a course folder: it has no `exercises/`", dir.display()))
                    .hint("point --submission at the root of a learner's copy of the course"));
            }
            (dir.clone(), args.student.clone().unwrap_or_else(|| folder_name(dir)))
        }
        None => (workspace::root(), args.student.clone().unwrap_or_else(|| "working tree".into())),
    };
    let graded = grade_one(&catalogue, &selected, &roster, &dir, &student)?;
    print!("{}", human(&graded));
    if let Some(file) = &args.junit {
        write(file, &junit::render(&graded))?;
    }
    if let Some(file) = &args.gradescope {
        write(file, &gradescope::render(&graded))?;
    }
    if let Some(file) = &args.json {
        write(file, &graded.report.json())?;
    }
    Ok(exit::SUCCESS)
}

/// Variables that could change a build or a verdict are not the grader's
/// caller's to set: build flags and profile overrides (`CARGO_*`,
/// `RUSTFLAGS`), and what the checks read (`INSTA_*`, `PROPTEST_*`,
/// `RAYON_*`; the runner also clears those for every check process).
fn fix_environment() {
    let keep = ["CARGO", "CARGO_HOME"];
    let unwanted: Vec<_> = std::env::vars_os()
        .filter_map(|(key, _)| key.into_string().ok())
        .filter(|key| {
            let prefixed = ["CARGO_", "INSTA_", "PROPTEST_", "RAYON_"].iter().any(|p| key.starts_with(p));
            let flags = matches!(key.as_str(), "RUSTFLAGS" | "RUSTDOCFLAGS" | "RUSTC_BOOTSTRAP");
            (prefixed || flags) && !keep.contains(&key.as_str())
        })
        .collect();
    for key in unwanted {
        // SAFETY: called first thing in `run`, while this process has one
        // thread: nothing reads the environment concurrently.
        unsafe { std::env::remove_var(key) };
    }
}

/// Which checks each exercise has: listed by the check binaries built
/// against the reference solutions. Learner code never decides what an
/// exercise is worth.
fn roster(selected: &[&Exercise]) -> Result<BTreeMap<String, Vec<CheckInfo>>> {
    let root = workspace::root();
    if let Some(missing) = selected.iter().find(|e| !root.join("solutions").join(&e.name).is_dir()) {
        return Err(Error::new(format!("the reference solution of `{}` is missing", missing.name))
            .hint("grade from the instructor's copy of the course, which has `solutions/`"));
    }
    let mut built = compile::build(&root, selected, Against::Solution, Variant::Ordinary, false)?;
    let mut roster = BTreeMap::new();
    for exercise in selected {
        let checks = match built.remove(&exercise.name) {
            Some(Built::Binary(binary)) => runner::list(&binary)?,
            Some(Built::Broken(error)) => {
                return Err(Error::new(format!("the checks of `{}` do not build", exercise.name))
                    .cause(error)
                    .hint("the course itself is broken here: `cargo xtask verify` shows what is wrong"));
            }
            None => return Err(Error::new(format!("the build produced no checks for `{}`", exercise.name))),
        };
        for name in exercise.points.checks.keys() {
            if !checks.iter().any(|c| &c.name == name) {
                return Err(Error::new(format!(
                    "the catalogue gives points to `{name}`, which `{}` does not have",
                    exercise.name
                ))
                .hint("correct the check's name under `points.checks` in exercises/catalogue.toml"));
            }
        }
        roster.insert(exercise.name.clone(), checks);
    }
    Ok(roster)
}

/// Grades the submission in `dir`: its learner surface, laid into a copy of
/// this workspace.
fn grade_one(
    catalogue: &Catalogue,
    selected: &[&Exercise],
    roster: &BTreeMap<String, Vec<CheckInfo>>,
    dir: &Path,
    student: &str,
) -> Result<Graded> {
    let started = Instant::now();
    let root = workspace::root();
    let working_tree = fs::canonicalize(dir).ok() == fs::canonicalize(&root).ok();
    let changed = if working_tree { Vec::new() } else { integrity::changed_trusted(&root, dir)? };

    // Learner code is read once, within limits, and staged as read.
    let names: Vec<&str> = selected.iter().map(|e| e.name.as_str()).collect();
    let admission = admit::submission(&names, dir);
    let mut refused: BTreeMap<&str, Refusal> = BTreeMap::new();
    for name in &admission.missing {
        refused.insert(name, Refusal::NotSubmitted);
    }
    for (name, why) in &admission.rejected {
        refused.insert(name, Refusal::Rejected(why.clone()));
    }
    let sources: Vec<(&str, Source<'_>)> =
        admission.sources.iter().map(|(name, files)| (name.as_str(), Source::Admitted(files))).collect();
    let judged: Vec<&Exercise> = selected.iter().copied().filter(|e| !refused.contains_key(e.name.as_str())).collect();
    let mut verdicts: BTreeMap<String, ExerciseReport> = BTreeMap::new();
    if !judged.is_empty() {
        // A folder of this submission's own, removed when it is graded.
        let stage = stage::submission(catalogue, &sources)?;
        for report in check::judge(&stage, &judged, Against::Learner, false, "no")? {
            verdicts.insert(report.name.clone(), report);
        }
    }

    let mut exercises = Vec::new();
    let mut reports = Vec::new();
    for exercise in selected {
        let checks = &roster[&exercise.name];
        let refusal = refused.remove(exercise.name.as_str());
        let report = match (&refusal, verdicts.remove(&exercise.name)) {
            (None, Some(report)) => report,
            (refusal, _) => {
                let why = match refusal {
                    Some(Refusal::Rejected(why)) => format!("rejected: {why}"),
                    _ => format!("not submitted: the submission has no exercises/{}/src/", exercise.name),
                };
                ExerciseReport::new(exercise, checks.iter().map(|info| refused_check(info, &why)).collect())
            }
        };
        exercises.push(ExerciseGrade {
            name: exercise.name.clone(),
            checks: score_checks(exercise, checks, &report),
            refused: refusal,
        });
        reports.push(report);
    }
    let all: Vec<&Exercise> = catalogue.exercises.iter().collect();
    Ok(Graded {
        student: student.to_string(),
        exercises,
        changed,
        skipped: admission.skipped,
        report: Report::new(reports, &all),
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn refused_check(info: &CheckInfo, why: &str) -> CheckReport {
    let mut check = CheckReport::broken_build("");
    check.name = info.name.clone();
    check.kind = info.kind;
    check.message = why.to_string();
    check
}

/// Points for every check of the roster, from the verdicts in `report`.
fn score_checks(exercise: &Exercise, roster: &[CheckInfo], report: &ExerciseReport) -> Vec<CheckGrade> {
    let broken = report.checks.iter().find(|c| c.kind == CheckKind::Build);
    roster
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let max = exercise.points.of(&info.name, info.kind);
            let (score, message) = match (report.checks.iter().find(|c| c.name == info.name), broken) {
                (Some(check), _) => {
                    let mut message = check.message.clone();
                    let score = score::score(max, info.kind, check.status, check.figures.as_ref());
                    if let (Status::Fail, Score::Points(points), Some(f)) = (check.status, score, &check.figures)
                        && points > 0.0
                    {
                        let _ = write!(
                            message,
                            "\npartial credit: {:.2}x of the {:.2}x required, more than half the required gain",
                            f.speedup, f.required
                        );
                    }
                    (score, message)
                }
                // The build that runs this check failed: every check it
                // would have run earns nothing, and the first one says why.
                (None, Some(build)) => {
                    let message = if i == 0 {
                        build.message.clone()
                    } else {
                        "the code does not compile (the first check shows the error)".to_string()
                    };
                    (Score::Points(0.0), message)
                }
                (None, None) => (Score::Points(0.0), "the check did not run".to_string()),
            };
            CheckGrade { name: info.name.clone(), kind: info.kind, max, score, message }
        })
        .collect()
}

impl CheckGrade {
    /// Decided points; `None` while inconclusive.
    pub fn points(&self) -> Option<f64> {
        match self.score {
            Score::Points(points) => Some(points),
            Score::Inconclusive => None,
        }
    }
}

impl ExerciseGrade {
    pub fn points(&self) -> f64 {
        self.checks.iter().filter_map(CheckGrade::points).sum()
    }

    pub fn max(&self) -> u32 {
        self.checks.iter().map(|c| c.max).sum()
    }

    /// Points not decided: checks to run again.
    pub fn undecided(&self) -> u32 {
        self.checks.iter().filter(|c| c.score == Score::Inconclusive).map(|c| c.max).sum()
    }

    /// `graded`, `inconclusive`, `rejected` or `not submitted`.
    pub fn state(&self) -> &'static str {
        match &self.refused {
            Some(Refusal::Rejected(_)) => "rejected",
            Some(Refusal::NotSubmitted) => "not submitted",
            None if self.undecided() > 0 => "inconclusive",
            None => "graded",
        }
    }
}

impl Graded {
    pub fn points(&self) -> f64 {
        self.exercises.iter().map(ExerciseGrade::points).sum()
    }

    pub fn max(&self) -> u32 {
        self.exercises.iter().map(ExerciseGrade::max).sum()
    }

    pub fn undecided(&self) -> u32 {
        self.exercises.iter().map(ExerciseGrade::undecided).sum()
    }

    /// What an instructor must know beyond the points: re-runs, rejections,
    /// changed trusted files. Empty when there is nothing to say.
    pub fn notes(&self) -> String {
        let mut out = String::new();
        if self.undecided() > 0 {
            let _ = writeln!(
                out,
                "INCONCLUSIVE: {} points could not be decided (a speedup this machine could not measure): \
                 grade this submission again, on a quieter machine; this is not the final score.",
                self.undecided()
            );
        }
        for exercise in &self.exercises {
            if let Some(Refusal::Rejected(why)) = &exercise.refused {
                let _ = writeln!(out, "{} rejected: {why}", exercise.name);
            }
        }
        for skipped in &self.skipped {
            let _ = writeln!(out, "{} was left out: {}", skipped.path, skipped.why);
        }
        if !self.changed.is_empty() {
            let _ = writeln!(
                out,
                "Files outside the learner surface differ from the course's; grading used the course's own:"
            );
            for change in &self.changed {
                let _ = writeln!(out, "  {} ({})", change.path, change.what);
            }
        }
        out
    }
}

/// The summary on stdout.
fn human(graded: &Graded) -> String {
    let mut out = format!("grade of {}: {} of {} points", graded.student, show(graded.points()), graded.max());
    if graded.undecided() > 0 {
        let _ = write!(out, " ({} points inconclusive: grade again)", graded.undecided());
    }
    out.push('\n');
    for exercise in &graded.exercises {
        let _ = write!(out, "  {:<32} {:>6}/{}", exercise.name, show(exercise.points()), exercise.max());
        match exercise.state() {
            "graded" => {}
            state => {
                let _ = write!(out, " {state}");
            }
        }
        out.push('\n');
        if exercise.refused.is_some() {
            continue;
        }
        for check in exercise.checks.iter().filter(|c| c.points() != Some(f64::from(c.max))) {
            let points = check.points().map_or("inconclusive".to_string(), |p| format!("{}/{}", show(p), check.max));
            let _ = writeln!(out, "      {} [{}] {points}", check.name, check.kind.name());
            for line in check.message.lines().take(3) {
                let _ = writeln!(out, "          {line}");
            }
        }
    }
    out.push_str(&graded.notes());
    out
}

/// Grades every folder in `dir`, one at a time, into `out`.
fn class(
    catalogue: &Catalogue,
    selected: &[&Exercise],
    roster: &BTreeMap<String, Vec<CheckInfo>>,
    dir: &Path,
    out: &Path,
) -> Result<u8> {
    let mut folders: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Error::io("read", dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir() && !folder_name(path).starts_with('.'))
        .collect();
    folders.sort();
    if folders.is_empty() {
        return Err(Error::new(format!("{} holds no submission folders", dir.display()))
            .hint("put each student's copy of the course in a folder of its own, named after the student"));
    }
    let mut csv = String::from("student,exercise,points,max_points,status\n");
    let mut summary = String::new();
    let mut all = Vec::new();
    for (i, folder) in folders.iter().enumerate() {
        let student = folder_name(folder);
        eprintln!("grading {student} ({} of {})…", i + 1, folders.len());
        let graded = grade_one(catalogue, selected, roster, folder, &student)?;
        let into = out.join(&student);
        write(&into.join("summary.txt"), &human(&graded))?;
        write(&into.join("junit.xml"), &junit::render(&graded))?;
        write(&into.join("results.json"), &gradescope::render(&graded))?;
        write(&into.join("check.json"), &graded.report.json())?;
        for exercise in &graded.exercises {
            let _ = writeln!(
                csv,
                "{},{},{},{},{}",
                csv_field(&student),
                exercise.name,
                show(exercise.points()),
                exercise.max(),
                exercise.state()
            );
        }
        let mut flags = Vec::new();
        if graded.undecided() > 0 {
            flags.push(format!("{} points inconclusive: grade again", graded.undecided()));
        }
        let rejected = graded.exercises.iter().filter(|e| e.state() == "rejected").count();
        if rejected > 0 {
            flags.push(format!("{rejected} exercises rejected"));
        }
        if !graded.changed.is_empty() {
            flags.push(format!("{} trusted files changed", graded.changed.len()));
        }
        let _ = writeln!(
            summary,
            "{student:<24} {:>7}/{:<4} {:>6.1} s  {}",
            show(graded.points()),
            graded.max(),
            graded.seconds,
            flags.join("; ")
        );
        all.push(graded);
    }
    let undecided = all.iter().filter(|g| g.undecided() > 0).count();
    let _ = writeln!(summary, "\n{} submissions graded; reports in {}", all.len(), out.display());
    if undecided > 0 {
        let _ = writeln!(summary, "{undecided} have inconclusive points: grade those again before publishing.");
    }
    write(&out.join("class.csv"), &csv)?;
    write(&out.join("summary.txt"), &summary)?;
    print!("{summary}");
    Ok(exit::SUCCESS)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

fn folder_name(dir: &Path) -> String {
    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    canonical.file_name().map_or_else(|| "submission".to_string(), |n| n.to_string_lossy().into_owned())
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    fs::write(path, text).map_err(|e| Error::io("write", path, e))
}
