//! `cargo xtask verify`: the maintainers' self-test. Every solution passes
//! every check; every stub, as shipped, fails; every wrong-solution fixture
//! fails the way the catalogue says, with the words it says.

use grading_kit::protocol::Status;

use std::path::PathBuf;

use crate::catalogue::{Catalogue, Exercise, Expectation, Fixture};
use crate::check::{self, fails_with, speedup_inconclusive};
use crate::compile::Against;
use crate::exit;
use crate::report::ExerciseReport;
use crate::stage::{self, Source};
use crate::workspace::{self, Error, Result};

pub fn run() -> Result<u8> {
    let catalogue = Catalogue::load()?;
    let _lock = check::exclusive()?;
    let root = workspace::root();
    let all: Vec<&Exercise> = catalogue.exercises.iter().collect();
    let mut problems = Vec::new();
    let mut unconfirmed = Vec::new();

    for report in check::judge(&root, &all, Against::Solution, true, "no")? {
        match report.status {
            Status::Pass => println!("solution  {:<32} passes{}", report.name, speedup_note(&report)),
            Status::Inconclusive => {
                println!("solution  {:<32} passes, speedup inconclusive", report.name);
                unconfirmed.push(format!("the speedup of the solution of `{}` could not be measured", report.name));
            }
            Status::Fail => problems.push(format!("the solution of `{}` fails:\n{}", report.name, failures(&report))),
        }
    }

    // The stubs as shipped: the course's own copies, so that a learner's
    // solved exercises do not make the self-test fail.
    let stubs: Vec<(&str, Source<'_>)> =
        all.iter().map(|e| (e.name.as_str(), Source::Dir(e.stub_dir(&root)))).collect();
    let stage = stage::prepare(&catalogue, &stubs)?;
    for report in check::judge(&stage, &all, Against::Learner, true, "no")? {
        if report.status == Status::Fail {
            println!("stub      {:<32} fails", report.name);
        } else {
            problems.push(format!(
                "the stub of `{}` (tests/checks/{}/stub/) does not fail: stubs must fail as shipped",
                report.name, report.name
            ));
        }
    }

    // Fixtures go in waves: the first fixture of every exercise together,
    // then the second ones, and so on. A wave is one staged build, so cargo
    // compiles a wave's crates side by side instead of one after another.
    let waves = all.iter().map(|e| e.fixtures.len()).max().unwrap_or(0);
    for wave in 0..waves {
        let members: Vec<(&Exercise, &Fixture, PathBuf)> =
            all.iter().filter_map(|e| e.fixtures.get(wave).map(|f| (*e, f, e.fixture_path(&root, f)))).collect();
        if let Some((_, _, missing)) = members.iter().find(|(_, _, file)| !file.is_file()) {
            return Err(Error::new(format!("the fixture {} is missing", missing.display()))
                .hint("add it, or remove its entry from exercises/catalogue.toml"));
        }
        let sources: Vec<(&str, Source<'_>)> =
            members.iter().map(|(e, _, file)| (e.name.as_str(), Source::LibFile(file))).collect();
        let stage = stage::prepare(&catalogue, &sources)?;
        let exercises: Vec<&Exercise> = members.iter().map(|(e, _, _)| *e).collect();
        let reports = check::judge(&stage, &exercises, Against::Learner, true, "no")?;
        for ((exercise, fixture, _), report) in members.iter().zip(reports) {
            let label = format!("{}/{}", exercise.name, fixture.name);
            judge_fixture(&label, fixture, &report, &mut problems, &mut unconfirmed)?;
        }
    }

    for note in &unconfirmed {
        println!("note: {note}");
    }
    if problems.is_empty() {
        println!("\nverify: all good ({} exercises).", all.len());
        Ok(exit::SUCCESS)
    } else {
        for problem in &problems {
            println!("\nproblem: {problem}");
        }
        println!("\nverify: {} problems.", problems.len());
        Ok(exit::FAILED)
    }
}

/// Whether a fixture's report is what the catalogue says it must be.
fn judge_fixture(
    label: &str,
    fixture: &Fixture,
    report: &ExerciseReport,
    problems: &mut Vec<String>,
    unconfirmed: &mut Vec<String>,
) -> Result<()> {
    match fixture.expectation() {
        Some(Expectation::Fail { kind, says }) => {
            if fails_with(report, kind, says) {
                println!("fixture   {label:<32} fails its {kind} check, saying \"{says}\"");
            } else if kind == "speedup" && speedup_inconclusive(report) && report.status != Status::Pass {
                println!("fixture   {label:<32} rejected, but its speedup was inconclusive");
                unconfirmed.push(format!("`{label}` was not passed, but the machine was too busy to fail it"));
            } else {
                problems.push(format!(
                    "the fixture `{label}` should fail its {kind} check saying \"{says}\", but got {:?}:\n{}",
                    report.status,
                    failures(report)
                ));
            }
        }
        Some(Expectation::Pass) => match report.status {
            Status::Pass => println!("fixture   {label:<32} passes, as a correct solution should"),
            Status::Inconclusive => {
                println!("fixture   {label:<32} passes, speedup inconclusive");
                unconfirmed.push(format!("the speedup of `{label}` could not be measured"));
            }
            Status::Fail => problems
                .push(format!("the fixture `{label}` is correct and should pass, but fails:\n{}", failures(report))),
        },
        None => {
            return Err(Error::new(format!("the fixture `{label}` has no valid expectation"))
                .hint("give it `fails` and `says`, or `passes = true`, in exercises/catalogue.toml"));
        }
    }
    Ok(())
}

fn speedup_note(report: &ExerciseReport) -> String {
    report.speedup().map(|s| format!(" (speedup {s:.2}x)")).unwrap_or_default()
}

fn failures(report: &ExerciseReport) -> String {
    report
        .checks
        .iter()
        .filter(|c| c.status != Status::Pass)
        .map(|c| {
            format!(
                "  {} [{:?}{}]: {}",
                c.name,
                c.kind,
                if c.timed_out { ", timed out" } else { "" },
                c.message.replace('\n', "\n    ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
