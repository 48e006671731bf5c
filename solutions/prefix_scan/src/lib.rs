//! Reference solution of `prefix_scan`.

use rayon::prelude::*;

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

/// The inclusive prefix sums of the weights of `values`, in two parallel
/// passes over chunks of `chunk_len`.
///
/// A scan looks sequential (each sum needs the one before), but addition is
/// associative: a chunk can be summed without knowing what came before it,
/// and corrected afterwards by one addition per element. The costly part,
/// the weights, is computed once, in the first pass; the correction is cheap.
pub fn prefix_sums(values: &[u64], chunk_len: usize) -> Vec<u64> {
    let mut sums = vec![0u64; values.len()];
    // Pass 1, in parallel: each chunk's weights, scanned within the chunk.
    let totals: Vec<u64> = sums
        .par_chunks_mut(chunk_len)
        .zip(values.par_chunks(chunk_len))
        .map(|(sums, values)| {
            let mut running = 0;
            for (sum, &value) in sums.iter_mut().zip(values) {
                running += weight(value);
                *sum = running;
            }
            running
        })
        .collect();

    // Pass 2, sequential and short: the total of the chunks before each one.
    let offsets: Vec<u64> = totals
        .iter()
        .scan(0, |before, &total| {
            let offset = *before;
            *before += total;
            Some(offset)
        })
        .collect();

    // Pass 3, in parallel: shift each chunk by its offset (the first one's is 0).
    sums.par_chunks_mut(chunk_len).zip(offsets).skip(1).for_each(|(sums, offset)| {
        for sum in sums {
            *sum += offset;
        }
    });
    sums
}
