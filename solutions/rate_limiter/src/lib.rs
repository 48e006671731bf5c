//! Reference solution of `rate_limiter`.

use std::sync::{Mutex, PoisonError};

/// Where the limiter reads the time: ticks that never go back.
pub trait Clock {
    /// The current time.
    fn now(&self) -> u64;
}

/// A token bucket: a burst of up to `burst`, then `rate` per `period`,
/// shared by every thread that holds a reference to it.
pub struct RateLimiter<C: Clock> {
    clock: C,
    rate: u64,
    period: u64,
    burst: u64,
    /// What changes, behind one lock: reading the tokens, refilling and
    /// taking one are a single step for every other thread.
    bucket: Mutex<Bucket>,
}

struct Bucket {
    tokens: u64,
    /// The time up to which refills have been counted: always the start
    /// plus a whole number of periods.
    refilled_to: u64,
}

impl<C: Clock> RateLimiter<C> {
    /// A full bucket of `burst` tokens, gaining `rate` every full `period`.
    pub fn new(clock: C, rate: u64, period: u64, burst: u64) -> Self {
        let refilled_to = clock.now();
        RateLimiter { clock, rate, period, burst, bucket: Mutex::new(Bucket { tokens: burst, refilled_to }) }
    }

    /// Takes a token if there is one, after the refills that are due.
    pub fn try_acquire(&self) -> bool {
        // Nothing here can panic half-way, so a poisoned lock still holds a
        // consistent bucket.
        let mut bucket = self.bucket.lock().unwrap_or_else(PoisonError::into_inner);
        // Read inside the lock: a thread that read the clock earlier cannot
        // then refill with an older time than the last refill's.
        let now = self.clock.now();
        let periods = now.saturating_sub(bucket.refilled_to) / self.period;
        // Only whole periods are counted, and only they are consumed: the
        // part of a period that has passed still counts towards the next
        // refill. Moving `refilled_to` to `now` would throw it away.
        bucket.refilled_to += periods * self.period;
        bucket.tokens = self.burst.min(bucket.tokens.saturating_add(periods.saturating_mul(self.rate)));
        if bucket.tokens > 0 {
            bucket.tokens -= 1;
            true
        } else {
            false
        }
    }
}
