//! Checks of `async_deadlines`.
//!
//! The learner's code runs on a current-thread tokio runtime whose clock
//! starts paused: times are virtual, exact, and the same under any load.
//! Injected times stay off each other's marks (no worker is due exactly at
//! the deadline, no run ends exactly on a beat, the stop comes between
//! beats), so every correct solution has one exact answer.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use grading_kit::helpers::paused_runtime;
use grading_kit::{Outcome, expect, expect_eq, fail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

grading_kit::subject!();

fn ms_since(start: Instant) -> u64 {
    start.elapsed().as_millis() as u64
}

// ---- gather ----

const DEADLINE_MS: u64 = 100;

/// Notes, in its slot, when a worker was dropped unfinished.
struct DropWatch {
    ends: Arc<Mutex<Vec<Option<WorkerEnd>>>>,
    index: usize,
    start: Instant,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum WorkerEnd {
    Finished(u64),
    Dropped(u64),
}

impl Drop for DropWatch {
    fn drop(&mut self) {
        let at = ms_since(self.start);
        self.ends.lock().unwrap_or_else(|poison| poison.into_inner())[self.index].get_or_insert(WorkerEnd::Dropped(at));
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Gathered {
    results: Vec<u64>,
    elapsed_ms: u64,
    at_return: Vec<Option<WorkerEnd>>,
    at_last: Vec<Option<WorkerEnd>>,
}

/// Runs `gather` on workers that sleep the given times and return them.
fn run_gather(delays: &[u64], deadline_ms: u64) -> Gathered {
    paused_runtime().block_on(async {
        let ends = Arc::new(Mutex::new(vec![None; delays.len()]));
        let start = Instant::now();
        let workers: Vec<_> = delays
            .iter()
            .enumerate()
            .map(|(index, &delay)| {
                let watch = DropWatch { ends: Arc::clone(&ends), index, start };
                async move {
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                    watch.ends.lock().unwrap_or_else(|poison| poison.into_inner())[index]
                        .get_or_insert(WorkerEnd::Finished(ms_since(start)));
                    delay
                }
            })
            .collect();
        let results = subject::gather(workers, Duration::from_millis(deadline_ms)).await;
        let elapsed_ms = ms_since(start);
        let at_return = ends.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
        let longest = delays.iter().copied().max().unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(longest + 100)).await;
        let at_last = ends.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
        Gathered { results, elapsed_ms, at_return, at_last }
    })
}

fn judge_gather(delays: &[u64], deadline_ms: u64, seen: Gathered) -> Outcome {
    let mut on_time: Vec<u64> = delays.iter().copied().filter(|&d| d < deadline_ms).collect();
    on_time.sort_unstable();
    let late = delays.iter().any(|&d| d > deadline_ms);
    if seen.results.iter().any(|&d| d > deadline_ms) {
        return fail(format!(
            "gather returned {:?} (each worker returns its delay in ms): a worker due after the {deadline_ms} ms \
             deadline was waited for. `select!` between the results and one timer made before the loop, and stop \
             when the timer fires.",
            seen.results
        ));
    }
    if seen.results != on_time {
        return fail(format!(
            "gather returned {:?}, but the workers due by the {deadline_ms} ms deadline give {on_time:?}, in the \
             order they finish (each worker returns its delay in ms). A future does nothing until it is polled: \
             workers awaited one after another start late and finish late. Spawn them all first, then collect.",
            seen.results
        ));
    }
    let returned_at = if late { deadline_ms } else { on_time.last().copied().unwrap_or(0) };
    if let Some(index) =
        (0..delays.len()).find(|&i| matches!(seen.at_last[i], Some(WorkerEnd::Finished(at)) if at > seen.elapsed_ms))
    {
        return fail(format!(
            "worker {index}, due at {} ms, went on running after gather returned at {} ms and finished: late \
             workers must be cancelled. Unlike threads, tasks can be: `JoinSet::shutdown().await` aborts them and \
             waits until they have stopped.",
            delays[index], seen.elapsed_ms
        ));
    }
    if let Some(index) = (0..delays.len()).find(|&i| seen.at_return[i].is_none()) {
        return fail(format!(
            "gather returned while worker {index} was still running; it stopped later. Wait for the cancelled \
             workers to stop (`JoinSet::shutdown().await`), so that none runs on behind the caller."
        ));
    }
    expect(
        (returned_at..=returned_at + 1).contains(&seen.elapsed_ms),
        format!(
            "gather returned at {} ms of virtual time; it should return at {returned_at} ms ({}). The deadline \
             counts from the call, not from the last result: a `timeout` around each `join_next` starts the \
             clock again at every result. And workers awaited one after another take the sum of their times: \
             spawn them all first.",
            seen.elapsed_ms,
            if late { "the deadline" } else { "when the last worker finished, before the deadline" }
        ),
    )
}

/// Worker delays: fast ones (under the deadline) and slow ones (past it),
/// never exactly on it, all distinct so that the arrival order is one.
fn worker_delays() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::btree_set(prop_oneof![1..DEADLINE_MS, DEADLINE_MS + 1..3 * DEADLINE_MS], 0..8)
        .prop_map(|set| set.into_iter().collect::<Vec<_>>())
        .prop_shuffle()
}

// ---- run_every ----

const PERIOD_MS: u64 = 100;

#[derive(Debug, Serialize, Deserialize)]
struct Ticked {
    starts_ms: Vec<u64>,
    returned: usize,
    returned_at_ms: u64,
}

/// Runs `run_every` with runs that take `durations` (cycled), stopped at
/// `stop_at_ms`.
fn run_ticker(durations: &[u64], stop_at_ms: u64) -> Ticked {
    paused_runtime().block_on(async {
        let start = Instant::now();
        let stop = CancellationToken::new();
        let stopper = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(stop_at_ms)).await;
            stopper.cancel();
        });
        let starts = Arc::new(Mutex::new(Vec::new()));
        let noted = Arc::clone(&starts);
        let durations = durations.to_vec();
        let returned = subject::run_every(Duration::from_millis(PERIOD_MS), stop, move |run| {
            noted.lock().unwrap_or_else(|poison| poison.into_inner()).push(ms_since(start));
            let took = durations[run % durations.len()];
            tokio::time::sleep(Duration::from_millis(took))
        })
        .await;
        let returned_at_ms = ms_since(start);
        let starts_ms = starts.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
        Ticked { starts_ms, returned, returned_at_ms }
    })
}

