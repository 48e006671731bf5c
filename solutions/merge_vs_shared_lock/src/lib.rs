//! Reference solution of `merge_vs_shared_lock`.

use std::collections::HashMap;

use course_sync::{Mutex, thread};

/// The shared-lock version, kept as the stub gives it.
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

/// Counts on `workers` threads, one private map each, merged at the end.
///
/// No thread touches shared state while it counts, so nothing waits; the
/// merge costs one insert per *distinct* value per thread, which is small
/// next to one per item.
pub fn count_values(data: &[u32], workers: usize) -> HashMap<u32, usize> {
    let chunk_len = data.len().div_ceil(workers.max(1)).max(1);
    thread::scope(|scope| {
        let partials: Vec<_> = data.chunks(chunk_len).map(|chunk| scope.spawn(move || count(chunk))).collect();
        let mut total = HashMap::new();
        for partial in partials {
            for (value, n) in partial.join().expect("counting never panics") {
                *total.entry(value).or_insert(0) += n;
            }
        }
        total
    })
}

fn count(values: &[u32]) -> HashMap<u32, usize> {
    let mut counts = HashMap::new();
    for &value in values {
        *counts.entry(value).or_insert(0) += 1;
    }
    counts
}
