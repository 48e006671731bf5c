//! A fake check binary for the runner's tests: both roles of the protocol
//! (`--subject`, `--judge`, `--run`, `--list`) without the grading kit's
//! harness, each check name a behaviour the runner must handle.

use std::io::{BufRead, Write};

use grading_kit::protocol::{
    self, CheckInfo, CheckKind, CheckResult, Failure, Finding, Reply, Request, Runs, Status, SubjectLoss,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let name = args.get(1).map(String::as_str).unwrap_or("");
    match args.first().map(String::as_str) {
        Some("--list") => list(),
        Some("--subject") => subject(name),
        Some("--judge") => judge(name),
        Some("--run") => in_subject(name),
        other => panic!("fake_check: unknown role {other:?}"),
    }
}

fn list() {
    let checks: Vec<CheckInfo> = ["agrees", "speedy"]
        .into_iter()
        .map(|name| CheckInfo {
            name: name.into(),
            kind: CheckKind::Property,
            timeout_ms: 10_000,
            runs: if name == "speedy" { Runs::InSubject } else { Runs::Judged },
        })
        .collect();
    println!("{}", serde_json::to_string(&checks).unwrap());
}

/// Serves requests: the output is twice the input, except where the check's
/// name says to misbehave.
fn subject(name: &str) {
    for line in std::io::stdin().lock().lines() {
        let Ok(Request::Call { input }) = serde_json::from_str(&line.unwrap()) else { return };
        match name {
            "subject_exits" => {
                eprintln!("the learner's code called exit");
                std::process::exit(3);
            }
            "subject_hangs" => loop {
                std::thread::park();
            },
            "garbled" => {
                println!("this is not a reply");
                continue;
            }
            _ => {}
        }
        let reply = Reply::Output { output: serde_json::json!(input.as_i64().unwrap() * 2) };
        println!("{}", serde_json::to_string(&reply).unwrap());
    }
}

/// Asks for 21, expects 42.
fn judge(name: &str) {
    let request = Request::Call { input: serde_json::json!(21) };
    println!("{}", serde_json::to_string(&request).unwrap());
    std::io::stdout().flush().unwrap();
    let mut line = String::new();
    let result = match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => lost(SubjectLoss::Exited),
        Ok(_) => match serde_json::from_str::<Reply>(&line) {
            Err(_) => lost(SubjectLoss::Garbled { line: line.trim_end().into() }),
            Ok(Reply::Output { output }) if name == "ansi" => {
                fail(format!("\u{1b}[2J\u{1b}[Hserial_baseline 7/7\r{}{}", output, "x".repeat(10_000)))
            }
            Ok(Reply::Output { output }) if output == serde_json::json!(42) => {
                CheckResult { status: Status::Pass, finding: Finding::Passed }
            }
            Ok(Reply::Output { output }) => fail(format!("expected 42, got {output}")),
            Ok(Reply::Panicked { panic }) => fail(panic.message),
        },
    };
    eprintln!("{}", protocol::judge_line(&result));
}

fn lost(why: SubjectLoss) -> CheckResult {
    CheckResult { status: Status::Fail, finding: Finding::SubjectLost { why } }
}

fn fail(why: String) -> CheckResult {
    CheckResult { status: Status::Fail, finding: Finding::Failed { failure: Failure::Said { why } } }
}

/// `--run`: the nonce on the first line of stdin, the result after it.
fn in_subject(name: &str) {
    let mut nonce = String::new();
    std::io::stdin().lock().read_line(&mut nonce).unwrap();
    let pass = CheckResult { status: Status::Pass, finding: Finding::Passed };
    match name {
        "forged" => println!("{}", protocol::result_line("a-guessed-nonce", &pass)),
        _ => println!("{}", protocol::result_line(nonce.trim(), &pass)),
    }
}
