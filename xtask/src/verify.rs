//! `cargo xtask verify`: the maintainers' self-test. Every solution passes
//! every check; every stub, as shipped, fails; every wrong-solution fixture
//! fails the way the catalogue says, with the words it says.

use std::path::PathBuf;

use grading_kit::protocol::{CheckKind, Status};

use crate::catalogue::{Exercise, Expectation, Fixture};
use crate::course::Course;
use crate::error::{Error, Result};
use crate::exit;
use crate::judge::{Judge, Subject};
use crate::report::{ExerciseReport, State};
use crate::runner::Snapshots;
use crate::stage::{self, Source};

pub fn run(course: &Course, names: &[String]) -> Result<u8> {
    let _lock = course.lock()?;
    let all = course.select(names)?;
    let mut findings = Findings::default();
    // One session: the judges built for the solutions serve the stubs and
    // every fixture wave.
    let mut judge = Judge::new(course, Snapshots::Compare, true);
    solutions(&mut judge, &all, &mut findings)?;
    stubs(course, &mut judge, &all, &mut findings)?;
    fixtures(course, &mut judge, &all, &mut findings)?;

    for note in &findings.unconfirmed {
        println!("note: {note}");
    }
    if findings.problems.is_empty() {
        println!("\nverify: all good ({} exercises).", all.len());
        Ok(exit::SUCCESS)
    } else {
        for problem in &findings.problems {
            println!("\nproblem: {problem}");
        }
        println!("\nverify: {} problems.", findings.problems.len());
        Ok(exit::FAILED)
    }
}

/// What the self-test found wrong, and what it could not confirm.
#[derive(Default)]
struct Findings {
    problems: Vec<String>,
    unconfirmed: Vec<String>,
}

/// Every solution passes.
fn solutions(judge: &mut Judge<'_>, all: &[&Exercise], findings: &mut Findings) -> Result<()> {
    for report in judge.judge(Subject::Solutions, all)? {
        match report.status() {
            Status::Pass => println!("solution  {:<32} passes{}", report.name, speedup_note(&report)),
            Status::Inconclusive => {
                println!("solution  {:<32} passes, speedup inconclusive", report.name);
                findings
                    .unconfirmed
                    .push(format!("the speedup of the solution of `{}` could not be measured", report.name));
            }
            Status::Fail => {
                findings.problems.push(format!("the solution of `{}` fails:\n{}", report.name, failures(&report)))
            }
        }
    }
    Ok(())
}

/// The stubs as shipped fail: the course's own copies, so that a learner's
/// solved exercises do not make the self-test fail.
fn stubs(course: &Course, judge: &mut Judge<'_>, all: &[&Exercise], findings: &mut Findings) -> Result<()> {
    let stubs: Vec<(&str, Source<'_>)> =
        all.iter().map(|e| (e.name.as_str(), Source::Dir(e.stub_dir(&course.root)))).collect();
    let stage = stage::prepare(course, &stubs)?;
    for report in judge.judge(Subject::Learner(&stage), all)? {
        if report.status() == Status::Fail {
            println!("stub      {:<32} fails ({})", report.name, report.state.words());
        } else {
            findings.problems.push(format!(
                "the stub of `{}` (tests/checks/{}/stub/) does not fail: stubs must fail as shipped",
                report.name, report.name
            ));
        }
    }
    Ok(())
}

/// Every fixture fails as the catalogue says. Fixtures go in waves: the
/// first fixture of every exercise together, then the second ones, and so
/// on. A wave is one staged build, so cargo compiles a wave's crates side by
/// side instead of one after another.
fn fixtures(course: &Course, judge: &mut Judge<'_>, all: &[&Exercise], findings: &mut Findings) -> Result<()> {
    let waves = all.iter().map(|e| e.fixtures.len()).max().unwrap_or(0);
    for wave in 0..waves {
        let members: Vec<(&Exercise, &Fixture, PathBuf)> =
            all.iter().filter_map(|e| e.fixtures.get(wave).map(|f| (*e, f, e.fixture_path(&course.root, f)))).collect();
        if let Some((_, _, missing)) = members.iter().find(|(_, _, file)| !file.is_file()) {
            return Err(Error::new(format!("the fixture {} is missing", missing.display()))
                .hint("add it, or remove its entry from exercises/catalogue.toml"));
        }
        let sources: Vec<(&str, Source<'_>)> =
            members.iter().map(|(e, _, file)| (e.name.as_str(), Source::LibFile(file))).collect();
        let stage = stage::prepare(course, &sources)?;
        let exercises: Vec<&Exercise> = members.iter().map(|(e, _, _)| *e).collect();
        let reports = judge.judge(Subject::Learner(&stage), &exercises)?;
        for ((exercise, fixture, _), report) in members.iter().zip(reports) {
            let label = format!("{}/{}", exercise.name, fixture.name);
            judge_fixture(&label, fixture, &report, &mut findings.problems, &mut findings.unconfirmed)?;
        }
    }
    Ok(())
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
            } else if kind == "speedup" && speedup_inconclusive(report) && report.state != State::Pass {
                println!("fixture   {label:<32} rejected, but its speedup was inconclusive");
                unconfirmed.push(format!("`{label}` was not passed, but the machine was too busy to fail it"));
            } else {
                problems.push(format!(
                    "the fixture `{label}` should fail its {kind} check saying \"{says}\", but got \"{}\":\n{}",
                    report.state.words(),
                    failures(report)
                ));
            }
        }
        Some(Expectation::Pass) => match report.status() {
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
                if c.timed_out() { ", timed out" } else { "" },
                c.message(&report.name).replace('\n', "\n    ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `report` has a failing check of `kind` whose message says `says`
/// (in the words the learner reads).
pub fn fails_with(report: &ExerciseReport, kind: &str, says: &str) -> bool {
    report.checks.iter().any(|c| {
        let kind_matches = match kind {
            "timeout" => c.timed_out(),
            _ => c.kind.name() == kind && !c.timed_out(),
        };
        c.status == Status::Fail
            && kind_matches
            && c.message(&report.name).to_lowercase().contains(&says.to_lowercase())
    })
}

/// Whether the speedup check of `report` could not decide.
pub fn speedup_inconclusive(report: &ExerciseReport) -> bool {
    report.checks.iter().any(|c| c.kind == CheckKind::Speedup && c.status == Status::Inconclusive)
}
