//! Reference solution of `ordered_pipeline`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::thread;

use crossbeam_channel::{Receiver, Sender};

/// Applies `work` on `workers` threads and sends the results in input order.
pub fn ordered_map<T, U, F>(input: Receiver<T>, workers: usize, work: F, output: Sender<U>)
where
    T: Send + 'static,
    U: Send + 'static,
    F: Fn(T) -> U + Send + Sync + 'static,
{
    let window = 2 * workers;
    // A buffered channel used as a semaphore (a Go idiom): the reader puts a
    // token in before it takes an item, the emitter takes one out after it
    // sends a result. With `window` tokens in, the reader waits: no more
    // than `window` items are ever between `input` and `output`.
    let (take_slot, free_slot) = crossbeam_channel::bounded::<()>(window);
    let (job_sender, jobs) = crossbeam_channel::bounded::<(u64, T)>(window);
    let (done_sender, done) = crossbeam_channel::unbounded::<(u64, U)>();

    let reader = thread::spawn(move || {
        for seq in 0.. {
            if take_slot.send(()).is_err() {
                return;
            }
            let Ok(item) = input.recv() else { return };
            if job_sender.send((seq, item)).is_err() {
                return;
            }
        }
    });

    let work = Arc::new(work);
    let pool: Vec<_> = (0..workers)
        .map(|_| {
            let (jobs, done, work) = (jobs.clone(), done_sender.clone(), Arc::clone(&work));
            thread::spawn(move || {
                for (seq, item) in jobs {
                    let _ = done.send((seq, work(item)));
                }
            })
        })
        .collect();
    drop((jobs, done_sender));

    // The reorder buffer: results that finished before their turn. The
    // window keeps it to fewer than `window` entries.
    let mut waiting: BTreeMap<u64, U> = BTreeMap::new();
    let mut next = 0;
    for (seq, result) in done {
        waiting.insert(seq, result);
        while let Some(result) = waiting.remove(&next) {
            let _ = output.send(result);
            next += 1;
            let _ = free_slot.recv();
        }
    }

    for thread in pool.into_iter().chain([reader]) {
        thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
}
