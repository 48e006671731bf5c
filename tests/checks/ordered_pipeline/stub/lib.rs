//! Ordered pipeline: work on items in parallel, hand them on in order.
//! Read `README.md` in this folder first.

use crossbeam_channel::{Receiver, Sender};

/// Applies `work` to every item received on `input`, on `workers` threads
/// at once (`workers` is at least 1), and sends the results on `output` **in
/// the order the items came in**, each as soon as it and all before it
/// are done. Returns once `input` is closed and every result is sent, with
/// every thread it started joined.
///
/// - tag each item with its sequence number before it goes to a worker;
/// - results come back in the order they finish: hold the early ones in a
///   reorder buffer until the one before them has been sent;
/// - keep memory bounded: at most `2 * workers` items may be taken from
///   `input` and not yet sent on `output`. Stop taking input while that
///   many are in the pipeline.
///
/// ```no_run
/// let (send, input) = crossbeam_channel::unbounded();
/// let (output, results) = crossbeam_channel::unbounded();
/// (1..=4u64).for_each(|n| send.send(n).unwrap());
/// drop(send);
/// ordered_pipeline::ordered_map(input, 2, |n| n * 10, output);
/// assert_eq!(results.try_iter().collect::<Vec<_>>(), vec![10, 20, 30, 40]);
/// ```
pub fn ordered_map<T, U, F>(input: Receiver<T>, workers: usize, work: F, output: Sender<U>)
where
    T: Send + 'static,
    U: Send + 'static,
    F: Fn(T) -> U + Send + Sync + 'static,
{
    todo!("number the items, {workers} workers, a reorder buffer, at most {} in flight", 2 * workers)
}
