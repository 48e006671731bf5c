//! Tidy checks: the shape of the course, enforced by `cargo test`.
//!
//! Each failure names the path and what to do about it.

use std::collections::BTreeSet;
use std::path::Path;

use crate::catalogue::{Catalogue, Expectation};
use crate::workspace;

/// The sections every lesson has, in this order.
const LESSON_SECTIONS: [&str; 5] =
    ["## In Go terms", "## In Rust", "## What to do", "## What the checks check", "## Why this matters"];

fn catalogue() -> Catalogue {
    Catalogue::load().unwrap_or_else(|e| panic!("{}", e.render()))
}

fn folders(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_exercise_has_its_crates_lesson_and_hints() {
    let root = workspace::root();
    for exercise in &catalogue().exercises {
        let name = &exercise.name;
        for file in [
            format!("exercises/{name}/Cargo.toml"),
            format!("exercises/{name}/README.md"),
            format!("solutions/{name}/Cargo.toml"),
            format!("solutions/{name}/src/lib.rs"),
            format!("tests/checks/{name}/Cargo.toml"),
            format!("tests/checks/{name}/src/main.rs"),
        ] {
            assert!(root.join(&file).is_file(), "{file} is missing: every exercise in the catalogue needs it");
        }
        assert!(
            (2..=3).contains(&exercise.hints.len()),
            "exercises/catalogue.toml: `{name}` has {} hints; give it 2 or 3, from a nudge to almost the answer",
            exercise.hints.len()
        );
        assert!(
            exercise.fixtures.iter().any(|f| f.fails.is_some()),
            "exercises/catalogue.toml: `{name}` has no wrong-solution fixture; add its typical mistake"
        );
    }
}

#[test]
fn nothing_stands_outside_the_catalogue() {
    let root = workspace::root();
    let catalogue = catalogue();
    let names: BTreeSet<String> = catalogue.exercises.iter().map(|e| e.name.clone()).collect();
    assert_eq!(names.len(), catalogue.exercises.len(), "exercises/catalogue.toml lists a name twice");
    for dir in ["exercises", "solutions", "tests/checks"] {
        for folder in folders(&root.join(dir)) {
            assert!(
                names.contains(&folder),
                "{dir}/{folder} is not in exercises/catalogue.toml: add it there, or remove it"
            );
        }
    }
    for exercise in &catalogue.exercises {
        let fixtures = root.join("tests/checks").join(&exercise.name).join("fixtures");
        let listed: BTreeSet<String> = exercise.fixtures.iter().map(|f| format!("{}.rs", f.name)).collect();
        for file in std::fs::read_dir(&fixtures).into_iter().flatten().filter_map(|e| e.ok()) {
            let file = file.file_name().to_string_lossy().into_owned();
            assert!(
                listed.contains(&file),
                "{}/{file} is not listed as a fixture of `{}` in the catalogue",
                fixtures.display(),
                exercise.name
            );
        }
        for fixture in &exercise.fixtures {
            let path = exercise.fixture_path(&root, fixture);
            assert!(path.is_file(), "{} is listed in the catalogue but missing", path.display());
            match fixture.expectation() {
                Some(Expectation::Fail { kind, .. }) => assert!(
                    ["property", "snapshot", "speedup", "explore", "timeout", "build"].contains(&kind),
                    "exercises/catalogue.toml: fixture `{}` fails with unknown kind `{kind}`",
                    fixture.name
                ),
                Some(Expectation::Pass) => {}
                None => panic!(
                    "exercises/catalogue.toml: fixture `{}` needs either `fails` and `says`, or `passes = true`",
                    fixture.name
                ),
            }
        }
    }
}

#[test]
fn levels_are_defined_and_in_order() {
    let catalogue = catalogue();
    let mut last = 0;
    for exercise in &catalogue.exercises {
        assert!(
            catalogue.levels.iter().any(|l| l.number == exercise.level),
            "exercises/catalogue.toml: `{}` is in level {}, which has no [[level]] entry",
            exercise.name,
            exercise.level
        );
        assert!(exercise.level >= last, "exercises/catalogue.toml: `{}` is out of level order", exercise.name);
        last = exercise.level;
    }
}

#[test]
fn lessons_follow_the_course_outline() {
    let root = workspace::root();
    for exercise in &catalogue().exercises {
        let path = root.join("exercises").join(&exercise.name).join("README.md");
        let lesson = std::fs::read_to_string(&path).unwrap_or_default();
        let mut from = 0;
        for section in LESSON_SECTIONS {
            let at = lesson[from..].find(section).map(|i| i + from);
            assert!(at.is_some(), "{}: needs a `{section}` section, after the ones before it", path.display());
            from = at.unwrap_or(from);
        }
    }
}

/// Rationale: a learner's deleted or renamed `lib.rs` must break one
/// exercise, not the whole workspace (which is what happens when cargo has
/// to discover a crate's targets and finds none).
#[test]
fn exercise_manifests_name_their_library() {
    let root = workspace::root();
    for exercise in &catalogue().exercises {
        let path = root.join("exercises").join(&exercise.name).join("Cargo.toml");
        let manifest = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            manifest.contains("[lib]\npath = \"src/lib.rs\""),
            "{}: add `[lib]` with `path = \"src/lib.rs\"`",
            path.display()
        );
        let checks = root.join("tests/checks").join(&exercise.name).join("Cargo.toml");
        let checks_manifest = std::fs::read_to_string(&checks).unwrap_or_default();
        assert!(
            checks_manifest.contains(&format!("name = \"{}\"", exercise.checks_package())),
            "{}: the check crate must be called `{}`",
            checks.display(),
            exercise.checks_package()
        );
    }
}

