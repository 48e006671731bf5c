//! Reference solution of `amdahl`.

use rayon::prelude::*;

/// The speedup Amdahl's law predicts: on `threads` threads the serial part
/// takes as long as ever, and only the rest is divided.
///
/// With the time on one thread as 1, the time on `n` threads is
/// `s + (1 - s) / n`, and the speedup is its inverse.
pub fn predicted_speedup(serial_fraction: f64, threads: usize) -> f64 {
    1.0 / (serial_fraction + (1.0 - serial_fraction) / threads as f64)
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

/// Runs `workload`: the serial chain on the calling thread, then the items
/// on `pool`.
///
/// `pool.install` runs the closure on the pool, so that `par_iter` inside
/// it uses the pool's threads, not rayon's global pool: that is what lets the
/// caller choose how many threads the parallel part gets.
pub fn run(workload: &Workload, pool: &rayon::ThreadPool) -> u64 {
    let key = (0..workload.serial_steps).fold(workload.seed, |x, _| chain_step(x));
    pool.install(|| workload.items.par_iter().map(|&item| item_work(item, key)).reduce(|| 0, u64::wrapping_add))
}
