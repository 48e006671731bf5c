//! The error type every command returns: a headline, its causes, and what
//! to do next.

use std::fmt;
use std::path::Path;

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
