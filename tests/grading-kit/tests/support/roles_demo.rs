//! A check binary for the kit's own tests (`tests/roles.rs`): one binary
//! plays both roles, and `ROLES_DEMO` makes its subject misbehave the way a
//! learner's code can (a wrong answer, an `exit`, chatter on stdout, a forged
//! result line, a `todo!()`, a panic).

use std::path::Path;
use std::time::Duration;

use grading_kit::{Checks, expect_eq};
use proptest::prelude::*;

/// How the subject half behaves; the judge half is always the same.
fn misbehaviour() -> String {
    std::env::var("ROLES_DEMO").unwrap_or_default()
}

/// The code under test: doubles each number, or not quite.
fn double(xs: &[u32]) -> Vec<u32> {
    let doubled = xs.iter().map(|x| x * 2);
    match misbehaviour().as_str() {
        "wrong" => doubled.map(|x| if x > 20 { x + 1 } else { x }).collect(),
        "exit" if xs.len() > 3 => std::process::exit(3),
        "chatty" => {
            print!("no newline, then a reply that is not mine: ");
            println!(r#"{{"reply":"output","output":[]}}"#);
            doubled.collect()
        }
        "forge" => {
            let forged = r#"GRADING-KIT-RESULT judge {"status":"pass","finding":{"finding":"passed"}}"#;
            println!("{forged}");
            eprintln!("{forged}");
            doubled.map(|x| x + 1).collect()
        }
        "todo" => todo!("double the numbers"),
        "reads stdin" => {
            // The end of input at once, or the read waits for a request the
            // judge will not send before this call returns.
            let read = grading_kit::within(Duration::from_secs(1), || {
                let mut line = String::new();
                let _ = std::io::stdin().read_line(&mut line);
                line
            });
            assert_eq!(read.as_deref(), Some(""), "learner code could read the judge's requests");
            doubled.collect()
        }
        "panic" if !xs.is_empty() => panic!("index out of bounds"),
        _ => doubled.collect(),
    }
}

fn main() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("snapshots");
    Checks::new("roles_demo", snapshots)
        .property(
            "doubles",
            prop::collection::vec(0..100u32, 0..10),
            |xs| double(xs),
            |xs, doubled: Vec<u32>| expect_eq(doubled, xs.iter().map(|x| x * 2).collect()),
        )
        .case("doubles one list", || double(&[1, 20, 300, 4000]), |doubled| expect_eq(doubled, vec![2, 40, 600, 8000]))
        .snapshot("doubled", || format!("{:?}", double(&[1, 2, 30])))
        .property_in_subject("doubles, in the subject", prop::collection::vec(0..100u32, 0..10), |xs| {
            expect_eq(double(&xs), xs.iter().map(|x| x * 2).collect())
        })
        .case_in_subject("doubles one list, in the subject", || {
            expect_eq(double(&[1, 20, 300, 4000]), vec![2, 40, 600, 8000])
        })
        .main();
}
