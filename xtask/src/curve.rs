//! `cargo xtask curve EXERCISE`: the learner's parallel code on 1, 2, … all
//! cores, as a table and a bar chart in the terminal, an SVG plot in
//! `.course/curves/NAME.svg`, and Amdahl's law fitted to it: how much of the
//! work stays serial, and so how much faster more cores could ever make it.

use std::fmt::Write as _;
use std::time::Duration;

use grading_kit::protocol::{CheckKind, Curve};

use crate::catalogue::Exercise;
use crate::compile::Variant;
use crate::course::Course;
use crate::error::{Error, Result};
use crate::report::CheckReport;
use crate::style::{Color, paint};
use crate::{exit, judge, progress, runner};

pub fn run(course: &Course, name: &str) -> Result<u8> {
    let exercise = course.catalogue.find(name)?;
    let _lock = course.lock()?;
    let root = judge::learner_root(course)?;
    let binary = match judge::one_subject(course, &root, exercise, Variant::Ordinary)? {
        Ok(binary) => binary,
        Err(why) => {
            println!("{why}");
            return Ok(exit::FAILED);
        }
    };
    let Some(info) = runner::list(&binary)?.into_iter().find(|c| c.kind == CheckKind::Speedup) else {
        return Err(Error::new(format!("`{}` has no speedup check, so it has no curve", exercise.name))
            .hint("only parallel exercises are timed; `cargo xtask list` shows their best speedup"));
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // The reference and every thread count, three runs each: as long as a
    // speedup check, or a little more, per point.
    let limit = Duration::from_millis(info.timeout_ms) * (cores as u32 + 1);
    let activity = crate::style::Activity::start(
        &format!("measuring {} on 1 to {cores} thread{}", exercise.name, if cores == 1 { "" } else { "s" }),
        true,
    );
    let measured = runner::curve(&binary, &info, limit)?;
    drop(activity);
    let curve = match measured {
        Ok(curve) => curve,
        Err(ran) => {
            let failed = CheckReport::from_ran(&info, ran);
            println!("{} the curve could not be measured:\n{}", paint("✗", Color::Red), failed.message(name));
            return Ok(exit::FAILED);
        }
    };
    let fit = amdahl(&curve);
    print!("{}", render(exercise, &curve, fit.as_ref()));
    let path = course.curve_file(exercise);
    match progress::write_atomically(&path, svg(exercise, &curve, fit.as_ref()).as_bytes()) {
        Ok(()) => println!("The plot is in {}: open it in a browser.", path.display()),
        Err(error) => eprintln!("warning: could not write the plot {}: {error}", path.display()),
    }
    Ok(exit::SUCCESS)
}

/// Amdahl's law fitted to a curve: `T(n) = T(1) · (s + (1 − s) / n)`.
#[derive(Debug, PartialEq)]
pub struct Fit {
    /// The serial fraction `s`, between 0 and 1.
    pub serial: f64,
}

impl Fit {
    /// How much faster than on one thread the code would be on `n` threads.
    pub fn scaling(&self, n: f64) -> f64 {
        1.0 / (self.serial + (1.0 - self.serial) / n)
    }
}

/// Least squares on `T(n)/T(1) − 1/n = s · (1 − 1/n)`, a line through the
/// origin in `s`; `None` with fewer than two thread counts.
pub fn amdahl(curve: &Curve) -> Option<Fit> {
    let one = curve.points.iter().find(|p| p.threads == 1)?.ms;
    let (mut xy, mut xx) = (0.0, 0.0);
    for point in curve.points.iter().filter(|p| p.threads > 1 && p.ms > 0.0) {
        let inverse = 1.0 / point.threads as f64;
        let x = 1.0 - inverse;
        let y = point.ms / one - inverse;
        xy += x * y;
        xx += x * x;
    }
    (xx > 0.0 && one > 0.0).then(|| Fit { serial: (xy / xx).clamp(0.0, 1.0) })
}

fn speedup(curve: &Curve, ms: f64) -> f64 {
    if ms > 0.0 { curve.reference_ms / ms } else { 0.0 }
}

/// The terminal's view: a table with a bar per thread count, then what the
/// fit says.
pub fn render(exercise: &Exercise, curve: &Curve, fit: Option<&Fit>) -> String {
    const WIDTH: f64 = 30.0;
    let mut out = format!(
        "Speedup curve of {} (the sequential reference takes {:.1} ms)\n\n",
        paint(&exercise.name, Color::Bold),
        curve.reference_ms
    );
    out.push_str("threads      time   speedup  cores used\n");
    let top = curve.points.iter().map(|p| speedup(curve, p.ms)).fold(curve.points.len() as f64, f64::max);
    for point in &curve.points {
        let s = speedup(curve, point.ms);
        let bar = "#".repeat(((s / top) * WIDTH).round() as usize);
        let _ = writeln!(
            out,
            "{:>7} {:>9} {:>8.2}x {:>11.1}  {}",
            point.threads,
            format!("{:.1} ms", point.ms),
            s,
            point.cores_used,
            paint(&bar, Color::Cyan)
        );
    }
    out.push('\n');
    match fit {
        None => out
            .push_str("Only one thread count could be measured (one core available?): no curve, and nothing to fit.\n"),
        Some(fit) => {
            let limit = if fit.serial > 0.0 { format!("at most {:.1}x", 1.0 / fit.serial) } else { "no limit".into() };
            let _ = writeln!(
                out,
                "Amdahl's law fitted to your times: about {:.0}% of the work stays serial, so more cores can \
                 make it {limit} faster than on one thread.",
                fit.serial * 100.0
            );
            if let Some(top) = curve.points.last().filter(|p| p.threads > 1 && p.cores_used < 0.7 * p.threads as f64) {
                let _ = writeln!(
                    out,
                    "At {} threads your code kept only {:.1} cores busy: either it leaves its threads idle, or \
                     other programs took the cores (a busy machine makes every curve look serial; measure \
                     again when it is quiet).",
                    top.threads, top.cores_used
                );
            }
            out.push_str(match fit.serial {
                s if s < 0.1 => "The work splits well: each thread adds nearly a core's worth of speed.\n",
                s if s < 0.4 => {
                    "A part of the work does not split: look for a sequential step before or after the \
                     parallel one, or a lock every thread takes.\n"
                }
                _ => {
                    "More threads barely help: the work runs mostly on one thread (a loop that is not \
                     split, or threads that wait for each other on a shared lock).\n"
                }
            });
        }
    }
    out
}

/// Where a plot puts things: thread counts across, speedups up.
struct Plot {
    width: f64,
    height: f64,
    margin: f64,
    max_threads: f64,
    max_speedup: f64,
}

impl Plot {
    fn x(&self, threads: f64) -> f64 {
        self.margin + (threads - 1.0) / (self.max_threads - 1.0) * (self.width - 2.0 * self.margin)
    }

    fn y(&self, speedup: f64) -> f64 {
        self.height - self.margin - speedup / self.max_speedup * (self.height - 2.0 * self.margin)
    }
}

/// A plot of the curve: measured speedup against the reference, the ideal
/// (linear) speedup, and the fitted Amdahl curve.
pub fn svg(exercise: &Exercise, curve: &Curve, fit: Option<&Fit>) -> String {
    let max_threads = curve.points.iter().map(|p| p.threads).max().unwrap_or(1).max(2) as f64;
    let max_speedup = curve.points.iter().map(|p| speedup(curve, p.ms)).fold(max_threads, f64::max) * 1.1;
    let plot = Plot { width: 640.0, height: 400.0, margin: 60.0, max_threads, max_speedup };
    let (width, height, margin) = (plot.width, plot.height, plot.margin);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         font-family=\"sans-serif\" font-size=\"13\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{margin}\" y=\"30\" font-size=\"16\">Speedup of {} against the sequential reference</text>\n",
        exercise.name
    );
    axes(&mut out, &plot);
    // Ideal: linear from the one-thread point.
    let one = curve.points.iter().find(|p| p.threads == 1).map(|p| speedup(curve, p.ms));
    if let Some(one) = one {
        let _ = writeln!(
            out,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"gray\" stroke-dasharray=\"6 4\"/>",
            plot.x(1.0),
            plot.y(one),
            plot.x(max_threads),
            plot.y(one * max_threads)
        );
        if let Some(fit) = fit {
            let points: Vec<String> = (0..=40)
                .map(|i| 1.0 + (max_threads - 1.0) * f64::from(i) / 40.0)
                .map(|n| format!("{:.1},{:.1}", plot.x(n), plot.y(one * fit.scaling(n))))
                .collect();
            let _ = writeln!(
                out,
                "<polyline points=\"{}\" stroke=\"darkorange\" fill=\"none\" stroke-width=\"2\"/>",
                points.join(" ")
            );
        }
    }
    let measured: Vec<String> = curve
        .points
        .iter()
        .map(|p| format!("{:.1},{:.1}", plot.x(p.threads as f64), plot.y(speedup(curve, p.ms))))
        .collect();
    let _ = writeln!(
        out,
        "<polyline points=\"{}\" stroke=\"steelblue\" fill=\"none\" stroke-width=\"2\"/>",
        measured.join(" ")
    );
    for p in &curve.points {
        let _ = writeln!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"steelblue\"><title>{} threads: {:.1} ms, {:.2}x</title></circle>",
            plot.x(p.threads as f64),
            plot.y(speedup(curve, p.ms)),
            p.threads,
            p.ms,
            speedup(curve, p.ms)
        );
    }
    legend(&mut out, &plot, fit);
    out.push_str("</svg>\n");
    out
}

