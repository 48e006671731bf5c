//! Judging: compile → run → results, for every command that grades code
//! (`check`, `watch`, `grade`, `verify`).
//!
//! Each check crate is built twice: against the code under test (the
//! *subject*, in the learner's copy or a stage of it) and against the
//! reference solution (the *judge*, always in the course's own workspace and
//! target folder, so that no submission can reach it). Judged checks run
//! between the two; the others in the subject alone.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use grading_kit::protocol::{CheckInfo, CheckKind};

use crate::catalogue::Exercise;
use crate::compile::{self, Against, Built, Variant};
use crate::course::Course;
use crate::error::{Error, Result};
use crate::report::{CheckReport, ExerciseReport};
use crate::runner::{self, Binaries, Snapshots};
use crate::stage::{self, Source};
use crate::style;

/// A judging session: the judge binaries are built once and serve every
/// subject judged in it (`verify` judges the stubs and every fixture wave).
pub struct Judge<'a> {
    course: &'a Course,
    snapshots: Snapshots,
    show_progress: bool,
    judges: BTreeMap<String, std::result::Result<PathBuf, String>>,
}

/// Whose code a judging runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Subject<'p> {
    /// The learner's crates of the workspace, or of a stage, at this root.
    Learner(&'p Path),
    /// The reference solutions: one binary serves as subject and judge.
    Solutions,
}

impl<'a> Judge<'a> {
    pub fn new(course: &'a Course, snapshots: Snapshots, show_progress: bool) -> Self {
        Judge { course, snapshots, show_progress, judges: BTreeMap::new() }
    }

    /// Builds and runs the checks of `exercises` on `subject`.
    pub fn judge(&mut self, subject: Subject<'_>, exercises: &[&Exercise]) -> Result<Vec<ExerciseReport>> {
        let (root, against) = match subject {
            Subject::Learner(root) => (root, Against::Learner),
            Subject::Solutions => (self.course.root.as_path(), Against::Solution),
        };
        if against == Against::Learner {
            self.build_judges(exercises)?;
        }
        let mut subjects =
            compile::build(self.course, root, exercises, against, Variant::Ordinary, self.show_progress)?;
        if against == Against::Solution {
            self.keep_judges(exercises, &subjects)?;
        }
        let mut results: Vec<(Vec<CheckReport>, Vec<CheckInfo>)> = Vec::new();
        for exercise in exercises {
            let mut checks = Vec::new();
            let mut to_explore = Vec::new();
            match subjects.remove(&exercise.name) {
                Some(Built::Binary(subject)) => {
                    let judge = self.judge_of(exercise)?;
                    for info in runner::list(&judge)? {
                        if info.kind == CheckKind::Explore {
                            to_explore.push(info);
                            continue;
                        }
                        let binaries = Binaries { subject: &subject, judge: &judge };
                        self.run_check(exercise, binaries, &info, &mut checks)?;
                    }
                }
                Some(Built::Broken { error, location }) => checks.push(CheckReport::broken_build(&error, location)),
                None => checks.push(CheckReport::broken_build("the build produced nothing for this exercise", None)),
            }
            results.push((checks, to_explore));
        }

        // Schedule exploration needs a build of its own, with shuttle's types
        // in place of std's; it runs in the subject alone, after every
        // ordinary check.
        let explorable: Vec<&Exercise> =
            exercises.iter().zip(&results).filter(|(_, (_, explore))| !explore.is_empty()).map(|(e, _)| *e).collect();
        if !explorable.is_empty() {
            let mut built =
                compile::build(self.course, root, &explorable, against, Variant::Explore, self.show_progress)?;
            for (exercise, (checks, to_explore)) in exercises.iter().zip(&mut results) {
                match built.remove(&exercise.name) {
                    Some(Built::Binary(subject)) => {
                        for info in to_explore.iter() {
                            let binaries = Binaries { subject: &subject, judge: &subject };
                            self.run_check(exercise, binaries, info, checks)?;
                        }
                    }
                    Some(Built::Broken { error, location }) => checks.push(CheckReport::broken_build(&error, location)),
                    None => {}
                }
            }
        }
        Ok(exercises.iter().zip(results).map(|(exercise, (checks, _))| ExerciseReport::new(exercise, checks)).collect())
    }

