//! `grades/index.html`: the class at a glance, for an instructor's browser.
//!
//! One self-contained file (inline CSS, SVG and a few lines of script; no
//! network, no fonts, no external scripts), built from the grade model:
//!
//! - a matrix students × exercises, one coloured cell (and glyph) per
//!   state, with sticky headers;
//! - per exercise: how the class stands, which checks it fails, and the
//!   measured speedups as a strip plot against the threshold;
//! - what needs another look: inconclusive points, rejections, files left
//!   out, trusted files changed;
//! - per student, a drill-down with every message.
//!
//! Every text of the model is escaped before it is written: messages carry
//! what learner code printed. The script reads only the page's own
//! attributes (indexes, never names). It marks the root element
//! `data-ready` once it ran, and `data-error` if any script failed: the
//! class report test reads both from a headless browser.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use grading_kit::protocol::{CheckKind, Status};

use super::model::{ExerciseGrade, GradeState, Graded, Refusal};
use super::score::{Score, show};

/// What one cell of the matrix shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cell {
    Pass,
    Partial,
    Fail,
    Inconclusive,
    NotStarted,
    Rejected,
    NotSubmitted,
}

impl Cell {
    pub const ALL: [Cell; 7] = [
        Cell::Pass,
        Cell::Partial,
        Cell::Fail,
        Cell::Inconclusive,
        Cell::NotStarted,
        Cell::Rejected,
        Cell::NotSubmitted,
    ];

    pub fn of(exercise: &ExerciseGrade) -> Cell {
        match &exercise.state {
            GradeState::Refused(Refusal::Rejected(_)) => Cell::Rejected,
            GradeState::Refused(Refusal::NotSubmitted) => Cell::NotSubmitted,
            GradeState::NotStarted => Cell::NotStarted,
            GradeState::Inconclusive => Cell::Inconclusive,
            GradeState::Graded => {
                let points = exercise.points();
                if points >= f64::from(exercise.max()) {
                    Cell::Pass
                } else if points > 0.0 {
                    Cell::Partial
                } else {
                    Cell::Fail
                }
            }
        }
    }

    /// The CSS class, also the state's name in the page.
    fn class(self) -> &'static str {
        match self {
            Cell::Pass => "pass",
            Cell::Partial => "partial",
            Cell::Fail => "fail",
            Cell::Inconclusive => "inconclusive",
            Cell::NotStarted => "notstarted",
            Cell::Rejected => "rejected",
            Cell::NotSubmitted => "missing",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Cell::Pass => "pass",
            Cell::Partial => "partial",
            Cell::Fail => "fail",
            Cell::Inconclusive => "inconclusive",
            Cell::NotStarted => "not started",
            Cell::Rejected => "rejected",
            Cell::NotSubmitted => "not submitted",
        }
    }

    /// A glyph besides the colour, for colour-blind readers and print.
    fn glyph(self) -> &'static str {
        match self {
            Cell::Pass => "✓",
            Cell::Partial => "½",
            Cell::Fail => "✗",
            Cell::Inconclusive => "?",
            Cell::NotStarted => "·",
            Cell::Rejected => "!",
            Cell::NotSubmitted => "",
        }
    }
}

/// One measured speedup, for the plots.
struct Measured {
    student: usize,
    speedup: f64,
    required: f64,
    status: Status,
}

/// The page for a class, `class` in the order of the CSV.
pub fn render(class: &[Graded]) -> String {
    let names: Vec<&str> =
        class.first().map(|g| g.exercises.iter().map(|e| e.name.as_str()).collect()).unwrap_or_default();
    let levels: Vec<Option<u32>> = names
        .iter()
        .map(|name| class.first().and_then(|g| g.report.exercises.iter().find(|e| e.name == *name)).map(|e| e.level))
        .collect();
    let mut page = String::with_capacity(64 * 1024 + class.len() * names.len() * 256);
    page.push_str(HEAD);
    page.push_str("<header><h1>Class report</h1><p class=\"sum\">");
    page.push_str(&summary(class));
    page.push_str("</p><nav><a href=\"#matrix\">matrix</a> <a href=\"#look\">needs another look</a> <a href=\"#exercises\">exercises</a> <a href=\"#students\">students</a></nav></header>\n<main>\n");
    legend(&mut page, class);
    matrix(&mut page, class, &names, &levels);
    look(&mut page, class);
    exercises(&mut page, class, &names);
    students(&mut page, class, &names);
    page.push_str("</main>\n<script>\n");
    page.push_str(SCRIPT);
    page.push_str("</script>\n</body>\n</html>\n");
    page
}

