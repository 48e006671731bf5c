//! The adversary suite (issue 11): submissions written the way a dishonest
//! or careless learner would write them, graded with `cargo xtask grade`.
//!
//! Each attack in `tests/adversaries/NAME/` is a learner's copy of the course
//! with one exercise changed. The files that must not be committed (a 1 GiB
//! comment, a 6 GiB sparse `Cargo.lock`, a FIFO) are made here, at test time.
//! For every attack the suite asserts:
//! - it earns nothing: 0 points for the exercise it attacks (a speedup attack:
//!   no more than the honest sequential answer graded beside it; a class
//!   attack: nothing for the student it targets);
//! - the grader ran to its end and exited 0;
//! - no process of the attack is left (each carries the marker
//!   `attack-leftover` in its arguments, environment or thread names);
//! - no file changed outside the stage: the course, every submission, and the
//!   reports once the grader has exited;
//! - the grader's peak memory stayed under 500 MB, and no report file grew
//!   past 1 MiB; no terminal escape code reached the summary.
//!
//! The attacks are graded in two class runs (`--submissions`): cheats
//! (forging a pass, reaching outside the crate, buying a speedup, harming
//! other students), and harm to the grader (at run time, and through builds
//! that never end and huge or blocking files). `cargo test --test
//! adversary -- --nocapture` prints the table. Switches, for a person at work
//! on the grader:
//! - `ADVERSARY_ONE_BY_ONE=1` grades each attack in a run of its own: slower,
//!   but every row then has its own memory and time figures (the BEFORE table
//!   of issue 11 was made that way, against the grader of commit e96754d);
//! - `ADVERSARY_ONLY=NAME,NAME` grades only those attacks;
//! - `ADVERSARY_DEADLINE_S=N` stops a run after N seconds (default: minutes),
//!   for a grader known to hang.
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use course_test_support::tempfile_dir::Dir;
use course_test_support::{json, root};

/// What `grade` may lower its build time limit with, for the build that
/// never ends. The grader's own limit applies where it offers no such
/// switch; the deadline of that run is generous for that reason.
const BUILD_LIMIT_VARIABLE: &str = "XTASK_BUILD_LIMIT_SECS";
const BUILD_LIMIT_SECS: &str = "30";

/// The marker every process and thread an attack starts carries.
const MARKER: &str = "attack-leftover";
/// The file `writes_outside_stage` leaves wherever it could write.
const SCRIBBLE: &str = "ATTACK-LEFTOVER-WROTE-HERE";

/// What of the course may change while the suite runs: build products, git,
/// and the progress file that other tests' `cargo xtask check` of the
/// working tree writes at the same time.
const COURSE_SKIP: &[&str] = &["target", ".git", ".course"];

const PEAK_LIMIT_MB: f64 = 500.0;
const REPORT_LIMIT_BYTES: u64 = 1 << 20;

const SERIAL: &str = "serial_baseline";
const WORDS: &str = "channel_word_count";
const LETTERS: &str = "parallel_letter_frequency";
const SPEEDUP_CHECK: &str = "faster than counting sequentially";
/// The check a report holds when the exercise did not compile.
const BUILD_CHECK: &str = "compiles";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Run {
    /// Forged passes, code outside the crate, bought speedups, harm to
    /// other students: three exercises.
    Cheats,
    /// Harm to the grader, at run time and through what it reads and
    /// builds: one exercise.
    Harm,
}

impl Run {
    fn exercises(self) -> &'static [&'static str] {
        match self {
            Run::Cheats => &[SERIAL, WORDS, LETTERS],
            Run::Harm => &[WORDS],
        }
    }
}

