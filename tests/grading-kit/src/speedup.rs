//! Measuring speedup: the trusted sequential reference against the learner's
//! code, on the same input, in interleaved pairs, in one optimised process.
//!
//! The verdict itself is a pure function of the figures: see [`crate::verdict`].

use std::fmt::Debug;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::protocol::{CheckResult, Curve, CurvePoint, Finding, SlowCause, SpeedupFigures, SpeedupVerdict, Status};
use crate::threads;
use crate::verdict::{self, Evidence, FailCause, RoundVerdict};

/// Interleaved (reference, learner) pairs per round.
const PAIRS: usize = 7;
/// Fewer pairs are enough when a round has run past its time budget: code
/// that slow is far from any threshold, and a fail still needs every round
/// to agree. Keeps a check of very slow code (one lock around everything is
/// some 8x slower than the reference) under 10 s on two cores.
const MIN_PAIRS: usize = 2;
const ROUND_BUDGET: Duration = Duration::from_millis(2000);

/// A speedup check: how to build the input, the trusted sequential
/// reference, and the learner's code under test.
///
/// The input should take the reference some 50–200 ms: long enough that
/// thread start-up and timer noise do not matter, short enough that a
/// check stays within a few seconds.
pub struct Speedup<I, O> {
    input: Box<dyn Fn(u64) -> I>,
    reference: Box<dyn Fn(&I) -> O + Send + Sync>,
    subject: Box<dyn Fn(&I) -> O + Send + Sync>,
    efficiency: f64,
    /// A probe of the hardware effect the lesson is about: `Err(why)` where
    /// this machine does not show it. See [`Speedup::needs`].
    effect: Option<Box<dyn Fn() -> Result<(), String>>>,
}

impl<I: Send + Sync, O: PartialEq + Debug + Send> Speedup<I, O> {
    /// `input` builds the (deterministic) input; `reference` is the trusted
    /// sequential code; `subject` calls the learner's parallel code.
    pub fn new(
        input: impl Fn() -> I + 'static,
        reference: impl Fn(&I) -> O + Send + Sync + 'static,
        subject: impl Fn(&I) -> O + Send + Sync + 'static,
    ) -> Self {
        Speedup::seeded(move |_| input(), reference, subject)
    }

    /// As [`Speedup::new`], with an input built from a seed that is new at
    /// every call: each timed pair then gets an input of its own content,
    /// so learner code cannot remember an earlier call's result and return
    /// it (a cache keyed by the input). Any check whose input can vary
    /// should use this; with [`Speedup::new`], every pair gets an equal
    /// input, rebuilt but the same.
    pub fn seeded(
        input: impl Fn(u64) -> I + 'static,
        reference: impl Fn(&I) -> O + Send + Sync + 'static,
        subject: impl Fn(&I) -> O + Send + Sync + 'static,
    ) -> Self {
        Speedup {
            input: Box::new(input),
            reference: Box::new(reference),
            subject: Box::new(subject),
            efficiency: 0.5,
            effect: None,
        }
    }

    /// The lesson's speedup depends on a hardware effect that not every
    /// machine shows (false sharing needs cores with caches of their own).
    /// `probe`, run before any learner code, measures it with the kit's own
    /// code and returns `Err(why)` where it is absent. There a `pass` says
    /// nothing of the lesson: it becomes `inconclusive`, saying `why`. A
    /// `fail` stays a fail (sequential code is wrong on any machine), so the
    /// grade of the lesson itself should rest on a property that holds
    /// everywhere (a layout, say).
    pub fn needs(mut self, probe: impl Fn() -> Result<(), String> + 'static) -> Self {
        self.effect = Some(Box::new(probe));
        self
    }

    /// The share of the ideal gain the exercise asks for (default 0.5: on 2
    /// idle cores the threshold is about 1.5x).
    pub fn efficiency(mut self, efficiency: f64) -> Self {
        assert!((0.0..=1.0).contains(&efficiency), "efficiency is a share of the ideal gain");
        self.efficiency = efficiency;
        self
    }

