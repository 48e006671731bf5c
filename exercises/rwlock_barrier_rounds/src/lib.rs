//! Rounds on a shared board: `RwLock` for the readers, `Barrier` between
//! the rounds. Read `README.md` in this folder first.

use std::ops::Range;

// What you will need: `use course_sync::{Barrier, RwLock, thread};`

/// The rule of the simulation: the new value of cell `i`, computed from the
/// whole board as it was at the start of the round.
pub type Rule = fn(&[i64], usize) -> i64;

/// The cells that worker `worker` of `workers` updates: consecutive, in
/// order, together every cell once (some workers get none when there are
/// fewer cells than workers). Given.
///
/// ```
/// assert_eq!(rwlock_barrier_rounds::cells(10, 3, 2), 6..10);
/// ```
pub fn cells(len: usize, workers: usize, worker: usize) -> Range<usize> {
    len * worker / workers..len * (worker + 1) / workers
}

/// Runs `rounds` rounds of `rule` on `board` with `workers` threads
/// (`workers >= 1`) and returns the board after the last round.
///
/// In each round every cell `i` becomes `rule(&board, i)`, where `board` is
/// the board as it was when the round started. The board lives in one
/// `RwLock`: in a round, every worker reads it (all of them at the same
/// time) to compute the new values of its [`cells`]; once every worker has
/// read, each writes its new values in; no worker starts reading the next
/// round before every worker has written.
///
/// ```no_run
/// fn double(board: &[i64], i: usize) -> i64 {
///     board[i] * 2
/// }
/// assert_eq!(rwlock_barrier_rounds::run_rounds(vec![1, 2, 3], 2, 3, double), vec![8, 16, 24]);
/// ```
pub fn run_rounds(board: Vec<i64>, workers: usize, rounds: usize, rule: Rule) -> Vec<i64> {
    todo!("share the {} cells in a RwLock between {workers} workers, with a Barrier between the phases", board.len())
}
