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
    /// Check your exercises (all of them, or the one named).
    Check(CheckArgs),
    /// Show the hints of an exercise.
    Hint {
        /// The exercise, as `cargo xtask list` names it.
        exercise: String,
    },
    /// Maintainers' self-test: every solution passes, every stub and every
    /// wrong-solution fixture fails as the catalogue says.
    Verify,
    /// Measure this machine: can it grade speedup, and with which thresholds?
    Calibrate,
    /// Benchmark the speedup verdicts: adversarial fixtures under load.
    BenchVerdicts(BenchArgs),
}

#[derive(Args)]
pub struct CheckArgs {
    /// The exercise to check; all of them when left out.
    pub exercise: Option<String>,
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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain words for a person.
    Human,
    /// One JSON document on stdout, for tools.
    Json,
}

#[derive(Args)]
pub struct BenchArgs {
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
