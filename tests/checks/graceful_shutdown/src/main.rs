//! Checks of `graceful_shutdown`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use grading_kit::{expect, expect_eq};
use proptest::test_runner::TestCaseError;

/// Counts the threads alive that have run `work`: each holds an `Alive` in
/// a thread-local, dropped when the thread ends (before a `join` returns).
struct Alive(Arc<AtomicUsize>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

thread_local! {
    static ALIVE: RefCell<Option<Alive>> = const { RefCell::new(None) };
}

fn mark_alive(counter: &Arc<AtomicUsize>) {
    ALIVE.with(|alive| {
        let mut alive = alive.borrow_mut();
        if !alive.as_ref().is_some_and(|a| Arc::ptr_eq(&a.0, counter)) {
            counter.fetch_add(1, Ordering::SeqCst);
            *alive = Some(Alive(Arc::clone(counter)));
        }
    });
}

/// How a run ended.
struct Outcome {
    processed: usize,
    results: Vec<u32>,
    left: Vec<u32>,
    alive_after: usize,
}

/// Serves `count` queued items (each takes `work_us`) on `workers`; the
/// item channel stays open throughout. `shutdown_after`: close `shutdown`
/// after that long, or never (then the item channel is closed instead).
fn serve(count: u32, workers: usize, work_us: u64, shutdown_after: Option<Duration>) -> Result<Outcome, TestCaseError> {
    let (feed, items) = crossbeam_channel::unbounded();
    (0..count).for_each(|i| feed.send(i).unwrap());
    let (stop, shutdown) = crossbeam_channel::bounded::<()>(0);
    let (results, done) = crossbeam_channel::unbounded();
    let alive = Arc::new(AtomicUsize::new(0));

    let (returned, finished) = crossbeam_channel::bounded(1);
    let (left_items, counter) = (items.clone(), Arc::clone(&alive));
    thread::spawn(move || {
        let work = move |item: u32| {
            mark_alive(&counter);
            thread::sleep(Duration::from_micros(work_us));
            item
        };
        let processed = subject::serve(items, shutdown, workers, work, results);
        let _ = returned.send(processed);
    });

    let (mut feed, mut stop) = (Some(feed), Some(stop));
    match shutdown_after {
        Some(after) => {
            thread::sleep(after);
            stop = None;
        }
        None => feed = None,
    }
    let signalled = Instant::now();
    let processed = match finished.recv_timeout(Duration::from_millis(400)) {
        Ok(processed) => processed,
        Err(RecvTimeoutError::Timeout) => {
            let signal = if shutdown_after.is_some() {
                "`shutdown` was closed (with items still queued and the item channel open)"
            } else {
                "the item channel was closed and emptied"
            };
            return Err(TestCaseError::fail(format!(
                "serve was still running 400 ms after {signal}; an item takes {work_us} µs. Each worker must wait \
                 on `shutdown` and `items` together (`select!`), check `shutdown` before taking the next item, \
                 and end when either is closed; a loop over `items` alone never sees the shutdown."
            )));
        }
        Err(RecvTimeoutError::Disconnected) => panic!("the code under test panicked"),
    };
    let took = signalled.elapsed();
    if shutdown_after.is_some() && took > Duration::from_millis(200) {
        return Err(TestCaseError::fail(format!(
            "serve returned {} ms after `shutdown` was closed; an item takes {work_us} µs, so it should stop \
             within a few ms. Check `shutdown` before taking each item.",
            took.as_millis()
        )));
    }
    drop((feed, stop));
    Ok(Outcome {
        processed,
        results: done.try_iter().collect(),
        left: left_items.try_iter().collect(),
        alive_after: alive.load(Ordering::SeqCst),
    })
}

/// Every item is either processed once or still queued; every worker ended.
fn nothing_lost(count: u32, outcome: &Outcome) -> Result<(), TestCaseError> {
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

fn main() {
    grading_kit::checks!("graceful_shutdown")
        .property_with_cases(
            "stops promptly on shutdown, losing nothing",
            8,
            (1..5usize, 0..20u64),
            |(workers, after_ms)| {
                let outcome = serve(1000, workers, 1000, Some(Duration::from_millis(after_ms)))?;
                nothing_lost(1000, &outcome)
            },
        )
        .property("ends when the items run out", (0..40u32, 1..5usize), |(count, workers)| {
            let outcome = serve(count, workers, 0, None)?;
            nothing_lost(count, &outcome)?;
            expect_eq(outcome.processed, count as usize)
        })
        .snapshot("six items, then a shutdown before the start", || {
            let mut out = String::new();
            match serve(6, 3, 0, None) {
                Ok(mut run) => {
                    run.results.sort();
                    out.push_str(&format!("items closed: processed {}, results {:?}\n", run.processed, run.results));
                }
                Err(_) => out.push_str("items closed: did not return\n"),
            }
            match serve(6, 3, 0, Some(Duration::ZERO)) {
                Ok(run) => out.push_str(&format!(
                    "shutdown first: processed {}, left in the queue {}\n",
                    run.processed,
                    run.left.len()
                )),
                Err(_) => out.push_str("shutdown first: did not return\n"),
            }
            out
        })
        .main();
}
