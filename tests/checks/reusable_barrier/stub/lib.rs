//! A reusable barrier: a meeting point for N threads, round after round.
//! Read `README.md` in this folder first.

use course_sync::{Condvar, Mutex};

/// What the barrier's threads share, under its mutex.
#[derive(Debug, Default)]
struct Round {
    /// Threads that have arrived in the current round.
    arrived: usize,
    /// How many rounds have been completed: it changes exactly when a round
    /// completes, which is how a waiting thread can tell that *its* round did.
    generation: u64,
}

/// A barrier for `parties` threads that can be used for any number of
/// rounds (like `std::sync::Barrier`, which you may not use here).
#[derive(Debug)]
pub struct Barrier {
    parties: usize,
    round: Mutex<Round>,
    completed: Condvar,
}

impl Barrier {
    /// A barrier for `parties` threads (at least 1).
    pub fn new(parties: usize) -> Self {
        todo!("a barrier for {parties} threads")
    }

    /// Blocks until `parties` threads have called `wait` in this round, then
    /// lets them all go, and the barrier is ready for the next round at
    /// once. Returns `true` for exactly one thread of each round (the
    /// "leader", say the last to arrive) and `false` for the others.
    pub fn wait(&self) -> bool {
        todo!("count the arrivals of this round; the last one starts the next round and wakes the others")
    }
}
