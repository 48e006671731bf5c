//! Async booking: tasks that share seats, and a payment awaited in the
//! middle. Read `README.md` in this folder first.

use std::future::Future;

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

/// Takes payments. The checks supply a fake one whose charges may take a while
/// (they wait, giving way to other tasks) and which counts who was charged.
pub trait Payments: Send + Sync + 'static {
    /// Charges `customer` the price of one seat. It always succeeds, often
    /// not at once: other tasks run while it is awaited.
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
        todo!("{seats} free seats behind a course_sync::Mutex")
    }

    /// Books `request.seat` for `request.customer`: if the seat is free, it
    /// becomes the customer's, the customer is charged (`payments.charge`),
    /// and the answer is `Booked`; otherwise nothing changes, nobody is
    /// charged, and the answer is `Taken`.
    ///
    /// However many bookings run at once, a seat goes to one customer only,
    /// and a customer is charged only for a seat they got.
    pub async fn book<P: Payments>(&self, payments: &P, request: Request) -> Outcome {
        todo!("decide and claim {request:?} under one lock guard, then await the charge")
    }

    /// Who has each seat now (`None`: free).
    pub fn owners(&self) -> Vec<Option<u32>> {
        todo!("copy the seats out")
    }
}

/// Books every request on a task of its own (`course_sync::task::spawn`, each task with
/// clones of the two `Arc`s), all at the same time, and returns the
/// outcomes in the order of `requests`.
pub async fn book_all<P: Payments>(theatre: Arc<Theatre>, payments: Arc<P>, requests: Vec<Request>) -> Vec<Outcome> {
    todo!("spawn one task per request ({} of them), then await each handle in order", requests.len())
}
