//! Reference solution of `worker_pool`.

use std::thread;

/// Runs `jobs` on `workers` threads sharing one job channel.
pub fn run_pool<T, F>(jobs: Vec<F>, workers: usize) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let job_count = jobs.len();
    let (job_sender, job_receiver) = crossbeam_channel::unbounded::<(usize, F)>();
    let (result_sender, result_receiver) = crossbeam_channel::unbounded::<(usize, T)>();

    // Every worker holds a clone of the one job receiver: whichever is free
    // takes the next job, so the work spreads itself.
    let pool: Vec<thread::JoinHandle<()>> = (0..workers)
        .map(|_| {
            let jobs = job_receiver.clone();
            let results = result_sender.clone();
            thread::spawn(move || {
                // Ends when the channel is closed and empty: that is the
                // pool's shutdown signal.
                for (index, job) in jobs {
                    let _ = results.send((index, job()));
                }
            })
        })
        .collect();
    drop((job_receiver, result_sender));

    for job in jobs.into_iter().enumerate() {
        job_sender.send(job).expect("the workers hold the receiver until the channel closes");
    }
    // Closing the job channel is what lets the workers' loops end.
    drop(job_sender);

    let mut slots: Vec<Option<T>> = (0..job_count).map(|_| None).collect();
    for (index, result) in result_receiver {
        slots[index] = Some(result);
    }
    for worker in pool {
        worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
    slots.into_iter().map(|slot| slot.expect("every job sent its result")).collect()
}
