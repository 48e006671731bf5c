//! `cargo xtask list`: the exercises in order, with level, status, and the
//! best speedup measured for the parallel ones.

use crate::course::Course;
use crate::error::Result;
use crate::report::{State, human};
use crate::style::{Color, paint};
use crate::{exit, progress};

pub fn run(course: &Course) -> Result<u8> {
    print!("{}", render(course, None));
    Ok(exit::SUCCESS)
}

/// The list, with `current` (the exercise `watch` is on) marked.
pub fn render(course: &Course, current: Option<&str>) -> String {
    let catalogue = &course.catalogue;
    let loaded = progress::load_checked(course);
    let progress = &loaded.progress;
    let mut out = String::new();
    let mut level = None;
    for exercise in &catalogue.exercises {
        if level != Some(exercise.level) {
            level = Some(exercise.level);
            let title = format!("Level {}: {}", exercise.level, catalogue.level_title(exercise.level));
            out.push_str(&format!("{}\n", paint(&title, Color::Bold)));
        }
        let entry = progress.get(&exercise.name);
        let status = entry.map_or_else(|| paint("not checked", Color::Dim), |e| human::state(e.state));
        // A verdict on code that has changed since is shown, and said to be old.
        let stale = entry.and_then(|e| e.source.as_ref()).is_some_and(|checked| {
            progress::source_fingerprint(course, &exercise.name).is_some_and(|now| &now != checked)
        });
        let stale = if stale { paint(" (changed since checked)", Color::Dim) } else { String::new() };
        let speedup = entry.and_then(|e| e.best_speedup).map(|s| format!("  best speedup {s:.2}x")).unwrap_or_default();
        let marker = if current == Some(exercise.name.as_str()) { "▶" } else { " " };
        out.push_str(&format!(" {marker} {:<32} {status}{stale}{speedup}\n", exercise.name));
    }
    let passed =
        catalogue.exercises.iter().filter(|e| progress.get(&e.name).is_some_and(|p| p.state == State::Pass)).count();
    out.push_str(&format!("\nProgress: {passed}/{} exercises pass.\n", catalogue.exercises.len()));
    if loaded.damaged {
        out.push_str(&format!(
            "{}\n",
            paint(
                "Some lines of .course/progress.txt could not be read; they show as not checked, and the next \
                 check writes the file whole again (`cargo xtask check` rebuilds every line).",
                Color::Yellow
            )
        ));
    }
    out
}
