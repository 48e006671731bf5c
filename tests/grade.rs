//! `cargo xtask grade` over fixture submissions: points, the report files,
//! and tampered submissions graded as if the tampering had not happened.
//!
//! Exact scores are asserted on `serial_baseline` and `channel_word_count`,
//! whose checks (properties and snapshots) are deterministic; the speedup
//! scoring rule is unit-tested in `xtask/src/grade/score.rs` with given
//! figures, since a busy machine may make a measured speedup inconclusive.

use std::path::Path;

use course_test_support::tempfile_dir::Dir;
use course_test_support::{fixture_submission, json, root, xtask};

const EXERCISES: [&str; 2] = ["serial_baseline", "channel_word_count"];

/// Writes `text` at `relative` inside `dir`, making its folders.
fn put(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Copies this workspace's `from` folder (such as `solutions/NAME/src`) to
/// `exercises/NAME/src` in `dir`.
fn lay(dir: &Path, exercise: &str, from: &str) {
    let source = root().join(from).join(exercise).join("src");
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        put(dir, &format!("exercises/{exercise}/src/{}", entry.file_name().to_string_lossy()), &text);
    }
}

fn solved(dir: &Path, exercise: &str) {
    lay(dir, exercise, "solutions");
}

/// The stub as shipped: this workspace's own learner code.
fn stub(dir: &Path, exercise: &str) {
    lay(dir, exercise, "exercises");
}

/// The JUnit report with its timings replaced by `[time]`.
fn redact_times(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find(" time=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 7..];
        let end = after.find('"').unwrap();
        out.push_str(" time=\"[time]\"");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Gradescope's `results.json` with its grading time replaced by `[time]`,
/// and without the note a machine of fewer than 2 cores adds.
fn redact_gradescope(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("\"execution_time\": ") {
            Some(at) => format!("{}\"execution_time\": \"[time]\",", &line[..at]),
            None => line.to_string(),
        })
        .map(|line| match line.find("- This machine gives the grader") {
            Some(_) => line.split("- This machine gives the grader").next().unwrap().to_string(),
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_half_done_submission_gets_partial_points_in_every_report() {
    let submission = Dir::new("grade-half-done");
    solved(submission.path(), "serial_baseline");
    stub(submission.path(), "channel_word_count");
    let reports = Dir::new("grade-half-done-reports");
    let (junit, gradescope, check) =
        (reports.path().join("junit.xml"), reports.path().join("results.json"), reports.path().join("check.json"));
    let output = xtask(&["grade", EXERCISES[0], EXERCISES[1], "--student", "half-done", "--submission"])
        .arg(submission.path())
        .arg("--junit")
        .arg(&junit)
        .arg("--gradescope")
        .arg(&gradescope)
        .arg("--json")
        .arg(&check)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("9 of 18 points"), "{stdout}");

    let results = json(&std::fs::read(&gradescope).unwrap());
    assert_eq!(results["score"], 9);
    assert_eq!(results["max_score"], 18);
    assert_eq!(results["output_format"], "md");
    assert!(results["execution_time"].as_u64().is_some(), "{results}");
    insta::assert_snapshot!("half_done_gradescope", redact_gradescope(&std::fs::read_to_string(&gradescope).unwrap()));
    insta::assert_snapshot!("half_done_junit", redact_times(&std::fs::read_to_string(&junit).unwrap()));

    // `--json` is the document of `check --format json`.
    let check = json(&std::fs::read(&check).unwrap());
    let names: Vec<&str> = check["exercises"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, EXERCISES);
    assert_eq!(check["exercises"][0]["status"], "pass");
    assert_eq!(check["exercises"][1]["status"], "fail");
}

/// Every submission of the class, by folder name.
fn class(dir: &Path) {
    let sub = |name: &str| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.join("exercises")).unwrap();
        path
    };
    // Full marks, and none.
    let all = sub("solutions");
    EXERCISES.iter().for_each(|e| solved(&all, e));
    let none = sub("stubs");
    EXERCISES.iter().for_each(|e| stub(&none, e));

    // A check edited to pass anything: the course's check grades the stub.
    let edited_check = sub("edited_check");
    stub(&edited_check, "serial_baseline");
    put(&edited_check, "tests/checks/serial_baseline/src/main.rs", "fn main() { println!(\"pass\"); }\n");

    // A snapshot edited: the course's snapshot still passes the solution.
    let edited_snapshot = sub("edited_snapshot");
    solved(&edited_snapshot, "channel_word_count");
    let snapshots = root().join("tests/checks/channel_word_count/snapshots");
    for entry in std::fs::read_dir(&snapshots).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        put(
            &edited_snapshot,
            &format!("tests/checks/channel_word_count/snapshots/{name}"),
            "---\nsource: x\n---\n{}\n",
        );
    }

    // A dependency on the solution: the course's manifest has none.
    let dependency = sub("dependency");
    let manifest = std::fs::read_to_string(root().join("exercises/serial_baseline/Cargo.toml")).unwrap();
    put(
        &dependency,
        "exercises/serial_baseline/Cargo.toml",
        &format!(
            "{manifest}\n[dependencies]\nserial_baseline-solution = {{ path = \"../../solutions/serial_baseline\" }}\n"
        ),
    );
    put(&dependency, "exercises/serial_baseline/src/lib.rs", "pub use serial_baseline_solution::*;\n");

    // A build script that would break the build: never run.
    let build_rs = sub("build_rs");
    solved(&build_rs, "serial_baseline");
    put(&build_rs, "exercises/serial_baseline/build.rs", "fn main() { panic!(\"the build script ran\") }\n");

    // The solution pulled in at compile time.
    let include = sub("include_solution");
    put(
        &include,
        "exercises/serial_baseline/src/lib.rs",
        "include!(\"../../../solutions/serial_baseline/src/lib.rs\");\n",
    );
    put(
        &include,
        "exercises/channel_word_count/src/lib.rs",
        "#[path = \"../../../solutions/channel_word_count/src/lib.rs\"]\nmod solution;\npub use solution::*;\n",
    );

    // Learner code that exits with status 0 before any verdict.
    let exit_zero = sub("exit_zero");
    put(
        &exit_zero,
        "exercises/channel_word_count/src/lib.rs",
        r#"
use std::collections::BTreeMap;
use crossbeam_channel::{Receiver, Sender};
pub fn produce(_: String, _: Sender<String>) { std::process::exit(0) }
pub fn collect(_: Receiver<String>) -> BTreeMap<String, usize> { std::process::exit(0) }
pub fn count_words(_: Vec<String>) -> BTreeMap<String, usize> { std::process::exit(0) }
"#,
    );

    // A link to the solution in place of the learner's file.
    #[cfg(unix)]
    {
        let symlink = sub("symlink");
        std::fs::create_dir_all(symlink.join("exercises/serial_baseline/src")).unwrap();
        std::os::unix::fs::symlink(
            root().join("solutions/serial_baseline/src/lib.rs"),
            symlink.join("exercises/serial_baseline/src/lib.rs"),
        )
        .unwrap();
    }
}

