//! What the compiler actually read of a learner crate.
//!
//! The source scan (`admit::scan`) reads the text; a macro can still build
//! a path the scan cannot follow. rustc writes, beside every crate it
//! compiles, a dep-info file (`deps/NAME-HASH.d`, Makefile syntax) listing
//! every source file it read: modules, `#[path]` targets, and whatever
//! `include!`, `include_str!` and `include_bytes!` pulled in. After the
//! build, every one of those must lie inside the exercise's `src/`, once
//! links and `..` are resolved; anything else rejects the exercise.

use std::path::{Path, PathBuf};

use crate::admit;

/// A dep-info file longer than this is not read: a learner crate within
/// the admission limits lists a few KiB of paths.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// The dep-info file of a library, from the `filenames` of cargo's
/// `compiler-artifact` message for it (`…/deps/libNAME-HASH.rlib` and
/// `.rmeta`): `…/deps/NAME-HASH.d`.
pub fn of_artifact(filenames: &[PathBuf]) -> Option<PathBuf> {
    filenames.iter().find_map(|file| {
        let name = file.file_name()?.to_str()?;
        let stem = name.strip_suffix(".rlib").or_else(|| name.strip_suffix(".rmeta"))?;
        let crate_and_hash = stem.strip_prefix("lib")?;
        Some(file.with_file_name(format!("{crate_and_hash}.d")))
    })
}

/// Checks that every file the compiler read for a crate, as listed in
/// `dep_info`, lies inside `src` (the exercise's `src/` in the stage).
/// Relative paths in the file are relative to `root`, the workspace the
/// crate was built in (cargo runs rustc there). `Err` names the files, for
/// the learner; a dep-info file that cannot be read is an `Err` too, since
/// then nothing is known of what was read.
pub fn confined(dep_info: &Path, root: &Path, src: &Path) -> Result<(), String> {
    let text = match admit::read_plain(dep_info, MAX_BYTES) {
        Ok(Some(Ok(bytes))) => String::from_utf8_lossy(&bytes).into_owned(),
        Ok(Some(Err(size))) => {
            return Err(format!(
                "the compiler's list of files it read is {}, more than a crate within the limits can have",
                admit::size(size)
            ));
        }
        Ok(None) | Err(_) => {
            return Err(format!(
                "the compiler's list of the files it read ({}) could not be read, so the grader cannot tell what \
                 the code used; build again",
                dep_info.display()
            ));
        }
    };
    let src_shown = shown(src, root);
    let Ok(src) = src.canonicalize() else {
        return Err(format!("{src_shown} could not be resolved"));
    };
    let outside: Vec<String> = inputs(&text)
        .into_iter()
        .filter(|input| {
            let full = if input.is_absolute() { input.clone() } else { root.join(input) };
            // Resolves `..` and every link on the way; a file that cannot be
            // resolved is not known to be inside.
            !full.canonicalize().is_ok_and(|real| real.starts_with(&src))
        })
        .map(|input| shown(&input, root))
        .collect();
    if outside.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the compiler read {} outside {}: learner code may only use files under its own `src/` (an `include!`, \
         `include_str!`, `include_bytes!` or `#[path]` reached out)",
        outside.join(", "),
        src_shown
    ))
}

/// A path for the learner: relative to the workspace when it lies in it.
fn shown(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    if relative.is_absolute() {
        admit::printable(&relative.display().to_string(), admit::MAX_SHOWN)
    } else {
        admit::slashed(relative)
    }
}

/// The files a dep-info file lists as read: the prerequisites of its rules.
/// The targets (the `.d`, `.rlib` and `.rmeta` written) are not inputs;
/// the empty rules rustc adds for each input (`src/lib.rs:`) name inputs.
/// Comment lines (`# env-dep:…`, `# checksum:…`) are not files.
pub fn inputs(text: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let words = words(line);
        // The first word ending in an unescaped ':' closes the targets.
        let Some(colon) = words.iter().position(|(_, ends_rule)| *ends_rule) else {
            // Not a rule: every word is a file, to be safe.
            files.extend(words.into_iter().map(|(w, _)| PathBuf::from(w)));
            continue;
        };
        let prerequisites: Vec<PathBuf> = words[colon + 1..].iter().map(|(w, _)| PathBuf::from(w)).collect();
        if prerequisites.is_empty() {
            files.extend(words[..=colon].iter().map(|(w, _)| PathBuf::from(w)));
        } else {
            files.extend(prerequisites);
        }
    }
    files.sort();
    files.dedup();
    files
}

