//! Admission: what of a submission the grader takes in, and how much of it
//! it reads.
//!
//! Only `exercises/NAME/src/**` of a submission is learner code; it is read
//! here once, within limits, scanned, and handed to staging as bytes, so
//! that what is staged is exactly what was scanned. Nothing is opened that
//! is not a plain file (a FIFO would hang the grader, a device could be
//! endless), no link is followed, and no file is read past its limit: sizes
//! are checked on the metadata first and reads are capped, so a sparse
//! file of many gigabytes costs nothing. `check --submission`, `replay
//! --submission` and `grade` all admit a submission through [`submission`].

pub mod scan;

use std::fs::{self, File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::stage::Source;

/// How much of a submission is read.
///
/// The course's largest source file is about 12 KiB and its largest
/// exercise a handful of files: these limits leave an honest learner twenty
/// times that room, and keep what the grader holds in memory for one
/// submission to a few MiB.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// One file.
    pub file_bytes: u64,
    /// All files of one exercise's `src/`.
    pub exercise_bytes: u64,
    /// Plain files in one exercise's `src/`.
    pub exercise_files: usize,
    /// Entries of any kind looked at in one exercise's `src/` (folders,
    /// links and skipped files too): a folder of a million empty files is
    /// refused without listing it all.
    pub exercise_entries: usize,
    /// Folders below `src/`.
    pub depth: usize,
    /// All learner code of one submission.
    pub submission_bytes: u64,
}

pub const LIMITS: Limits = Limits {
    file_bytes: 256 * 1024,
    exercise_bytes: 1024 * 1024,
    exercise_files: 64,
    exercise_entries: 256,
    depth: 8,
    submission_bytes: 8 * 1024 * 1024,
};

/// One file of an exercise's `src/`, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to `src/`.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Something in a submission that was never opened or never read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Relative to the submission's root, with `/` separators.
    pub path: String,
    /// What it is, why it was left alone, and what the learner should do.
    pub why: String,
}

/// What a submission gives the grader.
#[derive(Debug, Default)]
pub struct Admission {
    /// Exercises whose learner code is admitted: every file of its `src/`.
    pub sources: Vec<(String, Vec<SourceFile>)>,
    /// Exercises refused, and why (with the file and line where there is
    /// one). They score nothing and none of their code is built.
    pub rejected: Vec<(String, String)>,
    /// Exercises the submission has no `src/` for.
    pub missing: Vec<String>,
    /// Entries of the learner surface that were left alone: links and files
    /// that are not plain files. The exercise is graded without them.
    pub skipped: Vec<Skipped>,
}

/// What one exercise's `src/` gives.
#[derive(Debug)]
pub enum Surface {
    Missing,
    Admitted(Vec<SourceFile>),
    Rejected(String),
}

/// Admits the learner code of `exercises` from the submission at `dir`:
/// each `exercises/NAME/src/` is read within [`LIMITS`] and scanned. What
/// cannot be read rejects its exercise, never the whole submission.
pub fn submission(exercises: &[&str], dir: &Path) -> Admission {
    submission_within(exercises, dir, &LIMITS)
}

/// [`submission`] within `limits` (tests use small ones).
fn submission_within(exercises: &[&str], dir: &Path, limits: &Limits) -> Admission {
    let mut admission = Admission::default();
    let mut read_so_far = 0u64;
    for &name in exercises {
        match exercise(dir, name, limits, &mut admission.skipped) {
            Surface::Missing => admission.missing.push(name.to_string()),
            Surface::Rejected(why) => admission.rejected.push((name.to_string(), why)),
            Surface::Admitted(files) => {
                read_so_far += files.iter().map(|f| f.bytes.len() as u64).sum::<u64>();
                if read_so_far > limits.submission_bytes {
                    let why = format!(
                        "the submission's learner code passes {} in all with this exercise, over the {} the grader \
                         reads of one submission; remove what is not code from the `src/` folders",
                        size(read_so_far),
                        size(limits.submission_bytes)
                    );
                    admission.rejected.push((name.to_string(), why));
                } else {
                    admission.sources.push((name.to_string(), files));
                }
            }
        }
    }
    admission
}

