//! Ticker: a periodic task, driven by a clock, that stops when told to.
//! Read `README.md` in this folder first.

use crossbeam_channel::{Receiver, Sender};

/// A heartbeat: beats once every `period` (in the clock's units, `period`
/// at least 1), until it is stopped. Returns how many beats it sent.
///
/// - `clock` delivers the current time, in increasing readings (a real
///   program would take them from `crossbeam_channel::tick`; the checks
///   drive a virtual clock);
/// - beat number `k` is due at time `k * period` (`k = 1, 2, ...`): on the
///   first reading at or after a due time, send that reading on `beats`.
///   If the clock jumped over several due times at once, beat once and
///   skip the missed ones: the next beat is due at the first multiple of
///   `period` after the reading. A late beat does not push the later ones
///   back;
/// - return as soon as `stop` receives a message or is closed, or when
///   `clock` is closed. Wait on `clock` and `stop` together, with
///   `crossbeam_channel::select!`.
///
/// ```no_run
/// let (time, clock) = crossbeam_channel::unbounded();
/// let (_stopper, stop) = crossbeam_channel::unbounded();
/// let (beat, beats) = crossbeam_channel::unbounded();
/// [3, 10, 12, 21, 29, 30].into_iter().for_each(|t| time.send(t).unwrap());
/// drop(time); // closing the clock ends the heartbeat
/// assert_eq!(ticker::heartbeat(clock, stop, 10, beat), 3);
/// assert_eq!(beats.try_iter().collect::<Vec<_>>(), vec![10, 21, 30]);
/// ```
pub fn heartbeat(clock: Receiver<u64>, stop: Receiver<()>, period: u64, beats: Sender<u64>) -> usize {
    todo!("select! on the clock and on stop; beat when a due time is reached")
}
