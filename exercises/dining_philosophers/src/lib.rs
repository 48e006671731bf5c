//! The dining philosophers: five threads, five locks, no deadlock.
//! Read `README.md` in this folder first. Take threads and locks from
//! `course_sync` (`use course_sync::{Mutex, thread};`).

/// Philosophers (and forks) around the table.
pub const PHILOSOPHERS: usize = 5;

/// Seats [`PHILOSOPHERS`] philosophers at a round table, each on a thread of
/// its own, with one fork (a `Mutex<()>`) between each two neighbours:
/// philosopher `p` needs fork `p` and fork `(p + 1) % PHILOSOPHERS`.
///
/// Philosopher `p` eats `meals[p]` times: takes both of its forks, calls
/// `eat(p)` while holding them, and puts them down. Returns when everyone
/// has eaten. It must never deadlock, two neighbours never eat at once
/// (they share a fork), and two philosophers who share no fork can eat at
/// the same time.
pub fn dine<F>(meals: [usize; PHILOSOPHERS], eat: &F)
where
    F: Fn(usize) + Sync,
{
    todo!("five forks, five scoped threads, {meals:?} meals; take the forks in an order that cannot deadlock")
}
