//! The trusted sequential reference: one loop over the lines, one map.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::subject::{self, Entry};

/// A report as plain data, with the fields and names of the learner's: what
/// the subject sends the judge, and what the oracle makes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub keys: BTreeMap<String, KeyStats>,
    pub malformed: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyStats {
    pub count: u64,
    pub total_ms: u64,
    pub max_ms: u64,
}

impl From<&subject::Report> for Report {
    fn from(report: &subject::Report) -> Self {
        let keys = report
            .keys
            .iter()
            .map(|(key, s)| (key.clone(), KeyStats { count: s.count, total_ms: s.total_ms, max_ms: s.max_ms }))
            .collect();
        Report { keys, malformed: report.malformed }
    }
}

pub fn summarize(batches: impl Iterator<Item = Vec<String>>, parse: impl Fn(&str) -> Option<Entry>) -> Report {
    let mut report = Report::default();
    for line in batches.flatten() {
        match parse(&line) {
            Some(Entry { key, latency_ms }) => {
                let stats = report.keys.entry(key).or_default();
                stats.count += 1;
                stats.total_ms += latency_ms;
                stats.max_ms = stats.max_ms.max(latency_ms);
            }
            None => report.malformed += 1,
        }
    }
    report
}

/// CPU-bound busywork standing for an expensive parse (a checksum, a
/// regular expression, a JSON document): `rounds` rounds of xorshift.
pub fn busywork(seed: u64, rounds: u64) -> u64 {
    let mut state = seed | 1;
    for _ in 0..rounds {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
    }
    std::hint::black_box(state)
}

/// Parses `KEY LATENCY` (two fields, the latency a whole number of
/// milliseconds) after `rounds` of busywork; anything else is malformed.
pub fn parse(line: &str, rounds: u64) -> Option<Entry> {
    let checksum = busywork(line.len() as u64, rounds);
    let mut fields = line.split_whitespace();
    let (key, latency) = (fields.next()?, fields.next()?);
    if fields.next().is_some() || checksum == 0 {
        return None;
    }
    Some(Entry { key: key.to_string(), latency_ms: latency.parse().ok()? })
}

/// `batches` batches of `lines` lines each, the same for the same `seed`:
/// mostly well-formed, one line in 50 malformed, at any seed.
pub fn large_input(batches: usize, lines: usize, seed: u64) -> Vec<Vec<String>> {
    const KEYS: [&str; 6] = ["GET/", "GET/items", "POST/items", "GET/users", "PUT/users", "DELETE/items"];
    let mut rng = grading_kit::helpers::SeededRng::new(seed);
    let mut next = move || rng.next_u64();
    (0..batches)
        .map(|_| {
            (0..lines)
                .map(|_| {
                    let r = next();
                    if r % 50 == 0 {
                        "timeout while reading".to_string()
                    } else {
                        format!("{} {}", KEYS[(r % 6) as usize], (r >> 8) % 2000)
                    }
                })
                .collect()
        })
        .collect()
}
