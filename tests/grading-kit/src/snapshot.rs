//! Snapshot checks: deterministic output compared with a stored snapshot.
//!
//! The snapshot files are insta's (`snapshots/NAME.snap` beside the check
//! crate), so maintainers review and update them with insta's tools. Under
//! the runner `INSTA_UPDATE=no`: grading never writes a snapshot.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use crate::panics;
use crate::protocol::{CheckResult, Status};

pub(crate) fn run(snapshot_dir: &Path, name: &str, produce: &dyn Fn() -> String) -> CheckResult {
    panics::clear();
    let output = match panic::catch_unwind(AssertUnwindSafe(produce)) {
        Ok(output) => output,
        Err(_) => return panics::failed_check(),
    };
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshot_dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let matched = panic::catch_unwind(AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name, &output));
    }));
    match matched {
        Ok(()) => CheckResult { status: Status::Pass, message: String::new(), todo: false, speedup: None },
        Err(_) => {
            let stored = std::fs::read_to_string(snapshot_dir.join(format!("{name}.snap")))
                .map(|file| snapshot_body(&file))
                .unwrap_or_default();
            CheckResult {
                status: Status::Fail,
                message: format!(
                    "the output differs from the expected one (- expected, + yours):\n{}",
                    line_diff(&stored, output.trim_end_matches('\n'))
                ),
                todo: false,
                speedup: None,
            }
        }
    }
}

/// The body of an insta `.snap` file: what follows its `---` header.
fn snapshot_body(file: &str) -> String {
    let mut parts = file.splitn(3, "---\n");
    match (parts.next(), parts.next(), parts.next()) {
        (Some(""), Some(_header), Some(body)) => body.trim_end_matches('\n').to_string(),
        _ => file.to_string(),
    }
}

/// A line diff that shows only changed lines and a little context.
fn line_diff(expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    let mut out = String::new();
    for group in diff.grouped_ops(1).iter().take(4) {
        for op in group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                out.push(sign);
                out.push_str(change.value().trim_end_matches('\n'));
                out.push('\n');
            }
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_of_a_snap_file_is_not_compared() {
        let file = "---\nsource: x\n---\nline one\nline two\n";
        assert_eq!(snapshot_body(file), "line one\nline two");
    }

    #[test]
    fn a_diff_marks_removed_and_added_lines() {
        assert_eq!(line_diff("a\nb\nc\n", "a\nx\nc\n"), " a\n-b\n+x\n c");
    }
}
