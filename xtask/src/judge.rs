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
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use grading_kit::protocol::{CheckInfo, CheckKind};

use crate::admit;
use crate::catalogue::Exercise;
use crate::compile::{self, Against, Built, Variant};
use crate::course::Course;
use crate::error::{Error, Result};
use crate::report::{CheckReport, ExerciseReport};
use crate::runner::{self, Binaries, Ran, Snapshots};
use crate::stage::{self, Stage};
use crate::style;

mod untouched;

use untouched::{Identity, Untouched};

/// A judging session: the judge binaries are built once and serve every
/// subject judged in it (`verify` judges the stubs and every fixture wave).
pub struct Judge<'a> {
    course: &'a Course,
    snapshots: Snapshots,
    show_progress: bool,
    judges: BTreeMap<String, std::result::Result<PathBuf, String>>,
    /// How one check is run: the runner's, except in this module's tests.
    run: fn(Binaries<'_>, &CheckInfo, Snapshots) -> Result<Ran>,
}

/// One exercise judged.
pub struct Judged {
    pub report: ExerciseReport,
    /// Why its code was rejected after the build, when it was: the compiler
    /// read files outside its `src/`. Its checks are then refused, unrun.
    pub rejected: Option<String>,
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
        Judge { course, snapshots, show_progress, judges: BTreeMap::new(), run: runner::run }
    }

    /// Builds and runs the checks of `exercises` on `subject`.
    ///
    /// Three phases: property and snapshot checks, exercises side by side
    /// (as many at once as there are cores); then, one at a time, speedup
    /// checks, which measure and so must run alone; then the exploration
    /// build and its checks, one at a time too, as the explorer's budget is
    /// a wall-clock one.
    pub fn judge(&mut self, subject: Subject<'_>, exercises: &[&Exercise]) -> Result<Vec<ExerciseReport>> {
        Ok(self.judged(subject, exercises)?.into_iter().map(|judged| judged.report).collect())
    }

    /// [`Judge::judge`], with each exercise's rejection typed apart (what
    /// `grade` scores as a rejected exercise).
    pub fn judged(&mut self, subject: Subject<'_>, exercises: &[&Exercise]) -> Result<Vec<Judged>> {
        let every: Vec<(&Exercise, Scope)> = exercises.iter().map(|e| (*e, every_check as Scope)).collect();
        self.judged_within(subject, &every)
    }

    /// [`Judge::judge`], running of each exercise only the checks its scope
    /// picks (the others are left out of its report). `verify` proves that a
    /// fixture fails the kind of check the catalogue names: it needs no
    /// speedup measured for a fixture meant to fail a property, nor an
    /// exploration build for one meant to fail a speedup check.
    pub fn judge_within(
        &mut self,
        subject: Subject<'_>,
        exercises: &[(&Exercise, Scope)],
    ) -> Result<Vec<ExerciseReport>> {
        Ok(self.judged_within(subject, exercises)?.into_iter().map(|judged| judged.report).collect())
    }

    fn judged_within(&mut self, subject: Subject<'_>, scoped: &[(&Exercise, Scope)]) -> Result<Vec<Judged>> {
        let exercises: Vec<&Exercise> = scoped.iter().map(|(e, _)| *e).collect();
        let exercises = exercises.as_slice();
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
        // What the build left, before any learner code runs (see `untouched`):
        // in a stage's target folder, which only the xtask builds in, under
        // its lock.
        let build_dir = self.course.target_for(root).join("grade");
        let watched = against == Against::Learner && self.course.target_for(root) != self.course.target;
        let mut untouched = watched.then(|| Untouched::note(&build_dir));
        let mut exams = Vec::new();
        for &(exercise, scope) in scoped {
            let mut exam =
                Exam { exercise, binaries: None, built: None, slots: Vec::new(), broken: Vec::new(), rejected: None };
            match subjects.remove(&exercise.name) {
                Some(Built::Binary(subject)) => {
                    let judge = self.judge_of(exercise)?;
                    exam.slots = unrun(&judge)?;
                    exam.slots.retain(|(info, _)| scope(info.kind));
                    exam.built = Identity::of(&subject);
                    exam.binaries = Some((subject, judge));
                }
                Some(Built::Broken { error, location }) => {
                    exam.broken.push(CheckReport::broken_build(&with_lesson(exercise, error), location))
                }
                Some(Built::Rejected(why)) => {
                    exam.slots = unrun(&self.judge_of(exercise)?)?;
                    exam.slots.retain(|(info, _)| scope(info.kind));
                    exam.reject(why);
                }
                None => {
                    exam.broken.push(CheckReport::broken_build("the build produced nothing for this exercise", None))
                }
            }
            exams.push(exam);
        }

        self.run_side_by_side(&mut exams, |kind| !matches!(kind, CheckKind::Speedup | CheckKind::Explore))?;
        for exam in &mut exams {
            self.run_phase(exam, |kind| kind == CheckKind::Speedup)?;
        }

        // Schedule exploration needs a build of its own, with shuttle's types
        // in place of std's; it runs in the subject alone.
        exams.iter_mut().for_each(Exam::explore_only_once_started);
        let explorable: Vec<&Exercise> = exams
            .iter()
            .filter(|exam| exam.rejected.is_none())
            .filter(|exam| exam.slots.iter().any(|(info, done)| info.kind == CheckKind::Explore && done.is_none()))
            .map(|exam| exam.exercise)
            .collect();
        if !explorable.is_empty() {
            undo_changes(untouched.take());
            let mut built =
                compile::build(self.course, root, &explorable, against, Variant::Explore, self.show_progress)?;
            untouched = watched.then(|| Untouched::note(&build_dir));
            for exam in &mut exams {
                match built.remove(&exam.exercise.name) {
                    Some(Built::Binary(subject)) => {
                        exam.built = Identity::of(&subject);
                        exam.binaries = Some((subject.clone(), subject));
                        self.run_phase(exam, |kind| kind == CheckKind::Explore)?;
                    }
                    Some(Built::Broken { error, location }) => {
                        exam.broken.push(CheckReport::broken_build(&error, location))
                    }
                    Some(Built::Rejected(why)) => exam.reject(why),
                    None => {}
                }
            }
        }
        undo_changes(untouched);
        Ok(exams.into_iter().map(Exam::judged).collect())
    }

    /// Runs the checks of the kinds `which` picks, one worker per core, each
    /// taking the next exercise and running its checks in order.
    fn run_side_by_side(&self, exams: &mut [Exam<'_>], which: fn(CheckKind) -> bool) -> Result<()> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = cores.min(exams.len());
        if workers <= 1 {
            return exams.iter_mut().try_for_each(|exam| self.run_phase(exam, which));
        }
        let show = self.show_progress && std::io::stderr().is_terminal();
        let _activity =
            style::Activity::start(&format!("checking {} exercises, {workers} at a time", exams.len()), show);
        let queue: Vec<Mutex<&mut Exam<'_>>> = exams.iter_mut().map(Mutex::new).collect();
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| -> Result<()> {
                        while let Some(exam) = queue.get(next.fetch_add(1, Ordering::Relaxed)) {
                            let mut exam = exam.lock().expect("each exam has one worker");
                            self.run_checks(&mut exam, which, false)?;
                        }
                        Ok(())
                    })
                })
                .collect();
            handles.into_iter().try_for_each(|worker| worker.join().expect("a worker does not panic"))
        })
    }

    fn run_phase(&self, exam: &mut Exam<'_>, which: fn(CheckKind) -> bool) -> Result<()> {
        self.run_checks(exam, which, self.show_progress && std::io::stderr().is_terminal())
    }

    /// Runs the checks of `exam` that `which` picks, in order, unless an
    /// earlier one of the same exercise hung: code that hung once will hang
    /// again, and waiting out the watchdog for every other check only delays
    /// the lesson.
    fn run_checks(&self, exam: &mut Exam<'_>, which: fn(CheckKind) -> bool, show: bool) -> Result<()> {
        let Some((subject, judge)) = exam.binaries.clone() else { return Ok(()) };
        for i in 0..exam.slots.len() {
            let info = &exam.slots[i].0;
            if !which(info.kind) || exam.slots[i].1.is_some() {
                continue;
            }
            let hung =
                exam.slots.iter().find_map(|(info, done)| done.as_ref().filter(|c| c.timed_out()).map(|_| &info.name));
            // An exploration check runs in a build of its own, where the
            // explorer finds deadlocks instead of hanging on them: it still
            // has its say.
            let report = match hung.filter(|_| info.kind != CheckKind::Explore) {
                Some(hung) => CheckReport::not_run(info, hung),
                // Learner code run before (a check of this or another
                // exercise) replaced or changed the binary: never run it.
                None if exam.built.is_some() && exam.built != Identity::of(&subject) => CheckReport::refused(
                    info,
                    "the check binary was changed after it was built, while checks ran: a check's code wrote to the \
                     build folder",
                ),
                None => {
                    let doing = if info.kind == CheckKind::Speedup { "measuring the speedup of" } else { "checking" };
                    let activity =
                        style::Activity::start(&format!("{doing} {}: {}", exam.exercise.name, info.name), show);
                    let started = std::time::Instant::now();
                    let ran = (self.run)(Binaries { subject: &subject, judge: &judge }, info, self.snapshots)?;
                    drop(activity);
                    style::timing(
                        || format!("run {} {:?} {}", exam.exercise.name, info.kind, info.name),
                        started.elapsed(),
                    );
                    CheckReport::from_ran(info, ran)
                }
            };
            exam.slots[i].1 = Some(report);
        }
        Ok(())
    }

    /// Judges the copy `copy` of `exercise` (see [`stage::Copy`]) with the
    /// exercise's judge, built if it is not yet.
    pub fn judge_copy_as(&mut self, copy: &str, exercise: &Exercise) -> Result<()> {
        self.build_judges(&[exercise])?;
        let judge = self.judges[&exercise.name].clone();
        self.judges.insert(copy.to_string(), judge);
        Ok(())
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
                Some(Built::Rejected(why)) => Err(why.clone()),
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
}

