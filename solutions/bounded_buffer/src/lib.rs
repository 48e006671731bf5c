//! Reference solution of `bounded_buffer`.

use std::collections::VecDeque;

use course_sync::{Condvar, Mutex};

/// A first-in, first-out buffer of at most `capacity` items.
///
/// Two condition variables, one per reason to wait: producers wait on
/// `not_full`, consumers on `not_empty`, so each change wakes only a thread
/// that it can help, and `notify_one` is enough.
#[derive(Debug)]
pub struct BoundedBuffer<T> {
    capacity: usize,
    items: Mutex<VecDeque<T>>,
    not_full: Condvar,
    not_empty: Condvar,
}

impl<T> BoundedBuffer<T> {
    /// An empty buffer for at most `capacity` items.
    pub fn new(capacity: usize) -> Self {
        BoundedBuffer {
            capacity,
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            not_full: Condvar::new(),
            not_empty: Condvar::new(),
        }
    }

    /// Appends `item`, waiting while the buffer is full.
    pub fn push(&self, item: T) {
        let items = self.items.lock().unwrap();
        let mut items = self.not_full.wait_while(items, |items| items.len() >= self.capacity).unwrap();
        items.push_back(item);
        // One new item can serve one consumer.
        self.not_empty.notify_one();
    }

    /// Takes the oldest item out, waiting while the buffer is empty.
    pub fn pop(&self) -> T {
        let items = self.items.lock().unwrap();
        let mut items = self.not_empty.wait_while(items, |items| items.is_empty()).unwrap();
        let item = items.pop_front().expect("not empty: checked under the same lock");
        // One free slot can serve one producer.
        self.not_full.notify_one();
        item
    }

    /// How many items the buffer holds now.
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    /// Whether the buffer holds no items now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
