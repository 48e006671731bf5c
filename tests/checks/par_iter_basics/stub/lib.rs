//! `par_iter` basics: the same map, filter and reduce you would write with
//! `.iter()`, run on every core. Read `README.md` in this folder first.

/// Whether `n` is prime, by trial division: slow on purpose, so that each
/// number is real work. Given; use it as it is.
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

/// How many of `numbers` are prime, counted in parallel (a filter and a count).
///
/// ```no_run
/// assert_eq!(par_iter_basics::count_primes(&[1, 2, 3, 4, 5]), 3);
/// ```
pub fn count_primes(numbers: &[u64]) -> usize {
    todo!("count the primes among {} numbers with a parallel iterator", numbers.len())
}

/// The largest prime among `numbers`, or `None` when there is none, found in
/// parallel.
///
/// ```no_run
/// assert_eq!(par_iter_basics::largest_prime(&[9, 7, 4, 13, 15]), Some(13));
/// assert_eq!(par_iter_basics::largest_prime(&[4, 6]), None);
/// ```
pub fn largest_prime(numbers: &[u64]) -> Option<u64> {
    todo!("filter the primes and keep the largest, in parallel")
}

/// The checksum of the primes among `numbers`: the sum of their squares,
/// wrapping on overflow (`u64::wrapping_mul`, `u64::wrapping_add`), computed
/// in parallel (filter, map, then reduce).
///
/// ```no_run
/// assert_eq!(par_iter_basics::prime_checksum(&[2, 3, 4]), 4 + 9);
/// ```
pub fn prime_checksum(numbers: &[u64]) -> u64 {
    todo!("filter the primes, square them, and add the squares up, in parallel")
}
