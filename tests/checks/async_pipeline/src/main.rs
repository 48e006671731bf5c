//! Checks of `async_pipeline`.
//!
//! On a current-thread runtime with a paused clock: each item takes a
//! latency of its own (a multiple of 10 ms of virtual time) and succeeds or
//! fails; the deadline lies 5 ms off that grid, so nothing ends exactly at
//! it. Workers that take the items in order finish them when greedy list
//! scheduling says, which is the oracle: the first error, the deadline and
//! the last result each have one exact time.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use grading_kit::{Outcome, expect, fail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use grading_kit::helpers::paused_runtime;
use subject::PipelineError;

grading_kit::subject!();

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum End {
    Finished(u64),
    Failed(u64),
    Dropped(u64),
}

impl End {
    fn at(self) -> u64 {
        match self {
            End::Finished(at) | End::Failed(at) | End::Dropped(at) => at,
        }
    }
}

type Ends = Arc<Mutex<Vec<Option<End>>>>;

/// Notes `Dropped` unless the call noted another end first.
struct DropWatch {
    ends: Ends,
    index: usize,
    start: Instant,
}

impl DropWatch {
    fn note(&self, end: End) {
        self.ends.lock().unwrap_or_else(|poison| poison.into_inner())[self.index].get_or_insert(end);
    }
}

impl Drop for DropWatch {
    fn drop(&mut self) {
        self.note(End::Dropped(self.start.elapsed().as_millis() as u64));
    }
}

fn value_of(item: u32) -> u64 {
    u64::from(item) * 3 + 1
}

fn error_of(item: u32) -> String {
    format!("item {item} failed")
}

#[derive(Debug, Serialize, Deserialize)]
struct Observed {
    result: Result<Vec<u64>, String>,
    elapsed_ms: u64,
    most_in_flight: usize,
    at_return: Vec<Option<End>>,
    at_last: Vec<Option<End>>,
}

/// Items `0..n`; item `i` takes `specs[i].0` ms and fails if `specs[i].1`.
fn run_pipeline(specs: &[(u64, bool)], workers: usize, deadline_ms: u64) -> Observed {
    let runtime = paused_runtime();
    runtime.block_on(async {
        let start = Instant::now();
        let ends: Ends = Arc::new(Mutex::new(vec![None; specs.len()]));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let process = {
            let (specs, ends, in_flight, most) =
                (specs.to_vec(), Arc::clone(&ends), Arc::clone(&in_flight), Arc::clone(&most));
            move |item: u32| {
                let (latency, fails) = specs[item as usize];
                let watch = DropWatch { ends: Arc::clone(&ends), index: item as usize, start };
                let (in_flight, most) = (Arc::clone(&in_flight), Arc::clone(&most));
                async move {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    // Counted down even when the call is dropped half-way.
                    struct Leave(Arc<AtomicUsize>);
                    impl Drop for Leave {
                        fn drop(&mut self) {
                            self.0.fetch_sub(1, Ordering::SeqCst);
                        }
                    }
                    let _leave = Leave(in_flight);
                    tokio::time::sleep(Duration::from_millis(latency)).await;
                    let at = start.elapsed().as_millis() as u64;
                    if fails {
                        watch.note(End::Failed(at));
                        Err(error_of(item))
                    } else {
                        watch.note(End::Finished(at));
                        Ok(value_of(item))
                    }
                }
            }
        };
        let items = (0..specs.len() as u32).collect();
        let result = subject::pipeline(items, workers, Duration::from_millis(deadline_ms), process).await;
        let elapsed_ms = start.elapsed().as_millis() as u64;
        let at_return = ends.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
        let longest: u64 = specs.iter().map(|&(latency, _)| latency).sum();
        tokio::time::sleep(Duration::from_millis(longest + 100)).await;
        let at_last = ends.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
        let result = result.map_err(|error| match error {
            PipelineError::Failed(why) => format!("Failed({why})"),
            PipelineError::TimedOut => "TimedOut".to_string(),
        });
        Observed { result, elapsed_ms, most_in_flight: most.load(Ordering::SeqCst), at_return, at_last }
    })
}

/// Greedy list scheduling: each item, in order, starts when the first
/// worker is free. Returns each item's finish time.
fn finish_times(specs: &[(u64, bool)], workers: usize) -> Vec<u64> {
    let mut free: BinaryHeap<Reverse<u64>> = (0..workers).map(|_| Reverse(0)).collect();
    specs
        .iter()
        .map(|&(latency, _)| {
            let Reverse(start) = free.pop().expect("at least one worker");
            free.push(Reverse(start + latency));
            start + latency
        })
        .collect()
}