    pub(crate) fn run(&self) -> CheckResult {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // The first calibration runs before any learner code, on a pool of
        // the kit's own: nothing learner code does (to rayon's global pool,
        // or with threads it leaves running) can have touched it yet.
        let pool = calibration_pool(cores);
        let first_calibration = (cores >= 2).then(|| calibrate_on(&pool, cores));
        // The hardware effect, measured before learner code can disturb it.
        let effect_absent = match (&self.effect, cores >= 2) {
            (Some(probe), true) => probe().err(),
            _ => None,
        };
        // One checked pair first: a wrong output is not worth timing, and
        // the learner's code starts its threads (rayon's pool) here, not in
        // a timed run.
        if let Err(wrong) = self.checked_pair(&(self.input)(fresh_seed())) {
            return CheckResult { status: Status::Fail, finding: unmeasured(cores, wrong) };
        }
        let Some(mut calibration) = first_calibration else {
            // Nothing to measure: one core cannot show parallel speedup.
            let why = match verdict::judge(
                &Evidence {
                    cores,
                    calibration: 1.0,
                    speedup: 1.0,
                    subject_cores_used: 1.0,
                    reference_cores_used: 1.0,
                    one_thread_share: 1.0,
                    threads_seen: false,
                    pairs: 0,
                    workload_gain: None,
                },
                self.efficiency,
            ) {
                RoundVerdict::Inconclusive(why) => why,
                other => unreachable!("one core is always inconclusive, not {other:?}"),
            };
            let verdict = SpeedupVerdict::Undecided { why };
            return CheckResult { status: Status::Inconclusive, finding: unmeasured(cores, verdict) };
        };

        let mut verdicts = Vec::new();
        let mut figures = Vec::new();
        // The foreign cores of each round that was void for them.
        let mut voided: Vec<f64> = Vec::new();
        // Copies of the reference, timed over the rounds that need them.
        let mut copies = Copies { one: f64::INFINITY, all: f64::INFINITY };
        loop {
            let round = match self.measure_round(&pool, cores, calibration) {
                Ok(round) => round,
                Err(wrong) => return CheckResult { status: Status::Fail, finding: unmeasured(cores, wrong) },
            };
            // The reading after one round is the reading before the next:
            // they would be taken back to back.
            calibration = round.calibration_after;
            let mut evidence = round.evidence(cores);
            let foreign = round.foreign_cores();
            verdicts.push(if foreign > verdict::FOREIGN_CORES_VOID {
                voided.push(foreign);
                RoundVerdict::Inconclusive(format!(
                    "threads your code left running kept {foreign:.2} cores busy while the sequential reference \
                     ran, so the two cannot be compared; make sure every thread you start has finished (joined) \
                     before your function returns"
                ))
            } else {
                match verdict::judge(&evidence, self.efficiency) {
                    // Measured only here: a pass, or one core, does not
                    // need it, and it costs some four reference runs.
                    RoundVerdict::Fail(cause) if cause.rests_on_the_machine() => {
                        self.time_copies(cores, &mut copies);
                        evidence.workload_gain = Some(copies.gain(cores));
                        verdict::judge(&evidence, self.efficiency)
                    }
                    verdict => verdict,
                }
            });
            figures.push(round.figures(&evidence, self.efficiency));
            if let Some((final_verdict, shown)) = verdict::combine(&verdicts) {
                let figures = SpeedupFigures { rounds: verdicts.len() as u32, ..figures.swap_remove(shown) };
                // Void in every round: threads that outlive each call are
                // the learner's doing, not the machine's (other processes'
                // load never counts as this process's CPU), so doubt they
                // keep buying is a fail, and says why.
                if final_verdict != RoundVerdict::Pass && voided.len() == verdicts.len() {
                    return left_running(cores, &voided);
                }
                if let (RoundVerdict::Pass, Some(why)) = (&final_verdict, &effect_absent) {
                    return report(RoundVerdict::Inconclusive(why.clone()), figures);
                }
                return report(final_verdict, figures);
            }
        }
    }

