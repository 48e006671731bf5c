//! The scoring model: for each exercise a state, for each check a score,
//! from the verdicts of the `report` model.

use std::collections::BTreeMap;
use std::fs;
use std::time::Instant;

use grading_kit::protocol::{CheckInfo, CheckKind, SpeedupFigures, Status};

use super::integrity::{self, Change};
use super::machine::{self, Cpus};
use super::roster::{Roster, Submission};
use super::score::{self, Score};
use crate::admit::{self, Skipped};
use crate::catalogue::Exercise;
use crate::course::Course;
use crate::error::Result;
use crate::judge::{Judge, Subject};
use crate::report::{CheckReport, ExerciseReport, Outcome, Report, State};
use crate::runner;
use crate::stage::{self, Source};

/// One submission, graded.
pub struct Graded {
    pub student: String,
    pub exercises: Vec<ExerciseGrade>,
    /// Trusted files the submission changed: ignored, and listed.
    pub changed: Vec<Change>,
    /// Entries of the learner surface never opened (links, FIFOs, …): the
    /// exercise was graded without them.
    pub skipped: Vec<Skipped>,
    /// The verdicts, as `check --format json` gives them.
    pub report: Report,
    /// Wall time of grading this submission, builds included.
    pub seconds: f64,
    /// The CPU the grading machine gave this process.
    pub cpus: Cpus,
}

pub struct ExerciseGrade {
    pub name: String,
    pub state: GradeState,
    pub checks: Vec<CheckGrade>,
}

/// Where an exercise's grade stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GradeState {
    /// Every check decided.
    Graded,
    /// The stub as shipped: every check stopped at a `todo!()`.
    NotStarted,
    /// Some points could not be decided: grade again.
    Inconclusive,
    /// Not run: see the refusal.
    Refused(Refusal),
}

/// Why an exercise was not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Rejected(String),
    NotSubmitted,
}

pub struct CheckGrade {
    pub name: String,
    pub kind: CheckKind,
    pub max: u32,
    pub score: Score,
    /// What the check found, in words.
    pub message: String,
    /// A speedup's measured figures (none when nothing was timed).
    pub figures: Option<SpeedupFigures>,
}

