//! Checks of `serial_baseline`.

mod oracle;

use grading_kit::{Outcome, expect, expect_eq};
use proptest::prelude::*;

grading_kit::subject!();

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

/// The learner's summary of `text`, as the oracle's tuple (the learner's
/// `Summary` is not a serde type).
fn summarize(text: &str) -> oracle::Summary {
    let got = subject::summarize(text);
    (got.count, got.sum, got.min, got.max, got.largest_step)
}

/// Compares a summary field by field, saying which field is wrong and why
/// such a field usually goes wrong.
fn same_summary(text: &str, got: oracle::Summary) -> Outcome {
    let (count, sum, min, max, largest_step) = oracle::summarize(text);
    expect_eq(got.0, count)?;
    expect_eq(got.1, sum)?;
    let numbers = oracle::parse_lines(text);
    let start_hint = "An aggregate must start from \"nothing seen yet\" (`None`, or the first number), not \
                      from 0: 0 is not one of the numbers, and it wins whenever every number is on the \
                      same side of it.";
    for (field, got, expected) in [("min", got.2, min), ("max", got.3, max), ("largest_step", got.4, largest_step)] {
        expect(
            got == expected,
            format!("`{field}` should be {expected:?} but is {got:?} for the numbers {numbers:?}. {start_hint}"),
        )?;
    }
    Ok(())
}

/// The numbers of `values` moved to one side of zero (below it if
/// `negative`), one a line.
fn one_sided_text(&(negative, ref values): &(bool, Vec<i64>)) -> String {
    let lines: Vec<String> =
        values.iter().map(|v| if negative { -(v.abs() + 1) } else { v.abs() + 1 }.to_string()).collect();
    lines.join("\n")
}

fn main() {
    grading_kit::checks!()
        .property(
            "parse_lines reads the numbers in line order",
            texts(),
            |text| subject::parse_lines(text),
            |text, numbers: Vec<i64>| expect_eq(numbers, oracle::parse_lines(text)),
        )
        .property(
            "deltas like the sequential deltas",
            numbers(),
            |values| subject::deltas(values),
            |values, deltas: Vec<i64>| expect_eq(deltas, oracle::deltas(values)),
        )
        .property(
            "summarize like the sequential summary",
            texts(),
            |text| summarize(text),
            |text, summary| same_summary(text, summary),
        )
        .property(
            "summarize numbers all on one side of zero",
            (prop::bool::ANY, numbers()),
            |input| summarize(&one_sided_text(input)),
            |input, summary| same_summary(&one_sided_text(input), summary),
        )
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
