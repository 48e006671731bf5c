//! Checks of `bounded_buffer`.

grading_kit::subject!();

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq, fail, within};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde::{Deserialize, Serialize};
use subject::BoundedBuffer;

const PATIENCE: Duration = Duration::from_secs(2);

fn stuck(what: &str) -> String {
    format!(
        "{what}, and a thread was still waiting seconds later. Every change must wake a thread that waits for it: after `push`, \
         notify `not_empty` (a consumer may go on); after `pop`, notify `not_full` (a producer may go on). A notify \
         on the other condition variable wakes nobody who cares."
    )
}

/// Producers push `(producer, seq)`; consumers pop their share. What each
/// consumer got, in order, and the largest `len()` any consumer saw.
fn exchange(
    capacity: usize,
    producers: usize,
    consumers: usize,
    per_producer: usize,
) -> (Vec<Vec<(usize, usize)>>, usize) {
    let buffer = BoundedBuffer::new(capacity);
    let most = AtomicUsize::new(0);
    let total = producers * per_producer;
    thread::scope(|s| {
        for p in 0..producers {
            let buffer = &buffer;
            s.spawn(move || (0..per_producer).for_each(|seq| buffer.push((p, seq))));
        }
        let takers: Vec<_> = (0..consumers)
            .map(|c| {
                let (buffer, most) = (&buffer, &most);
                let share = total / consumers + usize::from(c < total % consumers);
                s.spawn(move || {
                    (0..share)
                        .map(|_| {
                            let item = buffer.pop();
                            most.fetch_max(buffer.len(), Ordering::SeqCst);
                            item
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let got = takers.into_iter().map(|t| t.join().unwrap()).collect();
        (got, most.load(Ordering::SeqCst))
    })
}

/// What a full buffer did with one more `push`.
#[derive(Debug, Serialize, Deserialize)]
enum FullPush {
    /// Pushing `capacity` items into an empty buffer got stuck.
    FillStuck,
    /// The extra `push` returned although the buffer was full; it then held
    /// `len` items.
    DidNotWait { len: usize },
    /// The extra `push` waited; then a `pop` returned `popped`, and the
    /// waiting push returned (`Some(true)`), panicked (`Some(false)`) or was
    /// still waiting (`None`).
    Waited { popped: usize, woke: Option<bool> },
}

impl FullPush {
    /// Whether a thread was left waiting: nothing after it is tried.
    fn stuck(&self) -> bool {
        matches!(self, FullPush::FillStuck | FullPush::Waited { woke: None, .. })
    }
}

/// Fills a buffer of `capacity`, then pushes one more item and pops one.
fn full_push(capacity: usize) -> FullPush {
    let buffer = Arc::new(BoundedBuffer::new(capacity));
    let filler = Arc::clone(&buffer);
    if within(PATIENCE, move || (0..capacity).for_each(|i| filler.push(i))).is_none() {
        return FullPush::FillStuck;
    }
    let pushed = Arc::new(AtomicBool::new(false));
    let (pusher_buffer, pusher_pushed) = (Arc::clone(&buffer), Arc::clone(&pushed));
    let pusher = thread::spawn(move || {
        pusher_buffer.push(capacity);
        pusher_pushed.store(true, Ordering::SeqCst);
    });
    thread::sleep(Duration::from_millis(50));
    if pushed.load(Ordering::SeqCst) {
        return FullPush::DidNotWait { len: buffer.len() };
    }
    let popped = buffer.pop();
    let woke = within(PATIENCE, move || pusher.join().is_ok());
    FullPush::Waited { popped, woke }
}

/// A full buffer of `capacity` makes `push` wait, and a `pop` wakes it.
fn push_waits(capacity: usize, observed: FullPush) -> Result<(), TestCaseError> {
    match observed {
        FullPush::FillStuck => fail("pushing `capacity` items into an empty buffer got stuck"),
        FullPush::DidNotWait { len } => fail(format!(
            "a buffer of capacity {capacity} already held {capacity} items, and `push` still added one (it \
             holds {len} now). `push` must wait while the buffer is full: that wait is what slows a fast \
             producer down to its consumers' pace."
        )),
        FullPush::Waited { popped, woke } => {
            expect_eq(popped, 0)?;
            expect(woke == Some(true), stuck("a producer waited for room; a `pop` made room"))
        }
    }
}

/// What each consumer got, in order, and the largest `len()` any consumer
/// saw; `None` if the exchange got stuck.
type Exchange = Option<(Vec<Vec<(usize, usize)>>, usize)>;

/// Producers and consumers exchange items: all arrive once, in order per producer.
fn check_exchange(
    (capacity, producers, consumers): (usize, usize, usize),
    per_producer: usize,
    observed: Exchange,
) -> Result<(), TestCaseError> {
    let Some((got, most)) = observed else {
        return fail(stuck(&format!(
            "{producers} producers and {consumers} consumers exchanged items through a buffer of {capacity}"
        )));
    };
    expect(
        most <= capacity,
        format!("a consumer saw {most} items in a buffer of capacity {capacity}: `push` must wait while it is full"),
    )?;
    for (c, items) in got.iter().enumerate() {
        for p in 0..producers {
            let seqs: Vec<usize> = items.iter().filter(|i| i.0 == p).map(|i| i.1).collect();
            expect(
                seqs.windows(2).all(|w| w[0] < w[1]),
                format!(
                    "consumer {c} got producer {p}'s items out of order: {seqs:?}. The buffer is first in, first \
                     out: push to the back, pop from the front"
                ),
            )?;
        }
    }
    let mut all: Vec<(usize, usize)> = got.into_iter().flatten().collect();
    all.sort();
    let expected: Vec<(usize, usize)> = (0..producers).flat_map(|p| (0..per_producer).map(move |s| (p, s))).collect();
    expect(all == expected, "the items taken out are not exactly the items put in: some were lost or taken twice")
}

/// The capacities at which a full buffer's `push` is tried.
const FULL_CAPACITIES: [usize; 3] = [1, 2, 4];
/// How many items each producer pushes in the exchanges.
const PER_PRODUCER: usize = 300;

/// Every mix of 1 to 3 producers and consumers and capacities 1 to 3:
/// `(capacity, producers, consumers)`.
fn mixes() -> impl Iterator<Item = (usize, usize, usize)> {
    (1..=3).flat_map(|capacity| (1..=3).flat_map(move |producers| (1..=3).map(move |c| (capacity, producers, c))))
}

/// What one thread saw pushing items and popping them again.
#[derive(Debug, Serialize, Deserialize)]
struct OneThread {
    /// `len()` after the pushes.
    len: usize,
    /// `is_empty()` after the pops.
    empty: bool,
    /// What the pops returned.
    out: Vec<u16>,
}

/// What an empty buffer did with a `pop`.
#[derive(Debug, Serialize, Deserialize)]
struct EmptyPop {
    /// Whether `pop` had returned before anything was pushed.
    returned_early: bool,
    /// What it returned once an item was pushed: `None` if it was still
    /// waiting, `Some(None)` if it panicked.
    got: Option<Option<u32>>,
}

fn main() {
    grading_kit::checks!()
        .property_with_cases(
            "one thread: first in, first out",
            16,
            (1..6usize, prop::collection::vec(any::<u16>(), 0..6)),
            |(capacity, items): &(usize, Vec<u16>)| {
                let (capacity, items): (usize, Vec<u16>) = (*capacity, items.iter().copied().take(*capacity).collect());
                within(PATIENCE, move || {
                    let buffer = BoundedBuffer::new(capacity);
                    items.iter().for_each(|&i| buffer.push(i));
                    let len = buffer.len();
                    let out: Vec<u16> = (0..items.len()).map(|_| buffer.pop()).collect();
                    OneThread { len, empty: buffer.is_empty(), out }
                })
            },
            |(capacity, items), observed| {
                let items: Vec<u16> = items.iter().copied().take(*capacity).collect();
                let Some(OneThread { len, empty, out }) = observed else {
                    return fail(stuck("pushing at most `capacity` items and popping them again got stuck"));
                };
                expect(len == items.len() && empty, "`len` must count the items in the buffer")?;
                expect_eq(out, items)
            },
        )
        .case(
            "push waits while the buffer is full",
            || {
                // Fixed sizes, one case: a stuck buffer is found once, not
                // again and again by shrinking. After a stuck one, threads
                // are left waiting: the larger sizes are not tried.
                let mut observed = Vec::new();
                for capacity in FULL_CAPACITIES {
                    let push = full_push(capacity);
                    let stuck = push.stuck();
                    observed.push(push);
                    if stuck {
                        break;
                    }
                }
                observed
            },
            |observed| {
                let tried = observed.len();
                FULL_CAPACITIES
                    .into_iter()
                    .zip(observed)
                    .try_for_each(|(capacity, push)| push_waits(capacity, push))?;
                expect(
                    tried == FULL_CAPACITIES.len(),
                    format!("{tried} of the {} capacities were tried", FULL_CAPACITIES.len()),
                )
            },
        )
        .case(
            "pop waits while the buffer is empty",
            || {
                let buffer = Arc::new(BoundedBuffer::new(3));
                let popper_buffer = Arc::clone(&buffer);
                let popper = thread::spawn(move || popper_buffer.pop());
                thread::sleep(Duration::from_millis(30));
                let returned_early = popper.is_finished();
                buffer.push(42u32);
                let got = within(PATIENCE, move || popper.join().ok());
                EmptyPop { returned_early, got }
            },
            |EmptyPop { returned_early, got }| {
                expect(!returned_early, "`pop` on an empty buffer returned: it must wait until an item is pushed")?;
                let Some(got) = got else {
                    return fail(stuck("a consumer waited for an item; a `push` added one"));
                };
                expect_eq(got, Some(42))
            },
        )
        .case(
            "producers and consumers: nothing lost, nothing twice, order kept",
            || {
                // Every mix in one case: a stuck run is reported once, and
                // the mixes after it are not tried.
                let mut observed = Vec::new();
                for (capacity, producers, consumers) in mixes() {
                    let exchanged = within(PATIENCE, move || exchange(capacity, producers, consumers, PER_PRODUCER));
                    let stuck = exchanged.is_none();
                    observed.push(exchanged);
                    if stuck {
                        break;
                    }
                }
                observed
            },
            |observed| {
                let tried = observed.len();
                mixes().zip(observed).try_for_each(|(mix, exchanged)| check_exchange(mix, PER_PRODUCER, exchanged))?;
                let mixes = mixes().count();
                expect(tried == mixes, format!("{tried} of the {mixes} mixes of producers and consumers were tried"))
            },
        )
        .main();
}
