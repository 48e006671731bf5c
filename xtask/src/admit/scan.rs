//! The source scan: what learner code may not say.
//!
//! Two ways remain for learner code to reach what it must not (a reference
//! solution, a check, a snapshot) once staging takes only its `src/`: a
//! source file that pulls in a file from outside `src/` at compile time
//! (`#[path]`, `include!`, `include_str!`, `include_bytes!`), and code that
//! runs before the check harness's `main` or swaps the process's global
//! machinery (a constructor in `.init_array`, a global allocator, an
//! exported symbol that replaces one of the harness's). This scan finds
//! both in the text, so that the learner reads which line is refused and
//! why; what the compiler actually read is checked again after the build
//! (`depinfo`), since no scan of the text can follow every macro.

use std::path::{Component, Path};

/// Macros that read a file at compile time.
const INCLUDES: [&str; 3] = ["include", "include_str", "include_bytes"];
/// Macros that emit assembly: code the checks cannot reason about, and a
/// way to run before `main`.
const ASSEMBLY: [&str; 3] = ["asm", "global_asm", "naked_asm"];
/// Attributes that place code or data where the linker or the runtime calls
/// it (before `main`, or instead of a symbol of the harness).
const LINKAGE: [&str; 8] =
    ["link_section", "export_name", "no_mangle", "used", "global_allocator", "naked", "link", "link_name"];

/// A refusal: the line it is about (1-based) and why, for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub line: usize,
    pub why: String,
}

/// Scans one source file, `file` being its path inside its crate (such as
/// `src/lib.rs`).
pub fn scan(source: &str, file: &Path) -> Result<(), Refused> {
    let lexed = lex(source);
    let tokens = &lexed.tokens;
    let refuse = |i: usize, why: String| Err(Refused { line: lexed.line_of(i), why });
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
                return refuse(i, "an attribute built by a macro is not allowed in learner code".into());
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
                        return refuse(
                            i,
                            format!(
                                "`{name}!` must name its file with a plain string literal, so that the grader can \
                                 see it stays inside the exercise's `src/`"
                            ),
                        );
                    }
                };
                if !stays_inside(file, literal) {
                    let literal = crate::admit::printable(literal, crate::admit::MAX_SHOWN);
                    return refuse(
                        i,
                        format!(
                            "`{name}!(\"{literal}\")` reads a file outside the exercise's `src/`; learner code may \
                             only use files under its own `src/`"
                        ),
                    );
                }
            }
            Token::Ident(name) if ASSEMBLY.contains(&name.as_str()) && next(1) == Some(&Token::Punct('!')) => {
                return refuse(i, format!("`{name}!` (assembly) is not allowed in learner code"));
            }
            Token::Ident(name) if attribute_depth.is_some() && LINKAGE.contains(&name.as_str()) => {
                return refuse(
                    i,
                    format!("the attribute `{name}` is not allowed in learner code: {}", linkage_why(name)),
                );
            }
            Token::Ident(name)
                if attribute_depth.is_some() && name == "path" && next(1) == Some(&Token::Punct('=')) =>
            {
                match next(2) {
                    Some(Token::Str(Some(literal))) if stays_inside(file, literal) => {}
                    Some(Token::Str(Some(literal))) => {
                        let literal = crate::admit::printable(literal, crate::admit::MAX_SHOWN);
                        return refuse(
                            i,
                            format!(
                                "`#[path = \"{literal}\"]` names a file outside the exercise's `src/`; learner code \
                                 may only use files under its own `src/`"
                            ),
                        );
                    }
                    _ => return refuse(i, "`#[path]` must be a plain string literal".into()),
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// What a refused linkage attribute would let learner code do: the lesson
/// behind the refusal.
fn linkage_why(name: &str) -> &'static str {
    match name {
        "global_allocator" => {
            "it swaps the allocator of the whole check process, the grader's half included; use the standard one"
        }
        "link_section" | "used" => "it places code or data where the runtime runs it before the checks start",
        "no_mangle" | "export_name" | "link_name" => {
            "it exports or binds a symbol by name, which can replace one of the grader's; keep Rust's own names"
        }
        _ => "it changes how the check binary is linked, which is the grader's to decide",
    }
}

/// Whether `literal`, relative to the folder of `file` (inside the crate,
/// under `src/`), stays inside `src/`. `#[path]` in a non-`mod.rs` file may
/// resolve one folder deeper; starting from the shallower folder is the
/// stricter test.
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
    at.first().is_some_and(|first| *first == "src") && at.len() > 1
}

#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    /// A string literal's text; `None` when it holds escapes (a path spelt
    /// with escapes is not one the grader will try to read).
    Str(Option<String>),
    Punct(char),
}

/// Tokens, and where each starts.
struct Lexed {
    tokens: Vec<Token>,
    /// The line (1-based) each token starts on.
    lines: Vec<usize>,
}

impl Lexed {
    fn line_of(&self, token: usize) -> usize {
        self.lines.get(token).copied().unwrap_or(1)
    }

    fn push(&mut self, token: Token, line: usize) {
        self.tokens.push(token);
        self.lines.push(line);
    }
}