/// Rationale: `cargo xtask reset` restores an exercise from the course's own
/// copy of its stub, so that copy must be the stub as shipped. Mid-course the
/// learner's `exercises/` differs from the shipped one and the test checks
/// nothing; in CI (`CI` set, a fresh clone) it always applies.
#[test]
fn stub_copies_match_the_shipped_stubs() {
    let root = workspace::root();
    if !crate::reset::exercises_as_in_git(&root) {
        assert!(std::env::var_os("CI").is_none(), "CI runs on a fresh clone, yet exercises/ has changes");
        eprintln!("note: exercises/ has changes against git's HEAD, so the stub copies are not compared");
        return;
    }
    for exercise in &catalogue().exercises {
        let shipped = crate::reset::read_tree(&exercise.source_dir(&root)).unwrap_or_default();
        let stub = exercise.stub_dir(&root);
        assert!(
            crate::reset::read_tree(&stub).ok() == Some(shipped),
            "{} differs from exercises/{}/src: run `cargo xtask sync-stubs` and commit the copy",
            stub.strip_prefix(&root).unwrap_or(&stub).display(),
            exercise.name
        );
    }
}

/// Rationale: the runner builds exploration checks with `--features
/// NAME-checks/explore`; a check crate that has them but not the feature
/// would fail to build in the middle of a learner's check.
#[test]
fn exploration_checks_have_the_exploration_build() {
    let root = workspace::root();
    for exercise in &catalogue().exercises {
        let dir = root.join("tests/checks").join(&exercise.name);
        let checks = std::fs::read_to_string(dir.join("src/main.rs")).unwrap_or_default();
        if !checks.contains(".explore(") {
            continue;
        }
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
        assert!(
            manifest.contains(r#"explore = ["grading-kit/explore", "course-sync/explore"]"#),
            "{}: has exploration checks, so it needs the feature \
             `explore = [\"grading-kit/explore\", \"course-sync/explore\"]` and a `course-sync` dependency",
            dir.join("Cargo.toml").display()
        );
    }
}

/// Rationale: the curriculum overview is read before the catalogue; it must
/// name every exercise, in course order, and nothing else.
#[test]
fn the_curriculum_overview_follows_the_catalogue() {
    let path = workspace::root().join("docs/curriculum.md");
    let overview = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let listed: Vec<&str> =
        overview.lines().filter_map(|line| line.strip_prefix("| `")?.split_once('`').map(|(name, _)| name)).collect();
    let catalogue = catalogue();
    let names: Vec<&str> = catalogue.exercises.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        listed,
        names,
        "{}: list every exercise of the catalogue, in its order, one table row each",
        path.display()
    );
}
