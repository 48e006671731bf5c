//! Send and Sync: four programs the compiler refuses. Each is the way a Go
//! programmer would write it, and each is refused for a reason the lesson
//! (README.md) explains. Make each one compile *and* stay concurrent: the
//! checks run your fixed code and check its results and its threads.
//!
//! Read the compiler's first error from the top: it names the type that
//! cannot cross a thread, and the line where it tries to.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The sum of `weigh(n)` over `numbers`, weighed on `workers` threads
/// (worker `w` takes the numbers at `w`, `w + workers`, ...).
///
/// Refused: an `Rc` cannot be sent to another thread (README.md, "1. Rc").
pub fn sum_weighed<F>(numbers: Vec<u64>, workers: usize, weigh: F) -> u64
where
    F: Fn(u64) -> u64 + Send + Sync + 'static,
{
    let numbers = Rc::new(numbers);
    let weigh = Arc::new(weigh);
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let numbers = Rc::clone(&numbers);
            let weigh = Arc::clone(&weigh);
            thread::spawn(move || numbers.iter().skip(w).step_by(workers).map(|&n| weigh(n)).sum::<u64>())
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

/// How many of `numbers` `keep` keeps, asked on `workers` threads that
/// count into one shared counter.
///
/// Refused: a `RefCell` cannot be shared between threads (README.md,
/// "2. RefCell").
pub fn count_kept<F>(numbers: Vec<u64>, workers: usize, keep: F) -> usize
where
    F: Fn(u64) -> bool + Send + Sync + 'static,
{
    let numbers = Arc::new(numbers);
    let keep = Arc::new(keep);
    let count = Arc::new(RefCell::new(0));
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let (numbers, keep, count) = (Arc::clone(&numbers), Arc::clone(&keep), Arc::clone(&count));
            thread::spawn(move || {
                for &n in numbers.iter().skip(w).step_by(workers) {
                    if keep(n) {
                        *count.borrow_mut() += 1;
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let counted = *count.borrow();
    counted
}

/// The word with the highest `score` (ties: the greatest word), as
/// `(score, word)`, scored in `workers` chunks on threads of their own;
/// `None` for no words.
///
/// Refused: a thread from `thread::spawn` may outlive `words`, which it
/// borrows (README.md, "3. Borrowed locals").
pub fn best_word<F>(words: &[String], workers: usize, score: F) -> Option<(u64, String)>
where
    F: Fn(&str) -> u64 + Sync,
{
    if words.is_empty() {
        return None;
    }
    let chunk = words.len().div_ceil(workers.max(1));
    let score = &score;
    let handles: Vec<_> = words
        .chunks(chunk)
        .map(|part| thread::spawn(move || part.iter().map(|w| (score(w), w.clone())).max()))
        .collect();
    handles.into_iter().filter_map(|h| h.join().unwrap()).max()
}

/// Every message, in the order their delays end: message `i` is written
/// to the log `delay_ms` (virtual) milliseconds after the call, each by a
/// task of its own, all waiting at the same time.
///
/// Refused: a `std::sync::MutexGuard` held across an `.await` makes the
/// task's future not `Send`, and `tokio::spawn` needs `Send` (README.md,
/// "4. A lock held across .await").
pub async fn log_when_due(messages: Vec<(String, u64)>) -> Vec<String> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for (message, delay_ms) in messages {
        let log = Arc::clone(&log);
        tasks.push(tokio::spawn(async move {
            let mut entries = log.lock().unwrap();
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            entries.push(message);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let entries = log.lock().unwrap().clone();
    entries
}
