//! `cargo xtask hint EXERCISE`: the hints, from a nudge to almost the answer.

use crate::course::Course;
use crate::error::Result;
use crate::exit;

pub fn run(course: &Course, name: &str) -> Result<u8> {
    let exercise = course.catalogue.find(name)?;
    println!("Hints for {} (the lesson is exercises/{}/README.md):", exercise.name, exercise.name);
    for (i, hint) in exercise.hints.iter().enumerate() {
        println!("\n{}. {}", i + 1, hint.trim());
    }
    Ok(exit::SUCCESS)
}
