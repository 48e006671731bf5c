//! Reference solution of `bounded_backpressure`.

use std::thread;

/// A producer thread sends `items` through a channel of `capacity`; the
/// calling thread consumes them in order.
///
/// `bounded(capacity)` is what makes this backpressure: `send` blocks while
/// the channel holds `capacity` items, so the producer can only run as far
/// ahead as the buffer allows. With `bounded(0)` a send completes only when
/// the receiver takes the item. A scoped thread lets the producer borrow
/// nothing it does not own and be joined before we return.
pub fn produce_consume<T, I, C>(capacity: usize, items: I, mut consume: C)
where
    I: IntoIterator<Item = T> + Send,
    T: Send,
    C: FnMut(T),
{
    let (sender, receiver) = crossbeam_channel::bounded(capacity);
    thread::scope(|scope| {
        scope.spawn(move || {
            for item in items {
                // Fails only when the receiver is gone, which it is not
                // while this scope runs; stop sending if it ever is.
                if sender.send(item).is_err() {
                    break;
                }
            }
            // `sender` is dropped here: the channel closes, and the loop
            // below ends after the last item.
        });
        for item in receiver {
            consume(item);
        }
    });
}
