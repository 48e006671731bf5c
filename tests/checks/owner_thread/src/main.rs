//! Checks of `owner_thread`.

grading_kit::subject!();

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use grading_kit::{expect_eq, fail, within};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use subject::Request;

/// What a client asks of the store: the exercise's `Command`, as plain data
/// that can travel between the judge and the subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Command {
    Get(u32),
    Put(u32, i64),
    Remove(u32),
}

impl From<Command> for subject::Command {
    fn from(command: Command) -> Self {
        match command {
            Command::Get(key) => subject::Command::Get(key),
            Command::Put(key, value) => subject::Command::Put(key, value),
            Command::Remove(key) => subject::Command::Remove(key),
        }
    }
}

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

/// Client `i`'s plan moved to keys 100 i .. 100 i + 3, so that each client
/// sees a sequential store of its own.
fn shifted(plans: &[Vec<Command>]) -> Vec<Vec<Command>> {
    plans
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
        .collect()
}

/// Senders of finished property cases are kept here, not dropped, so that
/// their owner threads stay parked in `recv` instead of ending (that is
/// checked on its own, below).
static KEPT: Mutex<Vec<mpsc::Sender<Request>>> = Mutex::new(Vec::new());

/// Everything in the store, read through `call`.
fn contents(requests: &mpsc::Sender<Request>, keys: impl Iterator<Item = u32>) -> HashMap<u32, i64> {
    keys.filter_map(|key| subject::call(requests, subject::Command::Get(key)).map(|v| (key, v))).collect()
}

/// How the owner thread ended once every sender was dropped.
#[derive(Debug, Serialize, Deserialize)]
enum OwnerEnd {
    /// It was still running 2 s later.
    StillRunning,
    Panicked,
    /// It returned this map.
    Returned(HashMap<u32, i64>),
}

fn main() {
    grading_kit::checks!()
        .property(
            "one client: like a sequential HashMap",
            commands(6),
            |commands: &Vec<Command>| {
                let (requests, _owner) = subject::spawn_store();
                let replies: Vec<Option<i64>> = commands.iter().map(|&c| subject::call(&requests, c.into())).collect();
                let store = contents(&requests, 0..6);
                KEPT.lock().unwrap().push(requests);
                (replies, store)
            },
            |commands, got| expect_eq(got, oracle(commands)),
        )
        .property_with_cases(
            "concurrent clients each get their own replies",
            24,
            prop::collection::vec(commands(4), 2..6),
            |plans: &Vec<Vec<Command>>| {
                let (requests, _owner) = subject::spawn_store();
                let shifted = shifted(plans);
                let replies: Vec<Vec<Option<i64>>> = thread::scope(|s| {
                    let clients: Vec<_> = shifted
                        .iter()
                        .map(|plan| {
                            let requests = requests.clone();
                            s.spawn(move || plan.iter().map(|&c| subject::call(&requests, c.into())).collect())
                        })
                        .collect();
                    clients.into_iter().map(|c| c.join().unwrap()).collect()
                });
                KEPT.lock().unwrap().push(requests);
                replies
            },
            |plans, replies| {
                for (plan, got) in shifted(plans).iter().zip(replies) {
                    expect_eq(got, oracle(plan).0)?;
                }
                Ok(())
            },
        )
        .case(
            "the owner exits when every sender is dropped",
            || {
                let clients = 3;
                let (requests, owner) = subject::spawn_store();
                subject::call(&requests, subject::Command::Put(1, 10));
                thread::scope(|s| {
                    for i in 0..clients {
                        let requests = requests.clone();
                        s.spawn(move || subject::call(&requests, subject::Command::Put(2 + i as u32, i as i64)));
                    }
                });
                drop(requests);
                match within(Duration::from_secs(2), move || owner.join()) {
                    None => OwnerEnd::StillRunning,
                    Some(Err(_)) => OwnerEnd::Panicked,
                    Some(Ok(map)) => OwnerEnd::Returned(map),
                }
            },
            |end| match end {
                OwnerEnd::StillRunning => fail(
                    "every Sender<Request> was dropped, but the owner thread had not ended 2 s later. When the last \
                     sender is gone, `recv()` returns `Err`: that is the signal to stop. End the loop there (`for \
                     request in requests { ... }` does it for you) and return the map; do not keep a sender alive \
                     inside the owner, and do not ignore the error and loop again.",
                ),
                OwnerEnd::Panicked => fail("the owner thread panicked"),
                OwnerEnd::Returned(map) => expect_eq(map, HashMap::from([(1, 10), (2, 0), (3, 1), (4, 2)])),
            },
        )
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
                script.iter().map(|&c| format!("{c:?} -> {:?}\n", subject::call(&requests, c.into()))).collect();
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