#[derive(Clone, Copy)]
enum Expect {
    /// The attacked exercise earns nothing.
    Nothing,
    /// The speedup check earns nothing, or stays undecided only where the
    /// honest sequential answer (`control_sequential`) does too.
    NoSpeedup,
    /// The attacked exercise earns nothing, and the learner code never got
    /// as far as it asked: its panic message says `unlimited` only when no
    /// limit stopped it.
    Limited { unlimited: &'static str },
    /// The student graded after the attacker earns nothing for `exercise`.
    Victim { student: &'static str, exercise: &'static str },
}

/// How long the run may take before the suite stops it as hung
/// (`ADVERSARY_DEADLINE_S` overrides it: against a grader known to hang).
fn deadline() -> Duration {
    if let Some(seconds) = std::env::var("ADVERSARY_DEADLINE_S").ok().and_then(|s| s.parse().ok()) {
        return Duration::from_secs(seconds);
    }
    // Generous: a build without end is stopped by the grader's own
    // build limit where it ignores `BUILD_LIMIT_VARIABLE`.
    Duration::from_secs(900)
}

/// Files an attack needs that are made at test time, never committed.
#[derive(Clone, Copy)]
enum Made {
    None,
    /// `exercises/channel_word_count/src/notes.rs`: 1 GiB of comment.
    HugeComment,
    /// `Cargo.lock`: a 6 GiB sparse file.
    SparseLock,
    /// `README.md`: a FIFO.
    FifoReadme,
}

struct Attack {
    /// Its folder under `tests/adversaries/`; its student name is
    /// `student_of`'s.
    name: &'static str,
    /// The class of attack, as issue 11 lists them.
    class: &'static str,
    exercise: &'static str,
    run: Run,
    expect: Expect,
    made: Made,
    /// Whether the compiler (or the build's limit) is the defence: else an
    /// attack that did not build attacked nothing, and the suite says so
    /// (after an API change, 17 attacks once stopped at a build error and
    /// the suite stayed green).
    refused_by_build: bool,
}

const fn attack(name: &'static str, class: &'static str, exercise: &'static str, run: Run) -> Attack {
    Attack { name, class, exercise, run, expect: Expect::Nothing, made: Made::None, refused_by_build: false }
}

/// An attack that the compiler, or the build's time limit, refuses.
const fn refused(attack: Attack) -> Attack {
    Attack { refused_by_build: true, ..attack }
}

const fn speedup(name: &'static str) -> Attack {
    Attack { expect: Expect::NoSpeedup, ..attack(name, "speedup bought", LETTERS, Run::Cheats) }
}

const fn limited(name: &'static str, unlimited: &'static str) -> Attack {
    Attack { expect: Expect::Limited { unlimited }, ..attack(name, "resources", WORDS, Run::Harm) }
}

const fn made(name: &'static str, made: Made) -> Attack {
    Attack { made, ..attack(name, "reading the submission", WORDS, Run::Harm) }
}

const ATTACKS: &[Attack] = &[
    attack("forge_proc_self_mem", "forged pass", WORDS, Run::Cheats),
    Attack {
        expect: Expect::Victim { student: "forge_binaries_3_victim", exercise: SERIAL },
        ..attack("forge_binaries", "forged pass", WORDS, Run::Cheats)
    },
    attack("path_to_solution", "outside the crate", WORDS, Run::Cheats),
    attack("init_array_constructor", "outside the crate", WORDS, Run::Cheats),
    attack("reads_course_snapshot", "outside the crate", WORDS, Run::Cheats),
    attack("writes_outside_stage", "outside the crate", WORDS, Run::Cheats),
    refused(attack("insta_env", "configuration", WORDS, Run::Cheats)),
    speedup("speedup_remembers"),
    speedup("speedup_child_hogs"),
    speedup("speedup_sleeping_allocator"),
    speedup("speedup_rayon_one_thread"),
    speedup("speedup_lingering_spinners"),
    Attack {
        expect: Expect::Victim { student: "zz_class_spreads_victim", exercise: WORDS },
        ..attack("class_spreads", "other students", WORDS, Run::Cheats)
    },
    attack("sigkill_parent", "harming the grader", WORDS, Run::Harm),
    attack("grandchild_holds_pipes", "harming the grader", WORDS, Run::Harm),
    limited("threads_4000", "4000 of 4000 threads started"),
    limited("processes_300", "300 of 300 processes started"),
    limited("touch_8gib", "8192 of 8192 MiB touched"),
    attack("stdout_2gib", "output", WORDS, Run::Harm),
    attack("panic_96mib", "output", WORDS, Run::Harm),
    attack("ansi_fake_score", "output", WORDS, Run::Harm),
    refused(attack("const_eval_forever", "unbounded build", WORDS, Run::Harm)),
    made("comment_1gib", Made::HugeComment),
    made("sparse_cargo_lock", Made::SparseLock),
    made("fifo_readme", Made::FifoReadme),
];

/// Students graded beside the attacks: the controls, and the students the
/// class attacks aim at (sorted after their attacker, as `grade` orders
/// folders by name).
fn companions(run: Run, attacks: &[&Attack]) -> Vec<(String, Vec<(&'static str, PathBuf)>)> {
    let solution = |e: &'static str| (e, root().join("solutions").join(e).join("src"));
    let stub = |e: &'static str| (e, root().join("tests/checks").join(e).join("stub"));
    let mut students = match run {
        Run::Cheats => vec![("control_solution".to_string(), vec![solution(SERIAL), solution(WORDS)])],
        Run::Harm => vec![("control_solution".to_string(), vec![solution(WORDS)])],
    };
    for attack in attacks {
        match attack.name {
            "class_spreads" => students.push(("zz_class_spreads_victim".into(), vec![stub(WORDS)])),
            // The attacker replaces the check binaries built for the student
            // before it; the student after it submits the same code.
            "forge_binaries" => {
                students.push(("forge_binaries_1_warm".into(), vec![stub(SERIAL)]));
                students.push(("forge_binaries_3_victim".into(), vec![stub(SERIAL)]));
            }
            name if name.starts_with("speedup_") && !students.iter().any(|(s, _)| s == "control_sequential") => {
                let fixture = root().join("tests/checks").join(LETTERS).join("fixtures/sequential.rs");
                students.push(("control_sequential".into(), vec![(LETTERS, fixture)]));
            }
            _ => {}
        }
    }
    students
}

/// The student folder an attack is graded as.
fn student_of(attack: &Attack) -> String {
    match attack.name {
        "forge_binaries" => "forge_binaries_2".to_string(),
        // Last but for its victim: were it to spread, it would reach no
        // other attack, whose verdicts would then say nothing.
        "class_spreads" => "zz_class_spreads".to_string(),
        name => name.to_string(),
    }
}

/// What one grader run left behind.
struct Graded {
    exit: Option<i32>,
    hung: bool,
    peak_mb: f64,
    seconds: f64,
    out: PathBuf,
    /// The class, its reports and the grader's output: removed when dropped.
    _folders: [Dir; 3],
    /// Problems of the run as a whole (leftovers, changed files, …).
    problems: Vec<String>,
    /// `(student, exercise)` -> `(points, max, status)` from `class.csv`.
    rows: BTreeMap<(String, String), (f64, f64, String)>,
}

#[test]
fn no_attack_earns_points_or_harms_the_grader() {
    let one_by_one = std::env::var_os("ADVERSARY_ONE_BY_ONE").is_some();
    let only: Option<Vec<String>> =
        std::env::var("ADVERSARY_ONLY").ok().map(|names| names.split(',').map(str::to_string).collect());
    let chosen: Vec<&Attack> =
        ATTACKS.iter().filter(|a| only.as_ref().is_none_or(|o| o.iter().any(|n| n == a.name))).collect();
    let mut groups: Vec<Vec<&Attack>> = Vec::new();
    if one_by_one {
        groups.extend(chosen.iter().map(|a| vec![*a]));
    } else {
        for run in [Run::Cheats, Run::Harm] {
            let group: Vec<&Attack> = chosen.iter().copied().filter(|a| a.run == run).collect();
            if !group.is_empty() {
                groups.push(group);
            }
        }
    }

    let mut table = String::from(
        "attack                      class                   outcome                                   points    peak MB   wall s\n",
    );
    let mut failures = Vec::new();
    for group in groups {
        let run = group[0].run;
        let graded = grade(run, &group);
        for problem in &graded.problems {
            failures.push(format!("run of {}: {problem}", names(&group)));
        }
        let sequential_speedup = check_score(&graded.out, "control_sequential", LETTERS, SPEEDUP_CHECK);
        for attack in &group {
            let (outcome, points, failure) = judge(attack, &graded, sequential_speedup);
            if let Some(failure) = failure {
                failures.push(format!("{}: {failure}", attack.name));
            }
            let row = format!(
                "{:<27} {:<23} {:<41} {:<9} {:>7.0}   {:>6}",
                attack.name,
                attack.class,
                outcome,
                points,
                graded.peak_mb,
                student_seconds(&graded, &student_of(attack)).map_or_else(|| "-".to_string(), |s| format!("{s:.1}"))
            );
            // Each row as soon as it is known: a whole run takes minutes.
            eprintln!("{row}");
            table.push_str(&row);
            table.push('\n');
        }
        for (student, _) in companions(run, &group) {
            if student.starts_with("control") {
                let points = graded
                    .rows
                    .iter()
                    .filter(|((s, _), (_, _, status))| *s == student && status != "not submitted")
                    .map(|(_, (p, m, _))| format!("{p}/{m}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                // A control that did not submit the speedup exercise has no
                // speedup figure to show (its "not submitted" reads as 0).
                let submitted = graded
                    .rows
                    .get(&(student.clone(), LETTERS.to_string()))
                    .is_some_and(|(_, _, status)| status != "not submitted");
                let speedup = match check_score(&graded.out, &student, LETTERS, SPEEDUP_CHECK).filter(|_| submitted) {
                    Some(Some(p)) => format!(", speedup {p} points"),
                    Some(None) => ", speedup inconclusive".to_string(),
                    None => String::new(),
                };
                let _ = writeln!(table, "  ({student}: {points}{speedup})");
            }
        }
        let _ = writeln!(
            table,
            "  (run of {} attacks: exit {:?}{}, {:.0} s, grader peak {:.0} MB)",
            group.len(),
            graded.exit,
            if graded.hung { ", HUNG and stopped" } else { "" },
            graded.seconds,
            graded.peak_mb
        );
    }
    println!("{table}");
    assert!(failures.is_empty(), "{} problems:\n{}\n\n{table}", failures.len(), failures.join("\n"));
}

fn names(group: &[&Attack]) -> String {
    group.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
}

/// The outcome for the table, the points shown, and why it fails, if it
/// does.
fn judge(
    attack: &Attack,
    graded: &Graded,
    sequential_speedup: Option<Option<f64>>,
) -> (String, String, Option<String>) {
    let student = student_of(attack);
    let Some((points, max, status)) = points_of(graded, &student, attack.exercise) else {
        let why = if graded.hung { "grader hung" } else { "no grade (grader died?)" };
        return (why.to_string(), "-".to_string(), Some(format!("{why}: no report for {student}")));
    };
    let shown = format!("{points}/{max}");
    let built = check_score(&graded.out, &student, attack.exercise, BUILD_CHECK).is_none();
    if !built && !attack.refused_by_build {
        let why = format!("it did not build, so it attacked nothing{}", message_of(graded, &student, attack.exercise));
        return ("did not build".to_string(), shown, Some(why));
    }
    match attack.expect {
        Expect::Nothing => {
            let failure = (points != 0.0).then(|| format!("earned {shown} for {} ({status})", attack.exercise));
            (format!("{status}{}", message_of(graded, &student, attack.exercise)), shown, failure)
        }
        Expect::Limited { unlimited } => {
            let said = fs::read_to_string(graded.out.join(&student).join("results.json")).unwrap_or_default();
            let failure = if points != 0.0 {
                Some(format!("earned {shown} for {} ({status})", attack.exercise))
            } else if said.contains(unlimited) {
                Some(format!("nothing stopped it: the learner code reports `{unlimited}`"))
            } else {
                None
            };
            (format!("{status}{}", message_of(graded, &student, attack.exercise)), shown, failure)
        }
        Expect::NoSpeedup => {
            let score = check_score(&graded.out, &student, LETTERS, SPEEDUP_CHECK);
            // What must hold on any machine: no speedup points. An attack's
            // check that is inconclusive where the honest sequential answer
            // was decided is shown, not failed: two measurements of
            // sequential code in one run can land on either side of the
            // model's bar on a busy machine (seen in a fresh clone while
            // another build ran), and `inconclusive` earns nothing: grade
            // says to grade again.
            let outcome = match (score, sequential_speedup) {
                (Some(Some(p)), _) => format!("speedup {p} points"),
                (Some(None), Some(Some(_))) => "speedup inconclusive (the control was decided)".to_string(),
                (Some(None), _) => "speedup inconclusive".to_string(),
                (None, _) => format!("{status}, speedup not run"),
            };
            let failure = match score {
                Some(Some(p)) if p > 0.0 => Some(format!("earned {p} speedup points")),
                _ => None,
            };
            (outcome, shown, failure)
        }
        Expect::Victim { student: victim, exercise } => {
            let Some((victim_points, victim_max, _)) = points_of(graded, victim, exercise) else {
                return ("victim not graded".into(), shown, Some(format!("{victim} has no report")));
            };
            let failure = (victim_points != 0.0)
                .then(|| format!("{victim}, an untouched stub, earned {victim_points}/{victim_max} for {exercise}"));
            (format!("victim {victim_points}/{victim_max}"), shown, failure)
        }
    }
}

/// `(points, max, status)` of a student's exercise: from the student's
/// `results.json` (written once that student is graded, so an orphan that
/// rewrites `class.csv` later cannot hide it), the status from `class.csv`.
fn points_of(graded: &Graded, student: &str, exercise: &str) -> Option<(f64, f64, String)> {
    let status = graded.rows.get(&(student.to_string(), exercise.to_string())).map(|(_, _, s)| s.clone());
    let results = fs::read(graded.out.join(student).join("results.json")).ok().map(|text| json(&text));
    let tests: Vec<&serde_json::Value> = results
        .as_ref()
        .and_then(|r| r["tests"].as_array())
        .map(|tests| {
            tests
                .iter()
                .filter(|t| t["name"].as_str().is_some_and(|n| n.starts_with(&format!("{exercise}: "))))
                .collect()
        })
        .unwrap_or_default();
    if tests.is_empty() {
        let (points, max, status) = graded.rows.get(&(student.to_string(), exercise.to_string()))?;
        return Some((*points, *max, status.clone()));
    }
    // An undecided check has no score: it earns nothing yet.
    let points = tests.iter().filter_map(|t| t["score"].as_f64()).sum();
    let max = tests.iter().filter_map(|t| t["max_score"].as_f64()).sum();
    Some((points, max, status.unwrap_or_else(|| "graded".to_string())))
}

/// The first words of the message of the attacked exercise's first check.
fn message_of(graded: &Graded, student: &str, exercise: &str) -> String {
    let Ok(text) = fs::read(graded.out.join(student).join("results.json")) else { return String::new() };
    let results = json(&text);
    let first = results["tests"].as_array().and_then(|tests| {
        tests.iter().find(|t| t["name"].as_str().is_some_and(|n| n.starts_with(&format!("{exercise}: "))))
    });
    let message = first.and_then(|t| t["output"].as_str()).unwrap_or_default();
    let words: String = message.chars().filter(|c| !c.is_control()).take(28).collect();
    if words.is_empty() { String::new() } else { format!(": {words}") }
}

/// The score of one check from a student's `results.json`: `None` when the
/// check is not there, `Some(None)` when it is undecided.
fn check_score(out: &Path, student: &str, exercise: &str, check: &str) -> Option<Option<f64>> {
    let results = json(&fs::read(out.join(student).join("results.json")).ok()?);
    let name = format!("{exercise}: {check}");
    let test = results["tests"].as_array()?.iter().find(|t| t["name"] == name.as_str())?;
    Some(test["score"].as_f64())
}

/// A student's grading time, from the class summary (`NAME  P/M  S s`).
fn student_seconds(graded: &Graded, student: &str) -> Option<f64> {
    let summary = fs::read_to_string(graded.out.join("summary.txt")).ok()?;
    let line = summary.lines().find(|l| l.split_whitespace().next() == Some(student))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "s")?;
    words.get(at.checked_sub(1)?)?.parse().ok()
}

/// Lays out the class, grades it, and looks at what the grader left.
fn grade(run: Run, attacks: &[&Attack]) -> Graded {
    let label = if attacks.len() == 1 { attacks[0].name.to_string() } else { format!("{run:?}").to_lowercase() };
    let class = Dir::new(&format!("adversary-{label}"));
    let out = Dir::new(&format!("adversary-{label}-reports"));
    let logs = Dir::new(&format!("adversary-{label}-logs"));
    for (student, sources) in companions(run, attacks) {
        for (exercise, from) in sources {
            let into = class.path().join(&student).join("exercises").join(exercise).join("src");
            if from.is_dir() {
                copy_tree(&from, &into, u64::MAX).unwrap();
            } else {
                fs::create_dir_all(&into).unwrap();
                fs::copy(&from, into.join("lib.rs")).unwrap();
            }
        }
    }
    for attack in attacks {
        let student = class.path().join(student_of(attack));
        copy_tree(&root().join("tests/adversaries").join(attack.name), &student, u64::MAX).unwrap();
        make(attack.made, &student);
    }

    let course_before = fingerprint(&root(), COURSE_SKIP);
    let class_before = fingerprint(class.path(), &[]);

    let stdout = logs.path().join("stdout");
    let stderr = logs.path().join("stderr");
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(root())
        .args(["xtask", "grade"])
        .args(run.exercises())
        .arg("--submissions")
        .arg(class.path())
        .arg("--out")
        .arg(out.path())
        .env_remove("NO_COLOR")
        .env(BUILD_LIMIT_VARIABLE, BUILD_LIMIT_SECS)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout).unwrap())
        .stderr(fs::File::create(&stderr).unwrap())
        // A group of its own, so that a hung grader is stopped whole.
        .process_group(0);
    let started = Instant::now();
    let mut child = command.spawn().expect("cargo runs");
    let (exit, hung, peak_mb) = watch(&mut child, deadline());
    let seconds = started.elapsed().as_secs_f64();

    let mut problems = Vec::new();
    if hung {
        problems.push(format!("the grader was still running after {:?}", deadline()));
    } else if exit != Some(0) {
        problems.push(format!("the grader exited with {exit:?}: {}", tail(&stderr, 600)));
    }
    if peak_mb >= PEAK_LIMIT_MB {
        problems.push(format!("the grader's peak memory was {peak_mb:.0} MB (limit {PEAK_LIMIT_MB} MB)"));
    }

    // Read at once: an orphan of an attack may rewrite it later.
    let mut rows = BTreeMap::new();
    let csv = fs::read_to_string(out.path().join("class.csv")).unwrap_or_default();
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        if let [student, exercise, points, max, status] = fields[..] {
            let number = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
            rows.insert((student.to_string(), exercise.to_string()), (number(points), number(max), status.to_string()));
        }
    }
    // What an orphan might still change once the grader is gone.
    let reports_at_exit = fingerprint(out.path(), &[]);
    std::thread::sleep(Duration::from_secs(3));
    let leftovers = leftovers();
    if !leftovers.is_empty() {
        problems.push(format!("{} attack processes left behind: {}", leftovers.len(), describe(&leftovers)));
        for (pid, _) in &leftovers {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
        }
    }
    let reports = fingerprint(out.path(), &[]);
    problems.extend(differences("the reports after the grader exited", &reports_at_exit, &reports));
    problems.extend(differences("the course", &course_before, &fingerprint(&root(), COURSE_SKIP)));
    problems.extend(differences("the submissions", &class_before, &fingerprint(class.path(), &[])));
    // Learner code that wrote into the course leaves no trace for the next run.
    let _ = fs::remove_file(root().join(SCRIBBLE));

