//! Checks of `false_sharing`.

grading_kit::subject!();

use std::mem::{align_of, size_of};
use std::sync::atomic::{AtomicU64, Ordering};

use grading_kit::helpers::SeededRng;
use grading_kit::{Speedup, expect, expect_eq};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// The trusted sequential count: one loop, one local counter, with the same
/// arithmetic as the exercise's given `is_hit`.
mod oracle {
    pub fn count_hits(data: &[u64]) -> u64 {
        let mut hits = 0;
        for &value in data {
            let mut x = value;
            for _ in 0..16 {
                x = (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
            }
            if x & 1 == 0 {
                hits += 1;
            }
        }
        hits
    }
}

/// What `counters(n)` gave, seen from the learner's process: where each
/// counter lies in memory, and the layout of the learner's `Padded`.
#[derive(Debug, Serialize, Deserialize)]
struct Layout {
    len: usize,
    all_zero: bool,
    addresses: Vec<usize>,
    align: usize,
    size: usize,
}

fn layout(n: usize) -> Layout {
    let counters = subject::counters(n);
    Layout {
        len: counters.len(),
        all_zero: counters.iter().all(|c| c.0.load(Ordering::Relaxed) == 0),
        addresses: counters.iter().map(|c| &c.0 as *const AtomicU64 as usize).collect(),
        align: align_of::<subject::Padded<AtomicU64>>(),
        size: size_of::<subject::Padded<AtomicU64>>(),
    }
}

const SPEEDUP_LEN: u64 = 6_500_000;

fn main() {
    grading_kit::checks!()
        .property(
            "each counter has 128 bytes to itself",
            2..8usize,
            |&n| layout(n),
            |&n, layout| {
                let Layout { len, all_zero, addresses, align, size } = layout;
                expect_eq(len, n)?;
                expect(all_zero, "the counters must start at zero")?;
                // Addresses in any order, even forged ones, fail without a panic
                // in the judge.
                let apart = addresses.windows(2).all(|w| w[1].checked_sub(w[0]).is_some_and(|gap| gap >= 128));
                expect(
                    addresses.first().is_some_and(|first| first.is_multiple_of(128)) && apart,
                    format!(
                        "counters({n}) put the counters at {addresses:x?}: not each on a 128-byte boundary of its \
                     own, so neighbours share a cache line (Padded<AtomicU64> is aligned to {align} bytes and {size} \
                     bytes long): add #[repr(align(128))] to the struct"
                    ),
                )
            },
        )
        .property(
            "counts like the sequential count",
            (prop::collection::vec(any::<u64>(), 0..2_000), 1..9usize),
            |(data, threads)| subject::count_hits(data, *threads),
            |(data, _), hits| expect_eq(hits, oracle::count_hits(data)),
        )
        .property(
            "more threads than values",
            (prop::collection::vec(any::<u64>(), 0..8), 8..32usize),
            |(data, threads)| subject::count_hits(data, *threads),
            |(data, _), hits| expect_eq(hits, oracle::count_hits(data)),
        )
        .snapshot("hits among the first numbers", || {
            [0, 1, 10, 100, 1_000, 10_000]
                .iter()
                .map(|&n| {
                    let data: Vec<u64> = (0..n).collect();
                    format!("{n:>6} numbers: {:>5} hits\n", subject::count_hits(&data, 3))
                })
                .collect()
        })
        .speedup(
            "faster than the sequential count",
            Speedup::seeded(
                // Scattered values, new at every seed: about half of them hits,
                // as before, so the shared counters see as many updates.
                |seed| SeededRng::new(seed).take(SPEEDUP_LEN as usize).collect::<Vec<u64>>(),
                |data: &Vec<u64>| oracle::count_hits(data),
                |data: &Vec<u64>| subject::count_hits(data, grading_kit::workers()),
            )
            // Packed counters are slow only where cores have caches of their
            // own; elsewhere a pass is no evidence of padding (the layout
            // property above grades that on every machine).
            .needs(|| grading_kit::helpers::false_sharing_shows().map(drop)),
        )
        .main();
}
