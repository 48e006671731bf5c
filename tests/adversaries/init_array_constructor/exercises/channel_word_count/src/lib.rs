//! A stub whose module `startup.txt` (not a `.rs` file) puts a constructor
//! in `.init_array`: it runs before the check binary's `main`.

#[path = "startup.txt"]
mod startup;

pub use startup::{collect, count_words, produce};
