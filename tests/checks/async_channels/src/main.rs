//! Checks of `async_channels`.
//!
//! On a current-thread tokio runtime with a paused clock: the consumer's
//! pace is virtual time, exact under any load.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use grading_kit::helpers::paused_runtime;
use grading_kit::{Outcome, expect, fail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

grading_kit::subject!();

/// The consumer takes one item every this many (virtual) ms.
const CONSUMER_MS: u64 = 10;

#[derive(Debug, Serialize, Deserialize)]
struct Produced {
    received: Vec<u32>,
    /// Items the consumer had taken when `produce` returned.
    taken_at_return: usize,
    returned_at_ms: u64,
}

/// Runs `produce` into a channel of `capacity` read by a slow consumer.
fn run_produce(items: &[u32], capacity: usize) -> Produced {
    paused_runtime().block_on(async {
        let (sender, mut receiver) = mpsc::channel(capacity);
        let taken = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&taken);
        let consumer = tokio::spawn(async move {
            let mut received = Vec::new();
            loop {
                tokio::time::sleep(Duration::from_millis(CONSUMER_MS)).await;
                match receiver.recv().await {
                    Some(item) => {
                        received.push(item);
                        counted.fetch_add(1, Ordering::SeqCst);
                    }
                    None => return received,
                }
            }
        });
        let start = Instant::now();
        subject::produce(items.to_vec(), sender).await;
        let returned_at_ms = start.elapsed().as_millis() as u64;
        let taken_at_return = taken.load(Ordering::SeqCst);
        let received = consumer.await.expect("the check's consumer does not panic");
        Produced { received, taken_at_return, returned_at_ms }
    })
}

fn judge_produce(items: &[u32], capacity: usize, seen: Produced) -> Outcome {
    if seen.received != items {
        return fail(format!(
            "the consumer received {:?}, but {items:?} was produced: items were lost or reordered. `try_send` \
             gives up when the channel is full; `sender.send(item).await` waits for room.",
            seen.received
        ));
    }
    let waiting = items.len() - seen.taken_at_return;
    expect(
        waiting <= capacity,
        format!(
            "produce returned at {} ms with {waiting} of its {} items not yet taken, though the channel holds \
             {capacity}: they were parked somewhere else (a task per send, an unbounded buffer), so nothing held \
             the producer back. Await each `send` in turn: it waits while the channel is full.",
            seen.returned_at_ms,
            items.len()
        ),
    )
}

#[derive(Debug, Serialize, Deserialize)]
struct Counted {
    /// Each client's replies, in the order it asked.
    replies: Vec<Vec<u64>>,
    final_total: u64,
}

/// Runs the learner's counter task with clients that each add their
/// amounts one after another, all clients at the same time.
fn run_counter(clients: &[Vec<u64>]) -> Counted {
    paused_runtime().block_on(async {
        let (requests, inbox) = mpsc::channel(4);
        let counter = tokio::spawn(subject::counter(inbox));
        let tasks: Vec<_> = clients
            .iter()
            .cloned()
            .map(|amounts| {
                let requests = requests.clone();
                tokio::spawn(async move {
                    let mut replies = Vec::new();
                    for amount in amounts {
                        replies.push(subject::add(&requests, amount).await);
                    }
                    replies
                })
            })
            .collect();
        drop(requests);
        let mut replies = Vec::new();
        for task in tasks {
            replies.push(task.await.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic())));
        }
        let final_total = counter.await.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
        Counted { replies, final_total }
    })
}

fn judge_counter(clients: &[Vec<u64>], seen: Counted) -> Outcome {
    let sum: u64 = clients.iter().flatten().sum();
    expect(
        seen.final_total == sum,
        format!("the amounts add up to {sum}, but the counter task ended with {}", seen.final_total),
    )?;
    // Served one at a time, the replies are the running totals: sorted,
    // each step up is one request's amount.
    let mut totals: Vec<u64> = seen.replies.iter().flatten().copied().collect();
    totals.sort_unstable();
    let mut steps: BTreeMap<u64, usize> = BTreeMap::new();
    let mut before = 0;
    for &total in &totals {
        *steps.entry(total.wrapping_sub(before)).or_default() += 1;
        before = total;
    }
    let mut amounts: BTreeMap<u64, usize> = BTreeMap::new();
    for &amount in clients.iter().flatten() {
        *amounts.entry(amount).or_default() += 1;
    }
    expect(
        steps == amounts,
        format!(
            "the replies {:?} are not the running totals of the additions: each reply must be the total *after* \
             that request's amount was added (add, then reply on the `oneshot`).",
            seen.replies
        ),
    )
}

