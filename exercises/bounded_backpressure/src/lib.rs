//! Bounded backpressure: a channel with room for a few items makes a fast
//! producer wait for a slow consumer. Read `README.md` in this folder first.

/// Sends every item of `items` from a producer thread, through a channel
/// with room for `capacity` items, to `consume`, which is called on the
/// calling thread once per item, in order. Returns when every item has been
/// consumed.
///
/// While the channel is full the producer waits, so it never gets more than
/// about `capacity` items ahead of the consumer. A `capacity` of 0 makes
/// every send wait until the consumer takes the item (a rendezvous).
///
/// ```
/// let mut seen = Vec::new();
/// bounded_backpressure::produce_consume(2, 1..=5, |item| seen.push(item));
/// assert_eq!(seen, vec![1, 2, 3, 4, 5]);
/// ```
pub fn produce_consume<T, I, C>(capacity: usize, items: I, consume: C)
where
    I: IntoIterator<Item = T> + Send,
    T: Send,
    C: FnMut(T),
{
    todo!("a producer thread sending into a channel of capacity {capacity}, a consumer here")
}
