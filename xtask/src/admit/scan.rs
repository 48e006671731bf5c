//! What a submission may not do, and what it changed outside its surface.
//!
//! Staging already takes only `exercises/*/src/**` from a submission. Two
//! ways remain for learner code to reach what it must not (a reference
//! solution, a check, a snapshot): a symbolic link, and a source file that
//! pulls in a file from outside its crate at compile time (`#[path]`,
//! `include!`, `include_str!`, `include_bytes!`). A third kind of trick runs
//! code before the check harness's `main` (a constructor in `.init_array`, a
//! global allocator) and could read the nonce meant for the harness. This
//! module finds all three, so that the exercise is rejected with a message
//! rather than graded.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::stage;
use crate::workspace::{Error, Result};

/// A trusted file the submission has in another version than the course's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Relative to the submission's root, with `/` separators.
    pub path: String,
    /// `changed`, `added`, or `a symbolic link`.
    pub what: &'static str,
}

/// The learner surface of one exercise in a submission.
pub enum Surface {
    /// The submission has no `exercises/NAME/src/`.
    Missing,
    /// Plain files, every one allowed: stage this folder.
    Accepted(PathBuf),
    /// Why the exercise cannot be graded.
    Rejected(String),
}

/// The files outside the learner surface where `submission` differs from
/// `trusted`: they are ignored by grading, and listed in the report. Files
/// the submission lacks are not listed: a classroom copy may leave out
/// the reference solutions.
pub fn changed_trusted(trusted: &Path, submission: &Path) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    walk(trusted, submission, submission, &mut changes)?;
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

fn walk(trusted: &Path, root: &Path, dir: &Path, changes: &mut Vec<Change>) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))? {
        let entry = entry.map_err(|e| Error::io("read", dir, e))?;
        let path = entry.path();
        let relative = path.strip_prefix(root).expect("walked below the root");
        if !stage::is_trusted(relative) {
            continue;
        }
        let kind = entry.file_type().map_err(|e| Error::io("read", &path, e))?;
        let what = if kind.is_symlink() {
            Some("a symbolic link")
        } else if kind.is_dir() {
            walk(trusted, root, &path, changes)?;
            None
        } else {
            match fs::read(trusted.join(relative)) {
                Err(_) => Some("added"),
                Ok(theirs) => {
                    let ours = fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
                    (ours != theirs).then_some("changed")
                }
            }
        };
        if let Some(what) = what {
            changes.push(Change { path: slashed(relative), what });
        }
    }
    Ok(())
}