/// Which checks of an exercise a judging runs, by kind.
pub type Scope = fn(CheckKind) -> bool;

/// Every check: what a learner and a grade get.
pub fn every_check(_: CheckKind) -> bool {
    true
}

/// A build error, with where the lesson explains it when the exercise is
/// one whose stub the compiler refuses on purpose.
fn with_lesson(exercise: &Exercise, error: String) -> String {
    if !exercise.own_workspace {
        return error;
    }
    format!(
        "{}\n  = lesson: this exercise starts as code the compiler refuses; exercises/{}/README.md explains \
         each refusal and its fixes",
        error.trim_end(),
        exercise.name
    )
}

/// The checks `judge` lists, none run yet.
fn unrun(judge: &Path) -> Result<Vec<(CheckInfo, Option<CheckReport>)>> {
    Ok(runner::list(judge)?.into_iter().map(|info| (info, None)).collect())
}

/// Removes what learner code changed in the build folder while its checks
/// ran, with a warning: cargo builds it again next time.
fn undo_changes(untouched: Option<Untouched>) {
    let changed = untouched.map(|u| u.undo_changes()).unwrap_or_default();
    if !changed.is_empty() {
        eprintln!(
            "warning: {} files of the build folder changed while checks ran (a check's code wrote there; the sandbox \
             is off?), first {}: removed, to be built again",
            changed.len(),
            changed[0].display()
        );
    }
}