impl Admission {
    /// What to stage for each exercise: admitted code as read, and for a
    /// rejected exercise a `lib.rs` that does not compile and says why, so
    /// that `check` and `replay` show the rejection as that exercise's
    /// build error. Missing exercises are left out: the stage keeps the
    /// workspace's own code for them.
    pub fn stage_sources(&self) -> Vec<(&str, Source<'_>)> {
        let admitted = self.sources.iter().map(|(name, files)| (name.as_str(), Source::Admitted(files)));
        let rejected = self.rejected.iter().map(|(name, why)| (name.as_str(), Source::Rejected(why)));
        admitted.chain(rejected).collect()
    }

    /// The skipped entries, one line each, for the learner's terminal.
    pub fn notes(&self) -> String {
        self.skipped.iter().map(|s| format!("skipped {}: {}\n", s.path, s.why)).collect()
    }
}

/// Reads and scans `exercises/NAME/src` in the submission at `dir`. Links
/// and other non-plain entries below `src/` go to `skipped`.
pub fn exercise(dir: &Path, name: &str, limits: &Limits, skipped: &mut Vec<Skipped>) -> Surface {
    let src = Path::new("exercises").join(name).join("src");
    // Every folder on the way must be a real one: `exercises/NAME` linked to
    // `solutions/NAME` would bring the solution's `src` along.
    let mut on_the_way = PathBuf::new();
    for part in src.components() {
        on_the_way.push(part);
        match fs::symlink_metadata(dir.join(&on_the_way)) {
            Err(_) => return Surface::Missing,
            Ok(meta) if meta.file_type().is_symlink() => {
                return Surface::Rejected(format!(
                    "{} is a symbolic link: the learner surface takes plain folders and files only; put the folder \
                     itself there",
                    slashed(&on_the_way)
                ));
            }
            Ok(meta) if !meta.is_dir() => return Surface::Missing,
            Ok(_) => {}
        }
    }
    let mut walk = Walk { root: dir, limits, files: Vec::new(), bytes: 0, entries: 0, skipped };
    if let Err(why) = walk.folder(&src, 0) {
        return Surface::Rejected(why);
    }
    let mut files = walk.files;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // Every file is scanned, whatever its name: a module may live in a file
    // not named `.rs` (`#[path = "notes.txt"] mod notes;`).
    for file in &files {
        let text = String::from_utf8_lossy(&file.bytes);
        if let Err(refused) = scan::scan(&text, &Path::new("src").join(&file.path)) {
            return Surface::Rejected(format!("{}:{}: {}", slashed(&src.join(&file.path)), refused.line, refused.why));
        }
    }
    Surface::Admitted(files)
}

/// Why an exercise is rejected, for the learner.
type Rejection = std::result::Result<(), String>;

/// A file or folder of the learner's that could not be read: the exercise
/// is rejected, and the grading of everything else goes on.
fn unreadable(path: &Path, error: std::io::Error) -> String {
    format!("{} could not be read ({error}); make it readable, or remove it", slashed(path))
}

/// A bounded walk of one exercise's `src/`.
struct Walk<'a> {
    root: &'a Path,
    limits: &'a Limits,
    /// Paths relative to `src/`.
    files: Vec<SourceFile>,
    bytes: u64,
    entries: usize,
    skipped: &'a mut Vec<Skipped>,
}

