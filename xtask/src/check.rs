//! `cargo xtask check`: build, run every check, report.

use crate::course::Course;
use crate::error::Result;
use crate::flags::{CheckArgs, Format};
use crate::judge::{self, Judge, Subject};
use crate::report::{Report, State, human};
use crate::runner::{self, Snapshots};
use crate::{exit, progress};

pub fn run(course: &Course, args: &CheckArgs) -> Result<u8> {
    let selected = course.select(&args.exercises)?;
    let _lock = course.lock()?;
    let (subject_root, learner) = match (&args.submission, args.solutions) {
        (Some(dir), _) => (Some(judge::submission_root(course, dir)?), false),
        (None, true) => (None, false),
        (None, false) => (Some(judge::learner_root(course)?), true),
    };
    let subject = subject_root.as_deref().map_or(Subject::Solutions, Subject::Learner);
    let snapshots = if args.bless { Snapshots::Bless } else { Snapshots::Compare };
    // Taken before the build: a save during the check belongs to the next one.
    let sources: Vec<Option<String>> = selected.iter().map(|e| progress::source_fingerprint(course, &e.name)).collect();
    let reports = Judge::new(course, snapshots, args.format == Format::Human).judge(subject, &selected)?;
    if learner {
        let entries = reports.iter().zip(sources).map(|(r, source)| (r.name.clone(), progress::entry(r, source)));
        progress::record(course, entries);
    }
    let report = Report::new(reports, &course.catalogue.exercises, runner::protections());
    match args.format {
        Format::Human => print!("{}", human::report(&report, learner)),
        Format::Json => println!("{}", report.json()),
    }
    Ok(exit_status(&report))
}

fn exit_status(report: &Report) -> u8 {
    let states = || report.exercises.iter().map(|e| e.state);
    if states().any(|s| matches!(s, State::Fail | State::NotStarted)) {
        exit::FAILED
    } else if states().any(|s| s == State::Inconclusive) {
        exit::INCONCLUSIVE
    } else {
        exit::SUCCESS
    }
}
