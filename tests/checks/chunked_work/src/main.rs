//! Checks of `chunked_work`.

grading_kit::subject!();

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Mutex;
use std::thread::{self, ThreadId};
use std::time::Duration;

use grading_kit::helpers::{Rendezvous, SeededRng};
use grading_kit::{Speedup, expect, expect_eq};
use proptest::prelude::*;

/// The trusted partition: sizes `n / w`, plus one for the first `n % w`.
fn oracle_partition(n: usize, workers: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for worker in 0..workers {
        let len = n / workers + if worker < n % workers { 1 } else { 0 };
        ranges.push(start..start + len);
        start += len;
    }
    ranges
}

/// Some CPU work per item, the same amount for every item.
fn heavy(x: u64) -> u64 {
    let mut state = x | 1;
    for _ in 0..400 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
    }
    state
}

/// `n` items of the map check: scattered values, so that a result in the
/// wrong place shows.
fn scattered(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * 7919 % 1000).collect()
}

/// The learner's half of the thread check: maps `0..n` on `workers`, and
/// returns the span of items each thread mapped, in order of their start.
fn spans_per_thread(n: usize, workers: usize) -> Vec<Range<usize>> {
    let seen: Mutex<Vec<(ThreadId, u64)>> = Mutex::new(Vec::new());
    let data: Vec<u64> = (0..n as u64).collect();
    subject::map_in_chunks(&data, workers, |x| {
        seen.lock().unwrap().push((thread::current().id(), x));
        x
    });
    let mut by_thread: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (id, x) in seen.into_inner().unwrap() {
        by_thread.entry(format!("{id:?}")).or_default().push(x);
    }
    let mut chunks: Vec<Range<usize>> = by_thread
        .values_mut()
        .map(|xs| {
            xs.sort_unstable();
            xs[0] as usize..xs[xs.len() - 1] as usize + 1
        })
        .collect();
    chunks.sort_by_key(|r| r.start);
    chunks
}

/// Workers (and items, one each) of the check that the chunks are mapped at
/// the same time.
const MEETING_WORKERS: usize = 4;

fn sizes() -> impl Strategy<Value = (usize, usize)> {
    (0..200usize, 1..20usize)
}

fn main() {
    grading_kit::checks!()
        .property(
            "the partition covers every item, evenly",
            sizes(),
            |&(n, workers)| subject::partition(n, workers),
            |&(n, workers), ranges: Vec<Range<usize>>| {
                expect(
                    ranges.len() == workers,
                    format!(
                        "partition({n}, {workers}) gave {} ranges, {ranges:?}; give exactly one per worker, \
                     {workers} (empty ones only when there are fewer items than workers).",
                        ranges.len()
                    ),
                )?;
                let mut next = 0;
                for range in &ranges {
                    expect(
                        range.start == next && range.start <= range.end,
                        format!(
                            "partition({n}, {workers}) gave {ranges:?}: the range {range:?} should start at {next}, \
                         where the one before it ended. The ranges follow each other, with no gap and no overlap."
                        ),
                    )?;
                    next = range.end;
                }
                expect(
                    next == n,
                    format!(
                        "partition({n}, {workers}) gave {ranges:?}, which ends at {next}: the last {} items belong to \
                     no worker and are never processed. With `chunk = n / workers` rounded down, `workers * \
                     chunk` falls short of n by `n % workers`: give those leftover items one each to the first \
                     workers.",
                        n.saturating_sub(next)
                    ),
                )?;
                let lens: Vec<usize> = ranges.iter().map(|r| r.len()).collect();
                let (least, most) = (lens.iter().min().copied().unwrap_or(0), lens.iter().max().copied().unwrap_or(0));
                expect(
                    most - least <= 1,
                    format!(
                        "partition({n}, {workers}) gave chunks of {lens:?} items: sizes should differ by at most one, \
                     or the busiest worker decides how long everyone waits. Rounding the chunk size up \
                     (`n.div_ceil(workers)`) leaves the last workers short, or with nothing at all."
                    ),
                )?;
                expect_eq(ranges, oracle_partition(n, workers))
            },
        )
        .property(
            "map_in_chunks maps every item, in order",
            (0..60usize, 1..12usize),
            |&(n, workers)| subject::map_in_chunks(&scattered(n), workers, |x| x * 3 + 1),
            |&(n, workers), got: Vec<u64>| {
                let data = scattered(n);
                let expected: Vec<u64> = data.iter().map(|x| x * 3 + 1).collect();
                expect(
                    got.len() == data.len(),
                    format!(
                        "map_in_chunks of {} items on {workers} workers returned {} results: every item must be \
                     mapped exactly once. Check that the chunks cover all the items, the last ones included.",
                        data.len(),
                        got.len()
                    ),
                )?;
                expect_eq(got, expected)
            },
        )
        .property(
            "each chunk is mapped on a thread of its own",
            sizes(),
            |&(n, workers)| spans_per_thread(n, workers),
            |&(n, workers), chunks: Vec<Range<usize>>| {
                let expected: Vec<Range<usize>> =
                    oracle_partition(n, workers).into_iter().filter(|r| !r.is_empty()).collect();
                expect(
                    chunks == expected,
                    format!(
                        "{n} items on {workers} workers should be mapped by {} threads, one per non-empty chunk of \
                     the partition, {expected:?}; the items each thread mapped spanned {chunks:?}. Spawn one \
                     scoped thread per non-empty range of `partition(data.len(), workers)`.",
                        expected.len()
                    ),
                )
            },
        )
        .case(
            "the chunks are mapped at the same time",
            || {
                // One item per worker, and mapping each waits for the others:
                // each says how many had started when it stopped waiting.
                let workers = MEETING_WORKERS;
                let meeting = Rendezvous::new(workers, Duration::from_secs(1));
                let data: Vec<u64> = (0..workers as u64).collect();
                subject::map_in_chunks(&data, workers, |_| meeting.arrive() as u64)
            },
            |seen| {
                let workers = MEETING_WORKERS as u64;
                expect(
                    seen.iter().all(|&s| s == workers),
                    format!(
                        "{workers} chunks of one item each waited for each other while being mapped, but saw \
                         {seen:?} started: the chunks were mapped one after another. A thread joined right after it \
                         is spawned has finished before the next one starts; spawn every chunk's thread first, then \
                         join them all."
                    ),
                )
            },
        )
        .snapshot("a few partitions", || {
            let mut out = String::new();
            for (n, workers) in [(10, 3), (12, 4), (2, 3), (0, 2), (7, 1)] {
                out.push_str(&format!("partition({n}, {workers}) = {:?}\n", subject::partition(n, workers)));
            }
            out.push_str(&format!("map_in_chunks = {:?}", subject::map_in_chunks(&[1, 2, 3, 4, 5], 2, |x| x * x)));
            out
        })
        .speedup(
            "faster than mapping sequentially",
            Speedup::seeded(
                // 200 000 values each pair, new ones at every seed: `heavy`
                // costs the same on any value.
                |seed| SeededRng::new(seed).take(200_000).collect::<Vec<u64>>(),
                |data: &Vec<u64>| data.iter().map(|&x| heavy(x)).collect::<Vec<u64>>(),
                |data: &Vec<u64>| {
                    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                    subject::map_in_chunks(data, cores, heavy)
                },
            ),
        )
        .main();
}
