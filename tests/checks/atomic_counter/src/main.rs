//! Checks of `atomic_counter`.

grading_kit::subject!();

mod scenarios;

use std::thread;

use grading_kit::{expect, expect_eq};
use proptest::test_runner::TestCaseError;

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

/// Each count of several attempts must be `threads * per_thread`; the first
/// that is not is the one reported.
fn every_count_exact(counts: &[usize], threads: usize, per_thread: usize) -> Result<(), TestCaseError> {
    expect(counts.len() == ATTEMPTS, format!("{} counts came back for {ATTEMPTS} attempts", counts.len()))?;
    for &got in counts {
        expect(got == threads * per_thread, lost_message(threads, per_thread, got))?;
    }
    Ok(())
}

fn main() {
    grading_kit::checks!()
        .property(
            "one thread counts exactly",
            0..2000usize,
            |&n| {
                let counter = subject::Counter::new();
                for _ in 0..n {
                    counter.increment();
                }
                counter.get()
            },
            |&n, count| expect_eq(count, n),
        )
        .case(
            "no increment is lost under contention",
            || (0..ATTEMPTS).map(|_| hammer(THREADS, PER_THREAD)).collect::<Vec<usize>>(),
            |counts| every_count_exact(&counts, THREADS, PER_THREAD),
        )
        .case(
            "count_concurrently loses nothing",
            || (0..ATTEMPTS).map(|_| subject::count_concurrently(THREADS, PER_THREAD)).collect::<Vec<usize>>(),
            |counts| every_count_exact(&counts, THREADS, PER_THREAD),
        )
        .property(
            "count_concurrently counts threads x increments",
            (0..8usize, 0..3000usize),
            |&(threads, per_thread)| subject::count_concurrently(threads, per_thread),
            |&(threads, per_thread), got| expect(got == threads * per_thread, lost_message(threads, per_thread, got)),
        )
        .explore("no increment is lost in any interleaving", scenarios::two_by_two)
        .main();
}
