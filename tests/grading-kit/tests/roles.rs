//! The judge and subject roles end to end: the demo check binary
//! (`tests/support/roles_demo.rs`) run as a subject and as a judge, wired
//! to each other as the runner wires them.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use grading_kit::protocol::{self, CheckResult, Failure, Finding, Status, SubjectLoss};

const DEMO: &str = env!("CARGO_BIN_EXE_roles-demo");
/// Far above what the demo's checks need (well under a second).
const PATIENCE: Duration = Duration::from_secs(20);

/// Runs check `name` with a subject that misbehaves as `misbehaviour` says,
/// and returns the judge's result.
fn judged(name: &str, misbehaviour: &str) -> CheckResult {
    let command = |role: &str| {
        let mut command = Command::new(DEMO);
        // The environment the runner gives a check: insta never writes.
        command.env_clear().env("INSTA_UPDATE", "no").env("INSTA_FORCE_PASS", "0").env("INSTA_OUTPUT", "none");
        command.args([role, name]).stderr(Stdio::piped());
        command
    };
    let mut subject = command("--subject")
        .env("ROLES_DEMO", misbehaviour)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the demo check binary starts");
    let mut judge = command("--judge")
        .stdin(Stdio::from(subject.stdout.take().expect("piped")))
        .stdout(Stdio::from(subject.stdin.take().expect("piped")))
        .spawn()
        .expect("the demo check binary starts");
    let mut judge_stderr = judge.stderr.take().expect("piped");
    let reading = std::thread::spawn(move || {
        let mut stderr = String::new();
        judge_stderr.read_to_string(&mut stderr).expect("the judge's stderr is text");
        stderr
    });
    // A broken channel must fail the test, not hang it.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = judge.try_wait().expect("the judge can be waited for") {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = (judge.kill(), subject.kill());
            panic!("the judge of {name:?} was still running after {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = reading.join().expect("the judge's stderr is read");
    assert!(status.success(), "the judge failed:\n{stderr}");
    let _ = subject.kill();
    subject.wait().expect("the subject ends");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with(protocol::RESULT_MARKER), "the result is not the judge's last line:\n{stderr}");
    protocol::parse_judge(&stderr).unwrap_or_else(|| panic!("no result from the judge:\n{stderr}"))
}

/// Runs in-subject check `name` with `--run`, the nonce on stdin, as the
/// runner does, and returns its result.
fn in_subject(name: &str, misbehaviour: &str) -> CheckResult {
    let mut check = Command::new(DEMO)
        .env_clear()
        .env("ROLES_DEMO", misbehaviour)
        .args(["--run", name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the demo check binary starts");
    check.stdin.take().expect("piped").write_all(b"n0nce\n").expect("the nonce is sent");
    let output = check.wait_with_output().expect("the check ends");
    let stdout = String::from_utf8_lossy(&output.stdout);
    protocol::parse_result(&stdout, "n0nce").unwrap_or_else(|| panic!("no result with the nonce:\n{stdout}"))
}

fn passed() -> CheckResult {
    CheckResult { status: Status::Pass, finding: Finding::Passed }
}

#[test]
fn a_correct_subject_passes() {
    assert_eq!(judged("doubles", ""), passed());
    assert_eq!(judged("doubles one list", ""), passed());
    assert_eq!(judged("doubled", ""), passed());
}

#[test]
fn a_wrong_output_is_a_minimal_counterexample() {
    let result = judged("doubles", "wrong");
    assert_eq!(result.status, Status::Fail);
    assert_eq!(
        result.finding,
        Finding::Counterexample {
            input: "[\n    11,\n]".into(),
            shrunk: true,
            failure: Failure::Mismatch { expected: "[22]".into(), actual: "[23]".into() },
        }
    );
}

#[test]
fn a_fixed_case_is_not_shrunk() {
    let Finding::Counterexample { input, shrunk, failure } = judged("doubles one list", "wrong").finding else {
        panic!("a wrong output of a case is a counterexample")
    };
    assert_eq!((input.as_str(), shrunk), ("", false));
    assert_eq!(
        failure,
        Failure::Mismatch { expected: "[2, 40, 600, 8000]".into(), actual: "[2, 41, 601, 8001]".into() }
    );
}

#[test]
fn a_different_snapshot_is_a_mismatch() {
    let result = judged("doubled", "wrong");
    assert_eq!(
        result.finding,
        Finding::SnapshotMismatch {
            snapshot: "doubled".into(),
            expected: "[2, 4, 60]".into(),
            actual: "[2, 4, 61]".into()
        }
    );
}

#[test]
fn a_subject_that_exits_is_lost() {
    let result = judged("doubles", "exit");
    assert_eq!(result.status, Status::Fail);
    assert_eq!(result.finding, Finding::SubjectLost { why: SubjectLoss::Exited });
}

#[test]
fn learner_output_does_not_reach_the_judge() {
    assert_eq!(judged("doubles", "chatty"), passed());
}

#[test]
fn learner_code_cannot_read_the_requests() {
    assert_eq!(judged("doubles", "reads stdin"), passed());
}

#[test]
fn a_forged_result_line_is_ignored() {
    let result = judged("doubles", "forge");
    assert_eq!(result.status, Status::Fail);
    assert!(matches!(result.finding, Finding::Counterexample { .. }), "{result:?}");
}

#[test]
fn a_todo_means_not_started() {
    let Finding::NotStarted { panic } = judged("doubles", "todo").finding else { panic!("a todo is not started") };
    assert_eq!(panic.message, "not yet implemented: double the numbers");
    assert!(panic.location.is_some_and(|at| at.contains("roles_demo.rs")));
}

#[test]
fn a_panic_is_the_failure_of_its_case() {
    let Finding::Counterexample { input, failure: Failure::Panicked { panic }, .. } =
        judged("doubles", "panic").finding
    else {
        panic!("a panic fails its case")
    };
    assert_eq!(input, "[\n    0,\n]");
    assert_eq!(panic.message, "index out of bounds");
    assert_eq!(panic.thread, "main");
}

#[test]
fn in_subject_checks_decide_in_the_subject() {
    assert_eq!(in_subject("doubles, in the subject", ""), passed());
    assert_eq!(in_subject("doubles one list, in the subject", "chatty"), passed());
    let Finding::Counterexample { shrunk, failure, .. } = in_subject("doubles, in the subject", "forge").finding else {
        panic!("a forged line without the nonce is not a result")
    };
    assert!(shrunk);
    assert!(matches!(failure, Failure::Mismatch { .. }));
    let Finding::Counterexample { shrunk, .. } = in_subject("doubles one list, in the subject", "wrong").finding else {
        panic!("a wrong output of a case is a counterexample")
    };
    assert!(!shrunk);
    assert!(matches!(in_subject("doubles, in the subject", "todo").finding, Finding::NotStarted { .. }));
}
