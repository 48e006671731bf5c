//! Checks of `fan_out_fan_in`.

grading_kit::subject!();

use std::thread;
use std::time::Duration;

use grading_kit::helpers::{Rendezvous, ThreadCounter};
use grading_kit::{expect, expect_eq};
use proptest::prelude::*;

/// The work of the checks: a little slow, so that the workers overlap.
fn slow_triple(x: u64) -> u64 {
    thread::sleep(Duration::from_micros(100));
    x * 3
}

/// Jobs and workers of the check that the workers run at the same time.
const MEETING_WORKERS: usize = 3;
/// Jobs and workers of the check that the workers are a fixed set.
const MANY_JOBS: u64 = 200;
const FEW_WORKERS: usize = 3;

fn main() {
    grading_kit::checks!()
        .property(
            "worker does every job until the channel closes",
            prop::collection::vec(0..1000u64, 0..30),
            |values| {
                let (job_sender, jobs) = crossbeam_channel::unbounded();
                let (results, received) = crossbeam_channel::unbounded();
                for job in values.iter().copied().enumerate() {
                    job_sender.send(job).unwrap();
                }
                drop(job_sender);
                subject::worker(jobs, results, &|x: u64| x * 3);
                received.try_iter().collect::<Vec<(usize, u64)>>()
            },
            |values, got| expect_eq(got, values.iter().map(|x| x * 3).enumerate().collect()),
        )
        .property(
            "results come back in input order",
            (prop::collection::vec(0..1000u64, 0..30), 1..6usize),
            |(values, workers)| subject::fan_out_fan_in(values.clone(), *workers, slow_triple),
            |(values, _), got| {
                expect(
                    got.len() == values.len(),
                    format!(
                        "{} inputs gave {} results: results were lost. Receive until the results channel closes \
                         (`for result in receiver`, or `receiver.iter()`); `try_recv` and `try_iter` stop as soon \
                         as the channel is empty at that moment, even when workers are still busy.",
                        values.len(),
                        got.len()
                    ),
                )?;
                expect_eq(got, values.iter().map(|x| x * 3).collect())
            },
        )
        .case(
            "the workers run at the same time",
            || {
                // One job per worker, and each job waits for the others; each
                // says how many had started when it stopped waiting.
                let meeting = Rendezvous::new(MEETING_WORKERS, Duration::from_millis(300));
                subject::fan_out_fan_in(vec![(); MEETING_WORKERS], MEETING_WORKERS, |()| meeting.arrive())
            },
            |seen| {
                let workers = MEETING_WORKERS;
                expect(
                    seen == vec![workers; workers],
                    format!(
                        "{workers} jobs on {workers} workers waited for each other, but saw {seen:?} started: the \
                         jobs were not all done at the same time: they ran one after another. Start all the \
                         workers, each receiving from its own clone of the jobs `Receiver`, before you wait for any \
                         result."
                    ),
                )
            },
        )
        .case(
            "two hundred jobs on three workers",
            || {
                // The results, and how many threads the jobs ran on.
                let threads = ThreadCounter::new();
                let got = subject::fan_out_fan_in((0..MANY_JOBS).collect(), FEW_WORKERS, |x| {
                    threads.note();
                    x + 1
                });
                (got, threads.distinct())
            },
            |(got, used)| {
                let (n, workers) = (MANY_JOBS, FEW_WORKERS);
                expect_eq(got, (1..=n).collect())?;
                expect(
                    used <= workers,
                    format!(
                        "{n} jobs for {workers} workers ran on {used} threads: fan-out means a fixed set of \
                         {workers} workers that each take jobs from one shared channel, not a thread per job."
                    ),
                )
            },
        )
        .snapshot("words to upper case", || {
            let words: Vec<&str> = "fan out to the workers and fan the results back in".split(' ').collect();
            subject::fan_out_fan_in(words, 3, str::to_uppercase).join(" ")
        })
        .main();
}
