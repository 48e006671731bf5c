//! `cargo xtask calibrate`: can this machine grade speedup, and with which
//! thresholds? Measures the calibration kernel a few times and applies the
//! verdict model to it, before any learner code is judged.

use std::process::Command;

use grading_kit::verdict::{DEFAULT_EFFICIENCY, Evidence, FAIL_CALIBRATION, MIN_CALIBRATION, SLOW_FAIL_CALIBRATION};
use serde::Deserialize;

use crate::course::Course;
use crate::error::{Error, Result};
use crate::exit;

const READINGS: usize = 10;

#[derive(Deserialize)]
struct Reading {
    cores: usize,
    threads: f64,
    pool: f64,
}

pub fn run(course: &Course) -> Result<u8> {
    let _lock = course.lock()?;
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(&course.root)
        .env("CARGO_TARGET_DIR", &course.target)
        .args(["build", "--quiet", "--profile", "grade", "--package", "grading-kit", "--bin", "calibrate"])
        .status()
        .map_err(|e| Error::new("could not start cargo").cause(e))?;
    if !status.success() {
        return Err(
            Error::new("the calibration kernel does not build").hint("run `cargo build -p grading-kit` to see why")
        );
    }
    let binary = course.target.join("grade").join(format!("calibrate{}", std::env::consts::EXE_SUFFIX));
    println!("Measuring this machine ({READINGS} readings of the calibration kernel)…");
    let output = Command::new(&binary)
        .arg(READINGS.to_string())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .map_err(|e| Error::io("run", &binary, e))?;
    let readings: Vec<Reading> =
        String::from_utf8_lossy(&output.stdout).lines().filter_map(|line| serde_json::from_str(line).ok()).collect();
    let Some(cores) = readings.first().map(|r| r.cores) else {
        return Err(
            Error::new("the calibration kernel printed no readings").cause(String::from_utf8_lossy(&output.stderr))
        );
    };
    print!("{}", render(cores, &readings));
    Ok(exit::SUCCESS)
}

fn render(cores: usize, readings: &[Reading]) -> String {
    let mut gains: Vec<f64> = readings.iter().map(|r| r.threads.min(r.pool)).collect();
    gains.sort_by(f64::total_cmp);
    let median = gains[gains.len() / 2];
    let (low, high) = (gains[0], gains[gains.len() - 1]);
    let threads: Vec<f64> = readings.iter().map(|r| r.threads).collect();
    let pool: Vec<f64> = readings.iter().map(|r| r.pool).collect();
    let mut out = format!(
        "\ncores available:            {cores}\n\
         gain of a pure-compute kernel on all cores:\n\
         \x20 plain threads             {}\n\
         \x20 rayon pool                {}\n\
         \x20 used (the lower)          median {median:.2}x, from {low:.2}x to {high:.2}x\n",
        spread(&threads),
        spread(&pool)
    );
    let evidence = Evidence {
        cores,
        calibration: median,
        speedup: 0.0,
        subject_cores_used: 0.0,
        reference_cores_used: 1.0,
        one_thread_share: 1.0,
        threads_seen: false,
        // Only the thresholds are read from it, which no pair count or
        // copies of a reference change.
        pairs: 0,
        workload_gain: None,
    };
    out.push_str(&format!(
        "\nthresholds the course would apply now (median gain):\n\
         \x20 required speedup          {:.2}x at the default efficiency {DEFAULT_EFFICIENCY}\n\
         \x20 required cores used       {:.2}x the sequential reference's\n",
        evidence.required(DEFAULT_EFFICIENCY),
        1.0 + 0.4 * (evidence.expected_gain() - 1.0)
    ));
    let verdicts = if cores < 2 {
        "cannot grade speedup: one core only; every speedup verdict will be inconclusive.".to_string()
    } else if median < MIN_CALIBRATION {
        format!(
            "cannot grade speedup now: the gain is below {MIN_CALIBRATION}x; verdicts will be inconclusive. Is something else running?"
        )
    } else if median < FAIL_CALIBRATION {
        format!(
            "can pass good solutions, but too loaded to fail any (that needs {FAIL_CALIBRATION}x): expect inconclusive verdicts."
        )
    } else if median < SLOW_FAIL_CALIBRATION {
        format!(
            "can pass, and fail sequential or busy-waiting code; too loaded to fail merely slow code (that needs {SLOW_FAIL_CALIBRATION}x)."
        )
    } else {
        "can grade speedup: every verdict is available.".to_string()
    };
    out.push_str(&format!("\nverdict: {verdicts}\n"));
    if high - low > 0.3 {
        out.push_str("note: the readings spread widely; the machine's load is changing. Expect more retries.\n");
    }
    out
}

fn spread(values: &[f64]) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    format!("median {:.2}x, from {:.2}x to {:.2}x", sorted[sorted.len() / 2], sorted[0], sorted[sorted.len() - 1])
}
