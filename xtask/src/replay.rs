//! `cargo xtask replay EXERCISE TOKEN`: run one exploration check of your
//! code again, in exactly the interleaving a replay token describes.

use std::path::Path;

use grading_kit::protocol::{CheckKind, Status};

use crate::catalogue::Catalogue;
use crate::compile::{self, Against, Built, Variant};
use crate::report::CheckReport;
use crate::workspace::{self, Error, Result};
use crate::{check, exit, runner};

pub fn run(name: &str, token: &str, submission: Option<&Path>) -> Result<u8> {
    let catalogue = Catalogue::load()?;
    let exercise = catalogue.find(name)?;
    let (index, schedule) = token
        .split_once('-')
        .and_then(|(index, schedule)| Some((index.parse::<usize>().ok()?, schedule)))
        .ok_or_else(|| {
            Error::new(format!("`{token}` is not a replay token"))
                .hint("copy the whole token from the failure, e.g. `cargo xtask replay dining_philosophers 0-91a2…`")
        })?;
    let _lock = check::exclusive()?;
    let root = match submission {
        Some(dir) => check::stage_submission(&catalogue, dir)?,
        None => workspace::root(),
    };
    let binary = match compile::build_one(&root, exercise, Against::Learner, Variant::Explore)? {
        Built::Binary(binary) => binary,
        Built::Broken(error) => {
            println!("{}", CheckReport::broken_build(&error).message);
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
    println!("{}", report.message);
    Ok(match report.status {
        Status::Pass => exit::SUCCESS,
        _ => exit::FAILED,
    })
}
