//! Checks of `dependent_tasks`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;
use subject::{Step, Task};

/// What a step of the chain did, in the order it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    let started = Arc::new((Mutex::new(0usize), Condvar::new()));
    let tasks: Vec<Task> = (0..n)
        .map(|_| {
            let started = Arc::clone(&started);
            Box::new(move || {
                let (count, all_started) = &*started;
                let mut count = count.lock().unwrap();
                *count += 1;
                all_started.notify_all();
                let (count, _) = all_started.wait_timeout_while(count, patience, |c| *c < n).unwrap();
                *count as i64
            }) as Task
        })
        .collect();
    subject::run_independent(tasks)
}

fn main() {
    grading_kit::checks!("dependent_tasks")
        .property("each step gets the result of the step before", chains(), |(start, delays)| {
            let (result, events) = run_logged_chain(start, &delays);
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
                        if step == 0 {
                            "`start` is, the chain's input".to_string()
                        } else {
                            format!("step {}", step - 1)
                        },
                        input.map_or("nothing: it never ran".to_string(), |i| i.to_string())
                    ),
                )?;
                expected_input = step_value(step, expected_input);
            }
            expect_eq(result, expected_input)
        })
        .property("each step starts after the step before has finished", chains(), |(start, delays)| {
            let (_, events) = run_logged_chain(start, &delays);
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
        })
        .property("independent results come back in task order", prop::collection::vec(0..1000i64, 0..8), |values| {
            let n = values.len() as u64;
            let tasks: Vec<Task> = values
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    Box::new(move || {
                        thread::sleep(Duration::from_millis(n - i as u64));
                        v * 2
                    }) as Task
                })
                .collect();
            expect_eq(subject::run_independent(tasks), values.iter().map(|v| v * 2).collect())
        })
        .property_with_cases("independent tasks run at the same time", 1, Just(4usize), |n| {
            let seen = rendezvous(n, Duration::from_millis(300));
            expect(
                seen.iter().all(|&s| s == n as i64),
                format!(
                    "each of {n} independent tasks waited for all {n} to start, but they saw {seen:?} started: \
                     they ran one by one. Nothing makes these tasks wait for each other, so start every thread \
                     first, and only then join them."
                ),
            )
        })
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