fn summary(class: &[Graded]) -> String {
    let exercises = class.first().map_or(0, |g| g.exercises.len());
    let max = class.first().map_or(0, Graded::max);
    let mean = if class.is_empty() { 0.0 } else { class.iter().map(Graded::points).sum::<f64>() / class.len() as f64 };
    let mut out = format!("{} students × {} exercises · mean {} of {} points", class.len(), exercises, show(mean), max);
    let undecided = class.iter().filter(|g| g.undecided() > 0).count();
    if undecided > 0 {
        let _ = write!(
            out,
            " · <strong>{undecided} submission{} with inconclusive points: grade again</strong>",
            plural(undecided)
        );
    }
    out
}

/// What each colour means, with how many cells have it.
fn legend(page: &mut String, class: &[Graded]) {
    let mut counts: BTreeMap<Cell, usize> = BTreeMap::new();
    for exercise in class.iter().flat_map(|g| &g.exercises) {
        *counts.entry(Cell::of(exercise)).or_default() += 1;
    }
    page.push_str("<p class=\"legend\">");
    for cell in Cell::ALL {
        let _ = write!(
            page,
            "<span><i class=\"c {}\">{}</i> {} <b>{}</b></span>",
            cell.class(),
            cell.glyph(),
            cell.words(),
            counts.get(&cell).copied().unwrap_or(0)
        );
    }
    page.push_str(
        "<span class=\"hint\" title=\"½: some checks pass, or a speedup earned partial credit\">click a cell for its messages</span></p>\n",
    );
}

fn matrix(page: &mut String, class: &[Graded], names: &[&str], levels: &[Option<u32>]) {
    page.push_str(
        "<section id=\"matrix\"><div class=\"wrap\"><table class=\"m\"><thead><tr><th class=\"corner\">student</th>",
    );
    for (j, name) in names.iter().enumerate() {
        let level = levels[j].map(|l| format!("level {l}: ")).unwrap_or_default();
        let split = j > 0 && levels[j] != levels[j - 1];
        let _ = write!(
            page,
            "<th class=\"x{}\" title=\"{}{}\"><a href=\"#e{j}\">{}</a></th>",
            if split { " lv" } else { "" },
            esc(&level),
            esc(name),
            esc(name)
        );
    }
    page.push_str("<th class=\"tot\">points</th></tr></thead>\n<tbody>\n");
    for (i, graded) in class.iter().enumerate() {
        let _ = write!(page, "<tr><th class=\"who\"><a href=\"#s{i}\">{}</a></th>", esc(&graded.student));
        for (j, exercise) in graded.exercises.iter().enumerate() {
            let cell = Cell::of(exercise);
            let split = j > 0 && levels.get(j) != levels.get(j - 1);
            let _ = write!(
                page,
                "<td class=\"c {}{}\" data-s=\"{i}\" data-e=\"{j}\" title=\"{} · {}: {}/{} {}\">{}</td>",
                cell.class(),
                if split { " lv" } else { "" },
                esc(&graded.student),
                esc(&exercise.name),
                show(exercise.points()),
                exercise.max(),
                cell.words(),
                cell.glyph()
            );
        }
        let max = graded.max();
        let share = if max == 0 { 0.0 } else { graded.points() / f64::from(max) };
        let _ = writeln!(
            page,
            "<td class=\"tot\"><span class=\"bar\" style=\"width:{:.0}%\"></span><span class=\"n\">{}/{}</span></td></tr>",
            share * 100.0,
            show(graded.points()),
            max
        );
    }
    page.push_str("</tbody></table></div></section>\n");
}

