//! `cargo xtask list`: the exercises in order, with status and progress.

use grading_kit::protocol::Status;

use crate::catalogue::Catalogue;
use crate::style::{Color, paint};
use crate::workspace::Result;
use crate::{exit, progress};

pub fn run() -> Result<u8> {
    let catalogue = Catalogue::load()?;
    let progress = progress::load();
    let mut level = None;
    for exercise in &catalogue.exercises {
        if level != Some(exercise.level) {
            level = Some(exercise.level);
            println!(
                "{}",
                paint(&format!("Level {}: {}", exercise.level, catalogue.level_title(exercise.level)), Color::Bold)
            );
        }
        let entry = progress.get(&exercise.name);
        let status = match entry.map(|e| e.status) {
            Some(Status::Pass) => paint("pass", Color::Green),
            Some(Status::Fail) => paint("fail", Color::Red),
            Some(Status::Inconclusive) => paint("inconclusive", Color::Yellow),
            None => paint("not checked", Color::Dim),
        };
        let speedup = entry.and_then(|e| e.best_speedup).map(|s| format!("  best speedup {s:.2}x")).unwrap_or_default();
        println!("  {:<32} {status}{speedup}", exercise.name);
    }
    let passed =
        catalogue.exercises.iter().filter(|e| progress.get(&e.name).is_some_and(|p| p.status == Status::Pass)).count();
    println!("\nProgress: {passed}/{} exercises pass.", catalogue.exercises.len());
    Ok(exit::SUCCESS)
}
