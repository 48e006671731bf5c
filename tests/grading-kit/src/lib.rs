//! The grading kit: the library every exercise's checks are written with.
//!
//! A check crate (`tests/checks/NAME`) is a small binary that lists its checks
//! and runs one at a time when the runner (`cargo xtask check`) asks. It is
//! built twice: against the learner's crate (the *subject*) and against the
//! reference solution (the *judge*, which never runs learner code). A check is
//! written once, in two halves where it compares: what runs the learner's
//! code, and what decides on its output.
//!
//! Five kinds of check:
//! - [`Checks::property`]: random inputs (proptest, fixed seed); the subject
//!   runs the learner's code on each, the judge compares the output with a
//!   sequential oracle; a failure reports the minimal failing input;
//! - [`Checks::case`]: one fixed case, split the same way (threads that must
//!   meet, a known scenario);
//! - [`Checks::snapshot`]: deterministic output, made in the subject, compared
//!   in the judge with a stored insta snapshot; grading never rewrites it;
//! - [`Checks::speedup`]: the learner's code timed against the trusted
//!   sequential reference, in the subject's process; see [`verdict`] for how
//!   the evidence becomes `pass`, `fail` or `inconclusive`;
//! - [`Checks::explore`]: a scenario run under many interleavings by a
//!   schedule explorer, in the exploration build.
//!
//! ```no_run
//! use grading_kit::{Speedup, expect_eq};
//! use proptest::prelude::*;
//!
//! // In a check crate, `grading_kit::subject!();` names the learner's crate,
//! // or the reference solution, `subject`.
//! # mod subject { pub fn sum(xs: &[u64]) -> u64 { xs.iter().sum() } }
//!
//! fn sum(xs: &[u64]) -> u64 { xs.iter().sum() } // the oracle
//!
//! fn main() {
//!     grading_kit::checks!()
//!         .property(
//!             "sums like the oracle",
//!             prop::collection::vec(0..100u64, 0..50),
//!             |xs| subject::sum(xs),              // in the subject
//!             |xs, total| expect_eq(total, sum(xs)), // in the judge
//!         )
//!         .case("the empty sum", || subject::sum(&[]), |total| expect_eq(total, 0))
//!         .snapshot("small sums", || format!("{}", subject::sum(&[1, 2, 3])))
//!         .speedup("faster than sequential", Speedup::new(
//!             || (0..10_000_000).collect::<Vec<u64>>(),
//!             |xs| sum(xs),
//!             |xs| subject::sum(xs),
//!         ))
//!         .main();
//! }
//! ```
//!
//! Inputs and outputs of judged checks cross a pipe as JSON: they are serde
//! types (derive `Serialize` and `Deserialize` for a check's own structs).
//! Observations (which threads met, what order things happened in) belong in
//! the output, and the judge asserts on them.
//!
//! Judges build their verdicts with [`expect_eq`], [`expect`] and [`fail`],
//! which record a typed failure beside the `Result` proptest wants. Learner
//! code that may never return is waited for with [`within`] (or [`start`],
//! then [`Running::wait`], to act while it runs). [`helpers`] holds what many
//! check crates need: a seeded generator, a rendezvous, a thread counter, a
//! watch that tells a blocked thread from a working one, and the catching of
//! panics a check provokes on purpose.
//!
//! Every check runs in its own processes under the runner's watchdog, so a
//! deadlock, a panic or an early `exit` in learner code ends that check only.

pub mod protocol;
pub mod verdict;

#[cfg(feature = "harness")]
mod explore;
#[cfg(feature = "harness")]
mod harness;
#[cfg(feature = "harness")]
pub mod helpers;
#[cfg(feature = "harness")]
mod panics;
#[cfg(feature = "harness")]
mod patience;
#[cfg(feature = "harness")]
mod property;
#[cfg(feature = "harness")]
mod roles;
#[cfg(feature = "harness")]
mod snapshot;
#[cfg(feature = "harness")]
mod speedup;
#[cfg(feature = "harness")]
mod threads;

#[cfg(feature = "harness")]
pub use harness::Checks;
#[cfg(feature = "harness")]
pub use patience::{Running, start, within};
#[cfg(feature = "harness")]
pub use property::{DEFAULT_CASES, Outcome, expect, expect_eq, fail};
#[cfg(feature = "harness")]
pub use speedup::{Calibration, Speedup, calibrate, workers};

/// Starts the checks of one exercise: `checks!()`, named after the check
/// crate's package (`NAME-checks` checks `NAME`), with its snapshots in
/// `snapshots/` beside it.
///
/// A macro so that the package and the folder are the calling crate's.
/// `checks!("NAME")` names the exercise explicitly; it is kept for check
/// crates not yet moved to the package's name.
#[cfg(feature = "harness")]
#[macro_export]
macro_rules! checks {
    () => {
        $crate::Checks::new(
            env!("CARGO_PKG_NAME").strip_suffix("-checks").unwrap_or(env!("CARGO_PKG_NAME")),
            ::std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"),
        )
    };
    ($exercise:expr) => {
        $crate::Checks::new($exercise, ::std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"))
    };
}

/// Names the code under test `subject`: the learner's crate (feature
/// `learner`, the default) or the reference solution (feature `solution`).
/// Write it once at the top of a check crate's `main.rs`.
///
/// It expands to:
///
/// ```ignore
/// #[cfg(all(feature = "learner", not(feature = "solution")))]
/// use learner as subject;
/// #[cfg(feature = "solution")]
/// use reference as subject;
/// ```
#[cfg(feature = "harness")]
#[macro_export]
macro_rules! subject {
    () => {
        #[cfg(all(feature = "learner", not(feature = "solution")))]
        use learner as subject;
        #[cfg(feature = "solution")]
        use reference as subject;
    };
}