    let mut escaped = head(&stdout, 1 << 20).contains(&0x1b);
    for (file, (mode, size, ..)) in &reports {
        if mode & 0o170000 != 0o100000 {
            continue;
        }
        if *size > REPORT_LIMIT_BYTES {
            problems.push(format!("the report {} is {size} bytes", file.display()));
        }
        escaped |= head(&out.path().join(file), 4 << 20).contains(&0x1b);
    }
    if escaped {
        problems.push("a terminal escape code reached the summary or a report".to_string());
    }

    for (student, sources) in companions(run, attacks) {
        if !student.starts_with("control_solution") {
            continue;
        }
        for (exercise, _) in sources {
            match rows.get(&(student.clone(), exercise.to_string())) {
                Some((points, max, _)) if points == max => {}
                other => {
                    problems.push(format!("the reference solution of {exercise} was not given full marks: {other:?}"))
                }
            }
        }
    }
    // Keep the folders of a failed run for a look (their files up to 1 MiB).
    if !problems.is_empty() {
        for dir in [&class, &out, &logs] {
            let kept = dir.path().with_extension("kept");
            let _ = fs::remove_dir_all(&kept);
            let _ = copy_tree(dir.path(), &kept, 1 << 20);
            eprintln!("kept for a look: {}", kept.display());
        }
    }
    Graded { exit, hung, peak_mb, seconds, out: out.path().to_path_buf(), _folders: [class, out, logs], problems, rows }
}

