//! Reference solution of `serial_baseline`.

/// What [`summarize`] finds in a text of numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub count: usize,
    pub sum: i64,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub largest_step: Option<i64>,
}

/// Reads one number per line, in the order of the lines, skipping lines that
/// hold no number.
pub fn parse_lines(text: &str) -> Vec<i64> {
    text.lines().filter_map(|line| line.trim().parse().ok()).collect()
}

/// The change from each number to the next one.
///
/// `windows(2)` looks at neighbours in order: the answer depends on the
/// order of the numbers, which a serial loop keeps for free.
pub fn deltas(values: &[i64]) -> Vec<i64> {
    values.windows(2).map(|pair| pair[1] - pair[0]).collect()
}

/// Parses, then aggregates, one step after another.
///
/// `min`, `max` and `largest_step` start from "nothing seen yet" (`None`),
/// not from a number such as 0 that might not be in the input at all.
pub fn summarize(text: &str) -> Summary {
    let values = parse_lines(text);
    Summary {
        count: values.len(),
        sum: values.iter().sum(),
        min: values.iter().copied().min(),
        max: values.iter().copied().max(),
        largest_step: deltas(&values).into_iter().max(),
    }
}
