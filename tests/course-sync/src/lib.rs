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
//! The refusals of the `send_sync` exercise, each with the error code the
//! compiler gives (rustdoc checks it). An `Rc` cannot be sent to a thread:
//! its count is not atomic.
//!
//! ```compile_fail,E0277
//! let numbers = std::rc::Rc::new(vec![1, 2, 3]);
//! std::thread::spawn(move || numbers.len()); // `Rc<Vec<i32>>` cannot be sent between threads safely
//! ```
//!
//! A `RefCell` cannot be shared between threads, so neither can an `Arc`
//! of one.
//!
//! ```compile_fail,E0277
//! let count = std::sync::Arc::new(std::cell::RefCell::new(0));
//! std::thread::spawn(move || *count.borrow_mut() += 1); // `RefCell<i32>` cannot be shared between threads safely
//! ```
//!
//! A spawned thread may outlive the locals it borrows (a scoped one may
//! not, which is why `thread::scope` accepts this).
//!
//! ```compile_fail,E0373
//! let words = vec!["a".to_string()];
//! std::thread::spawn(|| words.len()); // closure may outlive the current function, but it borrows `words`
//! ```
//!
//! A `std::sync::MutexGuard` alive across an `.await` makes the future not
//! `Send`, which a spawner of tasks (this one stands for `tokio::spawn`)
//! requires.
//!
//! ```compile_fail,E0277
//! fn spawn<F: std::future::Future + Send + 'static>(_task: F) {}
//! let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
//! spawn(async move {
//!     let mut entries = log.lock().unwrap();
//!     std::future::ready(()).await; // the guard is held across this `.await`
//!     entries.push("written");
//! });
//! ```
//!
//! Under the feature `loom` they are [loom]'s instead: threads, atomics,
//! `Arc`, `Mutex`, `Condvar`, `RwLock` and `mpsc`. Loom explores the
//! interleavings *and* what each load may read under the C++/Rust memory
//! model: a `Relaxed` load may see an older value than a sequentially
//! consistent explorer (shuttle) would ever show it. The exercises on memory
//! ordering are explored with it. Loom has no barrier, no `Once`, no weak
//! `Arc` and no scoped threads; the types it lacks are std's here, and
//! loom does not see them.
//!
//! [shuttle]: https://docs.rs/shuttle
//! [loom]: https://docs.rs/loom

#[cfg(all(feature = "explore", feature = "loom"))]
compile_error!("`explore` (shuttle) and `loom` are two different explorers: a build turns on one of them");

#[cfg(feature = "async")]
pub mod task;

#[cfg(not(any(feature = "explore", feature = "loom")))]
pub use std::sync::{
    Arc, Barrier, BarrierWaitResult, Condvar, LockResult, Mutex, MutexGuard, Once, PoisonError, RwLock,
    RwLockReadGuard, RwLockWriteGuard, TryLockError, TryLockResult, WaitTimeoutResult, Weak, atomic, mpsc,
};
#[cfg(not(any(feature = "explore", feature = "loom")))]
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

#[cfg(feature = "loom")]
pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard, atomic, mpsc};
#[cfg(feature = "loom")]
pub use loom::thread;
#[cfg(feature = "loom")]
pub use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult, WaitTimeoutResult};
