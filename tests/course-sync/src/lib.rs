//! The sync facade: where exercises that share state take their threads,
//! locks, condition variables, atomics and channels from.
//!
//! In every ordinary build these *are* the standard library's: the same
//! types, re-exported, at no cost. Under the schedule-exploration build
//! (feature `explore`) they are [shuttle]'s instead, whose scheduler decides
//! which thread runs at every lock, wait and atomic access, so a check can
//! try thousands of interleavings and replay the one that broke.
//!
//! This is how real crates test their concurrency: a thin `cfg`-switched
//! layer over `std::sync`, so the code under test is the code that ships.
//!
//! In the exploration build `Mutex` and `Condvar` also note every lock taken,
//! waited for and released, so that a deadlock can be reported as a cycle
//! in plain words ("thread 1 holds lock #0 and waits for lock #1, held by
//! thread 2...") and a failure with the operations that led to it.
//!
//! With the feature `async`, [`task`] adds async tasks the same way: tokio's
//! `spawn` on a current-thread runtime in ordinary builds, shuttle's futures
//! executor under exploration.
//!
//! ```
//! use course_sync::{Arc, Mutex, thread};
//!
//! let total = Arc::new(Mutex::new(0));
//! let handles: Vec<_> = (0..4)
//!     .map(|_| {
//!         let total = Arc::clone(&total);
//!         thread::spawn(move || *total.lock().unwrap() += 1)
//!     })
//!     .collect();
//! for handle in handles {
//!     handle.join().unwrap();
//! }
//! assert_eq!(*total.lock().unwrap(), 4);
//! ```
//!
//! A data race does not compile: a plain `&mut` cannot be shared between
//! threads, which is why the lock is there.
//!
//! ```compile_fail
//! let mut total = 0;
//! std::thread::scope(|s| {
//!     s.spawn(|| total += 1);
//!     s.spawn(|| total += 1); // error: `total` is already borrowed mutably
//! });
//! ```
//!
//! [shuttle]: https://docs.rs/shuttle

#[cfg(feature = "async")]
pub mod task;

#[cfg(not(feature = "explore"))]
pub use std::sync::{
    Arc, Barrier, BarrierWaitResult, Condvar, LockResult, Mutex, MutexGuard, Once, PoisonError, RwLock,
    RwLockReadGuard, RwLockWriteGuard, TryLockError, TryLockResult, WaitTimeoutResult, Weak, atomic, mpsc,
};
#[cfg(not(feature = "explore"))]
pub use std::thread;

#[cfg(feature = "explore")]
mod explore;
#[cfg(feature = "explore")]
#[doc(hidden)]
pub mod ledger;

#[cfg(feature = "explore")]
pub use explore::{Condvar, Mutex, MutexGuard, WaitTimeoutResult};
#[cfg(feature = "explore")]
pub use shuttle::sync::{
    Arc, Barrier, BarrierWaitResult, LockResult, Once, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard,
    TryLockError, TryLockResult, Weak, atomic, mpsc,
};
#[cfg(feature = "explore")]
pub use shuttle::thread;
