//! Checks of `spawn_and_join`.

use std::thread;
use std::time::Duration;

use grading_kit::helpers::Rendezvous;
use grading_kit::{expect, expect_eq};
use proptest::prelude::*;

grading_kit::subject!();

/// Jobs in the rendezvous case: enough to need several threads at once.
const MEETING: usize = 4;

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
    let meeting = Rendezvous::new(n, patience);
    let jobs: Vec<_> = (0..n)
        .map(|_| {
            let meeting = meeting.clone();
            move || meeting.arrive()
        })
        .collect();
    subject::run_concurrently(jobs)
}

fn main() {
    grading_kit::checks!()
        .property(
            "results come back in job order",
            prop::collection::vec(0..1000u64, 0..8),
            |values| subject::run_concurrently(doubling_jobs(values)),
            |values, results: Vec<u64>| expect_eq(results, values.iter().map(|v| v * 2).collect()),
        )
        .case(
            "jobs run at the same time",
            || rendezvous(MEETING, Duration::from_millis(300)),
            |seen| {
                let n = MEETING;
                expect(
                    seen.iter().all(|&s| s == n),
                    format!(
                        "each of {n} jobs waited for all {n} to start, but they saw {seen:?} started: the jobs ran \
                         one by one. Spawn every thread first, and only then join them; a thread joined right \
                         after it is spawned has finished before the next one starts."
                    ),
                )
            },
        )
        .property(
            "chunk sums like the sequential sums",
            (prop::collection::vec(0..1_000_000u64, 0..200), 1..20usize),
            |(data, chunk_len)| subject::chunk_sums(data, *chunk_len, |chunk| chunk.iter().sum()),
            |(data, chunk_len), sums: Vec<u64>| {
                expect_eq(sums, data.chunks(*chunk_len).map(|c| c.iter().sum()).collect())
            },
        )
        .case(
            "chunks are summed at the same time",
            || {
                // `MEETING` chunks, and summing each waits for the others:
                // each "sum" is how many had started when it stopped waiting.
                let meeting = Rendezvous::new(MEETING, Duration::from_secs(1));
                let data: Vec<u64> = (0..2 * MEETING as u64).collect();
                subject::chunk_sums(&data, 2, |_| meeting.arrive() as u64)
            },
            |seen| {
                let n = MEETING as u64;
                expect(
                    seen.iter().all(|&s| s == n),
                    format!(
                        "the sums of {n} chunks waited for each other, but saw {seen:?} started: the chunks were \
                         summed one after another. Spawn a scoped thread for every chunk before joining any \
                         (`thread::scope` joins what is left when it ends); a chunk summed on the calling thread, \
                         or a thread joined right after it is spawned, is done before the next one starts."
                    ),
                )
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
