//! Checks of `many_async_tasks`.
//!
//! Every check runs the learner's code on a current-thread tokio runtime
//! whose clock starts paused: a sleep takes no real time, and the runtime
//! jumps its clock to the next timer when every task is waiting. Elapsed
//! times are virtual, so they are exact and do not depend on how busy the
//! machine is.

use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use grading_kit::helpers::paused_runtime;
use grading_kit::{expect, expect_eq, fail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

grading_kit::subject!();

/// Tasks in the large case: as many as the lesson promises.
const MANY: usize = 100_000;
/// What each of them sleeps.
const NAP_MS: u64 = 1_000;

/// Watches the jobs: how many are waiting at once, and in how many tasks.
#[derive(Default)]
struct Probe {
    waiting: AtomicUsize,
    most_waiting: AtomicUsize,
    tasks: Mutex<HashSet<tokio::task::Id>>,
}

impl Probe {
    fn start(&self) {
        let now = self.waiting.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_waiting.fetch_max(now, Ordering::SeqCst);
        // `None` outside a spawned task: `block_on`'s future is not one.
        if let Some(id) = tokio::task::try_id() {
            self.tasks.lock().unwrap_or_else(|poison| poison.into_inner()).insert(id);
        }
    }

    fn finish(&self) {
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A job that sleeps `delay_ms` of virtual time, then returns `value`.
fn job(probe: &Arc<Probe>, value: u64, delay_ms: u64) -> impl Future<Output = u64> + Send + 'static + use<> {
    let probe = Arc::clone(probe);
    async move {
        probe.start();
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        probe.finish();
        value
    }
}

/// The value job `index` returns: not its index, so that a result cannot
/// come from a counter.
fn value_of(index: usize) -> u64 {
    index as u64 * 7 + 3
}

/// What the subject saw of one `run_all`.
#[derive(Debug, Serialize, Deserialize)]
struct Observed {
    results: Vec<u64>,
    /// Virtual time from the call to its return.
    elapsed_ms: u64,
    /// The most jobs sleeping at the same moment.
    most_at_once: usize,
    /// How many distinct tasks the jobs ran in.
    tasks: usize,
}

/// Runs one job per delay through the learner's `run_all`.
fn observe(delays: &[u64]) -> Observed {
    paused_runtime().block_on(async {
        let probe = Arc::new(Probe::default());
        let jobs: Vec<_> = delays.iter().enumerate().map(|(i, &delay)| job(&probe, value_of(i), delay)).collect();
        let start = Instant::now();
        let results = subject::run_all(jobs).await;
        Observed {
            results,
            elapsed_ms: start.elapsed().as_millis() as u64,
            most_at_once: probe.most_waiting.load(Ordering::SeqCst),
            tasks: probe.tasks.lock().unwrap_or_else(|poison| poison.into_inner()).len(),
        }
    })
}

/// The judge's half for any set of delays: the oracle is the job values in
/// job order, all the jobs sleeping at once, each in a task of its own, and
/// the whole taking as long as the longest sleep.
fn judge_observed(delays: &[u64], seen: Observed) -> grading_kit::Outcome {
    let n = delays.len();
    let expected: Vec<u64> = (0..n).map(value_of).collect();
    if seen.results.len() != n {
        return fail(format!("{n} jobs gave {} results: run_all must return one result per job", seen.results.len()));
    }
    if let Some(at) = (0..n).find(|&i| seen.results[i] != expected[i]) {
        return fail(format!(
            "result {at} is {} but job {at} returned {}: the results came back in the order the jobs finished, \
             not the order they were given. Keep the `JoinHandle`s in a `Vec` and await them in that order.",
            seen.results[at], expected[at]
        ));
    }
    let longest = delays.iter().copied().max().unwrap_or(0);
    let one_by_one: u64 = delays.iter().sum();
    expect(
        seen.most_at_once == n,
        format!(
            "at most {} of the {n} jobs were sleeping at the same moment, and run_all took {} ms of virtual time \
             ({one_by_one} ms is one after another, {longest} ms all at once): the jobs ran one by one. Spawn \
             every job first and only then await the handles; `tokio::spawn(job).await` inside the loop, or \
             `job.await`, waits for each job before the next one starts.",
            seen.most_at_once, seen.elapsed_ms
        ),
    )?;
    expect(
        seen.tasks == n,
        format!(
            "the {n} jobs ran inside {} spawned task(s), not one task each. `go f()` starts a goroutine; \
             its twin is `tokio::spawn(job)`, which makes the job a task the runtime schedules on its own.",
            seen.tasks
        ),
    )?;
    expect(
        (longest..=longest + 1).contains(&seen.elapsed_ms),
        format!(
            "run_all took {} ms of virtual time, but its longest job sleeps {longest} ms and all of them sleep \
             at the same time: it should return as soon as the last job is done.",
            seen.elapsed_ms
        ),
    )
}

fn main() {
    grading_kit::checks!()
        .property(
            "results come back in job order",
            prop::collection::vec(0..50u64, 0..30),
            |delays| observe(delays).results,
            |delays, results: Vec<u64>| expect_eq(results, (0..delays.len()).map(value_of).collect()),
        )
        .property(
            "all the jobs sleep at the same time",
            prop::collection::vec(1..50u64, 2..30),
            |delays| observe(delays),
            |delays, seen| judge_observed(delays, seen),
        )
        .case(
            "a hundred thousand tasks at once",
            || observe(&[NAP_MS; MANY]),
            |seen| judge_observed(&[NAP_MS; MANY], seen),
        )
        .snapshot("five jobs on a virtual clock", || {
            let names = ["ana", "bo", "cy", "di", "ed"];
            let delays = [30u64, 10, 50, 20, 40];
            paused_runtime().block_on(async {
                let start = Instant::now();
                let jobs: Vec<_> = names
                    .into_iter()
                    .zip(delays)
                    .map(|(name, delay)| async move {
                        tokio::time::sleep(Duration::from_millis(delay)).await;
                        format!("{name}: back at {} ms", start.elapsed().as_millis())
                    })
                    .collect();
                let mut lines = subject::run_all(jobs).await;
                lines.push(format!("run_all returned at {} ms", start.elapsed().as_millis()));
                lines.join("\n")
            })
        })
        .main();
}
