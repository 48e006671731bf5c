//! Checks of `ticker`.
//!
//! The clock is virtual: the check sends each reading through a rendezvous
//! channel, so the heartbeat has taken every reading before the check
//! signals stop, and the result depends on no real timing.
//!
//! A stop must come while the heartbeat waits for its next reading, never
//! while it is still busy with the last one: a heartbeat that looks at
//! `stop` between readings would see a stop that came early, and pass by
//! luck. So before it signals stop, the check waits until the heartbeat's
//! thread is blocked ([`ThreadWatch`]), which it is only once it waits on a
//! channel.

grading_kit::subject!();

use std::thread;
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;
use grading_kit::helpers::ThreadWatch;
use grading_kit::{expect, fail};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// How the check ends the heartbeat after the last reading.
#[derive(Clone, Copy, Debug)]
enum End {
    SendStop,
    DropStop,
    CloseClock,
}

/// How long the heartbeat has to return once it is ended: far more than a
/// thread woken from a wait needs, even on a busy machine.
const PATIENCE: Duration = Duration::from_secs(2);

/// Runs `heartbeat` on a thread, feeds it `readings`, waits until it waits
/// for the next one, ends it as `end` says, and gives it [`PATIENCE`] to
/// return: `Some((beats sent, returned count))`, or `None` if it did not
/// return.
fn run(readings: &[u64], period: u64, end: End) -> Option<(Vec<u64>, usize)> {
    let (time, clock) = crossbeam_channel::bounded(0);
    let (stopper, stop) = crossbeam_channel::bounded(1);
    let (beat, beats) = crossbeam_channel::unbounded();
    let (done, returned) = crossbeam_channel::bounded(1);
    let (watch_sender, watch) = crossbeam_channel::bounded(1);
    thread::spawn(move || {
        let _ = watch_sender.send(ThreadWatch::current());
        let count = subject::heartbeat(clock, stop, period, beat);
        let _ = done.send(count);
    });
    let watch = watch.recv().expect("the heartbeat's thread starts");
    for &now in readings {
        // A rendezvous: this returns once the heartbeat has the reading.
        let _ = time.send(now);
    }
    if !matches!(end, End::CloseClock) {
        // Done with the last reading, and waiting for the next.
        watch.until_blocked(PATIENCE);
    }
    // Kept alive until the end: only `end` may close them.
    let (mut time, mut stopper) = (Some(time), Some(stopper));
    match end {
        End::SendStop => {
            let _ = stopper.as_ref().map(|s| s.send(()));
        }
        End::DropStop => stopper = None,
        End::CloseClock => time = None,
    }
    let count = match returned.recv_timeout(PATIENCE) {
        Ok(count) => count,
        Err(RecvTimeoutError::Timeout) => return None,
        Err(RecvTimeoutError::Disconnected) => panic!("the code under test panicked"),
    };
    drop((time, stopper));
    Some((beats.try_iter().collect(), count))
}

/// The beats a correct heartbeat sends: on the grid of multiples of `period`.
fn model(readings: &[u64], period: u64) -> Vec<u64> {
    let mut next_due = period;
    let mut beats = Vec::new();
    for &now in readings {
        if now >= next_due {
            beats.push(now);
            next_due = (now / period + 1) * period;
        }
    }
    beats
}

/// Increasing readings from 0, with gaps of 1 to 15 between them.
fn readings() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(1..15u64, 0..40)
        .prop_map(|gaps| gaps.iter().scan(0, |now, gap| Some(std::mem::replace(now, *now + gap))).collect())
}

/// The readings of the checks that end the heartbeat.
const STOP_READINGS: [u64; 6] = [1, 5, 12, 13, 20, 26];
const STOP_PERIOD: u64 = 10;

/// A check that `heartbeat` returns once it is ended as `end` says, after
/// `readings`: the subject's half says whether it returned.
fn stops(end: End, readings: &'static [u64]) -> (impl Fn() -> bool, impl Fn(bool) -> Result<(), TestCaseError>) {
    let returned = move || run(readings, STOP_PERIOD, end).is_some();
    let judged = move |returned: bool| {
        let what = match end {
            End::SendStop => "a message was sent on `stop`, while it waited for the next reading",
            End::DropStop => "`stop` was closed (its sender dropped), while it waited for the next reading",
            End::CloseClock => "the clock was closed",
        };
        expect(
            returned,
            format!(
                "heartbeat was still running {PATIENCE:?} after {what}. Wait on the clock and on `stop` together, \
                 with `select! {{ recv(clock) -> reading => ..., recv(stop) -> _ => return ... }}`: a loop over \
                 the clock alone never sees the stop signal, and one that looks at `stop` between readings \
                 (`try_recv`) waits on one channel at a time: it is waiting on the clock when the signal comes. \
                 Both a message and a closed channel mean stop."
            ),
        )
    };
    (returned, judged)
}

fn main() {
    let (send_stop, stopped_by_message) = stops(End::SendStop, &STOP_READINGS);
    let (drop_stop, stopped_by_drop) = stops(End::DropStop, &STOP_READINGS);
    let (close_clock, stopped_by_close) = stops(End::CloseClock, &STOP_READINGS);
    // No reading at all: the heartbeat can only be waiting on the clock
    // when the stop comes, and a loop that looks at `stop` only after each
    // reading never looks.
    let (send_stop_at_once, stopped_before_any_reading) = stops(End::SendStop, &[]);
    grading_kit::checks!()
        .case("stops before the first reading", send_stop_at_once, stopped_before_any_reading)
        .case("stops on a stop message", send_stop, stopped_by_message)
        .case("stops when stop is closed", drop_stop, stopped_by_drop)
        .case("stops when the clock is closed", close_clock, stopped_by_close)
        .property(
            "beats stay on the grid of the period",
            (readings(), 1..20u64),
            |(readings, period): &(Vec<u64>, u64)| run(readings, *period, End::CloseClock),
            |(readings, period), outcome| {
                let Some((beats, count)) = outcome else {
                    return fail("heartbeat did not return when the clock closed");
                };
                let expected = model(readings, *period);
                expect(
                    beats == expected,
                    format!(
                        "with a period of {period}, expected beats at {expected:?}, got {beats:?}. Beat k is due \
                         at k * period, whenever the beat before it came: the next due time after a reading `now` \
                         is the next multiple of the period, `(now / period + 1) * period`, not `now + period`, \
                         which drifts."
                    ),
                )?;
                expect(count == beats.len(), format!("heartbeat sent {} beats but returned {count}", beats.len()))
            },
        )
        .snapshot("a jittery clock, period 10", || {
            let readings = [0, 4, 9, 11, 13, 19, 22, 35, 38, 41, 52, 60, 61, 79, 80, 99, 100, 104, 131];
            match run(&readings, 10, End::SendStop) {
                Some((beats, count)) => {
                    let mut out: String = beats.iter().map(|b| format!("beat at {b}\n")).collect();
                    out.push_str(&format!("{count} beats"));
                    out
                }
                None => "did not stop".to_string(),
            }
        })
        .main();
}