/// Waits for the grader, sampling its peak memory: `VmHWM` of the xtask
/// process (`cargo run` becomes the xtask by `exec`, or starts it as its
/// child) and of every judge process it starts (`--judge`: the grader's
/// half of a check, which reads what learner code sends). Stops the whole
/// group past `deadline`.
fn watch(child: &mut Child, deadline: Duration) -> (Option<i32>, bool, f64) {
    let started = Instant::now();
    let mut peak_kb = 0u64;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return (status.code(), false, peak_kb as f64 / 1024.0);
        }
        let pid = child.id();
        for process in grader_processes(pid) {
            if let Some(kb) = status_field(process, "VmHWM:") {
                peak_kb = peak_kb.max(kb);
            }
        }
        if started.elapsed() > deadline {
            let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).status();
            let _ = child.wait();
            return (None, true, peak_kb as f64 / 1024.0);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The xtask and the judges below `top`. The walk stops at the processes
/// that run learner code (`--subject`, `--run`): their memory is the
/// learner's, bounded by the sandbox, not the grader's.
fn grader_processes(top: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut pending = vec![top];
    while let Some(pid) = pending.pop() {
        let exe = fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
        let arguments = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let has = |flag: &str| arguments.split(|b| *b == 0).any(|a| a == flag.as_bytes());
        if has("--subject") || has("--run") {
            continue;
        }
        if exe.file_name().is_some_and(|n| n == "xtask") || has("--judge") {
            found.push(pid);
        }
        for task in fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
            let children = fs::read_to_string(task.path().join("children")).unwrap_or_default();
            pending.extend(children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()));
        }
    }
    found
}