    /// Times `cores` copies of the sequential reference run at once on one
    /// input, sharing nothing else, and one copy run alone, a few times
    /// each, into `copies`. The copies are timed first, while the cores are
    /// still awake from the round. Only kit code runs here.
    fn time_copies(&self, cores: usize, copies: &mut Copies) {
        const TRIES: usize = 2;
        // The main thread's stack, for a reference that recurses deeply.
        const STACK: usize = 8 << 20;
        let input = (self.input)(fresh_seed());
        let (reference, input) = (&self.reference, &input);
        let one = || drop(black_box(reference(input)));
        let all_at_once = || {
            std::thread::scope(|s| {
                for _ in 1..cores {
                    std::thread::Builder::new()
                        .stack_size(STACK)
                        .spawn_scoped(s, one)
                        .expect("the kit can start a thread");
                }
                one();
            })
        };
        for _ in 0..TRIES {
            copies.all = copies.all.min(time(all_at_once));
            copies.one = copies.one.min(time(one));
        }
    }

    /// Runs the reference and the learner's code once each on `input`,
    /// untimed, and compares their outputs.
    fn checked_pair(&self, input: &I) -> Result<(), SpeedupVerdict> {
        compare((self.reference)(input), (self.subject)(input))
    }

    /// The learner's code on rayon pools of 1, 2, … all cores, against the
    /// reference: what `cargo xtask curve` plots.
    pub(crate) fn curve(&self) -> Curve {
        const RUNS: usize = 3;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let input = (self.input)(fresh_seed());
        let reference_ms =
            median((0..RUNS).map(|_| measure(|| (self.reference)(&input)).0.wall.as_secs_f64() * 1e3).collect());
        let points = (1..=cores)
            .map(|threads| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .expect("a pool of at most as many threads as cores can be built");
                WORKERS.store(threads, Ordering::Relaxed);
                let (subject, input) = (&self.subject, &input);
                let samples: Vec<Sample> = pool.install(|| {
                    black_box(subject(input));
                    (0..RUNS).map(|_| measure(|| subject(input)).0).collect()
                });
                WORKERS.store(0, Ordering::Relaxed);
                CurvePoint {
                    threads,
                    ms: round2(median(samples.iter().map(|s| s.wall.as_secs_f64() * 1e3).collect())),
                    cores_used: round2(median(samples.iter().map(Sample::cores_used).collect())),
                }
            })
            .collect();
        Curve { reference_ms: round2(reference_ms), points }
    }

    /// One round of interleaved pairs. Each pair gets a fresh input (built
    /// untimed), so that nothing the learner's code kept from an earlier
    /// run (a cache keyed by the input, a mutation of it) can speed up a
    /// later one; both outputs are compared after the timing.
    fn measure_round(
        &self,
        pool: &rayon::ThreadPool,
        cores: usize,
        calibration_before: Calibration,
    ) -> Result<Round, SpeedupVerdict> {
        let mut reference = Vec::with_capacity(PAIRS);
        let mut subject = Vec::with_capacity(PAIRS);
        let started = Instant::now();
        let mut last_pair = Duration::ZERO;
        for pair in 0..PAIRS {
            // Very slow code says enough in fewer pairs, and must not run
            // into the watchdog's limit over three rounds: no pair starts
            // that would, by the last one's time, end past the budget.
            let pair_started = started.elapsed();
            if pair >= MIN_PAIRS && pair_started + last_pair > ROUND_BUDGET {
                break;
            }
            let input = (self.input)(fresh_seed());
            // Alternate which runs first, so that drift in the machine's
            // load (or in its clock speed) falls on both sides alike.
            let (expected, actual) = if pair % 2 == 0 {
                let (reference_sample, expected) = measure_watched(|| (self.reference)(&input));
                let (subject_sample, actual) = measure_watched(|| (self.subject)(&input));
                reference.push(reference_sample);
                subject.push(subject_sample);
                (expected, actual)
            } else {
                let (subject_sample, actual) = measure_watched(|| (self.subject)(&input));
                let (reference_sample, expected) = measure_watched(|| (self.reference)(&input));
                reference.push(reference_sample);
                subject.push(subject_sample);
                (expected, actual)
            };
            compare(expected, actual)?;
            drop(input);
            last_pair = started.elapsed() - pair_started;
        }
        let calibration_after = calibrate_on(pool, cores);
        Ok(Round { reference, subject, calibration_before, calibration_after })
    }
}

