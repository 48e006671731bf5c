//! Checks of `ordered_pipeline`, with injected processing delays.
//!
//! The check feeds the input through a rendezvous channel and takes the
//! output through another, counting both: how many items the pipeline has
//! taken but not yet handed on is then known at every moment (to within
//! one item).

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use grading_kit::{expect, expect_eq, within};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// What one run of the pipeline looked like from outside.
struct Run {
    output: Vec<u64>,
    /// The most items taken from the input and not yet sent on the output.
    most_in_flight: usize,
    took: Duration,
}

/// Runs `ordered_map` over `items` (value, processing delay in µs) on
/// `workers`; the work doubles the value after sleeping its delay.
fn run(items: Vec<(u64, u64)>, workers: usize) -> Result<Run, TestCaseError> {
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

    let start = Instant::now();
    let returned = within(Duration::from_secs(3), move || {
        subject::ordered_map(
            input,
            workers,
            |(value, delay): (u64, u64)| {
                thread::sleep(Duration::from_micros(delay));
                value * 2
            },
            output,
        )
    });
    if returned.is_none() {
        return Err(TestCaseError::fail(
            "ordered_map had not returned 3 s after its input closed (the work takes milliseconds): end \
             each stage when the channel it reads from closes, and drop every `Sender` a stage no longer \
             needs so that the next stage's loop can end too.",
        ));
    }
    let took = start.elapsed();
    let most_in_flight = feeder.join().expect("the feeder does not panic");
    let output = reader.join().expect("the reader does not panic");
    Ok(Run { output, most_in_flight, took })
}

fn main() {
    grading_kit::checks!("ordered_pipeline")
        .property(
            "results come out in input order, none lost",
            (prop::collection::vec((0..1000u64, 0..2000u64), 0..40), 1..5usize),
            |(items, workers)| {
                let expected: Vec<u64> = items.iter().map(|(v, _)| v * 2).collect();
                let run = run(items, workers)?;
                if run.output.len() == expected.len() && run.output != expected {
                    return expect(
                        false,
                        format!(
                            "the results came out as {:?}, but the input order was {expected:?}: they were sent on \
                             in the order they finished. Number the items as they come in, and hold each result \
                             in a reorder buffer (a `BTreeMap<u64, U>`) until every one before it has been sent.",
                            run.output
                        ),
                    );
                }
                expect_eq(run.output, expected)
            },
        )
        .property_with_cases("at most twice as many items in flight as workers", 1, Just(2usize), |workers| {
            // The first item takes 40 ms, the 60 after it nothing: behind the
            // slow one, the others can only wait in the reorder buffer.
            let items: Vec<(u64, u64)> = (0..61).map(|i| (i, if i == 0 { 40_000 } else { 0 })).collect();
            let run = run(items, workers)?;
            expect_eq(run.output, (0..61).map(|i| i * 2).collect())?;
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
        })
        .property_with_cases("the workers work at the same time", 1, Just(4usize), |workers| {
            // 25 ms an item: far above a busy machine's late wake-ups.
            let items: Vec<(u64, u64)> = (0..16).map(|i| (i, 25_000)).collect();
            let run = run(items, workers)?;
            expect_eq(run.output.len(), 16)?;
            expect(
                run.took < Duration::from_millis(200),
                format!(
                    "16 items of 25 ms on {workers} workers took {} ms; one after another they take 400 ms. Give \
                     each worker a clone of the job `Receiver`, so that {workers} items are worked on at once.",
                    run.took.as_millis()
                ),
            )
        })
        .snapshot("eight items, the first ones slowest", || {
            let items: Vec<(u64, u64)> = (0..8).map(|i| (i, (8 - i) * 1000)).collect();
            match run(items, 3) {
                Ok(run) => run.output.iter().map(|v| format!("{v}\n")).collect(),
                Err(_) => "did not return".to_string(),
            }
        })
        .main();
}
