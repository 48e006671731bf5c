//! Checks of `worker_pool`.

grading_kit::subject!();

use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use grading_kit::helpers::{Rendezvous, ThreadCounter, catch_panic_any};
use grading_kit::{expect, fail, within};
use proptest::prelude::*;

use subject::ThreadPool;

/// Workers of the case where jobs meet, and how many more jobs follow them.
const MEETING: usize = 3;
const MORE_JOBS: usize = 60;
/// How long a job waits for the others at the meeting point.
const MEETING_PATIENCE: Duration = Duration::from_millis(500);
/// Workers, slow jobs and quick jobs of the case about what `drop` waits for.
const DROP_WORKERS: usize = 2;
const SLOW_JOBS: usize = 2;
const QUICK_JOBS: usize = 6;
/// How long a slow job waits to see whether `drop` has returned without it.
const SLOW_JOB_PATIENCE: Duration = Duration::from_millis(800);
/// Workers, panicking jobs and plain jobs of the panic case.
const PANIC_WORKERS: usize = 2;
const PANICKING_JOBS: usize = 2;
const PLAIN_JOBS: usize = 6;
/// How long a case waits for the pool to be dropped (its jobs take at most
/// a few seconds' patience together).
const DROP_PATIENCE: Duration = Duration::from_secs(5);

/// The text of the jobs that panic on purpose: it is what a learner reads
/// if their pool panics in turn.
const PANIC_TEXT: &str = "a job of the check panicked on purpose: the pool must survive it";

/// A shared list that jobs add their numbers to.
type Log = Arc<Mutex<Vec<usize>>>;

fn log_of(log: &Log) -> Vec<usize> {
    log.lock().unwrap_or_else(|poison| poison.into_inner()).clone()
}

fn record(log: &Log, n: usize) {
    log.lock().unwrap_or_else(|poison| poison.into_inner()).push(n);
}

/// What the judge says when the pool's `drop` never returned.
fn drop_hung(what: &str) -> String {
    format!(
        "{what}, dropping the pool had not returned after {} s. A worker's `for job in jobs` loop ends only when \
         the job channel is closed, that is when its `Sender` is dropped; joining a worker before that waits \
         forever. In `drop`, close the channel first (`drop(self.jobs.take())`: the `Sender` sits in an \
         `Option` so that `drop`, which only has `&mut self`, can take it out), then join every worker.",
        DROP_PATIENCE.as_secs()
    )
}

/// Which of `0..n` are missing from `ran`, and which ran more than once.
fn missing_and_twice(ran: &[usize], n: usize) -> (Vec<usize>, Vec<usize>) {
    let count = |i: usize| ran.iter().filter(|&&r| r == i).count();
    ((0..n).filter(|&i| count(i) == 0).collect(), (0..n).filter(|&i| count(i) > 1).collect())
}

