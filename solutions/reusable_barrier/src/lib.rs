//! Reference solution of `reusable_barrier`.

use course_sync::{Condvar, Mutex};

/// What the barrier's threads share, under its mutex.
#[derive(Debug, Default)]
struct Round {
    /// Threads that have arrived in the current round.
    arrived: usize,
    /// Completed rounds: changes exactly when a round completes.
    generation: u64,
}

/// A barrier for `parties` threads, reusable for any number of rounds.
#[derive(Debug)]
pub struct Barrier {
    parties: usize,
    round: Mutex<Round>,
    completed: Condvar,
}

impl Barrier {
    /// A barrier for `parties` threads.
    pub fn new(parties: usize) -> Self {
        Barrier { parties, round: Mutex::new(Round::default()), completed: Condvar::new() }
    }

    /// Blocks until `parties` threads have arrived in this round.
    ///
    /// The last to arrive resets the count *and* bumps the generation before
    /// waking the others. Waiters wait for the generation to change, not for
    /// the count: by the time a waiter runs again, fast threads may already
    /// have arrived in the next round and the count says nothing about ours.
    pub fn wait(&self) -> bool {
        let mut round = self.round.lock().unwrap();
        round.arrived += 1;
        if round.arrived == self.parties {
            round.arrived = 0;
            round.generation += 1;
            self.completed.notify_all();
            return true;
        }
        let mine = round.generation;
        let _round = self.completed.wait_while(round, |round| round.generation == mine).unwrap();
        false
    }
}