/// `Ok` when the learner's output is the reference's.
fn compare<O: PartialEq + Debug>(expected: O, actual: O) -> Result<(), SpeedupVerdict> {
    if actual == expected {
        return Ok(());
    }
    Err(SpeedupVerdict::WrongOutput {
        expected: crate::property::abbreviate(&format!("{expected:?}")),
        actual: crate::property::abbreviate(&format!("{actual:?}")),
    })
}

/// A seed no earlier call gave (in this process): the clock at the first
/// call, then a large odd step per call.
fn fresh_seed() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static BASE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let base = *BASE.get_or_init(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
    });
    base.wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Threads the code under test should use; 0 means "all cores".
static WORKERS: AtomicUsize = AtomicUsize::new(0);

/// How many workers the code under test should use: every core, except
/// while `cargo xtask curve` measures it on fewer. Check crates pass it to
/// learner functions that take a worker count; rayon code needs nothing, as
/// it runs inside a pool of that size.
pub fn workers() -> usize {
    match WORKERS.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// One run's wall time, the CPU time the whole process spent meanwhile, the
/// part of it spent by the calling thread, and (where each thread's CPU time
/// can be read) the largest part done one thread at a time.
#[derive(Clone, Copy, Debug)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    caller: Duration,
    /// See `ThreadWork::one_at_a_time`; `None` where threads cannot be
    /// watched.
    one_at_a_time: Option<Duration>,
}

impl Sample {
    fn cores_used(&self) -> f64 {
        self.cpu.as_secs_f64() / self.wall.as_secs_f64().max(1e-9)
    }

    /// The largest share of the work that one thread did, or threads did
    /// one at a time (each started after the one before ended): about 1 for
    /// sequential code, on the calling thread or on one helper, however many
    /// idle threads it spawned. Where threads cannot be watched, the calling
    /// thread's share, which is never more than that.
    fn one_thread_share(&self) -> f64 {
        let serial = self.one_at_a_time.unwrap_or(Duration::ZERO).max(self.caller);
        (serial.as_secs_f64() / self.cpu.as_secs_f64().max(1e-9)).min(1.0)
    }
}

/// Times `run`; its output is returned, to be checked and dropped outside
/// the timing.
fn measure<O>(run: impl FnOnce() -> O) -> (Sample, O) {
    let cpu_start = process_cpu_time();
    let caller_start = thread_cpu_time();
    let start = Instant::now();
    let output = black_box(run());
    let wall = start.elapsed();
    let caller = thread_cpu_time().saturating_sub(caller_start);
    let cpu = process_cpu_time().saturating_sub(cpu_start);
    (Sample { wall, cpu, caller, one_at_a_time: None }, output)
}

/// As [`measure`], while a sampler of the kit watches which threads do the
/// work. Its own CPU time is not the run's.
fn measure_watched<O>(run: impl FnOnce() -> O) -> (Sample, O) {
    let ((sample, output), work) = threads::watched(|| measure(run));
    let sample = match work {
        Some(work) => Sample {
            cpu: sample.cpu.saturating_sub(work.sampler_cpu).max(sample.caller),
            one_at_a_time: Some(work.one_at_a_time()),
            ..sample
        },
        None => sample,
    };
    (sample, output)
}

/// The best times, over the check so far, of one copy of the sequential
/// reference alone and of as many copies as cores run at once: noise only
/// lengthens a time, so the shortest of each is the fairest reading.
struct Copies {
    one: f64,
    all: f64,
}

impl Copies {
    /// What the copies at once gained over one alone: near `cores` where
    /// the cores run this work without slowing each other down.
    fn gain(&self, cores: usize) -> f64 {
        cores as f64 * self.one / self.all
    }
}

struct Round {
    reference: Vec<Sample>,
    subject: Vec<Sample>,
    calibration_before: Calibration,
    calibration_after: Calibration,
}