fn main() {
    // The cases come first: they wait for the pool's `drop` with patience
    // and name a `drop` that never returns; the property, which does not (it
    // would wait at every shrinking step), comes last.
    grading_kit::checks!()
        .case(
            "the workers run at the same time, and no others",
            || {
                // `MEETING` jobs that wait for each other (on `MEETING`
                // workers they all meet), then many quick ones; every job
                // notes its thread.
                within(DROP_PATIENCE, || {
                    let threads = ThreadCounter::new();
                    let meeting = Rendezvous::new(MEETING, MEETING_PATIENCE);
                    let seen: Log = Arc::default();
                    let pool = ThreadPool::new(MEETING);
                    for _ in 0..MEETING {
                        let (threads, meeting, seen) = (threads.clone(), meeting.clone(), Arc::clone(&seen));
                        pool.execute(move || {
                            threads.note();
                            record(&seen, meeting.arrive());
                        });
                    }
                    for _ in 0..MORE_JOBS {
                        let threads = threads.clone();
                        pool.execute(move || threads.note());
                    }
                    drop(pool);
                    let mut seen = log_of(&seen);
                    seen.sort_unstable();
                    (seen, threads.distinct(), threads.alive())
                })
            },
            |ran: Option<(Vec<usize>, usize, usize)>| {
                let (n, jobs) = (MEETING, MEETING + MORE_JOBS);
                let Some((seen, distinct, alive)) = ran else {
                    return fail(drop_hung(&format!("{jobs} jobs on a pool of {n}")));
                };
                expect(
                    seen == vec![n; n],
                    format!(
                        "{n} jobs on a pool of {n} each waited for all {n} to start, but saw {seen:?} started: \
                         they ran one after another, not on {n} workers at once. `new` starts the workers, each \
                         waiting on the job channel; `execute` only sends the job, and returns at once (running \
                         it on the calling thread is a plain function call, not a pool). With std's `Receiver` shared \
                         behind a `Mutex`, release the lock before running the job: `while let Ok(job) = \
                         rx.lock().unwrap().recv()` keeps the guard for the whole loop body, so the workers take \
                         turns."
                    ),
                )?;
                expect(
                    distinct <= n,
                    format!(
                        "{jobs} jobs on a pool of {n} ran on {distinct} different threads. A pool starts its {n} \
                         threads once, in `new`, and each runs job after job from the shared channel; a thread \
                         per job is what the pool is there to avoid."
                    ),
                )?;
                expect(
                    alive == 0,
                    format!(
                        "{alive} of the {distinct} threads that ran jobs were still alive when dropping the pool \
                         returned: `drop` must join every worker (`handle.join()`) after closing the job channel, \
                         so that no thread of the pool outlives it."
                    ),
                )
            },
        )
        .case(
            "drop waits for the jobs still running and queued",
            || {
                // The slow jobs wait (with patience) to hear that `drop` has
                // returned: with a `drop` that joins the workers, it has not,
                // and they run before it returns; with one that does not, it
                // returns first, and the log read right after lacks them.
                let returned = Arc::new((Mutex::new(false), Condvar::new()));
                let log: Log = Arc::default();
                let (in_returned, in_log) = (Arc::clone(&returned), Arc::clone(&log));
                let ran = within(DROP_PATIENCE, move || {
                    let pool = ThreadPool::new(DROP_WORKERS);
                    for i in 0..SLOW_JOBS + QUICK_JOBS {
                        let (returned, log) = (Arc::clone(&in_returned), Arc::clone(&in_log));
                        pool.execute(move || {
                            if i < SLOW_JOBS {
                                let (flag, changed) = &*returned;
                                let flag = flag.lock().unwrap_or_else(|poison| poison.into_inner());
                                let _ = changed.wait_timeout_while(flag, SLOW_JOB_PATIENCE, |returned| !*returned);
                            }
                            record(&log, i);
                        });
                    }
                    drop(pool);
                    log_of(&in_log)
                });
                let (flag, changed) = &*returned;
                *flag.lock().unwrap_or_else(|poison| poison.into_inner()) = true;
                changed.notify_all();
                ran
            },
            |ran: Option<Vec<usize>>| {
                let (n, workers) = (SLOW_JOBS + QUICK_JOBS, DROP_WORKERS);
                let Some(ran) = ran else {
                    return fail(drop_hung(&format!("{n} jobs on a pool of {workers}")));
                };
                let (missing, _) = missing_and_twice(&ran, n);
                expect(
                    missing.is_empty(),
                    format!(
                        "{n} jobs on a pool of {workers}, the first {SLOW_JOBS} slow: when dropping the pool \
                         returned, jobs {missing:?} had not run. Dropping the pool must wait for the jobs still \
                         running and still queued: close the job channel, then join every worker. Closing alone \
                         lets `drop` return while the workers are busy, and the jobs they have not reached yet \
                         may never run: the process can end before them."
                    ),
                )
            },
        )
        .case(
            "a panicking job does not kill its worker",
            || {
                // First one panicking job per worker, then plain jobs: a
                // worker that dies with its job leaves the plain ones to
                // nobody. Every panic of the pool itself is caught, to say
                // what it was.
                within(DROP_PATIENCE, || {
                    catch_panic_any(|| {
                        let log: Log = Arc::default();
                        let pool = ThreadPool::new(PANIC_WORKERS);
                        for _ in 0..PANICKING_JOBS {
                            pool.execute(|| panic!("{PANIC_TEXT}"));
                        }
                        for i in 0..PLAIN_JOBS {
                            let log = Arc::clone(&log);
                            pool.execute(move || record(&log, i));
                        }
                        drop(pool);
                        log_of(&log)
                    })
                    .map_err(|caught| caught.message.unwrap_or_else(|| "a panic without a message".to_string()))
                })
            },
            |ran: Option<Result<Vec<usize>, String>>| {
                let (workers, panicking, plain) = (PANIC_WORKERS, PANICKING_JOBS, PLAIN_JOBS);
                let Some(ran) = ran else {
                    return fail(drop_hung(&format!(
                        "after {panicking} panicking jobs and {plain} plain ones on a pool of {workers}"
                    )));
                };
                let advice = "Run each job inside `std::panic::catch_unwind(AssertUnwindSafe(job))`: the panic \
                              ends the job, not the worker's loop, and the worker takes the next job. In Go terms, \
                              the `defer recover()` around each job.";
                let ran = match ran {
                    Ok(ran) => ran,
                    Err(said) => {
                        return fail(format!(
                            "after {panicking} jobs panicked on a pool of {workers}, the pool itself panicked: \
                             \"{said}\". A job's panic ended its worker's thread (a panic unwinds the thread it \
                             happens on), and then the pool found its workers gone: `send` fails once no \
                             receiver is left, `join` returns `Err` for a thread that panicked. {advice}"
                        ));
                    }
                };
                let (missing, _) = missing_and_twice(&ran, plain);
                expect(
                    missing.is_empty(),
                    format!(
                        "{panicking} jobs panicked on a pool of {workers}, and of the {plain} plain jobs sent after \
                         them, {missing:?} never ran: each panic killed the worker that ran it, and the pool ran \
                         out of workers. {advice}"
                    ),
                )
            },
        )
        .property(
            "every job runs once, all before drop returns",
            (prop::collection::vec(0..1000u64, 0..40), 1..5usize),
            |(values, size): &(Vec<u64>, usize)| {
                let log: Log = Arc::default();
                let pool = ThreadPool::new(*size);
                for (i, &v) in values.iter().enumerate() {
                    let log = Arc::clone(&log);
                    pool.execute(move || {
                        thread::sleep(Duration::from_micros(v % 3 * 200));
                        record(&log, i);
                    });
                }
                drop(pool);
                log_of(&log)
            },
            |(values, size), ran| {
                let n = values.len();
                let (missing, twice) = missing_and_twice(&ran, n);
                expect(
                    twice.is_empty(),
                    format!("of {n} jobs on a pool of {size}, jobs {twice:?} ran more than once: send each job once"),
                )?;
                expect(
                    missing.is_empty(),
                    format!(
                        "{n} jobs on a pool of {size}: when dropping the pool returned, jobs {missing:?} had not \
                         run. Dropping the pool must wait for every job it was given: close the job channel, then \
                         join every worker; a worker takes the jobs still queued before its loop sees the channel \
                         closed. Threads left running on their own may never finish them: `main` returning ends \
                         the process, whatever they were doing."
                    ),
                )
            },
        )
        .main();
}