/// One exercise under judgment: its binaries (none when it did not build),
/// its checks in the order the judge lists them, each with its report once
/// run, and the reports of builds that failed.
struct Exam<'e> {
    exercise: &'e Exercise,
    binaries: Option<(PathBuf, PathBuf)>,
    /// What the subject binary was when the build left it.
    built: Option<Identity>,
    slots: Vec<(CheckInfo, Option<CheckReport>)>,
    broken: Vec<CheckReport>,
    rejected: Option<String>,
}

impl Exam<'_> {
    /// Its code read files outside its `src/`: no binary of it runs, and
    /// every check not run yet is refused, with why.
    fn reject(&mut self, why: String) {
        self.binaries = None;
        let refusal = format!("rejected: {why}");
        for (info, report) in &mut self.slots {
            report.get_or_insert_with(|| CheckReport::refused(info, &refusal));
        }
        self.rejected = Some(why);
    }

    /// A stub's exploration would meet the `todo!()` its other checks met,
    /// after a build of its own (the first `check` of a fresh clone would
    /// build the exploration variant of every stub): not run until the
    /// exercise is started.
    fn explore_only_once_started(&mut self) {
        if self.not_started() {
            for (info, report) in self.slots.iter_mut().filter(|(info, _)| info.kind == CheckKind::Explore) {
                report.get_or_insert_with(|| CheckReport::not_started_yet(info));
            }
        }
    }

    /// Whether every check run so far met the stub's `todo!()`.
    fn not_started(&self) -> bool {
        let mut run = self.slots.iter().filter_map(|(_, report)| report.as_ref()).peekable();
        run.peek().is_some() && run.all(CheckReport::todo)
    }

    fn judged(self) -> Judged {
        let checks = self.slots.into_iter().filter_map(|(_, report)| report).chain(self.broken).collect();
        Judged { report: ExerciseReport::new(self.exercise, checks), rejected: self.rejected }
    }
}

/// Where the learner's code is built: this workspace itself, or a stage of
/// the run's own, removed when this is dropped. Derefs to its root.
pub enum LearnerRoot {
    Workspace(PathBuf),
    Staged(Stage),
}