fn judge_pipeline(specs: &[(u64, bool)], workers: usize, deadline_ms: u64, seen: Observed) -> Outcome {
    let finish = finish_times(specs, workers);
    let first_failure = (0..specs.len()).filter(|&i| specs[i].1).map(|i| finish[i]).min();
    let last = finish.iter().copied().max().unwrap_or(0);
    let (expected, at): (Vec<Result<Vec<u64>, String>>, u64) = match first_failure {
        Some(failed_at) if failed_at < deadline_ms => (
            (0..specs.len())
                .filter(|&i| specs[i].1 && finish[i] == failed_at)
                .map(|i| Err(format!("Failed({})", error_of(i as u32))))
                .collect(),
            failed_at,
        ),
        _ if last < deadline_ms => (vec![Ok((0..specs.len() as u32).map(value_of).collect())], last),
        _ => (vec![Err("TimedOut".to_string())], deadline_ms),
    };
    expect(
        seen.most_in_flight <= workers,
        format!("{} items were processed at once by {workers} workers", seen.most_in_flight),
    )?;
    let busy = workers.min(specs.len());
    expect(
        seen.most_in_flight >= busy,
        format!(
            "at most {} item(s) were processed at once, though {workers} workers had {} items: the workers did not \
             work at the same time. Spawn every worker as a task before waiting for any.",
            seen.most_in_flight,
            specs.len()
        ),
    )?;
    if !expected.contains(&seen.result) {
        return fail(format!(
            "pipeline gave {:?}; expected {:?} at {at} ms (deadline {deadline_ms} ms, {workers} workers taking the \
             items in order). The first error ends the pipeline at once, the deadline ends it with TimedOut, \
             whichever comes first.",
            seen.result, expected[0]
        ));
    }
    if let Some(index) = (0..specs.len()).find(
        |&i| matches!(seen.at_last[i], Some(end) if !matches!(end, End::Dropped(_)) && end.at() > seen.elapsed_ms),
    ) {
        return fail(format!(
            "item {index} was still being processed after pipeline returned at {} ms, and ended as {:?}: on an \
             error or at the deadline, every task must be stopped (`JoinSet::shutdown().await`) before returning",
            seen.elapsed_ms, seen.at_last[index]
        ));
    }
    if let Some(index) = (0..specs.len()).find(|&i| seen.at_return[i].is_none() && seen.at_last[i].is_some()) {
        return fail(format!(
            "pipeline returned while item {index} was still being processed; it was stopped only later. Wait until \
             the cancelled tasks have stopped (`JoinSet::shutdown().await`)."
        ));
    }
    expect(
        seen.elapsed_ms == at,
        format!(
            "pipeline returned {:?} at {} ms; it should have at {at} ms. The first error ends the pipeline at once, \
             the deadline ends it with TimedOut, and otherwise the last result does: whichever comes first. It \
             waited for something else (the rest of the work after an error?).",
            seen.result, seen.elapsed_ms
        ),
    )
}

/// 0 to 10 items of 10 to 60 ms, a few failing; 1 to 4 workers; a deadline
/// between 5 and 205 ms, 5 ms off the 10 ms grid.
fn pipelines() -> impl Strategy<Value = (Vec<(u64, bool)>, usize, u64)> {
    (
        prop::collection::vec(((1..=6u64).prop_map(|k| k * 10), prop::bool::weighted(0.15)), 0..10),
        1..5usize,
        (0..=20u64).prop_map(|k| k * 10 + 5),
    )
}

fn main() {
    grading_kit::checks!()
        .property(
            "results in order, the first error, or the deadline",
            pipelines(),
            |(specs, workers, deadline)| run_pipeline(specs, *workers, *deadline),
            |(specs, workers, deadline), seen| judge_pipeline(specs, *workers, *deadline, seen),
        )
        .case(
            "a failure cancels the work in progress",
            || run_pipeline(&[(50, false), (20, true), (60, false), (30, false)], 3, 1005),
            |seen| judge_pipeline(&[(50, false), (20, true), (60, false), (30, false)], 3, 1005, seen),
        )
        .case(
            "the deadline cancels the work in progress",
            || run_pipeline(&[(40, false); 6], 2, 95),
            |seen| judge_pipeline(&[(40, false); 6], 2, 95, seen),
        )
        .snapshot("three pipelines on a virtual clock", || {
            let runs = [
                ("all succeed", vec![(30, false), (10, false), (20, false), (40, false)], 2, 1005),
                ("item 1 fails", vec![(30, false), (10, true), (20, false), (40, false)], 2, 1005),
                ("deadline at 45 ms", vec![(30, false), (10, false), (20, false), (40, false)], 2, 45),
            ];
            runs.iter()
                .map(|(name, specs, workers, deadline)| {
                    let seen = run_pipeline(specs, *workers, *deadline);
                    format!("{name}: {:?} at {} ms", seen.result, seen.elapsed_ms)
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .main();
}
