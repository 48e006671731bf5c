//! Scenarios for schedule exploration: small, so that the explorer can try
//! thousands of interleavings of them (see `grading_kit::Checks::explore`).
//! In the exploration build `course_sync::task` is shuttle's executor, which
//! may switch tasks at every lock and every `.await` that waits: the orders
//! a multi-threaded runtime can produce, not only a current-thread one's.

use course_sync::{Arc, task};

use crate::FakePayments;
use crate::subject::{Outcome, Request, Theatre, book_all};

/// Two customers want the one seat, on two tasks: exactly one gets it, and
/// only that one is charged, in every interleaving.
pub fn two_customers_one_seat() {
    let theatre = Arc::new(Theatre::new(1));
    let payments = Arc::new(FakePayments::new(&[(1, 1), (2, 1)]));
    let requests = vec![Request { customer: 1, seat: 0 }, Request { customer: 2, seat: 0 }];
    let outcomes = task::block_on(book_all(Arc::clone(&theatre), Arc::clone(&payments), requests));
    let booked: Vec<u32> =
        [1, 2].into_iter().zip(&outcomes).filter(|&(_, o)| *o == Outcome::Booked).map(|(c, _)| c).collect();
    let owner = theatre.owners()[0];
    let charged = payments.charged();
    assert!(
        booked.len() < 2,
        "customers 1 and 2 were both told `Booked` for the one seat (it ended with {owner:?}), and charged \
         {charged:?}: each task looked, saw the seat free, and the other task claimed it before this one did. \
         Between two lock sections another task can run, even with no `.await` between them: look and claim \
         under one lock guard."
    );
    assert!(booked.len() == 1, "nobody got the free seat: outcomes {outcomes:?}");
    assert!(owner == Some(booked[0]), "customer {} was told `Booked`, but the seat is {owner:?}", booked[0]);
    let expected = std::collections::BTreeMap::from([(booked[0], 1)]);
    assert!(charged == expected, "charges {charged:?}: only customer {}, once, should have paid", booked[0]);
}
