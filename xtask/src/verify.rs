//! `cargo xtask verify`: the maintainers' self-test. Every solution passes
//! every check; every stub, as shipped, fails; every wrong-solution fixture
//! fails the way the catalogue says, with the words it says.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use grading_kit::protocol::{CheckKind, Status};

use crate::catalogue::{Exercise, Expectation, Fixture};
use crate::course::Course;
use crate::error::{Error, Result};
use crate::exit;
use crate::judge::{Judge, Scope, Subject, every_check};
use crate::report::{ExerciseReport, State};
use crate::runner::Snapshots;
use crate::stage::{self, Copy, Source};

pub fn run(course: &Course, exercises: &[String]) -> Result<u8> {
    let all = course.select(exercises)?;
    let _lock = course.lock()?;
    let mut findings = Findings::default();
    // One session: the judges built for the solutions serve the stubs and
    // every fixture.
    let mut judge = Judge::new(course, Snapshots::Compare, true);
    let judged_only = solutions(course, &mut judge, &all, &mut findings)?;
    wrong_answers(course, &mut judge, &all, &judged_only, &mut findings)?;

    for note in &findings.unconfirmed {
        println!("note: {note}");
    }
    let concurrent = all.iter().filter(|e| e.level >= 1);
    let sequential = concurrent.clone().filter(|e| e.fixtures.iter().any(|f| f.sequential)).count();
    let reasons = concurrent.clone().filter(|e| e.no_sequential.is_some()).count();
    println!(
        "\nsequential answers: {sequential} of {} exercises from level 1 up have one that must fail; {reasons} cannot \
         have one (the catalogue says why)",
        concurrent.count()
    );
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

/// Every solution passes. Returns the exercises that have judged checks
/// (properties, snapshots): a stub is proved failing on those alone.
fn solutions(
    course: &Course,
    judge: &mut Judge<'_>,
    all: &[&Exercise],
    findings: &mut Findings,
) -> Result<Vec<String>> {
    let mut judged_only = Vec::new();
    let reports = judge.judge(Subject::Solutions, all)?;
    unoptimised_as_declared(course, all, &reports, &mut findings.problems)?;
    for report in reports {
        if report.checks.iter().any(|c| judged_check(c.kind)) {
            judged_only.push(report.name.clone());
        }
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
    Ok(judged_only)
}

/// The check crates that the workspace manifest builds without optimisation
/// (`[profile.grade.package]`, `opt-level = 0`) must be exactly those of the
/// exercises whose judge lists no timed check: a speedup or exploration
/// check run from unoptimised code would measure the compiler's settings,
/// and an untimed check crate built optimised only costs build time.
fn unoptimised_as_declared(
    course: &Course,
    all: &[&Exercise],
    reports: &[ExerciseReport],
    problems: &mut Vec<String>,
) -> Result<()> {
    let read = |path: PathBuf| -> Result<(PathBuf, BTreeSet<String>)> {
        let text = fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
        let unoptimised =
            unoptimised(&text).map_err(|e| Error::new(format!("{} does not parse", path.display())).cause(e))?;
        Ok((path, unoptimised))
    };
    let workspace = read(course.root.join("Cargo.toml"))?;
    for report in reports {
        let Some(exercise) = all.iter().find(|e| e.name == report.name) else { continue };
        // An exercise with a workspace of its own is built from its own manifest.
        let own = exercise.own_manifest(&course.root).map(read).transpose()?;
        let (manifest, unoptimised) = own.as_ref().unwrap_or(&workspace);
        let manifest = manifest.strip_prefix(&course.root).unwrap_or(manifest);
        let timed = report.checks.iter().any(|c| !judged_check(c.kind));
        problems.extend(optimisation_mismatch(exercise, timed, manifest, unoptimised));
    }
    Ok(())
}

/// The packages a workspace manifest builds without optimisation in the
/// `grade` profile.
fn unoptimised(manifest: &str) -> std::result::Result<BTreeSet<String>, toml::de::Error> {
    let manifest: toml::Table = toml::from_str(manifest)?;
    let packages = manifest.get("profile").and_then(|p| p.get("grade")).and_then(|g| g.get("package"));
    let level_0 = |settings: &toml::Value| settings.get("opt-level").and_then(toml::Value::as_integer) == Some(0);
    Ok(packages
        .and_then(toml::Value::as_table)
        .map(|table| table.iter().filter(|(_, settings)| level_0(settings)).map(|(name, _)| name.clone()).collect())
        .unwrap_or_default())
}

/// What is wrong with how `manifest` optimises `exercise`'s check crate,
/// if anything.
fn optimisation_mismatch(
    exercise: &Exercise,
    timed: bool,
    manifest: &Path,
    unoptimised: &BTreeSet<String>,
) -> Option<String> {
    let (name, package, manifest) = (&exercise.name, exercise.checks_package(), manifest.display());
    match (timed, unoptimised.contains(&package)) {
        (true, true) => Some(format!(
            "`{name}` times its code (a speedup or exploration check), but {manifest} builds `{package}` without \
             optimisation: remove it from [profile.grade.package]"
        )),
        (false, false) => Some(format!(
            "`{name}` times nothing, but {manifest} builds `{package}` optimised: add `{package} = {{ opt-level = 0 }}` \
             to [profile.grade.package], which builds it in about a third of the time"
        )),
        _ => None,
    }
}

/// Every stub and every fixture, in one stage and so one cargo invocation
/// (and one more for the exploration build): cargo compiles them all side
/// by side, and a later run finds them built. Each stub and each fixture is
/// a copy of its exercise ([`stage::Copy`]), judged by the exercise's judge;
/// an exercise with a workspace of its own is laid in as itself, one
/// fixture at a time.
fn wrong_answers(
    course: &Course,
    judge: &mut Judge<'_>,
    all: &[&Exercise],
    judged_only: &[String],
    findings: &mut Findings,
) -> Result<()> {
    let mut fixtures: Vec<(&Exercise, &Fixture, Exercise, PathBuf)> = Vec::new();
    // An exercise with a workspace of its own is built alone, from its own
    // manifest: its fixtures are staged one at a time, as itself.
    let (alone, together): (Vec<&Exercise>, Vec<&Exercise>) = all.iter().partition(|e| e.own_workspace);
    for exercise in &together {
        for fixture in &exercise.fixtures {
            let file = exercise.fixture_path(&course.root, fixture);
            if !file.is_file() {
                return Err(Error::new(format!("the fixture {} is missing", file.display()))
                    .hint("add it, or remove its entry from exercises/catalogue.toml"));
            }
            let name = Copy::name_for(&exercise.name, &fixture.name);
            judge.judge_copy_as(&name, exercise)?;
            fixtures.push((exercise, fixture, exercise.copy_named(name), file));
        }
    }
    // A stub's `todo!()` fails the first property it meets: measuring its
    // speedup or building it for exploration would prove nothing more.
    let stub_scope = |e: &Exercise| if judged_only.contains(&e.name) { judged_check as Scope } else { every_check };
    // The stubs are copies too, but for an exercise built alone: its stub
    // is laid in as itself.
    let stub_copies: Vec<Exercise> =
        together.iter().map(|e| e.copy_named(Copy::name_for(&e.name, "shipped-stub"))).collect();
    for (exercise, copy) in together.iter().zip(&stub_copies) {
        judge.judge_copy_as(&copy.name, exercise)?;
    }
    let stubs: Vec<(&str, Source<'_>)> =
        alone.iter().map(|e| (e.name.as_str(), Source::Dir(e.stub_dir(&course.root)))).collect();
    let copies: Vec<Copy<'_>> = together
        .iter()
        .zip(&stub_copies)
        .map(|(exercise, copy)| Copy {
            name: copy.name.clone(),
            of: &exercise.name,
            source: Source::Dir(exercise.stub_dir(&course.root)),
            timed: timed(stub_scope(exercise)),
        })
        .chain(fixtures.iter().map(|(exercise, fixture, copy, file)| Copy {
            name: copy.name.clone(),
            of: &exercise.name,
            source: Source::LibFile(file),
            timed: timed(scope_of(fixture)),
        }))
        .collect();
    let stage = stage::prepare(course, &stubs, &copies)?;

    let stub_subjects: Vec<(&Exercise, &Exercise)> =
        together.iter().zip(&stub_copies).map(|(e, copy)| (*e, copy)).chain(alone.iter().map(|e| (*e, *e))).collect();
    let scoped: Vec<(&Exercise, Scope)> = stub_subjects
        .iter()
        .map(|(exercise, subject)| (*subject, stub_scope(exercise)))
        .chain(fixtures.iter().map(|(_, fixture, copy, _)| (copy, scope_of(fixture))))
        .collect();
    let reports = judge.judge_within(Subject::Learner(&stage), &scoped)?;
    let (stub_reports, fixture_reports) = reports.split_at(stub_subjects.len());
    for ((exercise, _), report) in stub_subjects.iter().zip(stub_reports) {
        // A stub refused by the compiler on purpose must fail there, with
        // the compiler's error: not later, nor for another reason.
        let refused = report.checks.iter().any(|c| c.kind == CheckKind::Build && c.status == Status::Fail);
        if exercise.own_workspace && !refused {
            findings.problems.push(format!(
                "the stub of `{}` compiles, but its lesson is the compiler's refusal (`own_workspace = true`)",
                report.name
            ));
        } else if exercise.own_workspace || report.state == State::NotStarted {
            println!("stub      {:<32} fails ({})", report.name, report.state.words());
        } else if report.status() == Status::Fail {
            // What `check` tells a learner who has not begun: the stub's
            // `todo!()`s, met first, not some other failure.
            findings.problems.push(format!(
                "the stub of `{}` fails, but not as \"not started\" ({}): its checks must meet a `todo!()` first",
                report.name,
                report.state.words()
            ));
        } else {
            findings.problems.push(format!(
                "the stub of `{}` (tests/checks/{}/stub/) does not fail: stubs must fail as shipped",
                report.name, report.name
            ));
        }
    }
    for ((exercise, fixture, _, _), report) in fixtures.iter().zip(fixture_reports) {
        let label = format!("{}/{}", exercise.name, fixture.name);
        judge_fixture(&label, fixture, report, &mut findings.problems, &mut findings.unconfirmed)?;
    }
    for exercise in alone {
        for fixture in &exercise.fixtures {
            // Only this exercise's code changes: the rest of the stage, copies
            // and all, stays as laid above, so that the next run finds it built.
            let file = exercise.fixture_path(&course.root, fixture);
            let stage = stage::prepare(course, &[(exercise.name.as_str(), Source::LibFile(&file))], &copies)?;
            let report = judge.judge_within(Subject::Learner(&stage), &[(exercise, scope_of(fixture))])?;
            let label = format!("{}/{}", exercise.name, fixture.name);
            judge_fixture(&label, fixture, &report[0], &mut findings.problems, &mut findings.unconfirmed)?;
        }
    }
    Ok(())
}

/// Whether a copy judged within `scope` is timed: measured, or explored
/// under the explorer's wall-clock budget (see [`Copy::timed`]).
fn timed(scope: Scope) -> bool {
    scope(CheckKind::Speedup) || scope(CheckKind::Explore)
}

/// Properties and snapshots: the checks the judge decides, run side by side.
fn judged_check(kind: CheckKind) -> bool {
    !matches!(kind, CheckKind::Speedup | CheckKind::Explore)
}

/// The checks that can give a fixture the failure the catalogue names: a
/// fixture meant to fail a speedup check is only measured, one meant to fail
/// exploration only explored, and the others never measured nor explored.
/// A fixture meant to pass runs everything.
fn scope_of(fixture: &Fixture) -> Scope {
    match fixture.expectation() {
        Some(Expectation::Fail { kind: "speedup", .. }) => |kind| kind == CheckKind::Speedup,
        Some(Expectation::Fail { kind: "explore", .. }) => |kind| kind == CheckKind::Explore,
        Some(Expectation::Fail { .. }) => judged_check,
        Some(Expectation::Pass) | None => every_check,
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
            } else if kind == "speedup" && speedup_inconclusive(report) && report.state != State::Pass {
                println!("fixture   {label:<32} rejected, but its speedup was inconclusive");
                unconfirmed.push(format!("`{label}` was not passed, but the machine was too busy to fail it"));
            } else if let Some(effect) =
                fixture.hardware.as_deref().filter(|_| kind == "speedup" && report.state == State::Pass)
            {
                // Its failure is the machine's, not the code's: two virtual
                // cores on one physical core share their caches, and then
                // packed counters cost nothing.
                println!("fixture   {label:<32} not failed: {effect} did not show in this run");
                unconfirmed.push(format!("`{label}` depends on {effect}, which did not show in this run"));
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

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[profile.grade]\ninherits = \"release\"\n\n[profile.grade.package]\n\
                            a-checks = { opt-level = 0 }\nb-checks = { opt-level = 3 }\n";

    #[test]
    fn the_unoptimised_packages_are_those_at_opt_level_0() {
        assert_eq!(unoptimised(MANIFEST).unwrap(), BTreeSet::from(["a-checks".to_string()]));
        assert!(unoptimised("[workspace]\n").unwrap().is_empty());
    }

    #[test]
    fn a_timed_exercise_must_be_optimised_and_an_untimed_one_must_not() {
        let unoptimised = unoptimised(MANIFEST).unwrap();
        let exercise = |name: &str| -> Exercise {
            toml::from_str(&format!("name = \"{name}\"\nlevel = 1\nhints = []\n")).expect("an exercise")
        };
        let (a, b, manifest) = (exercise("a"), exercise("b"), Path::new("Cargo.toml"));
        assert_eq!(optimisation_mismatch(&a, false, manifest, &unoptimised), None);
        assert_eq!(optimisation_mismatch(&b, true, manifest, &unoptimised), None);
        let timed = optimisation_mismatch(&a, true, manifest, &unoptimised).unwrap();
        assert!(timed.contains("Cargo.toml builds `a-checks` without optimisation"), "{timed}");
        let untimed = optimisation_mismatch(&b, false, manifest, &unoptimised).unwrap();
        assert!(untimed.contains("add `b-checks = { opt-level = 0 }`"), "{untimed}");
    }
}
