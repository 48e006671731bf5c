//! The exploration build's bookkeeping of locks: who waits for which lock,
//! who holds it, and the last operations before a failure.
//!
//! Shuttle knows which threads are blocked when it finds a deadlock, but not
//! on what: this ledger does, so a deadlock can be told as a cycle in plain
//! words ("thread 1 holds lock #0 and waits for lock #1, which thread 2
//! holds..."). It is reset at the start of every explored interleaving and
//! frozen at the first panic, so the unwinding that follows a failure does
//! not rewrite it.

use std::collections::BTreeMap;
use std::panic::Location;
use std::sync::Mutex;

/// One lock operation of one thread.
#[derive(Clone, Debug)]
struct Event {
    thread: String,
    op: Op,
    lock: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Waits,
    Acquires,
    Releases,
    WaitsOnCondvar,
}

#[derive(Default)]
struct Ledger {
    events: Vec<Event>,
    /// Where each lock of this interleaving was made, by id.
    locks: Vec<&'static Location<'static>>,
    frozen: bool,
}

static LEDGER: Mutex<Ledger> = Mutex::new(Ledger { events: Vec::new(), locks: Vec::new(), frozen: false });

fn ledger() -> std::sync::MutexGuard<'static, Ledger> {
    LEDGER.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// Forgets everything: called at the start of each explored interleaving.
pub fn reset() {
    *ledger() = Ledger::default();
}

/// Stops recording: called at the first panic of an interleaving.
pub fn freeze() {
    ledger().frozen = true;
}

pub(crate) fn new_lock(at: &'static Location<'static>) -> usize {
    let mut ledger = ledger();
    ledger.locks.push(at);
    ledger.locks.len() - 1
}

pub(crate) fn record(op: Op, lock: usize) {
    let thread = current_thread();
    let mut ledger = ledger();
    if !ledger.frozen && !std::thread::panicking() {
        ledger.events.push(Event { thread, op, lock });
    }
}

fn current_thread() -> String {
    let Some(task) = shuttle::current::get_current_task() else { return "a thread".into() };
    let id: String = format!("{task:?}").chars().filter(char::is_ascii_digit).collect();
    // Shuttle names every task after the main one unless told otherwise,
    // so only a name the code under test gave is worth showing.
    let name = shuttle::current::get_name_for_task(task).map(|name| format!("{name:?}").trim_matches('"').to_string());
    match name {
        Some(name) if !name.is_empty() && !name.contains("main-thread") && !name.contains("None") => {
            format!("thread {id} ({name})")
        }
        _ if id == "0" => "the main thread".into(),
        _ => format!("thread {id}"),
    }
}

fn lock_name(ledger: &Ledger, lock: usize) -> String {
    match ledger.locks.get(lock) {
        Some(at) => format!("lock #{lock} (made at {}:{})", at.file(), at.line()),
        None => format!("lock #{lock}"),
    }
}

/// The last `n` lock operations, one line each: `thread: operation lock`.
pub fn trace(n: usize) -> Vec<String> {
    let ledger = ledger();
    let start = ledger.events.len().saturating_sub(n);
    ledger.events[start..]
        .iter()
        .map(|e| {
            let op = match e.op {
                Op::Waits => "waits for",
                Op::Acquires => "takes",
                Op::Releases => "releases",
                Op::WaitsOnCondvar => "releases and waits on a condition variable with",
            };
            format!("{}: {op} lock #{}", e.thread, e.lock)
        })
        .collect()
}

/// Who holds which lock and who waits for which, from the events so far.
fn state(ledger: &Ledger) -> (BTreeMap<usize, String>, BTreeMap<String, usize>) {
    let mut holders: BTreeMap<usize, String> = BTreeMap::new();
    let mut waiting: BTreeMap<String, usize> = BTreeMap::new();
    for e in &ledger.events {
        match e.op {
            Op::Waits => {
                waiting.insert(e.thread.clone(), e.lock);
            }
            Op::Acquires => {
                waiting.remove(&e.thread);
                holders.insert(e.lock, e.thread.clone());
            }
            Op::Releases | Op::WaitsOnCondvar => {
                holders.remove(&e.lock);
            }
        }
    }
    (holders, waiting)
}

/// The wait-for cycle among threads blocked on locks, in plain words, if
/// there is one.
pub fn wait_for_cycle() -> Option<String> {
    let ledger = ledger();
    let (holders, waiting) = state(&ledger);
    for start in waiting.keys() {
        let mut path = vec![start.clone()];
        let mut thread = start.clone();
        while let Some(holder) = waiting.get(&thread).and_then(|lock| holders.get(lock)) {
            if *holder == *start {
                let steps: Vec<String> = path
                    .iter()
                    .map(|t| {
                        let wants = waiting[t];
                        let held: Vec<String> =
                            holders.iter().filter(|(_, h)| *h == t).map(|(l, _)| lock_name(&ledger, *l)).collect();
                        format!(
                            "{t} holds {} and waits for {}, held by {}",
                            if held.is_empty() { "nothing".into() } else { held.join(" and ") },
                            lock_name(&ledger, wants),
                            holders[&wants]
                        )
                    })
                    .collect();
                return Some(steps.join(";\n"));
            }
            if path.contains(holder) {
                break;
            }
            path.push(holder.clone());
            thread = holder.clone();
        }
    }
    None
}
