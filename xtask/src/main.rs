//! `cargo xtask`: the course's runner. This file only dispatches; each command
//! is a module with a `run`.

mod admit;
mod bench;
mod calibrate;
mod catalogue;
mod check;
mod compile;
mod curve;
mod depinfo;
mod exit;
mod flags;
mod grade;
mod hint;
mod list;
mod progress;
mod replay;
mod report;
mod reset;
mod runner;
mod stage;
mod style;
#[cfg(test)]
mod tidy;
mod verify;
mod watch;
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
        Some(flags::Command::Watch(args)) => watch::run(&args),
        Some(flags::Command::Reset(args)) => reset::run(&args),
        Some(flags::Command::Curve { exercise }) => curve::run(&exercise),
        Some(flags::Command::SyncStubs) => reset::sync_stubs(),
        Some(flags::Command::Grade(args)) => grade::run(&args),
        Some(flags::Command::Verify) => verify::run(),
        Some(flags::Command::Calibrate) => calibrate::run(),
        Some(flags::Command::Replay { exercise, token, submission }) => {
            replay::run(&exercise, &token, submission.as_deref())
        }
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
