//! Checks of `spawn_and_join`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;

/// Jobs that finish in another order than they were given: later jobs
/// sleep less. Each returns twice its value.
fn doubling_jobs(values: &[u64]) -> Vec<impl FnOnce() -> u64 + Send + 'static + use<>> {
    let n = values.len() as u64;
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            move || {
                thread::sleep(Duration::from_millis(n - i as u64));
                v * 2
            }
        })
        .collect()
}

/// How many of `n` jobs each job saw started while it waited for all of them
/// (up to `patience`). Jobs that run at the same time all see `n`.
fn rendezvous(n: usize, patience: Duration) -> Vec<usize> {
    let started = Arc::new((Mutex::new(0), Condvar::new()));
    let jobs: Vec<_> = (0..n)
        .map(|_| {
            let started = Arc::clone(&started);
            move || {
                let (count, all_started) = &*started;
                let mut count = count.lock().unwrap();
                *count += 1;
                all_started.notify_all();
                let (count, _) = all_started.wait_timeout_while(count, patience, |c| *c < n).unwrap();
                *count
            }
        })
        .collect();
    subject::run_concurrently(jobs)
}

fn main() {
    grading_kit::checks!("spawn_and_join")
        .property("results come back in job order", prop::collection::vec(0..1000u64, 0..8), |values| {
            let expected: Vec<u64> = values.iter().map(|v| v * 2).collect();
            expect_eq(subject::run_concurrently(doubling_jobs(&values)), expected)
        })
        .property_with_cases("jobs run at the same time", 1, Just(4usize), |n| {
            let seen = rendezvous(n, Duration::from_millis(300));
            expect(
                seen.iter().all(|&s| s == n),
                format!(
                    "each of {n} jobs waited for all {n} to start, but they saw {seen:?} started: the jobs ran \
                     one by one. Spawn every thread first, and only then join them; a thread joined right \
                     after it is spawned has finished before the next one starts."
                ),
            )
        })
        .property(
            "chunk sums like the sequential sums",
            (prop::collection::vec(0..1_000_000u64, 0..200), 1..20usize),
            |(data, chunk_len)| {
                let expected: Vec<u64> = data.chunks(chunk_len).map(|c| c.iter().sum()).collect();
                expect_eq(subject::chunk_sums(&data, chunk_len), expected)
            },
        )
        .snapshot("five jobs", || {
            let jobs: Vec<_> = (0..5u64)
                .map(|i| {
                    move || {
                        thread::sleep(Duration::from_millis(5 * (5 - i)));
                        format!("job {i} done")
                    }
                })
                .collect();
            subject::run_concurrently(jobs).join("\n")
        })
        .main();
}