impl Deref for LearnerRoot {
    type Target = Path;

    fn deref(&self) -> &Path {
        match self {
            LearnerRoot::Workspace(root) => root,
            LearnerRoot::Staged(stage) => stage,
        }
    }
}

/// Builds the subject binary of one exercise, for a command that runs one
/// of its checks by hand (`curve`, `replay`): the binary, or what to tell the
/// learner instead (the build error, or why the code was rejected).
pub fn one_subject(
    course: &Course,
    root: &Path,
    exercise: &Exercise,
    variant: Variant,
) -> Result<std::result::Result<PathBuf, String>> {
    Ok(match compile::build_one(course, root, exercise, Against::Learner, variant)? {
        Built::Binary(binary) => Ok(binary),
        Built::Broken { error, location } => Err(CheckReport::broken_build(&error, location).message(&exercise.name)),
        Built::Rejected(why) => Err(format!("rejected: {why}")),
    })
}

/// Where the learner's code is built: this workspace, or, when the learner's
/// copy of the course is elsewhere (the runner's own tests), a stage of it.
pub fn learner_root(course: &Course) -> Result<LearnerRoot> {
    if course.learner_is_workspace() {
        Ok(LearnerRoot::Workspace(course.root.clone()))
    } else {
        submission_root(course, &course.learner)
    }
}

