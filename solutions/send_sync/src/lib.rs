//! Send and Sync: the four refused programs, fixed, and still concurrent.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The sum of `weigh(n)` over `numbers`, weighed on `workers` threads.
///
/// `Arc` in place of `Rc`: its count is changed atomically, so clones of it
/// may live on different threads.
pub fn sum_weighed<F>(numbers: Vec<u64>, workers: usize, weigh: F) -> u64
where
    F: Fn(u64) -> u64 + Send + Sync + 'static,
{
    let numbers = Arc::new(numbers);
    let weigh = Arc::new(weigh);
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let numbers = Arc::clone(&numbers);
            let weigh = Arc::clone(&weigh);
            thread::spawn(move || numbers.iter().skip(w).step_by(workers).map(|&n| weigh(n)).sum::<u64>())
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

/// How many of `numbers` `keep` keeps, counted by `workers` threads into one
/// shared counter.
///
/// An `AtomicUsize` in place of the `RefCell`: shared `&` access to it is
/// safe from any thread (it is `Sync`), and each `fetch_add` is indivisible.
pub fn count_kept<F>(numbers: Vec<u64>, workers: usize, keep: F) -> usize
where
    F: Fn(u64) -> bool + Send + Sync + 'static,
{
    let numbers = Arc::new(numbers);
    let keep = Arc::new(keep);
    let count = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let (numbers, keep, count) = (Arc::clone(&numbers), Arc::clone(&keep), Arc::clone(&count));
            thread::spawn(move || {
                for &n in numbers.iter().skip(w).step_by(workers) {
                    if keep(n) {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    count.load(Ordering::Relaxed)
}

/// The word with the highest `score` (ties: the greatest word), scored in
/// `workers` chunks on threads of their own.
///
/// `thread::scope` in place of `thread::spawn`: every thread of the scope is
/// joined before `scope` returns, so they may borrow `words` and `score`.
pub fn best_word<F>(words: &[String], workers: usize, score: F) -> Option<(u64, String)>
where
    F: Fn(&str) -> u64 + Sync,
{
    if words.is_empty() {
        return None;
    }
    let chunk = words.len().div_ceil(workers.max(1));
    let score = &score;
    thread::scope(|scope| {
        let handles: Vec<_> = words
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|w| (score(w), w.clone())).max()))
            .collect();
        handles.into_iter().filter_map(|h| h.join().unwrap()).max()
    })
}

/// Every message, in the order their delays end, each written by a task of
/// its own.
///
/// The guard now lives in a block that ends before any `.await`: the future
/// holds no guard while it waits, so it is `Send`, and the lock is held for
/// one `push`, not for a whole sleep.
pub async fn log_when_due(messages: Vec<(String, u64)>) -> Vec<String> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for (message, delay_ms) in messages {
        let log = Arc::clone(&log);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            log.lock().unwrap().push(message);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    log.lock().unwrap().clone()
}
