//! The class report (`grades/index.html`) in a real browser: a class of
//! submissions of mixed quality is graded, and the page is rendered by
//! headless Chromium at 1366×768.
//!
//! The page's script marks the root element `data-ready` once it ran, and
//! a `window.onerror` handler marks it `data-error`: both are read from the
//! DOM Chromium dumps. A control run (the same page with a failing script
//! added) shows that an error does get seen. The screenshot is left in
//! `target/tmp/class-report/` to look at, with the page.
//!
//! Chromium is required: `.ci/run` installs it (Debian: `apt-get install
//! chromium`); `CHROMIUM=/path` names another binary. Without one the test
//! fails, saying so. Linux only: the page is the same text on every system,
//! and Linux is where the course's CI has a browser at a known place.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use course_test_support::tempfile_dir::Dir;
use course_test_support::{root, xtask};

const EXERCISES: [&str; 3] = ["serial_baseline", "channel_word_count", "parallel_letter_frequency"];

/// What learner code can put into a message: it must reach the page as text.
const HOSTILE: &str = "<script>document.documentElement.setAttribute('data-injected','1')</script><img src=x onerror=\"document.documentElement.setAttribute('data-injected','2')\">";

fn put(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `from/NAME/src` of this workspace (`solutions`, `exercises`) as the
/// submission's `exercises/NAME/src`.
fn lay(dir: &Path, exercise: &str, from: &str) {
    for entry in std::fs::read_dir(root().join(from).join(exercise).join("src")).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        put(dir, &format!("exercises/{exercise}/src/{}", entry.file_name().to_string_lossy()), &text);
    }
}

/// A catalogued wrong solution as the submission's `lib.rs`.
fn fixture(dir: &Path, exercise: &str, name: &str) {
    let code = std::fs::read_to_string(root().join(format!("tests/checks/{exercise}/fixtures/{name}.rs"))).unwrap();
    put(dir, &format!("exercises/{exercise}/src/lib.rs"), &code);
}

/// Nine submissions: full marks, stubs, half done, catalogued wrong
/// solutions, a hostile message and name, a rejection, a changed check,
/// missing exercises. Few exercises each: every one is built per
/// submission, and the speedup exercise is measured (three times here).
fn class(dir: &Path) -> usize {
    let sub = |name: &str| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.join("exercises")).unwrap();
        path
    };
    let all = sub("ada");
    EXERCISES.iter().for_each(|e| lay(&all, e, "solutions"));
    let none = sub("bo");
    lay(&none, EXERCISES[0], "exercises");
    lay(&none, EXERCISES[1], "exercises");

    let half = sub("cy");
    lay(&half, EXERCISES[0], "solutions");
    fixture(&half, EXERCISES[2], "sequential");

    let wrong = sub("di");
    fixture(&wrong, EXERCISES[0], "aggregate_starts_at_zero");
    fixture(&wrong, EXERCISES[1], "sender_kept_alive");

    // A panic message and a student's name made of markup.
    let hostile = sub("eve <b onmouseover=alert(1)>");
    let solution = std::fs::read_to_string(root().join("solutions/serial_baseline/src/lib.rs")).unwrap();
    let signature = "pub fn parse_lines(text: &str) -> Vec<i64> {";
    assert!(solution.contains(signature), "the solution's parse_lines changed: update this test");
    put(
        &hostile,
        "exercises/serial_baseline/src/lib.rs",
        &solution.replace(signature, &format!("{signature}\n    if text.contains('\\n') {{ panic!({HOSTILE:?}) }}")),
    );

    let rejected = sub("fay");
    put(
        &rejected,
        "exercises/serial_baseline/src/lib.rs",
        "include!(\"../../../solutions/serial_baseline/src/lib.rs\");\n",
    );

    let edited = sub("gil");
    lay(&edited, EXERCISES[0], "exercises");
    put(&edited, "tests/checks/serial_baseline/src/main.rs", "fn main() { println!(\"pass\"); }\n");

    let partial = sub("hal");
    lay(&partial, EXERCISES[0], "solutions");

    let fine = sub("ida");
    fixture(&fine, EXERCISES[2], "too_fine");
    9
}

