//! Checks of `serial_baseline`.

mod oracle;

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;

/// Text of numbers, one a line, with padding, blank lines and junk between.
fn texts() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        4 => (-1000..1000i64, " {0,2}", " {0,2}").prop_map(|(n, before, after)| format!("{before}{n}{after}")),
        1 => Just(String::new()),
        1 => "[a-z#.]{1,5}",
        1 => (-1000..1000i64).prop_map(|n| format!("{n}.5")),
    ];
    prop::collection::vec(line, 0..20).prop_map(|lines| lines.join("\n"))
}

fn numbers() -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(-1000..1000i64, 0..20)
}

/// Compares a summary field by field, saying which field is wrong and why
/// such a field usually goes wrong.
fn same_summary(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
    let got = subject::summarize(text);
    let (count, sum, min, max, largest_step) = oracle::summarize(text);
    expect_eq(got.count, count)?;
    expect_eq(got.sum, sum)?;
    let numbers = oracle::parse_lines(text);
    let start_hint = "An aggregate must start from \"nothing seen yet\" (`None`, or the first number), not \
                      from 0: 0 is not one of the numbers, and it wins whenever every number is on the \
                      same side of it.";
    for (field, got, expected) in
        [("min", got.min, min), ("max", got.max, max), ("largest_step", got.largest_step, largest_step)]
    {
        expect(
            got == expected,
            format!("`{field}` should be {expected:?} but is {got:?} for the numbers {numbers:?}. {start_hint}"),
        )?;
    }
    Ok(())
}

fn main() {
    grading_kit::checks!("serial_baseline")
        .property("parse_lines reads the numbers in line order", texts(), |text| {
            expect_eq(subject::parse_lines(&text), oracle::parse_lines(&text))
        })
        .property("deltas like the sequential deltas", numbers(), |values| {
            expect_eq(subject::deltas(&values), oracle::deltas(&values))
        })
        .property("summarize like the sequential summary", texts(), |text| same_summary(&text))
        .property("summarize numbers all on one side of zero", (prop::bool::ANY, numbers()), |(negate, values)| {
            let text: Vec<String> =
                values.iter().map(|v| if negate { -(v.abs() + 1) } else { v.abs() + 1 }.to_string()).collect();
            same_summary(&text.join("\n"))
        })
        .snapshot("a small file", || {
            let text = "# readings\n12\n  7\n\n19\nn/a\n3\n-4\n 20 \n";
            format!(
                "parse_lines: {:?}\ndeltas: {:?}\nsummarize: {:#?}",
                subject::parse_lines(text),
                subject::deltas(&subject::parse_lines(text)),
                subject::summarize(text)
            )
        })
        .main();
}
