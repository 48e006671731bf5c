//! Reference solution of `log_pipeline`.

use std::collections::BTreeMap;
use std::thread;

use crossbeam_channel::Receiver;
use rayon::prelude::*;

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

/// One batch after parsing: its entries and how many lines were malformed.
type Parsed = (Vec<Entry>, u64);

/// Reads, parses and aggregates `batches` in a three-stage pipeline.
///
/// Each stage runs on its own thread, so reading, parsing and aggregating
/// overlap; parsing, the expensive stage, also spreads each batch over
/// rayon's pool. The channels between the stages are bounded: a stage that
/// runs ahead blocks on `send` until the next one catches up, so at most a
/// few batches are in memory at any time, however long the input.
pub fn summarize<B, P>(batches: B, parse: P, capacity: usize) -> Report
where
    B: Iterator<Item = Vec<String>> + Send,
    P: Fn(&str) -> Option<Entry> + Sync,
{
    let (raw_sender, raw_receiver) = crossbeam_channel::bounded::<Vec<String>>(capacity);
    let (parsed_sender, parsed_receiver) = crossbeam_channel::bounded::<Parsed>(capacity);
    thread::scope(|scope| {
        scope.spawn(move || {
            for batch in batches {
                // Fails only if the parser has stopped: then stop reading too.
                if raw_sender.send(batch).is_err() {
                    break;
                }
            }
            // Dropping `raw_sender` here closes the parser's input.
        });
        let aggregator = scope.spawn(move || aggregate(parsed_receiver));

        // The parser runs on the calling thread; rayon's pool does the work.
        for batch in raw_receiver {
            let parsed = batch.par_iter().map(|line| parse(line)).collect::<Vec<Option<Entry>>>();
            let malformed = parsed.iter().filter(|entry| entry.is_none()).count() as u64;
            let entries = parsed.into_iter().flatten().collect();
            parsed_sender.send((entries, malformed)).expect("the aggregator runs until its input closes");
        }
        drop(parsed_sender);
        aggregator.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The last stage: folds every parsed batch into the report, until the
/// parser closes the channel.
fn aggregate(parsed: Receiver<Parsed>) -> Report {
    let mut report = Report::default();
    for (entries, malformed) in parsed {
        report.malformed += malformed;
        for Entry { key, latency_ms } in entries {
            let stats = report.keys.entry(key).or_default();
            stats.count += 1;
            stats.total_ms += latency_ms;
            stats.max_ms = stats.max_ms.max(latency_ms);
        }
    }
    report
}
