//! Checks of `memory_ordering`.
//!
//! Ordinary checks on std's threads; then, in the exploration build, two
//! scenarios under loom, which explores weak memory orderings (a relaxed
//! publication passes every ordinary run on x86; loom finds the read that
//! sees the flag without the value).

grading_kit::subject!();

mod scenarios;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use grading_kit::{expect, expect_eq};

/// Threads and takes of the contention case.
const THREADS: usize = 4;
const TICKETS: usize = 20_000;

fn main() {
    grading_kit::checks!()
        .property(
            "one thread takes exactly the tickets there are",
            (0..200usize, 0..50usize),
            |&(count, extra)| {
                let tickets = subject::Tickets::new(count);
                let taken: Vec<bool> = (0..count + extra).map(|_| tickets.take()).collect();
                (taken, tickets.left())
            },
            |&(count, extra), (taken, left)| {
                let expected: Vec<bool> = (0..count + extra).map(|i| i < count).collect();
                expect(
                    taken == expected,
                    format!(
                        "with {count} tickets, {} takes in a row should succeed {count} times and then fail, but \
                         {} succeeded",
                        count + extra,
                        taken.iter().filter(|&&t| t).count()
                    ),
                )?;
                expect_eq(left, 0)
            },
        )
        .case(
            "threads racing for tickets take each one once",
            || {
                let tickets = subject::Tickets::new(TICKETS);
                let taken = AtomicUsize::new(0);
                thread::scope(|scope| {
                    for _ in 0..THREADS {
                        scope.spawn(|| {
                            while tickets.take() {
                                taken.fetch_add(1, Ordering::Relaxed);
                            }
                        });
                    }
                });
                (taken.into_inner(), tickets.left())
            },
            |(taken, left)| {
                expect(
                    taken == TICKETS && left == 0,
                    format!(
                        "{THREADS} threads took {taken} of {TICKETS} tickets, and {left} are left: a ticket was \
                         sold twice or lost. The check and the change must be one step (`compare_exchange`)"
                    ),
                )
            },
        )
        .property(
            "a mailbox is empty until published, then holds the value",
            0..u64::MAX,
            |&value| {
                let mailbox = subject::Mailbox::new();
                let before = mailbox.read();
                mailbox.publish(value);
                (before, mailbox.read(), mailbox.read())
            },
            |&value, seen| expect_eq(seen, (None, Some(value), Some(value))),
        )
        .case(
            "settings load once, however many threads ask at once",
            || {
                let settings = subject::Settings::new();
                let loads = AtomicUsize::new(0);
                let seen: Vec<Vec<String>> = thread::scope(|scope| {
                    let handles: Vec<_> = (0..THREADS)
                        .map(|i| {
                            let (settings, loads) = (&settings, &loads);
                            scope.spawn(move || {
                                settings
                                    .get(|| {
                                        loads.fetch_add(1, Ordering::SeqCst);
                                        thread::sleep(std::time::Duration::from_millis(20));
                                        vec![format!("loaded by thread {i}")]
                                    })
                                    .to_vec()
                            })
                        })
                        .collect();
                    handles.into_iter().map(|h| h.join().unwrap()).collect()
                });
                (loads.into_inner(), seen)
            },
            |(loads, seen)| {
                expect(loads == 1, format!("{THREADS} threads asked at once and the settings were loaded {loads} times: load once (`OnceLock::get_or_init`)"))?;
                expect(
                    seen.windows(2).all(|w| w[0] == w[1]) && seen.len() == THREADS,
                    format!("the threads got different settings: {seen:?}"),
                )
            },
        )
        .explore("the ready flag brings the value, under every ordering loom allows", scenarios::flag_brings_the_value)
        .explore("one ticket, two takers: exactly one gets it", scenarios::one_ticket_two_takers)
        .main();
}
