//! Exit statuses, in one place.

/// Every checked exercise passed (or the command did what was asked).
pub const SUCCESS: u8 = 0;
/// At least one checked exercise failed.
pub const FAILED: u8 = 1;
/// The command could not run: bad input, a broken workspace. (clap uses 2 for
/// usage errors too.)
pub const CANNOT_RUN: u8 = 2;
/// Nothing failed, but some verdicts were inconclusive: run again.
pub const INCONCLUSIVE: u8 = 3;