/// Inconclusive points, rejections, files left out, trusted files changed:
/// one line a student in each list.
fn look(page: &mut String, class: &[Graded]) {
    let mut inconclusive = Vec::new();
    let mut rejected = Vec::new();
    let mut changed = Vec::new();
    for (i, graded) in class.iter().enumerate() {
        let who = format!("<a href=\"#s{i}\">{}</a>", esc(&graded.student));
        let at =
            |j: usize, name: &str| format!("<a href=\"#s{i}e{j}\" data-s=\"{i}\" data-e=\"{j}\">{}</a>", esc(name));
        let undecided: Vec<String> = graded
            .exercises
            .iter()
            .enumerate()
            .filter(|(_, e)| e.undecided() > 0)
            .map(|(j, e)| {
                let checks: Vec<String> =
                    e.checks.iter().filter(|c| c.score == Score::Inconclusive).map(|c| esc(&c.name)).collect();
                format!("{} ({}: {})", at(j, &e.name), e.undecided(), checks.join(", "))
            })
            .collect();
        if !undecided.is_empty() {
            inconclusive.push(format!("<li>{who}: {} points in {}</li>", graded.undecided(), undecided.join(" · ")));
        }
        for (j, exercise) in graded.exercises.iter().enumerate() {
            if let Some(Refusal::Rejected(why)) = exercise.refused() {
                rejected.push(format!("<li>{who} · {}: {}</li>", at(j, &exercise.name), esc(why)));
            }
        }
        let mut notes: Vec<String> =
            graded.skipped.iter().map(|s| format!("<code>{}</code> left out: {}", esc(&s.path), esc(&s.why))).collect();
        if !graded.changed.is_empty() {
            const SHOWN: usize = 6;
            let files: Vec<String> = graded
                .changed
                .iter()
                .take(SHOWN)
                .map(|c| format!("<code>{}</code> ({})", esc(&c.path), esc(c.what)))
                .collect();
            let more = graded.changed.len().saturating_sub(SHOWN);
            notes.push(format!(
                "{} trusted file{} changed, ignored by grading: {}{}",
                graded.changed.len(),
                plural(graded.changed.len()),
                files.join(", "),
                if more > 0 { format!(" and {more} more (in their summary.txt)") } else { String::new() }
            ));
        }
        if !notes.is_empty() {
            changed.push(format!("<li>{who}: {}</li>", notes.join("; ")));
        }
    }
    let total = inconclusive.len() + rejected.len() + changed.len();
    let _ = write!(page, "<section id=\"look\"><h2>Needs another look</h2>");
    if total == 0 {
        page.push_str("<p>Nothing: every point is decided, nothing was rejected, left out or changed.</p>");
    }
    let lists = [
        (
            "inconclusive",
            "?",
            "Inconclusive points: grade these submissions again (a speedup this machine could not measure)",
            inconclusive,
        ),
        ("rejected", "!", "Rejected exercises (0 points): read the code", rejected),
        ("changed", "≠", "Files left out or trusted files changed", changed),
    ];
    for (class_name, glyph, title, items) in lists {
        if items.is_empty() {
            continue;
        }
        let _ = write!(
            page,
            "<details class=\"look\" open><summary><i class=\"c {class_name}\">{glyph}</i> {title} <b>({})</b></summary><ul>",
            items.len()
        );
        for item in items {
            page.push_str(&item);
        }
        page.push_str("</ul></details>");
    }
    page.push_str("</section>\n");
}

/// Per exercise: the class's states, the checks it fails, its speedups.
fn exercises(page: &mut String, class: &[Graded], names: &[&str]) {
    page.push_str(
        "<section id=\"exercises\"><h2>Exercises</h2><table class=\"ex\"><thead><tr><th>exercise</th><th>class</th>\
         <th>checks failed (of those who started)</th><th>measured speedup (<span class=\"thr\">|</span> required, \
         <span class=\"one\">¦</span> 1×)</th></tr></thead><tbody>\n",
    );
    for (j, name) in names.iter().enumerate() {
        let mut counts: BTreeMap<Cell, usize> = BTreeMap::new();
        // Per check: how many of those who started fail it, in roster order.
        let mut failed: Vec<(String, CheckKind, usize)> = Vec::new();
        let mut started = 0;
        let mut measured: Vec<Measured> = Vec::new();
        for (i, graded) in class.iter().enumerate() {
            let Some(exercise) = graded.exercises.get(j) else { continue };
            *counts.entry(Cell::of(exercise)).or_default() += 1;
            if matches!(exercise.state, GradeState::Graded | GradeState::Inconclusive) {
                started += 1;
                for check in &exercise.checks {
                    let fails = matches!(check.score, Score::Points(p) if p < f64::from(check.max));
                    match failed.iter_mut().find(|(n, _, _)| *n == check.name) {
                        Some(entry) => entry.2 += usize::from(fails),
                        None => failed.push((check.name.clone(), check.kind, usize::from(fails))),
                    }
                }
            }
            if exercise.refused().is_some() {
                continue;
            }
            let report = graded.report.exercises.iter().find(|e| e.name == exercise.name);
            for check in report.iter().flat_map(|r| &r.checks) {
                if let Some(f) = check.figures() {
                    measured.push(Measured {
                        student: i,
                        speedup: f.speedup,
                        required: f.required,
                        status: check.status,
                    });
                }
            }
        }
        let _ = write!(page, "<tr id=\"e{j}\"><th>{}</th><td><div class=\"stack\">", esc(name));
        for cell in Cell::ALL {
            if let Some(&n) = counts.get(&cell) {
                let _ = write!(
                    page,
                    "<span class=\"{}\" style=\"flex:{n}\" title=\"{n} {}\">{n}</span>",
                    cell.class(),
                    cell.words()
                );
            }
        }
        page.push_str("</div></td><td>");
        failed.retain(|(_, _, n)| *n > 0);
        failed.sort_by_key(|(_, _, n)| std::cmp::Reverse(*n));
        if started == 0 {
            page.push_str("<span class=\"quiet\">nobody started</span>");
        } else if failed.is_empty() {
            let _ = write!(page, "<span class=\"quiet\">none: all {started} pass every check</span>");
        } else {
            for (check, kind, n) in &failed {
                let _ = write!(
                    page,
                    "<span class=\"chk\" title=\"{n} of {started} who started fail this {} check\">{} <b>{n}</b>/{started}</span> ",
                    kind.name(),
                    esc(check)
                );
            }
        }
        page.push_str("</td><td>");
        if !measured.is_empty() {
            strip(page, class, &measured);
        }
        page.push_str("</td></tr>\n");
    }
    page.push_str("</tbody></table></section>\n");
}