/// Grades `submission`: its learner surface, laid into a copy of this
/// workspace, judged by the roster's checks.
pub fn grade(course: &Course, judge: &mut Judge<'_>, roster: &Roster<'_>, submission: &Submission) -> Result<Graded> {
    let started = Instant::now();
    let dir = &submission.dir;
    let working_tree = fs::canonicalize(dir).ok() == fs::canonicalize(&course.root).ok();
    let changed = if working_tree { Vec::new() } else { integrity::changed_trusted(&course.root, dir)? };

    // Learner code is read once, within limits, and staged as read.
    let names: Vec<&str> = roster.exercises.iter().map(|(e, _)| e.name.as_str()).collect();
    let admission = admit::submission(&names, dir);
    let mut refused: BTreeMap<String, Refusal> = BTreeMap::new();
    for name in &admission.missing {
        refused.insert(name.clone(), Refusal::NotSubmitted);
    }
    for (name, why) in &admission.rejected {
        refused.insert(name.clone(), Refusal::Rejected(why.clone()));
    }
    let sources: Vec<(&str, Source<'_>)> =
        admission.sources.iter().map(|(name, files)| (name.as_str(), Source::Admitted(files))).collect();
    let judged: Vec<&Exercise> =
        roster.exercises.iter().map(|(e, _)| *e).filter(|e| !refused.contains_key(e.name.as_str())).collect();
    let mut verdicts: BTreeMap<String, ExerciseReport> = BTreeMap::new();
    if !judged.is_empty() {
        // A folder of this submission's own, removed once it is judged.
        let stage = stage::submission(course, &sources)?;
        for judged in judge.judged(Subject::Learner(&stage), &judged)? {
            // Code the compiler found reading outside its `src/` is rejected
            // as the scan rejects it: no check of it scores.
            if let Some(why) = judged.rejected {
                refused.insert(judged.report.name.clone(), Refusal::Rejected(why));
            }
            verdicts.insert(judged.report.name.clone(), judged.report);
        }
    }

    let mut exercises = Vec::new();
    let mut reports = Vec::new();
    for (exercise, checks) in &roster.exercises {
        let refusal = refused.remove(exercise.name.as_str());
        let report = match (&refusal, verdicts.remove(&exercise.name)) {
            (None, Some(report)) => report,
            (refusal, _) => {
                let why = match refusal {
                    Some(Refusal::Rejected(why)) => format!("rejected: {why}"),
                    _ => format!("not submitted: the submission has no exercises/{}/src/", exercise.name),
                };
                ExerciseReport::new(exercise, checks.iter().map(|info| CheckReport::refused(info, &why)).collect())
            }
        };
        let grades = score_checks(exercise, checks, &report);
        let state = match refusal {
            Some(refusal) => GradeState::Refused(refusal),
            None if grades.iter().any(|c| c.score == Score::Inconclusive) => GradeState::Inconclusive,
            None if report.state == State::NotStarted => GradeState::NotStarted,
            None => GradeState::Graded,
        };
        exercises.push(ExerciseGrade { name: exercise.name.clone(), state, checks: grades });
        reports.push(report);
    }
    Ok(Graded {
        student: submission.student.clone(),
        exercises,
        changed,
        skipped: admission.skipped,
        report: Report::new(reports, &course.catalogue.exercises, runner::protections()),
        seconds: started.elapsed().as_secs_f64(),
        cpus: machine::cpus(),
    })
}

/// Points for every check of the roster, from the verdicts in `report`.
fn score_checks(exercise: &Exercise, roster: &[CheckInfo], report: &ExerciseReport) -> Vec<CheckGrade> {
    let broken = report.checks.iter().find(|c| matches!(c.outcome, Outcome::BuildError { .. }));
    roster
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let max = exercise.points.of(&info.name, info.kind);
            let found = report.checks.iter().find(|c| c.name == info.name);
            let (score, message) = match (found, broken) {
                (Some(check), _) => {
                    let mut message = check.message(&exercise.name);
                    let score = score::score(max, info.kind, check.status, check.figures());
                    if let (Status::Fail, Score::Points(points), Some(f)) = (check.status, score, check.figures())
                        && points > 0.0
                    {
                        message.push_str(&format!(
                            "\npartial credit: {:.2}x of the {:.2}x required, more than half the required gain",
                            f.speedup, f.required
                        ));
                    }
                    (score, message)
                }
                // The build that runs this check failed: every check it
                // would have run earns nothing, and the first one says why.
                (None, Some(build)) => {
                    let message = if i == 0 {
                        build.message(&exercise.name)
                    } else {
                        "the code does not compile (the first check shows the error)".to_string()
                    };
                    (Score::Points(0.0), message)
                }
                (None, None) => (Score::Points(0.0), "the check did not run".to_string()),
            };
            let figures = found.and_then(|c| c.figures()).cloned();
            CheckGrade { name: info.name.clone(), kind: info.kind, max, score, message, figures }
        })
        .collect()
}

impl GradeState {
    /// The state in words, as the class CSV and the summary say it.
    pub fn words(&self) -> &'static str {
        match self {
            GradeState::Graded => "graded",
            GradeState::NotStarted => State::NotStarted.words(),
            GradeState::Inconclusive => "inconclusive",
            GradeState::Refused(Refusal::Rejected(_)) => "rejected",
            GradeState::Refused(Refusal::NotSubmitted) => "not submitted",
        }
    }
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

    pub fn refused(&self) -> Option<&Refusal> {
        match &self.state {
            GradeState::Refused(refusal) => Some(refusal),
            _ => None,
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

    pub fn rejected(&self) -> usize {
        self.exercises.iter().filter(|e| matches!(e.refused(), Some(Refusal::Rejected(_)))).count()
    }
}
