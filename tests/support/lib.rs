//! Helpers for the runner's tests (`tests/*.rs`): run `cargo xtask` the way a
//! learner does, and lay out submissions from wrong-solution fixtures.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The course workspace these tests belong to.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `cargo xtask ARGS`, from the workspace root, as a learner types it.
pub fn xtask(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root()).arg("xtask").args(args).env_remove("NO_COLOR");
    command
}

/// A submission folder holding only `exercises/EXERCISE/src/lib.rs`, copied
/// from the wrong-solution fixture `tests/checks/EXERCISE/fixtures/FIXTURE.rs`.
pub fn fixture_submission(exercise: &str, fixture: &str) -> tempfile_dir::Dir {
    let path = root().join("tests/checks").join(exercise).join("fixtures").join(format!("{fixture}.rs"));
    let code = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    submission(exercise, fixture, &code)
}

/// A submission folder whose `exercises/EXERCISE/src/lib.rs` is `code`.
pub fn submission(exercise: &str, label: &str, code: &str) -> tempfile_dir::Dir {
    let dir = tempfile_dir::Dir::new(&format!("{exercise}-{label}"));
    let src = dir.path().join("exercises").join(exercise).join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("lib.rs"), code).unwrap();
    dir
}

/// Whether `exercises/` is as shipped (no change against git's HEAD). Tests
/// about untouched stubs need that; on a learner's clone, mid-course, it is
/// not so, and such a test says so and checks nothing. In CI (`CI` set) the
/// checkout is fresh, and a changed tree is a failure, never a skip.
pub fn exercises_as_shipped() -> bool {
    let status = std::process::Command::new("git")
        .current_dir(root())
        .args(["status", "--porcelain", "--", "exercises"])
        .output();
    let pristine = match status {
        Ok(out) if out.status.success() => out.stdout.is_empty(),
        // Not a git checkout (a downloaded archive): as shipped.
        _ => true,
    };
    assert!(pristine || std::env::var_os("CI").is_none(), "CI runs on a fresh clone, yet exercises/ has changes");
    if !pristine {
        eprintln!("note: exercises/ has your changes, so the untouched-stub test checks nothing here");
    }
    pristine
}

/// The JSON document of `check --format json` from a command's stdout.
pub fn json(stdout: &[u8]) -> serde_json::Value {
    serde_json::from_slice(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(stdout)))
}

/// The check called `name` of the exercise called `exercise` in a report.
pub fn check<'a>(report: &'a serde_json::Value, exercise: &str, name: &str) -> &'a serde_json::Value {
    let exercise = report["exercises"].as_array().unwrap().iter().find(|e| e["name"] == exercise).unwrap();
    exercise["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}"))
}

/// A scratch folder under `target/`, removed when dropped.
pub mod tempfile_dir {
    use super::*;

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new(label: &str) -> Dir {
            let path = root().join("target/test-submissions").join(format!("{label}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Dir(path)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
