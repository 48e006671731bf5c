//! Checks of `join_set_errgroup`.
//!
//! The learner's code runs on a current-thread tokio runtime whose clock
//! starts paused: times are virtual, exact, and independent of the
//! machine's load. Each job sleeps a distinct multiple of 10 ms, so the
//! first error has one well-defined time, and notes how it ended: it
//! finished its work, it failed, it saw its token cancelled, or it was
//! dropped half-way (its task aborted, or its future dropped).

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use grading_kit::helpers::paused_runtime;
use grading_kit::{Outcome, expect, fail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

grading_kit::subject!();

/// How a job ended, and when (virtual ms since the call).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum End {
    Finished(u64),
    Failed(u64),
    SawCancel(u64),
    Dropped(u64),
}

impl End {
    fn at(self) -> u64 {
        match self {
            End::Finished(at) | End::Failed(at) | End::SawCancel(at) | End::Dropped(at) => at,
        }
    }

    fn stopped(self) -> bool {
        matches!(self, End::SawCancel(_) | End::Dropped(_))
    }
}

/// Where the jobs write how they ended.
type Ends = Arc<Mutex<Vec<Option<End>>>>;

/// Notes `End::Dropped` unless the job noted another end first: a future
/// dropped half-way runs its locals' destructors.
struct DropWatch {
    ends: Ends,
    index: usize,
    start: Instant,
}

impl DropWatch {
    fn note(&self, end: End) {
        self.ends.lock().unwrap_or_else(|poison| poison.into_inner())[self.index].get_or_insert(end);
    }

    fn now(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }
}

impl Drop for DropWatch {
    fn drop(&mut self) {
        self.note(End::Dropped(self.now()));
    }
}

fn value_of(index: usize) -> u64 {
    index as u64 * 7 + 3
}

fn error_of(index: usize) -> String {
    format!("job {index} failed")
}

/// A job of the check: sleeps `delay_ms`, then succeeds or fails; stops
/// early, with an error of its own, if its token is cancelled first.
fn job(
    ends: &Ends,
    start: Instant,
    index: usize,
    (delay_ms, fails): (u64, bool),
    token: Option<CancellationToken>,
) -> impl Future<Output = Result<u64, String>> + Send + 'static + use<> {
    let watch = DropWatch { ends: Arc::clone(ends), index, start };
    async move {
        let token = token.unwrap_or_default(); // never cancelled when none is given
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(delay_ms)) => {
                if fails {
                    watch.note(End::Failed(watch.now()));
                    Err(error_of(index))
                } else {
                    watch.note(End::Finished(watch.now()));
                    Ok(value_of(index))
                }
            }
            () = token.cancelled() => {
                watch.note(End::SawCancel(watch.now()));
                Err(format!("job {index} cancelled"))
            }
        }
    }
}

/// What the subject saw of one call.
#[derive(Debug, Serialize, Deserialize)]
struct Observed<R> {
    result: Result<R, String>,
    elapsed_ms: u64,
    /// How each job had ended by the time the call returned.
    at_return: Vec<Option<End>>,
    /// How each job had ended once every job's time was long past.
    at_last: Vec<Option<End>>,
}

/// Runs `call` on the jobs' `ends`, then lets virtual time run on past
/// every job's end, to see what went on working after the call returned.
fn observe<R, Fut>(jobs: usize, longest_ms: u64, call: impl FnOnce(Ends, Instant) -> Fut) -> Observed<R>
where
    Fut: Future<Output = Result<R, String>>,
{
    paused_runtime().block_on(async {
        let ends: Ends = Arc::new(Mutex::new(vec![None; jobs]));
        let start = Instant::now();
        let result = call(Arc::clone(&ends), start).await;
        let elapsed_ms = start.elapsed().as_millis() as u64;
        let at_return = ends.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
        tokio::time::sleep(Duration::from_millis(longest_ms + 100)).await;
        let at_last = ends.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
        Observed { result, elapsed_ms, at_return, at_last }
    })
}

fn run_try_all(specs: &[(u64, bool)]) -> Observed<Vec<u64>> {
    let longest = specs.iter().map(|&(delay, _)| delay).max().unwrap_or(0);
    observe(specs.len(), longest, |ends, start| {
        let jobs: Vec<_> = specs
            .iter()
            .enumerate()
            .map(|(index, &spec)| {
                let ends = Arc::clone(&ends);
                move |token: CancellationToken| job(&ends, start, index, spec, Some(token))
            })
            .collect();
        subject::try_all(jobs)
    })
}

fn run_both(specs: &[(u64, bool); 2]) -> Observed<(u64, u64)> {
    let longest = specs[0].0.max(specs[1].0);
    observe(2, longest, |ends, start| {
        subject::both(job(&ends, start, 0, specs[0], None), job(&ends, start, 1, specs[1], None))
    })
}