/// Lays a submission's learner code, as admitted (read within limits and
/// scanned), into a trusted copy of this workspace of this run's own. A
/// rejected exercise is staged as a build error that says why; one the
/// submission does not have keeps this workspace's code.
pub fn submission_root(course: &Course, dir: &Path) -> Result<LearnerRoot> {
    if !dir.join("exercises").is_dir() {
        return Err(Error::new(format!("{} is not a course folder: it has no `exercises/`", dir.display()))
            .hint("point --submission at the root of a learner's copy of the course"));
    }
    let names: Vec<&str> = course.catalogue.exercises.iter().map(|e| e.name.as_str()).collect();
    let admission = admit::submission(&names, dir);
    eprint!("{}", admission.notes());
    Ok(LearnerRoot::Staged(stage::submission(course, &admission.stage_sources())?))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use grading_kit::protocol::{CheckResult, Finding, Runs, Status};

    use super::*;

    fn info(name: &str, kind: CheckKind) -> CheckInfo {
        let runs = if matches!(kind, CheckKind::Speedup | CheckKind::Explore) { Runs::InSubject } else { Runs::Judged };
        CheckInfo { name: name.into(), kind, timeout_ms: 100, runs }
    }

    /// A check named `hangs` times out; every other passes, and notes when
    /// it ran, so that the order of the phases shows.
    fn fake_run(_: Binaries<'_>, check: &CheckInfo, _: Snapshots) -> Result<Ran> {
        RAN.lock().unwrap().push(check.name.clone());
        Ok(if check.name.starts_with("hangs") {
            Ran::TimedOut { limit: Duration::from_millis(100), threads: Vec::new() }
        } else {
            Ran::Reported(CheckResult { status: Status::Pass, finding: Finding::Passed })
        })
    }

    static RAN: Mutex<Vec<String>> = Mutex::new(Vec::new());

    #[test]
    fn checks_after_a_hang_are_not_run_speedup_runs_after_the_others_and_reports_keep_the_listed_order() {
        let course = Course::at(&Course::workspace_root(), None, None).unwrap();
        let exercise: Exercise = toml::from_str("name = \"a\"\nlevel = 1\nhints = []\n").unwrap();
        let other: Exercise = toml::from_str("name = \"b\"\nlevel = 1\nhints = []\n").unwrap();
        let mut judge = Judge::new(&course, Snapshots::Compare, false);
        judge.run = fake_run;
        let listed = |names: &[(&str, CheckKind)]| names.iter().map(|(n, k)| (info(n, *k), None)).collect();
        let binaries = Some((PathBuf::from("subject"), PathBuf::from("judge")));
        let mut exams = vec![
            Exam {
                exercise: &exercise,
                binaries: binaries.clone(),
                built: None,
                slots: listed(&[
                    ("speedup", CheckKind::Speedup),
                    ("hangs", CheckKind::Property),
                    ("after", CheckKind::Snapshot),
                    ("explores", CheckKind::Explore),
                ]),
                broken: Vec::new(),
                rejected: None,
            },
            Exam {
                exercise: &other,
                binaries,
                built: None,
                slots: listed(&[("b speedup", CheckKind::Speedup), ("b1", CheckKind::Property)]),
                broken: Vec::new(),
                rejected: None,
            },
        ];
        judge.run_side_by_side(&mut exams, |kind| !matches!(kind, CheckKind::Speedup | CheckKind::Explore)).unwrap();
        for exam in &mut exams {
            judge.run_phase(exam, |kind| kind == CheckKind::Speedup).unwrap();
            judge.run_phase(exam, |kind| kind == CheckKind::Explore).unwrap();
        }
        let ran = RAN.lock().unwrap().clone();
        let at = |name: &str| ran.iter().position(|n| n == name);
        assert!(at("b speedup") > at("b1") && at("b speedup") > at("hangs"), "speedup ran beside others: {ran:?}");
        assert!(!ran.contains(&"after".to_string()), "a check after a hang ran: {ran:?}");
        let reports: Vec<ExerciseReport> = exams.into_iter().map(|exam| exam.judged().report).collect();
        let names: Vec<&str> = reports[0].checks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["speedup", "hangs", "after", "explores"]);
        let outcome = |i: usize| &reports[0].checks[i].outcome;
        assert!(matches!(outcome(0), crate::report::Outcome::NotRun { hung } if hung == "hangs"), "{:?}", outcome(0));
        assert!(matches!(outcome(2), crate::report::Outcome::NotRun { .. }), "{:?}", outcome(2));
        assert!(matches!(outcome(3), crate::report::Outcome::Reported { .. }), "the explorer has its say");
        assert!(reports[1].checks.iter().all(|c| c.status == Status::Pass));
    }

    #[test]
    fn a_stub_is_not_explored_and_stays_not_started() {
        let exercise: Exercise = toml::from_str("name = \"a\"\nlevel = 1\nhints = []\n").unwrap();
        let todo = |name: &str| {
            let panic = grading_kit::protocol::Panic {
                message: "not yet implemented".into(),
                location: None,
                thread: "main".into(),
            };
            let ran = Ran::Reported(CheckResult { status: Status::Fail, finding: Finding::NotStarted { panic } });
            Some(CheckReport::from_ran(&info(name, CheckKind::Property), ran))
        };
        let exam = |first| Exam {
            exercise: &exercise,
            binaries: None,
            built: None,
            slots: vec![(info("p", CheckKind::Property), first), (info("explores", CheckKind::Explore), None)],
            broken: Vec::new(),
            rejected: None,
        };
        let mut stub = exam(todo("p"));
        stub.explore_only_once_started();
        assert!(matches!(stub.slots[1].1.as_ref().unwrap().outcome, crate::report::Outcome::NotStartedYet));
        assert_eq!(stub.judged().report.state, crate::report::State::NotStarted);

        let passed = CheckReport::from_ran(
            &info("p", CheckKind::Property),
            Ran::Reported(CheckResult { status: Status::Pass, finding: Finding::Passed }),
        );
        let mut started = exam(Some(passed));
        started.explore_only_once_started();
        assert!(started.slots[1].1.is_none(), "a started exercise is explored");
        let mut unrun = exam(None);
        unrun.explore_only_once_started();
        assert!(unrun.slots[1].1.is_none(), "nothing run yet says nothing of a start");
    }

    #[test]
    fn rejected_code_runs_nothing_and_every_check_not_run_is_refused_with_why() {
        let exercise: Exercise = toml::from_str("name = \"a\"\nlevel = 1\nhints = []\n").unwrap();
        let passed = CheckReport::from_ran(
            &info("ran", CheckKind::Property),
            Ran::Reported(CheckResult { status: Status::Pass, finding: Finding::Passed }),
        );
        let mut exam = Exam {
            exercise: &exercise,
            binaries: Some((PathBuf::from("subject"), PathBuf::from("judge"))),
            built: None,
            slots: vec![(info("ran", CheckKind::Property), Some(passed)), (info("explores", CheckKind::Explore), None)],
            broken: Vec::new(),
            rejected: None,
        };
        exam.reject("the compiler read /etc/passwd outside exercises/a/src".into());
        assert!(exam.binaries.is_none(), "a rejected subject could still be run");
        let judged = exam.judged();
        assert_eq!(judged.rejected.as_deref(), Some("the compiler read /etc/passwd outside exercises/a/src"));
        assert_eq!(judged.report.checks[0].status, Status::Pass, "a verdict already given is kept");
        assert!(
            matches!(&judged.report.checks[1].outcome, crate::report::Outcome::Refused { why }
                if why == "rejected: the compiler read /etc/passwd outside exercises/a/src"),
            "{:?}",
            judged.report.checks[1].outcome
        );
        assert_eq!(judged.report.state, crate::report::State::Fail);
    }
}
