//! Checks of `select_first`.

grading_kit::subject!();

use std::thread;
use std::time::Duration;

use crossbeam_channel::Receiver;
use grading_kit::helpers::Rendezvous;
use grading_kit::{expect, expect_eq};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// A channel that carries `values`, tagged with `source`, and then closes.
/// With no delay, everything is sent and the channel closed before this
/// returns; with a delay, a thread sends them later.
fn feed(source: usize, values: Vec<u32>, delay_ms: u64) -> Receiver<(usize, u32)> {
    let (sender, receiver) = crossbeam_channel::unbounded();
    let send_all = move || values.into_iter().for_each(|v| sender.send((source, v)).unwrap());
    if delay_ms == 0 {
        send_all();
    } else {
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(delay_ms));
            send_all();
        });
    }
    receiver
}

/// Every message of every input came out, each input's in its own order.
fn judge(inputs: &[Vec<u32>], merged: &[(usize, u32)]) -> Result<(), TestCaseError> {
    let sent: usize = inputs.iter().map(Vec::len).sum();
    expect(
        merged.len() >= sent,
        format!(
            "{} of the {sent} messages sent were lost: the merge returned before every channel was closed. \
             A closed channel is always ready, so its `recv` fails at once; that says \"this one is done\", \
             not \"all are done\". Take the closed channel out of the select (swap it for `never()`, or \
             `Select::remove` it) and keep receiving until every channel is closed.",
            sent - merged.len()
        ),
    )?;
    let per_source: Vec<Vec<u32>> =
        (0..inputs.len()).map(|s| merged.iter().filter(|m| m.0 == s).map(|m| m.1).collect()).collect();
    expect_eq(per_source.as_slice(), inputs)
}

/// A channel of the checks: messages tagged with their channel's number.
type Tagged = Receiver<(usize, u32)>;

/// Channels that can only be merged by receiving from whichever is ready:
/// each sends its first message through a zero-capacity channel (the send
/// returns once the merge has taken it), then waits (up to a second) until
/// every channel's first message has been taken, then sends its second and
/// closes. A merge that empties one channel before it looks at the next
/// leaves the first channel waiting for the others.
fn interlocked(k: usize) -> (Vec<Tagged>, Vec<thread::JoinHandle<usize>>) {
    let meeting = Rendezvous::new(k, Duration::from_secs(1));
    (0..k)
        .map(|source| {
            let (sender, receiver) = crossbeam_channel::bounded(0);
            let meeting = meeting.clone();
            let feeder = thread::spawn(move || {
                let _ = sender.send((source, 0));
                let seen = meeting.arrive();
                let _ = sender.send((source, 1));
                seen
            });
            (receiver, feeder)
        })
        .unzip()
}

/// What a merge of [`interlocked`] channels did: the messages, and how many
/// first messages each channel saw taken when it stopped waiting.
type Interlocked = (Vec<(usize, u32)>, Vec<usize>);

fn merged_interlocked(k: usize, merge: impl FnOnce(Vec<Tagged>) -> Vec<(usize, u32)>) -> Interlocked {
    let (receivers, feeders) = interlocked(k);
    let merged = merge(receivers);
    (merged, feeders.into_iter().map(|f| f.join().expect("a feeder never panics")).collect())
}

fn judge_interlocked(function: &str, k: usize, (merged, seen): Interlocked) -> Result<(), TestCaseError> {
    expect(
        seen.iter().all(|&s| s == k),
        format!(
            "{function} got {k} channels that each send a message, then wait until every channel's first message \
             has been taken before they send their second and close. Each saw {seen:?} taken: {function} emptied \
             one channel before it looked at the next, so it received one channel after another. Wait on all of \
             them at once (`select!`, or `Select` for many) and take from whichever is ready."
        ),
    )?;
    judge(&vec![vec![0, 1]; k], &merged)
}

fn values() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(0..100u32, 0..8)
}

fn main() {
    grading_kit::checks!()
        .property(
            "merge keeps receiving after one channel closes",
            (values(), values(), any::<bool>()),
            |(left, right, right_is_late): &(Vec<u32>, Vec<u32>, bool)| {
                // One channel is closed before the merge starts; the other
                // sends a few milliseconds later.
                let (left_delay, right_delay) = if *right_is_late { (0, 3) } else { (3, 0) };
                subject::merge(feed(0, left.clone(), left_delay), feed(1, right.clone(), right_delay))
            },
            |(left, right, _), merged| judge(&[left.clone(), right.clone()], &merged),
        )
        .property(
            "merge_all keeps receiving until every channel closes",
            prop::collection::vec((values(), 0..4u64), 0..6),
            |inputs: &Vec<(Vec<u32>, u64)>| {
                let receivers = inputs.iter().enumerate().map(|(s, (v, delay))| feed(s, v.clone(), *delay)).collect();
                subject::merge_all(receivers)
            },
            |inputs, merged| {
                let values: Vec<Vec<u32>> = inputs.iter().map(|(v, _)| v.clone()).collect();
                judge(&values, &merged)
            },
        )
        .case(
            "merge takes from whichever channel is ready",
            || {
                merged_interlocked(2, |mut r| {
                    let right = r.pop().expect("two channels");
                    subject::merge(r.pop().expect("two channels"), right)
                })
            },
            |merged| judge_interlocked("merge", 2, merged),
        )
        .case(
            "merge_all takes from whichever channel is ready",
            || merged_interlocked(3, subject::merge_all),
            |merged| judge_interlocked("merge_all", 3, merged),
        )
        .snapshot("three channels, one closed empty", || {
            let inputs = [vec![1, 2, 3], vec![], vec![10, 20]];
            let receivers = inputs.iter().enumerate().map(|(s, v)| feed(s, v.clone(), s as u64)).collect();
            let merged = subject::merge_all(receivers);
            (0..inputs.len())
                .map(|s| {
                    let got: Vec<u32> = merged.iter().filter(|m| m.0 == s).map(|m| m.1).collect();
                    format!("channel {s}: {got:?}\n")
                })
                .collect()
        })
        .main();
}
