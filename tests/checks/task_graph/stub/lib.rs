//! Task graph: run tasks that depend on one another, each as soon as all of
//! its dependencies have finished, several at a time. Read `README.md` in
//! this folder first.

use std::collections::BTreeMap;

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

/// Runs every task of `tasks` exactly once on `workers` threads (at least 1)
/// and returns each task's result under its id.
///
/// - a task starts only after **all** of its dependencies have finished;
/// - tasks whose dependencies have all finished run at the same time, up to
///   `workers` of them;
/// - `tasks` may come in any order, not necessarily dependencies first.
///
/// If the graph cannot be run, no task runs and the error is returned:
/// first [`GraphError::UnknownDependency`] for the first task (in the order
/// of `tasks`) naming an id that is not a task's, at its first such
/// dependency; otherwise [`GraphError::Cycle`] if some tasks can never
/// start. A graph with a cycle must not hang.
///
/// If the work of a task panics, return [`GraphError::Panicked`] with its
/// id: start no task after that (its dependents never run), let the tasks
/// already handed to a worker finish, and do not hang (with two workers or
/// more, the others still hold their end of a result channel: a result that
/// never comes must not be waited for).
///
/// ```no_run
/// use task_graph::{Task, run_graph};
///
/// let tasks = vec![
///     Task::new(3, [1, 2], || "ice the cake"),
///     Task::new(1, [], || "bake the sponge"),
///     Task::new(2, [], || "whip the cream"),
/// ];
/// let results = run_graph(tasks, 2).unwrap();
/// assert_eq!(results[&3], "ice the cake");
/// ```
pub fn run_graph<T: Send + 'static>(tasks: Vec<Task<T>>, workers: usize) -> Result<BTreeMap<usize, T>, GraphError> {
    todo!("run {} tasks on {workers} workers, each after all its dependencies", tasks.len())
}
