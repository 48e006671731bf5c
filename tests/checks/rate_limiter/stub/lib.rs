//! Rate limiter: a token bucket on a clock you can replace, shared by many
//! threads. Read `README.md` in this folder first.

/// Where the limiter reads the time: a number of ticks (say, milliseconds)
/// that never goes back. A program implements it with `std::time::Instant`;
/// the checks with a virtual clock they move by hand.
pub trait Clock {
    /// The current time.
    fn now(&self) -> u64;
}

/// A token bucket: allows a burst of up to `burst` requests at once, and
/// `rate` more for every full `period` of time that passes.
///
/// One limiter is shared by every thread that makes requests (through a
/// reference, or an `Arc`), so `try_acquire` takes `&self`: what changes
/// lives behind a `Mutex` (or in atomics).
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
    /// if it must be refused. Never waits for a token (it may wait, briefly,
    /// for another thread's `try_acquire` to finish). Many threads may call
    /// it at once: together they never get more tokens than the bucket had.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use rate_limiter::{Clock, RateLimiter};
    ///
    /// struct Manual<'a>(&'a AtomicU64);
    /// impl Clock for Manual<'_> {
    ///     fn now(&self) -> u64 { self.0.load(Ordering::SeqCst) }
    /// }
    ///
    /// let time = AtomicU64::new(0);
    /// let limiter = RateLimiter::new(Manual(&time), 1, 10, 2);
    /// assert!(limiter.try_acquire() && limiter.try_acquire()); // the burst
    /// assert!(!limiter.try_acquire()); // empty
    /// time.store(10, Ordering::SeqCst);
    /// // Two threads at once: only one token came in the period.
    /// let allowed = std::thread::scope(|s| {
    ///     let a = s.spawn(|| limiter.try_acquire());
    ///     let b = s.spawn(|| limiter.try_acquire());
    ///     [a.join().unwrap(), b.join().unwrap()]
    /// });
    /// assert_eq!(allowed.iter().filter(|&&ok| ok).count(), 1);
    /// ```
    pub fn try_acquire(&self) -> bool {
        todo!("refill for the full periods passed, then take a token if there is one")
    }
}
