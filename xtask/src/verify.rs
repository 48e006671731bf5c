//! `cargo xtask verify`: the maintainers' self-test. Every solution passes
//! every check; every stub, as shipped, fails; every wrong-solution fixture
//! fails the way the catalogue says, with the words it says.

use grading_kit::protocol::Status;

use crate::catalogue::{Catalogue, Exercise, Expectation};
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

    for report in check::judge(&root, &all, Against::Learner, true, "no")? {
        if report.status == Status::Fail {
            println!("stub      {:<32} fails", report.name);
        } else {
            problems.push(format!(
                "the stub of `{}` does not fail. Stubs must fail as shipped; if you solved this exercise \
                 yourself, that is why (`verify` checks the course as shipped, in a fresh clone)",
                report.name
            ));
        }
    }

    for exercise in &all {
        for fixture in &exercise.fixtures {
            let file = exercise.fixture_path(&root, fixture);
            if !file.is_file() {
                return Err(Error::new(format!("the fixture {} is missing", file.display()))
                    .hint("add it, or remove its entry from exercises/catalogue.toml"));
            }
            let stage = stage::prepare(&catalogue, &[(exercise.name.as_str(), Source::LibFile(&file))])?;
            let report = check::judge(&stage, &[exercise], Against::Learner, true, "no")?.remove(0);
            let label = format!("{}/{}", exercise.name, fixture.name);
            match fixture.expectation() {
                Some(Expectation::Fail { kind, says }) => {
                    if fails_with(&report, kind, says) {
                        println!("fixture   {label:<32} fails its {kind} check, saying \"{says}\"");
                    } else if kind == "speedup" && speedup_inconclusive(&report) && report.status != Status::Pass {
                        println!("fixture   {label:<32} rejected, but its speedup was inconclusive");
                        unconfirmed.push(format!("`{label}` was not passed, but the machine was too busy to fail it"));
                    } else {
                        problems.push(format!(
                            "the fixture `{label}` should fail its {kind} check saying \"{says}\", but got {:?}:\n{}",
                            report.status,
                            failures(&report)
                        ));
                    }
                }
                Some(Expectation::Pass) => match report.status {
                    Status::Pass => println!("fixture   {label:<32} passes, as a correct solution should"),
                    Status::Inconclusive => {
                        println!("fixture   {label:<32} passes, speedup inconclusive");
                        unconfirmed.push(format!("the speedup of `{label}` could not be measured"));
                    }
                    Status::Fail => problems.push(format!(
                        "the fixture `{label}` is correct and should pass, but fails:\n{}",
                        failures(&report)
                    )),
                },
                None => {
                    return Err(Error::new(format!("the fixture `{label}` has no valid expectation"))
                        .hint("give it `fails` and `says`, or `passes = true`, in exercises/catalogue.toml"));
                }
            }
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
