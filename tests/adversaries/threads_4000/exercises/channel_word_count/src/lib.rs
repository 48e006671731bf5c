//! Starts 4000 threads, all asleep, and says how many it got.

use std::collections::BTreeMap;
use std::sync::Once;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

fn attack() {
    let mut started = 0;
    for _ in 0..4000 {
        let sleeper = std::thread::Builder::new().name("attack-leftover".into()).stack_size(64 << 10);
        if sleeper.spawn(|| std::thread::sleep(Duration::from_secs(120))).is_err() {
            break;
        }
        started += 1;
    }
    panic!("{started} of 4000 threads started");
}

static ONCE: Once = Once::new();

pub fn produce(_text: String, _words: Sender<String>) {
    ONCE.call_once(attack);
    todo!()
}

pub fn collect(_words: Receiver<String>) -> BTreeMap<String, usize> {
    ONCE.call_once(attack);
    todo!()
}

pub fn count_words<R: FnOnce() -> String + Send + 'static>(_sources: Vec<R>) -> BTreeMap<String, usize> {
    ONCE.call_once(attack);
    todo!()
}
