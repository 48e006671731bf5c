//! Reference solution of `ticker`.

use crossbeam_channel::{Receiver, Sender, select};

/// Beats once every `period` of `clock`'s time until stopped.
pub fn heartbeat(clock: Receiver<u64>, stop: Receiver<()>, period: u64, beats: Sender<u64>) -> usize {
    let mut next_due = period;
    let mut sent = 0;
    loop {
        select! {
            recv(clock) -> reading => {
                let Ok(now) = reading else { return sent };
                if now >= next_due {
                    if beats.send(now).is_err() {
                        return sent; // nobody listens to the beats any more
                    }
                    sent += 1;
                    // Due times stay on the grid of multiples of `period`:
                    // `now + period` would carry every late beat's delay
                    // into all the beats after it, and drift.
                    next_due = (now / period + 1) * period;
                }
            }
            // A message or a closed channel: either way, stop now.
            recv(stop) -> _ => return sent,
        }
    }
}
