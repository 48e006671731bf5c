//! Property checks: random inputs, compared against a sequential oracle.

use std::fmt::Debug;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::panics;
use crate::protocol::{CheckResult, Status};

/// How many random cases a property check tries unless told otherwise.
pub const DEFAULT_CASES: u32 = 64;

/// Runs `test` on `cases` inputs drawn from `strategy`, with a fixed seed so
/// that a verdict never depends on luck and a failure is the same each run.
pub(crate) fn run<S: Strategy>(
    strategy: &S,
    cases: u32,
    test: &dyn Fn(S::Value) -> Result<(), TestCaseError>,
) -> CheckResult {
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    panics::clear();
    let outcome = runner.run(strategy, |value| {
        panics::clear();
        test(value)
    });
    match outcome {
        Ok(()) => CheckResult { status: Status::Pass, message: String::new(), todo: false, speedup: None },
        Err(TestError::Fail(reason, minimal)) => {
            let shown = abbreviate(&format!("{minimal:#?}"));
            // Shrinking ran other cases since: run the minimal one again so
            // that the panic reported is the one it causes.
            panics::clear();
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(minimal)));
            // A panic explains the failure only when it is the failure: a
            // check may make code under test panic on purpose, and then its
            // own message is the lesson.
            let panic = panics::todo().or_else(|| panics::first().filter(|p| reason.message().contains(p.message())));
            let todo = panic.as_ref().is_some_and(|p| p.is_todo());
            let message = match (&panic, todo) {
                (Some(p), true) => format!("not written yet: {p}"),
                (Some(p), false) => format!("minimal failing input: {shown}\n{p}"),
                (None, _) => format!("minimal failing input: {shown}\n{}", reason.message()),
            };
            CheckResult { status: Status::Fail, message, todo, speedup: None }
        }
        Err(TestError::Abort(reason)) => CheckResult {
            status: Status::Fail,
            message: format!("the check gave up: {}", reason.message()),
            todo: false,
            speedup: None,
        },
    }
}

/// Fails the case unless `actual == expected`, saying both.
///
/// The usual last line of a property: `expect_eq(learner(&input), oracle(&input))`.
pub fn expect_eq<T: PartialEq + Debug>(actual: T, expected: T) -> Result<(), TestCaseError> {
    if actual == expected {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "expected: {}\n     got: {}",
            abbreviate(&format!("{expected:?}")),
            abbreviate(&format!("{actual:?}"))
        )))
    }
}

/// Fails the case with `why` unless `condition` holds.
pub fn expect(condition: bool, why: impl Into<String>) -> Result<(), TestCaseError> {
    if condition { Ok(()) } else { Err(TestCaseError::fail(why.into())) }
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
