//! Dependent tasks: what needs the previous result stays serial; what does
//! not may run at the same time. Read `README.md` in this folder first.

/// One step of a chain: it needs the result of the step before it.
pub type Step = Box<dyn FnOnce(i64) -> i64 + Send>;

/// A task that needs nothing from any other task.
pub type Task = Box<dyn FnOnce() -> i64 + Send>;

/// Runs the steps of a chain: the first step gets `start`, every later step
/// gets the result of the step before it, and the result of the last step is
/// returned (`start` itself when there are no steps).
///
/// Each step may only start once the step before it has finished.
///
/// ```
/// use dependent_tasks::Step;
/// let steps: Vec<Step> = vec![Box::new(|x| x + 1), Box::new(|x| x * 10)];
/// assert_eq!(dependent_tasks::run_chain(4, steps), 50);
/// ```
pub fn run_chain(start: i64, steps: Vec<Step>) -> i64 {
    todo!("run the {} steps one after another, each on the previous result", steps.len())
}

/// Runs tasks that do not depend on each other, all at the same time, each
/// on a thread of its own, and returns their results in the order of
/// `tasks`.
///
/// ```
/// use dependent_tasks::Task;
/// let tasks: Vec<Task> = vec![Box::new(|| 1), Box::new(|| 2)];
/// assert_eq!(dependent_tasks::run_independent(tasks), vec![1, 2]);
/// ```
pub fn run_independent(tasks: Vec<Task>) -> Vec<i64> {
    todo!("start a thread for each of the {} tasks, then join them in order", tasks.len())
}
