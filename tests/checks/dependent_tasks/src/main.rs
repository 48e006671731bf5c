//! Checks of `dependent_tasks`.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use grading_kit::helpers::Rendezvous;
use grading_kit::{Outcome, expect, expect_eq};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

grading_kit::subject!();

use subject::{Step, Task};

/// Independent tasks in the rendezvous case: enough to need several threads
/// at once.
const MEETING: usize = 4;

/// What a step of the chain did, in the order it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Event {
    Started { step: usize, input: i64 },
    Finished { step: usize, output: i64 },
}

/// The step function: it depends on its input and on its place in the
/// chain, so that steps given the wrong input or run in another order give
/// another answer.
fn step_value(step: usize, input: i64) -> i64 {
    input.wrapping_mul(3).wrapping_add(step as i64 + 1)
}

/// Steps that log when they start and finish, each after a little sleep.
fn logged_chain(delays_ms: &[u64], log: &Arc<Mutex<Vec<Event>>>) -> Vec<Step> {
    delays_ms
        .iter()
        .enumerate()
        .map(|(step, &delay)| {
            let log = Arc::clone(log);
            Box::new(move |input: i64| {
                log.lock().unwrap().push(Event::Started { step, input });
                thread::sleep(Duration::from_millis(delay));
                let output = step_value(step, input);
                log.lock().unwrap().push(Event::Finished { step, output });
                output
            }) as Step
        })
        .collect()
}

fn run_logged_chain(start: i64, delays_ms: &[u64]) -> (i64, Vec<Event>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let result = subject::run_chain(start, logged_chain(delays_ms, &log));
    let events = log.lock().unwrap().clone();
    (result, events)
}

fn chains() -> impl Strategy<Value = (i64, Vec<u64>)> {
    (-100..100i64, prop::collection::vec(0..3u64, 0..6))
}

/// How many of `n` tasks each task saw started while it waited for all of
/// them (up to `patience`). Tasks that run at the same time all see `n`.
fn rendezvous(n: usize, patience: Duration) -> Vec<i64> {
    let meeting = Rendezvous::new(n, patience);
    let tasks: Vec<Task> = (0..n)
        .map(|_| {
            let meeting = meeting.clone();
            Box::new(move || meeting.arrive() as i64) as Task
        })
        .collect();
    subject::run_independent(tasks)
}

/// Each step must be given what the step before it returned.
fn each_step_gets_the_previous_result(start: i64, delays: &[u64], (result, events): (i64, Vec<Event>)) -> Outcome {
    let mut expected_input = start;
    for step in 0..delays.len() {
        let input = events.iter().find_map(|e| match *e {
            Event::Started { step: s, input } if s == step => Some(input),
            _ => None,
        });
        expect(
            input == Some(expected_input),
            format!(
                "step {step} should have been given {expected_input} (what {} returned), but it was \
                 given {}. Each step needs the result of the one before it: such a chain cannot \
                 be split between threads, it must run one step after another (a fold).",
                if step == 0 { "`start` is, the chain's input".to_string() } else { format!("step {}", step - 1) },
                input.map_or("nothing: it never ran".to_string(), |i| i.to_string())
            ),
        )?;
        expected_input = step_value(step, expected_input);
    }
    expect_eq(result, expected_input)
}

/// The steps must start and finish one after another, in order.
fn steps_one_after_another(delays: &[u64], events: &[Event]) -> Outcome {
    let order: Vec<(usize, bool)> = events
        .iter()
        .map(|e| match *e {
            Event::Started { step, .. } => (step, true),
            Event::Finished { step, .. } => (step, false),
        })
        .collect();
    let expected: Vec<(usize, bool)> = (0..delays.len()).flat_map(|s| [(s, true), (s, false)]).collect();
    expect(
        order == expected,
        format!(
            "the steps should start and finish one after another, step 0 first, but the (step, started?) \
             events were {order:?}. A step that needs the previous result must wait for it; steps that \
             overlap were run in parallel, and each of them saw some other value."
        ),
    )
}

/// Tasks that finish in another order than they were given (later ones
/// sleep less); each returns twice its value.
fn doubling_tasks(values: &[i64]) -> Vec<Task> {
    let n = values.len() as u64;
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            Box::new(move || {
                thread::sleep(Duration::from_millis(n - i as u64));
                v * 2
            }) as Task
        })
        .collect()
}

fn main() {
    grading_kit::checks!()
        .property(
            "each step gets the result of the step before",
            chains(),
            |(start, delays)| run_logged_chain(*start, delays),
            |(start, delays), run| each_step_gets_the_previous_result(*start, delays, run),
        )
        .property(
            "each step starts after the step before has finished",
            chains(),
            |(start, delays)| run_logged_chain(*start, delays).1,
            |(_, delays), events: Vec<Event>| steps_one_after_another(delays, &events),
        )
        .property(
            "independent results come back in task order",
            prop::collection::vec(0..1000i64, 0..8),
            |values| subject::run_independent(doubling_tasks(values)),
            |values, results: Vec<i64>| expect_eq(results, values.iter().map(|v| v * 2).collect()),
        )
        .case(
            "independent tasks run at the same time",
            || rendezvous(MEETING, Duration::from_millis(300)),
            |seen| {
                let n = MEETING;
                expect(
                    seen.iter().all(|&s| s == n as i64),
                    format!(
                        "each of {n} independent tasks waited for all {n} to start, but they saw {seen:?} started: \
                         they ran one by one. Nothing makes these tasks wait for each other, so start every thread \
                         first, and only then join them."
                    ),
                )
            },
        )
        .snapshot("a chain of four steps", || {
            let (result, events) = run_logged_chain(1, &[0, 0, 0, 0]);
            let mut out: String = events
                .iter()
                .map(|e| match e {
                    Event::Started { step, input } => format!("step {step} starts with {input}\n"),
                    Event::Finished { step, output } => format!("step {step} returns {output}\n"),
                })
                .collect();
            out.push_str(&format!("result: {result}"));
            out
        })
        .main();
}
