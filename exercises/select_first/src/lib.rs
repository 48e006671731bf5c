//! Select first: receive from whichever channel is ready, until all are
//! closed. Read `README.md` in this folder first.

use crossbeam_channel::Receiver;

/// Receives from `left` and `right`, whichever has a message first, until
/// **both** are closed, and returns every message in the order received.
///
/// Use `crossbeam_channel::select!`. A closed channel is always "ready" (its
/// receive returns `Err` at once), so once one side is closed, stop
/// selecting on it, and keep receiving from the other.
///
/// ```no_run
/// let (a, left) = crossbeam_channel::unbounded();
/// let (b, right) = crossbeam_channel::unbounded();
/// a.send(1).unwrap();
/// b.send(2).unwrap();
/// drop((a, b));
/// let mut merged = select_first::merge(left, right);
/// merged.sort();
/// assert_eq!(merged, vec![1, 2]);
/// ```
pub fn merge<T>(left: Receiver<T>, right: Receiver<T>) -> Vec<T> {
    todo!("select! over both receivers until both are closed")
}

/// Like [`merge`], for any number of receivers: receives from whichever is
/// ready until every one of them is closed.
///
/// `select!` needs its cases written out; for a number of channels known
/// only at run time, use `crossbeam_channel::Select`, and `remove` a
/// channel from it once it is closed.
pub fn merge_all<T>(inputs: Vec<Receiver<T>>) -> Vec<T> {
    todo!("a Select over all {} receivers, removing each one as it closes", inputs.len())
}
