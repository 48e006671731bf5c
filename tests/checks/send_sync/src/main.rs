//! Checks of `send_sync`.
//!
//! The stub does not compile: the first check is the compiler's. Once it
//! builds, these check that each fixed program still does its work on
//! several threads (or tasks at once) and gets the right answer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, ThreadId};

use grading_kit::helpers::{ThreadCounter, paused_runtime};
use grading_kit::{Outcome, expect, expect_eq, fail};
use proptest::prelude::*;
use proptest::sample::subsequence;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

grading_kit::subject!();

/// What a threaded part returned, and which threads ran the check's closure.
#[derive(Debug, Serialize, Deserialize)]
struct Threaded<T> {
    answer: T,
    /// Distinct threads that called the closure.
    threads: usize,
    /// Of those, how many were still running when the function returned (the
    /// calling thread not counted).
    alive: usize,
}

/// Notes the threads that call the check's closure: the calling thread
/// apart, as it is alive when the function returns, whatever it did.
#[derive(Clone)]
struct Noter {
    caller: ThreadId,
    on_caller: Arc<AtomicBool>,
    others: ThreadCounter,
}

impl Noter {
    fn new() -> Self {
        Noter { caller: thread::current().id(), on_caller: Arc::default(), others: ThreadCounter::new() }
    }

    fn note(&self) {
        if thread::current().id() == self.caller {
            self.on_caller.store(true, Ordering::SeqCst);
        } else {
            self.others.note();
        }
    }

    fn seen<T>(&self, answer: T) -> Threaded<T> {
        let threads = self.others.distinct() + usize::from(self.on_caller.load(Ordering::SeqCst));
        Threaded { answer, threads, alive: self.others.alive() }
    }
}

fn weigh(n: u64) -> u64 {
    n * 3 + 1
}

fn keep(n: u64) -> bool {
    n.is_multiple_of(3)
}

fn score(word: &str) -> u64 {
    word.bytes().map(u64::from).sum::<u64>() % 17
}

/// `numbers` and `workers`: small, so that every case is quick.
fn numbers_and_workers() -> impl Strategy<Value = (Vec<u64>, usize)> {
    (proptest::collection::vec(0..1000u64, 0..120), 1..6usize)
}

/// The threads a part used: with two workers or more and two items or
/// more, the work must have run on at least two threads, and at most
/// `workers`, every one of them ended by the time the function returned.
fn used_threads(items: usize, workers: usize, threads: usize, alive: usize, part: &str) -> Outcome {
    if items >= 2 && workers >= 2 {
        expect(
            threads >= 2,
            format!(
                "{part} ran all its work on one thread, with {workers} workers asked for: the compiler accepts a \
                 program that does everything on the calling thread, but the lesson is to make the concurrent \
                 one compile. Keep the threads and change the type that could not cross them."
            ),
        )?;
    }
    expect(
        threads <= workers.max(1),
        format!("{part} ran the work on {threads} threads, with {workers} workers asked for: one thread per worker"),
    )?;
    expect(
        alive == 0,
        format!("{part} returned while {alive} of its threads were still running: join every thread before returning"),
    )
}

#[derive(Debug, Serialize, Deserialize)]
struct Logged {
    log: Vec<String>,
    returned_at_ms: u64,
}

/// Messages `message i` with distinct delays, in no particular order.
fn due_messages() -> impl Strategy<Value = Vec<(String, u64)>> {
    subsequence((1..=40u64).map(|d| d * 10).collect::<Vec<_>>(), 0..8)
        .prop_shuffle()
        .prop_map(|delays| delays.into_iter().enumerate().map(|(i, d)| (format!("message {i}"), d)).collect())
}

fn judge_log(messages: &[(String, u64)], seen: Logged) -> Outcome {
    let mut due = messages.to_vec();
    due.sort_by_key(|(_, delay)| *delay);
    let expected: Vec<String> = due.iter().map(|(m, _)| m.clone()).collect();
    let longest = due.last().map_or(0, |(_, d)| *d);
    if seen.log != expected {
        return fail(format!(
            "the log reads {:?}, but the messages fall due in the order {expected:?}: each task must wait for \
             its delay first and take the lock only to write. A task that holds the lock while it sleeps makes \
             every other task wait for its sleep too.",
            seen.log
        ));
    }
    expect(
        seen.returned_at_ms <= longest + 5,
        format!(
            "log_when_due returned after {} ms, though the longest delay is {longest} ms: the tasks waited one \
             after another, not at the same time. A task that holds the lock while it sleeps makes the next one \
             wait for its sleep, and tasks awaited one by one before the next is spawned wait in turn: spawn \
             them all first, then await them, and lock only to write.",
            seen.returned_at_ms
        ),
    )
}

fn main() {
    grading_kit::checks!()
        .property(
            "1. sum_weighed (Rc): the right sum, on several threads",
            numbers_and_workers(),
            |(numbers, workers)| {
                let noter = Noter::new();
                let noted = noter.clone();
                let answer = subject::sum_weighed(numbers.clone(), *workers, move |n| {
                    noted.note();
                    weigh(n)
                });
                noter.seen(answer)
            },
            |(numbers, workers), seen: Threaded<u64>| {
                expect_eq(seen.answer, numbers.iter().map(|&n| weigh(n)).sum::<u64>())?;
                used_threads(numbers.len(), *workers, seen.threads, seen.alive, "sum_weighed")
            },
        )
        .property(
            "2. count_kept (RefCell): every kept number counted, on several threads",
            numbers_and_workers(),
            |(numbers, workers)| {
                let noter = Noter::new();
                let noted = noter.clone();
                let answer = subject::count_kept(numbers.clone(), *workers, move |n| {
                    noted.note();
                    keep(n)
                });
                noter.seen(answer)
            },
            |(numbers, workers), seen: Threaded<usize>| {
                let expected = numbers.iter().filter(|&&n| keep(n)).count();
                expect(
                    seen.answer == expected,
                    format!(
                        "count_kept counted {} of {:?} kept, but {expected} are: counts were lost between threads",
                        seen.answer, numbers
                    ),
                )?;
                used_threads(numbers.len(), *workers, seen.threads, seen.alive, "count_kept")
            },
        )
        .property(
            "3. best_word (a borrowed local): the best word, on several threads",
            (proptest::collection::vec("[a-z]{1,6}", 0..40), 1..6usize),
            |(words, workers)| {
                let noter = Noter::new();
                let answer = subject::best_word(words, *workers, |w| {
                    noter.note();
                    score(w)
                });
                noter.seen(answer)
            },
            |(words, workers), seen: Threaded<Option<(u64, String)>>| {
                expect_eq(seen.answer, words.iter().map(|w| (score(w), w.clone())).max())?;
                used_threads(words.len(), *workers, seen.threads, seen.alive, "best_word")
            },
        )
        .property(
            "4. log_when_due (a lock across .await): messages in the order they fall due, waiting at once",
            due_messages(),
            |messages| {
                paused_runtime().block_on(async {
                    let start = Instant::now();
                    let log = subject::log_when_due(messages.clone()).await;
                    Logged { log, returned_at_ms: start.elapsed().as_millis() as u64 }
                })
            },
            |messages, seen| judge_log(messages, seen),
        )
        .main();
}
