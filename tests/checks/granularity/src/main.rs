//! Checks of `granularity`.

grading_kit::subject!();

use grading_kit::helpers::SeededRng;
use grading_kit::{Speedup, expect, expect_eq};
use proptest::prelude::*;

/// The trusted sequential sum, with the same arithmetic as the given `cost`.
mod oracle {
    pub fn sum(n: u64) -> u64 {
        let mut total = 0u64;
        for i in 0..n {
            let mut x = i;
            for _ in 0..128 {
                x = (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
            }
            total = total.wrapping_add(x);
        }
        total
    }
}

const SPEEDUP_N: u64 = 850_000;

fn main() {
    grading_kit::checks!()
        .property(
            "sum_in_tasks sums like the sequential sum",
            (0..3_000u64, 1..400u64),
            |&(n, grain)| subject::sum_in_tasks(n, grain),
            |&(n, _), sum| expect_eq(sum, oracle::sum(n)),
        )
        .property(
            "a grain larger than n is one task",
            (0..300u64, 300..10_000u64),
            |&(n, grain)| subject::sum_in_tasks(n, grain),
            |&(n, _), sum| expect_eq(sum, oracle::sum(n)),
        )
        .property(
            "choose_grain is between 1 and n",
            (prop_oneof![0..10u64, 0..1_000_000_000_000u64], 1..=256usize),
            |&(n, threads)| subject::choose_grain(n, threads),
            |&(n, threads), grain: u64| {
                expect(
                    grain >= 1 && grain <= n.max(1),
                    format!("choose_grain({n}, {threads}) returned {grain}: a grain is at least 1 and at most n"),
                )
            },
        )
        .snapshot("sums of small ranges", || {
            [(0, 1), (1, 1), (10, 3), (1_000, 7), (1_000, 1_000), (4_096, 64)]
                .iter()
                .map(|&(n, grain)| format!("n {n:>5}, grain {grain:>5}: {:>20}\n", subject::sum_in_tasks(n, grain)))
                .collect()
        })
        .speedup(
            "with your grain, faster than the sequential sum",
            Speedup::seeded(
                // n is all the input there is: it changes with the seed by
                // under 1 000 (0.12 %) items, so a sum cannot be remembered
                // while the work and the grain chosen for it stay the same.
                |seed| SPEEDUP_N + SeededRng::new(seed).below(1_000),
                |&n: &u64| oracle::sum(n),
                |&n: &u64| subject::sum_in_tasks(n, subject::choose_grain(n, grading_kit::workers())),
            ),
        )
        .main();
}
