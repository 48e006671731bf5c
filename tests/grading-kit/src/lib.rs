//! The grading kit: the library every exercise's checks are written with.
//!
//! A check crate (`tests/checks/NAME`) is a small binary that lists its checks
//! and runs one at a time when the runner (`cargo xtask check`) asks. The same
//! binary is built against the learner's crate or the reference solution, so a
//! check is written once and judges both alike.
//!
//! Three kinds of check:
//! - [`Checks::property`]: random inputs (proptest, fixed seed) compared with a
//!   sequential oracle; a failure reports the minimal failing input;
//! - [`Checks::snapshot`]: deterministic output compared with a stored insta
//!   snapshot; a failure reports a line diff, and grading never rewrites it;
//! - [`Checks::speedup`]: the learner's code timed against the trusted
//!   sequential reference; see [`verdict`] for how the evidence becomes
//!   `pass`, `fail` or `inconclusive`.
//!
//! ```no_run
//! use grading_kit::{Checks, Speedup, expect_eq};
//! use proptest::prelude::*;
//!
//! fn sum(xs: &[u64]) -> u64 { xs.iter().sum() }           // the oracle
//! fn learner_sum(xs: &[u64]) -> u64 { xs.iter().sum() }   // the code under test
//!
//! fn main() {
//!     grading_kit::checks!("sum")
//!         .property("sums like the oracle", prop::collection::vec(0..100u64, 0..50), |xs| {
//!             expect_eq(learner_sum(&xs), sum(&xs))
//!         })
//!         .snapshot("small sums", || format!("{}", learner_sum(&[1, 2, 3])))
//!         .speedup("faster than sequential", Speedup::new(
//!             || (0..10_000_000).collect::<Vec<u64>>(),
//!             |xs| sum(xs),
//!             |xs| learner_sum(xs),
//!         ))
//!         .main();
//! }
//! ```
//!
//! Every check runs in its own process under the runner's watchdog, so a
//! deadlock, a panic or an early `exit` in learner code ends that check only.

pub mod protocol;
pub mod verdict;

#[cfg(feature = "harness")]
mod explore;
#[cfg(feature = "harness")]
mod harness;
#[cfg(feature = "harness")]
mod panics;
#[cfg(feature = "harness")]
mod patience;
#[cfg(feature = "harness")]
mod property;
#[cfg(feature = "harness")]
mod snapshot;
#[cfg(feature = "harness")]
mod speedup;

#[cfg(feature = "harness")]
pub use harness::Checks;
#[cfg(feature = "harness")]
pub use patience::within;
#[cfg(feature = "harness")]
pub use property::{DEFAULT_CASES, expect, expect_eq};
#[cfg(feature = "harness")]
pub use speedup::{Calibration, Speedup, calibrate, workers};

/// Starts the checks of one exercise: `checks!("exercise_name")`.
///
/// A macro so that snapshots are found beside the check crate that calls it.
#[cfg(feature = "harness")]
#[macro_export]
macro_rules! checks {
    ($exercise:expr) => {
        $crate::Checks::new($exercise, ::std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"))
    };
}
