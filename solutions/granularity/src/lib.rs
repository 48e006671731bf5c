//! Reference solution of `granularity`.

/// The work for one number: a few hundred arithmetic steps, about a tenth of
/// a microsecond. Given; use it as it is.
pub fn cost(i: u64) -> u64 {
    let mut x = i;
    for _ in 0..128 {
        x = (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
    }
    x
}

/// The wrapping sum of `cost(i)` over `0..n`, by tasks of `grain` numbers.
///
/// Each task gets a `&mut` slot of its own (`iter_mut` hands out disjoint
/// borrows), so the tasks share nothing while they run; `rayon::scope`
/// returns only when every task spawned in it has finished, which is what
/// lets them borrow the slots.
pub fn sum_in_tasks(n: u64, grain: u64) -> u64 {
    let tasks = n.div_ceil(grain) as usize;
    let mut partial_sums = vec![0u64; tasks];
    rayon::scope(|s| {
        for (task, slot) in partial_sums.iter_mut().enumerate() {
            let start = task as u64 * grain;
            let end = (start + grain).min(n);
            s.spawn(move |_| *slot = (start..end).map(cost).fold(0, u64::wrapping_add));
        }
    });
    partial_sums.into_iter().fold(0, u64::wrapping_add)
}

/// The grain: enough numbers that a task's work (tens of microseconds at
/// least) dwarfs the cost of spawning it (a fraction of a microsecond), and
/// few enough that there are 16 tasks per thread, so that a thread that
/// finishes early finds more to steal.
pub fn choose_grain(n: u64, threads: usize) -> u64 {
    const MIN_GRAIN: u64 = 1_000;
    const TASKS_PER_THREAD: u64 = 16;
    let balanced = n.div_ceil(threads.max(1) as u64 * TASKS_PER_THREAD);
    balanced.max(MIN_GRAIN).min(n).max(1)
}