impl Walk<'_> {
    /// Walks `relative` (to the submission's root), `depth` folders below
    /// `src/`.
    fn folder(&mut self, relative: &Path, depth: usize) -> Rejection {
        let full = self.root.join(relative);
        let mut entries = Vec::new();
        for entry in fs::read_dir(&full).map_err(|e| unreadable(relative, e))? {
            let entry = entry.map_err(|e| unreadable(relative, e))?;
            self.entries += 1;
            if self.entries > self.limits.exercise_entries {
                return Err(format!(
                    "{} holds more than {} entries, more than the grader looks at for one exercise; keep only your \
                     code there",
                    slashed(&src_of(relative)),
                    self.limits.exercise_entries
                ));
            }
            entries.push(entry);
        }
        // In name order, so that which limit is met first never depends on
        // the file system.
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = relative.join(entry.file_name());
            // `symlink_metadata`: the entry itself, never what a link names.
            let meta = fs::symlink_metadata(self.root.join(&path)).map_err(|e| unreadable(&path, e))?;
            let kind = meta.file_type();
            if kind.is_dir() {
                if depth + 1 > self.limits.depth {
                    return Err(format!(
                        "{} lies more than {} folders below `src/`; keep your modules in a shallower tree",
                        slashed(&path),
                        self.limits.depth
                    ));
                }
                self.folder(&path, depth + 1)?;
            } else if kind.is_file() {
                self.file(&path, &meta)?;
            } else {
                self.skipped.push(Skipped { path: slashed(&path), why: not_plain(&meta) });
            }
        }
        Ok(())
    }

    fn file(&mut self, relative: &Path, meta: &Metadata) -> Rejection {
        let too_big = |size: u64| {
            format!(
                "{} is {}, over the {} a learner's source file may have: it was not read; remove it from `src/` or \
                 split it",
                slashed(relative),
                self::size(size),
                self::size(self.limits.file_bytes)
            )
        };
        if meta.len() > self.limits.file_bytes {
            return Err(too_big(meta.len()));
        }
        if self.files.len() + 1 > self.limits.exercise_files {
            return Err(format!(
                "{} has more than {} files, more than the grader reads for one exercise; keep only your code there",
                slashed(&src_of(relative)),
                self.limits.exercise_files
            ));
        }
        let full = self.root.join(relative);
        let Some(bytes) = read_plain(&full, self.limits.file_bytes).map_err(|e| unreadable(relative, e))? else {
            // Replaced by something else since it was listed.
            self.skipped.push(Skipped {
                path: slashed(relative),
                why: "changed into something other than a plain file while it was read; not read".into(),
            });
            return Ok(());
        };
        let bytes = bytes.map_err(too_big)?;
        self.bytes += bytes.len() as u64;
        if self.bytes > self.limits.exercise_bytes {
            return Err(format!(
                "{} passes {} in all, over the {} the grader reads of one exercise; remove what is not code",
                slashed(&src_of(relative)),
                size(self.bytes),
                size(self.limits.exercise_bytes)
            ));
        }
        let path = relative.components().skip(3).collect();
        self.files.push(SourceFile { path, bytes });
        Ok(())
    }
}

/// `exercises/NAME/src` of a path below it.
fn src_of(relative: &Path) -> PathBuf {
    relative.components().take(3).collect()
}

/// What a non-plain entry is, and what to do about it.
pub fn not_plain(meta: &Metadata) -> String {
    let kind = meta.file_type();
    if kind.is_symlink() {
        return "a symbolic link: links are never followed; put the file itself there".into();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let what = if kind.is_fifo() {
            Some("a FIFO (named pipe)")
        } else if kind.is_socket() {
            Some("a socket")
        } else if kind.is_block_device() || kind.is_char_device() {
            Some("a device")
        } else {
            None
        };
        if let Some(what) = what {
            return format!("{what}, not a plain file: never opened; delete it");
        }
    }
    "not a plain file: never opened; delete it".into()
}

/// Opens `path` only if it is a plain file, without following a link and
/// without blocking (a FIFO put in its place since it was listed would
/// otherwise wait for a writer forever). `None`: not a plain file.
pub fn open_plain(path: &Path) -> std::io::Result<Option<(File, Metadata)>> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        // O_NOFOLLOW on a link.
        #[cfg(unix)]
        Err(error) if error.raw_os_error() == Some(libc::ELOOP) => return Ok(None),
        Err(error) => return Err(error),
    };
    // What was opened, not what the path names now.
    let meta = file.metadata()?;
    Ok(meta.is_file().then_some((file, meta)))
}

