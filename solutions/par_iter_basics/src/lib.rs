//! Reference solution of `par_iter_basics`.

use rayon::prelude::*;

/// Whether `n` is prime, by trial division: slow on purpose.
pub fn is_prime(n: u64) -> bool {
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

/// How many of `numbers` are prime.
///
/// The sequential chain with `par_iter` in place of `iter`: rayon splits the
/// slice between its threads and adds the partial counts.
pub fn count_primes(numbers: &[u64]) -> usize {
    numbers.par_iter().filter(|&&n| is_prime(n)).count()
}

/// The largest prime among `numbers`.
///
/// `max` is a reduction: each thread keeps the largest it has seen, and the
/// partial maxima are compared at the end, in whatever order they come, which
/// is fine because `max` does not care about order.
pub fn largest_prime(numbers: &[u64]) -> Option<u64> {
    numbers.par_iter().copied().filter(|&n| is_prime(n)).max()
}

/// The sum of the squares of the primes among `numbers`, wrapping.
///
/// `reduce` needs an identity (`|| 0`) because every thread starts a partial
/// sum of its own; wrapping addition is associative, so any grouping of the
/// partial sums gives the sequential answer.
pub fn prime_checksum(numbers: &[u64]) -> u64 {
    numbers.par_iter().copied().filter(|&n| is_prime(n)).map(|p| p.wrapping_mul(p)).reduce(|| 0, u64::wrapping_add)
}