/// The words of one line, with `\ ` (an escaped space) unescaped, each with
/// whether it ended the rule's targets (an unescaped `:` after it).
fn words(line: &str) -> Vec<(String, bool)> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = line.chars().peekable();
    let done = |word: &mut String, ends_rule: bool, words: &mut Vec<(String, bool)>| {
        if !word.is_empty() {
            words.push((std::mem::take(word), ends_rule));
        } else if ends_rule && let Some(last) = words.last_mut() {
            last.1 = true;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                word.push(' ');
                chars.next();
            }
            ' ' | '\t' => done(&mut word, false, &mut words),
            // A `:` ends the targets when a blank or the line's end follows
            // (`C:\…` on Windows is a drive, not a rule).
            ':' if chars.peek().is_none_or(|n| *n == ' ' || *n == '\t') => done(&mut word, true, &mut words),
            c => word.push(c),
        }
    }
    done(&mut word, false, &mut words);
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admit::scratch::Scratch;

    /// A workspace with one exercise, `exercises/ex/src/lib.rs`.
    fn workspace(label: &str) -> Scratch {
        let dir = Scratch::new(label);
        dir.put("exercises/ex/src/lib.rs", "pub fn f() {}\n");
        dir.put("exercises/ex/src/parts/notes.txt", "pub fn g() {}\n");
        dir.put("solutions/ex/src/lib.rs", "pub fn solved() {}\n");
        dir
    }

    fn check(dir: &Scratch, dep_info: &str) -> Result<(), String> {
        let file = dir.put("target/grade/deps/ex-0123.d", dep_info);
        confined(&file, dir.path(), &dir.path().join("exercises/ex/src"))
    }

    #[test]
    fn files_inside_src_pass() {
        let dir = workspace("depinfo-inside");
        let target = dir.path().join("target/grade/deps");
        let listing = format!(
            "{t}/ex-0123.d: exercises/ex/src/lib.rs exercises/ex/src/parts/notes.txt\n\n\
             {t}/libex-0123.rlib: exercises/ex/src/lib.rs exercises/ex/src/parts/notes.txt\n\n\
             exercises/ex/src/lib.rs:\nexercises/ex/src/parts/notes.txt:\n\n\
             # env-dep:CARGO_PKG_NAME=ex\n",
            t = target.display()
        );
        assert_eq!(check(&dir, &listing), Ok(()));
    }

    #[test]
    fn an_absolute_include_is_refused_by_name() {
        let dir = workspace("depinfo-absolute");
        let listing = "out.d: exercises/ex/src/lib.rs /etc/passwd\n\nexercises/ex/src/lib.rs:\n/etc/passwd:\n";
        let error = check(&dir, listing).unwrap_err();
        assert!(error.starts_with("the compiler read /etc/passwd outside exercises/ex/src:"), "{error}");
    }

    #[test]
    fn a_path_out_through_dots_is_refused() {
        let dir = workspace("depinfo-dots");
        let listing = "out.d: exercises/ex/src/lib.rs exercises/ex/src/../../../solutions/ex/src/lib.rs\n";
        let error = check(&dir, listing).unwrap_err();
        assert!(error.contains("exercises/ex/src/../../../solutions/ex/src/lib.rs"), "{error}");
        // The exercise's own README is outside `src/` too.
        assert!(check(&dir, "out.d: exercises/ex/src/../README.md\n").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_src_is_refused() {
        let dir = workspace("depinfo-link");
        std::os::unix::fs::symlink(
            dir.path().join("solutions/ex/src/lib.rs"),
            dir.path().join("exercises/ex/src/solution.rs"),
        )
        .unwrap();
        let error = check(&dir, "out.d: exercises/ex/src/lib.rs exercises/ex/src/solution.rs\n").unwrap_err();
        assert!(error.contains("exercises/ex/src/solution.rs"), "{error}");
    }

    #[test]
    fn a_missing_or_unresolvable_listing_is_refused() {
        let dir = workspace("depinfo-missing");
        let src = dir.path().join("exercises/ex/src");
        assert!(confined(&dir.path().join("nothing.d"), dir.path(), &src).unwrap_err().contains("could not be read"));
        assert!(check(&dir, "out.d: exercises/ex/src/gone.rs\n").is_err());
    }

    #[test]
    fn an_oversized_listing_is_refused_unread() {
        let dir = workspace("depinfo-oversized");
        let file = dir.path().join("huge.d");
        std::fs::File::create(&file).unwrap().set_len(4 << 30).unwrap();
        let error = confined(&file, dir.path(), &dir.path().join("exercises/ex/src")).unwrap_err();
        assert!(error.contains("is 4.0 GiB"), "{error}");
    }

    #[test]
    fn escaped_spaces_and_comments_are_read_as_make_writes_them() {
        let listing = "a\\ b.d: src/with\\ space.rs C:\\x\\y.rs\n\nsrc/with\\ space.rs:\n# checksum:abc file\n";
        assert_eq!(inputs(listing), [PathBuf::from("C:\\x\\y.rs"), PathBuf::from("src/with space.rs")]);
    }

    #[test]
    fn the_dep_info_of_an_artifact_lies_beside_it() {
        let files =
            [PathBuf::from("/t/grade/deps/libamdahl-1a2b.rlib"), PathBuf::from("/t/grade/deps/libamdahl-1a2b.rmeta")];
        assert_eq!(of_artifact(&files), Some(PathBuf::from("/t/grade/deps/amdahl-1a2b.d")));
        assert_eq!(of_artifact(&[PathBuf::from("/t/grade/deps/amdahl_checks-1a2b")]), None);
    }

    /// What rustc itself writes: a crate that includes a file outside its
    /// `src/` and reads a module from a file not named `.rs`.
    #[test]
    fn what_rustc_reads_is_what_is_checked() {
        let dir = workspace("depinfo-rustc");
        dir.put(
            "exercises/ex/src/lib.rs",
            "#[path = \"parts/notes.txt\"]\nmod notes;\npub const S: &str = include_str!(\"../../../solutions/ex/src/lib.rs\");\n",
        );
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let out = dir.path().join("ex.d");
        let status = std::process::Command::new(rustc)
            .current_dir(dir.path())
            .args(["--edition", "2024", "--crate-type", "lib", "--crate-name", "ex", "--emit"])
            .arg(format!("dep-info={}", out.display()))
            .arg("exercises/ex/src/lib.rs")
            .status()
            .expect("rustc runs");
        assert!(status.success());
        let error = confined(&out, dir.path(), &dir.path().join("exercises/ex/src")).unwrap_err();
        assert!(
            error.starts_with("the compiler read exercises/ex/src/../../../solutions/ex/src/lib.rs outside"),
            "{error}"
        );
        let listed = inputs(&std::fs::read_to_string(&out).unwrap());
        assert!(listed.contains(&PathBuf::from("exercises/ex/src/parts/notes.txt")), "{listed:?}");
    }
}