/// Inspects `exercises/NAME/src` in `submission`.
pub fn inspect(submission: &Path, name: &str) -> Result<Surface> {
    let crate_dir = Path::new("exercises").join(name);
    let src = crate_dir.join("src");
    // Every folder on the way must be a real one: `exercises/NAME` linked to
    // `solutions/NAME` would bring the solution's `src` along.
    let mut on_the_way = PathBuf::new();
    for part in src.components() {
        on_the_way.push(part);
        match fs::symlink_metadata(submission.join(&on_the_way)) {
            Err(_) => return Ok(Surface::Missing),
            Ok(meta) if meta.file_type().is_symlink() => {
                return Ok(Surface::Rejected(format!(
                    "{} is a symbolic link: the learner surface takes plain folders and files only",
                    slashed(&on_the_way)
                )));
            }
            Ok(meta) if !meta.is_dir() => return Ok(Surface::Missing),
            Ok(_) => {}
        }
    }
    let mut files = Vec::new();
    if let Err(why) = plain_files(submission, &src, &mut files)? {
        return Ok(Surface::Rejected(why));
    }
    for file in files {
        if file.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let full = submission.join(&file);
        let bytes = fs::read(&full).map_err(|e| Error::io("read", &full, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let in_crate = file.strip_prefix(&crate_dir).expect("listed below the crate");
        if let Err(why) = scan(&text, in_crate) {
            return Ok(Surface::Rejected(format!("{}: {why}", slashed(&file))));
        }
    }
    Ok(Surface::Accepted(submission.join(src)))
}

/// Lists the files below `dir` (relative to `root`); `Ok(Err(why))` when one
/// is a link or something other than a file or folder.
fn plain_files(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> Result<std::result::Result<(), String>> {
    let full = root.join(dir);
    for entry in fs::read_dir(&full).map_err(|e| Error::io("read", &full, e))? {
        let entry = entry.map_err(|e| Error::io("read", &full, e))?;
        let relative = dir.join(entry.file_name());
        let kind = entry.file_type().map_err(|e| Error::io("read", &entry.path(), e))?;
        if kind.is_symlink() {
            return Ok(Err(format!(
                "{} is a symbolic link: the learner surface takes plain files only; put the file itself there",
                slashed(&relative)
            )));
        } else if kind.is_dir() {
            if let Err(why) = plain_files(root, &relative, files)? {
                return Ok(Err(why));
            }
        } else if kind.is_file() {
            files.push(relative);
        } else {
            return Ok(Err(format!("{} is not a plain file", slashed(&relative))));
        }
    }
    Ok(Ok(()))
}

fn slashed(path: &Path) -> String {
    path.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Macros that read a file at compile time.
const INCLUDES: [&str; 3] = ["include", "include_str", "include_bytes"];
/// Macros that emit assembly: code the checks cannot reason about, and a
/// way to run before `main`.
const ASSEMBLY: [&str; 3] = ["asm", "global_asm", "naked_asm"];
/// Attributes that place code or data where the linker or the runtime calls
/// it (before `main`, or instead of a symbol of the harness).
const LINKAGE: [&str; 8] =
    ["link_section", "export_name", "no_mangle", "used", "global_allocator", "naked", "link", "link_name"];

/// Scans one source file, `file` being its path inside its crate (such as
/// `src/lib.rs`). `Err` says, for the learner, what is not allowed.
pub fn scan(source: &str, file: &Path) -> std::result::Result<(), String> {
    let tokens = lex(source);
    let mut attribute_depth: Option<usize> = None;
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        let next = |k: usize| tokens.get(i + k);
        match token {
            Token::Punct('#') => {
                let open = if next(1) == Some(&Token::Punct('!')) { 2 } else { 1 };
                if attribute_depth.is_none() && next(open) == Some(&Token::Punct('[')) {
                    attribute_depth = Some(depth);
                }
            }
            Token::Punct('[' | '(' | '{') => depth += 1,
            Token::Punct(']' | ')' | '}') => {
                depth = depth.saturating_sub(1);
                if attribute_depth == Some(depth) {
                    attribute_depth = None;
                }
            }
            Token::Punct('$') if attribute_depth.is_some() => {
                return Err("an attribute built by a macro is not allowed in learner code".into());
            }
            Token::Ident(name) if INCLUDES.contains(&name.as_str()) => {
                let literal = match (next(1), next(2), next(3), next(4)) {
                    (
                        Some(Token::Punct('!')),
                        Some(Token::Punct('(' | '[' | '{')),
                        Some(Token::Str(Some(l))),
                        Some(Token::Punct(')' | ']' | '}' | ',')),
                    ) => l,
                    _ => {
                        return Err(format!(
                            "`{name}!` must name its file with a plain string literal, so that the grader can see \
                             it stays inside the exercise's crate"
                        ));
                    }
                };
                if !stays_inside(file, literal) {
                    return Err(format!(
                        "`{name}!(\"{literal}\")` reads a file outside the exercise's crate; learner code may only \
                         use files under its own `src/`"
                    ));
                }
            }
            Token::Ident(name) if ASSEMBLY.contains(&name.as_str()) && next(1) == Some(&Token::Punct('!')) => {
                return Err(format!("`{name}!` (assembly) is not allowed in learner code"));
            }
            Token::Ident(name) if attribute_depth.is_some() && LINKAGE.contains(&name.as_str()) => {
                return Err(format!(
                    "the attribute `{name}` is not allowed in learner code: it can run code before the checks start"
                ));
            }
            Token::Ident(name)
                if attribute_depth.is_some() && name == "path" && next(1) == Some(&Token::Punct('=')) =>
            {
                match next(2) {
                    Some(Token::Str(Some(literal))) if stays_inside(file, literal) => {}
                    Some(Token::Str(Some(literal))) => {
                        return Err(format!(
                            "`#[path = \"{literal}\"]` names a file outside the exercise's crate; learner code may \
                             only use files under its own `src/`"
                        ));
                    }
                    _ => return Err("`#[path]` must be a plain string literal".into()),
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `literal`, relative to the folder of `file` (inside the crate),
/// stays inside the crate. `#[path]` in a non-`mod.rs` file may resolve one
/// folder deeper; starting from the shallower folder is the stricter test.
fn stays_inside(file: &Path, literal: &str) -> bool {
    let mut at: Vec<&std::ffi::OsStr> = Vec::new();
    for part in file.parent().unwrap_or(Path::new("")).components() {
        match part {
            Component::Normal(name) => at.push(name),
            _ => return false,
        }
    }
    for part in Path::new(literal).components() {
        match part {
            Component::Normal(name) => at.push(name),
            Component::CurDir => {}
            Component::ParentDir => {
                if at.pop().is_none() {
                    return false;
                }
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    /// A string literal's text; `None` when it holds escapes (a path spelt
    /// with escapes is not one the grader will try to read).
    Str(Option<String>),
    Punct(char),
}

/// Just enough of Rust's lexer to tell code from comments, strings and
/// character literals.
fn lex(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = |k: usize| chars.get(i + k).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(1) == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(1) == Some('*') {
            let mut nesting = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    nesting += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    nesting -= 1;
                    i += 2;
                    if nesting == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            let (literal, end) = quoted(&chars, i + 1);
            tokens.push(Token::Str(literal));
            i = end;
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
            if at(1) == Some('\\') {
                // Past the backslash and the escaped character (`'\''`).
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(2) == Some('\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let raw_prefix = matches!(word.as_str(), "r" | "br" | "cr");
            if raw_prefix && matches!(chars.get(i), Some('"' | '#')) {
                let mut hashes = 0;
                while chars.get(i + hashes) == Some(&'#') {
                    hashes += 1;
                }
                if chars.get(i + hashes) == Some(&'"') {
                    let (literal, end) = raw(&chars, i + hashes + 1, hashes);
                    tokens.push(Token::Str(Some(literal)));
                    i = end;
                    continue;
                }
                if word == "r" && hashes == 1 {
                    // A raw identifier: `r#include` is `include`.
                    i += 1;
                    continue;
                }
            }
            if matches!(word.as_str(), "b" | "c") && chars.get(i) == Some(&'"') {
                let (literal, end) = quoted(&chars, i + 1);
                tokens.push(Token::Str(literal));
                i = end;
                continue;
            }
            tokens.push(Token::Ident(word));
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

/// A string literal's body from `start` (after the quote): its text, unless
/// it has escapes, and where the literal ends.
fn quoted(chars: &[char], start: usize) -> (Option<String>, usize) {
    let mut i = start;
    let mut escaped = false;
    while i < chars.len() && chars[i] != '"' {
        if chars[i] == '\\' {
            escaped = true;
            i += 1;
        }
        i += 1;
    }
    let text: String = chars[start..i.min(chars.len())].iter().collect();
    (if escaped { None } else { Some(text) }, i + 1)
}

/// A raw string's body from `start` (after its opening quote), closed by a
/// quote and `hashes` hashes.
fn raw(chars: &[char], start: usize, hashes: usize) -> (String, usize) {
    let mut i = start;
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return (chars[start..i].iter().collect(), i + 1 + hashes);
        }
        i += 1;
    }
    (chars[start..].iter().collect(), chars.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib(source: &str) -> std::result::Result<(), String> {
        scan(source, Path::new("src/lib.rs"))
    }

    #[test]
    fn ordinary_code_passes() {
        let code = r####"
            //! Docs: include!("../../../solutions/x/src/lib.rs") in a comment is no include.
            #![doc = include_str!("../README.md")]
            use std::sync::{Arc, Mutex};
            mod helpers;
            #[path = "more/other.rs"]
            mod other;
            /* a block /* nested */ comment with #[path = "/etc/passwd"] */
            #[derive(Debug, Clone)]
            pub struct Bank<'a> { name: &'a str }
            pub fn f(path: &str) -> char {
                let _s = "include!(\"/etc/passwd\")";
                let _r = r#"#[no_mangle] "quoted""#;
                let path = path.len();
                let _ = path;
                let c = '\'';
                let _d = b'"';
                c
            }
            #[cfg(test)]
            mod tests { #[test] fn t() {} }
        "####;
        assert_eq!(lib(code), Ok(()));
    }

    #[test]
    fn an_include_of_a_solution_is_refused() {
        let error = lib(r#"include!("../../../solutions/serial_baseline/src/lib.rs");"#).unwrap_err();
        assert!(error.contains("outside the exercise's crate"), "{error}");
        assert!(lib(r#"const S: &str = include_str!("../../../tests/checks/x/snapshots/a.snap");"#).is_err());
        assert!(lib(r#"static B: &[u8] = core::include_bytes!("/etc/passwd");"#).is_err());
        assert!(lib(r#"r#include!("../../../solutions/x/src/lib.rs");"#).is_err());
    }

    #[test]
    fn an_include_that_is_not_a_plain_literal_is_refused() {
        let error = lib(r#"include!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../solutions/x/src/lib.rs"));"#);
        assert!(error.unwrap_err().contains("plain string literal"));
        assert!(lib(r#"include!("..\u{2f}..\u{2f}solutions/x/src/lib.rs");"#).is_err());
        assert!(lib("use std::include as inc;").is_err());
        assert!(lib("macro_rules! m { ($f:ident) => { $f!(\"../../x\") } } m!(include);").is_err());
    }

    #[test]
    fn a_path_attribute_outside_the_crate_is_refused() {
        let error = lib(r#"#[path = "../../../solutions/x/src/lib.rs"] mod solution;"#).unwrap_err();
        assert!(error.contains("outside the exercise's crate"), "{error}");
        assert!(lib(r#"#[cfg_attr(all(), path = "../../x.rs")] mod m;"#).is_err());
        assert!(scan(r#"#[path = "../../lib.rs"] mod m;"#, Path::new("src/a/b.rs")).is_ok());
        assert!(scan(r#"#[path = "../../../lib.rs"] mod m;"#, Path::new("src/a/b.rs")).is_err());
        assert!(lib(r#"#[path = "/tmp/x.rs"] mod m;"#).is_err());
    }

    #[test]
    fn code_that_runs_before_main_is_refused() {
        let ctor = r#"#[unsafe(link_section = ".init_array")] static INIT: extern "C" fn() = init;"#;
        assert!(lib(ctor).unwrap_err().contains("link_section"));
        assert!(lib("#[used] static X: u8 = 0;").is_err());
        assert!(lib("#[global_allocator] static A: MyAlloc = MyAlloc;").is_err());
        assert!(lib("#[unsafe(no_mangle)] pub extern \"C\" fn main() {}").is_err());
        assert!(lib("core::arch::global_asm!(\".section .init_array\");").is_err());
    }

    #[test]
    fn staying_inside_is_judged_on_the_path_alone() {
        assert!(stays_inside(Path::new("src/lib.rs"), "../README.md"));
        assert!(stays_inside(Path::new("src/lib.rs"), "./parts/a.rs"));
        assert!(!stays_inside(Path::new("src/lib.rs"), "../../other/src/lib.rs"));
        assert!(!stays_inside(Path::new("src/lib.rs"), "/abs.rs"));
    }
}
