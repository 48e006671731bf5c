//! Property checks and fixed cases: inputs compared against a sequential
//! oracle, with typed failures.
//!
//! [`expect_eq`], [`expect`] and [`fail`] return the `Result` proptest wants
//! and, beside it, record what failed as a typed [`Failure`] (on the calling
//! thread), so that the report says "expected X, got Y" as data rather than
//! as a sentence someone has to parse back.

use std::cell::RefCell;
use std::fmt::Debug;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::panics;
use crate::protocol::{CheckResult, Failure, Finding, Status};

/// How many random cases a property check tries unless told otherwise.
pub const DEFAULT_CASES: u32 = 64;

/// What a case's judge returns: `Ok(())`, or why the case failed. Build it
/// with [`expect_eq`], [`expect`] and [`fail`].
pub type Outcome = Result<(), TestCaseError>;

thread_local! {
    /// The typed failure behind the last `Err` built by this module.
    static FAILURE: RefCell<Option<Failure>> = const { RefCell::new(None) };
}

/// Records `failure` as the reason of the case that is running.
pub(crate) fn record(failure: Failure) {
    FAILURE.with(|f| *f.borrow_mut() = Some(failure));
}

fn take_failure() -> Option<Failure> {
    FAILURE.with(|f| f.borrow_mut().take())
}

/// Runs `test` on `cases` inputs drawn from `strategy`, with a fixed seed so
/// that a verdict never depends on luck and a failure is the same each run.
pub(crate) fn run<S: Strategy>(strategy: &S, cases: u32, test: &dyn Fn(S::Value) -> Outcome) -> CheckResult {
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    panics::clear();
    let outcome = runner.run(strategy, |value| {
        panics::clear();
        test(value)
    });
    match outcome {
        Ok(()) => passed(),
        Err(TestError::Fail(reason, minimal)) => {
            let input = abbreviate(&format!("{minimal:#?}"));
            // Shrinking ran other cases since: run the minimal one again, so
            // that the failure and the panic reported are the ones it causes.
            let failure = failure_of(|| test(minimal), reason.message());
            counterexample(input, true, failure)
        }
        Err(TestError::Abort(reason)) => CheckResult {
            status: Status::Fail,
            finding: Finding::Failed { failure: Failure::GaveUp { why: reason.message().to_string() } },
        },
    }
}

/// Runs one fixed case.
pub(crate) fn run_case(test: &dyn Fn() -> Outcome) -> CheckResult {
    panics::clear();
    take_failure();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(test)) {
        Ok(Ok(())) if panics::todo().is_none() => passed(),
        Ok(Ok(())) | Ok(Err(_)) | Err(_) => {
            let failure = failure_of(test, "the case failed");
            counterexample(String::new(), false, failure)
        }
    }
}

fn passed() -> CheckResult {
    CheckResult { status: Status::Pass, finding: Finding::Passed }
}

/// A failed case's result; a `todo!()` reached anywhere means the exercise is
/// not started, whatever else failed around it.
fn counterexample(input: String, shrunk: bool, failure: Failure) -> CheckResult {
    let finding = match (panics::todo(), failure) {
        (Some(panic), _) => Finding::NotStarted { panic },
        (None, Failure::Panicked { panic }) if panic.is_todo() => Finding::NotStarted { panic },
        (None, failure) => Finding::Counterexample { input, shrunk, failure },
    };
    CheckResult { status: Status::Fail, finding }
}

/// Runs a failing case once more and says why it fails: the typed failure it
/// recorded, else its panic, else proptest's own words (`reason`).
fn failure_of(test: impl FnOnce() -> Outcome, reason: &str) -> Failure {
    panics::clear();
    take_failure();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(test));
    let recorded = take_failure();
    match outcome {
        Err(_) => Failure::Panicked { panic: panics::cause().unwrap_or_else(panics::unrecorded) },
        Ok(Err(TestCaseError::Fail(why) | TestCaseError::Reject(why))) => {
            recorded.unwrap_or_else(|| Failure::Said { why: why.message().to_string() })
        }
        // Code that fails only now and then passed this time: report what
        // was seen the first time.
        Ok(Ok(())) => recorded.unwrap_or_else(|| Failure::Said { why: reason.to_string() }),
    }
}