    /// Which checks each exercise has, as its judge lists them: learner code
    /// never decides what an exercise is worth.
    pub fn roster(&mut self, exercises: &[&Exercise]) -> Result<BTreeMap<String, Vec<CheckInfo>>> {
        self.build_judges(exercises)?;
        exercises.iter().map(|e| Ok((e.name.clone(), runner::list(&self.judge_of(e)?)?))).collect()
    }

    /// The judge binaries of `exercises` not built yet in this session, in
    /// one cargo invocation.
    fn build_judges(&mut self, exercises: &[&Exercise]) -> Result<()> {
        let missing: Vec<&Exercise> =
            exercises.iter().copied().filter(|e| !self.judges.contains_key(&e.name)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let built = compile::build(
            self.course,
            &self.course.root,
            &missing,
            Against::Solution,
            Variant::Ordinary,
            self.show_progress,
        )?;
        self.keep_judges(&missing, &built)
    }

    /// Keeps the judge binaries apart from the target folder, where the
    /// subject build of the same crates replaces them.
    fn keep_judges(&mut self, exercises: &[&Exercise], built: &BTreeMap<String, Built>) -> Result<()> {
        for exercise in exercises {
            let judge = match built.get(&exercise.name) {
                Some(Built::Binary(binary)) => {
                    let kept = self.course.judges_dir().join(binary.file_name().expect("a binary has a name"));
                    compile::keep(binary, &kept)?;
                    Ok(kept)
                }
                Some(Built::Broken { error, .. }) => Err(error.clone()),
                None => Err("the build produced nothing".to_string()),
            };
            self.judges.insert(exercise.name.clone(), judge);
        }
        Ok(())
    }

    fn judge_of(&self, exercise: &Exercise) -> Result<PathBuf> {
        match self.judges.get(&exercise.name) {
            Some(Ok(judge)) => Ok(judge.clone()),
            Some(Err(error)) => Err(Error::new(format!("the checks of `{}` do not build", exercise.name))
                .cause(error)
                .hint("the course itself is broken here: `cargo xtask verify` shows what is wrong")),
            None => Err(Error::new(format!("no judge was built for `{}`", exercise.name))),
        }
    }

    /// Runs one check, unless an earlier one of the same exercise hung: code
    /// that hung once will hang again, and waiting out the watchdog for
    /// every other check only delays the lesson.
    fn run_check(
        &self,
        exercise: &Exercise,
        binaries: Binaries<'_>,
        info: &CheckInfo,
        checks: &mut Vec<CheckReport>,
    ) -> Result<()> {
        // An exploration check runs in a build of its own, where the explorer
        // finds deadlocks instead of hanging on them: it still has its say.
        if let Some(hung) = checks.iter().find(|c| c.timed_out()).filter(|_| info.kind != CheckKind::Explore) {
            checks.push(CheckReport::not_run(info, &hung.name));
            return Ok(());
        }
        let doing = if info.kind == CheckKind::Speedup { "measuring the speedup of" } else { "checking" };
        let show = self.show_progress && std::io::stderr().is_terminal();
        let activity = style::Activity::start(&format!("{doing} {}: {}", exercise.name, info.name), show);
        let ran = runner::run(binaries, info, self.snapshots)?;
        drop(activity);
        checks.push(CheckReport::from_ran(info, ran));
        Ok(())
    }
}

/// Where the learner's code is built: this workspace, or, when the learner's
/// copy of the course is elsewhere (the runner's own tests), a stage of it.
pub fn learner_root(course: &Course) -> Result<PathBuf> {
    if course.learner_is_workspace() { Ok(course.root.clone()) } else { submission_root(course, &course.learner) }
}

/// Lays a submission's learner code into a trusted copy of this workspace.
pub fn submission_root(course: &Course, dir: &Path) -> Result<PathBuf> {
    if !dir.join("exercises").is_dir() {
        return Err(Error::new(format!("{} is not a course folder: it has no `exercises/`", dir.display()))
            .hint("point --submission at the root of a learner's copy of the course"));
    }
    // An exercise the submission does not have keeps this workspace's code.
    let sources: Vec<(&str, Source<'_>)> = course
        .catalogue
        .exercises
        .iter()
        .map(|e| (e.name.as_str(), dir.join("exercises").join(&e.name).join("src")))
        .filter(|(_, src)| src.is_dir())
        .map(|(name, src)| (name, Source::Dir(src)))
        .collect();
    stage::prepare(course, &sources)
}
