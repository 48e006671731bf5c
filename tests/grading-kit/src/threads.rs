//! Who did the work: each thread's CPU time while a run was watched.
//!
//! "Cores used" cannot tell a sequential computation on one helper thread
//! from a parallel one whose threads the machine did not run at once: both
//! read one core. Where the work was done can. While the learner's code
//! runs, a sampler thread of the kit reads every few milliseconds the CPU
//! clock of every thread of this process (Linux: each one's clock is read
//! with `clock_gettime`). A thread that ends during the run keeps the
//! reading of its last sample.
//!
//! The threads are listed in `/proc/self/task` where it can be read. A
//! confined check cannot read `/proc` at all (see the sandbox), so there the
//! sampler finds them by their ids instead: the kernel gives a thread's CPU
//! clock only to threads of the same process, and gives new ids in
//! increasing order, so the sampler reads every id it knows alive and the
//! ids just above the highest it has seen (see [`linux::Probe`]).
//!
//! From the samples comes one number: the largest part of the work done
//! **one thread at a time**, by a single thread or by threads each of which
//! started after the one before it ended (joined one at a time). Threads
//! that were alive at the same time could have run at once; threads that
//! never were could not, whatever the machine.
//!
//! Sampling can only miss work (a thread's last few milliseconds, a thread
//! born and ended between two samples), never invent it, so an error makes
//! this share smaller: towards "parallel", never towards a wrong fail.

use std::time::Duration;

/// How often the sampler reads the threads' clocks. Each reading costs some
/// tens of microseconds (a directory listing and a clock per thread): about
/// 1% of one core.
#[cfg(target_os = "linux")]
const INTERVAL: Duration = Duration::from_millis(3);

/// One thread as the sampler saw it: the first and last sample it was seen
/// in, and its CPU time between the start of the run and its last sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Seen {
    /// The thread's id (Linux's `gettid`).
    pub tid: i64,
    pub first: usize,
    pub last: usize,
    pub work: Duration,
}

/// What the threads of this process did while a run was watched.
#[derive(Clone, Debug, Default)]
pub(crate) struct ThreadWork {
    pub threads: Vec<Seen>,
    /// The sampler's own CPU time, to be taken off the process's.
    pub sampler_cpu: Duration,
}

impl ThreadWork {
    /// The largest CPU time that threads did one at a time: the heaviest
    /// set of threads of which no two were seen alive together. A single
    /// thread is such a set; so are threads joined one at a time; threads
    /// alive together (a pool, scoped threads) never are.
    ///
    /// One sample shared is not "alive together" for two threads each seen
    /// in two samples or more: a joined thread can still be found, ending,
    /// in the sample where the next one is first found (seen here in every
    /// run of threads joined one at a time). Each such thread counts from
    /// the middle of its first sample to the middle of its last; a thread
    /// seen in one sample only keeps all of it.
    pub fn one_at_a_time(&self) -> Duration {
        // In half samples: [2 first, 2 last], narrowed by one at each end
        // for a thread seen in two samples or more.
        let span = |t: &Seen| {
            let narrow = usize::from(t.last > t.first);
            (2 * t.first + narrow, 2 * t.last - narrow)
        };
        // Weighted interval scheduling: sort by the end, and for each thread
        // take the better of leaving it out or adding it to the best set
        // among the threads that ended before it began.
        let mut threads: Vec<((usize, usize), Duration)> = self.threads.iter().map(|t| (span(t), t.work)).collect();
        threads.sort_by_key(|((_, end), _)| *end);
        let mut best = vec![Duration::ZERO; threads.len() + 1];
        for (i, ((begin, _), work)) in threads.iter().enumerate() {
            let before = threads[..i].partition_point(|((_, end), _)| end < begin);
            best[i + 1] = best[i].max(best[before] + *work);
        }
        best[threads.len()]
    }
}

/// Runs `run` on this thread while a sampler watches every thread of the
/// process. `None` where each thread's CPU time cannot be read (not Linux,
/// or `/proc` not mounted): then nothing is known of who did the work.
pub(crate) fn watched<O>(run: impl FnOnce() -> O) -> (O, Option<ThreadWork>) {
    #[cfg(target_os = "linux")]
    {
        linux::watched(run)
    }
    #[cfg(not(target_os = "linux"))]
    {
        (run(), None)
    }
}

#[cfg(target_os = "linux")]
pub(crate) mod linux {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    use super::{INTERVAL, Seen, ThreadWork};

