//! A class: every submission of a folder graded one at a time, each into a
//! folder of reports, and a CSV and a summary of them all.

use std::fmt::Write as _;
use std::path::Path;

use super::roster::{self, Roster};
use super::score::show;
use super::{gradescope, human, junit, model, page, write};
use crate::course::Course;
use crate::error::Result;
use crate::exit;
use crate::judge::Judge;

pub fn run(course: &Course, judge: &mut Judge<'_>, roster: &Roster<'_>, dir: &Path, out: &Path) -> Result<u8> {
    let submissions = roster::class(dir)?;
    let mut csv = String::from("student,exercise,points,max_points,status\n");
    let mut summary = String::new();
    let mut undecided = 0;
    let mut class = Vec::with_capacity(submissions.len());
    for (i, submission) in submissions.iter().enumerate() {
        let student = &submission.student;
        eprintln!("grading {student} ({} of {})…", i + 1, submissions.len());
        let graded = model::grade(course, judge, roster, submission)?;
        let into = out.join(student);
        write(&into.join("summary.txt"), &human::render(&graded))?;
        write(&into.join("junit.xml"), &junit::render(&graded))?;
        write(&into.join("results.json"), &gradescope::render(&graded))?;
        write(&into.join("check.json"), &graded.report.json())?;
        for exercise in &graded.exercises {
            let _ = writeln!(
                csv,
                "{},{},{},{},{}",
                csv_field(student),
                exercise.name,
                show(exercise.points()),
                exercise.max(),
                exercise.state.words()
            );
        }
        let mut flags = Vec::new();
        if graded.undecided() > 0 {
            flags.push(format!("{} points inconclusive: grade again", graded.undecided()));
            undecided += 1;
        }
        if graded.rejected() > 0 {
            flags.push(format!("{} exercises rejected", graded.rejected()));
        }
        if !graded.changed.is_empty() {
            flags.push(format!("{} trusted files changed", graded.changed.len()));
        }
        let _ = writeln!(
            summary,
            "{student:<24} {:>7}/{:<4} {:>6.1} s  {}",
            show(graded.points()),
            graded.max(),
            graded.seconds,
            flags.join("; ")
        );
        class.push(graded);
    }
    let _ = writeln!(summary, "\n{} submissions graded; reports in {}", submissions.len(), out.display());
    if undecided > 0 {
        let _ = writeln!(summary, "{undecided} have inconclusive points: grade those again before publishing.");
    }
    write(&out.join("class.csv"), &csv)?;
    write(&out.join("summary.txt"), &summary)?;
    write(&out.join("index.html"), &page::render(&class))?;
    print!("{summary}");
    Ok(exit::SUCCESS)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}
