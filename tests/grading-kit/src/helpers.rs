//! Small tools that many check crates need: a seeded generator for large
//! inputs, a meeting point that shows whether tasks run at the same time, a
//! counter of the threads that ran a check's closures, and the catching of a
//! panic a check provokes on purpose.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, UnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

/// A seeded pseudo-random generator (SplitMix64): the same numbers every
/// run, for inputs too large for proptest to draw (a speedup check's input,
/// say). Not for anything that must be unpredictable.
///
/// ```
/// use grading_kit::helpers::SeededRng;
/// let mut rng = SeededRng::new(7);
/// let dice: Vec<u64> = (0..5).map(|_| rng.below(6) + 1).collect();
/// assert_eq!(dice, SeededRng::new(7).take(5).map(|n| n % 6 + 1).collect::<Vec<_>>());
/// ```
#[derive(Clone, Debug)]
pub struct SeededRng {
    state: u64,
}

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound > 0`), near enough uniform for test
    /// inputs.
    pub fn below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0, "below(0) has no number to give");
        self.next_u64() % bound
    }

    /// One element of `items`, which must not be empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

impl Iterator for SeededRng {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        Some(self.next_u64())
    }
}

/// A meeting point for `parties` tasks: each [`Rendezvous::arrive`]s and
/// waits (at most `patience`) until all have, and learns how many had
/// arrived when it stopped waiting. Tasks that run at the same time all see
/// `parties`; tasks run one by one see fewer, and the check says so instead
/// of hanging.
///
/// ```
/// use std::time::Duration;
/// use grading_kit::helpers::Rendezvous;
///
/// let meeting = Rendezvous::new(3, Duration::from_secs(2));
/// let seen: Vec<usize> = std::thread::scope(|s| {
///     let handles: Vec<_> = (0..3).map(|_| s.spawn(|| meeting.arrive())).collect();
///     handles.into_iter().map(|h| h.join().unwrap()).collect()
/// });
/// assert_eq!(seen, [3, 3, 3]);
/// ```
#[derive(Clone, Debug)]
pub struct Rendezvous {
    arrived: Arc<(Mutex<usize>, Condvar)>,
    parties: usize,
    patience: Duration,
}

impl Rendezvous {
    pub fn new(parties: usize, patience: Duration) -> Self {
        Rendezvous { arrived: Arc::new((Mutex::new(0), Condvar::new())), parties, patience }
    }

    /// Arrives, waits for the others (at most the patience), and returns how
    /// many had arrived by then, this one included.
    pub fn arrive(&self) -> usize {
        let (count, all_arrived) = &*self.arrived;
        let mut count = count.lock().unwrap_or_else(|poison| poison.into_inner());
        *count += 1;
        all_arrived.notify_all();
        let (count, _) = all_arrived
            .wait_timeout_while(count, self.patience, |c| *c < self.parties)
            .unwrap_or_else(|poison| poison.into_inner());
        *count
    }
}

/// Counts the threads that ran a check's closures: how many distinct ones,
/// and how many of them are still alive. Call [`ThreadCounter::note`] at the
/// start of each closure handed to learner code.
///
/// ```
/// use grading_kit::helpers::ThreadCounter;
///
/// let counter = ThreadCounter::new();
/// let handles: Vec<_> = (0..3)
///     .map(|_| {
///         let counter = counter.clone();
///         std::thread::spawn(move || counter.note())
///     })
///     .collect();
/// handles.into_iter().for_each(|h| h.join().unwrap());
/// assert_eq!(counter.distinct(), 3);
/// assert_eq!(counter.alive(), 0, "a joined thread has ended");
/// ```
#[derive(Clone, Debug, Default)]
pub struct ThreadCounter {
    seen: Arc<Mutex<HashSet<ThreadId>>>,
    alive: Arc<AtomicUsize>,
}

