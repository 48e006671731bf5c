//! Gradescope's `results.json`: `score`, `max_score`, `output` and one test
//! per check. An inconclusive check has no `score` (Gradescope then counts
//! none) and says, as does the top-level `output`, that the grade must be
//! run again: it is never reported as 0 nor as full points.

use serde_json::{Value, json};

use super::Graded;
use super::score::Score;

pub fn render(graded: &Graded) -> String {
    let mut tests: Vec<Value> = Vec::new();
    for exercise in &graded.exercises {
        for check in &exercise.checks {
            let mut test = json!({
                "name": format!("{}: {}", exercise.name, check.name),
                "max_score": check.max,
                "output": check.message,
            });
            match check.score {
                Score::Points(points) => {
                    test["score"] = number(points);
                    test["status"] = json!(if points >= f64::from(check.max) { "passed" } else { "failed" });
                }
                Score::Inconclusive => {
                    test["status"] = json!("failed");
                    test["output"] = json!(format!(
                        "INCONCLUSIVE: this machine could not measure the speedup; grade again. {}",
                        check.message
                    ));
                }
            }
            tests.push(test);
        }
    }
    tests.push(json!({
        "name": "integrity: trusted files unchanged",
        "score": 0,
        "max_score": 0,
        "status": if graded.changed.is_empty() { "passed" } else { "failed" },
        "output": graded.changed.iter().map(|c| format!("{} ({})", c.path, c.what)).collect::<Vec<_>>().join("\n"),
    }));
    let document = json!({
        "score": number(graded.points()),
        "max_score": graded.max(),
        "output": super::human::notes(graded),
        "tests": tests,
    });
    serde_json::to_string_pretty(&document).expect("a JSON value always serialises") + "\n"
}

/// Whole points as integers (`9`, not `9.0`).
fn number(points: f64) -> Value {
    if points.fract() == 0.0 { json!(points as u64) } else { json!(points) }
}
