//! Checks of `worker_pool`.

grading_kit::subject!();

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use grading_kit::{expect, expect_eq, fail, within};
use proptest::prelude::*;

/// Counts the threads alive that have run a job of this run: each such
/// thread holds an `Alive` in a thread-local, dropped when the thread ends
/// (before a `join` of it returns).
struct Alive(Arc<AtomicUsize>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

thread_local! {
    static ALIVE: RefCell<Option<Alive>> = const { RefCell::new(None) };
}

/// Notes the calling thread as one that ran a job, unless it is `caller`,
/// the thread that called `run_pool`: it is no worker, and lives on.
fn mark_alive(counter: &Arc<AtomicUsize>, caller: ThreadId) {
    if thread::current().id() == caller {
        return;
    }
    ALIVE.with(|alive| {
        let mut alive = alive.borrow_mut();
        if !alive.as_ref().is_some_and(|a| Arc::ptr_eq(&a.0, counter)) {
            counter.fetch_add(1, Ordering::SeqCst);
            *alive = Some(Alive(Arc::clone(counter)));
        }
    });
}

/// What a run of the pool looked like from inside the jobs.
struct Run {
    results: Vec<u64>,
    threads: usize,
    alive_after: usize,
}

/// Runs `values.len()` jobs (each returns twice its value, after up to
/// 2 ms) on `workers` workers, watching which threads run them.
fn run(values: &[u64], workers: usize) -> Run {
    let threads = Arc::new(Mutex::new(HashSet::<ThreadId>::new()));
    let alive = Arc::new(AtomicUsize::new(0));
    let caller = thread::current().id();
    let jobs: Vec<_> = values
        .iter()
        .map(|&v| {
            let (threads, alive) = (Arc::clone(&threads), Arc::clone(&alive));
            move || {
                threads.lock().unwrap().insert(thread::current().id());
                mark_alive(&alive, caller);
                thread::sleep(Duration::from_micros(v % 3 * 700));
                v * 2
            }
        })
        .collect();
    let results = subject::run_pool(jobs, workers);
    let threads = threads.lock().unwrap().len();
    Run { results, threads, alive_after: alive.load(Ordering::SeqCst) }
}

/// The fixed case of `run_pool returns once the jobs are done`.
const RETURN_JOBS: u64 = 6;
const RETURN_WORKERS: usize = 2;
/// Jobs, and workers, of `the workers run at the same time`.
const MEETING: usize = 4;

fn main() {
    grading_kit::checks!()
        .case(
            "run_pool returns once the jobs are done",
            || within(Duration::from_secs(2), || run(&(0..RETURN_JOBS).collect::<Vec<_>>(), RETURN_WORKERS).results),
            |returned: Option<Vec<u64>>| {
                let (jobs, workers) = (RETURN_JOBS, RETURN_WORKERS);
                let Some(results) = returned else {
                    return fail(format!(
                        "run_pool of {jobs} jobs on {workers} workers had not returned after 2 s (the jobs take \
                         a few ms). The workers' `for job in jobs` loops end only when the job channel is \
                         closed, that is when its every `Sender` is dropped: drop yours once every job is \
                         sent, before you join the workers."
                    ));
                };
                expect_eq(results, (0..jobs).map(|v| v * 2).collect())
            },
        )
        .property(
            "results come back in job order",
            (prop::collection::vec(0..1000u64, 0..20), 1..5usize),
            |(values, workers)| run(values, *workers).results,
            |(values, _), results| expect_eq(results, values.iter().map(|v| v * 2).collect()),
        )
        .property(
            "no more threads than workers",
            (prop::collection::vec(0..1000u64, 0..30), 1..4usize),
            |(values, workers)| run(values, *workers).threads,
            |(values, workers), threads| {
                expect(
                    threads <= *workers,
                    format!(
                        "{} jobs on a pool of {workers} workers ran on {threads} different threads. A pool starts \
                         its {workers} threads once, and each takes job after job from the shared channel; a \
                         thread per job is not a pool.",
                        values.len()
                    ),
                )
            },
        )
        .property(
            "every worker has ended when run_pool returns",
            (prop::collection::vec(0..1000u64, 0..20), 1..5usize),
            |(values, workers)| run(values, *workers).alive_after,
            |_, alive| {
                expect(
                    alive == 0,
                    format!(
                        "{alive} thread(s) that ran jobs were still alive when run_pool returned: join every \
                         worker (`handle.join()`) before returning, after closing the job channel."
                    ),
                )
            },
        )
        .case(
            "the workers run at the same time",
            || {
                // `n` jobs that each wait (up to 1 s) for all `n` to start:
                // on `n` workers they all meet.
                let n = MEETING;
                let started = Arc::new((Mutex::new(0usize), Condvar::new()));
                let jobs: Vec<_> = (0..n)
                    .map(|_| {
                        let started = Arc::clone(&started);
                        move || {
                            let (count, all_started) = &*started;
                            let mut count = count.lock().unwrap();
                            *count += 1;
                            all_started.notify_all();
                            let patience = Duration::from_secs(1);
                            *all_started.wait_timeout_while(count, patience, |c| *c < n).unwrap().0
                        }
                    })
                    .collect();
                subject::run_pool(jobs, n)
            },
            |seen: Vec<usize>| {
                let n = MEETING;
                expect(
                    seen.iter().all(|&s| s == n),
                    format!(
                        "{n} jobs on {n} workers each waited for all {n} to start, but saw {seen:?} started: the \
                         workers did not run at the same time. Running the jobs one after another (on the calling \
                         thread, or on workers joined one at a time) is not a pool: start every worker before sending \
                         jobs, and let each take jobs from the shared channel."
                    ),
                )
            },
        )
        .snapshot("seven jobs on three workers", || {
            let jobs: Vec<_> = (0..7u64)
                .map(|i| {
                    move || {
                        thread::sleep(Duration::from_millis(7 - i));
                        format!("job {i}: {}", i * i)
                    }
                })
                .collect();
            subject::run_pool(jobs, 3).join("\n")
        })
        .main();
}
