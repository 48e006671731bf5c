//! Checks of `reusable_barrier`.

grading_kit::subject!();

mod scenarios;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use grading_kit::{Outcome, expect, expect_eq, fail};
use serde::{Deserialize, Serialize};
use subject::Barrier;

/// What a multi-round run saw.
#[derive(Debug, Serialize, Deserialize)]
struct Run {
    /// The first time a thread, just through the barrier of round `r`, saw
    /// another thread that had not finished round `r`: (round, thread, its progress).
    behind: Option<(usize, usize, usize)>,
    /// How many `wait`s returned `true`.
    leaders: usize,
}

/// `parties` threads, `rounds` rounds: each marks its progress, waits at the
/// barrier, and looks at everyone's progress. `None` if it got stuck (3 s).
fn rounds(parties: usize, rounds: usize) -> Option<Run> {
    let barrier = Arc::new(Barrier::new(parties));
    let progress: Arc<Vec<AtomicUsize>> = Arc::new((0..parties).map(|_| AtomicUsize::new(0)).collect());
    let behind = Arc::new(Mutex::new(None));
    let leaders = Arc::new(AtomicUsize::new(0));
    let (done, finished) = mpsc::channel();
    for me in 0..parties {
        let (barrier, progress, behind, leaders, done) =
            (Arc::clone(&barrier), Arc::clone(&progress), Arc::clone(&behind), Arc::clone(&leaders), done.clone());
        thread::spawn(move || {
            for round in 1..=rounds {
                progress[me].store(round, Ordering::SeqCst);
                if barrier.wait() {
                    leaders.fetch_add(1, Ordering::SeqCst);
                }
                for (other, p) in progress.iter().enumerate() {
                    let seen = p.load(Ordering::SeqCst);
                    if seen < round {
                        behind.lock().unwrap().get_or_insert((round, other, seen));
                    }
                }
            }
            let _ = done.send(());
        });
    }
    for _ in 0..parties {
        finished.recv_timeout(Duration::from_secs(3)).ok()?;
    }
    let behind = *behind.lock().unwrap();
    Some(Run { behind, leaders: leaders.load(Ordering::SeqCst) })
}

/// The learner's half of a check of several barrier sizes, one round each:
/// one size after another, up to the first whose threads got stuck.
fn one_round_each(sizes: &[usize]) -> Vec<Option<Run>> {
    let mut seen = Vec::new();
    for &parties in sizes {
        let run = rounds(parties, 1);
        let stuck = run.is_none();
        seen.push(run);
        if stuck {
            break;
        }
    }
    seen
}

/// The judge's half of a run of `count` rounds of `parties` threads.
fn judge(parties: usize, count: usize, run: Option<Run>) -> Outcome {
    let Some(run) = run else {
        return fail(format!(
            "{parties} threads using the barrier for {count} rounds got stuck (3 s). A thread woken from the \
                 barrier must recognise that *its* round completed even if the next round has begun: wait for a \
                 generation number to change, not for the count to reach a value."
        ));
    };
    if let Some((round, other, seen)) = run.behind {
        return fail(format!(
            "{parties} threads, {count} rounds: a thread came through the barrier of round {round} while thread \
                 {other} had only reached round {seen}. The barrier let it through early: after a round completes, \
                 the count must start again from zero (and a generation number tells waiters which round they \
                 are in), or the next rounds are not synchronized at all."
        ));
    }
    expect(
        run.leaders == count,
        format!(
            "`wait` returned `true` {} times in {count} rounds: it must return `true` for exactly one thread per round",
            run.leaders
        ),
    )
}

/// Barrier sizes tried for one round, in one case.
const ONE_ROUND: [usize; 4] = [1, 2, 3, 5];
/// `wait`s on a barrier of one, in one case.
const ALONE: usize = 1000;

fn main() {
    grading_kit::checks!()
        .case(
            "one round",
            || one_round_each(&ONE_ROUND),
            |seen: Vec<Option<Run>>| {
                let mut seen = seen.into_iter();
                for parties in ONE_ROUND {
                    let Some(run) = seen.next() else {
                        return fail(format!("the check's process stopped before the barrier of {parties}"));
                    };
                    judge(parties, 1, run)?;
                }
                Ok(())
            },
        )
        .property_with_cases(
            "no thread passes before the round is complete",
            8,
            (2..6usize, 50..300usize),
            |&(parties, count)| rounds(parties, count),
            |&(parties, count), run| judge(parties, count, run),
        )
        .case(
            "a barrier of one never waits",
            || {
                let barrier = Barrier::new(1);
                (0..ALONE).filter(|_| barrier.wait()).count()
            },
            |leaders| expect_eq(leaders, ALONE),
        )
        .explore("no thread runs ahead in any interleaving", scenarios::two_threads_three_rounds)
        .main();
}