/// Axes, ticks and labels.
fn axes(out: &mut String, plot: &Plot) {
    let (width, height, margin) = (plot.width, plot.height, plot.margin);
    let _ = writeln!(
        out,
        "<path d=\"M{margin} {top} V{bottom} H{right}\" stroke=\"black\" fill=\"none\"/>",
        top = margin,
        bottom = height - margin,
        right = width - margin
    );
    for n in 1..=plot.max_threads as usize {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text>",
            plot.x(n as f64),
            height - margin + 20.0
        );
    }
    let step = (plot.max_speedup / 5.0).max(0.5).ceil();
    let mut tick = 0.0;
    while tick <= plot.max_speedup {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{tick}x</text>",
            margin - 8.0,
            plot.y(tick) + 4.0
        );
        tick += step;
    }
    let _ = writeln!(out, "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">threads</text>", width / 2.0, height - 15.0);
}

fn legend(out: &mut String, plot: &Plot, fit: Option<&Fit>) {
    let margin = plot.margin;
    let legend = [
        ("steelblue", "measured".to_string()),
        ("gray", "ideal (linear)".to_string()),
        ("darkorange", fit.map_or("no fit".to_string(), |f| format!("Amdahl, serial {:.0}%", f.serial * 100.0))),
    ];
    for (i, (color, label)) in legend.iter().enumerate() {
        let ly = margin + 10.0 + 20.0 * i as f64;
        let _ = writeln!(
            out,
            "<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx2}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"/>\
             <text x=\"{tx}\" y=\"{ty}\">{label}</text>",
            lx = margin + 20.0,
            lx2 = margin + 45.0,
            tx = margin + 52.0,
            ty = ly + 4.0
        );
    }
}

#[cfg(test)]
mod tests {
    use grading_kit::protocol::CurvePoint;

    use super::*;

    fn curve(serial: f64, threads: usize) -> Curve {
        let one = 100.0;
        let points = (1..=threads)
            .map(|n| CurvePoint { threads: n, ms: one * (serial + (1.0 - serial) / n as f64), cores_used: n as f64 })
            .collect();
        Curve { reference_ms: 90.0, points }
    }

    #[test]
    fn the_fit_finds_the_serial_fraction_it_was_made_with() {
        for serial in [0.0, 0.05, 0.3, 1.0] {
            for threads in [2, 4, 16] {
                let fit = amdahl(&curve(serial, threads)).unwrap();
                assert!((fit.serial - serial).abs() < 1e-9, "{serial} on {threads}: {fit:?}");
            }
        }
    }

    #[test]
    fn one_thread_count_fits_nothing_and_slowdown_is_all_serial() {
        assert_eq!(amdahl(&curve(0.1, 1)), None);
        let mut slower = curve(0.0, 2);
        slower.points[1].ms = 150.0;
        assert_eq!(amdahl(&slower), Some(Fit { serial: 1.0 }));
    }
}