/// The oracle: runs on the grid of `PERIOD_MS`. A run that overruns
/// beats is followed at once by one late run, and the grid goes on from
/// the next beat after it: the missed beats are skipped, not made up. The
/// stop is seen while waiting for a beat, or when the run in progress ends.
fn expected_ticks(durations: &[u64], stop_at_ms: u64) -> (Vec<u64>, u64) {
    let mut starts = Vec::new();
    let (mut now, mut due) = (0u64, 0u64);
    loop {
        let start = now.max(due);
        if stop_at_ms < start || stop_at_ms <= now {
            return (starts, now.max(stop_at_ms));
        }
        starts.push(start);
        due = if now > due { (now / PERIOD_MS + 1) * PERIOD_MS } else { due + PERIOD_MS };
        now = start + durations[(starts.len() - 1) % durations.len()];
    }
}

fn judge_ticker(durations: &[u64], stop_at_ms: u64, seen: Ticked) -> Outcome {
    let (starts, returned_at) = expected_ticks(durations, stop_at_ms);
    if seen.starts_ms != starts {
        let first =
            (0..starts.len().max(seen.starts_ms.len())).find(|&i| starts.get(i) != seen.starts_ms.get(i)).unwrap_or(0);
        let after = if first == 0 {
            "the call".to_string()
        } else {
            format!(
                "a run that started at {} ms and took {} ms",
                starts[first - 1],
                durations[(first - 1) % durations.len()]
            )
        };
        return fail(format!(
            "runs started at {:?} ms, expected {starts:?} (period {PERIOD_MS} ms, stopped at {stop_at_ms} ms). \
             After {after}, run {first} should start at {:?} ms and started at {:?}. On time, a run starts on a \
             beat of the grid; after an overrun, one late run starts at once and the grid goes on, the missed \
             beats skipped. A `sleep(period)` after each run shifts the grid by every run's length (it drifts); \
             an `interval` left at its default (`MissedTickBehavior::Burst`) makes up every missed beat in a \
             burst. Use `interval` with `MissedTickBehavior::Skip`.",
            seen.starts_ms,
            starts.get(first),
            seen.starts_ms.get(first)
        ));
    }
    expect(
        seen.returned_at_ms == returned_at,
        format!(
            "run_every returned at {} ms; stopped at {stop_at_ms} ms, it should have returned at {returned_at} ms. \
             It never sees the stop while it waits for a beat: `select!` between `stop.cancelled()` and \
             `beats.tick()` (with `biased;`, the stop first).",
            seen.returned_at_ms
        ),
    )?;
    expect_eq(seen.returned, starts.len())
}

/// Runs that take less than a period, or overrun by a half: never ending
/// on a beat.
fn run_durations() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(prop_oneof![Just(PERIOD_MS / 4), (1..3u64).prop_map(|k| k * PERIOD_MS + PERIOD_MS / 2)], 1..5)
}

/// A stop a third of the way between two beats.
fn stop_time() -> impl Strategy<Value = u64> {
    (0..15u64).prop_map(|k| k * PERIOD_MS + PERIOD_MS / 3)
}

fn main() {
    grading_kit::checks!()
        .property(
            "gather keeps what arrives by the deadline",
            worker_delays(),
            |delays| run_gather(delays, DEADLINE_MS),
            |delays, seen| judge_gather(delays, DEADLINE_MS, seen),
        )
        .case(
            "one deadline for all the results",
            || run_gather(&[60, 120, 180, 240], 150),
            |seen| judge_gather(&[60, 120, 180, 240], 150, seen),
        )
        .property(
            "run_every keeps to the grid and stops when told",
            (run_durations(), stop_time()),
            |(durations, stop_at)| run_ticker(durations, *stop_at),
            |(durations, stop_at), seen| judge_ticker(durations, *stop_at, seen),
        )
        .snapshot("a gather and a ticker on a virtual clock", || {
            let seen = run_gather(&[30, 250, 10, 140, 70], DEADLINE_MS);
            let ticked = run_ticker(&[25, 150, 25, 25, 250, 25], 833);
            format!(
                "gather: {:?} at {} ms\nrun_every: {} runs, started at {:?} ms, returned at {} ms",
                seen.results, seen.elapsed_ms, ticked.returned, ticked.starts_ms, ticked.returned_at_ms
            )
        })
        .main();
}
