//! Checks of `concurrency_vs_parallelism`.
//!
//! The same program, the learner's `run_in_tasks`, runs twice over: pinned
//! to one core, where it must still be concurrent (every piece on a thread
//! of its own, all under way at once, the right answer), and on all cores,
//! where it must also be parallel (a measured speedup).

grading_kit::subject!();

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;
use std::sync::Mutex;
use std::thread::{self, ThreadId};
use std::time::Duration;

use grading_kit::helpers::{Rendezvous, SeededRng};
use grading_kit::{Outcome, Speedup, expect, expect_eq};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// Tasks in the rendezvous case.
const MEETING: usize = 4;

/// How long each task waits for the others in the rendezvous case: plenty
/// for threads that take turns on one core, and short enough that tasks run
/// one by one fail in a few seconds.
const PATIENCE: Duration = Duration::from_millis(500);

/// Numbers per speedup pair: some 60 ms of Collatz steps, serially, on a
/// 2-core virtual machine. (Twice as many measured no steadier: 20 idle
/// runs of the solution, S 1.49–1.93 against 1.50–1.95.)
const SPEEDUP_NUMBERS: u64 = 150_000;

/// The trusted split, the same as the stub's `pieces`.
fn oracle_pieces(numbers: &Range<u64>, tasks: usize) -> Vec<Range<u64>> {
    let len = u128::from(numbers.end.saturating_sub(numbers.start));
    let bound = |i: usize| numbers.start + (len * i as u128 / tasks as u128) as u64;
    (0..tasks).map(|i| bound(i)..bound(i + 1)).collect()
}

/// The sum of the numbers of `range`.
fn range_sum(range: &Range<u64>) -> u64 {
    range.clone().sum()
}

