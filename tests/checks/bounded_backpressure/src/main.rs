//! Checks of `bounded_backpressure`.

grading_kit::subject!();

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;
use std::time::{Duration, Instant};

use grading_kit::{expect, expect_eq};
use serde::{Deserialize, Serialize};

/// How far the producer got: items taken from the iterator, items handed to
/// `consume`, and the largest difference seen when an item was taken.
#[derive(Default)]
struct Counters {
    produced: AtomicUsize,
    consumed: AtomicUsize,
    max_lead: AtomicUsize,
}

/// The items `0..n`, counting each one as it is taken by the producer.
struct Instrumented {
    next: usize,
    n: usize,
    counters: Arc<Counters>,
}

impl Iterator for Instrumented {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.next == self.n {
            return None;
        }
        let produced = self.counters.produced.fetch_add(1, SeqCst) + 1;
        let lead = produced - self.counters.consumed.load(SeqCst);
        self.counters.max_lead.fetch_max(lead, SeqCst);
        self.next += 1;
        Some(self.next - 1)
    }
}

fn instrumented(n: usize) -> (Instrumented, Arc<Counters>) {
    let counters = Arc::new(Counters::default());
    (Instrumented { next: 0, n, counters: Arc::clone(&counters) }, counters)
}

/// What a slow consumer saw: the items, in the order it got them, and how
/// far ahead of it the producer got.
#[derive(Debug, Serialize, Deserialize)]
struct SlowConsumer {
    seen: Vec<usize>,
    max_lead: usize,
}

fn main() {
    grading_kit::checks!()
        .property(
            "every item is consumed, in order",
            (0..4usize, 0..100usize),
            |&(capacity, n): &(usize, usize)| {
                let mut seen = Vec::new();
                subject::produce_consume(capacity, 0..n, |item| seen.push(item));
                seen
            },
            |&(_, n), seen| expect_eq(seen, (0..n).collect()),
        )
        .property_with_cases(
            "the producer stays at most capacity items ahead",
            24,
            (0..4usize, 10..40usize),
            |&(capacity, n): &(usize, usize)| {
                let (items, counters) = instrumented(n);
                let mut seen = Vec::new();
                subject::produce_consume(capacity, items, |item| {
                    counters.consumed.fetch_add(1, SeqCst);
                    thread::sleep(Duration::from_micros(200));
                    seen.push(item);
                });
                SlowConsumer { seen, max_lead: counters.max_lead.load(SeqCst) }
            },
            |&(capacity, n), SlowConsumer { seen, max_lead: lead }| {
                expect_eq(seen, (0..n).collect())?;
                let allowed = capacity + 2;
                expect(
                    lead <= allowed,
                    format!(
                        "with capacity {capacity}, the producer got {lead} items ahead of a slow consumer; it may \
                         be at most {allowed} ahead: {capacity} waiting in the channel, one in the producer's hand \
                         and one in the consumer's. The channel never made the producer wait: is it unbounded? \
                         `crossbeam_channel::bounded(capacity)` makes `send` block while the channel is full \
                         (and `bounded(0)` makes every send wait for a receiver)."
                    ),
                )
            },
        )
        .property_with_cases(
            "the channel holds capacity items while the consumer is busy",
            4,
            0..6usize,
            |&capacity: &usize| {
                // The consumer holds on to the first item until the producer
                // has taken `capacity + 2` items: `capacity` in the channel,
                // one waiting to be sent, and the first one. What comes back
                // is how many it had taken by then.
                let (items, counters) = instrumented(capacity + 4);
                let want = capacity + 2;
                let mut reached = usize::MAX;
                subject::produce_consume(capacity, items, |item| {
                    if item == 0 {
                        let deadline = Instant::now() + Duration::from_millis(300);
                        while counters.produced.load(SeqCst) < want && Instant::now() < deadline {
                            thread::sleep(Duration::from_micros(100));
                        }
                        reached = counters.produced.load(SeqCst);
                    }
                });
                reached
            },
            |&capacity, reached| {
                let want = capacity + 2;
                expect(
                    reached > 1,
                    format!(
                        "while the consumer was busy with the first item, the producer took no other item: \
                         producer and consumer never ran at the same time. A loop that hands each item straight \
                         to `consume` is correct but has no backpressure to teach: the producer runs on a thread \
                         of its own and sends into a `bounded({capacity})` channel, and the consumer receives \
                         from it on the calling thread."
                    ),
                )?;
                expect(
                    reached >= want,
                    format!(
                        "while the consumer was busy with the first item, the producer could take only {reached} \
                         items, not {want}: a channel of capacity {capacity} should hold {capacity} items. Make \
                         the channel with exactly the capacity you were given."
                    ),
                )
            },
        )
        .main();
}
