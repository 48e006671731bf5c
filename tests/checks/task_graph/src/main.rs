//! Checks of `task_graph`.

mod oracle;

grading_kit::subject!();

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use grading_kit::helpers::SeededRng;
use grading_kit::{Speedup, expect, expect_eq, fail, within};
use oracle::{GraphError, Spec};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use serde::{Deserialize, Serialize};
use subject::Task;

/// What the tasks of one run saw: for each task run, its id and the ticks
/// of a shared clock at which it started and finished.
#[derive(Default)]
struct Log {
    clock: AtomicUsize,
    runs: Mutex<Vec<(usize, usize, usize)>>,
}

impl Log {
    fn tick(&self) -> usize {
        self.clock.fetch_add(1, Ordering::SeqCst)
    }
}

/// The tasks of `specs`, each recording its start and finish in `log`;
/// `pause` is an extra wait for a task, by id (to make one dependency slow).
fn instrumented(specs: &[Spec], log: &Arc<Log>, pause: impl Fn(usize) -> Duration) -> Vec<Task<u64>> {
    specs
        .iter()
        .map(|spec| {
            let (id, size, log, pause) = (spec.id, spec.size, Arc::clone(log), pause(spec.id));
            Task::new(id, spec.deps.clone(), move || {
                let start = log.tick();
                thread::sleep(pause);
                let result = oracle::work(id, size);
                let finish = log.tick();
                log.runs.lock().unwrap().push((id, start, finish));
                result
            })
        })
        .collect()
}

fn plain(specs: &[Spec]) -> Vec<Task<u64>> {
    specs
        .iter()
        .map(|spec| {
            let (id, size) = (spec.id, spec.size);
            Task::new(id, spec.deps.clone(), move || oracle::work(id, size))
        })
        .collect()
}

type Outcome = Result<BTreeMap<usize, u64>, GraphError>;

/// Runs the graph on another thread and waits at most 2 s for it: a runner
/// that waits for a task that can never start must fail, not hang. `None`
/// if it had not returned by then.
fn run_within(tasks: Vec<Task<u64>>, workers: usize) -> Option<Outcome> {
    within(Duration::from_secs(2), move || subject::run_graph(tasks, workers).map_err(GraphError::from))
}

/// The outcome of a run that had to return in time.
fn returned(outcome: Option<Outcome>, count: usize, workers: usize) -> Result<Outcome, TestCaseError> {
    outcome.ok_or_else(|| {
        TestCaseError::fail(format!(
            "run_graph of {count} tasks on {workers} workers had not returned after 2 s (the tasks take well under \
             a millisecond each). A task on a cycle, or one behind it, never gets all its dependencies finished: \
             check the graph before running anything (Kahn's algorithm: what it never reaches can never start) and \
             return `GraphError::Cycle`. Also make sure the workers stop once every task is done: close the job \
             channel."
        ))
    })
}

/// One run of instrumented tasks: its outcome (`None` if it had not
/// returned in time) and, for each task run, its id and the ticks at which
/// it started and finished.
#[derive(Debug, Serialize, Deserialize)]
struct Ran {
    outcome: Option<Outcome>,
    runs: Vec<(usize, usize, usize)>,
}

/// Runs the instrumented tasks of `specs` on `workers` workers.
fn run_logged(specs: &[Spec], workers: usize, pause: impl Fn(usize) -> Duration) -> Ran {
    let log = Arc::new(Log::default());
    let outcome = run_within(instrumented(specs, &log, pause), workers);
    let runs = log.runs.lock().unwrap().clone();
    Ran { outcome, runs }
}

/// A valid graph's run: it returned in time, succeeded, and ran every task
/// once after all its dependencies.
fn check_valid_run(specs: &[Spec], workers: usize, ran: Ran) -> Result<(), TestCaseError> {
    let outcome = returned(ran.outcome, specs.len(), workers)?;
    expect(outcome.is_ok(), format!("a valid graph was rejected: {:?}", outcome.err()))?;
    check_log(specs, &ran.runs)
}

/// An invalid graph's run: it returned in time with the oracle's error, and
/// ran no task.
fn check_invalid_run(specs: &[Spec], workers: usize, ran: Ran, what: &str) -> Result<(), TestCaseError> {
    let outcome = returned(ran.outcome, specs.len(), workers)?;
    expect_eq(outcome, oracle::run(specs))?;
    let ran = ran.runs.len();
    expect(ran == 0, format!("{ran} task(s) ran although the graph {what}: check it before running any."))
}

