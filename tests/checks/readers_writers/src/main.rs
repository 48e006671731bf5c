//! Checks of `readers_writers`.

grading_kit::subject!();

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, fail, within};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use subject::ReadWriteLock;

const STUCK: &str = "the readers and writers got stuck (3 s): every time a reader or writer leaves, the threads \
                     that may now enter must be woken (`notify_all` when the last reader leaves and when a writer \
                     leaves), and each must re-check its condition in a loop";

/// Who is inside, as the closures see it, and the first breach seen.
#[derive(Default)]
struct Inside {
    readers: AtomicUsize,
    writers: AtomicUsize,
    breach: Mutex<Option<String>>,
}

impl Inside {
    fn note(&self, what: String) {
        self.breach.lock().unwrap().get_or_insert(what);
    }

    fn read(&self) {
        self.readers.fetch_add(1, Ordering::SeqCst);
        for _ in 0..3 {
            let writers = self.writers.load(Ordering::SeqCst);
            if writers > 0 {
                self.note(format!("a reader was reading while {writers} writer(s) wrote"));
            }
            thread::yield_now();
        }
        self.readers.fetch_sub(1, Ordering::SeqCst);
    }

    fn write(&self) {
        let writers = self.writers.fetch_add(1, Ordering::SeqCst) + 1;
        for _ in 0..3 {
            let readers = self.readers.load(Ordering::SeqCst);
            let writers = self.writers.load(Ordering::SeqCst).max(writers);
            if readers > 0 || writers > 1 {
                self.note(format!("a writer wrote beside {readers} reader(s) and {} other writer(s)", writers - 1));
            }
            thread::yield_now();
        }
        self.writers.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Each thread's script: `w` for a write, `r` for a read.
fn scripts() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("(r|r|w){50,200}", 2..6)
}

/// What `a writer is alone` saw.
#[derive(Debug, Serialize, Deserialize)]
struct Crowd {
    /// False if the threads had not finished their scripts after 3 s.
    finished: bool,
    /// The first breach seen (a bool apart, not an `Option<Option<_>>`:
    /// JSON writes `None` and `Some(None)` alike).
    breach: Option<String>,
}

/// Readers of `readers read at the same time`.
const READERS: usize = 3;

/// What `a waiting writer goes before newer readers` saw.
#[derive(Debug, Serialize, Deserialize)]
struct Queue {
    /// False if reader 1 was not inside within 3 s; nothing else was
    /// watched then.
    first_got_in: bool,
    /// Whether reader 2 was inside before reader 1 was told to leave.
    jumped: bool,
    /// Whether all three threads ended within 3 s (and none panicked).
    all_done: bool,
    /// Who was inside, in order.
    order: Vec<String>,
}

/// The learner's half of `a waiting writer goes before newer readers`.
fn queue() -> Queue {
    let lock = Arc::new(ReadWriteLock::new());
    let order = Arc::new(Mutex::new(Vec::new()));
    let (release_first, first_may_leave) = mpsc::channel::<()>();
    let (first_in, first_is_in) = mpsc::channel();
    // Reader 1 enters and stays until told to leave.
    let first = {
        let (lock, order) = (Arc::clone(&lock), Arc::clone(&order));
        thread::spawn(move || {
            lock.read(|| {
                order.lock().unwrap().push("reader 1".to_string());
                first_in.send(()).unwrap();
                let _ = first_may_leave.recv_timeout(Duration::from_secs(3));
            })
        })
    };
    if first_is_in.recv_timeout(Duration::from_secs(3)).is_err() {
        return Queue { first_got_in: false, jumped: false, all_done: false, order: Vec::new() };
    }
    let writer = {
        let (lock, order) = (Arc::clone(&lock), Arc::clone(&order));
        thread::spawn(move || lock.write(|| order.lock().unwrap().push("writer".to_string())))
    };
    // Time for the writer to start waiting (a busy machine may be slow to run it).
    thread::sleep(Duration::from_millis(100));
    let second_in = Arc::new(AtomicBool::new(false));
    let second = {
        let (lock, order, second_in) = (Arc::clone(&lock), Arc::clone(&order), Arc::clone(&second_in));
        thread::spawn(move || {
            lock.read(|| {
                second_in.store(true, Ordering::SeqCst);
                order.lock().unwrap().push("reader 2".to_string());
            })
        })
    };
    thread::sleep(Duration::from_millis(50));
    let jumped = second_in.load(Ordering::SeqCst);
    release_first.send(()).unwrap();
    let all_done =
        within(Duration::from_secs(3), move || [first, writer, second].into_iter().all(|h| h.join().is_ok()));
    let order = order.lock().unwrap().clone();
    Queue { first_got_in: true, jumped, all_done: all_done == Some(true), order }
}

fn main() {
    grading_kit::checks!()
        .property_with_cases(
            "a writer is alone",
            16,
            scripts(),
            |scripts| {
                let scripts = scripts.clone();
                let lock = Arc::new(ReadWriteLock::new());
                let inside = Arc::new(Inside::default());
                let finished = within(Duration::from_secs(3), move || {
                    thread::scope(|s| {
                        for script in &scripts {
                            let (lock, inside) = (&lock, &inside);
                            s.spawn(move || {
                                for step in script.chars() {
                                    if step == 'w' { lock.write(|| inside.write()) } else { lock.read(|| inside.read()) }
                                }
                            });
                        }
                    });
                    inside.breach.lock().unwrap().take()
                });
                Crowd { finished: finished.is_some(), breach: finished.flatten() }
            },
            |_, crowd: Crowd| {
                if !crowd.finished {
                    return fail(STUCK);
                }
                match crowd.breach {
                    None => Ok(()),
                    Some(what) => fail(format!(
                        "{what}. A writer must be alone: it waits until no reader and no writer is inside (`readers \
                         == 0 && !writing`), and marks itself as writing before it leaves the mutex."
                    )),
                }
            },
        )
        .case(
            "readers read at the same time",
            || {
                let readers = READERS;
                let lock = Arc::new(ReadWriteLock::new());
                let met = Arc::new((Mutex::new(0usize), Condvar::new()));
                (0..readers)
                    .map(|_| {
                        let (lock, met) = (Arc::clone(&lock), Arc::clone(&met));
                        thread::spawn(move || {
                            lock.read(|| {
                                let (count, all_in) = &*met;
                                let mut count = count.lock().unwrap();
                                *count += 1;
                                all_in.notify_all();
                                *all_in.wait_timeout_while(count, Duration::from_millis(500), |c| *c < readers).unwrap().0
                            })
                        })
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .map(|h| h.join().unwrap())
                    .collect::<Vec<usize>>()
            },
            |seen| {
                let readers = READERS;
                expect(
                    seen.iter().all(|&s| s == readers),
                    format!(
                        "{readers} readers each waited inside `read` for the others, but they saw {seen:?} readers inside: \
                         readers must be able to read together. Run `f` after letting go of the mutex, not while holding it."
                    ),
                )
            },
        )
        .case("a waiting writer goes before newer readers", queue, |queue| {
            let Queue { first_got_in, jumped, all_done, order } = queue;
            if !first_got_in {
                return fail("the first reader never got in");
            }
            expect(all_done, STUCK)?;
            expect(
                !jumped && order == ["reader 1", "writer", "reader 2"],
                format!(
                    "a writer was waiting for reader 1 to leave when reader 2 arrived; reader 2 must wait behind the \
                     writer (writer priority), but the order was {order:?}. Count the waiting writers, and let a \
                     reader in only when no writer is writing *or waiting*."
                ),
            )
        })
        .main();
}
