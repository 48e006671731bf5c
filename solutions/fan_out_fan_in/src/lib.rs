//! Reference solution of `fan_out_fan_in`.

use std::thread;

use crossbeam_channel::{Receiver, Sender};

/// Receives jobs until the jobs channel closes, sending each result.
///
/// Taking both channel ends by value means they are dropped when the worker
/// returns: its `Sender` of results is one fewer keeping that channel open.
pub fn worker<T, U, F>(jobs: Receiver<(usize, T)>, results: Sender<(usize, U)>, work: &F)
where
    F: Fn(T) -> U,
{
    for (index, item) in jobs {
        if results.send((index, work(item))).is_err() {
            // Nobody is collecting any more: no point in working on.
            return;
        }
    }
}

/// Fans the inputs out to `workers` threads and the results back in.
///
/// A crossbeam `Receiver` can be cloned, and each job goes to exactly one of
/// the clones: that is the fan-out. Results come back in the order they are
/// finished, so each carries its input's index, and sorting by it restores
/// the input order.
pub fn fan_out_fan_in<T, U, F>(inputs: Vec<T>, workers: usize, work: F) -> Vec<U>
where
    T: Send,
    U: Send,
    F: Fn(T) -> U + Sync,
{
    let (job_sender, jobs) = crossbeam_channel::unbounded();
    let (results, received) = crossbeam_channel::unbounded();
    let work = &work;
    let mut indexed: Vec<(usize, U)> = thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            let (jobs, results) = (jobs.clone(), results.clone());
            scope.spawn(move || worker(jobs, results, work));
        }
        // Our own ends must go too: the workers stop when the last job
        // `Sender` is dropped, and the loop over `received` ends when the
        // last result `Sender` is dropped. Keeping `results` here would make
        // it wait forever.
        drop((jobs, results));
        for job in inputs.into_iter().enumerate() {
            job_sender.send(job).expect("the workers receive until the jobs channel closes");
        }
        drop(job_sender);
        received.iter().collect()
    });
    indexed.sort_unstable_by_key(|&(index, _)| index);
    indexed.into_iter().map(|(_, result)| result).collect()
}
