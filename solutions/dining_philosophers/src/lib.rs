//! Reference solution of `dining_philosophers`.

use course_sync::{Mutex, thread};

/// Philosophers (and forks) around the table.
pub const PHILOSOPHERS: usize = 5;

/// Five philosophers, philosopher `p` eating `meals[p]` times, never deadlocking.
///
/// A deadlock needs a cycle of threads, each holding a lock the next one
/// wants. Every philosopher takes the lower-numbered of its two forks first,
/// so all locks are taken in one global order and no cycle can form: the
/// last philosopher (forks 4 and 0) takes fork 0 first, unlike the others,
/// and that breaks the circle.
pub fn dine<F>(meals: [usize; PHILOSOPHERS], eat: &F)
where
    F: Fn(usize) + Sync,
{
    let forks: Vec<Mutex<()>> = (0..PHILOSOPHERS).map(|_| Mutex::new(())).collect();
    thread::scope(|scope| {
        for (p, meals) in meals.into_iter().enumerate() {
            let forks = &forks;
            scope.spawn(move || {
                let (left, right) = (p, (p + 1) % PHILOSOPHERS);
                let (first, second) = (left.min(right), left.max(right));
                for _ in 0..meals {
                    let _first = forks[first].lock().unwrap();
                    let _second = forks[second].lock().unwrap();
                    eat(p);
                }
            });
        }
    });
}
