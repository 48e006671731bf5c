//! Granularity: a task must be big enough to pay for itself, and small
//! enough that there are plenty. Read `README.md` in this folder first.

/// The work for one number: a few hundred arithmetic steps, about a tenth of
/// a microsecond. Given; use it as it is.
pub fn cost(i: u64) -> u64 {
    let mut x = i;
    for _ in 0..128 {
        x = (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
    }
    x
}

/// The wrapping sum of `cost(i)` for every `i` in `0..n`, computed by
/// rayon tasks of `grain` consecutive numbers each (the last one may be
/// shorter; `grain` is at least 1): spawn one task per chunk with
/// `rayon::scope` and `s.spawn`, each writing its partial sum into a slot of
/// its own, and add the slots up at the end.
///
/// ```no_run
/// use granularity::{cost, sum_in_tasks};
/// let expected = (0..10).map(cost).fold(0, u64::wrapping_add);
/// assert_eq!(sum_in_tasks(10, 3), expected); // tasks: 0..3, 3..6, 6..9, 9..10
/// ```
pub fn sum_in_tasks(n: u64, grain: u64) -> u64 {
    todo!("sum cost(i) over 0..{n} in tasks of {grain} numbers")
}

/// The grain to use for `sum_in_tasks(n, _)` on `threads` threads: at least
/// 1 and at most `n` (when `n` is at least 1). Choose it so that `sum_in_tasks`
/// is fast on large `n`: large enough that a task's work dwarfs the cost of
/// spawning it, small enough that every thread gets several tasks.
pub fn choose_grain(n: u64, threads: usize) -> u64 {
    todo!("a grain for {n} numbers on {threads} threads")
}