/// How long (virtual ms) a subscriber waits, at each event, for every
/// subscriber to have received it too.
const MEETING_MS: u64 = 1_000;

/// One call of the check's `handle`: which subscriber, its how-manyth
/// event, the event, how many subscribers had received their event of that
/// number when it stopped waiting, and whether it ran in a spawned task.
#[derive(Debug, Serialize, Deserialize)]
struct Handled {
    subscriber: usize,
    nth: usize,
    event: u32,
    met: usize,
    in_task: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct Broadcast {
    received: Vec<Vec<u32>>,
    handled: Vec<Handled>,
    /// Distinct spawned tasks that called `handle`.
    handling_tasks: usize,
    returned_at_ms: u64,
}

/// Runs `broadcast_all` with a `handle` that makes each subscriber, at its
/// n-th event, wait until every subscriber has received its n-th event
/// (at most [`MEETING_MS`] of the runtime's paused clock). Subscribers in
/// tasks of their own all meet at once; subscribers read one after another
/// cannot meet, and each waits out the patience, in virtual time.
fn run_broadcast(events: &[u32], subscribers: usize) -> Broadcast {
    paused_runtime().block_on(async {
        // Per n: how many subscribers have received their n-th event.
        let arrived = Arc::new(Mutex::new(Vec::<usize>::new()));
        // Per subscriber: how many events it has handled.
        let counted = Arc::new(Mutex::new(Vec::<usize>::new()));
        let handled = Arc::new(Mutex::new(Vec::new()));
        let tasks = Arc::new(Mutex::new(BTreeSet::new()));
        let news = Arc::new(Notify::new());
        let (seen, seen_tasks) = (Arc::clone(&handled), Arc::clone(&tasks));
        let handle = move |subscriber: usize, event: u32| {
            let (arrived, counted, handled, tasks, news) = (
                Arc::clone(&arrived),
                Arc::clone(&counted),
                Arc::clone(&handled),
                Arc::clone(&tasks),
                Arc::clone(&news),
            );
            async move {
                let task = tokio::task::try_id();
                if let Some(task) = task {
                    tasks.lock().unwrap().insert(task.to_string());
                }
                let nth = {
                    let mut counted = counted.lock().unwrap();
                    if counted.len() <= subscriber {
                        counted.resize(subscriber + 1, 0);
                    }
                    counted[subscriber] += 1;
                    counted[subscriber] - 1
                };
                {
                    let mut arrived = arrived.lock().unwrap();
                    if arrived.len() <= nth {
                        arrived.resize(nth + 1, 0);
                    }
                    arrived[nth] += 1;
                }
                news.notify_waiters();
                let everyone = async {
                    loop {
                        // Made before the look, so no notification is missed.
                        let notified = news.notified();
                        if arrived.lock().unwrap()[nth] >= subscribers {
                            return;
                        }
                        notified.await;
                    }
                };
                let _ = tokio::time::timeout(Duration::from_millis(MEETING_MS), everyone).await;
                let met = arrived.lock().unwrap()[nth];
                handled.lock().unwrap().push(Handled { subscriber, nth, event, met, in_task: task.is_some() });
            }
        };
        let start = Instant::now();
        let received = subject::broadcast_all(events.to_vec(), subscribers, handle).await;
        let returned_at_ms = start.elapsed().as_millis() as u64;
        let handled = std::mem::take(&mut *seen.lock().unwrap());
        let handling_tasks = seen_tasks.lock().unwrap().len();
        Broadcast { received, handled, handling_tasks, returned_at_ms }
    })
}

/// Every subscriber handled every event, in order, and at each event all
/// the subscribers met.
fn judge_side_by_side(events: &[u32], subscribers: usize, seen: Broadcast) -> Outcome {
    judge_broadcast(events, subscribers, seen.received)?;
    for subscriber in 0..subscribers {
        let handled: Vec<u32> = seen.handled.iter().filter(|h| h.subscriber == subscriber).map(|h| h.event).collect();
        expect(
            handled == events,
            format!(
                "`handle` was called for subscriber {subscriber} with {handled:?}, but it received {events:?}: each \
                 subscriber `i` awaits `handle(i, event)` for every event it receives, in order"
            ),
        )?;
    }
    if let Some(alone) = seen.handled.iter().find(|h| h.met < subscribers) {
        let why = if seen.handled.iter().any(|h| !h.in_task) {
            "the subscribers were read one after another, in `broadcast_all` itself: give each subscriber a task \
             of its own (`tokio::spawn`), so that each receives while the others wait"
                .to_string()
        } else {
            format!(
                "they ran in {} tasks, but one at a time: spawn every subscriber's task before awaiting any of them",
                seen.handling_tasks
            )
        };
        return fail(format!(
            "{subscribers} subscribers of {} events: at each event, a subscriber waited (up to {MEETING_MS} ms of \
             the runtime's clock) for every subscriber to have received that event too, and subscriber {} saw only \
             {} of {subscribers} at its event number {}; `broadcast_all` returned at {} ms instead of at once. {why}.",
            events.len(),
            alone.subscriber,
            alone.met,
            alone.nth + 1,
            seen.returned_at_ms
        ));
    }
    Ok(())
}

fn judge_broadcast(events: &[u32], subscribers: usize, received: Vec<Vec<u32>>) -> Outcome {
    if received.len() != subscribers {
        return fail(format!("{subscribers} subscribers, but {} lists of events came back", received.len()));
    }
    if let Some(index) = (0..subscribers).find(|&i| received[i] != events) {
        return fail(format!(
            "subscriber {index} received {:?} of {events:?}. A broadcast receiver gets only what is sent after it \
             subscribed, so subscribe them all before the first send (not inside the tasks, which start later); \
             and a channel with less room than the events makes slow receivers lag (`RecvError::Lagged`) and \
             miss some.",
            received[index]
        ));
    }
    Ok(())
}

/// Virtual ms to prepare a request, and to make a call.
const PREPARE_MS: u64 = 10;
const CALL_MS: u64 = 1;

/// The check's connection: a call takes `CALL_MS` and answers `request + 1`.
struct Server;

impl subject::Connection for Server {
    async fn call(&mut self, request: u64) -> u64 {
        tokio::time::sleep(Duration::from_millis(CALL_MS)).await;
        request + 1
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Called {
    answers: Vec<u64>,
    /// The most requests being prepared at once.
    most_preparing: usize,
    /// Whether some request was prepared outside any spawned task (on the
    /// caller's own future), and how many distinct tasks prepared them.
    prepared_by_caller: bool,
    preparing_tasks: usize,
    returned_at_ms: u64,
}

/// Runs `call_all` with a preparation of `PREPARE_MS` that doubles the
/// request, counting the preparations at once and the tasks they ran in.
fn run_call_all(requests: &[u64]) -> Called {
    paused_runtime().block_on(async {
        let preparing = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks = Arc::new(Mutex::new(Vec::new()));
        let (counted, noted, seen) = (Arc::clone(&preparing), Arc::clone(&most), Arc::clone(&tasks));
        let prepare = move |request: u64| {
            let (preparing, most, tasks) = (Arc::clone(&counted), Arc::clone(&noted), Arc::clone(&seen));
            async move {
                tasks.lock().unwrap().push(tokio::task::try_id());
                let now = preparing.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(PREPARE_MS)).await;
                preparing.fetch_sub(1, Ordering::SeqCst);
                request * 2
            }
        };
        let start = Instant::now();
        let answers = subject::call_all(requests.to_vec(), Server, prepare).await;
        let returned_at_ms = start.elapsed().as_millis() as u64;
        let tasks = tasks.lock().unwrap();
        Called {
            answers,
            most_preparing: most.load(Ordering::SeqCst),
            prepared_by_caller: tasks.iter().any(Option::is_none),
            preparing_tasks: tasks.iter().flatten().collect::<BTreeSet<_>>().len(),
            returned_at_ms,
        }
    })
}

fn judge_call_all(requests: &[u64], seen: Called) -> Outcome {
    let expected: Vec<u64> = requests.iter().map(|r| r * 2 + 1).collect();
    if seen.answers != expected {
        return fail(format!(
            "call_all of {requests:?} answered {:?}; each answer is the connection's answer to the prepared \
             request, {expected:?}, in the order of the requests",
            seen.answers
        ));
    }
    let n = requests.len();
    let at_once = PREPARE_MS + n as u64 * CALL_MS;
    let why = if seen.prepared_by_caller {
        "they were awaited one after another, in `call_all` itself: spawn a task per request \
         (`tokio::spawn`) so that their waits overlap"
            .to_string()
    } else {
        format!(
            "they ran in {} tasks, but one at a time: a lock held across `prepare(..).await` serialises the \
             tasks (as does awaiting each task before spawning the next). Prepare first, with no lock; then \
             lock for the call alone",
            seen.preparing_tasks
        )
    };
    expect(
        seen.most_preparing == n,
        format!(
            "{n} requests, but at most {} were being prepared at once, and the answers came at {} ms of the \
             runtime's clock ({PREPARE_MS} ms to prepare, {CALL_MS} ms a call: {at_once} ms when every request \
             is prepared at once): {why}.",
            seen.most_preparing, seen.returned_at_ms
        ),
    )?;
    expect(
        seen.returned_at_ms == at_once,
        format!(
            "the {n} requests were prepared at once, but the answers came at {} ms of the runtime's clock, not \
             {at_once} ms: each call takes {CALL_MS} ms, and only the calls need the lock",
            seen.returned_at_ms
        ),
    )
}

fn main() {
    grading_kit::checks!()
        .property(
            "produce is held back by a full channel",
            (prop::collection::vec(any::<u32>(), 0..20), 1..4usize),
            |(items, capacity)| run_produce(items, *capacity),
            |(items, capacity), seen| judge_produce(items, *capacity, seen),
        )
        .property(
            "the counter task replies with running totals",
            prop::collection::vec(prop::collection::vec(1..100u64, 1..5), 1..5),
            |clients| run_counter(clients),
            |clients, seen| judge_counter(clients, seen),
        )
        .property(
            "every subscriber gets every event",
            (prop::collection::vec(any::<u32>(), 0..20), 1..5usize),
            |(events, subscribers)| {
                paused_runtime().block_on(subject::broadcast_all(events.clone(), *subscribers, |_, _| async {}))
            },
            |(events, subscribers), received| judge_broadcast(events, *subscribers, received),
        )
        .property(
            "the subscribers receive side by side",
            (prop::collection::vec(any::<u32>(), 0..20), 1..5usize),
            |(events, subscribers)| run_broadcast(events, *subscribers),
            |(events, subscribers), seen| judge_side_by_side(events, *subscribers, seen),
        )
        .property(
            "call_all prepares every request at once, and calls one at a time",
            prop::collection::vec(0..1000u64, 1..8),
            |requests| run_call_all(requests),
            |requests, seen| judge_call_all(requests, seen),
        )
        .snapshot("a slow consumer and three subscribers", || {
            let produced = run_produce(&[1, 2, 3, 4, 5, 6], 2);
            let received = paused_runtime().block_on(subject::broadcast_all(vec![7, 8, 9], 3, |_, _| async {}));
            format!(
                "produce returned at {} ms, the consumer had taken {} of 6\nconsumer received {:?}\nsubscribers \
                 received {received:?}",
                produced.returned_at_ms, produced.taken_at_return, produced.received
            )
        })
        .main();
}
