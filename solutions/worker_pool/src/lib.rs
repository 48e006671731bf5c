//! Reference solution of `worker_pool`.

use std::panic::{self, AssertUnwindSafe};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender};

/// A job, boxed so that jobs of different closure types share one channel.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// A pool of threads that run jobs until the pool is dropped.
pub struct ThreadPool {
    /// The sending half of the job channel; `None` once `drop` closed it.
    jobs: Option<Sender<Job>>,
    /// The workers' threads, joined by `drop`.
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// Starts `size` worker threads (`size` is at least 1), all waiting on
    /// one job channel.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a pool needs at least one thread");
        let (sender, receiver) = crossbeam_channel::unbounded::<Job>();
        let workers = (0..size)
            .map(|id| {
                let jobs = receiver.clone();
                thread::Builder::new()
                    .name(format!("pool worker {id}"))
                    .spawn(move || work(jobs))
                    .expect("the system can start a few threads")
            })
            .collect();
        ThreadPool { jobs: Some(sender), workers }
    }

    /// Queues `job` for whichever worker is free first, and returns at once.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let jobs = self.jobs.as_ref().expect("the channel is open until the pool is dropped");
        jobs.send(Box::new(job)).expect("the workers never die, so the channel has receivers");
    }
}

/// A worker's life: every job it takes, until the channel is closed and
/// empty. A job that panics ends there; its worker goes on to the next.
fn work(jobs: Receiver<Job>) {
    for job in jobs {
        // The job is gone after the call, panic or not, and the worker reads
        // nothing the job touched: asserting unwind safety is sound here.
        let _ = panic::catch_unwind(AssertUnwindSafe(job));
    }
}

impl Drop for ThreadPool {
    /// Closes the job channel, then waits for every worker: each first runs
    /// the jobs still queued, then sees the channel closed and ends.
    fn drop(&mut self) {
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            // A worker catches its jobs' panics, so it never panics itself.
            let _ = worker.join();
        }
    }
}
