//! Async booking: tasks that share seats, and a payment awaited in the
//! middle.

use std::future::Future;

use course_sync::task;
use course_sync::{Arc, Mutex};

/// `customer` wants seat number `seat` (always a seat of the theatre).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    pub customer: u32,
    pub seat: usize,
}

/// What a booking came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The seat is the customer's, and they were charged for it.
    Booked,
    /// Someone else has the seat; the customer was not charged.
    Taken,
}

/// Takes payments.
pub trait Payments: Send + Sync + 'static {
    /// Charges `customer` the price of one seat.
    fn charge(&self, customer: u32) -> impl Future<Output = ()> + Send;
}

/// The seats of a theatre: `None` while free, then the customer who has it.
#[derive(Debug)]
pub struct Theatre {
    seats: Mutex<Vec<Option<u32>>>,
}

impl Theatre {
    /// A theatre of `seats` free seats.
    pub fn new(seats: usize) -> Self {
        Theatre { seats: Mutex::new(vec![None; seats]) }
    }

    /// Books the seat if it is free, and charges for it; says which.
    ///
    /// The look and the claim are one critical section with no `.await`
    /// in it: what the look saw is still true when the claim is made. The
    /// charge is awaited after the guard is gone, so that other bookings
    /// (of other seats) go on meanwhile; the seat is already ours, so
    /// nothing they do can change the answer.
    pub async fn book<P: Payments>(&self, payments: &P, request: Request) -> Outcome {
        {
            let mut seats = self.seats.lock().expect("no booking panics while it holds the seats");
            let seat = &mut seats[request.seat];
            if seat.is_some() {
                return Outcome::Taken;
            }
            *seat = Some(request.customer);
        }
        payments.charge(request.customer).await;
        Outcome::Booked
    }

    /// Who has each seat now (`None`: free).
    pub fn owners(&self) -> Vec<Option<u32>> {
        self.seats.lock().expect("no booking panics while it holds the seats").clone()
    }
}

/// Books every request on a task of its own, all at once; the outcomes in
/// the order of `requests`.
///
/// Every task is spawned before the first handle is awaited: awaiting
/// each booking as it is made would run them one after another.
pub async fn book_all<P: Payments>(theatre: Arc<Theatre>, payments: Arc<P>, requests: Vec<Request>) -> Vec<Outcome> {
    let handles: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let (theatre, payments) = (Arc::clone(&theatre), Arc::clone(&payments));
            task::spawn(async move { theatre.book(&*payments, request).await })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(handles.len());
    for handle in handles {
        outcomes.push(handle.await.expect("a booking task panicked"));
    }
    outcomes
}
