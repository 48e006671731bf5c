//! Reference solution of `rwlock_barrier_rounds`.

use std::ops::Range;

use course_sync::{Barrier, RwLock, thread};

/// The new value of cell `i`, from the whole board of the round before.
pub type Rule = fn(&[i64], usize) -> i64;

/// The cells worker `worker` of `workers` updates.
pub fn cells(len: usize, workers: usize, worker: usize) -> Range<usize> {
    len * worker / workers..len * (worker + 1) / workers
}

/// Rounds of `rule` on `board`, on `workers` scoped threads.
///
/// Each round has two phases, and a barrier ends each one:
/// - read: every worker holds a read guard at the same time and computes
///   its cells' next values into a vector of its own. The guard is dropped
///   before the barrier: a worker that waited holding it would keep every
///   writer out, and the writers would wait for it for ever;
/// - write: each worker takes the write lock in turn and copies its values
///   in. The second barrier keeps the next round's readers out until every
///   worker has written, so no one reads a board that is half old, half new.
pub fn run_rounds(board: Vec<i64>, workers: usize, rounds: usize, rule: Rule) -> Vec<i64> {
    let len = board.len();
    let board = RwLock::new(board);
    let barrier = Barrier::new(workers);
    thread::scope(|s| {
        for worker in 0..workers {
            let (board, barrier) = (&board, &barrier);
            s.spawn(move || {
                let mine = cells(len, workers, worker);
                for _ in 0..rounds {
                    let next: Vec<i64> = {
                        let current = board.read().unwrap();
                        mine.clone().map(|i| rule(&current, i)).collect()
                    };
                    barrier.wait();
                    board.write().unwrap()[mine.clone()].copy_from_slice(&next);
                    barrier.wait();
                }
            });
        }
    });
    board.into_inner().unwrap()
}