/// Reads the plain file at `path`, at most `cap` bytes: `Ok(None)` when it
/// is not a plain file, `Some(Err(size))` when it holds more than `cap`.
pub fn read_plain(path: &Path, cap: u64) -> std::io::Result<Option<std::result::Result<Vec<u8>, u64>>> {
    let Some((file, meta)) = open_plain(path)? else { return Ok(None) };
    if meta.len() > cap {
        return Ok(Some(Err(meta.len())));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte past the cap tells a file that grew since its size was read.
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Ok(Some(Err(bytes.len() as u64)));
    }
    Ok(Some(Ok(bytes)))
}

/// A path of a submission as the grader shows it: `/` separators, and
/// printable whatever its name holds (see [`printable`]).
pub fn slashed(path: &Path) -> String {
    printable(&path.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/"), MAX_SHOWN)
}

/// Characters of learner-chosen text (a file name, a literal) shown in a
/// message: a name may be as long as the file system allows.
pub const MAX_SHOWN: usize = 200;

/// `text` safe to print: control characters escaped (an escape sequence in
/// a file name would otherwise repaint the instructor's terminal, or fake a
/// line of the summary), and cut to `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    let mut shown = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == max {
            shown.push('…');
            break;
        }
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    shown
}

/// A size for people: bytes, KiB, MiB or GiB.
pub fn size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    match bytes {
        b if b < KIB => format!("{b} bytes"),
        b if b < KIB * KIB => format!("{:.0} KiB", b as f64 / KIB as f64),
        b if b < KIB * KIB * KIB => format!("{:.1} MiB", b as f64 / (KIB * KIB) as f64),
        b => format!("{:.1} GiB", b as f64 / (KIB * KIB * KIB) as f64),
    }
}

/// Folders for tests, removed when dropped.
#[cfg(test)]
pub mod scratch {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub struct Scratch(PathBuf);