/// A strip plot of the measured speedups: one dot a student, coloured by
/// the verdict, with the threshold and 1× marked.
fn strip(page: &mut String, class: &[Graded], measured: &[Measured]) {
    const W: f64 = 320.0;
    const H: f64 = 34.0;
    const PAD: f64 = 8.0;
    let top = measured.iter().map(|m| m.speedup.max(m.required)).fold(1.0_f64, f64::max);
    let span = (top * 1.15).ceil().max(2.0);
    let x = |s: f64| PAD + (s.clamp(0.0, span) / span) * (W - 2.0 * PAD);
    let _ = write!(page, "<svg class=\"strip\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\">");
    let _ = write!(page, "<line x1=\"{PAD}\" x2=\"{}\" y1=\"22\" y2=\"22\" class=\"axis\"/>", W - PAD);
    // At most about eight labelled ticks, whatever the largest speedup.
    let step = ((span / 8.0).ceil() as u32).max(1);
    for tick in (0..=(span as u32)).step_by(step as usize) {
        let at = x(f64::from(tick));
        let _ = write!(
            page,
            "<line x1=\"{at:.1}\" x2=\"{at:.1}\" y1=\"22\" y2=\"25\" class=\"axis\"/><text x=\"{at:.1}\" y=\"33\">{tick}×</text>"
        );
    }
    let one = x(1.0);
    let _ = write!(page, "<line x1=\"{one:.1}\" x2=\"{one:.1}\" y1=\"2\" y2=\"22\" class=\"one\"/>");
    let mut thresholds: Vec<f64> = measured.iter().map(|m| (m.required * 100.0).round() / 100.0).collect();
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    for required in thresholds {
        let at = x(required);
        let _ = write!(
            page,
            "<line x1=\"{at:.1}\" x2=\"{at:.1}\" y1=\"2\" y2=\"22\" class=\"thr\"><title>required {required:.2}×</title></line>"
        );
    }
    for (k, m) in measured.iter().enumerate() {
        // Spread the dots over three rows so that equal speedups stay apart.
        let y = 7.0 + 6.0 * (k % 3) as f64;
        let class_name = match m.status {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Inconclusive => "inconclusive",
        };
        let student = class.get(m.student).map_or("", |g| g.student.as_str());
        let _ = write!(
            page,
            "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"3.5\" class=\"{class_name}\"><title>{}: {:.2}× ({class_name}, {:.2}× required)</title></circle>",
            x(m.speedup),
            esc(student),
            m.speedup,
            m.required
        );
    }
    page.push_str("</svg>");
    let mut sorted: Vec<f64> = measured.iter().map(|m| m.speedup).collect();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let _ = write!(page, " <span class=\"quiet\">{} measured, median {median:.2}×</span>", measured.len());
}