fn status_field(pid: u32, field: &str) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix(field))?.split_whitespace().next()?.parse().ok()
}

/// Processes that carry the attacks' marker: in their arguments, their
/// environment, or a thread's name.
fn leftovers() -> Vec<(u32, String)> {
    let me = std::process::id();
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        if pid == me {
            continue;
        }
        let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let environ = fs::read(entry.path().join("environ")).unwrap_or_default();
        let marked_thread = fs::read_dir(entry.path().join("task"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|task| fs::read_to_string(task.path().join("comm")).is_ok_and(|c| c.trim() == MARKER));
        let contains = |bytes: &[u8], needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        if contains(&cmdline, MARKER) || contains(&environ, "ATTACK_LEFTOVER=") || marked_thread {
            let shown = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            found.push((pid, shown.chars().take(60).collect()));
        }
    }
    found
}

fn describe(leftovers: &[(u32, String)]) -> String {
    let mut by_command: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, command) in leftovers {
        *by_command.entry(command.as_str()).or_default() += 1;
    }
    by_command.iter().map(|(c, n)| format!("{n} x `{}`", c.trim())).collect::<Vec<_>>().join(", ")
}

/// Path -> (kind, size, modification time) of everything below `dir`,
/// skipping the top-level folders in `skip`. Reads no file: a FIFO or a
/// sparse 6 GiB file costs nothing here.
fn fingerprint(dir: &Path, skip: &[&str]) -> BTreeMap<PathBuf, (u32, u64, i64, i64)> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(dir).unwrap().to_path_buf();
            if folder == dir && skip.iter().any(|s| relative == Path::new(s)) {
                continue;
            }
            // insta's pending snapshots of other tests running at once.
            let name = relative.to_string_lossy();
            if name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
                continue;
            }
            let Ok(meta) = fs::symlink_metadata(&path) else { continue };
            if meta.is_dir() {
                pending.push(path.clone());
            }
            let size = if meta.is_dir() { 0 } else { meta.len() };
            found.insert(relative, (meta.mode(), size, meta.mtime(), meta.mtime_nsec()));
        }
    }
    found
}