/// Steps of the Collatz sequence from `n` down to 1. Below 10^9 no sequence
/// climbs past 2^63, so the arithmetic never overflows.
fn collatz(mut n: u64) -> u64 {
    let mut steps = 0;
    while n > 1 {
        n = if n.is_multiple_of(2) { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

/// The speedup's work: the Collatz steps of every number of a range.
fn collatz_steps(range: Range<u64>) -> u64 {
    range.map(collatz).sum()
}

/// Pins the calling thread to the core it is on. Threads it spawns from
/// then on inherit the pin: the program runs on one core, as Go's does
/// with `GOMAXPROCS=1`. Returns whether the pin took.
#[cfg(target_os = "linux")]
fn pin_to_one_core() -> bool {
    // SAFETY: two system calls about the calling thread, with a cpu set
    // that lives on this stack for the duration of the call.
    unsafe {
        let cpu = libc::sched_getcpu();
        if cpu < 0 {
            return false;
        }
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu as usize, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn pin_to_one_core() -> bool {
    false
}

/// The core the calling thread is running on, where the system says.
fn current_cpu() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: a system call without arguments.
        let cpu = unsafe { libc::sched_getcpu() };
        usize::try_from(cpu).ok()
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// Runs `f` on a fresh thread pinned to one core, so that every thread the
/// learner's code starts from it is on that core too; a panic in `f` (a
/// `todo!()`) goes on up as it was.
fn on_one_core<T: Send>(f: impl FnOnce() -> T + Send) -> (T, bool) {
    thread::scope(|s| {
        s.spawn(|| {
            let pinned = pin_to_one_core();
            (f(), pinned)
        })
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// What one call of the work saw: its piece, its thread, its core, and (in
/// the rendezvous case) how many tasks had started when it stopped waiting.
struct Call {
    piece: Range<u64>,
    thread: ThreadId,
    cpu: Option<usize>,
    met: usize,
}

/// The calls of the work during one run. The work is a plain `fn`, so what
/// it notes goes here; runs of one check never overlap.
static CALLS: Mutex<Vec<Call>> = Mutex::new(Vec::new());
/// The meeting point of the rendezvous case, when one is set.
static MEETING_POINT: Mutex<Option<Rendezvous>> = Mutex::new(None);

fn note(piece: &Range<u64>, met: usize) {
    let call = Call { piece: piece.clone(), thread: thread::current().id(), cpu: current_cpu(), met };
    CALLS.lock().unwrap_or_else(|poison| poison.into_inner()).push(call);
}

/// The work of the properties: notes the call, returns the piece's sum.
fn noted_sum(piece: Range<u64>) -> u64 {
    note(&piece, 0);
    range_sum(&piece)
}

/// The work of the rendezvous case: meets the other tasks, then notes how
/// many it met.
fn meet(piece: Range<u64>) -> u64 {
    let meeting = MEETING_POINT.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
    let met = meeting.map_or(0, |m| m.arrive());
    note(&piece, met);
    met as u64
}

/// What a run on one core showed, for the judge.
#[derive(Debug, Serialize, Deserialize)]
struct OneCoreRun {
    total: u64,
    /// The pieces the work was called on, by their start.
    pieces: Vec<Range<u64>>,
    /// How many calls ran on the thread that called `run_in_tasks`.
    on_caller: usize,
    /// How many distinct threads ran the calls.
    threads: usize,
    /// How many distinct cores ran the calls (0 where unknown).
    cores: usize,
    /// Whether the pin to one core took.
    pinned: bool,
    /// For each call of the rendezvous case: how many tasks it met.
    met: Vec<usize>,
}

/// Runs `run_in_tasks(numbers, tasks, work)` on one core and gathers what
/// its calls noted.
fn run_on_one_core(numbers: Range<u64>, tasks: usize, work: subject::Work) -> OneCoreRun {
    CALLS.lock().unwrap_or_else(|poison| poison.into_inner()).clear();
    let ((total, caller), pinned) =
        on_one_core(|| (subject::run_in_tasks(numbers, tasks, work), thread::current().id()));
    let mut calls = std::mem::take(&mut *CALLS.lock().unwrap_or_else(|poison| poison.into_inner()));
    calls.sort_by_key(|c| (c.piece.start, c.piece.end));
    OneCoreRun {
        total,
        pieces: calls.iter().map(|c| c.piece.clone()).collect(),
        on_caller: calls.iter().filter(|c| c.thread == caller).count(),
        threads: calls.iter().map(|c| c.thread).collect::<HashSet<_>>().len(),
        cores: calls.iter().filter_map(|c| c.cpu).collect::<BTreeSet<_>>().len(),
        pinned,
        met: calls.iter().map(|c| c.met).collect(),
    }
}

/// Judges a run of the properties: each piece once, each on a thread of its
/// own (not the caller's), and the serial answer.
fn judge_structure(numbers: &Range<u64>, tasks: usize, run: &OneCoreRun) -> Outcome {
    let expected: Vec<Range<u64>> = oracle_pieces(numbers, tasks).into_iter().filter(|p| !p.is_empty()).collect();
    let given: Vec<Range<u64>> = run.pieces.iter().filter(|p| !p.is_empty()).cloned().collect();
    expect(
        given == expected,
        format!(
            "run_in_tasks({numbers:?}, {tasks}, work) should call `work` once on each piece of \
             `pieces({numbers:?}, {tasks})`, {expected:?}, but it was called on {given:?}. Every number \
             belongs to exactly one task: give each thread one piece."
        ),
    )?;
    expect(
        run.on_caller == 0,
        format!(
            "run_in_tasks({numbers:?}, {tasks}, work) called `work` {} time(s) on the calling thread itself: \
             that is the serial program, with no task of its own for the piece. Hand every piece to a thread \
             of its own with `std::thread::spawn(move || work(piece))`.",
            run.on_caller
        ),
    )?;
    expect(
        run.threads == given.len(),
        format!(
            "run_in_tasks({numbers:?}, {tasks}, work) ran its {} pieces on {} thread(s): each piece should be a \
             task, on a thread of its own.",
            given.len(),
            run.threads
        ),
    )?;
    expect_eq(run.total, range_sum(numbers))
}

/// A few fixed runs, told as their non-empty pieces (whether a task is
/// started for an empty piece is the learner's choice) and the total.
fn story() -> String {
    let mut out = String::new();
    for (numbers, tasks) in [(0..10, 3), (0..2, 4), (100..120, 4), (7..8, 1)] {
        let run = run_on_one_core(numbers.clone(), tasks, noted_sum);
        let pieces: Vec<&Range<u64>> = run.pieces.iter().filter(|p| !p.is_empty()).collect();
        out.push_str(&format!("run_in_tasks({numbers:?}, {tasks}): pieces {pieces:?}, total {}\n", run.total));
    }
    out
}

fn inputs() -> impl Strategy<Value = (Range<u64>, usize)> {
    (0..2000u64, 0..3000u64, 1..9usize).prop_map(|(start, len, tasks)| (start..start + len, tasks))
}

fn main() {
    grading_kit::checks!()
        .property(
            "on one core: each piece on a thread of its own, and the serial answer",
            inputs(),
            |(numbers, tasks)| run_on_one_core(numbers.clone(), *tasks, noted_sum),
            |(numbers, tasks), run: OneCoreRun| judge_structure(numbers, *tasks, &run),
        )
        .case(
            "on one core: all the tasks are under way at once (concurrency)",
            || {
                *MEETING_POINT.lock().unwrap_or_else(|poison| poison.into_inner()) =
                    Some(Rendezvous::new(MEETING, PATIENCE));
                let run = run_on_one_core(0..4000, MEETING, meet);
                *MEETING_POINT.lock().unwrap_or_else(|poison| poison.into_inner()) = None;
                run
            },
            |run: OneCoreRun| {
                let n = MEETING;
                let core = if run.pinned && run.cores == 1 {
                    "on one core".to_string()
                } else {
                    format!("on {} core(s) (the check could not pin them to one)", run.cores)
                };
                expect(
                    run.met.len() == n && run.met.iter().all(|&m| m == n),
                    format!(
                        "run_in_tasks(0..4000, {n}, work) ran {core}, and each piece's work waited for all {n} \
                         tasks to start, but they met {:?} of {n}: the tasks ran one by one. On one core the \
                         operating system still takes turns between threads that are all under way, as Go's \
                         scheduler does between goroutines with GOMAXPROCS=1: that is concurrency. Start every \
                         thread first, and only then join them; a thread joined right after it is spawned is \
                         finished before the next one exists.",
                        run.met
                    ),
                )
            },
        )
        .snapshot("a few runs", story)
        .speedup(
            "on all cores: faster than the serial program (parallelism)",
            Speedup::seeded(
                // A new stretch of numbers below 10^9 at every seed; the
                // Collatz steps cost about the same on any stretch.
                |seed| {
                    let start = 1_000_000 + SeededRng::new(seed).below(500_000_000);
                    start..start + SPEEDUP_NUMBERS
                },
                |numbers: &Range<u64>| collatz_steps(numbers.clone()),
                |numbers: &Range<u64>| subject::run_in_tasks(numbers.clone(), grading_kit::workers(), collatz_steps),
            ),
        )
        .main();
}
