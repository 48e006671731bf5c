//! `cargo xtask check`: build, run every check, report.

use std::io::IsTerminal;
use std::path::Path;

use grading_kit::protocol::{CheckInfo, CheckKind, Status};

use crate::admit;
use crate::catalogue::{Catalogue, Exercise};
use crate::compile::{self, Against, Built, Variant};
use crate::flags::{CheckArgs, Format};
use crate::progress::{self, Entry};
use crate::report::{CheckReport, ExerciseReport, Report};
use crate::stage;
use crate::workspace::{self, Error, Result};
use crate::{exit, runner, style};

pub fn run(args: &CheckArgs) -> Result<u8> {
    let catalogue = Catalogue::load()?;
    let selected: Vec<&Exercise> = if args.exercises.is_empty() {
        catalogue.exercises.iter().collect()
    } else {
        args.exercises.iter().map(|name| catalogue.find(name)).collect::<Result<_>>()?
    };
    let _lock = exclusive()?;
    let course = progress::course_dir();
    let (root, against) = if let Some(dir) = &args.submission {
        (stage_submission(&catalogue, dir)?, Against::Learner)
    } else if !args.solutions && course != workspace::root() {
        (learner_root(&catalogue)?, Against::Learner)
    } else if args.solutions {
        (workspace::root(), Against::Solution)
    } else {
        (workspace::root(), Against::Learner)
    };
    let human = args.format == Format::Human;
    let insta_update = if args.bless { "always" } else { "no" };
    // Taken before the build: a save during the check belongs to the next one.
    let sources: Vec<Option<String>> = selected.iter().map(|e| source_fingerprint(&e.name)).collect();
    let reports = judge(&root, &selected, against, human, insta_update)?;
    let learner = against == Against::Learner && args.submission.is_none();
    if learner {
        progress::record(reports.iter().zip(sources).map(|(r, source)| (r.name.clone(), progress_entry(r, source))));
    }
    let all: Vec<&Exercise> = catalogue.exercises.iter().collect();
    let report = Report::new(reports, &all);
    match args.format {
        Format::Human => print!("{}", report.human(learner)),
        Format::Json => println!("{}", report.json()),
    }
    Ok(exit_status(&report))
}

/// The fingerprint of the learner's code of exercise `name`, as it is now.
pub fn source_fingerprint(name: &str) -> Option<String> {
    progress::fingerprint(&progress::course_dir().join("exercises").join(name).join("src"))
}

/// What the progress file keeps of a learner's verdict.
pub fn progress_entry(report: &ExerciseReport, source: Option<String>) -> Entry {
    Entry { status: report.status, best_speedup: report.speedup(), source }
}

/// Builds and runs the checks of `exercises` in the workspace at `root`.
///
/// `insta_update` is `no` except when a maintainer blesses new snapshots.
pub fn judge(
    root: &Path,
    exercises: &[&Exercise],
    against: Against,
    show_progress: bool,
    insta_update: &str,
) -> Result<Vec<ExerciseReport>> {
    let mut built = compile::build(root, exercises, against, Variant::Ordinary, show_progress)?;
    let show_progress = show_progress && std::io::stderr().is_terminal();
    let mut results: Vec<(Vec<CheckReport>, Vec<CheckInfo>)> = Vec::new();
    for exercise in exercises {
        let mut checks: Vec<CheckReport> = Vec::new();
        let mut to_explore = Vec::new();
        match built.remove(&exercise.name) {
            Some(Built::Binary(binary)) => {
                for info in runner::list(&binary)? {
                    if info.kind == CheckKind::Explore {
                        to_explore.push(info);
                        continue;
                    }
                    run_check(exercise, &binary, &info, &mut checks, insta_update, show_progress)?;
                }
            }
            Some(Built::Broken(error)) => checks.push(CheckReport::broken_build(&error)),
            None => checks.push(CheckReport::broken_build("the build produced nothing for this exercise")),
        }
        results.push((checks, to_explore));
    }

    // Schedule exploration needs a build of its own, with shuttle's types in
    // place of std's; it runs after every ordinary check, as it replaces the
    // ordinary binaries.
    let explorable: Vec<&Exercise> =
        exercises.iter().zip(&results).filter(|(_, (_, explore))| !explore.is_empty()).map(|(e, _)| *e).collect();
    if !explorable.is_empty() {
        let mut built = compile::build(root, &explorable, against, Variant::Explore, show_progress)?;
        for (exercise, (checks, to_explore)) in exercises.iter().zip(&mut results) {
            match built.remove(&exercise.name) {
                Some(Built::Binary(binary)) => {
                    for info in to_explore.iter() {
                        run_check(exercise, &binary, info, checks, insta_update, show_progress)?;
                    }
                }
                Some(Built::Broken(error)) => checks.push(CheckReport::broken_build(&error)),
                None => {}
            }
        }
    }
    Ok(exercises.iter().zip(results).map(|(exercise, (checks, _))| ExerciseReport::new(exercise, checks)).collect())
}

