//! Snapshot checks: deterministic output compared with a stored snapshot.
//!
//! The snapshot files are insta's (`snapshots/NAME.snap` beside the check
//! crate), so maintainers review and update them with insta's tools. Under
//! the runner `INSTA_UPDATE=no`: grading never writes a snapshot. The
//! comparison runs in the judge; the xtask renders the difference.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use crate::protocol::{CheckResult, Failure, Finding, Panic, Status};

/// Compares `output` with the stored snapshot `name` in `snapshot_dir`.
/// insta decides, so that its normalisations (line endings, the trailing
/// newline) and its update mode (the runner's `INSTA_UPDATE`: `no` when
/// grading, `always` when a maintainer blesses) apply.
pub(crate) fn compare(snapshot_dir: &Path, name: &str, output: &str) -> CheckResult {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshot_dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let matched = panic::catch_unwind(AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name, output));
    }));
    match matched {
        Ok(()) => CheckResult { status: Status::Pass, finding: Finding::Passed },
        Err(_) => {
            let expected = std::fs::read_to_string(snapshot_dir.join(format!("{name}.snap")))
                .map(|file| snapshot_body(&file))
                .unwrap_or_default();
            CheckResult {
                status: Status::Fail,
                finding: Finding::SnapshotMismatch {
                    snapshot: name.to_string(),
                    expected,
                    actual: output.trim_end_matches('\n').to_string(),
                },
            }
        }
    }
}

/// The learner's code panicked while producing the output.
pub(crate) fn panicked(panic: Panic) -> CheckResult {
    let finding = if panic.is_todo() {
        Finding::NotStarted { panic }
    } else {
        Finding::Failed { failure: Failure::Panicked { panic } }
    };
    CheckResult { status: Status::Fail, finding }
}

/// The body of an insta `.snap` file: what follows its `---` header.
fn snapshot_body(file: &str) -> String {
    let mut parts = file.splitn(3, "---\n");
    match (parts.next(), parts.next(), parts.next()) {
        (Some(""), Some(_header), Some(body)) => body.trim_end_matches('\n').to_string(),
        _ => file.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_of_a_snap_file_is_not_compared() {
        let file = "---\nsource: x\n---\nline one\nline two\n";
        assert_eq!(snapshot_body(file), "line one\nline two");
    }
}
