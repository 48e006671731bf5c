//! Worker pool: a pool of threads that lives as long as you keep it, runs
//! the jobs you hand it, and waits for them when it is dropped. Read
//! `README.md` in this folder first.

use std::thread::JoinHandle;

use crossbeam_channel::Sender;

/// A job, boxed so that jobs of different closure types share one channel.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// A pool of threads that run jobs until the pool is dropped.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
///
/// let done = Arc::new(AtomicUsize::new(0));
/// let pool = worker_pool::ThreadPool::new(4);
/// for _ in 0..100 {
///     let done = Arc::clone(&done);
///     pool.execute(move || {
///         done.fetch_add(1, Ordering::Relaxed);
///     });
/// }
/// drop(pool); // waits for every job
/// assert_eq!(done.load(Ordering::Relaxed), 100);
/// ```
pub struct ThreadPool {
    /// The sending half of the job channel; `None` once `drop` closed it.
    jobs: Option<Sender<Job>>,
    /// The workers' threads, joined by `drop`.
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// Starts `size` worker threads (`size` is at least 1), all taking jobs
    /// from **one** job channel (crossbeam `Receiver`s can be cloned: every
    /// worker gets one). No thread is started after this: the same `size`
    /// threads run every job.
    pub fn new(size: usize) -> ThreadPool {
        todo!("start {size} workers sharing one job channel")
    }

    /// Queues `job` for whichever worker is free first, and returns at once,
    /// without waiting for it to run.
    ///
    /// A job that panics must not take its worker with it: the worker goes
    /// on with the next job, and the pool keeps all its threads.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        todo!("send the job, boxed, into the job channel")
    }
}

impl Drop for ThreadPool {
    /// Closes the job channel and joins every worker: dropping the pool
    /// waits until every job it was given has run.
    fn drop(&mut self) {
        todo!("close the channel, then join every worker")
    }
}