fn differences(
    what: &str,
    before: &BTreeMap<PathBuf, (u32, u64, i64, i64)>,
    after: &BTreeMap<PathBuf, (u32, u64, i64, i64)>,
) -> Option<String> {
    let mut changed: Vec<String> = Vec::new();
    for (path, seen) in after {
        match before.get(path) {
            None => changed.push(format!("{} (added)", path.display())),
            Some(old) if old != seen && !(old.0 & 0o040000 != 0 && seen.0 & 0o040000 != 0) => {
                changed.push(format!("{} (changed)", path.display()))
            }
            _ => {}
        }
    }
    changed.extend(before.keys().filter(|p| !after.contains_key(*p)).map(|p| format!("{} (removed)", p.display())));
    (!changed.is_empty())
        .then(|| format!("{what} changed: {}", changed.into_iter().take(8).collect::<Vec<_>>().join(", ")))
}

/// The files an attack needs that are never committed.
fn make(made: Made, student: &Path) {
    match made {
        Made::None => {}
        Made::HugeComment => {
            let line = "// the learner's thoughts, at length, on why this exercise is hard to do well\n";
            let block = line.repeat((1 << 20) / line.len());
            let path = student.join("exercises").join(WORDS).join("src/notes.rs");
            let mut file = std::io::BufWriter::new(fs::File::create(path).unwrap());
            for _ in 0..1024 {
                file.write_all(block.as_bytes()).unwrap();
            }
            file.flush().unwrap();
        }
        Made::SparseLock => fs::File::create(student.join("Cargo.lock")).unwrap().set_len(6 << 30).unwrap(),
        Made::FifoReadme => {
            let status = Command::new("mkfifo").arg(student.join("README.md")).status().expect("mkfifo runs");
            assert!(status.success(), "mkfifo failed");
        }
    }
}

/// Copies the plain files below `from` up to `largest` bytes each, and the
/// folders: a FIFO or a link is never opened.
fn copy_tree(from: &Path, to: &Path, largest: u64) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)?.flatten() {
        let meta = fs::symlink_metadata(entry.path())?;
        if meta.is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()), largest)?;
        } else if meta.is_file() && meta.len() <= largest {
            fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

fn head(file: &Path, limit: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Ok(opened) = fs::File::open(file) {
        let _ = std::io::Read::read_to_end(&mut std::io::Read::take(opened, limit), &mut bytes);
    }
    bytes
}

fn tail(file: &Path, limit: u64) -> String {
    let Ok(mut opened) = fs::File::open(file) else { return String::new() };
    let size = opened.metadata().map_or(0, |m| m.len());
    let _ = std::io::Seek::seek(&mut opened, std::io::SeekFrom::Start(size.saturating_sub(limit)));
    let mut bytes = Vec::new();
    let _ = std::io::Read::read_to_end(&mut opened, &mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}
