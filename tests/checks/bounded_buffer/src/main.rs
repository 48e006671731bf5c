//! Checks of `bounded_buffer`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq, within};
use proptest::prelude::*;
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

/// A full buffer of `capacity` makes `push` wait, and a `pop` wakes it.
fn push_waits(capacity: usize) -> Result<(), TestCaseError> {
    let buffer = Arc::new(BoundedBuffer::new(capacity));
    let filler = Arc::clone(&buffer);
    within(PATIENCE, move || (0..capacity).for_each(|i| filler.push(i)))
        .ok_or_else(|| TestCaseError::fail("pushing `capacity` items into an empty buffer got stuck"))?;
    let pushed = Arc::new(AtomicBool::new(false));
    let (pusher_buffer, pusher_pushed) = (Arc::clone(&buffer), Arc::clone(&pushed));
    let pusher = thread::spawn(move || {
        pusher_buffer.push(capacity);
        pusher_pushed.store(true, Ordering::SeqCst);
    });
    thread::sleep(Duration::from_millis(50));
    expect(
        !pushed.load(Ordering::SeqCst),
        format!(
            "a buffer of capacity {capacity} already held {capacity} items, and `push` still added one (it \
             holds {} now). `push` must wait while the buffer is full: that wait is what slows a fast \
             producer down to its consumers' pace.",
            buffer.len()
        ),
    )?;
    expect_eq(buffer.pop(), 0)?;
    let woke = within(PATIENCE, move || pusher.join().is_ok());
    expect(woke == Some(true), stuck("a producer waited for room; a `pop` made room"))
}

/// Producers and consumers exchange items: all arrive once, in order per producer.
fn check_exchange(
    capacity: usize,
    producers: usize,
    consumers: usize,
    per_producer: usize,
) -> Result<(), TestCaseError> {
    let Some((got, most)) = within(PATIENCE, move || exchange(capacity, producers, consumers, per_producer)) else {
        return expect(
            false,
            stuck(&format!(
                "{producers} producers and {consumers} consumers exchanged items through a buffer of {capacity}"
            )),
        );
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
                    "consumer {c} got producer {p}'s items out of order: {seqs:?}. The buffer is first in, first out: push to the back, pop from the front"
                ),
            )?;
        }
    }
    let mut all: Vec<(usize, usize)> = got.into_iter().flatten().collect();
    all.sort();
    let expected: Vec<(usize, usize)> = (0..producers).flat_map(|p| (0..per_producer).map(move |s| (p, s))).collect();
    expect(all == expected, "the items taken out are not exactly the items put in: some were lost or taken twice")
}

fn main() {
    grading_kit::checks!("bounded_buffer")
        .property_with_cases(
            "one thread: first in, first out",
            16,
            (1..6usize, prop::collection::vec(any::<u16>(), 0..6)),
            |(capacity, items)| {
                let items: Vec<u16> = items.into_iter().take(capacity).collect();
                let out = within(PATIENCE, move || {
                    let buffer = BoundedBuffer::new(capacity);
                    items.iter().for_each(|&i| buffer.push(i));
                    let len = buffer.len();
                    let out: Vec<u16> = (0..items.len()).map(|_| buffer.pop()).collect();
                    (len == items.len() && buffer.is_empty(), out, items)
                });
                let Some((lens_ok, out, items)) = out else {
                    return expect(false, stuck("pushing at most `capacity` items and popping them again got stuck"));
                };
                expect(lens_ok, "`len` must count the items in the buffer")?;
                expect_eq(out, items)
            },
        )
        .property_with_cases("push waits while the buffer is full", 1, Just([1usize, 2, 4]), |capacities| {
            // Fixed sizes, one case: a stuck buffer is found once, not again
            // and again by shrinking.
            capacities.iter().try_for_each(|&capacity| push_waits(capacity))
        })
        .property_with_cases("pop waits while the buffer is empty", 1, Just(3usize), |capacity| {
            let buffer = Arc::new(BoundedBuffer::new(capacity));
            let popper_buffer = Arc::clone(&buffer);
            let popper = thread::spawn(move || popper_buffer.pop());
            thread::sleep(Duration::from_millis(30));
            expect(!popper.is_finished(), "`pop` on an empty buffer returned: it must wait until an item is pushed")?;
            buffer.push(42u32);
            let got = within(PATIENCE, move || popper.join().ok());
            let Some(got) = got else {
                return expect(false, stuck("a consumer waited for an item; a `push` added one"));
            };
            expect_eq(got, Some(42))
        })
        .property_with_cases(
            "producers and consumers: nothing lost, nothing twice, order kept",
            1,
            Just(300usize),
            |per_producer| {
                // Every mix of 1 to 3 producers and consumers and capacities
                // 1 to 3, in one case: a stuck run is reported once.
                for capacity in 1..=3 {
                    for producers in 1..=3 {
                        for consumers in 1..=3 {
                            check_exchange(capacity, producers, consumers, per_producer)?;
                        }
                    }
                }
                Ok(())
            },
        )
        .main();
}
