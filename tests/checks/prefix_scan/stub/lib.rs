//! A parallel prefix scan in two passes. Read `README.md` in this folder
//! first.

/// The weight of one value: a few hundred arithmetic steps (about a tenth
/// of a microsecond), and always below 2^32, so that sums of up to 2^32
/// weights fit in a `u64`. Given; use it as it is.
pub fn weight(value: u64) -> u64 {
    let mut x = value;
    for _ in 0..128 {
        x = (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
    }
    x >> 32
}

/// The inclusive prefix sums of the weights of `values`: element `i` of the
/// result is `weight(values[0]) + ... + weight(values[i])`.
///
/// Computed in parallel, in chunks of `chunk_len` values (the last chunk may
/// be shorter; `chunk_len` is at least 1):
///
/// 1. in parallel, each chunk's prefix sums *within the chunk*, and its total;
/// 2. sequentially, for each chunk, the total of all the chunks before it
///    (a scan of the few chunk totals);
/// 3. in parallel, each chunk adds that total to its sums.
///
/// ```no_run
/// use prefix_scan::{prefix_sums, weight};
/// let (a, b, c) = (weight(1), weight(2), weight(3));
/// assert_eq!(prefix_sums(&[1, 2, 3], 2), vec![a, a + b, a + b + c]);
/// ```
pub fn prefix_sums(values: &[u64], chunk_len: usize) -> Vec<u64> {
    todo!("scan {} values in chunks of {chunk_len}: local sums, chunk offsets, fix-up", values.len())
}
