//! The runner against a fake check binary (`examples/fake_check.rs`): both roles of a judged check, an in-subject check,
//! and results that must be tamed.

use std::path::PathBuf;

use grading_kit::protocol::{CheckKind, Failure, Status};

use super::*;

/// Builds the fake check binary (once) and returns its path. Cargo is asked
/// directly: `cargo test` does not always refresh an example's copy in
/// `target/debug/examples`.
fn fake_check() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let output = Command::new(cargo)
                .args(["build", "-p", "xtask", "--example", "fake_check", "--message-format=json-render-diagnostics"])
                .stderr(Stdio::inherit())
                .output()
                .expect("cargo runs");
            assert!(output.status.success(), "the fake check binary did not build");
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .find_map(|message| Some(PathBuf::from(message.get("executable")?.as_str()?)))
                .expect("cargo names the example's executable")
        })
        .clone()
}

fn check(name: &str, runs: Runs, timeout_ms: u64) -> CheckInfo {
    CheckInfo { name: name.into(), kind: CheckKind::Property, timeout_ms, runs }
}

fn judged(name: &str) -> Ran {
    let fake = fake_check();
    let binaries = Binaries { subject: &fake, judge: &fake };
    run(binaries, &check(name, Runs::Judged, 20_000), Snapshots::Compare).unwrap()
}

#[test]
fn a_pair_that_agrees_passes() {
    match judged("agrees") {
        Ran::Reported(result) => assert_eq!(result.status, Status::Pass),
        other => panic!("expected a pass, got {other:?}"),
    }
}

#[test]
fn a_subject_that_exits_is_reported_with_its_status_and_output() {
    match judged("subject_exits") {
        Ran::Vanished { status, output } => {
            assert!(status.contains("exit status: 3"), "{status}");
            assert!(output.contains("the learner's code called exit"), "{output}");
        }
        other => panic!("expected the subject's exit, got {other:?}"),
    }
}

#[test]
fn a_garbled_reply_keeps_the_judges_finding() {
    match judged("garbled") {
        Ran::Reported(CheckResult { status: Status::Fail, finding: Finding::SubjectLost { why } }) => {
            assert_eq!(why, SubjectLoss::Garbled { line: "this is not a reply".into() });
        }
        other => panic!("expected a garbled reply, got {other:?}"),
    }
}

