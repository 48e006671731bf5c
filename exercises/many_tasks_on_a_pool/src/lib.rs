//! Many tasks on a pool: ten thousand small tasks on a few threads, the way
//! Go runs goroutines. Read `README.md` in this folder first.

/// Runs every task on a pool of `threads` threads (`threads` is at least 1)
/// and returns the results in the order of `tasks`.
///
/// There may be far more tasks than threads (ten thousand on four): each
/// thread of the pool runs many tasks, one after another, and the threads
/// run at the same time. No task gets a thread of its own.
///
/// ```
/// let tasks: Vec<_> = (0..100u64).map(|i| move || i * i).collect();
/// let squares = many_tasks_on_a_pool::run_on_pool(tasks, 4);
/// assert_eq!(squares[9], 81);
/// ```
pub fn run_on_pool<T, F>(tasks: Vec<F>, threads: usize) -> Vec<T>
where
    F: FnOnce() -> T + Send,
    T: Send,
{
    todo!("run the {} tasks on a pool of {threads} threads", tasks.len())
}
