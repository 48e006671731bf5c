//! Checks of `non_blocking`.
//!
//! Every call runs on a thread of the check's and gets 500 ms: code that
//! blocks is reported as blocking, with the case that made it block,
//! instead of hanging the check.

grading_kit::subject!();

use std::time::Duration;

use grading_kit::{Outcome, expect_eq, fail, within};

/// How long a call may take before it counts as blocked: a non-blocking
/// call returns in microseconds, even on a busy machine.
const BLOCKED_AFTER: Duration = Duration::from_millis(500);

/// One case of `publish_all`: a buffer of `capacity` that already holds
/// `queued` events, and `events` more offered, with nobody receiving.
#[derive(Clone, Copy)]
struct PublishCase {
    capacity: usize,
    queued: usize,
    events: usize,
}

/// Every buffer of one to three slots, every fill, zero to four events.
fn publish_cases() -> Vec<PublishCase> {
    let mut cases = Vec::new();
    for capacity in 1..=3 {
        for queued in 0..=capacity {
            for events in 0..=4 {
                cases.push(PublishCase { capacity, queued, events });
            }
        }
    }
    cases
}

/// What the buffer holds after `publish_all`, and what it dropped; `None`
/// if it blocked.
type Published = Option<(Vec<usize>, Vec<usize>)>;

/// The learner's half: each case of [`publish_cases`] in turn, up to the
/// first that blocks (a blocked case leaves a thread behind, and every
/// later one would wait its 500 ms too).
fn publish_each() -> Vec<Published> {
    let mut outcomes = Vec::new();
    for PublishCase { capacity, queued, events } in publish_cases() {
        let (buffer, receiver) = crossbeam_channel::bounded(capacity);
        (0..queued).for_each(|i| buffer.send(i).unwrap());
        let offered: Vec<usize> = (100..100 + events).collect();
        let dropped = within(BLOCKED_AFTER, move || subject::publish_all(offered, &buffer));
        let blocked = dropped.is_none();
        outcomes.push(dropped.map(|dropped| (receiver.try_iter().collect(), dropped)));
        if blocked {
            break;
        }
    }
    outcomes
}

/// The judge's half: each case's outcome against what fits.
fn judge_published(outcomes: Vec<Published>) -> Outcome {
    for (index, PublishCase { capacity, queued, events }) in publish_cases().into_iter().enumerate() {
        let case = format!("a buffer of {capacity} that holds {queued} already, {events} events offered");
        let Some(outcome) = outcomes.get(index) else {
            return fail(format!("the check's process answered {index} cases and stopped before: {case}"));
        };
        let Some((held, dropped)) = outcome else {
            return fail(format!(
                "publish_all blocked ({case}, nobody receiving): a blocking `send` waits for room that never \
                 comes. Use `try_send`, and keep the event it hands back in `Err(TrySendError::Full(event))`."
            ));
        };
        let offered: Vec<usize> = (100..100 + events).collect();
        let free = capacity - queued;
        let (fits, rest) = offered.split_at(free.min(events));
        expect_eq((held.clone(), dropped.clone()), ((0..queued).chain(fits.iter().copied()).collect(), rest.to_vec()))?;
    }
    Ok(())
}

/// Events offered when nobody will ever receive.
const UNHEARD: usize = 3;

fn main() {
    grading_kit::checks!()
        .case("publish_all drops what does not fit, without waiting", publish_each, judge_published)
        .case(
            "publish_all drops everything when nobody receives",
            || {
                let (buffer, receiver) = crossbeam_channel::bounded(8);
                drop(receiver);
                within(BLOCKED_AFTER, move || subject::publish_all((0..UNHEARD).collect(), &buffer))
            },
            |dropped: Option<Vec<usize>>| expect_eq(dropped, Some((0..UNHEARD).collect())),
        )
        .property(
            "drain takes what is waiting, in order, and returns",
            0..6usize,
            |&waiting| {
                // The check keeps a sender alive: more could come, but drain
                // must not wait for it.
                let (sender, buffer) = crossbeam_channel::unbounded();
                (0..waiting).for_each(|i| sender.send(i).unwrap());
                let left = buffer.clone();
                let drained = within(BLOCKED_AFTER, move || subject::drain(&buffer));
                let seen = drained.map(|drained| (drained, left.len()));
                drop(sender);
                seen
            },
            |&waiting, seen: Option<(Vec<usize>, usize)>| {
                let Some(seen) = seen else {
                    return fail(format!(
                        "drain blocked with {waiting} messages waiting and a sender still alive: a blocking \
                         `recv` (or `iter()`) waits for more. Use `try_recv` (or `try_iter()`), which stops \
                         when nothing is there."
                    ));
                };
                expect_eq(seen, ((0..waiting).collect(), 0))
            },
        )
        .property(
            "latest keeps the newest of what is waiting",
            0..6usize,
            |&waiting| {
                let (sender, mailbox) = crossbeam_channel::unbounded();
                (0..waiting).for_each(|i| sender.send(i).unwrap());
                let left = mailbox.clone();
                let newest = within(BLOCKED_AFTER, move || subject::latest(&mailbox));
                let seen = newest.map(|newest| (newest, left.len()));
                drop(sender);
                seen
            },
            |&waiting, seen: Option<(Option<usize>, usize)>| {
                let Some(seen) = seen else {
                    return fail(format!(
                        "latest blocked with {waiting} messages waiting and a sender still alive: it must take \
                         what is there now (`try_recv` or `try_iter()`), not wait for more."
                    ));
                };
                expect_eq(seen, (waiting.checked_sub(1), 0))
            },
        )
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
