//! Serial baseline: a pipeline written plainly, one step after another.
//! Read `README.md` in this folder first.

/// What [`summarize`] finds in a text of numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// How many numbers were read.
    pub count: usize,
    /// Their sum.
    pub sum: i64,
    /// The smallest number, or `None` when there were none.
    pub min: Option<i64>,
    /// The largest number, or `None` when there were none.
    pub max: Option<i64>,
    /// The largest change from one number to the next (see [`deltas`]), or
    /// `None` when there were fewer than two numbers.
    pub largest_step: Option<i64>,
}

/// Reads one number per line, in the order of the lines.
///
/// Each line is trimmed of surrounding whitespace; a line that is then not a
/// whole number (`i64`), blank lines included, is skipped.
///
/// ```
/// assert_eq!(serial_baseline::parse_lines("3\n  -1 \nten\n\n4"), vec![3, -1, 4]);
/// ```
pub fn parse_lines(text: &str) -> Vec<i64> {
    todo!("parse each line of the text that holds a number")
}

/// The change from each number to the next one: `values[i + 1] - values[i]`,
/// in order. One fewer than `values` (none for fewer than two numbers).
///
/// ```
/// assert_eq!(serial_baseline::deltas(&[3, -1, 4]), vec![-4, 5]);
/// ```
pub fn deltas(values: &[i64]) -> Vec<i64> {
    todo!("the difference between each of the {} values and the next", values.len())
}

/// The whole pipeline: parse the lines of `text`, then count, sum, and find
/// the smallest and largest number and the largest step between neighbours.
///
/// The numbers are small enough that nothing here overflows.
///
/// ```
/// let summary = serial_baseline::summarize("3\n-1\n4");
/// assert_eq!(summary.sum, 6);
/// assert_eq!(summary.min, Some(-1));
/// assert_eq!(summary.largest_step, Some(5));
/// ```
pub fn summarize(text: &str) -> Summary {
    todo!("parse, then aggregate, one step after another")
}
