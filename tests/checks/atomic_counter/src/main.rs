//! Checks of `atomic_counter`.

grading_kit::subject!();

mod scenarios;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use grading_kit::helpers::Rendezvous;
use grading_kit::{expect, expect_eq, fail, within};
use proptest::test_runner::TestCaseError;
use serde::{Deserialize, Serialize};

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

/// `threads` streams of `per_thread` items each.
fn streams(threads: usize, per_thread: usize) -> Vec<std::ops::Range<usize>> {
    vec![0..per_thread; threads]
}

/// Streams of `streams are counted at the same time`, and how long each
/// waits for the others before its first item.
const MEETING: usize = 3;
const MEETING_ITEMS: usize = 1000;
const PATIENCE: Duration = Duration::from_secs(2);

/// A stream that, before its first item, waits (at most [`PATIENCE`])
/// until every stream of the meeting has started, and notes how many had.
struct Meeting {
    rendezvous: Rendezvous,
    seen: Arc<Mutex<Vec<usize>>>,
    caller: ThreadId,
    on_caller: Arc<AtomicUsize>,
    started: bool,
    left: usize,
}

impl Iterator for Meeting {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if !self.started {
            self.started = true;
            if thread::current().id() == self.caller {
                self.on_caller.fetch_add(1, Ordering::SeqCst);
            }
            let met = self.rendezvous.arrive();
            self.seen.lock().unwrap().push(met);
        }
        self.left = self.left.checked_sub(1)?;
        Some(self.left)
    }
}

/// What `streams are counted at the same time` saw: the count, how many
/// streams had started when each stopped waiting, and how many were read
/// on the thread that called `count_concurrently`.
#[derive(Debug, Serialize, Deserialize)]
struct Met {
    count: usize,
    seen: Vec<usize>,
    on_caller: usize,
}

/// The learner's half of `streams are counted at the same time`.
fn meeting() -> Option<Met> {
    let rendezvous = Rendezvous::new(MEETING, PATIENCE);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let on_caller = Arc::new(AtomicUsize::new(0));
    let (seen_after, on_caller_after) = (Arc::clone(&seen), Arc::clone(&on_caller));
    // Streams read one by one wait in turn: (MEETING - 1) x PATIENCE.
    let count = within(PATIENCE * (MEETING as u32 + 1), move || {
        let caller = thread::current().id();
        let streams = (0..MEETING)
            .map(|_| Meeting {
                rendezvous: rendezvous.clone(),
                seen: Arc::clone(&seen),
                caller,
                on_caller: Arc::clone(&on_caller),
                started: false,
                left: MEETING_ITEMS,
            })
            .collect();
        subject::count_concurrently(streams)
    })?;
    let seen = seen_after.lock().unwrap().clone();
    Some(Met { count, seen, on_caller: on_caller_after.load(Ordering::SeqCst) })
}

fn judge_meeting(met: Option<Met>) -> Result<(), TestCaseError> {
    let Some(Met { count, seen, on_caller }) = met else {
        return fail(format!(
            "`count_concurrently` of {MEETING} streams had not returned after {:?}",
            PATIENCE * (MEETING as u32 + 1)
        ));
    };
    expect(count == MEETING * MEETING_ITEMS, lost_message(MEETING, MEETING_ITEMS, count))?;
    if seen.len() == MEETING && seen.iter().all(|&s| s == MEETING) {
        return Ok(());
    }
    if on_caller > 0 {
        return fail(format!(
            "`count_concurrently` read {on_caller} of its {MEETING} streams itself, on the calling thread, one after \
             another: each stream waited {PATIENCE:?}, before its first item, for the others to start, and saw \
             {seen:?} started. The count is right, but nothing ran concurrently: start one thread per stream \
             (`thread::scope` and `s.spawn`), all sharing the one `Counter`."
        ));
    }
    fail(format!(
        "{MEETING} streams each waited {PATIENCE:?}, before their first item, for the others to start, and saw \
         {seen:?} started: the threads ran one at a time. Spawn every thread first and let the scope join them \
         at its end; do not join each thread before spawning the next."
    ))
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
            || (0..ATTEMPTS).map(|_| subject::count_concurrently(streams(THREADS, PER_THREAD))).collect::<Vec<usize>>(),
            |counts| every_count_exact(&counts, THREADS, PER_THREAD),
        )
        .property(
            "count_concurrently counts every item of every stream",
            (0..8usize, 0..3000usize),
            |&(threads, per_thread)| subject::count_concurrently(streams(threads, per_thread)),
            |&(threads, per_thread), got| expect(got == threads * per_thread, lost_message(threads, per_thread, got)),
        )
        .case("streams are counted at the same time", meeting, judge_meeting)
        .explore("no increment is lost in any interleaving", scenarios::two_by_two)
        .main();
}