/// Every task of `specs` ran exactly once, and none started before all of
/// its dependencies had finished.
fn check_log(specs: &[Spec], runs: &[(usize, usize, usize)]) -> Result<(), TestCaseError> {
    let mut seen: HashMap<usize, (usize, usize)> = HashMap::new();
    for &(id, start, finish) in runs.iter() {
        expect(
            seen.insert(id, (start, finish)).is_none(),
            format!("task {id} ran more than once: run every task exactly once."),
        )?;
    }
    for spec in specs {
        let Some(&(start, _)) = seen.get(&spec.id) else {
            return fail(format!("task {} never ran: every task must run once.", spec.id));
        };
        for dependency in &spec.deps {
            let (_, finished) = seen[dependency];
            expect(
                finished < start,
                format!(
                    "task {} started (at tick {start}) before its dependency {dependency} had finished (at tick \
                     {finished}): a task may start only once *all* its dependencies have finished, not the first \
                     of them. Keep a count of each task's unfinished dependencies and release the task when it \
                     reaches zero.",
                    spec.id
                ),
            )?;
        }
    }
    Ok(())
}

/// A random DAG of 1 to 24 tasks, listed in a random order (not
/// dependencies first), each with up to 3 dependencies and a little work.
fn dag() -> impl Strategy<Value = Vec<Spec>> {
    (1..24usize)
        .prop_flat_map(|n| {
            (
                prop::collection::vec(prop::collection::vec(any::<Index>(), 0..4), n),
                prop::collection::vec(0..30_000u64, n),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
        .prop_map(|(deps, sizes, ids)| {
            // Task `i` (in a topological order) has id `ids[i]` and depends on
            // tasks before it; the list is sorted by id, which shuffles it.
            let mut specs: Vec<Spec> = (0..ids.len())
                .map(|i| {
                    let mut on: Vec<usize> =
                        if i == 0 { Vec::new() } else { deps[i].iter().map(|d| ids[d.index(i)]).collect() };
                    on.sort_unstable();
                    on.dedup();
                    Spec { id: ids[i], deps: on, size: sizes[i] }
                })
                .collect();
            specs.sort_by_key(|s| s.id);
            specs
        })
}

/// Two tasks that depend on each other (or one on itself) added to a DAG.
fn cyclic() -> impl Strategy<Value = (Vec<Spec>, usize)> {
    (dag(), any::<Index>(), any::<Index>(), 1..5usize).prop_map(|(mut specs, a, b, workers)| {
        let (a, b) = (a.index(specs.len()), b.index(specs.len()));
        let (id_a, id_b) = (specs[a].id, specs[b].id);
        for (at, on) in [(a, id_b), (b, id_a)] {
            if !specs[at].deps.contains(&on) {
                specs[at].deps.push(on);
            }
        }
        (specs, workers)
    })
}

fn wide_graph(seed: u64) -> Vec<Spec> {
    // Two small roots, 64 heavy tasks behind them, one small sink behind all:
    // listed sink first, then the middle in reverse, then the roots. Task
    // `i` of that shape gets id `ids[i]`, ids 0..=66 shuffled by `seed`: the
    // same graph and the same sizes, but each task's result (it depends on
    // its id) is new, and the ids stay the dense 0..=66 of the other checks.
    let mut rng = SeededRng::new(seed);
    let mut ids: Vec<usize> = (0..=66).collect();
    for i in (1..ids.len()).rev() {
        ids.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let id = |i: usize| ids[i];
    let mut specs = vec![Spec { id: id(66), deps: (2..66).map(id).collect(), size: 20_000 }];
    specs.extend((2..66).rev().map(|i| Spec {
        id: id(i),
        deps: if i % 8 == 0 { vec![id(0), id(1)] } else { vec![id(i % 2)] },
        size: 800_000 + (i as u64 % 5) * 80_000,
    }));
    specs.extend([Spec { id: id(1), deps: vec![], size: 20_000 }, Spec { id: id(0), deps: vec![], size: 20_000 }]);
    specs
}

/// The graph of the slow-dependency case: 3 waits for 1 (quick) and 2
/// (slow), and must not start when 1 is done.
fn slow_dependency() -> Vec<Spec> {
    vec![
        Spec { id: 3, deps: vec![1, 2], size: 100 },
        Spec { id: 2, deps: vec![0], size: 100 },
        Spec { id: 1, deps: vec![0], size: 100 },
        Spec { id: 0, deps: vec![], size: 100 },
    ]
}
const SLOW_DEPENDENCY_WORKERS: usize = 3;

/// How many independent tasks must run at the same time.
const INDEPENDENT_TASKS: usize = 4;

/// A DAG, one of its tasks (by id) whose work panics, and a number of
/// workers: two or more in most cases, where a runner that waits for the
/// panicked task's result hangs.
fn panicking() -> impl Strategy<Value = (Vec<Spec>, usize, usize)> {
    (dag(), any::<Index>(), 1..5usize).prop_map(|(specs, at, workers)| {
        let id = specs[at.index(specs.len())].id;
        (specs, id, workers)
    })
}

/// The tasks of `specs`, where the work of `bad` panics; each records in
/// `log` that it started, so that the check sees who ran after it.
fn with_panic(specs: &[Spec], bad: usize, log: &Arc<Log>) -> Vec<Task<u64>> {
    specs
        .iter()
        .map(|spec| {
            let (id, size, log) = (spec.id, spec.size, Arc::clone(log));
            Task::new(id, spec.deps.clone(), move || {
                let start = log.tick();
                if id == bad {
                    panic!("task {id} fails on purpose");
                }
                let result = oracle::work(id, size);
                let finish = log.tick();
                log.runs.lock().unwrap().push((id, start, finish));
                result
            })
        })
        .collect()
}

/// The ids of the tasks that wait, directly or not, for `bad`.
fn behind(specs: &[Spec], bad: usize) -> Vec<usize> {
    let mut behind = vec![bad];
    let mut grew = true;
    while grew {
        grew = false;
        for spec in specs {
            if !behind.contains(&spec.id) && spec.deps.iter().any(|d| behind.contains(d)) {
                behind.push(spec.id);
                grew = true;
            }
        }
    }
    behind.retain(|&id| id != bad);
    behind
}

/// A DAG with a dependency on a task that does not exist added to one of
/// its tasks, and a number of workers.
fn unknown_dependency() -> impl Strategy<Value = (Vec<Spec>, usize)> {
    (dag(), any::<Index>(), 1..5usize).prop_map(|(mut specs, at, workers)| {
        let at = at.index(specs.len());
        specs[at].deps.push(1000 + at);
        (specs, workers)
    })
}

fn main() {
    grading_kit::checks!()
        .property(
            "results equal a sequential run",
            (dag(), 1..6usize),
            |(specs, workers): &(Vec<Spec>, usize)| run_within(plain(specs), *workers),
            |(specs, workers), outcome| expect_eq(returned(outcome, specs.len(), *workers)?, oracle::run(specs)),
        )
        .property(
            "each task runs once, after all its dependencies",
            (dag(), 1..6usize),
            |(specs, workers): &(Vec<Spec>, usize)| run_logged(specs, *workers, |_| Duration::ZERO),
            |(specs, workers), ran| check_valid_run(specs, *workers, ran),
        )
        .case(
            "a slow dependency holds its dependents back",
            || {
                let slow = |id| if id == 2 { Duration::from_millis(20) } else { Duration::ZERO };
                run_logged(&slow_dependency(), SLOW_DEPENDENCY_WORKERS, slow)
            },
            |ran| check_valid_run(&slow_dependency(), SLOW_DEPENDENCY_WORKERS, ran),
        )
        .case(
            "independent tasks run at the same time",
            || {
                // `n` roots that each wait (up to 300 ms) for all `n` to
                // start, and return how many had started.
                let n = INDEPENDENT_TASKS;
                let started = Arc::new((Mutex::new(0usize), Condvar::new()));
                let tasks: Vec<Task<usize>> = (0..n)
                    .map(|id| {
                        let started = Arc::clone(&started);
                        Task::new(id, [], move || {
                            let (count, all_started) = &*started;
                            let mut count = count.lock().unwrap();
                            *count += 1;
                            all_started.notify_all();
                            *all_started.wait_timeout_while(count, Duration::from_millis(300), |c| *c < n).unwrap().0
                        })
                    })
                    .collect();
                subject::run_graph(tasks, n).map(|r| r.into_values().collect::<Vec<usize>>()).unwrap_or_default()
            },
            |seen| {
                let n = INDEPENDENT_TASKS;
                expect(
                    seen.len() == n && seen.iter().all(|&s| s == n),
                    format!(
                        "{n} independent tasks on {n} workers each waited for all {n} to start, but saw {seen:?} \
                         started: they did not run at the same time. Hand every ready task to a worker at once; \
                         a worker should not wait for another task to finish before starting its own."
                    ),
                )
            },
        )
        .property(
            "an unknown dependency is an error",
            unknown_dependency(),
            |(specs, workers): &(Vec<Spec>, usize)| run_logged(specs, *workers, |_| Duration::ZERO),
            |(specs, workers), ran| check_invalid_run(specs, *workers, ran, "is invalid"),
        )
        .property(
            "a cycle is an error, not a hang",
            cyclic(),
            |(specs, workers): &(Vec<Spec>, usize)| run_logged(specs, *workers, |_| Duration::ZERO),
            |(specs, workers), ran| check_invalid_run(specs, *workers, ran, "has a cycle"),
        )
        .property(
            "a panicking task is reported, not a hang",
            panicking(),
            |(specs, bad, workers): &(Vec<Spec>, usize, usize)| {
                let log = Arc::new(Log::default());
                let outcome = run_within(with_panic(specs, *bad, &log), *workers);
                let runs = log.runs.lock().unwrap().clone();
                Ran { outcome, runs }
            },
            |(specs, bad, workers), ran| {
                let outcome = ran.outcome.ok_or_else(|| {
                    TestCaseError::fail(format!(
                        "the work of task {bad} panicked, and run_graph of {} tasks on {workers} workers had not \
                         returned after 2 s: a result that never comes was waited for. Catch the panic where the \
                         worker runs the task (`std::panic::catch_unwind`), send back that it failed, and return \
                         `GraphError::Panicked {{ task: {bad} }}`.",
                        specs.len()
                    ))
                })?;
                expect_eq(outcome, Err(GraphError::Panicked { task: *bad }))?;
                let started_behind: Vec<usize> =
                    ran.runs.iter().map(|run| run.0).filter(|id| behind(specs, *bad).contains(id)).collect();
                expect(
                    started_behind.is_empty(),
                    format!(
                        "task(s) {started_behind:?} ran although they wait for task {bad}, whose work panicked: a \
                         task whose dependency failed must never start"
                    ),
                )
            },
        )
        .snapshot("baking a cake", || {
            let steps: [(usize, &[usize], &str); 7] = [
                (6, &[4, 5], "serve"),
                (5, &[3], "whip the cream"),
                (4, &[2, 3], "bake the sponge"),
                (3, &[], "buy cream and eggs"),
                (2, &[1], "mix the batter"),
                (1, &[0], "weigh the flour"),
                (0, &[], "heat the oven"),
            ];
            let tasks = |extra: Option<usize>| {
                steps
                    .iter()
                    .map(|&(id, deps, step)| {
                        let mut deps = deps.to_vec();
                        deps.extend(extra.filter(|_| id == 1));
                        Task::new(id, deps, move || format!("{id}: {step}"))
                    })
                    .collect::<Vec<_>>()
            };
            let mut report = String::new();
            for (id, line) in subject::run_graph(tasks(None), 3).expect("a valid graph") {
                report += &format!("{id} -> {line}\n");
            }
            report += &format!(
                "flour after serving: {:?}\n",
                subject::run_graph(tasks(Some(6)), 3).map(|results| results.len())
            );
            report += &format!(
                "flour after shopping: {:?}\n",
                subject::run_graph(tasks(Some(3)), 3).map(|results| results.len())
            );
            report += &format!(
                "flour after baking: {:?}\n",
                subject::run_graph(tasks(Some(7)), 3).map(|results| results.len())
            );
            report
        })
        .speedup(
            "faster than a sequential run",
            Speedup::seeded(
                wide_graph,
                |specs: &Vec<Spec>| oracle::run(specs),
                |specs: &Vec<Spec>| subject::run_graph(plain(specs), grading_kit::workers()).map_err(GraphError::from),
            ),
        )
        .main();
}
