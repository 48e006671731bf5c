//! The command line. The doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Graded exercises in concurrency and parallelism.
///
/// Start with `cargo xtask check`: it checks your exercises and names the next
/// one to work on.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
pub struct Xtask {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// List the exercises in order, with their status and your progress.
    List,
    /// Check your exercises (all of them, or the ones named).
    Check(CheckArgs),
    /// Show the hints of an exercise.
    Hint {
        /// The exercise, as `cargo xtask list` names it.
        exercise: String,
    },
    /// Check the exercise you are on, again on every save; keys for hints,
    /// the list, the next exercise. Start here.
    Watch(WatchArgs),
    /// Start an exercise again from its stub (your code is kept as a backup).
    Reset(ResetArgs),
    /// Run your parallel code on 1, 2, … threads: the speedup curve, an SVG
    /// plot of it, and how much of the work stays serial (Amdahl's law).
    Curve {
        /// The exercise, as `cargo xtask list` names it.
        exercise: String,
    },
    /// Maintainers: copy each exercise's shipped `src/` to
    /// `tests/checks/NAME/stub/`, the copy `reset` restores from.
    #[command(hide = true)]
    SyncStubs,
    /// Instructors: grade a submission (or a class of them) in points, with
    /// reports for CI tools. Exits 0 when grading ran, whatever the score
    /// (undecided points are errors in the reports); 2 when it could not run.
    Grade(GradeArgs),
    /// Maintainers' self-test: every solution passes, every stub and every
    /// wrong-solution fixture fails as the catalogue says.
    Verify {
        /// The exercises to verify; all of them when left out.
        exercises: Vec<String>,
    },
    /// Measure this machine: can it grade speedup, and with which thresholds?
    Calibrate,
    /// Run an exploration check again in the interleaving a replay token
    /// describes (the token is in the check's failure message).
    Replay {
        /// The exercise, as `cargo xtask list` names it.
        exercise: String,
        /// The replay token, as the failure printed it.
        token: String,
        /// Replay the learner code found in DIR (its `exercises/*/src`).
        #[arg(long, value_name = "DIR")]
        submission: Option<PathBuf>,
    },
    /// Benchmark the speedup verdicts: adversarial fixtures under load.
    BenchVerdicts(BenchArgs),
    /// Instructors: pack this course as a Gradescope autograder zip
    /// (`setup.sh`, `run_autograder`, the course's sources).
    GradescopeAutograder(AutograderArgs),
}