/// Per student: every exercise, and the messages of every check short of
/// full points.
fn students(page: &mut String, class: &[Graded], names: &[&str]) {
    /// A message is cut in the page; the student's summary.txt and
    /// check.json have it whole.
    const MESSAGE_CHARS: usize = 1500;
    page.push_str("<section id=\"students\"><h2>Students</h2>\n");
    for (i, graded) in class.iter().enumerate() {
        let mut flags = Vec::new();
        if graded.undecided() > 0 {
            flags.push(format!("{} points inconclusive", graded.undecided()));
        }
        if graded.rejected() > 0 {
            flags.push(format!("{} rejected", graded.rejected()));
        }
        if !graded.changed.is_empty() {
            flags.push(format!("{} trusted files changed", graded.changed.len()));
        }
        let _ = write!(
            page,
            "<details id=\"s{i}\"><summary><b>{}</b> {}/{} points · {:.1} s{}</summary>\n<table class=\"st\">",
            esc(&graded.student),
            show(graded.points()),
            graded.max(),
            graded.seconds,
            if flags.is_empty() {
                String::new()
            } else {
                format!(" · <span class=\"flag\">{}</span>", flags.join(", "))
            }
        );
        for (j, exercise) in graded.exercises.iter().enumerate() {
            let cell = Cell::of(exercise);
            let _ = write!(
                page,
                "<tr id=\"s{i}e{j}\"><td><i class=\"c {}\">{}</i></td><th>{}</th><td class=\"pts\">{}/{}</td><td>{}",
                cell.class(),
                cell.glyph(),
                esc(names.get(j).copied().unwrap_or(&exercise.name)),
                show(exercise.points()),
                exercise.max(),
                cell.words()
            );
            match &exercise.state {
                GradeState::Refused(Refusal::Rejected(why)) => {
                    let _ = write!(page, ": {}", esc(why));
                }
                GradeState::Refused(Refusal::NotSubmitted) | GradeState::NotStarted => {}
                GradeState::Graded | GradeState::Inconclusive => {
                    for check in exercise.checks.iter().filter(|c| c.points() != Some(f64::from(c.max))) {
                        let points =
                            check.points().map_or("inconclusive".to_string(), |p| format!("{}/{}", show(p), check.max));
                        let mut message: String = check.message.chars().take(MESSAGE_CHARS).collect();
                        if message.len() < check.message.len() {
                            message.push_str("\n… (cut here: the whole message is in the student's summary.txt)");
                        }
                        let _ = write!(
                            page,
                            "<div class=\"check\"><b>{}</b> [{}] {points}<pre>{}</pre></div>",
                            esc(&check.name),
                            check.kind.name(),
                            esc(&message)
                        );
                    }
                }
            }
            page.push_str("</td></tr>\n");
        }
        page.push_str("</table>");
        for skipped in &graded.skipped {
            let _ = write!(
                page,
                "<p class=\"note\"><code>{}</code> left out: {}</p>",
                esc(&skipped.path),
                esc(&skipped.why)
            );
        }
        if !graded.changed.is_empty() {
            page.push_str("<p class=\"note\">Trusted files that differ from the course's (grading used the course's own):</p><ul class=\"note\">");
            for change in &graded.changed {
                let _ = write!(page, "<li><code>{}</code> ({})</li>", esc(&change.path), esc(change.what));
            }
            page.push_str("</ul>");
        }
        page.push_str("</details>\n");
    }
    page.push_str("</section>\n");
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Text made safe for an HTML element or a quoted attribute.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const HEAD: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Class report</title>
<script>window.onerror = function (message) { document.documentElement.setAttribute("data-error", String(message)); };</script>
<style>
:root { --pass:#2e9d4f; --partial:#9ccc65; --fail:#d9453b; --inconclusive:#f2b233; --notstarted:#d7dbe0; --rejected:#7b3fa0; --missing:#ffffff; --ink:#1d232b; --quiet:#66707c; --line:#c9ced6; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
header { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); padding: 5px 12px; display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 16px; }
header nav { margin-left: auto; white-space: nowrap; }
header .sum { flex: 1 1 0; min-width: 300px; }
h1 { font-size: 16px; margin: 0; }
h2 { font-size: 14px; margin: 14px 0 6px; }
.sum { margin: 0; color: var(--quiet); }
.sum strong { color: #a05a00; }
nav a { margin-right: 8px; }
main { padding: 4px 12px 40px; }
a { color: #1f5fbf; text-decoration: none; }
a:hover { text-decoration: underline; }
.legend { margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; font-size: 12px; }
.legend .hint { color: var(--quiet); }
i.c { display: inline-block; width: 16px; height: 14px; line-height: 14px; text-align: center; font-style: normal; font-size: 10px; border-radius: 2px; vertical-align: middle; border: 1px solid rgba(0,0,0,.12); }
.c.pass { background: var(--pass); color: #fff; }
.c.partial { background: var(--partial); color: #1d3a12; }
.c.fail { background: var(--fail); color: #fff; }
.c.inconclusive { background: var(--inconclusive); color: #3d2a00; }
.c.notstarted { background: var(--notstarted); color: #555; }
.c.rejected { background: var(--rejected); color: #fff; }
.c.missing { background: repeating-linear-gradient(45deg, #fff, #fff 3px, #e4e6ea 3px, #e4e6ea 5px); color: #999; }
.c.changed { background: #fff; color: #7b3fa0; }
.wrap { overflow: auto; max-height: calc(100vh - 70px); border: 1px solid var(--line); background: #fff; display: inline-block; max-width: 100%; }
table.m { border-collapse: separate; border-spacing: 0; }
table.m th, table.m td { padding: 0; }
table.m thead th { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line); vertical-align: bottom; }
table.m th.x { height: 158px; width: 19px; max-width: 19px; }
table.m th.x a { display: block; writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; font-size: 11px; max-height: 154px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding: 2px 0; color: var(--ink); margin: 0 auto; }
table.m th.corner { position: sticky; left: 0; top: 0; z-index: 3; text-align: left; vertical-align: bottom; padding: 2px 6px; font-size: 11px; color: var(--quiet); }
table.m th.who { position: sticky; left: 0; z-index: 1; background: #fff; text-align: left; font-weight: normal; padding: 0 6px; white-space: nowrap; max-width: 150px; overflow: hidden; text-overflow: ellipsis; border-right: 1px solid var(--line); }
table.m th.who a { color: var(--ink); }
table.m td.c { width: 19px; min-width: 19px; height: 16px; text-align: center; font-size: 10px; line-height: 16px; cursor: pointer; border-right: 1px solid #fff; border-bottom: 1px solid #fff; }
table.m .lv { border-left: 2px solid #8a939f !important; }
table.m td.c:hover { outline: 2px solid var(--ink); outline-offset: -2px; }
table.m tbody tr:hover th.who { background: #eef3fb; }
table.m td.tot, table.m th.tot { position: relative; min-width: 70px; padding: 0 6px; text-align: right; font-size: 11px; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.m td.tot .bar { position: absolute; left: 0; top: 3px; bottom: 3px; background: #dde7f5; }
table.m td.tot .n { position: relative; }
details.look ul { margin: 0; padding: 4px 8px 6px 28px; max-height: 30vh; overflow-y: auto; display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); column-gap: 40px; }
details.look li { margin: 1px 0; break-inside: avoid; }
table.ex { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
table.ex th, table.ex td { border-bottom: 1px solid #e6e8ec; padding: 3px 8px; text-align: left; vertical-align: middle; }
table.ex thead th { font-weight: 600; font-size: 12px; color: var(--quiet); position: sticky; top: 30px; background: #fff; z-index: 1; }
table.ex tbody th { font-weight: normal; white-space: nowrap; }
.stack { display: flex; width: 180px; height: 16px; border-radius: 2px; overflow: hidden; font-size: 10px; line-height: 16px; text-align: center; }
.stack span { min-width: 12px; }
.stack .pass { background: var(--pass); color: #fff; } .stack .partial { background: var(--partial); } .stack .fail { background: var(--fail); color: #fff; } .stack .inconclusive { background: var(--inconclusive); } .stack .notstarted { background: var(--notstarted); } .stack .rejected { background: var(--rejected); color: #fff; } .stack .missing { background: #eceef1; color: #888; }
.chk { white-space: nowrap; display: inline-block; margin-right: 6px; }
.chk b { color: var(--fail); }
.quiet { color: var(--quiet); }
svg.strip { vertical-align: middle; }
table.ex td:last-child { white-space: nowrap; }
svg.strip text { font-size: 8px; fill: var(--quiet); text-anchor: middle; }
svg.strip .axis { stroke: #9aa2ad; stroke-width: 1; }
svg.strip line.one, span.one { stroke: #9aa2ad; stroke-dasharray: 2 2; color: #9aa2ad; }
svg.strip line.thr, span.thr { stroke: var(--ink); stroke-width: 1.5; color: var(--ink); font-weight: bold; }
svg.strip circle { fill-opacity: .75; stroke: #fff; stroke-width: .5; }
svg.strip circle.pass { fill: var(--pass); } svg.strip circle.fail { fill: var(--fail); } svg.strip circle.inconclusive { fill: var(--inconclusive); }
details { background: #fff; border: 1px solid var(--line); border-radius: 3px; margin: 4px 0; }
details > summary { padding: 4px 8px; cursor: pointer; }
details[open] > summary { border-bottom: 1px solid var(--line); }
.flag { color: #a05a00; }
table.st { border-collapse: collapse; margin: 4px 8px; }
table.st td, table.st th { padding: 2px 6px; vertical-align: top; text-align: left; border-bottom: 1px solid #eef0f3; }
table.st th { font-weight: normal; white-space: nowrap; }
table.st td.pts { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.st tr.hl { background: #fff6d6; }
.check { margin: 2px 0 6px; }
.check pre { margin: 2px 0 0; padding: 4px 6px; background: #f3f4f6; border-radius: 2px; white-space: pre-wrap; word-break: break-word; max-height: 16em; overflow: auto; font-size: 12px; }
.note { margin: 4px 8px; }
</style>
</head>
<body>
"##;

/// Opens a student's drill-down from a matrix cell (or a link), and marks
/// the page as run.
const SCRIPT: &str = r##""use strict";
(function () {
  function show(s, e) {
    var details = document.getElementById("s" + s);
    if (!details) { return; }
    details.open = true;
    var row = e === null ? null : document.getElementById("s" + s + "e" + e);
    document.querySelectorAll("tr.hl").forEach(function (r) { r.classList.remove("hl"); });
    if (row) { row.classList.add("hl"); }
    (row || details).scrollIntoView({ block: "center" });
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-s]");
    if (!target) { return; }
    event.preventDefault();
    var e = target.getAttribute("data-e");
    show(target.getAttribute("data-s"), e);
    history.replaceState(null, "", "#s" + target.getAttribute("data-s") + (e === null ? "" : "e" + e));
  });
  function fromHash() {
    var m = /^#s(\d+)(?:e(\d+))?$/.exec(location.hash);
    if (m) { show(m[1], m[2] === undefined ? null : m[2]); }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  var cells = document.querySelectorAll("table.m td.c").length;
  document.documentElement.setAttribute("data-cells", String(cells));
  document.documentElement.setAttribute("data-ready", "1");
})();
"##;

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use grading_kit::protocol::{CheckKind, Finding, SlowCause, SpeedupFigures, SpeedupVerdict, Status};

    use super::super::integrity::Change;
    use super::super::model::{CheckGrade, ExerciseGrade, GradeState, Graded, Refusal};
    use super::super::score::Score;
    use super::{Cell, esc, render};
    use crate::report::{CheckReport, ExerciseReport, Outcome, Report, State};

    const STUDENTS: usize = 40;
    const EXERCISES: usize = 50;

    /// A class the size the page is made for: 40 students × 50 exercises,
    /// every state, speedups on one exercise in five, hostile text.
    fn class() -> Vec<Graded> {
        let stems = ["parallel_letter_frequency", "spawn_and_join", "bounded_backpressure", "rate_limiter", "ticker"];
        (0..STUDENTS)
            .map(|i| {
                let mut exercises = Vec::new();
                let mut reports = Vec::new();
                for j in 0..EXERCISES {
                    let name = format!("{}_{j}", stems[j % stems.len()]);
                    let speedup = j % 5 == 0;
                    let roll = (i * 7 + j * 3) % 23;
                    let state = match roll {
                        0 => GradeState::Inconclusive,
                        1 => GradeState::Refused(Refusal::Rejected("`include!` of a file outside src/".to_string())),
                        2 | 3 => GradeState::Refused(Refusal::NotSubmitted),
                        _ if j > 30 + i % 15 => GradeState::NotStarted,
                        _ => GradeState::Graded,
                    };
                    let passing = roll % 4 != 1;
                    let mut checks = vec![CheckGrade {
                        name: "matches_the_oracle".to_string(),
                        kind: CheckKind::Property,
                        max: 4,
                        score: Score::Points(if passing && state == GradeState::Graded { 4.0 } else { 0.0 }),
                        message: format!("minimal failing input: <script>alert({i})</script> & \"{j}\""),
                        figures: None,
                    }];
                    let mut check_reports = Vec::new();
                    if speedup {
                        let s = 0.6 + ((i * 13 + j) % 20) as f64 / 10.0;
                        let status = match state {
                            GradeState::Inconclusive => Status::Inconclusive,
                            _ if s >= 1.5 => Status::Pass,
                            _ => Status::Fail,
                        };
                        let score = match status {
                            Status::Inconclusive => Score::Inconclusive,
                            Status::Pass => Score::Points(3.0),
                            Status::Fail => Score::Points(if s >= 1.25 { 2.0 } else { 0.0 }),
                        };
                        checks.push(CheckGrade {
                            name: "faster_than_sequential".to_string(),
                            kind: CheckKind::Speedup,
                            max: 3,
                            score,
                            message: format!("{s:.2}x of the 1.50x required"),
                            figures: None,
                        });
                        let figures = SpeedupFigures {
                            speedup: s,
                            required: 1.5,
                            cores: 2,
                            cores_used: 1.8,
                            reference_cores_used: 1.0,
                            calibration: 1.9,
                            reference_ms: 100.0,
                            subject_ms: 100.0 / s,
                            workload_gain: None,
                            rounds: 3,
                        };
                        let verdict = match status {
                            Status::Pass => SpeedupVerdict::Faster,
                            Status::Inconclusive => SpeedupVerdict::Undecided { why: "busy".to_string() },
                            Status::Fail => {
                                SpeedupVerdict::Slow { cause: SlowCause::TooSlow, advice: "split".to_string() }
                            }
                        };
                        check_reports.push(CheckReport {
                            name: "faster_than_sequential".to_string(),
                            kind: CheckKind::Speedup,
                            status,
                            outcome: Outcome::Reported { finding: Finding::Speedup { figures, verdict } },
                        });
                    } else if state == GradeState::Inconclusive {
                        checks[0].score = Score::Inconclusive;
                    }
                    reports.push(ExerciseReport {
                        name: name.clone(),
                        level: (j / 5) as u32,
                        state: State::Fail,
                        checks: check_reports,
                    });
                    exercises.push(ExerciseGrade { name, state, checks });
                }
                let changed = if i % 9 == 4 {
                    vec![Change { path: "tests/checks/ticker/src/main.rs".to_string(), what: "changed" }]
                } else {
                    Vec::new()
                };
                Graded {
                    student: if i == 3 {
                        "<img src=x onerror=alert(1)>".to_string()
                    } else {
                        format!("student-{i:02}")
                    },
                    exercises,
                    changed,
                    skipped: Vec::new(),
                    report: Report { exercises: reports, next: None, protections: Vec::new() },
                    seconds: 12.5,
                    cpus: crate::grade::machine::Cpus { cores: 2, quota: None },
                }
            })
            .collect()
    }

    /// The page of a full class: one cell a student and exercise, every
    /// text escaped. Set `CLASS_REPORT_SAMPLE=FILE` to keep the page (to
    /// look at it in a browser).
    #[test]
    fn a_class_of_forty_by_fifty_has_every_cell_and_no_raw_learner_text() {
        let class = class();
        let started = Instant::now();
        let page = render(&class);
        eprintln!("page of {STUDENTS} × {EXERCISES}: {} bytes in {:?}", page.len(), started.elapsed());
        if let Ok(file) = std::env::var("CLASS_REPORT_SAMPLE") {
            std::fs::write(file, &page).unwrap();
        }
        assert_eq!(page.matches("<td class=\"c ").count(), STUDENTS * EXERCISES);
        for cell in Cell::ALL {
            assert!(page.contains(&format!("<td class=\"c {}", cell.class())), "no {cell:?} cell");
        }
        assert!(!page.contains("<script>alert"), "a message reached the page unescaped");
        assert!(!page.contains("<img src=x"), "a student's name reached the page unescaped");
        assert!(page.contains("&lt;script&gt;alert(0)&lt;/script&gt; &amp; &quot;0&quot;"));
        // Every speedup measured of an exercise that was run is a dot of
        // its exercise's plot.
        let measured: usize = class
            .iter()
            .flat_map(|g| g.exercises.iter().zip(&g.report.exercises))
            .filter(|(grade, _)| grade.refused().is_none())
            .map(|(_, report)| report.checks.len())
            .sum();
        assert_eq!(page.matches("<circle ").count(), measured);
        // Nothing is fetched from anywhere.
        for outside in ["http://", "https://", "src=\"", "@import", "url("] {
            assert!(!page.contains(outside), "the page refers outside itself: {outside}");
        }
    }

    #[test]
    fn text_is_escaped_for_elements_and_attributes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