impl Round {
    fn evidence(&self, cores: usize) -> Evidence {
        let ratios: Vec<f64> = self
            .reference
            .iter()
            .zip(&self.subject)
            .map(|(r, s)| r.wall.as_secs_f64() / s.wall.as_secs_f64().max(1e-9))
            .collect();
        Evidence {
            cores,
            calibration: Calibration::combine(self.calibration_before, self.calibration_after),
            speedup: median(ratios),
            subject_cores_used: median(self.subject.iter().map(Sample::cores_used).collect()),
            reference_cores_used: median(self.reference.iter().map(Sample::cores_used).collect()),
            one_thread_share: median(self.subject.iter().map(Sample::one_thread_share).collect()),
            threads_seen: self.subject.iter().all(|s| s.one_at_a_time.is_some()),
            pairs: self.subject.len(),
            workload_gain: None,
        }
    }

    /// How many cores threads other than the caller kept busy while the
    /// sequential reference ran (median over the pairs). The reference runs
    /// on the calling thread alone and the kit's calibration pool is idle
    /// then, so this is what learner code left running: threads that
    /// would slow the reference down and make the learner's code look
    /// faster than it is.
    fn foreign_cores(&self) -> f64 {
        median(
            self.reference
                .iter()
                .map(|s| s.cpu.saturating_sub(s.caller).as_secs_f64() / s.wall.as_secs_f64().max(1e-9))
                .collect(),
        )
    }

    /// What the learner reads of this round, from the evidence it gave.
    fn figures(&self, evidence: &Evidence, efficiency: f64) -> SpeedupFigures {
        let ms = |samples: &[Sample]| median(samples.iter().map(|s| s.wall.as_secs_f64() * 1e3).collect());
        SpeedupFigures {
            speedup: round2(evidence.speedup),
            required: round2(evidence.required(efficiency)),
            cores: evidence.cores,
            cores_used: round2(evidence.subject_cores_used),
            reference_cores_used: round2(evidence.reference_cores_used),
            calibration: round2(evidence.calibration),
            reference_ms: round2(ms(&self.reference)),
            subject_ms: round2(ms(&self.subject)),
            workload_gain: evidence.workload_gain.map(round2),
            rounds: 1,
        }
    }
}

fn report(verdict: RoundVerdict, figures: SpeedupFigures) -> CheckResult {
    let (status, verdict) = match verdict {
        RoundVerdict::Pass => (Status::Pass, SpeedupVerdict::Faster),
        RoundVerdict::Fail(cause) => {
            (Status::Fail, SpeedupVerdict::Slow { cause: slow_cause(cause), advice: advice(cause) })
        }
        RoundVerdict::Inconclusive(why) => (Status::Inconclusive, SpeedupVerdict::Undecided { why }),
    };
    CheckResult { status, finding: Finding::Speedup { figures, verdict } }
}

/// A fail for threads left running during the reference's turn in every
/// round: the check could never compare the two. A void round measured
/// nothing (its speedup is the spinners' doing), so the figures are those
/// of no measurement: no partial credit can be read from them.
fn left_running(cores: usize, voided: &[f64]) -> CheckResult {
    let least = voided.iter().copied().fold(f64::INFINITY, f64::min);
    let advice = format!(
        "in every one of {} rounds, threads your code left running kept at least {least:.2} cores busy while \
         the sequential reference ran, so your code's speed could never be compared with it. Make sure every \
         thread you start has finished (joined) before your function returns.",
        voided.len()
    );
    let verdict = SpeedupVerdict::Slow { cause: SlowCause::BusyWithoutGain, advice };
    CheckResult { status: Status::Fail, finding: unmeasured(cores, verdict) }
}

/// The figures of a check that measured nothing: `rounds: 0`, every
/// measurement 0 (a wrong output, a single core, or rounds all void).
fn unmeasured(cores: usize, verdict: SpeedupVerdict) -> Finding {
    Finding::Speedup { figures: SpeedupFigures::unmeasured(cores), verdict }
}

fn slow_cause(cause: FailCause) -> SlowCause {
    match cause {
        FailCause::OneCore => SlowCause::OneCore,
        FailCause::BusyWithoutGain => SlowCause::BusyWithoutGain,
        FailCause::TooSlow => SlowCause::TooSlow,
    }
}

