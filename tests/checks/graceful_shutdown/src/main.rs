//! Checks of `graceful_shutdown`.

grading_kit::subject!();

use std::thread;
use std::time::{Duration, Instant};

use grading_kit::helpers::{Rendezvous, ThreadCounter};
use grading_kit::{expect, expect_eq, fail, within};
use proptest::test_runner::TestCaseError;
use serde::{Deserialize, Serialize};

/// How a run ended, as the subject saw it.
#[derive(Debug, Serialize, Deserialize)]
struct Served {
    /// Whether `serve` returned within 400 ms of the signal to stop.
    returned: bool,
    /// How long after the signal it returned, in milliseconds.
    took_ms: u64,
    processed: usize,
    results: Vec<u32>,
    left: Vec<u32>,
    alive_after: usize,
}

/// How a run of `serve` is told to stop.
#[derive(Clone, Copy)]
enum Stop {
    /// The item channel is closed (once `serve` has started) and emptied.
    ItemsRunOut,
    /// `shutdown` is closed before `serve` is called: no worker can have
    /// taken an item first, whatever the scheduler does.
    ShutdownBeforeStart,
    /// `shutdown` is closed this long after `serve` was started.
    ShutdownAfter(Duration),
}

/// Serves `count` queued items (each takes `work_us`) on `workers`; the
/// item channel stays open throughout unless `how` closes it.
fn serve(count: u32, workers: usize, work_us: u64, how: Stop) -> Served {
    let (feed, items) = crossbeam_channel::unbounded();
    (0..count).for_each(|i| feed.send(i).unwrap());
    let (stop, shutdown) = crossbeam_channel::bounded::<()>(0);
    let (results, done) = crossbeam_channel::unbounded();
    // The threads that ran `work`, and how many of them have not ended.
    let alive = ThreadCounter::new();

    let (mut feed, mut stop) = (Some(feed), Some(stop));
    if let Stop::ShutdownBeforeStart = how {
        stop = None;
    }
    let (left_items, counter) = (items.clone(), alive.clone());
    let running = grading_kit::start(move || {
        let work = move |item: u32| {
            counter.note();
            thread::sleep(Duration::from_micros(work_us));
            item
        };
        subject::serve(items, shutdown, workers, work, results)
    });

    match how {
        Stop::ItemsRunOut => feed = None,
        Stop::ShutdownBeforeStart => {}
        Stop::ShutdownAfter(after) => {
            thread::sleep(after);
            stop = None;
        }
    }
    let signalled = Instant::now();
    // A panic in `serve` is raised again here: the learner's, where it was.
    let Some(processed) = running.wait(Duration::from_millis(400)) else {
        return Served {
            returned: false,
            took_ms: signalled.elapsed().as_millis() as u64,
            processed: 0,
            results: Vec::new(),
            left: Vec::new(),
            alive_after: 0,
        };
    };
    let took_ms = signalled.elapsed().as_millis() as u64;
    drop((feed, stop));
    Served {
        returned: true,
        took_ms,
        processed,
        results: done.try_iter().collect(),
        left: left_items.try_iter().collect(),
        alive_after: alive.alive(),
    }
}

/// `serve` returned, and promptly after a shutdown: within 200 ms, when an
/// item takes `work_us`.
fn stopped_in_time(outcome: &Served, work_us: u64, shut_down: bool) -> Result<(), TestCaseError> {
    if !outcome.returned {
        let signal = if shut_down {
            "`shutdown` was closed (with items still queued and the item channel open)"
        } else {
            "the item channel was closed and emptied"
        };
        return fail(format!(
            "serve was still running 400 ms after {signal}; an item takes {work_us} µs. Each worker must wait \
             on `shutdown` and `items` together (`select!`), check `shutdown` before taking the next item, \
             and end when either is closed; a loop over `items` alone never sees the shutdown."
        ));
    }
    if shut_down && outcome.took_ms > 200 {
        return fail(format!(
            "serve returned {} ms after `shutdown` was closed; an item takes {work_us} µs, so it should stop \
             within a few ms. Check `shutdown` before taking each item.",
            outcome.took_ms
        ));
    }
    Ok(())
}

