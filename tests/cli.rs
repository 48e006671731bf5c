//! The command line: help, bad input, hints, the list.

use course_test_support::xtask;

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn plain_cargo_xtask_prints_help() {
    let output = xtask(&[]).output().unwrap();
    assert!(output.status.success());
    let help = stdout(&output);
    for command in ["list", "check", "hint", "verify"] {
        assert!(help.contains(command), "help does not mention `{command}`:\n{help}");
    }
}

#[test]
fn an_unknown_exercise_gets_the_closest_names() {
    let output = xtask(&["check", "spawn_and_jion"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.contains("no exercise called `spawn_and_jion`"), "{error}");
    assert!(error.contains("did you mean `spawn_and_join`"), "{error}");
    assert_eq!(error.lines().count(), 2, "one error line and one hint:\n{error}");
}

#[test]
fn an_unknown_flag_is_refused() {
    let output = xtask(&["check", "--fast"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--fast"));
}

#[test]
fn hint_prints_the_hints_of_an_exercise() {
    let output = xtask(&["hint", "channel_word_count"]).output().unwrap();
    assert!(output.status.success());
    let hints = stdout(&output);
    assert!(hints.contains("1. ") && hints.contains("2. "), "{hints}");
    assert!(hints.contains("Sender"), "{hints}");
}

#[test]
fn list_shows_the_exercises_in_course_order() {
    let output = xtask(&["list"]).output().unwrap();
    assert!(output.status.success());
    let list = stdout(&output);
    let spawn = list.find("spawn_and_join").expect("listed");
    let letters = list.find("parallel_letter_frequency").expect("listed");
    assert!(spawn < letters, "{list}");
    assert!(list.contains("Level 1: goroutine-like spawning"), "{list}");
    assert!(list.contains("Progress: "), "{list}");
}
