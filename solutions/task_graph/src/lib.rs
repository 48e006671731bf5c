//! Reference solution of `task_graph`.

use std::collections::{BTreeMap, HashMap};
use std::panic::{self, AssertUnwindSafe};
use std::thread;

/// One task of the graph: its id, the ids of the tasks it depends on, and
/// its work.
pub struct Task<T> {
    /// Unique among the tasks of one graph.
    pub id: usize,
    /// The ids of the tasks that must have *finished* before this one
    /// starts, each listed once. Empty for a root.
    pub deps: Vec<usize>,
    /// The work itself: CPU-bound, runs once, on any thread.
    pub work: Box<dyn FnOnce() -> T + Send>,
}

impl<T> Task<T> {
    /// A task from its id, its dependencies and its work.
    pub fn new(id: usize, deps: impl Into<Vec<usize>>, work: impl FnOnce() -> T + Send + 'static) -> Self {
        Task { id, deps: deps.into(), work: Box::new(work) }
    }
}

/// Why a graph cannot be run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// `task` depends on `dependency`, which is not the id of any task.
    UnknownDependency { task: usize, dependency: usize },
    /// The graph has a cycle: `blocked` are the ids of the tasks that can
    /// never start (those on a cycle and those that depend on one), in
    /// increasing order.
    Cycle { blocked: Vec<usize> },
    /// The work of `task` panicked: its dependents never run, and no task
    /// is started after it (those already handed to a worker finish).
    Panicked { task: usize },
}

/// The work of one task, sent to a worker with the task's position.
type Job<T> = (usize, Box<dyn FnOnce() -> T + Send>);

/// Runs every task once on `workers` threads, each after all of its
/// dependencies have finished.
///
/// The calling thread is the scheduler: it alone knows the graph, counts
/// each task's unfinished dependencies, and sends a task to the shared job
/// channel the moment its count reaches zero. The workers know nothing of
/// the graph; they run jobs and send back results, and each result is what
/// lets the scheduler release the tasks that waited for it.
///
/// A task that panics must not leave the scheduler waiting for a result
/// that never comes (with two workers or more, the others keep the result
/// channel open): each worker catches its job's panic and sends back "no
/// result" instead, and the scheduler stops there and reports the task.
pub fn run_graph<T: Send + 'static>(tasks: Vec<Task<T>>, workers: usize) -> Result<BTreeMap<usize, T>, GraphError> {
    let graph = Graph::new(&tasks)?;
    let ids: Vec<usize> = tasks.iter().map(|task| task.id).collect();
    let mut works: Vec<Option<Box<dyn FnOnce() -> T + Send>>> = tasks.into_iter().map(|task| Some(task.work)).collect();
    let mut unfinished = graph.dep_counts.clone();

    let (job_sender, job_receiver) = crossbeam_channel::unbounded::<Job<T>>();
    // `None` for a task whose work panicked.
    let (done_sender, done_receiver) = crossbeam_channel::unbounded::<(usize, Option<T>)>();
    thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            let (jobs, done) = (job_receiver.clone(), done_sender.clone());
            scope.spawn(move || {
                for (position, work) in jobs {
                    // The work is called once and never seen again, so a
                    // panic cannot leave anything half-changed behind.
                    let result = panic::catch_unwind(AssertUnwindSafe(work)).ok();
                    if done.send((position, result)).is_err() {
                        break;
                    }
                }
            });
        }
        // The scheduler keeps only the ends it uses, so that a worker that
        // dies closes the result channel instead of leaving it waiting.
        drop((job_receiver, done_sender));

        let mut release = |position: usize| {
            let work = works[position].take().expect("a task is released once, when its last dependency finishes");
            job_sender.send((position, work)).expect("the workers wait for jobs until the channel closes");
        };
        (0..ids.len()).filter(|&position| unfinished[position] == 0).for_each(&mut release);

        let mut results = BTreeMap::new();
        while results.len() < ids.len() {
            let (position, result) = done_receiver.recv().expect("the workers run until the job channel closes");
            let Some(result) = result else {
                // Release nothing more. Closing the job channel lets the
                // workers finish what they hold and end; the scope joins them.
                drop(job_sender);
                return Err(GraphError::Panicked { task: ids[position] });
            };
            results.insert(ids[position], result);
            for &dependent in &graph.dependents[position] {
                unfinished[dependent] -= 1;
                if unfinished[dependent] == 0 {
                    release(dependent);
                }
            }
        }
        // Closing the job channel ends the workers' loops; the scope joins them.
        drop(job_sender);
        Ok(results)
    })
}

/// The shape of a valid graph, by position in the task list.
struct Graph {
    /// How many dependencies each task waits for.
    dep_counts: Vec<usize>,
    /// The tasks that wait for each task.
    dependents: Vec<Vec<usize>>,
}

impl Graph {
    /// Checks the graph before anything runs: every dependency must name a
    /// task, and every task must be able to start (Kahn's algorithm on the
    /// counts: what it never reaches is on or behind a cycle, and would
    /// wait forever).
    fn new<T>(tasks: &[Task<T>]) -> Result<Graph, GraphError> {
        let position: HashMap<usize, usize> = tasks.iter().enumerate().map(|(i, task)| (task.id, i)).collect();
        let mut dependents = vec![Vec::new(); tasks.len()];
        for (i, task) in tasks.iter().enumerate() {
            for &dependency in &task.deps {
                let &at =
                    position.get(&dependency).ok_or(GraphError::UnknownDependency { task: task.id, dependency })?;
                dependents[at].push(i);
            }
        }
        let dep_counts: Vec<usize> = tasks.iter().map(|task| task.deps.len()).collect();

        let mut left = dep_counts.clone();
        let mut ready: Vec<usize> = (0..tasks.len()).filter(|&i| left[i] == 0).collect();
        while let Some(i) = ready.pop() {
            for &dependent in &dependents[i] {
                left[dependent] -= 1;
                if left[dependent] == 0 {
                    ready.push(dependent);
                }
            }
        }
        let mut blocked: Vec<usize> = (0..tasks.len()).filter(|&i| left[i] > 0).map(|i| tasks[i].id).collect();
        if !blocked.is_empty() {
            blocked.sort_unstable();
            return Err(GraphError::Cycle { blocked });
        }
        Ok(Graph { dep_counts, dependents })
    }
}
