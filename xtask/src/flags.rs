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
