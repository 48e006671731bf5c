//! Log pipeline: read batches of log lines, parse each batch in parallel,
//! and aggregate per-key statistics in a stage of its own, the stages joined
//! by bounded channels. Read `README.md` in this folder first.

use std::collections::BTreeMap;

/// One parsed log line: which key (an endpoint, a service...) and how long
/// the request took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub latency_ms: u64,
}

/// The statistics of one key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyStats {
    /// How many entries had this key.
    pub count: u64,
    /// The sum of their latencies.
    pub total_ms: u64,
    /// The largest of their latencies.
    pub max_ms: u64,
}

/// What the pipeline returns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The statistics of every key seen, sorted by key.
    pub keys: BTreeMap<String, KeyStats>,
    /// How many lines `parse` rejected (returned `None` for).
    pub malformed: u64,
}

/// Reads `batches` of log lines, parses every line with `parse`, and returns
/// the statistics of every key, as a pipeline of three stages:
///
/// 1. a **reader** thread pulls batches from `batches` and sends them on;
/// 2. a **parser** parses the lines of each batch *in parallel* (rayon), as
///    parsing is the expensive part: `parse` is CPU-bound; a line for which
///    `parse` returns `None` is counted as malformed;
/// 3. an **aggregator** thread adds each parsed entry to the statistics of
///    its key, and hands back the report once its input is closed.
///
/// The stages are joined by **bounded** crossbeam channels of `capacity`
/// batches each (`capacity` is at least 1): when parsing falls behind, the
/// reader must wait instead of reading the whole input into memory.
///
/// ```no_run
/// use log_pipeline::{Entry, summarize};
///
/// let batches = vec![vec!["GET 12".to_string(), "oops".to_string()], vec!["GET 30".to_string()]];
/// let parse = |line: &str| {
///     let (key, latency) = line.split_once(' ')?;
///     Some(Entry { key: key.to_string(), latency_ms: latency.parse().ok()? })
/// };
/// let report = summarize(batches.into_iter(), parse, 2);
/// assert_eq!(report.keys["GET"].count, 2);
/// assert_eq!(report.keys["GET"].max_ms, 30);
/// assert_eq!(report.malformed, 1);
/// ```
pub fn summarize<B, P>(batches: B, parse: P, capacity: usize) -> Report
where
    B: Iterator<Item = Vec<String>> + Send,
    P: Fn(&str) -> Option<Entry> + Sync,
{
    todo!("reader -> parallel parser -> aggregator, joined by channels of {capacity} batches")
}
