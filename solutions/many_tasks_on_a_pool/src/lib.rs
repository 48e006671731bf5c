//! Reference solution of `many_tasks_on_a_pool`.

use rayon::prelude::*;

/// Runs every task on a pool of `threads` threads, results in task order.
///
/// `into_par_iter` hands the tasks to the pool's threads in batches (and
/// lets an idle thread steal from a busy one), and `collect` into a `Vec`
/// keeps the results in the order of the tasks, whoever ran them. A task
/// costs a few nanoseconds of bookkeeping, not a thread.
pub fn run_on_pool<T, F>(tasks: Vec<F>, threads: usize) -> Vec<T>
where
    F: FnOnce() -> T + Send,
    T: Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .expect("a thread pool of a few threads can always be built");
    pool.install(|| tasks.into_par_iter().map(|task| task()).collect())
}
