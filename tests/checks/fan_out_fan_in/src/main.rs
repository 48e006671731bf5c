//! Checks of `fan_out_fan_in`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::collections::HashSet;
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;

/// The work of the checks: a little slow, so that the workers overlap.
fn slow_triple(x: u64) -> u64 {
    thread::sleep(Duration::from_micros(100));
    x * 3
}

fn main() {
    grading_kit::checks!("fan_out_fan_in")
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
                let got: Vec<(usize, u64)> = received.try_iter().collect();
                expect_eq(got, values.iter().map(|x| x * 3).enumerate().collect())
            },
        )
        .property(
            "results come back in input order",
            (prop::collection::vec(0..1000u64, 0..30), 1..6usize),
            |(values, workers)| {
                let got = subject::fan_out_fan_in(values.clone(), workers, slow_triple);
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
        .property_with_cases("the workers run at the same time", 1, Just(3usize), |workers| {
            // One job per worker, and each job waits for the others.
            let started = (Mutex::new(0usize), Condvar::new());
            let seen = subject::fan_out_fan_in(vec![(); workers], workers, |()| {
                let (count, all_started) = &started;
                let mut count = count.lock().unwrap();
                *count += 1;
                all_started.notify_all();
                let patience = Duration::from_millis(300);
                let (count, _) = all_started.wait_timeout_while(count, patience, |c| *c < workers).unwrap();
                *count
            });
            expect(
                seen == vec![workers; workers],
                format!(
                    "{workers} jobs on {workers} workers waited for each other, but saw {seen:?} started: the jobs \
                     were not done at the same time. Start all the workers, each receiving from its own clone of \
                     the jobs `Receiver`, before you wait for any result."
                ),
            )
        })
        .property_with_cases("two hundred jobs on three workers", 1, Just((200u64, 3usize)), |(n, workers)| {
            let threads: Mutex<HashSet<thread::ThreadId>> = Mutex::new(HashSet::new());
            let got = subject::fan_out_fan_in((0..n).collect(), workers, |x| {
                threads.lock().unwrap().insert(thread::current().id());
                x + 1
            });
            expect_eq(got, (1..=n).collect())?;
            let used = threads.into_inner().unwrap().len();
            expect(
                used <= workers,
                format!(
                    "{n} jobs for {workers} workers ran on {used} threads: fan-out means a fixed set of \
                     {workers} workers that each take jobs from one shared channel, not a thread per job."
                ),
            )
        })
        .snapshot("words to upper case", || {
            let words: Vec<&str> = "fan out to the workers and fan the results back in".split(' ').collect();
            subject::fan_out_fan_in(words, 3, str::to_uppercase).join(" ")
        })
        .main();
}