#[test]
fn a_class_is_graded_and_tampering_changes_no_score() {
    let submissions = Dir::new("grade-class");
    class(submissions.path());
    let out = Dir::new("grade-class-reports");
    let output = xtask(&["grade", EXERCISES[0], EXERCISES[1], "--submissions"])
        .arg(submissions.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));

    // Scores as if nothing had been tampered with.
    insta::assert_snapshot!("class_csv", std::fs::read_to_string(out.path().join("class.csv")).unwrap());

    let changed = |student: &str| -> String {
        let results = json(&std::fs::read(out.path().join(student).join("results.json")).unwrap());
        let integrity = results["tests"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(integrity["name"], "integrity: trusted files unchanged");
        integrity["output"].as_str().unwrap().to_string()
    };
    assert_eq!(changed("solutions"), "");
    assert_eq!(changed("edited_check"), "tests/checks/serial_baseline/src/main.rs (changed)");
    assert!(changed("edited_snapshot").contains("tests/checks/channel_word_count/snapshots/"));
    assert_eq!(changed("dependency"), "exercises/serial_baseline/Cargo.toml (changed)");
    assert_eq!(changed("build_rs"), "exercises/serial_baseline/build.rs (added)");

    // The notes, as the student's summary gives them (Gradescope's `output`
    // has them too, as Markdown).
    let output_of = |student: &str| -> String {
        let results = json(&std::fs::read(out.path().join(student).join("results.json")).unwrap());
        assert!(!results["output"].as_str().unwrap().is_empty(), "{results}");
        std::fs::read_to_string(out.path().join(student).join("summary.txt")).unwrap()
    };
    let included = output_of("include_solution");
    assert!(
        included.contains("serial_baseline rejected: exercises/serial_baseline/src/lib.rs:1: `include!"),
        "{included}"
    );
    assert!(
        included.contains("channel_word_count rejected: exercises/channel_word_count/src/lib.rs:1: `#[path"),
        "{included}"
    );
    #[cfg(unix)]
    assert!(
        output_of("symlink").contains("exercises/serial_baseline/src/lib.rs was left out: a symbolic link"),
        "{}",
        output_of("symlink")
    );

    let exited = json(&std::fs::read(out.path().join("exit_zero/check.json")).unwrap());
    for check in exited["exercises"][1]["checks"].as_array().unwrap() {
        assert_eq!(check["status"], "fail", "{check}");
    }
    assert!(stdout.contains("submissions graded"), "{stdout}");
}

/// GitHub Classroom's result: one test per check, each with its points, as
/// `autograding-grading-reporter` adds them up (the sum of the `score`s).
#[test]
fn classroom_gets_one_test_per_check_with_its_points() {
    let submission = fixture_submission("serial_baseline", "aggregate_starts_at_zero");
    let reports = Dir::new("grade-classroom-reports");
    let file = reports.path().join("classroom.json");
    let output = xtask(&["grade", "serial_baseline", "--submission"])
        .arg(submission.path())
        .arg("--classroom")
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.len() < 96 * 1024, "base64 of it must fit an environment variable: {} bytes", text.len());
    let results = json(text.as_bytes());
    assert_eq!(results["version"], 1);
    assert_eq!(results["max_score"], 9);
    assert_eq!(results["status"], "fail");
    let tests = results["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 6, "five checks and integrity: {results}");
    for test in tests {
        assert!(test["score"].is_number() && test["name"].is_string() && test["message"].is_string(), "{test}");
        assert_eq!(test["line_no"], 0);
    }
    let passed: Vec<&str> =
        tests.iter().filter(|t| t["status"] == "pass").map(|t| t["name"].as_str().unwrap()).collect();
    let failed: Vec<&str> =
        tests.iter().filter(|t| t["status"] == "fail").map(|t| t["name"].as_str().unwrap()).collect();
    assert!(!failed.is_empty() && passed.len() > 1, "some checks pass, some fail: {results}");
    for test in tests.iter().filter(|t| t["status"] == "fail") {
        assert_eq!(test["score"], 0, "{test}");
        assert_eq!(test["test_code"], "cargo xtask check serial_baseline");
    }
    // The points Classroom shows are those of the summary.
    let total: f64 = tests.iter().map(|t| t["score"].as_f64().unwrap()).sum();
    assert!(stdout.contains(&format!("{total} of 9 points")), "{total}: {stdout}");
}
