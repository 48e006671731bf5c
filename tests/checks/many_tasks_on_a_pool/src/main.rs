//! Checks of `many_tasks_on_a_pool`.

grading_kit::subject!();

use std::collections::HashSet;
use std::sync::{Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use grading_kit::helpers::SeededRng;
use grading_kit::{Speedup, expect, expect_eq};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// About ten microseconds of CPU work.
fn small_work(seed: u64) -> u64 {
    let mut state = seed | 1;
    for _ in 0..6000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
    }
    state
}

/// The fixed case of many tiny tasks: how many, and the pool's size.
const MANY_TASKS: usize = 10_000;
const MANY_TASKS_THREADS: usize = 4;
/// The pool's size in the case of tasks that wait for each other.
const MEETING_THREADS: usize = 3;

/// What became of many tiny tasks: their results, and on how many different
/// threads they ran.
#[derive(Debug, Serialize, Deserialize)]
struct ManyTasks {
    results: Vec<u64>,
    threads_used: usize,
}

fn main() {
    grading_kit::checks!()
        .property(
            "results come back in task order",
            (prop::collection::vec(0..1000u64, 0..300), 1..5usize),
            |(values, threads): &(Vec<u64>, usize)| {
                let tasks: Vec<_> = values.iter().map(|&v| move || v * 2 + 1).collect();
                subject::run_on_pool(tasks, *threads)
            },
            |(values, _), results| expect_eq(results, values.iter().map(|v| v * 2 + 1).collect()),
        )
        .case(
            "ten thousand tasks on four threads",
            || {
                let ran_on: Mutex<HashSet<ThreadId>> = Mutex::new(HashSet::new());
                let tasks: Vec<_> = (0..MANY_TASKS as u64)
                    .map(|i| {
                        let ran_on = &ran_on;
                        move || {
                            ran_on.lock().unwrap().insert(thread::current().id());
                            i
                        }
                    })
                    .collect();
                let results = subject::run_on_pool(tasks, MANY_TASKS_THREADS);
                ManyTasks { results, threads_used: ran_on.into_inner().unwrap().len() }
            },
            |ManyTasks { results, threads_used: used }| {
                let (n, threads) = (MANY_TASKS, MANY_TASKS_THREADS);
                expect_eq(results, (0..n as u64).collect())?;
                expect(
                    used <= threads,
                    format!(
                        "{n} tasks ran on {used} different threads, but the pool has {threads}: {}. Every OS thread \
                         costs a stack, a system call to create and one to join, and a place in the kernel's \
                         scheduler; ten thousand of them for ten thousand tiny tasks spend more on threads than on \
                         work. Build a pool of `threads` threads (`rayon::ThreadPoolBuilder`) and hand it the tasks \
                         inside `pool.install`, with `into_par_iter()` or `pool.scope`.",
                        if used >= n / 2 { "that is about one thread per task" } else { "more than the pool" }
                    ),
                )
            },
        )
        .case(
            "the pool's threads run at the same time",
            || {
                // `threads` tasks that wait for each other: only possible if
                // the pool runs them on different threads at once. Each
                // returns how many had started when it stopped waiting.
                let threads = MEETING_THREADS;
                let started = (Mutex::new(0usize), Condvar::new());
                let tasks: Vec<_> = (0..threads)
                    .map(|_| {
                        let (count, all_started) = &started;
                        move || {
                            let mut count = count.lock().unwrap();
                            *count += 1;
                            all_started.notify_all();
                            let patience = Duration::from_millis(300);
                            let (count, _) = all_started.wait_timeout_while(count, patience, |c| *c < threads).unwrap();
                            *count
                        }
                    })
                    .collect();
                subject::run_on_pool(tasks, threads)
            },
            |seen| {
                let threads = MEETING_THREADS;
                expect(
                    seen.iter().all(|&s| s == threads),
                    format!(
                        "{threads} tasks on a pool of {threads} threads waited for each other, but saw {seen:?} \
                         started: they ran one after another. A pool runs its tasks on all of its threads at once; \
                         running every task on the calling thread is a plain loop."
                    ),
                )
            },
        )
        .snapshot("ten small tasks", || {
            let tasks: Vec<_> = (1..=10u64).map(|i| move || format!("task {i}: {}", i * i)).collect();
            subject::run_on_pool(tasks, 3).join("\n")
        })
        .speedup(
            "ten thousand tasks, faster than one thread",
            Speedup::seeded(
                // Ten thousand task seeds, new at every seed: `small_work`
                // costs the same on any of them.
                |seed| SeededRng::new(seed).take(10_000).collect::<Vec<u64>>(),
                |seeds: &Vec<u64>| seeds.iter().map(|&seed| small_work(seed)).collect::<Vec<u64>>(),
                |seeds: &Vec<u64>| {
                    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                    let tasks: Vec<_> = seeds.iter().map(|&seed| move || small_work(seed)).collect();
                    subject::run_on_pool(tasks, cores)
                },
            ),
        )
        .main();
}
