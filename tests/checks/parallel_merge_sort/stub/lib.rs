//! Parallel merge sort: divide and conquer with `rayon::join`, and a cut-off
//! below which the work stays sequential. Read `README.md` in this folder
//! first.

/// Merges the sorted slices `left` and `right` into `out`, which is exactly
/// `left.len() + right.len()` long, so that `out` is sorted. On ties, the
/// element of `left` comes first.
///
/// ```no_run
/// let mut out = [0; 5];
/// parallel_merge_sort::merge(&[1, 4, 9], &[2, 4], &mut out);
/// assert_eq!(out, [1, 2, 4, 4, 9]);
/// ```
pub fn merge<T: Ord + Copy>(left: &[T], right: &[T], out: &mut [T]) {
    todo!("merge {} and {} sorted elements into `out`", left.len(), right.len())
}

/// Sorts `v` by merge sort, in parallel: sort the two halves at the same
/// time (`rayon::join`), then merge them. Slices shorter than a cut-off of
/// your choosing are sorted sequentially (by the same merge sort, without
/// `join`): splitting them further costs more than it gains.
///
/// ```no_run
/// let mut v = [5, 3, 9, 1, 3];
/// parallel_merge_sort::merge_sort(&mut v);
/// assert_eq!(v, [1, 3, 3, 5, 9]);
/// ```
pub fn merge_sort<T: Ord + Copy + Send>(v: &mut [T]) {
    todo!("sort {} elements: halves in parallel with rayon::join, small slices sequentially", v.len())
}
