//! Checks of `reusable_barrier`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

mod scenarios;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;
use subject::Barrier;

/// What a multi-round run saw.
#[derive(Debug)]
struct Run {
    /// The first time a thread, just through the barrier of round `r`, saw
    /// another thread that had not finished round `r`: (round, thread, its progress).
    behind: Option<(usize, usize, usize)>,
    /// How many `wait`s returned `true`.
    leaders: usize,
}

/// `parties` threads, `rounds` rounds: each marks its progress, waits at the
/// barrier, and looks at everyone's progress. `None` if it got stuck.
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

fn judge(parties: usize, count: usize) -> Result<(), TestCaseError> {
    let Some(run) = rounds(parties, count) else {
        return expect(
            false,
            format!(
                "{parties} threads using the barrier for {count} rounds got stuck (3 s). A thread woken from the \
                 barrier must recognise that *its* round completed even if the next round has begun: wait for a \
                 generation number to change, not for the count to reach a value."
            ),
        );
    };
    if let Some((round, other, seen)) = run.behind {
        return expect(
            false,
            format!(
                "{parties} threads, {count} rounds: a thread came through the barrier of round {round} while thread \
                 {other} had only reached round {seen}. The barrier let it through early: after a round completes, \
                 the count must start again from zero (and a generation number tells waiters which round they \
                 are in), or the next rounds are not synchronized at all."
            ),
        );
    }
    expect(
        run.leaders == count,
        format!(
            "`wait` returned `true` {} times in {count} rounds: it must return `true` for exactly one thread per round",
            run.leaders
        ),
    )
}

fn main() {
    grading_kit::checks!("reusable_barrier")
        .property_with_cases("one round", 1, Just([1usize, 2, 3, 5]), |sizes| {
            sizes.iter().try_for_each(|&parties| judge(parties, 1))
        })
        .property_with_cases(
            "no thread passes before the round is complete",
            8,
            (2..6usize, 50..300usize),
            |(parties, count)| judge(parties, count),
        )
        .property_with_cases("a barrier of one never waits", 1, Just(1000usize), |count| {
            let barrier = Barrier::new(1);
            let leaders = (0..count).filter(|_| barrier.wait()).count();
            expect_eq(leaders, count)
        })
        .explore("no thread runs ahead in any interleaving", scenarios::two_threads_three_rounds)
        .main();
}
