//! `cargo xtask`: the course's runner. This file only dispatches; each command
//! is a module with a `run`.

mod bench;
mod calibrate;
mod catalogue;
mod check;
mod compile;
mod exit;
mod flags;
mod hint;
mod list;
mod progress;
mod report;
mod runner;
mod stage;
mod style;
#[cfg(test)]
mod tidy;
mod verify;
mod workspace;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let flags = flags::Xtask::parse();
    let outcome = match flags.command {
        None => {
            use clap::CommandFactory;
            let _ = flags::Xtask::command().print_help();
            Ok(exit::SUCCESS)
        }
        Some(flags::Command::List) => list::run(),
        Some(flags::Command::Check(args)) => check::run(&args),
        Some(flags::Command::Hint { exercise }) => hint::run(&exercise),
        Some(flags::Command::Verify) => verify::run(),
        Some(flags::Command::Calibrate) => calibrate::run(),
        Some(flags::Command::BenchVerdicts(args)) => bench::run(&args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("{}", error.render());
            ExitCode::from(exit::CANNOT_RUN)
        }
    }
}