#[derive(Args)]
pub struct AutograderArgs {
    /// The exercises the assignment grades; all of them when left out.
    #[arg(long = "exercise", value_name = "NAME")]
    pub exercises: Vec<String>,
    /// The zip to write.
    #[arg(value_name = "OUT.zip")]
    pub out: PathBuf,
    /// Show speedup tests to students only after the due date.
    #[arg(long)]
    pub hide_speedup_until_due: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    /// The exercises to check; all of them when left out.
    pub exercises: Vec<String>,
    /// Check the reference solutions instead of your code.
    #[arg(long, conflicts_with = "submission")]
    pub solutions: bool,
    /// Check the learner code found in DIR (its `exercises/*/src`) instead
    /// of this workspace's; everything else comes from this workspace.
    #[arg(long, value_name = "DIR")]
    pub submission: Option<PathBuf>,
    /// Maintainers: write the snapshots from the reference solutions
    /// (review the change with `git diff` before committing it).
    #[arg(long, requires = "solutions")]
    pub bless: bool,
    /// How to print the verdicts.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Args)]
pub struct WatchArgs {
    /// The exercise to start with; the first one that does not pass yet
    /// when left out.
    pub exercise: Option<String>,
    /// How often to look for saved files, in milliseconds.
    #[arg(long, default_value_t = 200, value_name = "MS", hide = true)]
    pub poll_ms: u64,
}

#[derive(Args)]
pub struct ResetArgs {
    /// The exercise, as `cargo xtask list` names it.
    pub exercise: String,
    /// With `--restore`: the backup to bring back, as `--list` names it.
    #[arg(requires = "restore")]
    pub backup: Option<String>,
    /// List the backups of the exercise instead.
    #[arg(long, conflicts_with = "restore")]
    pub list: bool,
    /// Bring back a backup instead of the stub: `reset --restore EXERCISE BACKUP`.
    #[arg(long, requires = "backup")]
    pub restore: bool,
}

#[derive(Args)]
pub struct GradeArgs {
    /// The exercises to grade; all of them when left out.
    pub exercises: Vec<String>,
    /// Grade the learner code found in DIR (its `exercises/*/src`); the
    /// checks, snapshots, manifests and everything else come from this
    /// workspace. Without it, the working tree is graded.
    #[arg(long, value_name = "DIR", conflicts_with = "submissions")]
    pub submission: Option<PathBuf>,
    /// Grade every folder in DIR as a submission, one at a time, and write
    /// a class CSV, a summary and each student's reports under `--out`.
    #[arg(long, value_name = "DIR")]
    pub submissions: Option<PathBuf>,
    /// The student's name in the reports (default: the submission folder's).
    #[arg(long, conflicts_with = "submissions")]
    pub student: Option<String>,
    /// Write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "submissions")]
    pub junit: Option<PathBuf>,
    /// Write a Gradescope `results.json` to FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "submissions")]
    pub gradescope: Option<PathBuf>,
    /// Write the JSON of `check --format json` to FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "submissions")]
    pub json: Option<PathBuf>,
    /// Write GitHub Classroom's autograding result to FILE: the JSON that
    /// `autograding-grading-reporter` reads, once base64-encoded.
    #[arg(long, value_name = "FILE", conflicts_with = "submissions")]
    pub classroom: Option<PathBuf>,
    /// In Gradescope's `results.json`, show speedup tests to students only
    /// after the due date (their points count all the same).
    #[arg(long)]
    pub hide_speedup_until_due: bool,
    /// Where `--submissions` writes its reports.
    #[arg(long, value_name = "DIR", default_value = "grades")]
    pub out: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain words for a person.
    Human,
    /// One JSON document on stdout, for tools.
    Json,
}

#[derive(Args)]
pub struct BenchArgs {
    /// The exercise whose speedup check is measured.
    #[arg(long, default_value = "parallel_letter_frequency")]
    pub exercise: String,
    /// Only these of its fixtures (`correct` is the reference solution);
    /// every speedup fixture, and `correct`, when left out.
    #[arg(long, value_delimiter = ',')]
    pub fixtures: Option<Vec<String>>,
    /// Runs of each fixture under each condition.
    #[arg(long, default_value_t = 20)]
    pub runs: u32,
    /// The conditions to measure under, in order.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Condition::Idle, Condition::OneHog, Condition::TwoHogs, Condition::OneCore])]
    pub conditions: Vec<Condition>,
    /// Run the checks and their CPU-heavy neighbours on these CPUs only
    /// (Linux), e.g. `--cpus 2,3`: a 2-core machine carved out of a larger one.
    #[arg(long, value_delimiter = ',')]
    pub cpus: Option<Vec<usize>>,
    /// Also append every run, as a JSON line, to FILE.
    #[arg(long, value_name = "FILE")]
    pub records: Option<PathBuf>,
    /// Only build the binaries (under target/xtask/bench/).
    #[arg(long, conflicts_with = "no_build")]
    pub build_only: bool,
    /// Use binaries built by an earlier `--build-only`: several benchmarks
    /// on disjoint `--cpus` can then run at once.
    #[arg(long)]
    pub no_build: bool,
    /// Measure nothing: print the table of the records in these files.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub table: Vec<PathBuf>,
}

/// A load under which the verdicts are measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// Nothing else running.
    Idle,
    /// One CPU-heavy neighbour (`yes > /dev/null`).
    OneHog,
    /// Two of them.
    TwoHogs,
    /// The check restricted to one core.
    OneCore,
}
