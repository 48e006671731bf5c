//! Concurrency versus parallelism: one program split into tasks, run on one
//! core and on all of them. Read `README.md` in this folder first.

use std::ops::Range;

/// The work of one piece: it is given a range of numbers and returns one
/// number about them (a count, a sum). A plain `fn` is `Copy` and `Send`, so
/// every thread can take a copy of it into its closure.
pub type Work = fn(Range<u64>) -> u64;

/// Splits `numbers` into `tasks` pieces, in order, whose lengths differ by at
/// most one; some are empty when there are fewer numbers than tasks.
/// (Given: the split is not the lesson here.)
///
/// ```
/// assert_eq!(concurrency_vs_parallelism::pieces(0..10, 3), vec![0..3, 3..6, 6..10]);
/// ```
pub fn pieces(numbers: Range<u64>, tasks: usize) -> Vec<Range<u64>> {
    let len = u128::from(numbers.end.saturating_sub(numbers.start));
    let tasks_wide = tasks as u128;
    let bound = |i: u128| numbers.start + (len * i / tasks_wide) as u64;
    (0..tasks_wide).map(|i| bound(i)..bound(i + 1)).collect()
}

/// Runs `work` on each of the `tasks` pieces of `numbers` (see [`pieces`]),
/// every piece on a thread of its own, all threads started before any is
/// joined, and returns the sum of their results.
///
/// ```no_run
/// fn count(range: std::ops::Range<u64>) -> u64 {
///     range.end - range.start
/// }
/// assert_eq!(concurrency_vs_parallelism::run_in_tasks(0..100, 4, count), 100);
/// ```
pub fn run_in_tasks(numbers: Range<u64>, tasks: usize, work: Work) -> u64 {
    todo!("start one thread per piece of {numbers:?} ({tasks} pieces), then join them all and add up their results")
}