    /// Sets the stop flag however the run ends (a panic included), so that
    /// the sampler always ends and the scope can close.
    struct StopOnDrop<'a>(&'a AtomicBool);

    impl Drop for StopOnDrop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Release);
        }
    }

    pub(super) fn watched<O>(run: impl FnOnce() -> O) -> (O, Option<ThreadWork>) {
        watched_finding_threads(run, false)
    }

    /// As [`watched`]; with `probing`, the threads are found by their ids
    /// from the start, as in a confined check (tests use it where `/proc`
    /// can be read).
    pub(super) fn watched_finding_threads<O>(run: impl FnOnce() -> O, probing: bool) -> (O, Option<ThreadWork>) {
        let stop = AtomicBool::new(false);
        let stop = &stop;
        std::thread::scope(|s| {
            let (ready, started) = mpsc::channel();
            let sampler = std::thread::Builder::new().name("grading-kit-sampler".into()).spawn_scoped(s, move || {
                let cpu_before = own_cpu();
                let mut log = Log { me: current_tid(), samples: 0, threads: HashMap::new(), probing };
                let readable = log.sample();
                let _ = ready.send(readable);
                if !readable {
                    return None;
                }
                while !stop.load(Ordering::Acquire) {
                    std::thread::sleep(INTERVAL);
                    log.sample();
                }
                log.sample();
                Some(log.finish(own_cpu().saturating_sub(cpu_before)))
            });
            let Ok(sampler) = sampler else { return (run(), None) };
            let stopper = StopOnDrop(stop);
            let readable = started.recv().unwrap_or(false);
            let output = run();
            drop(stopper);
            let work = sampler.join().ok().flatten();
            (output, work.filter(|_| readable))
        })
    }

    struct Thread {
        first: usize,
        last: usize,
        start: Duration,
        now: Duration,
    }

    struct Log {
        me: libc::pid_t,
        samples: usize,
        threads: HashMap<libc::pid_t, Thread>,
        /// Set once `/proc/self/task` could not be read: the threads are
        /// found by probing their ids.
        probing: bool,
    }

    impl Log {
        /// Reads every thread's clock once; false when the threads can be
        /// found neither way.
        fn sample(&mut self) -> bool {
            let readings = if self.probing { None } else { listed() };
            let readings = match readings {
                Some(readings) => readings,
                None => {
                    self.probing = true;
                    let mut probe = PROBE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    probe.catch_up(self.me);
                    probe.readings()
                }
            };
            if readings.is_empty() {
                // Not even the calling thread: clocks cannot be read.
                return false;
            }
            let index = self.samples;
            for (tid, now) in readings {
                if tid == self.me {
                    continue;
                }
                self.threads
                    .entry(tid)
                    .and_modify(|t| {
                        t.last = index;
                        t.now = now;
                    })
                    .or_insert(Thread {
                        first: index,
                        last: index,
                        // A thread there before the run started counts from
                        // the first sample; one born during it, from zero.
                        start: if index == 0 { now } else { Duration::ZERO },
                        now,
                    });
            }
            self.samples += 1;
            true
        }

        fn finish(self, sampler_cpu: Duration) -> ThreadWork {
            let threads = self
                .threads
                .into_iter()
                .map(|(tid, t)| Seen {
                    tid: i64::from(tid),
                    first: t.first,
                    last: t.last,
                    work: t.now.saturating_sub(t.start),
                })
                .filter(|t| !t.work.is_zero())
                .collect();
            ThreadWork { threads, sampler_cpu }
        }
    }

    /// Every thread listed in `/proc/self/task`, with its CPU time; `None`
    /// where the listing cannot be read.
    fn listed() -> Option<Vec<(libc::pid_t, Duration)>> {
        let tasks = std::fs::read_dir("/proc/self/task").ok()?;
        Some(
            tasks
                .flatten()
                .filter_map(|task| task.file_name().to_str()?.parse::<libc::pid_t>().ok())
                // A thread that ended since the listing has no clock: it
                // keeps its last reading.
                .filter_map(|tid| Some((tid, thread_cpu(tid)?)))
                .collect(),
        )
    }

    /// The ids probed above the highest one seen: a gap this long between
    /// two threads of this process (ids other processes took meanwhile) is
    /// still crossed. Each probe of an id that is not ours costs one failing
    /// `clock_gettime`, well under a microsecond.
    const WINDOW: libc::pid_t = 256;

    /// The most ids one catching-up scan reads (a few milliseconds' worth).
    const MOST_IDS: libc::pid_t = 1 << 16;

    /// This process's threads, found without `/proc`. Linux gives a thread's
    /// CPU clock only to threads of the same process, so probing an id
    /// answers "is this one of ours, and how much has it worked". New ids
    /// are given in increasing order (until they wrap, at `pid_max`), so a
    /// thread born after the highest id seen has a higher id. Kept between
    /// runs: a later run only scans the ids given since.
    ///
    /// A thread missed (born and gone between two samples, or beyond a gap
    /// wider than [`WINDOW`]) only makes the work found smaller: towards
    /// "not one thread", never towards a wrong fail.
    pub(super) struct Probe {
        /// Ids seen alive at the last sample.
        alive: std::collections::BTreeSet<libc::pid_t>,
        /// The highest id scanned so far.
        highest: libc::pid_t,
    }

    pub(super) static PROBE: std::sync::Mutex<Probe> =
        std::sync::Mutex::new(Probe { alive: std::collections::BTreeSet::new(), highest: 0 });

    impl Probe {
        /// Scans every id from the last one scanned up to `newest`, a
        /// thread just born (the sampler): the threads born between two
        /// runs lie there. The first scan starts at the process's own id,
        /// the main thread's, below every other thread of it.
        pub(super) fn catch_up(&mut self, newest: libc::pid_t) {
            let from = if self.highest == 0 { std::process::id() as libc::pid_t } else { self.highest + 1 };
            let from = from.max(newest.saturating_sub(MOST_IDS));
            for tid in from..=newest {
                if thread_cpu(tid).is_some() {
                    self.alive.insert(tid);
                }
            }
            self.highest = self.highest.max(newest);
        }

        /// Every thread of this process found now, with its CPU time.
        pub(super) fn readings(&mut self) -> Vec<(libc::pid_t, Duration)> {
            let mut readings: Vec<(libc::pid_t, Duration)> =
                self.alive.iter().filter_map(|&tid| Some((tid, thread_cpu(tid)?))).collect();
            let mut tid = self.highest;
            let mut last_found = self.highest;
            while tid < last_found.saturating_add(WINDOW) {
                tid += 1;
                if let Some(now) = thread_cpu(tid) {
                    readings.push((tid, now));
                    last_found = tid;
                }
            }
            self.highest = last_found;
            self.alive = readings.iter().map(|(tid, _)| *tid).collect();
            readings
        }
    }

    pub(crate) fn current_tid() -> libc::pid_t {
        // SAFETY: gettid takes no arguments and cannot fail.
        unsafe { libc::syscall(libc::SYS_gettid) as libc::pid_t }
    }

    /// The CPU clock of thread `tid` of this process, as glibc's
    /// `pthread_getcpuclockid` builds it: `(!tid << 3) | CPUCLOCK_PERTHREAD | CPUCLOCK_SCHED`.
    pub(crate) fn thread_cpu(tid: libc::pid_t) -> Option<Duration> {
        let clock: libc::clockid_t = ((!tid) << 3) | 4 | 2;
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid, writable timespec; a clock of a thread
        // that has ended gives an error, not undefined behaviour.
        let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
        (rc == 0).then(|| Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
    }

    fn own_cpu() -> Duration {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: as above, with the calling thread's clock.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        if rc == 0 { Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32) } else { Duration::ZERO }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hint::black_box;

    fn seen(first: usize, last: usize, ms: u64) -> Seen {
        Seen { tid: 0, first, last, work: Duration::from_millis(ms) }
    }

    fn work(threads: Vec<Seen>) -> Duration {
        ThreadWork { threads, sampler_cpu: Duration::ZERO }.one_at_a_time()
    }

    #[test]
    fn threads_alive_together_count_one_at_a_time_only_singly() {
        // The caller idle, two scoped threads from sample 1 to 30.
        assert_eq!(work(vec![seen(0, 31, 1), seen(1, 30, 50), seen(1, 30, 48)]), Duration::from_millis(50));
    }

    #[test]
    fn threads_joined_one_after_another_add_up() {
        // Each spawned after the previous one was joined.
        let joined = vec![seen(0, 31, 1), seen(1, 10, 30), seen(11, 20, 30), seen(21, 30, 29)];
        assert_eq!(work(joined), Duration::from_millis(89));
        // Two overlapping pairs, one after the other: one of each pair.
        let waves = vec![seen(1, 10, 30), seen(2, 10, 25), seen(11, 20, 20), seen(11, 19, 28)];
        assert_eq!(work(waves), Duration::from_millis(58));
    }

    #[test]
    fn one_shared_sample_is_a_hand_over_not_a_meeting() {
        // A joined thread still found, ending, in the sample where the next
        // one is first found.
        let handed_over = vec![seen(1, 11, 30), seen(11, 21, 30), seen(21, 31, 29)];
        assert_eq!(work(handed_over), Duration::from_millis(89));
        // Two samples shared are a meeting.
        assert_eq!(work(vec![seen(1, 11, 30), seen(10, 21, 29)]), Duration::from_millis(30));
        // Threads seen in one sample each, in the same one, met.
        assert_eq!(work(vec![seen(5, 5, 2), seen(5, 5, 1)]), Duration::from_millis(2));
    }

    /// CPU work of some milliseconds, however busy the machine is.
    #[cfg(target_os = "linux")]
    fn spin(iterations: u64) {
        let mut x = black_box(1u64);
        for _ in 0..black_box(iterations) {
            x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
    }

    /// The helpers' own CPU time, and what `one_at_a_time` finds of it
    /// among the threads `run` started (the test harness runs other tests'
    /// threads in this process meanwhile).
    #[cfg(target_os = "linux")]
    fn found(run: impl FnOnce(&(dyn Fn(u64) -> (i64, Duration) + Sync))) -> (Duration, Duration) {
        found_by(false, run)
    }

    /// As [`found`], the threads found by probing their ids (as in a
    /// confined check, which cannot read `/proc`) when `probing`.
    #[cfg(target_os = "linux")]
    fn found_by(probing: bool, run: impl FnOnce(&(dyn Fn(u64) -> (i64, Duration) + Sync))) -> (Duration, Duration) {
        use std::sync::Mutex;
        let helpers: Mutex<Vec<(i64, Duration)>> = Mutex::new(Vec::new());
        let helper = |iterations| {
            let tid = i64::from(linux::current_tid());
            spin(iterations);
            let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
            // SAFETY: a valid, writable timespec.
            assert_eq!(unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) }, 0);
            let own = Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32);
            helpers.lock().unwrap().push((tid, own));
            (tid, own)
        };
        let ((), seen) = linux::watched_finding_threads(|| run(&helper), probing);
        let helpers = helpers.into_inner().unwrap();
        let seen = seen.expect("Linux lists its threads");
        let theirs = ThreadWork {
            threads: seen.threads.into_iter().filter(|t| helpers.iter().any(|h| h.0 == t.tid)).collect(),
            sampler_cpu: Duration::ZERO,
        };
        (helpers.iter().map(|h| h.1).sum(), theirs.one_at_a_time())
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_sampler_sees_work_on_one_helper_thread() {
        let (all, found) = found(|helper| {
            std::thread::scope(|s| {
                s.spawn(|| helper(60_000_000));
            })
        });
        assert!(found.as_secs_f64() > 0.8 * all.as_secs_f64(), "{found:?} of {all:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_sampler_sees_threads_joined_one_at_a_time() {
        let (all, found) = found(|helper| {
            for _ in 0..3 {
                std::thread::scope(|s| {
                    s.spawn(|| helper(25_000_000));
                });
                // Time for the joined thread to be gone, however busy the
                // machine: the hand-over itself is the pure test's.
                std::thread::sleep(std::time::Duration::from_millis(30));
            }
        });
        assert!(found.as_secs_f64() > 0.8 * all.as_secs_f64(), "{found:?} of {all:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn scoped_threads_alive_together_are_not_one_at_a_time() {
        let (all, found) = found(|helper| {
            std::thread::scope(|s| {
                for _ in 0..4 {
                    s.spawn(|| helper(25_000_000));
                }
            })
        });
        // Four equal threads alive together: one of them did about a quarter.
        assert!(found.as_secs_f64() < 0.5 * all.as_secs_f64(), "{found:?} of {all:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn probing_ids_finds_what_listing_finds() {
        // One helper, three joined one at a time, four alive together: the
        // same findings as from `/proc/self/task`.
        let (all, found) = found_by(true, |helper| {
            std::thread::scope(|s| {
                s.spawn(|| helper(60_000_000));
            })
        });
        assert!(found.as_secs_f64() > 0.8 * all.as_secs_f64(), "one helper: {found:?} of {all:?}");
        let (all, found) = found_by(true, |helper| {
            for _ in 0..3 {
                std::thread::scope(|s| {
                    s.spawn(|| helper(25_000_000));
                });
                // Time for the joined thread to be gone, however busy the
                // machine: the hand-over itself is the pure test's.
                std::thread::sleep(std::time::Duration::from_millis(30));
            }
        });
        assert!(found.as_secs_f64() > 0.8 * all.as_secs_f64(), "joined: {found:?} of {all:?}");
        let (all, found) = found_by(true, |helper| {
            std::thread::scope(|s| {
                for _ in 0..4 {
                    s.spawn(|| helper(25_000_000));
                }
            })
        });
        assert!(found.as_secs_f64() < 0.5 * all.as_secs_f64(), "together: {found:?} of {all:?}");
    }
}
