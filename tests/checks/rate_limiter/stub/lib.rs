//! Rate limiter: a token bucket on a clock you can replace. Read
//! `README.md` in this folder first.

/// Where the limiter reads the time: a number of ticks (say, milliseconds)
/// that never goes back. A program implements it with `std::time::Instant`;
/// the checks with a virtual clock they move by hand.
pub trait Clock {
    /// The current time.
    fn now(&self) -> u64;
}

/// A token bucket: allows a burst of up to `burst` requests at once, and
/// `rate` more for every full `period` of time that passes.
pub struct RateLimiter<C: Clock> {
    #[allow(dead_code)] // until you read it
    clock: C,
    // Add the fields you need.
}

impl<C: Clock> RateLimiter<C> {
    /// A limiter on `clock` whose bucket holds at most `burst` tokens and
    /// starts full. Every time a full `period` has passed (counted from the
    /// moment of `new`, in whole periods: at `start + period`,
    /// `start + 2 * period`, ...) it gains `rate` tokens, never holding more
    /// than `burst`. `period`, `rate` and `burst` are at least 1.
    pub fn new(clock: C, rate: u64, period: u64, burst: u64) -> Self {
        todo!("a full bucket of {burst} tokens, refilled by {rate} every {period}")
    }

    /// Takes a token if there is one, after adding the tokens of the full
    /// periods that have passed: `true` if the request may go ahead, `false`
    /// if it must be refused. Never waits.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use rate_limiter::{Clock, RateLimiter};
    ///
    /// struct Manual<'a>(&'a Cell<u64>);
    /// impl Clock for Manual<'_> {
    ///     fn now(&self) -> u64 { self.0.get() }
    /// }
    ///
    /// let time = Cell::new(0);
    /// let mut limiter = RateLimiter::new(Manual(&time), 1, 10, 2);
    /// assert!(limiter.try_acquire() && limiter.try_acquire()); // the burst
    /// assert!(!limiter.try_acquire()); // empty
    /// time.set(10);
    /// assert!(limiter.try_acquire()); // one more after a period
    /// ```
    pub fn try_acquire(&mut self) -> bool {
        todo!("refill for the full periods passed, then take a token if there is one")
    }
}
