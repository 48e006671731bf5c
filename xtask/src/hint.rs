//! `cargo xtask hint EXERCISE`: the hints, from a nudge to almost the answer.

use crate::catalogue::Catalogue;
use crate::exit;
use crate::workspace::Result;

pub fn run(name: &str) -> Result<u8> {
    let catalogue = Catalogue::load()?;
    let exercise = catalogue.find(name)?;
    println!("Hints for {} (the lesson is exercises/{}/README.md):", exercise.name, exercise.name);
    for (i, hint) in exercise.hints.iter().enumerate() {
        println!("\n{}. {}", i + 1, hint.trim());
    }
    Ok(exit::SUCCESS)
}
