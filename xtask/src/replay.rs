//! `cargo xtask replay EXERCISE TOKEN`: run one exploration check of your
//! code again, in exactly the interleaving a replay token describes.

use std::path::Path;

use grading_kit::protocol::{CheckKind, Status};

use crate::compile::Variant;
use crate::course::Course;
use crate::error::{Error, Result};
use crate::report::CheckReport;
use crate::{exit, judge, runner};

pub fn run(course: &Course, name: &str, token: &str, submission: Option<&Path>) -> Result<u8> {
    let exercise = course.catalogue.find(name)?;
    let (index, schedule) = token
        .split_once('-')
        .and_then(|(index, schedule)| Some((index.parse::<usize>().ok()?, schedule)))
        .ok_or_else(|| {
            Error::new(format!("`{token}` is not a replay token"))
                .hint("copy the whole token from the failure, e.g. `cargo xtask replay dining_philosophers 0-91a2…`")
        })?;
    let _lock = course.lock()?;
    // The learner's code where `check` finds it: a submission, the learner's
    // copy of the course, or this workspace.
    let root = match submission {
        Some(dir) => judge::submission_root(course, dir)?,
        None => judge::learner_root(course)?,
    };
    let binary = match judge::one_subject(course, &root, exercise, Variant::Explore)? {
        Ok(binary) => binary,
        Err(why) => {
            println!("{why}");
            return Ok(exit::FAILED);
        }
    };
    let explorations: Vec<_> = runner::list(&binary)?.into_iter().filter(|c| c.kind == CheckKind::Explore).collect();
    let info = explorations.get(index).ok_or_else(|| {
        Error::new(format!("`{name}` has no exploration check number {index}"))
            .hint("the token must come from a failure of this exercise")
    })?;
    println!("replaying `{}` of {name} in the recorded interleaving…", info.name);
    let report = CheckReport::from_ran(info, runner::replay(&binary, info, schedule)?);
    println!("{}", report.message(name));
    Ok(match report.status {
        Status::Pass => exit::SUCCESS,
        _ => exit::FAILED,
    })
}
