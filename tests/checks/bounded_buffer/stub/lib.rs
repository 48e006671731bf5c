//! Producers and consumers over a bounded buffer: a Mutex and two Condvars.
//! Read `README.md` in this folder first.

use std::collections::VecDeque;

use course_sync::{Condvar, Mutex};

/// A first-in, first-out buffer of at most `capacity` items, shared by
/// producer and consumer threads (Go's `make(chan T, capacity)`).
#[derive(Debug)]
pub struct BoundedBuffer<T> {
    capacity: usize,
    items: Mutex<VecDeque<T>>,
    /// Signalled when an item is taken out: a producer may have room now.
    not_full: Condvar,
    /// Signalled when an item is put in: a consumer may have work now.
    not_empty: Condvar,
}

impl<T> BoundedBuffer<T> {
    /// An empty buffer for at most `capacity` items (at least 1).
    pub fn new(capacity: usize) -> Self {
        todo!("an empty buffer of capacity {capacity}")
    }

    /// Appends `item`, first waiting (blocked) as long as the buffer holds
    /// `capacity` items.
    pub fn push(&self, item: T) {
        todo!("wait while full, push to the back, wake a consumer")
    }

    /// Takes the oldest item out, first waiting (blocked) as long as the
    /// buffer is empty.
    pub fn pop(&self) -> T {
        todo!("wait while empty, pop from the front, wake a producer")
    }

    /// How many items the buffer holds now.
    pub fn len(&self) -> usize {
        todo!("the number of items")
    }

    /// Whether the buffer holds no items now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
