//! Checks of `ordered_pipeline`, with injected processing delays.
//!
//! The check feeds the input through a rendezvous channel and takes the
//! output through another, counting both: how many items the pipeline has
//! taken but not yet handed on is then known at every moment (to within
//! one item).

grading_kit::subject!();

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use grading_kit::helpers::Rendezvous;
use grading_kit::{Outcome, expect, expect_eq, fail, within};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// What one run of the pipeline looked like from outside.
#[derive(Debug, Serialize, Deserialize)]
struct Run {
    /// False if `ordered_map` had not returned 3 s after its input closed;
    /// nothing else was measured then.
    returned: bool,
    output: Vec<u64>,
    /// The most items taken from the input and not yet sent on the output.
    most_in_flight: usize,
    /// For each item that met the others (see [`run`]), how many had
    /// arrived when it stopped waiting.
    met: Vec<usize>,
}

/// Runs `ordered_map` over `items` (value, processing delay in µs) on
/// `workers`; the work doubles the value after sleeping its delay. With a
/// `meeting`, the work first arrives there and waits for the others.
fn run(items: Vec<(u64, u64)>, workers: usize, meeting: Option<Rendezvous>) -> Run {
    let (feed, input) = crossbeam_channel::bounded(0);
    let (output, results) = crossbeam_channel::bounded(0);
    let emitted = Arc::new(AtomicUsize::new(0));

    let counted = Arc::clone(&emitted);
    let reader = thread::spawn(move || {
        let mut got = Vec::new();
        for value in results {
            counted.fetch_add(1, Ordering::SeqCst);
            got.push(value);
        }
        got
    });
    let counted = Arc::clone(&emitted);
    let feeder = thread::spawn(move || {
        let mut most = 0;
        for (taken, item) in (1..).zip(items) {
            if feed.send(item).is_err() {
                break;
            }
            most = most.max(taken - counted.load(Ordering::SeqCst).min(taken));
        }
        most
    });

    let met = Arc::new(Mutex::new(Vec::new()));
    let noted = Arc::clone(&met);
    let returned = within(Duration::from_secs(3), move || {
        subject::ordered_map(
            input,
            workers,
            move |(value, delay): (u64, u64)| {
                if let Some(meeting) = &meeting {
                    let seen = meeting.arrive();
                    noted.lock().unwrap().push(seen);
                }
                thread::sleep(Duration::from_micros(delay));
                value * 2
            },
            output,
        )
    });
    if returned.is_none() {
        return Run { returned: false, output: Vec::new(), most_in_flight: 0, met: Vec::new() };
    }
    let most_in_flight = feeder.join().expect("the feeder does not panic");
    let output = reader.join().expect("the reader does not panic");
    let met = met.lock().unwrap().clone();
    Run { returned: true, output, most_in_flight, met }
}

/// The judge's half, first of every check: the pipeline must have ended.
fn returned(run: &Run) -> Outcome {
    if run.returned {
        return Ok(());
    }
    fail(
        "ordered_map had not returned 3 s after its input closed (the work takes milliseconds): end each stage \
         when the channel it reads from closes, and drop every `Sender` a stage no longer needs so that the next \
         stage's loop can end too.",
    )
}

/// One slow item first (40 ms), then 60 that take no time: behind the slow
/// one, the others can only wait in the reorder buffer.
fn slow_first() -> Vec<(u64, u64)> {
    (0..61).map(|i| (i, if i == 0 { 40_000 } else { 0 })).collect()
}

const BOUNDED_WORKERS: usize = 2;
const PARALLEL_WORKERS: usize = 4;
/// How long an item of `the workers work at the same time` waits for the
/// others: far more than running threads take to arrive on a loaded
/// machine, and short enough that items worked on one after another still
/// end within `run`'s 3 s.
const MEETING_PATIENCE: Duration = Duration::from_millis(600);

fn main() {
    grading_kit::checks!()
        .property(
            "results come out in input order, none lost",
            (prop::collection::vec((0..1000u64, 0..2000u64), 0..40), 1..5usize),
            |(items, workers)| run(items.clone(), *workers, None),
            |(items, _), run| {
                let expected: Vec<u64> = items.iter().map(|(v, _)| v * 2).collect();
                returned(&run)?;
                if run.output.len() == expected.len() && run.output != expected {
                    return fail(format!(
                        "the results came out as {:?}, but the input order was {expected:?}: they were sent on \
                             in the order they finished. Number the items as they come in, and hold each result \
                             in a reorder buffer (a `BTreeMap<u64, U>`) until every one before it has been sent.",
                        run.output
                    ));
                }
                expect_eq(run.output, expected)
            },
        )
        .case(
            "at most twice as many items in flight as workers",
            || run(slow_first(), BOUNDED_WORKERS, None),
            |run| {
                let workers = BOUNDED_WORKERS;
                returned(&run)?;
                expect_eq(run.output, slow_first().iter().map(|(v, _)| v * 2).collect())?;
                let allowed = 2 * workers;
                expect(
                    run.most_in_flight <= allowed + 1,
                    format!(
                        "with {workers} workers and one slow item first, {} items were taken from the input before \
                     the slow one was sent on (at most {allowed} may be): the reorder buffer grows with no limit. \
                     Stop taking input while {allowed} items are in the pipeline; a channel of {allowed} slots \
                     used as a semaphore (send a token before taking an item, take one out after sending a \
                     result) does it.",
                        run.most_in_flight
                    ),
                )
            },
        )
        .case(
            "the workers work at the same time",
            // As many items as workers, each waiting for all of them to be
            // worked on: the workers meet only if they work at once.
            || {
                let n = PARALLEL_WORKERS;
                run((0..n as u64).map(|i| (i, 0)).collect(), n, Some(Rendezvous::new(n, MEETING_PATIENCE)))
            },
            |run| {
                let n = PARALLEL_WORKERS;
                returned(&run)?;
                expect_eq(run.output, (0..n as u64).map(|i| i * 2).collect())?;
                expect(
                    run.met.len() == n && run.met.iter().all(|&m| m == n),
                    format!(
                        "{n} items on {n} workers each waited (up to {} ms) for all {n} to be worked on, but saw \
                         {:?} started: the items were worked on one after another. Start {n} worker threads, each \
                         with a clone of the job `Receiver`, so that {n} items are worked on at once.",
                        MEETING_PATIENCE.as_millis(),
                        run.met
                    ),
                )
            },
        )
        .snapshot("eight items, the first ones slowest", || {
            let items: Vec<(u64, u64)> = (0..8).map(|i| (i, (8 - i) * 1000)).collect();
            let run = run(items, 3, None);
            if run.returned {
                run.output.iter().map(|v| format!("{v}\n")).collect()
            } else {
                "did not return".to_string()
            }
        })
        .main();
}
