//! Reference solution of `dependent_tasks`.

use std::thread;

/// One step of a chain: it needs the result of the step before it.
pub type Step = Box<dyn FnOnce(i64) -> i64 + Send>;

/// A task that needs nothing from any other task.
pub type Task = Box<dyn FnOnce() -> i64 + Send>;

/// Runs the steps of a chain, each on the result of the one before.
///
/// A fold is the shape of a dependency chain: the accumulator carries each
/// result into the next step, so no step can start early. Threads would buy
/// nothing here, because there is never a second step ready to run.
pub fn run_chain(start: i64, steps: Vec<Step>) -> i64 {
    steps.into_iter().fold(start, |previous, step| step(previous))
}

/// Runs independent tasks at the same time and returns their results in
/// task order.
///
/// Every thread is started before any is joined; joining in task order
/// puts the results in task order whatever order the tasks finish in.
pub fn run_independent(tasks: Vec<Task>) -> Vec<i64> {
    let handles: Vec<thread::JoinHandle<i64>> = tasks.into_iter().map(thread::spawn).collect();
    handles.into_iter().map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
}
