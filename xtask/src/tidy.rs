//! Tidy checks: the shape of the course, enforced by `cargo test`.
//!
//! Each failure names the path and what to do about it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::catalogue::{Catalogue, Expectation};
use crate::course::Course;

/// The sections every lesson has, in this order.
const LESSON_SECTIONS: [&str; 5] =
    ["## In Go terms", "## In Rust", "## What to do", "## What the checks check", "## Why this matters"];

/// The course of this workspace (never a learner's copy elsewhere).
fn course() -> Course {
    Course::at(&Course::workspace_root(), None, None).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn catalogue() -> Catalogue {
    course().catalogue
}

fn root() -> PathBuf {
    Course::workspace_root()
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
    let root = root();
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
    let root = root();
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
    let root = root();
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
    let root = root();
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
    let root = root();
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
    let root = root();
    for exercise in &catalogue().exercises {
        let dir = root.join("tests/checks").join(&exercise.name);
        let checks = std::fs::read_to_string(dir.join("src/main.rs")).unwrap_or_default();
        if !checks.contains(".explore(") {
            continue;
        }
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
        let feature = explore_feature(exercise);
        assert!(
            manifest.contains(&feature),
            "{}: has exploration checks, so it needs the feature `{feature}` and a `course-sync` dependency",
            dir.join("Cargo.toml").display()
        );
    }
}

/// The `explore` feature of a check crate: shuttle's build, or loom's where
/// the catalogue says `explorer = "loom"`.
fn explore_feature(exercise: &crate::catalogue::Exercise) -> String {
    let explorer = if exercise.explored_by_loom() { "loom" } else { "explore" };
    format!(r#"explore = ["grading-kit/{explorer}", "course-sync/{explorer}"]"#)
}

/// Rationale: the runner knows two explorers, and builds the exercises of
/// each in a cargo invocation of its own; a name it does not know would be
/// explored by shuttle under another name.
#[test]
fn explorers_are_shuttle_or_loom() {
    for exercise in &catalogue().exercises {
        assert!(
            exercise.explorer.as_deref().is_none_or(|e| e == "loom"),
            "exercises/catalogue.toml: `{}` has `explorer = {:?}`; write `explorer = \"loom\"`, or leave it out \
             for shuttle",
            exercise.name,
            exercise.explorer
        );
    }
}

/// Rationale: the course's workspace must build, lint and test while the
/// stub of an `own_workspace` exercise is refused by the compiler: its
/// learner crate and its checks stay out of the course's workspace, its
/// checks are a workspace of their own with the course's `grade` profile
/// and a lock file that pins what the course's pins; every other exercise
/// is a member (ARCHITECTURE.md, "Lessons whose stub does not compile").
#[test]
fn own_workspaces_are_left_out_of_the_course_and_match_it() {
    let root_manifest = Manifest::read("Cargo.toml");
    let workspace = root_manifest.toml.get("workspace").and_then(toml::Value::as_table).cloned().unwrap_or_default();
    let excluded: BTreeSet<String> = workspace
        .get("exclude")
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let wanted: BTreeSet<String> = catalogue()
        .exercises
        .iter()
        .filter(|e| e.own_workspace)
        .flat_map(|e| [format!("exercises/{}", e.name), format!("tests/checks/{}", e.name)])
        .collect();
    assert_eq!(
        excluded, wanted,
        "Cargo.toml: `[workspace] exclude` must list exactly the learner crates and checks of the exercises with \
         `own_workspace = true`"
    );
    // Per-package settings name each workspace's own packages: the rest of
    // the profile must be the course's.
    let grade_of = |manifest: &Manifest| {
        let mut grade =
            manifest.toml.get("profile").and_then(|p| p.get("grade")).and_then(toml::Value::as_table).cloned();
        grade.iter_mut().for_each(|grade| drop(grade.remove("package")));
        grade
    };
    let grade = grade_of(&root_manifest);
    let lock = read_lock("Cargo.lock");
    for exercise in catalogue().exercises.iter().filter(|e| e.own_workspace) {
        let relative = format!("tests/checks/{}/Cargo.toml", exercise.name);
        let manifest = Manifest::read(&relative);
        assert!(
            manifest.toml.get("workspace").is_some(),
            "{relative}: an `own_workspace` exercise's checks are a workspace of their own: add `[workspace]`"
        );
        assert!(
            grade_of(&manifest) == grade,
            "{relative}: `[profile.grade]` must be the course's (Cargo.toml's), but for its `package` settings, or \
             its checks are built otherwise"
        );
        let own = read_lock(&format!("tests/checks/{}/Cargo.lock", exercise.name));
        for (package, version) in &own {
            assert!(
                lock.iter().any(|(p, v)| p == package && v == version),
                "tests/checks/{}/Cargo.lock: `{package} {version}` is not what the course's Cargo.lock pins; copy \
                 Cargo.lock there and run `cargo metadata --manifest-path {relative} > /dev/null` to trim it",
                exercise.name
            );
        }
    }
}

/// The registry packages a lock file pins: (name, version).
fn read_lock(relative: &str) -> Vec<(String, String)> {
    let lock = Manifest::read(relative);
    lock.toml
        .get("package")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("source").is_some())
        .filter_map(|p| Some((p.get("name")?.as_str()?.to_string(), p.get("version")?.as_str()?.to_string())))
        .collect()
}

/// Rationale: the curriculum overview is read before the catalogue; it must
/// name every exercise, in course order, and nothing else.
#[test]
fn the_curriculum_overview_follows_the_catalogue() {
    let path = root().join("docs/curriculum.md");
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

/// A manifest, parsed, with its text kept to tell lines.
struct Manifest {
    path: PathBuf,
    text: String,
    toml: toml::Table,
}

impl Manifest {
    fn read(relative: &str) -> Manifest {
        let path = root().join(relative);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let toml = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Manifest { path: PathBuf::from(relative), text, toml }
    }

    /// `path:line` of the first line that starts with `key`, for messages.
    fn at(&self, key: &str) -> String {
        self.at_in("", key)
    }

    /// `path:line` of the first line that starts with `key` after the line
    /// `section` (a table header such as `[dependencies]`).
    fn at_in(&self, section: &str, key: &str) -> String {
        let lines: Vec<&str> = self.text.lines().collect();
        let from = lines.iter().position(|l| l.trim() == section).unwrap_or(0);
        let line =
            lines[from..].iter().position(|l| l.trim_start().starts_with(key)).map_or(from + 1, |i| from + i + 1);
        format!("{}:{line}", self.path.display())
    }

    /// Every dependency of every kind (normal, dev, build, per target), by
    /// the name the manifest gives it, with its table.
    fn dependencies(&self) -> Vec<(String, toml::Value)> {
        let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
        let mut tables: Vec<&toml::Table> = kinds.iter().filter_map(|k| self.toml.get(*k)?.as_table()).collect();
        if let Some(targets) = self.toml.get("target").and_then(toml::Value::as_table) {
            for target in targets.values().filter_map(toml::Value::as_table) {
                tables.extend(kinds.iter().filter_map(|k| target.get(*k)?.as_table()));
            }
        }
        tables.into_iter().flat_map(|t| t.iter().map(|(name, value)| (name.clone(), value.clone()))).collect()
    }
}

/// The package a dependency entry names: `package = "…"` when renamed.
fn package_of(name: &str, value: &toml::Value) -> String {
    value.get("package").and_then(toml::Value::as_str).unwrap_or(name).to_string()
}

/// Rationale: an exercise teaches a few crates and nothing else; a learner
/// crate that pulled in proptest or the kit could reach the grader's
/// machinery (ARCHITECTURE.md, "exercises/").
#[test]
fn exercises_depend_only_on_the_crates_they_teach() {
    const TAUGHT: [&str; 5] = ["rayon", "crossbeam-channel", "course-sync", "tokio", "tokio-util"];
    for exercise in &catalogue().exercises {
        for folder in ["exercises", "solutions"] {
            let manifest = Manifest::read(&format!("{folder}/{}/Cargo.toml", exercise.name));
            for (name, value) in manifest.dependencies() {
                let package = package_of(&name, &value);
                assert!(
                    TAUGHT.contains(&package.as_str()),
                    "{}: `{package}` is not one of the crates the course teaches ({}); remove it, or, if the \
                     course now teaches it, add it to the allow-list here and to ARCHITECTURE.md",
                    manifest.at(&name),
                    TAUGHT.join(", ")
                );
            }
        }
    }
}

/// Rationale: the kit judges every exercise alike; a dependency on one
/// exercise's crate would give it a say in its own verdict.
#[test]
fn the_kit_depends_on_no_exercise() {
    let catalogue = catalogue();
    let manifest = Manifest::read("tests/grading-kit/Cargo.toml");
    for (name, value) in manifest.dependencies() {
        let package = package_of(&name, &value);
        let path = value.get("path").and_then(toml::Value::as_str).unwrap_or_default();
        let exercise =
            catalogue.exercises.iter().any(|e| package == e.name || package == format!("{}-solution", e.name));
        assert!(
            !exercise && !path.contains("exercises/") && !path.contains("solutions/"),
            "{}: the grading kit depends on `{package}`, an exercise or a solution; the kit must depend on no \
             exercise: move what it needs into the kit or into the check crate",
            manifest.at(&name)
        );
    }
}

/// Rationale: the xtask reads results and never produces them; linking the
/// kit's harness would bring proptest, insta and rayon onto every learner's
/// build of the xtask (ARCHITECTURE.md, "xtask/").
#[test]
fn the_xtask_links_the_kit_without_its_harness() {
    let manifest = Manifest::read("xtask/Cargo.toml");
    let kit = manifest.toml.get("dependencies").and_then(|d| d.get("grading-kit"));
    assert!(
        kit.and_then(|k| k.get("default-features")).and_then(toml::Value::as_bool) == Some(false),
        "{}: depend on the kit with `default-features = false`: the xtask needs only its protocol types",
        manifest.at("grading-kit")
    );
    // What cargo resolves for the xtask alone, features unified as in a
    // build of it: the manifest could be right and a feature still leak in.
    let output = std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(root())
        .args(["tree", "-p", "xtask", "-e", "normal,build", "--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8_lossy(&output.stdout);
    for forbidden in ["proptest", "insta", "rayon"] {
        let linked = tree.lines().find(|l| l.split_whitespace().next() == Some(forbidden));
        assert!(
            linked.is_none(),
            "xtask/Cargo.toml:1: the xtask links `{forbidden}` (`cargo tree -p xtask -i {forbidden}` shows through \
             what); it must link neither proptest nor insta nor rayon: take the dependency or feature that brings \
             it out"
        );
    }
}

/// Rationale: snapshots and results are filed under the name `checks!`
/// gives; a copied check crate that kept its model's name would judge one
/// exercise under another's.
#[test]
fn checks_are_named_after_their_folder() {
    for exercise in &catalogue().exercises {
        let relative = format!("tests/checks/{}/src/main.rs", exercise.name);
        let text = std::fs::read_to_string(root().join(&relative)).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            let Some(rest) = line.split("checks!(").nth(1) else { continue };
            let named = rest.split(')').next().unwrap_or_default().trim();
            assert!(
                named.is_empty() || named == format!("\"{}\"", exercise.name),
                "{relative}:{}: `checks!({named})` in the checks of `{}`; write `checks!()` (the name comes from \
                 the package) or `checks!(\"{}\")`",
                i + 1,
                exercise.name,
                exercise.name
            );
        }
    }
}

/// Rationale: the runner builds the subject with the default feature and
/// the judge with `--no-default-features --features solution` (and the
/// exploration build with `explore`): a check crate whose features say
/// otherwise would judge the wrong crate, or fail to build mid-check.
#[test]
fn check_crates_have_the_judge_and_subject_features() {
    for exercise in &catalogue().exercises {
        let name = &exercise.name;
        let manifest = Manifest::read(&format!("tests/checks/{name}/Cargo.toml"));
        let features = manifest.toml.get("features").and_then(toml::Value::as_table).cloned().unwrap_or_default();
        let strings = |key: &str| -> Option<Vec<String>> {
            Some(features.get(key)?.as_array()?.iter().filter_map(|v| Some(v.as_str()?.to_string())).collect())
        };
        let expected =
            [("default", vec!["learner"]), ("learner", vec!["dep:learner"]), ("solution", vec!["dep:reference"])];
        for (key, value) in expected {
            assert!(
                strings(key) == Some(value.iter().map(|s| s.to_string()).collect()),
                "{}: the `[features]` block needs `{key} = {value:?}` (the subject is the default build, the judge \
                 `--no-default-features --features solution`)",
                manifest.at_in("[features]", key)
            );
        }
        let unknown = features.keys().find(|k| !["default", "learner", "solution", "explore"].contains(&k.as_str()));
        if let Some(key) = unknown {
            panic!(
                "{}: unknown feature `{key}`; a check crate has `learner`, `solution` and maybe `explore`",
                manifest.at_in("[features]", key)
            );
        }
        if features.contains_key("explore") {
            let explorer = if exercise.explored_by_loom() { "loom" } else { "explore" };
            assert!(
                strings("explore") == Some(vec![format!("grading-kit/{explorer}"), format!("course-sync/{explorer}")]),
                "{}: write `{}`",
                manifest.at_in("[features]", "explore"),
                explore_feature(exercise)
            );
        }
        let dependencies = manifest.toml.get("dependencies");
        for (dep, package, folder) in
            [("learner", name.clone(), "exercises"), ("reference", format!("{name}-solution"), "solutions")]
        {
            let entry = dependencies.and_then(|d| d.get(dep));
            let shaped = entry.is_some_and(|e| {
                e.get("package").and_then(toml::Value::as_str) == Some(package.as_str())
                    && e.get("path").and_then(toml::Value::as_str) == Some(&format!("../../../{folder}/{name}"))
                    && e.get("optional").and_then(toml::Value::as_bool) == Some(true)
            });
            assert!(
                shaped,
                "{}: write `{dep} = {{ package = \"{package}\", path = \"../../../{folder}/{name}\", optional = true }}`",
                manifest.at_in("[dependencies]", dep)
            );
        }
    }
}

/// Rationale: a concurrency course whose checks pass sequential code does
/// not grade concurrency. From level 1 up, every exercise carries the
/// natural sequential answer as a fixture that `verify` proves fails, or
/// says in the catalogue why no such answer exists.
#[test]
fn every_concurrent_exercise_fails_its_sequential_answer() {
    for exercise in catalogue().exercises.iter().filter(|e| e.level >= 1) {
        let sequential = exercise.fixtures.iter().filter(|f| f.sequential).collect::<Vec<_>>();
        for fixture in &sequential {
            assert!(
                fixture.fails.is_some(),
                "exercises/catalogue.toml: the sequential fixture `{}/{}` must fail (`fails = ...`, `says = ...`)",
                exercise.name,
                fixture.name
            );
        }
        let has_one = !sequential.is_empty() || exercise.no_sequential.as_deref().is_some_and(|r| !r.trim().is_empty());
        assert!(
            has_one,
            "exercises/catalogue.toml: `{}` has no fixture with `sequential = true`: add the natural answer that runs \
             nothing concurrently (it must fail), or `no_sequential = \"why\"` when the API cannot be answered \
             without concurrency",
            exercise.name
        );
    }
}
