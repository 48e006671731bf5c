//! Checks of `atomic_counter`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

mod scenarios;

use std::thread;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;

/// Threads and increments of the contention check: enough that on two cores
/// a read-then-write increment loses updates in every attempt we measured.
const THREADS: usize = 4;
const PER_THREAD: usize = 200_000;
const ATTEMPTS: usize = 5;

fn lost_message(threads: usize, per_thread: usize, got: usize) -> String {
    let expected = threads * per_thread;
    format!(
        "{threads} threads x {per_thread} increments should count {expected}, but the counter says {got}: \
         {} increments were lost. Reading the count and then storing it plus one is two steps; another thread \
         can increment in between, and its increment is overwritten. Make the read-add-write one indivisible \
         step: `fetch_add(1, ...)`.",
        expected as isize - got as isize
    )
}

/// One shared `Counter`, hammered by the check's own threads.
fn hammer(threads: usize, per_thread: usize) -> usize {
    let counter = subject::Counter::new();
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..per_thread {
                    counter.increment();
                }
            });
        }
    });
    counter.get()
}

fn main() {
    grading_kit::checks!("atomic_counter")
        .property("one thread counts exactly", 0..2000usize, |n| {
            let counter = subject::Counter::new();
            for _ in 0..n {
                counter.increment();
            }
            expect_eq(counter.get(), n)
        })
        .property_with_cases("no increment is lost under contention", 1, Just(ATTEMPTS), |attempts| {
            for _ in 0..attempts {
                let got = hammer(THREADS, PER_THREAD);
                expect(got == THREADS * PER_THREAD, lost_message(THREADS, PER_THREAD, got))?;
            }
            Ok(())
        })
        .property_with_cases("count_concurrently loses nothing", 1, Just(ATTEMPTS), |attempts| {
            for _ in 0..attempts {
                let got = subject::count_concurrently(THREADS, PER_THREAD);
                expect(got == THREADS * PER_THREAD, lost_message(THREADS, PER_THREAD, got))?;
            }
            Ok(())
        })
        .property(
            "count_concurrently counts threads x increments",
            (0..8usize, 0..3000usize),
            |(threads, per_thread)| {
                let got = subject::count_concurrently(threads, per_thread);
                expect(got == threads * per_thread, lost_message(threads, per_thread, got))
            },
        )
        .explore("no increment is lost in any interleaving", scenarios::two_by_two)
        .main();
}