/// The first job to fail, in time: delays are distinct, so it is one job.
fn first_failure(specs: &[(u64, bool)]) -> Option<usize> {
    (0..specs.len()).filter(|&i| specs[i].1).min_by_key(|&i| specs[i].0)
}

/// The oracle of both functions: the values in order, or the first error
/// at its time; jobs due before it finished, the others stopped then.
fn judge_group<R: PartialEq + std::fmt::Debug>(
    specs: &[(u64, bool)],
    seen: &Observed<R>,
    values: R,
    what: &str,
) -> Outcome {
    let Some(first) = first_failure(specs) else {
        if seen.result.as_ref() != Ok(&values) {
            return fail(format!("every job succeeded, so {what} should give Ok({values:?}), not {:?}", seen.result));
        }
        let longest = specs.iter().map(|&(delay, _)| delay).max().unwrap_or(0);
        let one_by_one: u64 = specs.iter().map(|&(delay, _)| delay).sum();
        return expect(
            (longest..=longest + 1).contains(&seen.elapsed_ms),
            format!(
                "{what} took {} ms of virtual time; its jobs take {longest} ms when they run at the same time, \
                 {one_by_one} ms one after another. Start them all before awaiting any (`tokio::spawn` or a \
                 `JoinSet` for tasks, `tokio::join!`/`try_join!` for futures in one task).",
                seen.elapsed_ms
            ),
        );
    };
    let error_at = specs[first].0;
    if seen.result.as_ref().err() != Some(&error_of(first)) {
        return fail(format!(
            "job {first} failed at {error_at} ms, the first error, so {what} should give Err({:?}), not {:?}. \
             The errors of jobs you cancelled come later: keep the first one.",
            error_of(first),
            seen.result
        ));
    }
    for (index, (&(delay, _), end)) in specs.iter().zip(&seen.at_last).enumerate() {
        let Some(end) = *end else {
            return fail(format!("job {index} was never run: every job must be started"));
        };
        if delay > error_at && !(end.stopped() && end.at() == error_at) {
            return fail(format!(
                "job {index} (due at {delay} ms) ended as {end:?}: it went on after the first error, at \
                 {error_at} ms, instead of stopping then. The first error must cancel the rest: cancel the \
                 token you gave them (they watch it), or abort their tasks (`JoinSet::abort_all`, or drop the \
                 future)."
            ));
        }
    }
    if let Some(index) = (0..specs.len()).find(|&i| seen.at_return[i].is_none()) {
        return fail(format!(
            "{what} returned while job {index} was still running: wait until every job has stopped, as Go's \
             `Wait` does, so that none is left working behind the caller's back"
        ));
    }
    expect(
        (error_at..=error_at + 1).contains(&seen.elapsed_ms),
        format!(
            "{what} returned at {} ms of virtual time, but the first error came at {error_at} ms and every job \
             stops as soon as it is cancelled: it waited for something else. The jobs should run at the same time.",
            seen.elapsed_ms
        ),
    )
}

/// `n` jobs with distinct delays (multiples of 10 ms, shuffled), each
/// failing or not.
fn job_specs(jobs: std::ops::Range<usize>) -> impl Strategy<Value = Vec<(u64, bool)>> {
    jobs.prop_flat_map(|n| {
        let delays = Just((1..=n as u64).map(|i| i * 10).collect::<Vec<_>>()).prop_shuffle();
        (delays, prop::collection::vec(prop::bool::weighted(0.3), n))
    })
    .prop_map(|(delays, fails)| delays.into_iter().zip(fails).collect())
}

fn main() {
    grading_kit::checks!()
        .property(
            "both: the two results, or the first error at once",
            job_specs(2..3),
            |specs| run_both(&[specs[0], specs[1]]),
            |specs, seen| judge_group(specs, &seen, (value_of(0), value_of(1)), "both"),
        )
        .property(
            "try_all: the results in job order, all at once",
            job_specs(0..8).prop_map(|specs| specs.into_iter().map(|(delay, _)| (delay, false)).collect()),
            |specs: &Vec<(u64, bool)>| run_try_all(specs),
            |specs, seen| judge_group(specs, &seen, (0..specs.len()).map(value_of).collect(), "try_all"),
        )
        .property(
            "try_all: the first error cancels the rest",
            job_specs(1..8),
            |specs| run_try_all(specs),
            |specs, seen| judge_group(specs, &seen, (0..specs.len()).map(value_of).collect(), "try_all"),
        )
        .snapshot("five jobs, the third fails", || {
            let specs = [(30, false), (10, false), (20, true), (40, false), (50, false)];
            let seen = run_try_all(&specs);
            let finished: Vec<String> = (0..specs.len())
                .filter_map(|i| match seen.at_last[i] {
                    Some(End::Finished(at)) => Some(format!("job {i} at {at} ms")),
                    _ => None,
                })
                .collect();
            format!(
                "try_all gave {:?} at {} ms\nfinished their work: {}",
                seen.result,
                seen.elapsed_ms,
                finished.join(", ")
            )
        })
        .main();
}