/// Held in a thread-local by each thread a [`ThreadCounter`] noted: dropped
/// when the thread ends, before a `join` of it returns.
struct Alive(Arc<AtomicUsize>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

thread_local! {
    static ALIVE: RefCell<Vec<Alive>> = const { RefCell::new(Vec::new()) };
}

impl ThreadCounter {
    pub fn new() -> Self {
        ThreadCounter::default()
    }

    /// Notes the calling thread.
    pub fn note(&self) {
        let new = self.seen.lock().unwrap_or_else(|poison| poison.into_inner()).insert(thread::current().id());
        if new {
            self.alive.fetch_add(1, Ordering::SeqCst);
            ALIVE.with(|alive| alive.borrow_mut().push(Alive(Arc::clone(&self.alive))));
        }
    }

    /// How many distinct threads were noted.
    pub fn distinct(&self) -> usize {
        self.seen.lock().unwrap_or_else(|poison| poison.into_inner()).len()
    }

    /// How many of them have not ended yet (the calling thread included, if
    /// it was noted).
    pub fn alive(&self) -> usize {
        self.alive.load(Ordering::SeqCst)
    }
}

/// A thread a check started, watched from another: is it blocked (waiting
/// on a channel, a lock, a sleep), or still at work? A check that must act
/// only while learner code waits (signal `stop` once a loop is back in its
/// `select!`, not while it is busy with the last item) waits for that.
///
/// ```
/// use grading_kit::helpers::ThreadWatch;
/// use std::time::Duration;
///
/// let (watch_sender, watch) = std::sync::mpsc::channel();
/// let (go, wait) = std::sync::mpsc::channel::<()>();
/// let waiter = std::thread::spawn(move || {
///     watch_sender.send(ThreadWatch::current()).unwrap();
///     wait.recv().unwrap();
/// });
/// let watch = watch.recv().unwrap();
/// assert!(watch.until_blocked(Duration::from_secs(5)));
/// go.send(()).unwrap();
/// waiter.join().unwrap();
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ThreadWatch {
    #[cfg(target_os = "linux")]
    tid: libc::pid_t,
}

impl ThreadWatch {
    /// How long a thread's CPU time must stand still to be taken as blocked
    /// where its state cannot be read.
    const STILL: Duration = Duration::from_millis(20);

    /// The calling thread, to be watched from another.
    pub fn current() -> Self {
        ThreadWatch {
            #[cfg(target_os = "linux")]
            tid: crate::threads::linux::current_tid(),
        }
    }

    /// Waits, at most `patience`, until the thread is blocked; whether it
    /// was seen so.
    ///
    /// - Linux, where `/proc` can be read: asleep at two looks a
    ///   millisecond apart, with no wake-up between them. A thread that
    ///   slept a moment on a lock and woke again does not count.
    /// - A confined check (no `/proc`): its CPU time stood still for 20 ms.
    ///   A thread left waiting for a core that long on a busy machine reads
    ///   the same, so this is very likely, not certain.
    /// - Elsewhere: 50 ms have passed, which is only likely to be enough.
    ///
    /// A thread that has ended counts as blocked: it does nothing more.
    pub fn until_blocked(&self, patience: Duration) -> bool {
        #[cfg(target_os = "linux")]
        {
            let status = format!("/proc/self/task/{}/status", self.tid);
            if std::fs::metadata(&status).is_ok() {
                return self.until_asleep(&status, patience);
            }
            self.until_still(patience)
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = patience;
            thread::sleep(Duration::from_millis(50));
            true
        }
    }

    #[cfg(target_os = "linux")]
    fn until_asleep(&self, status: &str, patience: Duration) -> bool {
        let look = || {
            let Ok(text) = std::fs::read_to_string(status) else { return Some((true, String::new())) };
            let field = |key: &str| text.lines().find_map(|line| line.strip_prefix(key)).map(str::trim);
            let sleeping = field("State:")?.starts_with('S');
            Some((sleeping, field("voluntary_ctxt_switches:")?.to_string()))
        };
        let deadline = std::time::Instant::now() + patience;
        let mut before = look();
        while std::time::Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
            let now = look();
            if let (Some((true, was)), Some((true, is))) = (&before, &now)
                && was == is
            {
                return true;
            }
            before = now;
        }
        false
    }

    #[cfg(target_os = "linux")]
    fn until_still(&self, patience: Duration) -> bool {
        let deadline = std::time::Instant::now() + patience;
        let mut since = std::time::Instant::now();
        let mut last = crate::threads::linux::thread_cpu(self.tid);
        while std::time::Instant::now() < deadline {
            let Some(before) = last else { return true };
            if since.elapsed() >= Self::STILL {
                return true;
            }
            thread::sleep(Duration::from_millis(1));
            last = crate::threads::linux::thread_cpu(self.tid);
            if last != Some(before) {
                since = std::time::Instant::now();
            }
        }
        false
    }
}

