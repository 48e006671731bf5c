//! Reference solution of `atomic_counter`.

use course_sync::atomic::{AtomicUsize, Ordering};
use course_sync::thread;

/// A counter that many threads may increment at the same time.
#[derive(Debug, Default)]
pub struct Counter {
    count: AtomicUsize,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter { count: AtomicUsize::new(0) }
    }

    /// Adds one to the count.
    ///
    /// `fetch_add` reads, adds and writes as one indivisible step, so two
    /// threads can never both read the same old value. `Relaxed` is enough:
    /// the count guards no other data, and `join` orders the final read
    /// after every increment.
    pub fn increment(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// The count now.
    pub fn get(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }
}

/// Counts the items of every stream, each stream on a thread of its own,
/// all into one shared counter, and returns the final count.
///
/// The threads borrow the counter from this stack frame: a scope joins them
/// all before it returns, so no `Arc` is needed. Each thread takes its
/// stream by value (`move`), and a reference to the counter with it.
pub fn count_concurrently<S>(streams: Vec<S>) -> usize
where
    S: IntoIterator + Send,
{
    let counter = Counter::new();
    thread::scope(|scope| {
        for stream in streams {
            let counter = &counter;
            scope.spawn(move || {
                for _ in stream {
                    counter.increment();
                }
            });
        }
    });
    counter.get()
}
