//! A class: every submission of a folder graded one at a time, each into a
//! folder of reports, and a CSV and a summary of them all. Progress goes to
//! stderr: a bar with the submission being graded and the time left on a
//! terminal, one line per submission elsewhere (a log, a CI job).

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::roster::{self, Roster};
use super::score::show;
use super::{gradescope, human, junit, model, page, write};
use crate::course::Course;
use crate::error::Result;
use crate::exit;
use crate::judge::Judge;

pub fn run(
    course: &Course,
    judge: &mut Judge<'_>,
    roster: &Roster<'_>,
    dir: &Path,
    out: &Path,
    options: gradescope::Options,
) -> Result<u8> {
    let submissions = roster::class(dir)?;
    let mut progress = Progress::new(submissions.len());
    let mut csv = String::from("student,exercise,points,max_points,status\n");
    let mut summary = String::new();
    let mut undecided = 0;
    let mut class = Vec::with_capacity(submissions.len());
    for (i, submission) in submissions.iter().enumerate() {
        let student = &submission.student;
        progress.start(i, student);
        let graded = model::grade(course, judge, roster, submission)?;
        let into = out.join(student);
        write(&into.join("summary.txt"), &human::render(&graded))?;
        write(&into.join("junit.xml"), &junit::render(&graded))?;
        write(&into.join("results.json"), &gradescope::render(&graded, options))?;
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
    progress.finish();
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

/// What `--submissions` shows while it grades.
enum Progress {
    /// A terminal: a bar redrawn in place.
    Bar(ProgressBar),
    /// Anything else: one line per submission, with the time left once one
    /// is graded.
    Lines { total: usize, started: Instant },
}

impl Progress {
    fn new(total: usize) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress::Lines { total, started: Instant::now() };
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("[{bar:30}] {pos}/{len} grading {msg} ({elapsed} so far{left})")
                .expect("a valid template")
                .progress_chars("=> ")
                .with_key("left", |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                    // The average of the submissions graded so far, for all
                    // of them, less the time spent: it counts down while a
                    // submission is graded. Nothing before the first is done.
                    let done = state.pos();
                    if done > 0 {
                        let elapsed = state.elapsed().as_secs_f64();
                        let total = state.len().unwrap_or(done) as f64;
                        let left = (elapsed / done as f64 * total - elapsed).max(0.0);
                        let _ = write!(out, "; about {} left", minutes(left));
                    }
                }),
        );
        // Redrawn every second: the time shown moves during a long grading.
        bar.enable_steady_tick(Duration::from_secs(1));
        Progress::Bar(bar)
    }

    /// Submission `i` (from 0), whose student is `student`, starts.
    fn start(&mut self, i: usize, student: &str) {
        match self {
            Progress::Bar(bar) => {
                bar.set_position(i as u64);
                bar.set_message(student.to_string());
            }
            Progress::Lines { total, started } => {
                let left = match i {
                    0 => String::new(),
                    done => {
                        let each = started.elapsed().as_secs_f64() / done as f64;
                        format!("; about {} left", minutes(each * (*total - done) as f64))
                    }
                };
                eprintln!("grading {student} ({} of {total}{left})…", i + 1);
            }
        }
    }

    fn finish(&mut self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

/// A duration as a person says it: `40 s`, `3 min`, `1 h 5 min`.
fn minutes(seconds: f64) -> String {
    let seconds = seconds.round() as u64;
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min", seconds.div_ceil(60)),
        _ => format!("{} h {} min", seconds / 3600, (seconds % 3600).div_ceil(60)),
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::minutes;

    #[test]
    fn time_left_reads_as_people_say_it() {
        assert_eq!(minutes(40.2), "40 s");
        assert_eq!(minutes(61.0), "2 min");
        assert_eq!(minutes(3900.0), "1 h 5 min");
    }
}
