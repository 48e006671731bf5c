//! Merge versus shared lock: count on several threads without fighting over
//! one map. Read `README.md` in this folder first.

use std::collections::HashMap;

use course_sync::{Mutex, thread};

/// How often each value occurs in `data`, counted by `workers` threads
/// sharing one map behind one lock. Correct, and given to you as the "before"
/// picture: every single item takes the lock, so the threads spend their time
/// waiting for each other. Do not change it; beat it.
pub fn count_with_shared_lock(data: &[u32], workers: usize) -> HashMap<u32, usize> {
    let counts = Mutex::new(HashMap::new());
    let chunk_len = data.len().div_ceil(workers.max(1)).max(1);
    thread::scope(|scope| {
        for chunk in data.chunks(chunk_len) {
            let counts = &counts;
            scope.spawn(move || {
                for &value in chunk {
                    *counts.lock().unwrap().entry(value).or_insert(0) += 1;
                }
            });
        }
    });
    counts.into_inner().unwrap()
}

/// How often each value occurs in `data`, counted by `workers` threads
/// (`workers` is at least 1): each thread counts its own part of `data` into
/// a map of its own, and the maps are merged at the end.
///
/// ```no_run
/// let counts = merge_vs_shared_lock::count_values(&[7, 1, 7, 7], 2);
/// assert_eq!(counts[&7], 3);
/// assert_eq!(counts[&1], 1);
/// ```
pub fn count_values(data: &[u32], workers: usize) -> HashMap<u32, usize> {
    todo!("count {} values on {workers} threads, one map per thread, then merge", data.len())
}