/// The kit's words for a learner whose code is slow for `cause`, kept beside
/// the typed cause.
fn advice(cause: FailCause) -> String {
    let what = match cause {
        FailCause::OneCore => {
            "your code used about one core, like the sequential reference: one thread did \
             almost all the work (the calling thread or one you started), or your threads ran \
             one after another. Spawning threads is not enough; the work itself must be split \
             between them, and they must run at the same time (start them all, then join them)."
        }
        FailCause::BusyWithoutGain => {
            "your code kept several cores busy but got no faster: the extra CPU time went into \
             waiting (spinning, fighting over one lock) or into repeated work, not into the task."
        }
        FailCause::TooSlow => {
            "your code runs in parallel but gains too little: look for pieces of work too small \
             to pay for their scheduling, shared state every thread must lock, or a large \
             sequential part."
        }
    };
    what.to_string()
}

/// What a pure-compute kernel gains on `cores` threads right now, with plain
/// threads and on a rayon pool: the best of a few tries of each.
///
/// Noise only ever lowers these ratios (a neighbour can slow the parallel
/// run, never speed it up; a sleeping core takes a while to wake), so the
/// best try is the fairest reading of what the machine can deliver.
pub fn calibrate(cores: usize) -> Calibration {
    calibrate_on(&calibration_pool(cores), cores)
}

/// A rayon pool of the kit's own, of `cores` threads: the calibration
/// kernel measures what rayon delivers on it, never on the global pool that
/// learner code uses (and may have configured).
fn calibration_pool(cores: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .thread_name(|i| format!("grading-kit-calibration-{i}"))
        .build()
        .expect("a pool of as many threads as cores can be built")
}

fn calibrate_on(kit_pool: &rayon::ThreadPool, cores: usize) -> Calibration {
    const WORK: u64 = 2_000_000;
    const TRIES: usize = 3;
    let chunks = (cores * 4) as u64;
    let on_pool =
        || kit_pool.install(|| (0..chunks).into_par_iter().map(|_| spin(WORK)).reduce(|| 0, u64::wrapping_add));
    let on_threads = |work: u64| {
        std::thread::scope(|s| {
            for _ in 0..cores {
                s.spawn(move || spin(work));
            }
        })
    };
    // The first use of a rayon pool wakes its threads: not what we measure.
    black_box(on_pool());
    // Every core busy for some 45 ms first. On a virtual machine a core left
    // idle (while sequential code ran on the other) can take tens of
    // milliseconds to be given real time again; the tries below last a few
    // milliseconds each and would read that as "no parallel gain", though a
    // learner's run of 50 ms and more hardly feels it. Measured on the
    // course's 2-core machine after 1.6 s of one busy core: 7 and 8 readings
    // in 30 below 1.5 without this, none with it.
    on_threads(WORK * 15);
    let best = |ratios: Vec<f64>| ratios.into_iter().fold(0.0, f64::max);
    let threads = best(
        (0..TRIES)
            .map(|_| {
                let one = time(|| spin(WORK));
                let all = time(|| on_threads(WORK));
                cores as f64 * one / all
            })
            .collect(),
    );
    let pool = best(
        (0..TRIES)
            .map(|_| time(|| (0..chunks).map(|_| spin(WORK)).fold(0, u64::wrapping_add)) / time(on_pool))
            .collect(),
    );
    Calibration { threads, pool }
}

/// The gain of the calibration kernels, on plain threads and on rayon's pool.
#[derive(Clone, Copy, Debug)]
pub struct Calibration {
    pub threads: f64,
    pub pool: f64,
}

impl Calibration {
    /// Best of the readings before and after the pairs, for each runtime,
    /// then the lower runtime: neither kind of learner code is asked for more
    /// than its runtime could deliver.
    fn combine(before: Calibration, after: Calibration) -> f64 {
        before.threads.max(after.threads).min(before.pool.max(after.pool))
    }
}

fn time<O>(run: impl FnOnce() -> O) -> f64 {
    measure(run).0.wall.as_secs_f64().max(1e-9)
}

