//! Scenarios for loom's model checker (`explorer = "loom"` in the
//! catalogue): every interleaving of a few operations, and for every load
//! every value the memory model lets it read. Loom's types come from
//! `course_sync` in the exploration build; it has no scoped threads, so
//! the scenarios share through `Arc`.

use course_sync::{Arc, thread};

use crate::subject::{Mailbox, Tickets};

/// One thread publishes 42; this one reads: if it sees the mailbox ready,
/// it must see the value.
pub fn flag_brings_the_value() {
    let mailbox = Arc::new(Mailbox::new());
    let writer = thread::spawn({
        let mailbox = Arc::clone(&mailbox);
        move || mailbox.publish(42)
    });
    if let Some(value) = mailbox.read() {
        assert!(
            value == 42,
            "a reader saw the flag but not the value: `read` returned Some({value}) after `publish(42)` set the \
             ready flag. The flag's store must be `Release` and its load `Acquire`: a `Relaxed` flag orders \
             nothing else, and the value may still be the old one for the reader"
        );
    }
    writer.join().unwrap();
}

/// Two threads race for one ticket: exactly one gets it.
pub fn one_ticket_two_takers() {
    let tickets = Arc::new(Tickets::new(1));
    let other = thread::spawn({
        let tickets = Arc::clone(&tickets);
        move || tickets.take()
    });
    let mine = tickets.take();
    let theirs = other.join().unwrap();
    assert!(
        mine != theirs,
        "two threads raced for the last ticket and {}: the check `left > 0` and the change `left - 1` must be one \
         step. A `compare_exchange` loop writes only if the count is still the one it read",
        if mine { "both took it" } else { "neither took it" }
    );
    assert!(tickets.left() == 0, "one ticket was taken, but {} are left", tickets.left());
}
