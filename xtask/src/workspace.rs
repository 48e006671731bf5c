//! Where things are, and the error type every command returns.

use std::fmt;
use std::path::{Path, PathBuf};

/// The root of the course workspace.
///
/// The xtask is always built from the workspace it serves, so its own
/// manifest's parent is the root, wherever the command is started from.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace root").to_path_buf()
}

/// Where cargo builds: `CARGO_TARGET_DIR` when set, as cargo itself reads it.
/// Staged copies of the workspace build there too, so that they share the
/// compiled dependencies instead of building their own.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// The runner's own scratch space: progress is kept elsewhere, so deleting
/// `target/` loses nothing.
pub fn scratch() -> PathBuf {
    target_dir().join("xtask")
}

/// An error that stops a command: a headline, its causes, and what to do.
#[derive(Debug)]
pub struct Error {
    pub headline: String,
    pub causes: Vec<String>,
    pub hint: Option<String>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(headline: impl Into<String>) -> Self {
        Error { headline: headline.into(), causes: Vec::new(), hint: None }
    }

    pub fn cause(mut self, cause: impl fmt::Display) -> Self {
        self.causes.push(cause.to_string());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// For I/O on a path: "could not read PATH: the cause".
    pub fn io(what: &str, path: &Path, error: std::io::Error) -> Self {
        Error::new(format!("could not {what} {}", path.display())).cause(error)
    }

    pub fn render(&self) -> String {
        let mut out = format!("error: {}", self.headline);
        for cause in &self.causes {
            out.push_str(&format!("\n  caused by: {}", cause.trim_end()));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("\n  hint: {hint}"));
        }
        out
    }
}