/// Integer work the optimiser cannot remove or precompute: the input goes
/// through `black_box`, or the whole loop folds to a constant at compile time.
fn spin(iterations: u64) -> u64 {
    let mut x = black_box(0x9E37_79B9_7F4A_7C15_u64);
    for _ in 0..black_box(iterations) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    black_box(x)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// CPU time consumed so far by every thread of this process.
#[cfg(unix)]
fn process_cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant
    // every Unix we support provides.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "the process CPU clock is always readable");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// CPU time consumed so far by the calling thread.
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: as for `process_cpu_time`, with the calling thread's clock.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "the thread CPU clock is always readable");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    Duration::ZERO
}

/// Without a process CPU clock "cores used" reads as zero, which the verdict
/// model reads as "cannot be measured here": inconclusive, never pass or fail.
#[cfg(not(unix))]
fn process_cpu_time() -> Duration {
    Duration::ZERO
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_samples() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(vec![]), 0.0);
    }

    fn sample(wall_ms: u64, cpu_ms: u64, caller_ms: u64) -> Sample {
        let ms = Duration::from_millis;
        Sample { wall: ms(wall_ms), cpu: ms(cpu_ms), caller: ms(caller_ms), one_at_a_time: None }
    }

    #[test]
    fn cpu_of_other_threads_during_the_reference_is_foreign() {
        let calibration = Calibration { threads: 2.0, pool: 2.0 };
        let round = |reference| Round {
            reference,
            subject: vec![sample(50, 100, 10)],
            calibration_before: calibration,
            calibration_after: calibration,
        };
        let quiet = round(vec![sample(100, 101, 100), sample(100, 100, 100), sample(100, 150, 100)]);
        assert!(quiet.foreign_cores() < 0.05, "one disturbed pair of three is not enough");
        let spun = round(vec![sample(100, 190, 100), sample(100, 200, 100), sample(100, 101, 100)]);
        assert!((spun.foreign_cores() - 0.9).abs() < 1e-9);
    }

    #[test]
    fn rounds_all_void_fail_with_no_figures_to_give_credit_for() {
        let result = left_running(2, &[0.9, 0.54, 0.7]);
        assert_eq!(result.status, Status::Fail);
        let Finding::Speedup { figures, verdict } = result.finding else { panic!("not a speedup finding") };
        assert_eq!((figures.rounds, figures.speedup, figures.required), (0, 0.0, 0.0), "nothing was measured");
        match verdict {
            SpeedupVerdict::Slow { cause: SlowCause::BusyWithoutGain, advice } => {
                assert!(advice.contains("every one of 3 rounds") && advice.contains("0.54 cores"), "{advice}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn outputs_are_compared_outside_the_timing() {
        assert_eq!(compare(vec![1], vec![1]), Ok(()));
        assert_eq!(
            compare(vec![1], vec![2]),
            Err(SpeedupVerdict::WrongOutput { expected: "[1]".into(), actual: "[2]".into() })
        );
    }

    #[test]
    fn each_pair_gets_a_fresh_input_and_its_outputs_are_checked() {
        use std::sync::Arc;
        let built = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&built);
        let spec = Speedup::new(
            move || counter.fetch_add(1, Ordering::SeqCst) as u64,
            |&n: &u64| spin(n + 1000),
            // Wrong on the fourth input only: the third pair of the first
            // round, after the untimed first check.
            |&n: &u64| spin(n + 1000) + u64::from(n == 3),
        );
        let result = spec.run();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let Finding::Speedup { figures, verdict } = result.finding else { panic!("{result:?}") };
        assert_eq!(figures.rounds, 0, "nothing measured is reported");
        if cores >= 2 {
            assert_eq!(result.status, Status::Fail);
            assert!(matches!(verdict, SpeedupVerdict::WrongOutput { .. }), "{verdict:?}");
            assert_eq!(built.load(Ordering::SeqCst), 4, "one input per pair, and one for the first check");
        }
    }

    #[test]
    fn the_calibration_kernel_is_not_folded_away() {
        let short = time(|| spin(1_000));
        let long = time(|| spin(10_000_000));
        assert!(long > short * 10.0, "spin(10M) took {long}s, spin(1k) {short}s");
    }
}
