//! Async tasks (feature `async`): spawn a task, block on a future, yield.
//!
//! In ordinary builds these are tokio's, run on a current-thread runtime:
//! tasks take turns on one thread, in a deterministic order, and give way
//! to each other only where a future they await is not ready. Under the
//! schedule-exploration build (feature `explore`) they are shuttle's
//! futures executor instead: shuttle decides which task runs at every
//! `.await` that waits and at every lock or atomic of this crate, so an
//! exploration check can try the orders that a multi-threaded runtime could
//! produce and a current-thread one never does.
//!
//! Learner code uses only what both have alike: `spawn` a `Send + 'static`
//! future, `.await` its [`JoinHandle`] for `Result<T, JoinError>`
//! (`Err` if the task panicked or was cancelled), and `yield_now().await`.
//! Only a check calls [`block_on`].
//!
//! ```
//! use course_sync::task;
//!
//! let sum = task::block_on(async {
//!     let handles: Vec<_> = (1..=3u32).map(|i| task::spawn(async move { i * 10 })).collect();
//!     let mut sum = 0;
//!     for handle in handles {
//!         sum += handle.await.expect("the task finished");
//!     }
//!     sum
//! });
//! assert_eq!(sum, 60);
//! ```

use std::future::Future;

#[cfg(not(feature = "explore"))]
pub use tokio::task::{JoinError, JoinHandle, spawn, yield_now};

#[cfg(feature = "explore")]
pub use shuttle::future::{JoinError, JoinHandle, spawn, yield_now};

/// Runs `future` to completion on this thread, with the tasks it spawns:
/// on a fresh current-thread tokio runtime, or, under exploration, on
/// shuttle's executor (inside a shuttle test).
#[cfg(not(feature = "explore"))]
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime needs no resources that can be missing")
        .block_on(future)
}

/// Runs `future` to completion on this thread, with the tasks it spawns:
/// on a fresh current-thread tokio runtime, or, under exploration, on
/// shuttle's executor (inside a shuttle test).
#[cfg(feature = "explore")]
pub fn block_on<F: Future>(future: F) -> F::Output {
    shuttle::future::block_on(future)
}
