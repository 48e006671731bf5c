//! The runner over fixture submissions: what passes, what fails, and how it
//! says so. Each test runs `cargo xtask` as a learner would; the runner takes
//! a machine-wide lock, so these tests measure one at a time.

use std::time::Duration;

use course_test_support::{check, exercises_as_shipped, fixture_submission, json, submission, xtask};

/// Every solution passing every check is `verify`'s job (below); this one
/// reads the JSON of two solutions: a speedup and an exploration check.
#[test]
fn reference_solutions_pass_and_report_their_figures() {
    let output = xtask(&["check", "parallel_letter_frequency", "atomic_counter", "--solutions", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&output.stdout);
    for exercise in report["exercises"].as_array().unwrap() {
        for check in exercise["checks"].as_array().unwrap() {
            let status = check["status"].as_str().unwrap();
            // A busy machine may make a speedup inconclusive; never a fail.
            let acceptable = status == "pass" || (check["kind"] == "speedup" && status == "inconclusive");
            assert!(acceptable, "{}: {} is {status}: {}", exercise["name"], check["name"], check["message"]);
        }
    }
    let speedup = check(&report, "parallel_letter_frequency", "faster than counting sequentially");
    for figure in ["speedup", "required", "cores", "cores_used"] {
        assert!(speedup[figure].is_number(), "the speedup check carries `{figure}`: {speedup}");
    }
}

#[test]
fn untouched_stubs_fail_as_not_started() {
    if !exercises_as_shipped() {
        return;
    }
    // Two exercises: that every stub fails as not started is `verify`'s
    // proof; this one reads what `check` says of it, and what comes next.
    let output = xtask(&["check", "spawn_and_join", "serial_baseline"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("not started: write exercises/spawn_and_join/src/"), "{text}");
    // The first exercise of the course, as the catalogue orders it.
    assert!(text.contains("Next: serial_baseline."), "{text}");
}

#[test]
fn a_wrong_answer_shows_its_minimal_failing_input() {
    let submission = fixture_submission("parallel_letter_frequency", "uppercase_counted_apart");
    let output = xtask(&["check", "parallel_letter_frequency", "--format", "json", "--submission"])
        .arg(submission.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output.stdout);
    let property = check(&report, "parallel_letter_frequency", "counts like the sequential count");
    assert_eq!(property["status"], "fail");
    let message = property["message"].as_str().unwrap();
    assert!(message.starts_with("minimal failing input: "), "{message}");
    assert!(message.contains("expected: ") && message.contains("got: "), "{message}");
}

#[test]
fn a_sequential_parallel_solution_is_told_it_used_one_core() {
    let submission = fixture_submission("parallel_letter_frequency", "sequential");
    let output = xtask(&["check", "parallel_letter_frequency", "--format", "json", "--submission"])
        .arg(submission.path())
        .output()
        .unwrap();
    let report = json(&output.stdout);
    let speedup = check(&report, "parallel_letter_frequency", "faster than counting sequentially");
    // On a busy machine the verdict may be inconclusive; it is never a pass.
    assert_ne!(speedup["status"], "pass", "{speedup}");
    if speedup["status"] == "fail" {
        assert!(speedup["message"].as_str().unwrap().contains("about one core"), "{speedup}");
        assert!(speedup["cores_used"].as_f64().unwrap() < 1.3, "{speedup}");
    }
}

#[test]
fn a_deadlock_is_stopped_by_the_watchdog_and_the_run_returns() {
    let submission = fixture_submission("channel_word_count", "sender_kept_alive");
    // The run itself must return; the generous limit is only there so that a
    // broken watchdog fails this test instead of hanging the suite. (Other
    // tests may hold the runner's lock, and a cold build takes minutes, so
    // the wall time of this command says nothing about the watchdog.)
    let output = xtask(&["check", "channel_word_count", "--format", "json", "--submission"])
        .arg(submission.path())
        .timeout(Duration::from_secs(1800))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output.stdout);
    let hung = check(&report, "channel_word_count", "count_words counts like the sequential count");
    assert_eq!(hung["timed_out"], true, "{hung}");
    let message = hung["message"].as_str().unwrap();
    let limit: u64 = message
        .strip_prefix("timed out after ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|secs| secs.parse().ok())
        .unwrap_or_else(|| panic!("the message names the watchdog's limit: {message}"));
    assert!(limit <= 30, "a deadlock is stopped within 30 s, not {limit} s");
    assert!(message.contains("senders were never all dropped"), "{message}");
    assert!(message.contains("blocked"), "the message names the blocked threads: {message}");
    let after = check(&report, "channel_word_count", "three texts");
    assert!(after["message"].as_str().unwrap().starts_with("not run"), "{after}");
}

#[test]
fn a_compile_error_fails_only_its_own_exercise() {
    let submission = submission("spawn_and_join", "broken", "pub fn run_concurrently( {\n");
    // Two exercises built in one cargo invocation, the broken one and
    // another: the whole course would prove nothing more, and would build
    // every exercise of a stage again (minutes, on 2 cores).
    let output = xtask(&["check", "spawn_and_join", "channel_word_count", "--format", "json", "--submission"])
        .arg(submission.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output.stdout);
    let broken = check(&report, "spawn_and_join", "compiles");
    assert_eq!(broken["kind"], "build");
    assert!(broken["message"].as_str().unwrap().contains("src/lib.rs"), "{broken}");
    // The other exercise was still built and checked.
    let other = check(&report, "channel_word_count", "three texts");
    assert_eq!(other["kind"], "snapshot", "{other}");
}

#[test]
fn an_early_exit_is_never_a_pass() {
    let code = r#"
use std::collections::BTreeMap;
use crossbeam_channel::{Receiver, Sender};
pub fn produce(_: String, _: Sender<String>) { std::process::exit(0) }
pub fn collect(_: Receiver<String>) -> BTreeMap<String, usize> { std::process::exit(0) }
pub fn count_words<R: FnOnce() -> String + Send + 'static>(_: Vec<R>) -> BTreeMap<String, usize> {
    std::process::exit(0)
}
"#;
    let submission = submission("channel_word_count", "exit", code);
    let output = xtask(&["check", "channel_word_count", "--format", "json", "--submission"])
        .arg(submission.path())
        .output()
        .unwrap();
    let report = json(&output.stdout);
    for check in report["exercises"][0]["checks"].as_array().unwrap() {
        assert_eq!(check["status"], "fail", "{check}");
        assert!(check["message"].as_str().unwrap().contains("without giving a verdict"), "{check}");
    }
}

#[test]
fn verify_proves_stubs_fail_solutions_pass_and_fixtures_fail() {
    if !exercises_as_shipped() {
        return;
    }
    let output = xtask(&["verify"]).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("verify: all good"), "{text}");
}