/// Just enough of Rust's lexer to tell code from comments, strings and
/// character literals.
fn lex(source: &str) -> Lexed {
    let chars: Vec<char> = source.chars().collect();
    // The line of each character, counted once: tokens look theirs up.
    let mut line_at = Vec::with_capacity(chars.len());
    let mut line = 1;
    for &c in &chars {
        line_at.push(line);
        if c == '\n' {
            line += 1;
        }
    }
    let mut lexed = Lexed { tokens: Vec::new(), lines: Vec::new() };
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
            lexed.push(Token::Str(literal), line_at[i]);
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
                    lexed.push(Token::Str(Some(literal)), line_at[start]);
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
                lexed.push(Token::Str(literal), line_at[start]);
                i = end;
                continue;
            }
            lexed.push(Token::Ident(word), line_at[start]);
        } else {
            lexed.push(Token::Punct(c), line_at[i]);
            i += 1;
        }
    }
    lexed
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

    /// The refusal of `source` as `src/lib.rs`, as `line: why`.
    fn lib(source: &str) -> Result<(), String> {
        scan(source, Path::new("src/lib.rs")).map_err(|r| format!("{}: {}", r.line, r.why))
    }

    #[test]
    fn ordinary_code_passes() {
        let code = r####"
            //! Docs: include!("../../../solutions/x/src/lib.rs") in a comment is no include.
            #![doc = include_str!("notes.md")]
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
        assert!(error.contains("outside the exercise's `src/`"), "{error}");
        assert!(lib(r#"const S: &str = include_str!("../../../tests/checks/x/snapshots/a.snap");"#).is_err());
        assert!(lib(r#"static B: &[u8] = core::include_bytes!("/etc/passwd");"#).is_err());
        assert!(lib(r#"r#include!("../../../solutions/x/src/lib.rs");"#).is_err());
        // The crate's own README is outside `src/` too: what the compiler
        // reads is the learner's `src/` and nothing else.
        assert!(lib(r#"#![doc = include_str!("../README.md")]"#).is_err());
    }

    #[test]
    fn a_refusal_names_its_line() {
        let source = "pub fn f() {}\n\n/* two\nlines */ #[unsafe(no_mangle)]\npub extern \"C\" fn g() {}\n";
        let error = lib(source).unwrap_err();
        assert!(error.starts_with("4: the attribute `no_mangle`"), "{error}");
        let raw = "const A: &str = r#\"\n\n\"#;\ninclude_bytes!(\"/etc/passwd\");";
        assert!(lib(raw).unwrap_err().starts_with("4: "), "{raw}");
    }

    #[test]
    fn a_refused_literal_is_shown_printable() {
        let error = lib("include!(\"/tmp/\u{1b}[2J\");").unwrap_err();
        assert!(error.contains("/tmp/\\u{1b}[2J"), "{error}");
        assert!(!error.contains('\u{1b}'), "{error}");
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
    fn a_path_attribute_outside_src_is_refused() {
        let error = lib(r#"#[path = "../../../solutions/x/src/lib.rs"] mod solution;"#).unwrap_err();
        assert!(error.contains("outside the exercise's `src/`"), "{error}");
        assert!(lib(r#"#[cfg_attr(all(), path = "../../x.rs")] mod m;"#).is_err());
        assert!(scan(r#"#[path = "../lib.rs"] mod m;"#, Path::new("src/a/b.rs")).is_ok());
        assert!(scan(r#"#[path = "../../lib.rs"] mod m;"#, Path::new("src/a/b.rs")).is_err());
        assert!(lib(r#"#[path = "/tmp/x.rs"] mod m;"#).is_err());
        assert!(lib(r#"#[path = "../build.rs"] mod m;"#).is_err());
    }

    #[test]
    fn code_that_runs_before_main_or_swaps_global_machinery_is_refused() {
        let ctor = r#"#[unsafe(link_section = ".init_array")] static INIT: extern "C" fn() = init;"#;
        assert!(lib(ctor).unwrap_err().contains("before the checks start"));
        assert!(lib("#[used] static X: u8 = 0;").unwrap_err().contains("`used`"));
        assert!(lib("#[global_allocator] static A: MyAlloc = MyAlloc;").unwrap_err().contains("allocator"));
        assert!(lib("#[unsafe(no_mangle)] pub extern \"C\" fn main() {}").unwrap_err().contains("no_mangle"));
        assert!(lib("#[no_mangle] pub extern \"C\" fn f() {}").is_err());
        assert!(lib("#[unsafe(export_name = \"main\")] pub fn f() {}").unwrap_err().contains("export_name"));
        assert!(lib("#[cfg_attr(all(), used)] static X: u8 = 0;").is_err());
        assert!(lib("core::arch::global_asm!(\".section .init_array\");").is_err());
        // The same words outside an attribute are ordinary names.
        assert!(lib("fn used() {} fn no_mangle() { used() }").is_ok());
    }

    #[test]
    fn staying_inside_is_judged_on_the_path_alone() {
        assert!(stays_inside(Path::new("src/lib.rs"), "./parts/a.rs"));
        assert!(stays_inside(Path::new("src/lib.rs"), "../src/parts/a.rs"));
        assert!(!stays_inside(Path::new("src/lib.rs"), "../README.md"));
        assert!(!stays_inside(Path::new("src/lib.rs"), "../src"));
        assert!(!stays_inside(Path::new("src/lib.rs"), "../../other/src/lib.rs"));
        assert!(!stays_inside(Path::new("src/lib.rs"), "/abs.rs"));
    }
}
