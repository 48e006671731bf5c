//! Checks of `blocking_the_executor`.
//!
//! Each check runs the learner's code on a current-thread tokio runtime,
//! beside a *heartbeat* task, and counts the beats that happen while the
//! learner's code is busy. One thread runs every task of that runtime, so
//! code that blocks it stops the heartbeat dead.
//!
//! - `wait_then` runs on a paused clock with a heartbeat every millisecond
//!   of virtual time. An async sleep lets the clock jump through the beats;
//!   `std::thread::sleep` blocks the only thread, and virtual time does not
//!   move at all.
//! - `compute` gets work that waits until the heartbeat has beaten a few
//!   times, which it can only do if the runtime's thread is free. So the
//!   verdict does not depend on how fast the machine is; a real-time bound
//!   (`GIVE_UP`) only ends the wait of a work that blocks the heartbeat.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use grading_kit::helpers::paused_runtime;
use grading_kit::{expect, expect_eq};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

grading_kit::subject!();

/// Beats the work waits for: evidence that the runtime went on running.
const BEATS_WANTED: u64 = 3;
/// How long a work that sees no beat waits for one (real time). Far above
/// the microseconds that three beats take on a free runtime thread, even on
/// a loaded machine; only a blocked heartbeat waits it out.
const GIVE_UP: Duration = Duration::from_secs(3);

#[derive(Debug, Serialize, Deserialize)]
struct Waited {
    value: u32,
    /// Virtual time from the call to its return.
    elapsed_ms: u64,
    /// Heartbeats (one per virtual millisecond) while it waited.
    beats: u64,
}

/// Runs `wait_then(delay_ms, value)` beside a heartbeat of 1 ms.
fn run_wait(delay_ms: u64, value: u32) -> Waited {
    paused_runtime().block_on(async {
        let beats = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&beats);
        let heartbeat = tokio::spawn(async move {
            let mut clock = tokio::time::interval(Duration::from_millis(1));
            loop {
                clock.tick().await;
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        // Let the heartbeat start, so that only beats during the wait count.
        tokio::task::yield_now().await;
        let before = beats.load(Ordering::SeqCst);
        let start = Instant::now();
        let value = subject::wait_then(Duration::from_millis(delay_ms), value).await;
        let elapsed_ms = start.elapsed().as_millis() as u64;
        let during = beats.load(Ordering::SeqCst) - before;
        heartbeat.abort();
        Waited { value, elapsed_ms, beats: during }
    })
}

fn judge_wait(delay_ms: u64, value: u32, seen: Waited) -> grading_kit::Outcome {
    expect_eq(seen.value, value)?;
    expect(
        seen.elapsed_ms == delay_ms,
        format!(
            "wait_then({delay_ms} ms) returned after {} ms of the runtime's clock, with {} heartbeats meanwhile \
             (one a millisecond): it blocked the runtime's only thread. `std::thread::sleep` stops the thread and \
             every task on it; `tokio::time::sleep(delay).await` parks only this task.",
            seen.elapsed_ms, seen.beats
        ),
    )?;
    expect(
        seen.beats + 1 >= delay_ms,
        format!("the heartbeat beat {} times during a {delay_ms} ms wait: it was held up", seen.beats),
    )
}

#[derive(Debug, Serialize, Deserialize)]
struct Computed {
    result: u64,
    /// Heartbeats the work saw while it ran.
    beats_seen: u64,
    /// Whether the work ran on the runtime's own thread.
    on_runtime_thread: bool,
}

/// Runs `compute` on work that returns `input * 2` once it has seen the
/// heartbeat beat `BEATS_WANTED` times (or after `GIVE_UP`).
fn run_compute(input: u64) -> Computed {
    paused_runtime().block_on(async {
        let beats = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&beats);
        let heartbeat = tokio::spawn(async move {
            loop {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
            }
        });
        let runtime_thread = std::thread::current().id();
        let on_runtime_thread = Arc::new(AtomicBool::new(false));
        let noted = Arc::clone(&on_runtime_thread);
        let seen = Arc::clone(&beats);
        let work = move || {
            noted.store(std::thread::current().id() == runtime_thread, Ordering::SeqCst);
            let from = seen.load(Ordering::SeqCst);
            let give_up = std::time::Instant::now() + GIVE_UP;
            // Busy, as CPU work is: no sleep, no blocking call.
            while seen.load(Ordering::SeqCst) < from + BEATS_WANTED && std::time::Instant::now() < give_up {
                std::hint::spin_loop();
            }
            (input * 2, seen.load(Ordering::SeqCst) - from)
        };
        let (result, beats_seen) = subject::compute(work).await;
        heartbeat.abort();
        Computed { result, beats_seen, on_runtime_thread: on_runtime_thread.load(Ordering::SeqCst) }
    })
}

fn judge_compute(input: u64, seen: Computed) -> grading_kit::Outcome {
    expect_eq(seen.result, input * 2)?;
    expect(
        seen.beats_seen >= BEATS_WANTED,
        format!(
            "the heartbeat task beat {} times while the work ran ({} s, then it gave up waiting for {BEATS_WANTED}): \
             the work {}, so no other task could run. CPU work inside an async task blocks the runtime's thread, \
             and `tokio::spawn` does not help (the new task runs on the same threads). Hand it to \
             `tokio::task::spawn_blocking(work)` and await the handle.",
            seen.beats_seen,
            GIVE_UP.as_secs(),
            if seen.on_runtime_thread { "ran on the runtime's own thread" } else { "held the runtime up" }
        ),
    )
}

fn main() {
    grading_kit::checks!()
        .property_with_cases(
            "wait_then lets the other tasks run",
            16,
            (1..200u64, proptest::prelude::any::<u32>()),
            |&(delay_ms, value)| run_wait(delay_ms, value),
            |&(delay_ms, value), seen| judge_wait(delay_ms, value, seen),
        )
        .case("compute keeps the heartbeat going", || run_compute(21), |seen| judge_compute(21, seen))
        .case(
            "compute gives back a panic",
            || {
                let runtime = paused_runtime();
                let work = || -> u64 { panic!("the work failed") };
                match grading_kit::helpers::catch_panic_any(|| runtime.block_on(subject::compute(work))) {
                    Ok(_) => "compute returned a value though the work panicked".to_string(),
                    Err(caught) => caught.message.unwrap_or_default(),
                }
            },
            |message: String| {
                expect(
                    message == "the work failed",
                    format!(
                        "the work panicked with \"the work failed\", and compute should panic with that message; it \
                     said: {message:?}. Pass the panic on: \
                     `Err(error) => std::panic::resume_unwind(error.into_panic())`."
                    ),
                )
            },
        )
        .snapshot("a heartbeat and three waits", || {
            let waits = [(35, 1), (0, 2), (120, 3)];
            waits
                .iter()
                .map(|&(delay_ms, value)| {
                    let seen = run_wait(delay_ms, value);
                    format!(
                        "wait_then({delay_ms} ms) gave {} after {} ms, {} heartbeats meanwhile",
                        seen.value, seen.elapsed_ms, seen.beats
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .main();
}
