//! Checks of `rwlock_barrier_rounds`.

grading_kit::subject!();

mod scenarios;

use std::sync::Mutex;
use std::time::Duration;

use grading_kit::helpers::Rendezvous;
use grading_kit::{Outcome, expect, within};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// Workers (and cells, one each) of the shared-read case.
const READERS: usize = 4;
/// How long each reader waits for the others at the meeting point.
const PATIENCE: Duration = Duration::from_millis(500);
/// How long a run may take before the check calls it stuck: far above what
/// a few rounds on a few cells need.
const STUCK_AFTER: Duration = Duration::from_secs(3);

/// The rule of the properties: each cell mixed with its neighbours (the
/// board wraps around), so that a cell computed from a board of the wrong
/// round, or half of one, gives another value.
fn blur(board: &[i64], i: usize) -> i64 {
    let n = board.len();
    let left = board[(i + n - 1) % n];
    let right = board[(i + 1) % n];
    (left + 2 * board[i] + 3 * right) % 1009
}

/// The trusted rounds, one cell after another, on a copy of the board.
fn oracle(board: &[i64], rounds: usize) -> Vec<i64> {
    let mut board = board.to_vec();
    for _ in 0..rounds {
        board = (0..board.len()).map(|i| blur(&board, i)).collect();
    }
    board
}

/// `run_rounds` under the check's patience: `None` when it is stuck.
fn rounds_within(board: Vec<i64>, workers: usize, rounds: usize, rule: subject::Rule) -> Option<Vec<i64>> {
    within(STUCK_AFTER, move || subject::run_rounds(board, workers, rounds, rule))
}

fn stuck(workers: usize, rounds: usize) -> String {
    format!(
        "run_rounds with {workers} worker(s) and {rounds} round(s) did not return within {} s: the workers are \
         stuck. The usual cause: a worker still holds its read guard when it reaches the barrier, or when it \
         asks for the write lock; a writer waits until every reader has let go, and a reader that waits at \
         the barrier never will. Let the read guard go (end its block) before `barrier.wait()`. A \
         `Barrier::new` with another count than the workers that wait on it never opens either.",
        STUCK_AFTER.as_secs()
    )
}

/// The meeting point of the shared-read case.
static MEETING: Mutex<Option<Rendezvous>> = Mutex::new(None);
/// How many readers each reader met.
static MET: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// The rule of the shared-read case: each cell's reader waits until all
/// have started reading.
fn meet(board: &[i64], i: usize) -> i64 {
    let meeting = MEETING.lock().unwrap_or_else(|poison| poison.into_inner()).clone();
    let met = meeting.map_or(0, |m| m.arrive());
    MET.lock().unwrap_or_else(|poison| poison.into_inner()).push(met);
    board[i] + 1
}

#[derive(Debug, Serialize, Deserialize)]
struct SharedRead {
    board: Option<Vec<i64>>,
    met: Vec<usize>,
}

fn shared_read() -> SharedRead {
    *MEETING.lock().unwrap_or_else(|poison| poison.into_inner()) = Some(Rendezvous::new(READERS, PATIENCE));
    MET.lock().unwrap_or_else(|poison| poison.into_inner()).clear();
    let board = rounds_within(vec![0; READERS], READERS, 1, meet);
    *MEETING.lock().unwrap_or_else(|poison| poison.into_inner()) = None;
    let met = std::mem::take(&mut *MET.lock().unwrap_or_else(|poison| poison.into_inner()));
    SharedRead { board, met }
}

fn judge_shared_read(run: SharedRead) -> Outcome {
    let Some(board) = run.board else {
        return grading_kit::fail(stuck(READERS, 1));
    };
    expect(
        run.met.len() == READERS && run.met.iter().all(|&m| m == READERS),
        format!(
            "{READERS} workers each read the board for one cell, and each waited, while reading, for all \
             {READERS} to be reading; they saw {:?} reading: the workers read one at a time. Readers of an \
             `RwLock` share it: `board.read()` lets every worker in at once. A `Mutex`, or `write()`, lets \
             one in at a time, as Go's `Lock` does where `RLock` would share.",
            run.met
        ),
    )?;
    expect(board == vec![1; READERS], format!("after one round of +1 on {READERS} zeros, the board is {board:?}"))
}

fn boards() -> impl Strategy<Value = (Vec<i64>, usize, usize)> {
    (prop::collection::vec(0..1000i64, 1..12), 1..6usize, 0..5usize)
}

fn story() -> String {
    let mut out = String::new();
    for (board, workers, rounds) in [(vec![1, 2, 3, 4, 5], 2, 1), (vec![1, 2, 3, 4, 5], 3, 3), (vec![7], 2, 2)] {
        let after =
            rounds_within(board.clone(), workers, rounds, blur).map_or("stuck".to_string(), |b| format!("{b:?}"));
        out.push_str(&format!("{board:?}, {workers} workers, {rounds} rounds: {after}\n"));
    }
    out
}

fn main() {
    grading_kit::checks!()
        // First: it reports a run that is stuck in its own words, where the
        // property, shrinking a stuck input, would run into the watchdog.
        .case("the workers read the board at the same time", shared_read, judge_shared_read)
        .property(
            "the same board as the rounds run one after another",
            boards(),
            |(board, workers, rounds)| rounds_within(board.clone(), *workers, *rounds, blur),
            |(board, workers, rounds), got: Option<Vec<i64>>| {
                let Some(got) = got else {
                    return grading_kit::fail(stuck(*workers, *rounds));
                };
                let expected = oracle(board, *rounds);
                expect(
                    got == expected,
                    format!(
                        "{rounds} round(s) on {board:?} with {workers} worker(s) should give {expected:?}, but \
                         gave {got:?}. Every cell of a round must be computed from the board as the round \
                         began: all workers read, then (after a barrier) all write, then (after a second \
                         barrier) the next round reads. A worker that writes while another still reads, or \
                         reads while others still write, mixes two rounds."
                    ),
                )
            },
        )
        .snapshot("a few boards", story)
        .explore("no worker ever reads a board that mixes two rounds", scenarios::two_workers_three_rounds)
        .main();
}
