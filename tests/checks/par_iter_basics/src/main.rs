//! Checks of `par_iter_basics`.

grading_kit::subject!();

use grading_kit::helpers::SeededRng;
use grading_kit::{Speedup, expect_eq};
use proptest::prelude::*;

/// The trusted sequential versions: the same chains on `.iter()`.
mod oracle {
    pub fn is_prime(n: u64) -> bool {
        n >= 2 && (2..).take_while(|d| d <= &(n / d)).all(|d| !n.is_multiple_of(d))
    }

    pub fn count_primes(numbers: &[u64]) -> usize {
        numbers.iter().filter(|&&n| is_prime(n)).count()
    }

    pub fn largest_prime(numbers: &[u64]) -> Option<u64> {
        numbers.iter().copied().filter(|&n| is_prime(n)).max()
    }

    pub fn prime_checksum(numbers: &[u64]) -> u64 {
        numbers.iter().copied().filter(|&n| is_prime(n)).map(|p| p.wrapping_mul(p)).fold(0, u64::wrapping_add)
    }

    /// The same trial division as the exercise's `is_prime` (odd divisors
    /// only), so that timing compares like with like.
    fn fast_is_prime(n: u64) -> bool {
        if n < 2 {
            return false;
        }
        if n.is_multiple_of(2) {
            return n == 2;
        }
        let mut divisor = 3;
        while divisor <= n / divisor {
            if n.is_multiple_of(divisor) {
                return false;
            }
            divisor += 2;
        }
        true
    }

    /// The three chains one after another, on this thread: what the
    /// speedup check times.
    pub fn all_three(numbers: &[u64]) -> (usize, Option<u64>, u64) {
        let primes = || numbers.iter().copied().filter(|&n| fast_is_prime(n));
        (primes().count(), primes().max(), primes().map(|p| p.wrapping_mul(p)).fold(0, u64::wrapping_add))
    }
}

/// Small numbers and large ones, with primes among them.
fn numbers() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(prop_oneof![0..100u64, 0..1_000_000_000u64], 0..200)
}

/// Odd numbers from one billion up: every prime costs some 16 000 trial
/// divisions, and primes are spread evenly.
fn large_input(seed: u64) -> Vec<u64> {
    // A run of odd numbers that starts at a new place for each seed, still
    // just above a billion: as many numbers, as large, so about as many
    // primes and as much trial division at every seed.
    let start = 1_000_000_001 + 2 * SeededRng::new(seed).below(1_000_000);
    (0..SPEEDUP_NUMBERS).map(|i| start + 2 * i).collect()
}

/// A third of the numbers the check once timed `prime_checksum` alone on:
/// each of the three functions goes over all of them.
const SPEEDUP_NUMBERS: u64 = 6_000;

fn main() {
    grading_kit::checks!()
        .property(
            "count_primes counts like the sequential count",
            numbers(),
            |numbers| subject::count_primes(numbers),
            |numbers, count| expect_eq(count, oracle::count_primes(numbers)),
        )
        .property(
            "largest_prime finds the sequential maximum",
            numbers(),
            |numbers| subject::largest_prime(numbers),
            |numbers, largest| expect_eq(largest, oracle::largest_prime(numbers)),
        )
        .property(
            "prime_checksum sums like the sequential sum",
            numbers(),
            |numbers| subject::prime_checksum(numbers),
            |numbers, checksum| expect_eq(checksum, oracle::prime_checksum(numbers)),
        )
        .snapshot("the primes below 100", || {
            let numbers: Vec<u64> = (0..100).collect();
            format!(
                "count: {}\nlargest: {:?}\nchecksum: {}\n",
                subject::count_primes(&numbers),
                subject::largest_prime(&numbers),
                subject::prime_checksum(&numbers)
            )
        })
        .speedup(
            // All three functions, each once: one left on `.iter()` costs a
            // third of the work on one core.
            "count_primes, largest_prime and prime_checksum together are faster than the sequential chains",
            Speedup::seeded(
                large_input,
                |numbers: &Vec<u64>| oracle::all_three(numbers),
                |numbers: &Vec<u64>| {
                    (subject::count_primes(numbers), subject::largest_prime(numbers), subject::prime_checksum(numbers))
                },
            ),
        )
        .main();
}
