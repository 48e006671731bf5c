//! Checks of `amdahl`.

grading_kit::subject!();

use std::time::Duration;

use grading_kit::helpers::SeededRng;
use grading_kit::{Speedup, expect};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// The trusted sequential versions.
mod oracle {

    pub fn predicted_speedup(s: f64, n: usize) -> f64 {
        1.0 / (s + (1.0 - s) / n as f64)
    }

    /// The serial chain, then every item, on this thread alone, with the same
    /// arithmetic as the exercise's given `chain_step` and `item_work`.
    pub fn run(workload: &crate::subject::Workload) -> u64 {
        let mut key = workload.seed;
        for _ in 0..workload.serial_steps {
            key = (key ^ (key >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9).rotate_left(17);
        }
        let mut total = 0u64;
        for &item in &workload.items {
            let mut x = item ^ key;
            for _ in 0..128 {
                x = (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
            }
            total = total.wrapping_add(x);
        }
        total
    }
}

/// A workload as plain data, to travel between the judge and the subject;
/// the same fields as the exercise's `Workload`.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Workload {
    seed: u64,
    serial_steps: u64,
    items: Vec<u64>,
}

impl Workload {
    fn to_subject(&self) -> subject::Workload {
        subject::Workload { seed: self.seed, serial_steps: self.serial_steps, items: self.items.clone() }
    }
}

/// The raw CPU times around one `run` on a pool of one thread.
#[derive(Debug, Serialize, Deserialize)]
struct CpuTimes {
    /// By every thread of the process.
    process: Duration,
    /// By the thread that called `run`.
    caller: Duration,
    /// By the pool's one thread.
    on_pool: Duration,
}

/// About a tenth of the sequential time in the serial chain, the rest in the
/// items (measured on the course's 2-core machine: 10 ms and 90 ms). The
/// chain's start and the items' values come from `seed`; the chain's length
/// and the number of items do not, so neither part's share changes.
fn speedup_workload(seed: u64) -> subject::Workload {
    let mut rng = SeededRng::new(seed);
    subject::Workload { seed: rng.next_u64(), serial_steps: 6_500_000, items: rng.take(750_000).collect() }
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a small thread pool can always be built")
}

/// CPU time used so far by every thread of this process.
fn process_cpu_time() -> Duration {
    cpu_clock(Clock::Process)
}

/// CPU time used so far by the calling thread.
fn thread_cpu_time() -> Duration {
    cpu_clock(Clock::Thread)
}

enum Clock {
    Process,
    Thread,
}

#[cfg(unix)]
fn cpu_clock(clock: Clock) -> Duration {
    let id = match clock {
        Clock::Process => libc::CLOCK_PROCESS_CPUTIME_ID,
        Clock::Thread => libc::CLOCK_THREAD_CPUTIME_ID,
    };
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec, and both clock ids are
    // constants that Linux, macOS and the BSDs provide.
    let rc = unsafe { libc::clock_gettime(id, &mut ts) };
    assert_eq!(rc, 0, "the CPU clocks are readable");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// No CPU clocks without a C library that has them (Windows): every
/// reading is zero, and the case that needs them does not judge.
#[cfg(not(unix))]
fn cpu_clock(_: Clock) -> Duration {
    Duration::ZERO
}

fn fractions() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(1.0), Just(0.5), 0.0..=1.0f64]
}

fn small_workloads() -> impl Strategy<Value = Workload> {
    (any::<u64>(), 0..300u64, prop::collection::vec(any::<u64>(), 0..100))
        .prop_map(|(seed, serial_steps, items)| Workload { seed, serial_steps, items })
}

fn main() {
    grading_kit::checks!()
        .property(
            "predicted_speedup follows Amdahl's law",
            (fractions(), 1..=64usize),
            // As bits: JSON has no NaN nor infinity, which a wrong formula
            // may well return.
            |&(s, n): &(f64, usize)| subject::predicted_speedup(s, n).to_bits(),
            |&(s, n), got| {
                let (got, want) = (f64::from_bits(got), oracle::predicted_speedup(s, n));
                expect(
                    (got - want).abs() <= 1e-9 * want,
                    format!(
                        "predicted_speedup({s}, {n}) returned {got}, but Amdahl's law gives {want:.6} = \
                         1 / (s + (1 - s) / n): the serial part takes as long on {n} threads as on one, and \
                         only the rest is divided by {n} (s + (1 - s) * n is Gustafson's law, a different \
                         question: how much more work fits in the same time)"
                    ),
                )
            },
        )
        .snapshot("a table of predictions", || {
            let threads = [1, 2, 4, 8, 16, 1024];
            let mut table = format!("{:>8}", "serial");
            threads.iter().for_each(|n| table += &format!("{n:>8}"));
            table.push('\n');
            for s in [0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0] {
                table += &format!("{s:>8}");
                threads.iter().for_each(|&n| table += &format!("{:>8.2}", subject::predicted_speedup(s, n)));
                table.push('\n');
            }
            table
        })
        .property(
            "run computes the chain, then the items",
            (small_workloads(), 1..=4usize),
            |(workload, n): &(Workload, usize)| subject::run(&workload.to_subject(), &pool(*n)),
            |(workload, _), got| {
                let want = oracle::run(&workload.to_subject());
                expect(
                    got == want,
                    format!(
                        "run gave {got}, expected {want}: the key is `seed` after `serial_steps` steps of \
                         `chain_step`, and the result the wrapping sum of `item_work(item, key)`"
                    ),
                )
            },
        )
        .case(
            "run does its parallel part on the pool it is given",
            || {
                // CPU time is counted whatever else the machine runs, so this
                // holds on a busy machine as on an idle one: the work is on the
                // calling thread (the chain) or on the pool's one thread.
                let workload = subject::Workload { seed: 3, serial_steps: 100_000, items: speedup_workload(7).items };
                let one = pool(1);
                let pool_before = one.install(thread_cpu_time);
                let (process_before, caller_before) = (process_cpu_time(), thread_cpu_time());
                std::hint::black_box(subject::run(&workload, &one));
                let (process, caller) = (process_cpu_time() - process_before, thread_cpu_time() - caller_before);
                let on_pool = one.install(thread_cpu_time) - pool_before;
                CpuTimes { process, caller, on_pool }
            },
            |CpuTimes { process, caller, on_pool }| {
                // Without CPU clocks (Windows) nothing was measured: the case
                // cannot see where the work ran, and says nothing against it.
                if process.is_zero() && cfg!(not(unix)) {
                    return Ok(());
                }
                let elsewhere = process.saturating_sub(caller + on_pool).as_secs_f64() / process.as_secs_f64();
                expect(
                    elsewhere < 0.25,
                    format!(
                        "given a pool of one thread, run did {:.0}% of its work on other threads (rayon's global \
                         pool?): call `par_iter` inside `pool.install(|| ...)`, so that the caller decides how \
                         many threads the parallel part gets",
                        elsewhere * 100.0
                    ),
                )
            },
        )
        .speedup(
            "on all cores, about as fast as Amdahl's law predicts",
            Speedup::seeded(speedup_workload, oracle::run, move |workload: &subject::Workload| {
                thread_local! {
                    static ALL: rayon::ThreadPool = pool(grading_kit::workers());
                }
                ALL.with(|all| subject::run(workload, all))
            }),
        )
        .main();
}
