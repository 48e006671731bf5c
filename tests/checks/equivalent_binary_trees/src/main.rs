//! Checks of `equivalent_binary_trees`.

grading_kit::subject!();

use std::any::Any;
use std::panic;
use std::sync::{Mutex, Once};
use std::thread;
use std::time::Duration;

use grading_kit::helpers::Rendezvous;
use grading_kit::{expect, expect_eq, fail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use subject::Tree;

/// A panic in a walker is caught here and explained; the kit's hook would
/// show the panic instead of the explanation, so only the stub's `todo!`
/// panics reach it.
fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let kit = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if payload_text(info.payload()).starts_with("not yet implemented") {
                kit(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

fn sorted(values: &[i64]) -> Vec<i64> {
    let mut values = values.to_vec();
    values.sort_unstable();
    values
}

fn tree(values: &[i64]) -> Tree {
    Tree::from_values(values).expect("the strategies make at least one value")
}

/// Two lists of values: often the same values in another order (another
/// shape), sometimes with one value changed, added or removed.
fn tree_pairs() -> impl Strategy<Value = (Vec<i64>, Vec<i64>)> {
    (prop::collection::vec(-20..20i64, 1..25), any::<u64>(), 0..4usize, -20..20i64).prop_map(
        |(first, seed, change, value)| {
            let mut second = first.clone();
            let mut state = seed | 1;
            for i in (1..second.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                second.swap(i, (state % (i as u64 + 1)) as usize);
            }
            match change {
                1 => second[0] = value,
                2 => second.push(value),
                3 if second.len() > 1 => {
                    second.pop();
                }
                _ => {}
            }
            (first, second)
        },
    )
}

/// `same` of the walks of two trees.
fn same_trees(t1: &Tree, t2: &Tree) -> bool {
    subject::same(|values| subject::walk(t1, values), |values| subject::walk(t2, values))
}

/// What a walk whose receiver stopped early did.
#[derive(Debug, Serialize, Deserialize)]
struct CutShort {
    /// The values the receiver took before it was dropped.
    got: Vec<i64>,
    /// The walker's panic message, if it panicked.
    panicked: Option<String>,
}

fn main() {
    grading_kit::checks!()
        .property(
            "walk sends the values in order, then closes",
            prop::collection::vec(-50..50i64, 1..40),
            |values| {
                let (sender, receiver) = crossbeam_channel::unbounded();
                subject::walk(&tree(values), sender);
                // `iter` ends only when the channel is closed.
                receiver.iter().collect::<Vec<i64>>()
            },
            |values, got| expect_eq(got, sorted(values)),
        )
        .property(
            "walk stops quietly when nobody receives any more",
            (prop::collection::vec(-50..50i64, 2..40), 0..3usize),
            |(values, wanted)| {
                quiet_panics();
                let tree = tree(values);
                let (sender, receiver) = crossbeam_channel::bounded(0);
                let (got, joined) = thread::scope(|s| {
                    let walker = s.spawn(|| subject::walk(&tree, sender));
                    let got: Vec<i64> = receiver.iter().take(*wanted).collect();
                    drop(receiver);
                    (got, walker.join())
                });
                let panicked = match joined {
                    Ok(()) => None,
                    Err(payload) => {
                        let what = payload_text(&*payload);
                        // The stub's `todo!` is reported as such, not explained.
                        if what.starts_with("not yet implemented") {
                            panic::resume_unwind(payload);
                        }
                        Some(what)
                    }
                };
                CutShort { got, panicked }
            },
            |(values, wanted), walked| {
                let wanted = *wanted;
                if let Some(what) = walked.panicked {
                    return fail(format!(
                        "walk panicked ({what}) after the receiver took {wanted} values and was dropped. \
                         That is what `same` does at the first difference. Once no receiver is left, `send` \
                         returns `Err`: stop walking then and return, instead of unwrapping it (a helper \
                         that returns `Result<(), SendError<i64>>` can stop with `?`)."
                    ));
                }
                expect_eq(walked.got, sorted(values)[..wanted].to_vec())
            },
        )
        .property(
            "same agrees with comparing the sorted values",
            tree_pairs(),
            |(first, second)| same_trees(&tree(first), &tree(second)),
            |(first, second), got| {
                let expected = sorted(first) == sorted(second);
                expect(
                    got == expected,
                    format!(
                        "same said {got} for trees holding {:?} and {:?}. Two trees are the same when their walks \
                         give the same values one by one, and both end at the same moment: compare each pair of \
                         values as they come, not just how many there are.",
                        sorted(first),
                        sorted(second)
                    ),
                )
            },
        )
        .property_with_cases(
            "the Tour's trees",
            8,
            (1..4i64, any::<u64>(), any::<u64>()),
            |&(k, seed1, seed2)| {
                // Two trees of `k`s, then one of `k`s against one of `k + 1`s.
                let (t1, t2) = (Tree::with_seed(k, seed1), Tree::with_seed(k, seed2));
                (same_trees(&t1, &t2), same_trees(&t1, &Tree::with_seed(k + 1, seed2)))
            },
            |&(k, _, _), (same_k, same_as_next)| {
                expect(same_k, format!("same(Tree::with_seed({k}, _), another) should be true"))?;
                expect(!same_as_next, format!("same(tree of {k}s, tree of {}s) should be false", k + 1))
            },
        )
        .case(
            "same runs both walks at the same time",
            || {
                // Each walk first waits (up to a second) until both walks
                // have started, and notes how many had.
                let (t1, t2) = (Tree::with_seed(1, 1), Tree::with_seed(1, 2));
                let meeting = Rendezvous::new(2, Duration::from_secs(1));
                let seen = Mutex::new(Vec::new());
                let walk_after_meeting = |tree: &Tree, values: crossbeam_channel::Sender<i64>| {
                    // Arrive first, then note: holding the lock while
                    // waiting would keep the other walk from arriving.
                    let started = meeting.arrive();
                    seen.lock().unwrap().push(started);
                    subject::walk(tree, values)
                };
                let same = subject::same(|v| walk_after_meeting(&t1, v), |v| walk_after_meeting(&t2, v));
                (same, seen.into_inner().unwrap())
            },
            |(same, seen)| {
                expect(
                    seen == [2, 2],
                    format!(
                        "the two walks each waited for the other to start, and saw {seen:?} started: they ran one \
                         after another. Walking one tree into a `Vec` and then the other gives the right answer, \
                         but only after both whole trees were walked; run each walk on a thread of its own \
                         (`std::thread::scope`) and compare the values as they come."
                    ),
                )?;
                expect(same, "same said false for two shapes of the same ten values".to_string())
            },
        )
        .snapshot("the Tour's examples", || {
            let (sender, receiver) = crossbeam_channel::unbounded();
            subject::walk(&Tree::with_seed(1, 7), sender);
            format!(
                "walk(New(1)): {:?}\nsame(New(1), New(1)): {}\nsame(New(1), New(2)): {}",
                receiver.iter().collect::<Vec<i64>>(),
                same_trees(&Tree::with_seed(1, 7), &Tree::with_seed(1, 8)),
                same_trees(&Tree::with_seed(1, 7), &Tree::with_seed(2, 8)),
            )
        })
        .main();
}
