//! The trusted sequential reference: plain loops, one step after another.

/// `(count, sum, min, max, largest_step)`.
pub type Summary = (usize, i64, Option<i64>, Option<i64>, Option<i64>);

pub fn parse_lines(text: &str) -> Vec<i64> {
    let mut values = Vec::new();
    for line in text.lines() {
        if let Ok(value) = line.trim().parse::<i64>() {
            values.push(value);
        }
    }
    values
}

pub fn deltas(values: &[i64]) -> Vec<i64> {
    let mut out = Vec::new();
    for i in 1..values.len() {
        out.push(values[i] - values[i - 1]);
    }
    out
}

pub fn summarize(text: &str) -> Summary {
    let values = parse_lines(text);
    let mut sum = 0;
    let mut min = None;
    let mut max = None;
    for &v in &values {
        sum += v;
        min = Some(min.map_or(v, |m: i64| m.min(v)));
        max = Some(max.map_or(v, |m: i64| m.max(v)));
    }
    let mut largest_step = None;
    for d in deltas(&values) {
        largest_step = Some(largest_step.map_or(d, |m: i64| m.max(d)));
    }
    (values.len(), sum, min, max, largest_step)
}
