//! Checks of `non_blocking`.
//!
//! Every call runs on a thread of the check's and gets 500 ms: code that
//! blocks is reported as blocking, with the case that made it block,
//! instead of hanging the check.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::time::Duration;

use grading_kit::{expect, expect_eq, within};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// How long a call may take before it counts as blocked: a non-blocking
/// call returns in microseconds, even on a busy machine.
const BLOCKED_AFTER: Duration = Duration::from_millis(500);

/// `publish_all` into a buffer of `capacity` that already holds `queued`
/// events, with nobody receiving: what it dropped, and what the buffer holds.
fn publish_case(capacity: usize, queued: usize, events: usize) -> Result<(), TestCaseError> {
    let (buffer, receiver) = crossbeam_channel::bounded(capacity);
    (0..queued).for_each(|i| buffer.send(i).unwrap());
    let offered: Vec<usize> = (100..100 + events).collect();
    let sent = offered.clone();
    let dropped = within(BLOCKED_AFTER, move || subject::publish_all(sent, &buffer));
    let case = format!("a buffer of {capacity} that holds {queued} already, {events} events offered");
    let Some(dropped) = dropped else {
        return expect(
            false,
            format!(
                "publish_all blocked ({case}, nobody receiving): a blocking `send` waits for room that never \
                 comes. Use `try_send`, and keep the event it hands back in `Err(TrySendError::Full(event))`."
            ),
        );
    };
    let free = capacity - queued;
    let (fits, rest) = offered.split_at(free.min(events));
    let held: Vec<usize> = receiver.try_iter().collect();
    expect_eq((held, dropped), ((0..queued).chain(fits.iter().copied()).collect(), rest.to_vec()))
}

fn main() {
    grading_kit::checks!("non_blocking")
        .property_with_cases("publish_all drops what does not fit, without waiting", 1, Just(3usize), |largest| {
            for capacity in 1..=largest {
                for queued in 0..=capacity {
                    for events in 0..=4 {
                        publish_case(capacity, queued, events)?;
                    }
                }
            }
            Ok(())
        })
        .property_with_cases("publish_all drops everything when nobody receives", 1, Just(3usize), |events| {
            let (buffer, receiver) = crossbeam_channel::bounded(8);
            drop(receiver);
            let dropped = within(BLOCKED_AFTER, move || subject::publish_all((0..events).collect(), &buffer));
            expect_eq(dropped, Some((0..events).collect()))
        })
        .property("drain takes what is waiting, in order, and returns", 0..6usize, |waiting| {
            // The check keeps a sender alive: more could come, but drain
            // must not wait for it.
            let (sender, buffer) = crossbeam_channel::unbounded();
            (0..waiting).for_each(|i| sender.send(i).unwrap());
            let left = buffer.clone();
            let Some(drained) = within(BLOCKED_AFTER, move || subject::drain(&buffer)) else {
                return expect(
                    false,
                    format!(
                        "drain blocked with {waiting} messages waiting and a sender still alive: a blocking \
                         `recv` (or `iter()`) waits for more. Use `try_recv` (or `try_iter()`), which stops \
                         when nothing is there."
                    ),
                );
            };
            expect_eq((drained, left.len()), ((0..waiting).collect(), 0))?;
            drop(sender);
            Ok(())
        })
        .property("latest keeps the newest of what is waiting", 0..6usize, |waiting| {
            let (sender, mailbox) = crossbeam_channel::unbounded();
            (0..waiting).for_each(|i| sender.send(i).unwrap());
            let left = mailbox.clone();
            let Some(newest) = within(BLOCKED_AFTER, move || subject::latest(&mailbox)) else {
                return expect(
                    false,
                    format!(
                        "latest blocked with {waiting} messages waiting and a sender still alive: it must take \
                         what is there now (`try_recv` or `try_iter()`), not wait for more."
                    ),
                );
            };
            expect_eq((newest, left.len()), (waiting.checked_sub(1), 0))?;
            drop(sender);
            Ok(())
        })
        .snapshot("a buffer of three", || {
            let story = within(BLOCKED_AFTER, || {
                let (buffer, events) = crossbeam_channel::bounded(3);
                let dropped = subject::publish_all(vec!["a", "b", "c", "d", "e"], &buffer);
                let mut story = format!("offered a b c d e, dropped {dropped:?}\n");
                story.push_str(&format!("latest: {:?}\n", subject::latest(&events)));
                story.push_str(&format!("then dropped {:?}\n", subject::publish_all(vec!["f", "g"], &buffer)));
                story.push_str(&format!("drained {:?}\n", subject::drain(&events)));
                story.push_str(&format!("drained again {:?}\n", subject::drain(&events)));
                story
            });
            story.unwrap_or_else(|| "blocked".to_string())
        })
        .main();
}
