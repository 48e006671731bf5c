//! Reference solution of `concurrency_vs_parallelism`.

use std::ops::Range;
use std::thread::{self, JoinHandle};

/// The work of one piece: a range of numbers in, one number out.
pub type Work = fn(Range<u64>) -> u64;

/// Splits `numbers` into `tasks` pieces, in order, whose lengths differ by at
/// most one.
pub fn pieces(numbers: Range<u64>, tasks: usize) -> Vec<Range<u64>> {
    let len = u128::from(numbers.end.saturating_sub(numbers.start));
    let tasks_wide = tasks as u128;
    let bound = |i: u128| numbers.start + (len * i / tasks_wide) as u64;
    (0..tasks_wide).map(|i| bound(i)..bound(i + 1)).collect()
}

/// Runs `work` on every piece of `numbers`, one thread per piece, and adds
/// up the results.
///
/// The structure is the concurrency: every piece is a task of its own, and
/// all of them are under way before the first join. Whether they also run
/// in parallel is up to the cores the operating system has to give them.
pub fn run_in_tasks(numbers: Range<u64>, tasks: usize, work: Work) -> u64 {
    let handles: Vec<JoinHandle<u64>> =
        pieces(numbers, tasks).into_iter().map(|piece| thread::spawn(move || work(piece))).collect();
    handles.into_iter().map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).sum()
}