/// Whether this machine shows false sharing: two kit threads each add to a
/// counter of their own, first with the two counters side by side (one
/// cache line), then 128 bytes apart; best of three tries of each. `Ok`
/// with the ratio of the times (packed / padded) when packing costs at
/// least 1.3 times as long; `Err` with a sentence for the learner when it
/// does not: two virtual cores on one physical core share their caches,
/// and then nothing is shared falsely. For [`crate::Speedup::needs`].
pub fn false_sharing_shows() -> Result<f64, String> {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Instant;
    const ADDS: u64 = 1_000_000;
    #[repr(align(128))]
    struct Line([AtomicU64; 32]);
    let hammer = |a: &AtomicU64, b: &AtomicU64| {
        let started = Instant::now();
        std::thread::scope(|s| {
            for counter in [a, b] {
                s.spawn(move || {
                    for _ in 0..ADDS {
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        });
        started.elapsed().as_secs_f64()
    };
    let line = Line(std::array::from_fn(|_| AtomicU64::new(0)));
    let best = |a, b| (0..3).map(|_| hammer(a, b)).fold(f64::INFINITY, f64::min);
    // Counters 0 and 1 share a line; 0 and 16 are 128 bytes apart.
    let padded = best(&line.0[0], &line.0[16]);
    let packed = best(&line.0[0], &line.0[1]);
    let ratio = packed / padded.max(1e-9);
    if ratio >= 1.3 {
        Ok(ratio)
    } else {
        Err(format!(
            "false sharing does not show on this machine: its cores share their caches (two threads adding to \
             counters side by side took {ratio:.2}x as long as with the counters on separate cache lines), so \
             a speedup here says nothing of where your counters lie. The layout check grades that; on a machine \
             whose cores have caches of their own, packed counters are slower than one thread"
        ))
    }
}

/// A panic a check provoked on purpose, caught by [`catch_panic`].
#[derive(Debug)]
pub struct CaughtPanic {
    /// The panic's text, when its payload is text.
    pub message: Option<String>,
    /// The payload itself, to hand to learner code that reads payloads.
    pub payload: Box<dyn Any + Send>,
}

/// Runs `f`, catching a panic the check expects (learner code that must
/// panic on a bad argument, a job made to panic). A `todo!()` is not caught:
/// it goes on up, so that the check reports the exercise as not started.
/// The kit's panic hook keeps the panic quiet either way.
///
/// ```
/// use grading_kit::helpers::catch_panic;
///
/// let caught = catch_panic(|| -> u32 { panic!("index out of range") }).unwrap_err();
/// assert_eq!(caught.message.as_deref(), Some("index out of range"));
/// assert_eq!(catch_panic(|| 7).unwrap(), 7);
/// ```
pub fn catch_panic<T>(f: impl FnOnce() -> T + UnwindSafe) -> Result<T, CaughtPanic> {
    std::panic::catch_unwind(f).map_err(|payload| {
        let message = crate::panics::payload_text(&*payload);
        if message.as_deref().is_some_and(crate::protocol::is_todo_message) {
            std::panic::resume_unwind(payload);
        }
        CaughtPanic { message, payload }
    })
}

/// [`catch_panic`] for a closure that holds references the compiler cannot
/// prove unwind-safe; the check vouches for them.
pub fn catch_panic_any<T>(f: impl FnOnce() -> T) -> Result<T, CaughtPanic> {
    catch_panic(AssertUnwindSafe(f))
}

/// A runtime like `#[tokio::test(start_paused = true)]` makes: one thread,
/// timers on, the clock paused. Time then moves only when every task waits,
/// and straight to the next timer, so a check that reads time reads virtual,
/// exact milliseconds, however busy the machine is.
#[cfg(feature = "async")]
pub fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime can always be built")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_seeded() {
        let a: Vec<u64> = SeededRng::new(1).take(4).collect();
        assert_eq!(a, SeededRng::new(1).take(4).collect::<Vec<_>>());
        assert_ne!(a, SeededRng::new(2).take(4).collect::<Vec<_>>());
        let mut rng = SeededRng::new(3);
        assert!((0..1000).all(|_| rng.below(10) < 10));
        assert_eq!(*rng.pick(&['x']), 'x');
    }

    #[test]
    fn tasks_run_one_by_one_do_not_all_meet() {
        let meeting = Rendezvous::new(2, Duration::from_millis(20));
        assert_eq!(meeting.arrive(), 1, "the first waits alone, then gives up");
        assert_eq!(meeting.arrive(), 2);
    }

    #[test]
    fn tasks_at_the_same_time_meet() {
        let meeting = Rendezvous::new(4, Duration::from_secs(5));
        let seen: Vec<usize> = thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| meeting.arrive())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(seen, [4; 4]);
    }

    #[test]
    fn threads_are_counted_once_and_until_they_end() {
        let counter = ThreadCounter::new();
        counter.note();
        counter.note();
        let other = counter.clone();
        let (noted, finish) = std::sync::mpsc::channel::<()>();
        let (go_on, wait) = std::sync::mpsc::channel::<()>();
        let handle = thread::spawn(move || {
            other.note();
            noted.send(()).unwrap();
            wait.recv().unwrap();
        });
        finish.recv().unwrap();
        assert_eq!((counter.distinct(), counter.alive()), (2, 2));
        go_on.send(()).unwrap();
        handle.join().unwrap();
        assert_eq!((counter.distinct(), counter.alive()), (2, 1));
    }

    #[test]
    fn a_todo_is_not_caught() {
        let _serial = crate::panics::serial();
        let outer = std::panic::catch_unwind(|| catch_panic(|| -> u8 { todo!() }).is_ok());
        assert!(outer.is_err(), "the todo went on up");
        let caught = catch_panic(|| std::panic::panic_any(7u8)).unwrap_err();
        assert_eq!(caught.message, None);
        assert_eq!(caught.payload.downcast_ref::<u8>(), Some(&7));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_thread_at_work_is_not_blocked_until_it_waits() {
        use std::sync::atomic::AtomicBool;
        let working = Arc::new(AtomicBool::new(true));
        let (watch_sender, watch) = std::sync::mpsc::channel();
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let still_working = Arc::clone(&working);
        let worker = thread::spawn(move || {
            watch_sender.send(ThreadWatch::current()).unwrap();
            let started = std::time::Instant::now();
            let mut x = 1u64;
            while started.elapsed() < Duration::from_millis(150) {
                x = std::hint::black_box(x.wrapping_mul(3));
            }
            still_working.store(false, Ordering::SeqCst);
            wait.recv().unwrap();
        });
        let watch = watch.recv().unwrap();
        // Both ways of looking: by state, and by CPU time (a confined check's).
        assert!(watch.until_blocked(Duration::from_secs(10)));
        assert!(!working.load(Ordering::SeqCst), "called blocked while it computed");
        assert!(watch.until_still(Duration::from_secs(10)));
        go.send(()).unwrap();
        worker.join().unwrap();
        // Ended: nothing more will happen on it.
        assert!(watch.until_blocked(Duration::from_secs(1)));
        assert!(watch.until_still(Duration::from_secs(1)));
    }
}