/// Runs one check, unless an earlier one of the same exercise hung: code
/// that hung once will hang again, and waiting out the watchdog for every
/// other check only delays the lesson.
fn run_check(
    exercise: &Exercise,
    binary: &Path,
    info: &CheckInfo,
    checks: &mut Vec<CheckReport>,
    insta_update: &str,
    show_progress: bool,
) -> Result<()> {
    // An exploration check runs in a build of its own, where the explorer
    // finds deadlocks instead of hanging on them: it still has its say.
    if let Some(hung) = checks.iter().find(|c| c.timed_out).filter(|_| info.kind != CheckKind::Explore) {
        checks.push(CheckReport::not_run(info, &hung.name));
        return Ok(());
    }
    let doing = if info.kind == CheckKind::Speedup { "measuring the speedup of" } else { "checking" };
    let activity = style::Activity::start(&format!("{doing} {}: {}", exercise.name, info.name), show_progress);
    let ran = runner::run(binary, info, insta_update)?;
    drop(activity);
    checks.push(CheckReport::from_ran(info, ran));
    Ok(())
}

/// Where the learner's code is built: this workspace, or, when
/// `XTASK_COURSE_DIR` points at a learner's copy of the course elsewhere (the
/// runner's own tests), a stage of that copy.
pub fn learner_root(catalogue: &Catalogue) -> Result<std::path::PathBuf> {
    let course = progress::course_dir();
    if course == workspace::root() { Ok(course) } else { stage_submission(catalogue, &course) }
}

/// Lays a submission's learner code into a trusted copy of this workspace.
pub fn stage_submission(catalogue: &Catalogue, dir: &Path) -> Result<std::path::PathBuf> {
    if !dir.join("exercises").is_dir() {
        return Err(Error::new(format!("{} is not a course folder: it has no `exercises/`", dir.display()))
            .hint("point --submission at the root of a learner's copy of the course"));
    }
    // Read within limits and scanned; a rejected exercise is staged as a
    // build error that says why. An exercise the submission does not have
    // keeps this workspace's code.
    let names: Vec<&str> = catalogue.exercises.iter().map(|e| e.name.as_str()).collect();
    let admission = admit::submission(&names, dir);
    eprint!("{}", admission.notes());
    stage::prepare(catalogue, &admission.stage_sources())
}

/// One check run at a time on this machine: speedup is measured on a machine
/// that no other check of ours is loading.
pub fn exclusive() -> Result<std::fs::File> {
    let dir = workspace::scratch();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    let path = dir.join("lock");
    let file = std::fs::File::create(&path).map_err(|e| Error::io("create", &path, e))?;
    if file.try_lock().is_err() {
        eprintln!("waiting for another `cargo xtask` run to finish…");
        file.lock().map_err(|e| Error::io("lock", &path, e))?;
    }
    Ok(file)
}

fn exit_status(report: &Report) -> u8 {
    let statuses = || report.exercises.iter().map(|e| e.status);
    if statuses().any(|s| s == Status::Fail) {
        exit::FAILED
    } else if statuses().any(|s| s == Status::Inconclusive) {
        exit::INCONCLUSIVE
    } else {
        exit::SUCCESS
    }
}

/// Whether `report` has a failing check of `kind` whose message says `says`.
pub fn fails_with(report: &ExerciseReport, kind: &str, says: &str) -> bool {
    report.checks.iter().any(|c| {
        let kind_matches = match kind {
            "timeout" => c.timed_out,
            _ => c.kind.name() == kind && !c.timed_out,
        };
        c.status == Status::Fail && kind_matches && c.message.to_lowercase().contains(&says.to_lowercase())
    })
}

/// Whether the speedup check of `report` could not decide.
pub fn speedup_inconclusive(report: &ExerciseReport) -> bool {
    report.checks.iter().any(|c| c.kind == CheckKind::Speedup && c.status == Status::Inconclusive)
}
