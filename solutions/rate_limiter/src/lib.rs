//! Reference solution of `rate_limiter`.

/// Where the limiter reads the time: ticks that never go back.
pub trait Clock {
    /// The current time.
    fn now(&self) -> u64;
}

/// A token bucket: a burst of up to `burst`, then `rate` per `period`.
pub struct RateLimiter<C: Clock> {
    clock: C,
    rate: u64,
    period: u64,
    burst: u64,
    tokens: u64,
    /// The time up to which refills have been counted: always the start
    /// plus a whole number of periods.
    refilled_to: u64,
}

impl<C: Clock> RateLimiter<C> {
    /// A full bucket of `burst` tokens, gaining `rate` every full `period`.
    pub fn new(clock: C, rate: u64, period: u64, burst: u64) -> Self {
        let refilled_to = clock.now();
        RateLimiter { clock, rate, period, burst, tokens: burst, refilled_to }
    }

    /// Takes a token if there is one, after the refills that are due.
    pub fn try_acquire(&mut self) -> bool {
        let now = self.clock.now();
        let periods = now.saturating_sub(self.refilled_to) / self.period;
        // Only whole periods are counted, and only they are consumed: the
        // part of a period that has passed still counts towards the next
        // refill. Moving `refilled_to` to `now` would throw it away.
        self.refilled_to += periods * self.period;
        self.tokens = self.burst.min(self.tokens.saturating_add(periods.saturating_mul(self.rate)));
        if self.tokens > 0 {
            self.tokens -= 1;
            true
        } else {
            false
        }
    }
}
