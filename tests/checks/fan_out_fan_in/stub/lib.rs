//! Fan-out, fan-in: one channel of jobs shared by several workers, one
//! channel of results they all send into. Read `README.md` in this folder
//! first.

use crossbeam_channel::{Receiver, Sender};

/// One worker: receives `(index, item)` jobs until the `jobs` channel is
/// closed, and for each sends `(index, work(item))` into `results`.
///
/// ```
/// let (job_sender, jobs) = crossbeam_channel::unbounded();
/// let (results, received) = crossbeam_channel::unbounded();
/// job_sender.send((0, 20)).unwrap();
/// drop(job_sender);
/// fan_out_fan_in::worker(jobs, results, &|x: i32| x + 1);
/// assert_eq!(received.recv(), Ok((0, 21)));
/// ```
pub fn worker<T, U, F>(jobs: Receiver<(usize, T)>, results: Sender<(usize, U)>, work: &F)
where
    F: Fn(T) -> U,
{
    todo!("receive jobs until the channel closes, send each result")
}

/// Applies `work` to every input on `workers` worker threads (`workers` is
/// at least 1) and returns the results in the order of `inputs`.
///
/// The inputs go into one jobs channel that every worker receives from
/// (fan-out); every worker sends into one results channel, which the caller
/// receives from until it closes (fan-in).
///
/// ```
/// let lengths = fan_out_fan_in::fan_out_fan_in(vec!["a", "bcd", "ef"], 2, |s: &str| s.len());
/// assert_eq!(lengths, vec![1, 3, 2]);
/// ```
pub fn fan_out_fan_in<T, U, F>(inputs: Vec<T>, workers: usize, work: F) -> Vec<U>
where
    T: Send,
    U: Send,
    F: Fn(T) -> U + Sync,
{
    todo!("fan {} inputs out to {workers} workers, then fan the results in", inputs.len())
}
