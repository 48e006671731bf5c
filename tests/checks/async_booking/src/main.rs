//! Checks of `async_booking`.
//!
//! Bookings run on a current-thread runtime (`course_sync::task::block_on`):
//! tasks take turns, in a deterministic order, and give way only where an
//! awaited future is not ready. The fake payments make each charge wait a
//! given number of turns (`yield_now`), count the charges in flight, and
//! record who paid. The exploration check runs the same code under shuttle,
//! which also switches tasks between two lock sections.

grading_kit::subject!();

mod scenarios;

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use course_sync::{Arc, task};
use grading_kit::{Outcome, expect, expect_eq, fail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use subject::{Payments, Request, Theatre};

/// Payments that take `delays[customer]` turns each, and keep count.
struct FakePayments {
    delays: HashMap<u32, usize>,
    charged: Mutex<BTreeMap<u32, usize>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

impl FakePayments {
    /// `(customer, turns)` pairs.
    fn new(delays: &[(u32, usize)]) -> Self {
        FakePayments {
            delays: delays.iter().copied().collect(),
            charged: Mutex::default(),
            in_flight: AtomicUsize::new(0),
            most_in_flight: AtomicUsize::new(0),
        }
    }

    /// How many times each customer was charged.
    fn charged(&self) -> BTreeMap<u32, usize> {
        self.charged.lock().unwrap_or_else(|poison| poison.into_inner()).clone()
    }
}

impl Payments for FakePayments {
    async fn charge(&self, customer: u32) {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_in_flight.fetch_max(now, Ordering::SeqCst);
        for _ in 0..self.delays.get(&customer).copied().unwrap_or(1) {
            task::yield_now().await;
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        *self.charged.lock().unwrap_or_else(|poison| poison.into_inner()).entry(customer).or_default() += 1;
    }
}

/// A show: a number of seats, and requests of `(seat, turns the payment
/// takes)`; the customer of request `i` is `i + 1`.
type Show = (usize, Vec<(usize, usize)>);

fn shows() -> impl Strategy<Value = Show> {
    (1..5usize).prop_flat_map(|seats| (Just(seats), prop::collection::vec((0..seats, 0..4usize), 0..12)))
}

fn requests(show: &Show) -> Vec<Request> {
    (1..).zip(&show.1).map(|(customer, &(seat, _))| Request { customer, seat }).collect()
}

fn payments(show: &Show) -> Arc<FakePayments> {
    let delays: Vec<(u32, usize)> = (1..).zip(&show.1).map(|(customer, &(_, turns))| (customer, turns)).collect();
    Arc::new(FakePayments::new(&delays))
}

/// What a show came to: who was told `Booked`, who has each seat, who paid,
/// and the most charges in flight at once.
#[derive(Debug, Serialize, Deserialize)]
struct Observed {
    booked: Vec<bool>,
    owners: Vec<Option<u32>>,
    charged: BTreeMap<u32, usize>,
    most_in_flight: usize,
}

fn observe(theatre: &Theatre, payments: &FakePayments, outcomes: Vec<subject::Outcome>) -> Observed {
    Observed {
        booked: outcomes.into_iter().map(|o| o == subject::Outcome::Booked).collect(),
        owners: theatre.owners(),
        charged: payments.charged(),
        most_in_flight: payments.most_in_flight.load(Ordering::SeqCst),
    }
}

/// The requests booked one after another by the check itself.
fn one_at_a_time(show: &Show) -> Observed {
    let theatre = Theatre::new(show.0);
    let payments = payments(show);
    let outcomes = task::block_on(async {
        let mut outcomes = Vec::new();
        for request in requests(show) {
            outcomes.push(theatre.book(&*payments, request).await);
        }
        outcomes
    });
    observe(&theatre, &payments, outcomes)
}

/// The requests booked by the learner's `book_all`.
fn all_at_once(show: &Show) -> Observed {
    let theatre = Arc::new(Theatre::new(show.0));
    let payments = payments(show);
    let outcomes = task::block_on(subject::book_all(Arc::clone(&theatre), Arc::clone(&payments), requests(show)));
    observe(&theatre, &payments, outcomes)
}

/// The sequential model: the first request for a seat gets it.
fn oracle(show: &Show) -> (Vec<bool>, Vec<Option<u32>>) {
    let mut owners = vec![None; show.0];
    let booked = (1..)
        .zip(&show.1)
        .map(|(customer, &(seat, _))| {
            let free = owners[seat].is_none();
            if free {
                owners[seat] = Some(customer);
            }
            free
        })
        .collect();
    (booked, owners)
}

/// Whoever was told `Booked` paid once; nobody else paid.
fn only_the_booked_paid(show: &Show, seen: &Observed) -> Outcome {
    let expected: BTreeMap<u32, usize> = (1..).zip(&seen.booked).filter(|&(_, &b)| b).map(|(c, _)| (c, 1)).collect();
    for (customer, &times) in &seen.charged {
        let seat = show.1[*customer as usize - 1].0;
        match expected.get(customer) {
            None => {
                return fail(format!(
                    "customer {customer} was charged {times} time(s) for seat {seat}, but was not told `Booked`: \
                     charge only a customer whose claim on the seat succeeded"
                ));
            }
            Some(_) if times > 1 => return fail(format!("customer {customer} was charged {times} times for one seat")),
            Some(_) => {}
        }
    }
    let unpaid: Vec<u32> = expected.keys().filter(|c| !seen.charged.contains_key(c)).copied().collect();
    expect(unpaid.is_empty(), format!("customers {unpaid:?} were told `Booked` but never charged"))
}

fn judge_one_at_a_time(show: &Show, seen: Observed) -> Outcome {
    let (booked, owners) = oracle(show);
    expect_eq((seen.booked.clone(), seen.owners.clone()), (booked, owners))?;
    only_the_booked_paid(show, &seen)
}

fn judge_all_at_once(show: &Show, seen: Observed) -> Outcome {
    expect_eq(seen.booked.len(), show.1.len())?;
    for seat in 0..show.0 {
        let wanted: Vec<u32> = (1..).zip(&show.1).filter(|&(_, r)| r.0 == seat).map(|(c, _)| c).collect();
        let told: Vec<u32> = wanted.iter().copied().filter(|&c| seen.booked[c as usize - 1]).collect();
        let owner = seen.owners[seat];
        if told.len() > 1 {
            return fail(format!(
                "customers {told:?} were all told `Booked` for seat {seat}, which ended with customer {owner:?}; \
                 paid: {:?}. Each found the seat free, and another booking ran between that look and the claim: \
                 while a booking awaits, other tasks run. Look and claim under one lock guard, and await the \
                 charge only once the seat is yours.",
                seen.charged
            ));
        }
        match (told.first(), owner) {
            (None, None) if wanted.is_empty() => {}
            (None, _) => {
                return fail(format!(
                    "seat {seat} was wanted by customers {wanted:?}; it ended with {owner:?}, and none of them was \
                     told `Booked`: the first to claim it gets it"
                ));
            }
            (Some(&customer), owner) if owner != Some(customer) => {
                return fail(format!(
                    "customer {customer} was told `Booked` for seat {seat}, but the seat ended with {owner:?}: \
                     a later claim overwrote theirs"
                ));
            }
            _ => {}
        }
    }
    only_the_booked_paid(show, &seen)
}

/// Six customers, six seats, payments of three turns each.
fn six_seats() -> Show {
    (6, (0..6).map(|seat| (seat, 3)).collect())
}

fn main() {
    grading_kit::checks!()
        .property("one booking at a time: like the sequential model", shows(), one_at_a_time, judge_one_at_a_time)
        .property("bookings at once: one customer per seat, only they pay", shows(), all_at_once, judge_all_at_once)
        .case(
            "six customers for six seats pay at the same time",
            || all_at_once(&six_seats()),
            |seen| {
                let most_in_flight = seen.most_in_flight;
                judge_all_at_once(&six_seats(), seen)?;
                expect(
                    most_in_flight >= 2,
                    format!(
                        "at most {} charge was in flight at once, for six customers booking six different seats: \
                         the bookings ran one after another. Spawn every booking first (`task::spawn`), then \
                         await the handles; and drop the seats' guard before awaiting the charge.",
                        most_in_flight
                    ),
                )
            },
        )
        .snapshot("a small show", || {
            // No two requests of a round want the same seat: the output does
            // not depend on the order the tasks run in.
            let theatre = Arc::new(Theatre::new(4));
            let payments = Arc::new(FakePayments::new(&[(1, 2), (2, 1), (3, 3), (4, 1), (5, 2)]));
            let round = |requests: Vec<(u32, usize)>| {
                let requests = requests.into_iter().map(|(customer, seat)| Request { customer, seat }).collect();
                task::block_on(subject::book_all(Arc::clone(&theatre), Arc::clone(&payments), requests))
            };
            let first = round(vec![(1, 0), (2, 2), (3, 1)]);
            let second = round(vec![(4, 2), (5, 3)]);
            format!(
                "first round: {first:?}\nsecond round: {second:?}\nseats: {:?}\npaid: {:?}\n",
                theatre.owners(),
                payments.charged()
            )
        })
        .explore("one seat, two customers: one booking in any interleaving", scenarios::two_customers_one_seat)
        .main();
}