/// The browser, or a failure that says how to install one.
fn chromium() -> PathBuf {
    let named = std::env::var_os("CHROMIUM").map(PathBuf::from);
    let found = named.clone().or_else(|| {
        ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|dir| dir.join(name))
                .find(|path| path.is_file())
        })
    });
    match found {
        Some(path) if path.is_file() => path,
        _ => panic!(
            "this test renders the class report in headless Chromium, and none was found{}: \
             install it (Debian/Ubuntu: `apt-get install -y chromium`, as .ci/run does) or set CHROMIUM=/path/to/chromium",
            named.map(|p| format!(" (CHROMIUM={})", p.display())).unwrap_or_default()
        ),
    }
}

/// Runs headless Chromium on `page` with `extra` arguments; its stdout and
/// stderr. Stopped after a minute.
fn browse(page: &Path, profile: &Path, extra: &[&str]) -> (String, String) {
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1366,768",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within a minute on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (out.join().unwrap(), err.join().unwrap())
}

/// The attribute `name` of the dumped DOM's root element.
fn root_attribute(dom: &str, name: &str) -> Option<String> {
    let start = dom.find("<html")?;
    let tag = &dom[start..start + dom[start..].find('>')?];
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[at..at + tag[at..].find('"')?].to_string())
}

/// Width and height of a PNG, from its header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn the_class_report_renders_in_a_browser_without_errors() {
    let browser = chromium();
    let submissions = Dir::new("class-report");
    let students = class(submissions.path());
    let out = Dir::new("class-report-grades");
    let started = Instant::now();
    let output = xtask(&["grade", EXERCISES[0], EXERCISES[1], EXERCISES[2], "--submissions"])
        .arg(submissions.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    eprintln!("graded {students} submissions in {:.1} s", started.elapsed().as_secs_f64());

    let kept = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("class-report");
    let _ = std::fs::remove_dir_all(&kept);
    std::fs::create_dir_all(&kept).unwrap();
    let page = kept.join("index.html");
    std::fs::copy(out.path().join("index.html"), &page).unwrap();
    let html = std::fs::read_to_string(&page).unwrap();

    // Learner text is text: escaped, never markup.
    assert!(!html.contains("<script>document"), "a message reached the page as markup");
    assert!(!html.contains("<b onmouseover"), "a student's name reached the page as markup");
    assert!(html.contains("eve &lt;b onmouseover=alert(1)&gt;"), "the student's name is not on the page");
    assert!(html.contains("&lt;script&gt;document.documentElement"), "the hostile panic message is not on the page");
    // Self-contained: nothing to fetch.
    for outside in ["http://", "https://", "src=\"", "@import", "url("] {
        assert!(!html.contains(outside), "the page refers outside itself: {outside}");
    }

    // The page in the browser: its script ran, nothing failed, nothing
    // learner-made ran.
    let profile = kept.join("profile");
    let (dom, log) = browse(&page, &profile, &["--dump-dom"]);
    assert_eq!(root_attribute(&dom, "data-error"), None, "the page's script failed\n{log}");
    assert_eq!(root_attribute(&dom, "data-ready").as_deref(), Some("1"), "the page's script did not run\n{log}");
    assert_eq!(root_attribute(&dom, "data-injected"), None, "learner text ran as script");
    let cells = (students * EXERCISES.len()).to_string();
    assert_eq!(root_attribute(&dom, "data-cells"), Some(cells), "one cell a student and exercise");

    // The control: the same page with a failing script is seen failing.
    let broken = kept.join("broken.html");
    std::fs::write(&broken, html.replace("</body>", "<script>notAFunction();</script></body>")).unwrap();
    let (dom, _) = browse(&broken, &profile, &["--dump-dom"]);
    let error = root_attribute(&dom, "data-error").expect("an error in the page's scripts goes unseen");
    assert!(error.contains("notAFunction"), "{error}");

    // The screenshot, at the size of a small laptop's screen.
    let shot = kept.join("class-report-1366x768.png");
    let started = Instant::now();
    browse(&page, &profile, &[&format!("--screenshot={}", shot.display())]);
    let bytes = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot from {}: {e}", browser.display()));
    assert_eq!(png_size(&bytes), (1366, 768));
    eprintln!("screenshot in {:.1} s: {}", started.elapsed().as_secs_f64(), shot.display());
    let _ = std::fs::remove_dir_all(&profile);
}
