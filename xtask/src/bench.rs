//! `cargo xtask bench-verdicts`: how far can a speedup verdict be trusted?
//!
//! Runs the speedup check of an exercise (`parallel_letter_frequency`
//! unless `--exercise` names another) against its reference solution and its
//! fixtures that the speedup check judges (for that exercise: sequential,
//! one helper thread, idle threads, busy-wait, one lock, too fine, large
//! fixed cost), many times, under four
//! conditions: idle, one CPU-heavy neighbour, two of them, and one core only.
//! It prints, per fixture and condition, how many runs gave pass, fail and
//! inconclusive, and the speedups measured. A benchmark, not a test: run it
//! on a machine with nothing else to do.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use grading_kit::protocol::{CheckKind, CheckResult, Finding, Status};
use serde::{Deserialize, Serialize};

use crate::catalogue::Exercise;
use crate::compile::{self, Against, Built, Variant};
use crate::course::Course;
use crate::error::{Error, Result};
use crate::exit;
use crate::flags::{BenchArgs, Condition};
use crate::runner::{self, Binaries, Ran, Snapshots};
use crate::stage::{self, Source};

/// One run of one fixture under one condition.
#[derive(Serialize, Deserialize)]
struct Record {
    /// The exercise, when it is not `parallel_letter_frequency` (records
    /// from before `--exercise` have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exercise: Option<String>,
    fixture: String,
    condition: Condition,
    status: Status,
    speedup: Option<f64>,
    cores_used: Option<f64>,
    calibration: Option<f64>,
    /// What copies of the reference gained, where the check measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    workload_gain: Option<f64>,
    seconds: f64,
}

pub fn run(course: &Course, args: &BenchArgs) -> Result<u8> {
    if !args.table.is_empty() {
        let mut records = Vec::new();
        for file in &args.table {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io("read", file, e))?;
            records.extend(text.lines().filter_map(|line| serde_json::from_str::<Record>(line).ok()));
        }
        print!("{}", table(&records));
        return Ok(exit::SUCCESS);
    }
    let exercise = course.catalogue.find(&args.exercise)?;
    let dir = course.scratch().join("bench").join(&exercise.name);
    let mut fixtures = fixture_names(exercise);
    if let Some(only) = &args.fixtures {
        if let Some(unknown) = only.iter().find(|name| !fixtures.contains(name)) {
            return Err(Error::new(format!("`{unknown}` is not a speedup fixture of `{}`", exercise.name)));
        }
        fixtures.retain(|name| only.contains(name));
    }
    if !args.no_build {
        let _lock = course.lock()?;
        build_all(course, exercise, &fixtures, &dir)?;
    }
    if args.build_only {
        return Ok(exit::SUCCESS);
    }
    let cpus = args.cpus.clone().unwrap_or_default();
    let mut records = Vec::new();
    let mut out = match &args.records {
        Some(path) => Some(
            std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| Error::io("open", path, e))?,
        ),
        None => None,
    };
    for &condition in &args.conditions {
        let hogs = start_hogs(condition, &cpus)?;
        let pinned: Vec<usize> = match (condition, cpus.first()) {
            (Condition::OneCore, Some(&first)) => vec![first],
            (Condition::OneCore, None) => vec![0],
            _ => cpus.clone(),
        };
        for round in 0..args.runs {
            // Every fixture once per round, so drift in the machine's load
            // falls on all of them alike.
            for fixture in &fixtures {
                let mut record = measure(&dir, fixture, condition, &pinned)?;
                record.exercise = Some(exercise.name.clone()).filter(|name| name != "parallel_letter_frequency");
                eprintln!(
                    "{condition:?} run {}/{}: {fixture:<28} {:?} {}",
                    round + 1,
                    args.runs,
                    record.status,
                    record.speedup.map(|s| format!("{s:.2}x")).unwrap_or_default()
                );
                if let Some(out) = out.as_mut() {
                    let line = serde_json::to_string(&record).expect("records serialise");
                    writeln!(out, "{line}").map_err(|e| Error::new("could not write a record").cause(e))?;
                }
                records.push(record);
            }
        }
        stop_hogs(hogs);
    }
    print!("{}", table(&records));
    Ok(exit::SUCCESS)
}

/// `correct` (the reference solution) and every fixture of the exercise that
/// a speedup check must judge: the rest fail earlier checks and would say
/// nothing about speedup verdicts.
fn fixture_names(exercise: &Exercise) -> Vec<String> {
    let mut names = vec!["correct".to_string()];
    names.extend(
        exercise.fixtures.iter().filter(|f| f.passes || f.fails.as_deref() == Some("speedup")).map(|f| f.name.clone()),
    );
    names
}

fn build_all(course: &Course, exercise: &Exercise, fixtures: &[String], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    let root = &course.root;
    keep(
        compile::build(course, root, &[exercise], Against::Solution, Variant::Ordinary, true)?,
        exercise,
        &dir.join("correct"),
    )?;
    for name in fixtures.iter().filter(|name| *name != "correct") {
        let fixture = exercise.fixtures.iter().find(|f| &f.name == name).expect("named from the fixtures");
        let file = exercise.fixture_path(root, fixture);
        let stage = stage::prepare(course, &[(exercise.name.as_str(), Source::LibFile(&file))], &[])?;
        keep(
            compile::build(course, &stage, &[exercise], Against::Learner, Variant::Ordinary, true)?,
            exercise,
            &dir.join(name),
        )?;
    }
    Ok(())
}

