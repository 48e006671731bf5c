//! `cargo xtask grade`: points for an instructor, over the verdicts of
//! `check`.
//!
//! Split by job: `roster` (which submissions, which exercises and checks),
//! `model` (the scoring model: a state per exercise, a score per check, from
//! the `report` model and `score`), `integrity` (what of a submission may be
//! graded at all), `machine` (the CPU the grader was given), and the
//! renderings: `human` (the summary), `class` (a class's CSV and folders),
//! `page` (the class's `index.html`), `junit`, `gradescope` and `classroom`
//! (what CI tools and course platforms read). `autograder` packs the course
//! as a Gradescope autograder.
//! What each check is worth is in the catalogue (`points`, with defaults by
//! kind); which checks an exercise has comes from the judge binaries, built
//! against the reference solutions, never from a binary the learner's code
//! is linked into.

pub mod autograder;
mod class;
mod classroom;
mod gradescope;
mod human;
mod integrity;
mod junit;
mod machine;
mod model;
mod page;
mod roster;
mod score;

use std::fs;
use std::path::Path;

use crate::course::Course;
use crate::error::{Error, Result};
use crate::exit;
use crate::flags::GradeArgs;
use crate::judge::Judge;
use crate::runner::Snapshots;

use model::{CheckGrade, Graded, Refusal};

pub fn run(course: &Course, args: &GradeArgs) -> Result<u8> {
    let selected = course.select(&args.exercises)?;
    let _lock = course.lock()?;
    let mut judge = Judge::new(course, Snapshots::Compare, false);
    let roster = roster::checks(course, &mut judge, &selected)?;
    let options = gradescope::Options { hide_speedup_until_due: args.hide_speedup_until_due };
    if let Some(dir) = &args.submissions {
        return class::run(course, &mut judge, &roster, dir, &args.out, options);
    }
    let submission = roster::submission(course, args.submission.as_deref(), args.student.as_deref())?;
    let graded = model::grade(course, &mut judge, &roster, &submission)?;
    print!("{}", human::render(&graded));
    if let Some(file) = &args.junit {
        write(file, &junit::render(&graded))?;
    }
    if let Some(file) = &args.gradescope {
        write(file, &gradescope::render(&graded, options))?;
    }
    if let Some(file) = &args.classroom {
        write(file, &classroom::render(&graded))?;
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
pub fn fix_environment() {
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
        // SAFETY: called first thing in `main`, while this process has one
        // thread: nothing reads the environment concurrently.
        unsafe { std::env::remove_var(key) };
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    fs::write(path, text).map_err(|e| Error::io("write", path, e))
}
