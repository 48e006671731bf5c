//! Amdahl's law: the serial part of a job limits what more threads can gain.
//! Read `README.md` in this folder first.

/// The speedup Amdahl's law predicts for a job whose `serial_fraction` (from
/// 0.0 to 1.0, of the time it takes on one thread) cannot be parallelised,
/// run on `threads` threads (at least 1), when the rest divides perfectly.
///
/// ```no_run
/// assert_eq!(amdahl::predicted_speedup(0.0, 4), 4.0);
/// assert_eq!(amdahl::predicted_speedup(1.0, 4), 1.0);
/// ```
pub fn predicted_speedup(serial_fraction: f64, threads: usize) -> f64 {
    todo!("Amdahl's law for serial fraction {serial_fraction} on {threads} threads")
}

/// A job with a serial part and a parallel part.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// Where the serial chain starts.
    pub seed: u64,
    /// How many steps the serial chain takes: each step needs the one before.
    pub serial_steps: u64,
    /// The items of the parallel part: each is worked on independently.
    pub items: Vec<u64>,
}

/// One step of the serial chain. Given; use it as it is.
pub fn chain_step(x: u64) -> u64 {
    (x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9).rotate_left(17)
}

/// The work on one item, which depends on the chain's result (`key`): some
/// hundreds of arithmetic steps. Given; use it as it is.
pub fn item_work(item: u64, key: u64) -> u64 {
    let mut x = item ^ key;
    for _ in 0..ITEM_ROUNDS {
        x = (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
    }
    x
}

const ITEM_ROUNDS: u32 = 128;

/// Runs `workload` on `pool`, and returns its result:
///
/// 1. the serial part: `key` is `seed` after `serial_steps` steps of
///    [`chain_step`] (step after step: each needs the one before);
/// 2. the parallel part, on the threads of `pool` (and no others): the sum,
///    wrapping on overflow, of `item_work(item, key)` over all `items`.
///
/// ```no_run
/// use amdahl::{Workload, chain_step, item_work, run};
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let workload = Workload { seed: 1, serial_steps: 2, items: vec![5, 6] };
/// let key = chain_step(chain_step(1));
/// assert_eq!(run(&workload, &pool), item_work(5, key).wrapping_add(item_work(6, key)));
/// ```
pub fn run(workload: &Workload, pool: &rayon::ThreadPool) -> u64 {
    todo!("the serial chain of {} steps, then {} items on the pool", workload.serial_steps, workload.items.len())
}
