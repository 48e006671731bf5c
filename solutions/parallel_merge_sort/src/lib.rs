//! Reference solution of `parallel_merge_sort`.

/// Below this many elements a slice is sorted sequentially. A `join` costs
/// some tens of nanoseconds, sorting one element a few: splitting down to
/// single elements would spend more on splitting than on sorting. Thousands
/// of elements per task is still hundreds of tasks per core on large inputs,
/// plenty for the load to balance.
const CUTOFF: usize = 8 * 1024;

/// Merges the sorted slices `left` and `right` into `out`.
pub fn merge<T: Ord + Copy>(left: &[T], right: &[T], out: &mut [T]) {
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        // Take from the left on ties: that keeps the sort stable.
        if j == right.len() || (i < left.len() && left[i] <= right[j]) {
            *slot = left[i];
            i += 1;
        } else {
            *slot = right[j];
            j += 1;
        }
    }
}

/// Sorts `v` by merge sort, the two halves of each large slice in parallel.
///
/// One scratch buffer is allocated for the whole sort and split alongside
/// `v`, so that the halves sorted at the same time never share memory.
pub fn merge_sort<T: Ord + Copy + Send>(v: &mut [T]) {
    let mut buffer = v.to_vec();
    sort(v, &mut buffer);
}

/// Sorts `v`, using `buffer` (as long as `v`) as scratch space.
fn sort<T: Ord + Copy + Send>(v: &mut [T], buffer: &mut [T]) {
    if v.len() <= CUTOFF {
        return sort_sequentially(v, buffer);
    }
    let mid = v.len() / 2;
    {
        let (v_left, v_right) = v.split_at_mut(mid);
        let (buffer_left, buffer_right) = buffer.split_at_mut(mid);
        rayon::join(|| sort(v_left, buffer_left), || sort(v_right, buffer_right));
    }
    merge(&v[..mid], &v[mid..], buffer);
    v.copy_from_slice(buffer);
}

/// The same merge sort without `join`.
fn sort_sequentially<T: Ord + Copy>(v: &mut [T], buffer: &mut [T]) {
    if v.len() <= 1 {
        return;
    }
    let mid = v.len() / 2;
    {
        let (v_left, v_right) = v.split_at_mut(mid);
        let (buffer_left, buffer_right) = buffer.split_at_mut(mid);
        sort_sequentially(v_left, buffer_left);
        sort_sequentially(v_right, buffer_right);
    }
    merge(&v[..mid], &v[mid..], buffer);
    v.copy_from_slice(buffer);
}