/// Every item is either processed once or still queued; every worker ended.
fn nothing_lost(count: u32, outcome: &Served) -> Result<(), TestCaseError> {
    let mut seen: Vec<u32> = outcome.results.iter().chain(&outcome.left).copied().collect();
    seen.sort();
    let lost: Vec<u32> = (0..count).filter(|i| seen.binary_search(i).is_err()).collect();
    expect(
        lost.is_empty(),
        format!(
            "{} item(s) taken from the queue were lost, {lost:?}: neither processed nor left in the queue. A \
             worker that has taken an item must finish it; look at the shutdown signal *before* taking the next \
             item, not after.",
            lost.len()
        ),
    )?;
    expect_eq(seen, (0..count).collect())?;
    expect(
        outcome.processed == outcome.results.len(),
        format!("serve returned {} but sent {} results", outcome.processed, outcome.results.len()),
    )?;
    expect(
        outcome.alive_after == 0,
        format!(
            "{} worker thread(s) were still alive when serve returned: join every worker before returning \
             (`std::thread::scope` does it for you).",
            outcome.alive_after
        ),
    )
}

/// Serves `workers` queued items on `workers` workers, the queue closed:
/// each item's work waits (at most `MEETING_PATIENCE`) until all of them
/// are being worked on. Returns how many each saw, or `None` if `serve` had
/// not returned within `MEETING_LIMIT`.
fn meet(workers: usize) -> Option<Vec<usize>> {
    let (feed, items) = crossbeam_channel::unbounded();
    (0..workers).for_each(|i| feed.send(i).unwrap());
    drop(feed);
    let (stop, shutdown) = crossbeam_channel::bounded::<()>(0);
    let (results, done) = crossbeam_channel::unbounded();
    let meeting = Rendezvous::new(workers, MEETING_PATIENCE);
    let served = within(MEETING_LIMIT, move || {
        subject::serve(items, shutdown, workers, move |_: usize| meeting.arrive(), results)
    });
    drop(stop);
    served.map(|_| done.try_iter().collect())
}

/// Workers of the check that they work at the same time.
const MEETING_WORKERS: usize = 3;
/// How long an item waits for the others: far more than it takes threads
/// that are running to arrive, on a loaded machine.
const MEETING_PATIENCE: Duration = Duration::from_secs(1);
const MEETING_LIMIT: Duration = Duration::from_secs(5);

/// Items and the time each takes in the check that `serve` stops promptly.
const QUEUED: u32 = 1000;
const SLOW_ITEM_US: u64 = 1000;

fn main() {
    grading_kit::checks!()
        .property_with_cases(
            "stops promptly on shutdown, losing nothing",
            8,
            (1..5usize, 0..20u64),
            |&(workers, after_ms)| {
                serve(QUEUED, workers, SLOW_ITEM_US, Stop::ShutdownAfter(Duration::from_millis(after_ms)))
            },
            |_, outcome| {
                stopped_in_time(&outcome, SLOW_ITEM_US, true)?;
                nothing_lost(QUEUED, &outcome)
            },
        )
        .property(
            "ends when the items run out",
            (0..40u32, 1..5usize),
            |&(count, workers)| serve(count, workers, 0, Stop::ItemsRunOut),
            |&(count, _), outcome| {
                stopped_in_time(&outcome, 0, false)?;
                nothing_lost(count, &outcome)?;
                expect_eq(outcome.processed, count as usize)
            },
        )
        .case(
            "the workers work at the same time",
            || meet(MEETING_WORKERS),
            |seen: Option<Vec<usize>>| {
                let n = MEETING_WORKERS;
                let Some(seen) = seen else {
                    return fail(format!(
                        "serve of {n} queued items on {n} workers, the queue closed, had not returned after {} s",
                        MEETING_LIMIT.as_secs()
                    ));
                };
                expect_eq(seen.len(), n)?;
                expect(
                    seen.iter().all(|&s| s == n),
                    format!(
                        "{n} items on {n} workers each waited (up to {} s) for all {n} to be worked on, but saw \
                         {seen:?} started: the items were worked on one after another, not by {n} workers at once. \
                         Start `workers` threads (`scope.spawn` in a loop), each with its own loop over the \
                         channels; one loop on the calling thread ignores `workers`.",
                        MEETING_PATIENCE.as_secs()
                    ),
                )
            },
        )
        .snapshot("six items, then a shutdown before the start", || {
            let mut out = String::new();
            let mut run = serve(6, 3, 0, Stop::ItemsRunOut);
            if stopped_in_time(&run, 0, false).is_ok() {
                run.results.sort();
                out.push_str(&format!("items closed: processed {}, results {:?}\n", run.processed, run.results));
            } else {
                out.push_str("items closed: did not return\n");
            }
            let run = serve(6, 3, 0, Stop::ShutdownBeforeStart);
            if stopped_in_time(&run, 0, true).is_ok() {
                out.push_str(&format!(
                    "shutdown first: processed {}, left in the queue {}\n",
                    run.processed,
                    run.left.len()
                ));
            } else {
                out.push_str("shutdown first: did not return\n");
            }
            out
        })
        .main();
}