    impl Scratch {
        pub fn new(label: &str) -> Scratch {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("xtask-{label}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }

        /// Writes `text` at `relative`, making its folders.
        pub fn put(&self, relative: &str, text: &str) -> PathBuf {
            let path = self.0.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scratch::Scratch;
    use super::*;

    const LIB: &str = "exercises/ex/src/lib.rs";

    fn admit(dir: &Path) -> Admission {
        submission(&["ex"], dir)
    }

    fn rejection(admission: &Admission) -> &str {
        match admission.rejected.as_slice() {
            [(name, why)] if name == "ex" => why,
            other => panic!("expected one rejection of `ex`, got {other:?} (admitted {:?})", admission.sources),
        }
    }

    #[test]
    fn plain_files_are_admitted_as_read() {
        let dir = Scratch::new("admit-plain");
        dir.put(LIB, "mod parts;\npub fn f() {}\n");
        dir.put("exercises/ex/src/parts/mod.rs", "pub fn g() {}\n");
        let admission = admit(dir.path());
        let [(name, files)] = admission.sources.as_slice() else { panic!("{admission:?}") };
        assert_eq!(name, "ex");
        let paths: Vec<_> = files.iter().map(|f| slashed(&f.path)).collect();
        assert_eq!(paths, ["lib.rs", "parts/mod.rs"]);
        assert_eq!(files[0].bytes, b"mod parts;\npub fn f() {}\n");
        assert!(admission.rejected.is_empty() && admission.skipped.is_empty());
    }

    #[test]
    fn an_exercise_without_src_is_missing() {
        let dir = Scratch::new("admit-missing");
        dir.put("exercises/ex/Cargo.toml", "");
        assert_eq!(admit(dir.path()).missing, ["ex"]);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_unread() {
        let dir = Scratch::new("admit-big");
        dir.put(LIB, "pub fn f() {}\n");
        // Sparse: 6 GiB on paper, nothing on disk. Reading it would take the
        // grader's memory; only its size is looked at.
        let big = fs::File::create(dir.path().join("exercises/ex/src/comment.rs")).unwrap();
        big.set_len(6 << 30).unwrap();
        let admission = admit(dir.path());
        let why = rejection(&admission);
        assert!(why.contains("exercises/ex/src/comment.rs is 6.0 GiB, over the 256 KiB"), "{why}");
        assert!(why.contains("not read"), "{why}");
    }

    #[test]
    fn an_exercise_over_the_tree_limits_is_refused() {
        let limits = Limits { exercise_bytes: 100, exercise_files: 3, ..LIMITS };
        let dir = Scratch::new("admit-tree");
        dir.put(LIB, &"/".repeat(60));
        dir.put("exercises/ex/src/more.rs", &"/".repeat(60));
        let admission = submission_within(&["ex"], dir.path(), &limits);
        assert!(rejection(&admission).contains("passes 120 bytes in all, over the 100 bytes"), "{admission:?}");

        let dir = Scratch::new("admit-count");
        for n in 0..4 {
            dir.put(&format!("exercises/ex/src/m{n}.rs"), "");
        }
        let admission = submission_within(&["ex"], dir.path(), &limits);
        assert!(rejection(&admission).contains("has more than 3 files"), "{admission:?}");

        let limits = Limits { exercise_entries: 5, ..LIMITS };
        let dir = Scratch::new("admit-entries");
        for n in 0..6 {
            fs::create_dir_all(dir.path().join(format!("exercises/ex/src/d{n}"))).unwrap();
        }
        let admission = submission_within(&["ex"], dir.path(), &limits);
        assert!(rejection(&admission).contains("more than 5 entries"), "{admission:?}");

        let limits = Limits { depth: 2, ..LIMITS };
        let dir = Scratch::new("admit-depth");
        dir.put("exercises/ex/src/a/b/c/deep.rs", "");
        let admission = submission_within(&["ex"], dir.path(), &limits);
        assert!(rejection(&admission).contains("more than 2 folders below"), "{admission:?}");
    }

    #[test]
    fn a_submission_over_its_limit_loses_the_exercises_past_it() {
        let limits = Limits { submission_bytes: 100, ..LIMITS };
        let dir = Scratch::new("admit-submission");
        dir.put("exercises/a/src/lib.rs", &"/".repeat(60));
        dir.put("exercises/b/src/lib.rs", &"/".repeat(60));
        let admission = submission_within(&["a", "b"], dir.path(), &limits);
        assert_eq!(admission.sources.len(), 1);
        assert_eq!(admission.rejected[0].0, "b");
        assert!(admission.rejected[0].1.contains("over the 100 bytes"), "{admission:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_skipped_unopened() {
        let dir = Scratch::new("admit-fifo");
        dir.put(LIB, "pub fn f() {}\n");
        let fifo = dir.path().join("exercises/ex/src/README.md");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `name` is a valid C string that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
        // Opening it for reading would wait for a writer: this test would
        // hang, not fail, if it were opened.
        let admission = admit(dir.path());
        assert_eq!(admission.sources[0].1.len(), 1, "{admission:?}");
        assert_eq!(admission.skipped.len(), 1);
        assert_eq!(admission.skipped[0].path, "exercises/ex/src/README.md");
        assert!(admission.skipped[0].why.starts_with("a FIFO"), "{:?}", admission.skipped);
        // And a FIFO reached by path is never opened either.
        assert!(read_plain(&fifo, 10).unwrap().is_none());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_followed() {
        let dir = Scratch::new("admit-link");
        let outside = dir.put("solutions/ex/src/lib.rs", "pub fn solved() {}\n");
        fs::create_dir_all(dir.path().join("exercises/ex/src")).unwrap();
        std::os::unix::fs::symlink(&outside, dir.path().join(LIB)).unwrap();
        let admission = admit(dir.path());
        assert_eq!(admission.skipped[0].path, LIB);
        assert!(admission.skipped[0].why.contains("symbolic link"), "{:?}", admission.skipped);
        assert!(admission.sources[0].1.is_empty(), "the link's target was read: {admission:?}");
        assert!(read_plain(&dir.path().join(LIB), 1000).unwrap().is_none());

        // A linked `src/` folder, or exercise folder, rejects the exercise.
        let dir = Scratch::new("admit-linked-src");
        dir.put("solutions/ex/src/lib.rs", "");
        fs::create_dir_all(dir.path().join("exercises/ex")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("solutions/ex/src"), dir.path().join("exercises/ex/src")).unwrap();
        assert!(rejection(&admit(dir.path())).contains("exercises/ex/src is a symbolic link"));
    }

    #[test]
    fn every_file_is_scanned_whatever_its_name() {
        let dir = Scratch::new("admit-scan");
        dir.put(LIB, "#[path = \"notes.txt\"]\nmod notes;\npub use notes::*;\n");
        dir.put(
            "exercises/ex/src/notes.txt",
            "pub fn f() {}\n\n#[path = \"../../../solutions/ex/src/lib.rs\"]\nmod s;\n",
        );
        let admission = admit(dir.path());
        let why = rejection(&admission);
        assert!(why.starts_with("exercises/ex/src/notes.txt:3: `#[path"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_file_rejects_its_exercise_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = Scratch::new("admit-unreadable");
        let locked = dir.put(LIB, "pub fn f() {}\n");
        dir.put("exercises/other/src/lib.rs", "pub fn g() {}\n");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&locked).is_ok() {
            // Root reads anything: there is nothing to test here.
            return;
        }
        let admission = submission(&["ex", "other"], dir.path());
        assert!(admission.rejected[0].1.contains("could not be read"), "{admission:?}");
        assert_eq!(admission.sources[0].0, "other");
    }

    #[test]
    fn a_forbidden_attribute_is_refused_with_its_line() {
        let dir = Scratch::new("admit-attribute");
        dir.put(LIB, "pub fn f() {}\n#[global_allocator]\nstatic A: std::alloc::System = std::alloc::System;\n");
        let admission = admit(dir.path());
        let why = rejection(&admission);
        assert!(why.starts_with("exercises/ex/src/lib.rs:2: the attribute `global_allocator`"), "{why}");
    }

    /// `unsafe_code = "forbid"` in every exercise manifest: learner code
    /// cannot read memory through raw pointers, nor set the environment the
    /// checks read, and no `allow` in the code lifts it.
    #[test]
    fn every_exercise_manifest_forbids_unsafe_code() {
        let exercises = crate::course::Course::workspace_root().join("exercises");
        let mut seen = 0;
        for entry in fs::read_dir(&exercises).unwrap() {
            let manifest = entry.unwrap().path().join("Cargo.toml");
            let Ok(text) = fs::read_to_string(&manifest) else { continue };
            let parsed: toml::Table = toml::from_str(&text).unwrap();
            let forbid = parsed.get("lints").and_then(|l| l.get("rust")).and_then(|r| r.get("unsafe_code"));
            assert_eq!(
                forbid.and_then(|v| v.as_str()),
                Some("forbid"),
                "{}: add `unsafe_code = \"forbid\"` under [lints.rust]",
                manifest.display()
            );
            seen += 1;
        }
        assert!(seen > 0, "no exercise manifest found in {}", exercises.display());
    }

    #[test]
    fn names_are_shown_printable_and_short() {
        assert_eq!(printable("a\u{1b}[2Jb\n7/7", 100), "a\\u{1b}[2Jb\\n7/7");
        assert_eq!(printable(&"x".repeat(300), 5), "xxxxx…");
        assert_eq!(slashed(Path::new("src/\u{1b}[31mred.rs")), "src/\\u{1b}[31mred.rs");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(100), "100 bytes");
        assert_eq!(size(256 * 1024), "256 KiB");
        assert_eq!(size(3 << 20), "3.0 MiB");
        assert_eq!(size(6 << 30), "6.0 GiB");
    }
}
