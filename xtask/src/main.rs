//! `cargo xtask`: the course's runner. This file only builds the course
//! context and dispatches; each command is a module with a `run`.

mod admit;
mod bench;
mod calibrate;
mod catalogue;
mod check;
mod compile;
mod course;
mod curve;
mod depinfo;
mod error;
mod exit;
mod flags;
mod grade;
mod hint;
mod judge;
mod list;
mod progress;
mod replay;
mod report;
mod reset;
mod runner;
mod sandbox;
mod stage;
mod style;
#[cfg(test)]
mod tidy;
mod verify;
mod watch;

use std::process::ExitCode;

use clap::Parser;

use course::Course;
use flags::Command;

fn main() -> ExitCode {
    let flags = flags::Xtask::parse();
    let Some(command) = flags.command else {
        use clap::CommandFactory;
        let _ = flags::Xtask::command().print_help();
        return ExitCode::from(exit::SUCCESS);
    };
    if let Command::Grade(_) = command {
        // Before anything reads the environment, the course's paths included.
        grade::fix_environment();
    }
    let started = std::time::Instant::now();
    let result = Course::discover().and_then(|course| dispatch(&course, command));
    style::timing(|| "the whole command".to_string(), started.elapsed());
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("{}", error.render());
            ExitCode::from(exit::CANNOT_RUN)
        }
    }
}

fn dispatch(course: &Course, command: Command) -> error::Result<u8> {
    match command {
        Command::List => list::run(course),
        Command::Check(args) => check::run(course, &args),
        Command::Hint { exercise } => hint::run(course, &exercise),
        Command::Watch(args) => watch::run(course, &args),
        Command::Reset(args) => reset::run(course, &args),
        Command::Curve { exercise } => curve::run(course, &exercise),
        Command::SyncStubs => reset::sync_stubs(course),
        Command::Grade(args) => grade::run(course, &args),
        Command::Verify { exercises } => verify::run(course, &exercises),
        Command::Calibrate => calibrate::run(course),
        Command::Replay { exercise, token, submission } => {
            replay::run(course, &exercise, &token, submission.as_deref())
        }
        Command::BenchVerdicts(args) => bench::run(course, &args),
        Command::GradescopeAutograder(args) => grade::autograder::run(course, &args),
    }
}