/// Fails the case unless `actual == expected`, recording both.
///
/// The usual last line of a judge: `expect_eq(output, oracle(&input))`.
///
/// ```
/// use grading_kit::expect_eq;
/// assert!(expect_eq(2 + 2, 4).is_ok());
/// assert!(expect_eq(vec![1, 2], vec![2, 1]).is_err());
/// ```
pub fn expect_eq<T: PartialEq + Debug>(actual: T, expected: T) -> Outcome {
    if actual == expected {
        return Ok(());
    }
    let expected = abbreviate(&format!("{expected:?}"));
    let actual = abbreviate(&format!("{actual:?}"));
    let error = TestCaseError::fail(format!("expected: {expected}\n     got: {actual}"));
    record(Failure::Mismatch { expected, actual });
    Err(error)
}

/// Fails the case with `why` unless `condition` holds. `why` is the lesson:
/// what was seen, and what usually causes it.
///
/// ```
/// use grading_kit::expect;
/// let seen = [4, 4, 4, 4];
/// assert!(expect(seen.iter().all(|&s| s == 4), "every task saw all four started").is_ok());
/// ```
pub fn expect(condition: bool, why: impl Into<String>) -> Outcome {
    if condition { Ok(()) } else { fail(why) }
}

/// Fails the case with `why`: for a judge that finds the fault by itself.
///
/// ```
/// use grading_kit::fail;
/// let output: Option<u32> = None;
/// let outcome = match output {
///     Some(_) => Ok(()),
///     None => fail("the result never arrived: was the sender dropped before sending?"),
/// };
/// assert!(outcome.is_err());
/// ```
pub fn fail(why: impl Into<String>) -> Outcome {
    let why = why.into();
    let error = TestCaseError::fail(why.clone());
    record(Failure::Said { why });
    Err(error)
}

/// Keeps a value's rendering to one screen.
pub(crate) fn abbreviate(text: &str) -> String {
    const LIMIT: usize = 1200;
    if text.len() <= LIMIT {
        return text.to_string();
    }
    let cut = (0..=LIMIT).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    format!("{}… ({} more characters)", &text[..cut], text.len() - cut)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::protocol::Panic;

    #[test]
    fn a_holding_property_passes() {
        let result = run(&(0..100u32), 16, &|n| expect(n < 100, "in range"));
        assert_eq!(result, passed());
    }

    #[test]
    fn a_mismatch_is_reported_on_the_minimal_input() {
        let result = run(&prop::collection::vec(0..100u32, 0..20), 64, &|v| expect_eq(v.len().min(2), v.len()));
        let Finding::Counterexample { input, shrunk, failure } = result.finding else {
            panic!("expected a counterexample, got {result:?}")
        };
        assert!(shrunk);
        assert_eq!(input, "[\n    0,\n    0,\n    0,\n]");
        assert_eq!(failure, Failure::Mismatch { expected: "3".into(), actual: "2".into() });
    }

    #[test]
    fn the_checks_own_words_are_kept() {
        let result = run(&(0..10u32), 16, &|n| if n > 3 { fail(format!("{n} is too big")) } else { Ok(()) });
        let Finding::Counterexample { failure, .. } = result.finding else { panic!("{result:?}") };
        assert_eq!(failure, Failure::Said { why: "4 is too big".into() });
    }

    #[test]
    fn a_fixed_case_is_not_called_minimal() {
        let result = run_case(&|| expect_eq(1, 2));
        assert_eq!(
            result.finding,
            Finding::Counterexample {
                input: String::new(),
                shrunk: false,
                failure: Failure::Mismatch { expected: "2".into(), actual: "1".into() }
            }
        );
        assert_eq!(run_case(&|| Ok(())), passed());
    }

    #[test]
    fn a_todo_means_not_started() {
        let todo = Panic { message: "not yet implemented".into(), location: None, thread: "main".into() };
        let result = run_case(&|| {
            record(Failure::Panicked { panic: todo.clone() });
            Err(TestCaseError::fail("todo"))
        });
        assert_eq!(result.finding, Finding::NotStarted { panic: todo });
    }

    #[test]
    fn a_hand_made_error_keeps_its_message() {
        let result = run_case(&|| Err(TestCaseError::fail("built by hand")));
        let Finding::Counterexample { failure, .. } = result.finding else { panic!("{result:?}") };
        assert_eq!(failure, Failure::Said { why: "built by hand".into() });
    }

    #[test]
    fn long_renderings_are_cut() {
        let long = "x".repeat(5000);
        assert!(abbreviate(&long).ends_with("(3800 more characters)"));
    }
}
