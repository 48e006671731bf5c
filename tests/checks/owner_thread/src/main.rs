//! Checks of `owner_thread`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq, within};
use proptest::prelude::*;
use subject::{Command, Request};

/// The sequential model: a plain `HashMap`, one command after another.
fn oracle(commands: &[Command]) -> (Vec<Option<i64>>, HashMap<u32, i64>) {
    let mut map = HashMap::new();
    let replies = commands
        .iter()
        .map(|&command| match command {
            Command::Get(key) => map.get(&key).copied(),
            Command::Put(key, value) => map.insert(key, value),
            Command::Remove(key) => map.remove(&key),
        })
        .collect();
    (replies, map)
}

fn commands(keys: u32) -> impl Strategy<Value = Vec<Command>> {
    let command = prop_oneof![
        (0..keys).prop_map(Command::Get),
        (0..keys, -1000..1000i64).prop_map(|(k, v)| Command::Put(k, v)),
        (0..keys).prop_map(Command::Remove),
    ];
    prop::collection::vec(command, 0..40)
}

/// Senders of finished property cases are kept here, not dropped, so that
/// their owner threads stay parked in `recv` instead of ending (that is
/// checked on its own, below).
static KEPT: Mutex<Vec<mpsc::Sender<Request>>> = Mutex::new(Vec::new());

/// Everything in the store, read through `call`.
fn contents(requests: &mpsc::Sender<Request>, keys: impl Iterator<Item = u32>) -> HashMap<u32, i64> {
    keys.filter_map(|key| subject::call(requests, Command::Get(key)).map(|v| (key, v))).collect()
}

fn main() {
    grading_kit::checks!("owner_thread")
        .property("one client: like a sequential HashMap", commands(6), |commands| {
            let (requests, _owner) = subject::spawn_store();
            let replies: Vec<Option<i64>> = commands.iter().map(|&c| subject::call(&requests, c)).collect();
            let store = contents(&requests, 0..6);
            KEPT.lock().unwrap().push(requests);
            expect_eq((replies, store), oracle(&commands))
        })
        .property_with_cases(
            "concurrent clients each get their own replies",
            24,
            prop::collection::vec(commands(4), 2..6),
            |plans| {
                // Client `i` uses keys 100 i .. 100 i + 3 only, so each sees a
                // sequential store of its own.
                let (requests, _owner) = subject::spawn_store();
                let shifted: Vec<Vec<Command>> = plans
                    .iter()
                    .enumerate()
                    .map(|(i, plan)| {
                        let at = 100 * i as u32;
                        plan.iter()
                            .map(|&c| match c {
                                Command::Get(k) => Command::Get(at + k),
                                Command::Put(k, v) => Command::Put(at + k, v),
                                Command::Remove(k) => Command::Remove(at + k),
                            })
                            .collect()
                    })
                    .collect();
                let replies: Vec<Vec<Option<i64>>> = thread::scope(|s| {
                    let clients: Vec<_> = shifted
                        .iter()
                        .map(|plan| {
                            let requests = requests.clone();
                            s.spawn(move || plan.iter().map(|&c| subject::call(&requests, c)).collect())
                        })
                        .collect();
                    clients.into_iter().map(|c| c.join().unwrap()).collect()
                });
                KEPT.lock().unwrap().push(requests);
                for (plan, got) in shifted.iter().zip(replies) {
                    expect_eq(got, oracle(plan).0)?;
                }
                Ok(())
            },
        )
        .property_with_cases("the owner exits when every sender is dropped", 1, Just(3usize), |clients| {
            let (requests, owner) = subject::spawn_store();
            subject::call(&requests, Command::Put(1, 10));
            thread::scope(|s| {
                for i in 0..clients {
                    let requests = requests.clone();
                    s.spawn(move || subject::call(&requests, Command::Put(2 + i as u32, i as i64)));
                }
            });
            drop(requests);
            let joined = within(Duration::from_secs(2), move || owner.join());
            expect(
                joined.is_some(),
                "every Sender<Request> was dropped, but the owner thread had not ended 2 s later. When the last \
                 sender is gone, `recv()` returns `Err`: that is the signal to stop. End the loop there (`for request \
                 in requests { ... }` does it for you) and return the map; do not keep a sender alive inside the \
                 owner, and do not ignore the error and loop again.",
            )?;
            let map = joined.expect("checked above").map_err(|_| TestCaseError::fail("the owner thread panicked"))?;
            expect_eq(map, HashMap::from([(1, 10), (2, 0), (3, 1), (4, 2)]))
        })
        .snapshot("a short session", || {
            let (requests, owner) = subject::spawn_store();
            let script = [
                Command::Get(1),
                Command::Put(1, 10),
                Command::Put(1, 11),
                Command::Get(1),
                Command::Put(2, 20),
                Command::Remove(1),
                Command::Remove(1),
                Command::Get(2),
            ];
            let mut out: String =
                script.iter().map(|&c| format!("{c:?} -> {:?}\n", subject::call(&requests, c))).collect();
            drop(requests);
            if let Some(Ok(map)) = within(Duration::from_secs(2), move || owner.join()) {
                let mut entries: Vec<_> = map.into_iter().collect();
                entries.sort();
                out.push_str(&format!("final: {entries:?}\n"));
            } else {
                out.push_str("the owner did not end\n");
            }
            out
        })
        .main();
}