#[test]
fn a_hung_subject_times_out_with_its_threads() {
    let fake = fake_check();
    let binaries = Binaries { subject: &fake, judge: &fake };
    match run(binaries, &check("subject_hangs", Runs::Judged, 1_500), Snapshots::Compare).unwrap() {
        Ran::TimedOut { limit, threads } => {
            assert_eq!(limit, Duration::from_millis(1_500));
            assert!(!threads.is_empty(), "the subject's threads are listed");
            assert!(threads.iter().all(|t| t.blocked), "a parked thread is blocked");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn a_message_with_escape_codes_reaches_the_report_tamed() {
    match judged("ansi") {
        Ran::Reported(CheckResult { finding: Finding::Failed { failure: Failure::Said { why } }, .. }) => {
            assert!(!why.contains('\u{1b}') && !why.contains('\r'), "{why:?}");
            assert!(why.starts_with("\\u{1b}[2J\\u{1b}[Hserial_baseline 7/7\\u{d}42"), "{why:?}");
            assert!(why.len() <= TEXT_LIMIT + 64, "{} bytes", why.len());
            assert!(why.ends_with("more bytes cut]"));
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn an_in_subject_check_reports_with_its_nonce_only() {
    let fake = fake_check();
    let binaries = Binaries { subject: &fake, judge: &fake };
    let pass = run(binaries, &check("speedy", Runs::InSubject, 20_000), Snapshots::Compare).unwrap();
    assert!(matches!(pass, Ran::Reported(CheckResult { status: Status::Pass, .. })), "{pass:?}");
    let forged = run(binaries, &check("forged", Runs::InSubject, 20_000), Snapshots::Compare).unwrap();
    assert!(matches!(forged, Ran::Vanished { .. }), "a result with another nonce was taken: {forged:?}");
}

#[test]
fn a_confined_binary_lists_its_checks() {
    let checks = list(&fake_check()).unwrap();
    let names: Vec<_> = checks.iter().map(|c| (c.name.as_str(), c.runs)).collect();
    assert_eq!(names, [("agrees", Runs::Judged), ("speedy", Runs::InSubject)]);
}

#[test]
fn protections_name_each_mechanism_once() {
    let protections = protections();
    let mut names: Vec<_> = protections.iter().map(|p| p.name).collect();
    names.dedup();
    assert_eq!(names.len(), protections.len());
    assert!(protections.iter().all(|p| !p.detail.is_empty()));
}

#[test]
fn taming_escapes_control_characters_but_newlines_and_tabs() {
    assert_eq!(tame_text("a\tb\nc"), "a\tb\nc");
    assert_eq!(tame_text("\u{1b}[31mred\u{1b}[0m"), "\\u{1b}[31mred\\u{1b}[0m");
    assert_eq!(tame_text("over\rwrite"), "over\\u{d}write");
    assert_eq!(tame_text("\u{9b}2J"), "\\u{9b}2J", "C1 control sequence introducer");
    assert_eq!(tame_text("abc\u{202e}fed"), "abc\\u{202e}fed", "bidirectional override");
    assert_eq!(tame_text("héllo ✓"), "héllo ✓");
}

#[test]
fn taming_cuts_long_text_on_a_character_boundary() {
    let long = "é".repeat(5000);
    let tamed = tame_text(&long);
    let (kept, note) = tamed.split_once('…').unwrap();
    assert!(kept.len() <= TEXT_LIMIT);
    assert!(kept.chars().all(|c| c == 'é'));
    assert_eq!(note, format!(" [{} more bytes cut]", 10_000 - kept.len()));
    // Escaping can make short text long: the cut comes after it.
    let escapes = tame_text(&"\u{1b}".repeat(3000));
    assert!(escapes.len() <= TEXT_LIMIT + 64);
}

#[test]
fn every_string_of_a_result_is_tamed() {
    let json = serde_json::json!({
        "status": "fail",
        "finding": {
            "finding": "counterexample",
            "input": "\u{1b}]0;title\u{7}",
            "shrunk": true,
            "failure": { "failure": "mismatch", "expected": "x".repeat(9000), "actual": "ok" }
        }
    });
    let result = tame_result(json).unwrap();
    let Finding::Counterexample { input, failure: Failure::Mismatch { expected, .. }, .. } = result.finding else {
        panic!("the finding changed shape")
    };
    assert_eq!(input, "\\u{1b}]0;title\\u{7}");
    assert!(expected.len() < 4200);
}

/// Late is not stuck: learner code whose threads want to run but got little
/// CPU is given more time; blocked threads (a deadlock) or a core's worth
/// of CPU (an endless loop) are not.
#[test]
fn only_starved_code_is_given_more_time() {
    let window = Duration::from_secs(10);
    assert!(starved(Some(1.0), true, window), "running threads that got a tenth of a core are starved");
    assert!(!starved(Some(9.5), true, window), "a core's worth of CPU is an endless loop");
    assert!(!starved(Some(0.0), false, window), "threads that are all blocked are deadlocked");
    assert!(!starved(None, true, window), "where CPU time cannot be read, the limit stands");
}

#[cfg(target_os = "linux")]
#[test]
fn the_cpu_a_process_used_is_read_from_proc() {
    let before = cpu_seconds(std::process::id()).expect("this process's CPU time");
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(300) {
        std::hint::black_box(0u64.wrapping_add(1));
    }
    let after = cpu_seconds(std::process::id()).unwrap();
    assert!(after >= before, "CPU time went back: {before} then {after}");
    assert!(cpu_seconds(u32::MAX).is_none(), "no such process");
}