/// Copies a freshly built check binary aside: the next build overwrites it.
fn keep(mut built: BTreeMap<String, Built>, exercise: &Exercise, to: &Path) -> Result<()> {
    match built.remove(&exercise.name) {
        Some(Built::Binary(binary)) => compile::keep(&binary, to),
        Some(Built::Broken { error, .. }) => Err(Error::new(format!("{} does not build", to.display())).cause(error)),
        Some(Built::Rejected(why)) => Err(Error::new(format!("{} was rejected", to.display())).cause(why)),
        None => Err(Error::new(format!("nothing was built for {}", to.display()))),
    }
}

fn measure(dir: &Path, fixture: &str, condition: Condition, cpus: &[usize]) -> Result<Record> {
    // A speedup check runs in the subject alone; the judge is the reference.
    let binaries = Binaries { subject: &dir.join(fixture), judge: &dir.join("correct") };
    let check = runner::list(binaries.judge)?
        .into_iter()
        .find(|c| c.kind == CheckKind::Speedup)
        .ok_or_else(|| Error::new(format!("{} has no speedup check", binaries.judge.display())))?;
    let started = Instant::now();
    let ran = if cpus.is_empty() {
        runner::run(binaries, &check, Snapshots::Compare)?
    } else {
        runner::run_pinned(binaries, &check, cpus)?
    };
    let seconds = started.elapsed().as_secs_f64();
    let (status, figures) = match ran {
        Ran::Reported(CheckResult { status, finding: Finding::Speedup { figures, .. } }) => (status, Some(figures)),
        Ran::Reported(result) => (result.status, None),
        _ => (Status::Fail, None),
    };
    Ok(Record {
        exercise: None,
        fixture: fixture.to_string(),
        condition,
        status,
        speedup: figures.as_ref().map(|f| f.speedup),
        cores_used: figures.as_ref().map(|f| f.cores_used),
        calibration: figures.as_ref().map(|f| f.calibration),
        workload_gain: figures.as_ref().and_then(|f| f.workload_gain),
        seconds,
    })
}

/// CPU-heavy neighbours: `yes` writing to nowhere, on the benchmark's CPUs.
fn start_hogs(condition: Condition, cpus: &[usize]) -> Result<Vec<Child>> {
    let count = match condition {
        Condition::OneHog => 1,
        Condition::TwoHogs => 2,
        Condition::Idle | Condition::OneCore => 0,
    };
    (0..count)
        .map(|_| {
            let mut command = Command::new("yes");
            command.stdout(Stdio::null()).stderr(Stdio::null());
            if !cpus.is_empty() {
                runner::pin(&mut command, cpus);
            }
            command.spawn().map_err(|e| Error::new("could not start `yes` as a CPU-heavy neighbour").cause(e))
        })
        .collect()
}

fn stop_hogs(hogs: Vec<Child>) {
    for mut hog in hogs {
        let _ = hog.kill();
        let _ = hog.wait();
    }
}

fn table(records: &[Record]) -> String {
    let mut fixtures: Vec<&str> = Vec::new();
    let mut conditions: Vec<Condition> = Vec::new();
    let labels: Vec<String> = records
        .iter()
        .map(|r| match &r.exercise {
            Some(exercise) => format!("{exercise}/{}", r.fixture),
            None => r.fixture.clone(),
        })
        .collect();
    for (r, label) in records.iter().zip(&labels) {
        if !fixtures.contains(&label.as_str()) {
            fixtures.push(label);
        }
        if !conditions.contains(&r.condition) {
            conditions.push(r.condition);
        }
    }
    let mut out = String::from("\n| fixture |");
    for c in &conditions {
        out.push_str(&format!(" {c:?} |"));
    }
    out.push_str(" check time, idle |\n|---|");
    out.push_str(&"---|".repeat(conditions.len() + 1));
    out.push('\n');
    for fixture in &fixtures {
        out.push_str(&format!("| {fixture} |"));
        for condition in &conditions {
            let cell: Vec<&Record> = records
                .iter()
                .zip(&labels)
                .filter(|(r, label)| label == fixture && r.condition == *condition)
                .map(|(r, _)| r)
                .collect();
            let count = |s: Status| cell.iter().filter(|r| r.status == s).count();
            let mut speedups: Vec<f64> = cell.iter().filter_map(|r| r.speedup).collect();
            speedups.sort_by(f64::total_cmp);
            let figures = match speedups.as_slice() {
                [] => String::new(),
                s => format!(", S {:.2} ({:.2}–{:.2})", s[s.len() / 2], s[0], s[s.len() - 1]),
            };
            out.push_str(&format!(
                " {}p {}f {}i{figures} |",
                count(Status::Pass),
                count(Status::Fail),
                count(Status::Inconclusive)
            ));
        }
        let mut times: Vec<f64> = records
            .iter()
            .zip(&labels)
            .filter(|(r, label)| label == fixture && r.condition == Condition::Idle)
            .map(|(r, _)| r.seconds)
            .collect();
        times.sort_by(f64::total_cmp);
        match times.as_slice() {
            [] => out.push_str(" |\n"),
            t => out.push_str(&format!(" {:.1} s (max {:.1} s) |\n", t[t.len() / 2], t[t.len() - 1])),
        }
    }
    out.push_str("\np: pass, f: fail, i: inconclusive; S: speedup median (min–max) over the runs that measured one.\n");
    out
}
