//! Reference solution of `graceful_shutdown`.

use std::thread;

use crossbeam_channel::{Receiver, Sender, TryRecvError, select};

/// Runs `workers` threads over `items` until it closes or `shutdown` closes.
pub fn serve<T, U, F>(items: Receiver<T>, shutdown: Receiver<()>, workers: usize, work: F, results: Sender<U>) -> usize
where
    T: Send,
    U: Send,
    F: Fn(T) -> U + Sync,
{
    // A scope joins every worker before it ends, and lets them borrow
    // `work` and the channels.
    thread::scope(|scope| {
        let pool: Vec<_> = (0..workers)
            .map(|_| {
                let (items, shutdown, results, work) = (&items, &shutdown, &results, &work);
                scope.spawn(move || {
                    let mut processed = 0;
                    loop {
                        // `select!` picks at random among ready arms: with
                        // items waiting, it could keep taking them after the
                        // shutdown. Looking at `shutdown` first stops at once.
                        if shutdown.try_recv() == Err(TryRecvError::Disconnected) {
                            return processed;
                        }
                        select! {
                            // Closed: the signal every worker sees at once.
                            // (A message would wake only one of them.)
                            recv(shutdown) -> _ => return processed,
                            recv(items) -> item => {
                                let Ok(item) = item else { return processed };
                                // Taken means ours to finish: it is not lost.
                                let _ = results.send(work(item));
                                processed += 1;
                            }
                        }
                    }
                })
            })
            .collect();
        pool.into_iter().map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).sum()
    })
}
