//! From verdicts to points: a pure function of a check's verdict, its kind,
//! its figures and what it is worth.

use grading_kit::protocol::{CheckKind, SpeedupFigures, Status};

/// What one check earned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Score {
    /// Decided: between 0 and the check's points, to the hundredth.
    Points(f64),
    /// The machine could not measure: neither 0 nor full points, but a
    /// grade to run again.
    Inconclusive,
}

/// Scores one check worth `max` points.
///
/// A pass earns `max`, a fail 0, except a speedup that fails with at least
/// half the required gain: it earns the share of the required gain it
/// reached (`max × (S − 1) / (T − 1)`), so half to nearly all of `max`.
/// "Half the threshold" is read as half the *gain*: with `T = 1.5`, a
/// literal `T / 2 = 0.75` would reward code slower than the sequential
/// reference.
pub fn score(max: u32, kind: CheckKind, status: Status, figures: Option<&SpeedupFigures>) -> Score {
    let max = f64::from(max);
    match (status, kind, figures) {
        (Status::Inconclusive, _, _) => Score::Inconclusive,
        (Status::Pass, _, _) => Score::Points(max),
        (Status::Fail, CheckKind::Speedup, Some(f)) => Score::Points(partial(max, f.speedup, f.required)),
        (Status::Fail, _, _) => Score::Points(0.0),
    }
}

/// Partial credit for a failed speedup `s` against the threshold `required`.
fn partial(max: f64, s: f64, required: f64) -> f64 {
    let gain = required - 1.0;
    // A threshold at or below 1 asks for no gain: a fail then is no partial case.
    if gain <= 0.0 || !s.is_finite() {
        return 0.0;
    }
    let share = (s - 1.0) / gain;
    // At or above the threshold and still failed: the verdict saw one core
    // (or contradicting rounds), which earns nothing.
    if (0.5..1.0).contains(&share) { hundredths(max * share) } else { 0.0 }
}

/// Rounds down to the hundredth, so partial credit never shows as full.
pub fn hundredths(points: f64) -> f64 {
    (points * 100.0 + 1e-9).floor() / 100.0
}

/// Points as people write them: `9`, `4.5`, `1.33`.
pub fn show(points: f64) -> String {
    let text = format!("{points:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(speedup: f64, required: f64) -> SpeedupFigures {
        SpeedupFigures {
            speedup,
            required,
            cores: 2,
            cores_used: 1.8,
            reference_cores_used: 1.0,
            calibration: 1.9,
            reference_ms: 100.0,
            subject_ms: 100.0 / speedup,
            workload_gain: None,
            rounds: 3,
        }
    }

    fn speedup(status: Status, s: f64, required: f64) -> Score {
        score(3, CheckKind::Speedup, status, Some(&figures(s, required)))
    }

    #[test]
    fn a_pass_earns_full_points_and_a_fail_none() {
        assert_eq!(score(2, CheckKind::Property, Status::Pass, None), Score::Points(2.0));
        assert_eq!(score(2, CheckKind::Property, Status::Fail, None), Score::Points(0.0));
        assert_eq!(score(1, CheckKind::Snapshot, Status::Fail, None), Score::Points(0.0));
        assert_eq!(score(0, CheckKind::Build, Status::Fail, None), Score::Points(0.0));
        assert_eq!(speedup(Status::Pass, 1.6, 1.5), Score::Points(3.0));
    }

    #[test]
    fn a_speedup_with_half_the_required_gain_or_more_earns_its_share() {
        // Threshold 1.5: half the gain is 1.25.
        assert_eq!(speedup(Status::Fail, 1.25, 1.5), Score::Points(1.5));
        assert_eq!(speedup(Status::Fail, 1.4, 1.5), Score::Points(2.4));
        assert_eq!(speedup(Status::Fail, 1.499, 1.5), Score::Points(2.99));
    }

    #[test]
    fn a_speedup_below_half_the_required_gain_earns_nothing() {
        assert_eq!(speedup(Status::Fail, 1.24, 1.5), Score::Points(0.0));
        assert_eq!(speedup(Status::Fail, 1.0, 1.5), Score::Points(0.0));
        // Half of the threshold itself (0.75x) is slower than sequential.
        assert_eq!(speedup(Status::Fail, 0.8, 1.5), Score::Points(0.0));
    }

    #[test]
    fn a_failed_speedup_at_the_threshold_earns_nothing() {
        assert_eq!(speedup(Status::Fail, 1.6, 1.5), Score::Points(0.0));
        assert_eq!(speedup(Status::Fail, 1.2, 1.0), Score::Points(0.0));
    }

    #[test]
    fn inconclusive_is_neither_zero_nor_full() {
        assert_eq!(speedup(Status::Inconclusive, 1.4, 1.5), Score::Inconclusive);
        assert_eq!(speedup(Status::Inconclusive, 1.6, 1.5), Score::Inconclusive);
        assert_eq!(score(3, CheckKind::Speedup, Status::Inconclusive, None), Score::Inconclusive);
    }

    #[test]
    fn points_show_without_trailing_zeros() {
        assert_eq!(show(9.0), "9");
        assert_eq!(show(4.5), "4.5");
        assert_eq!(show(2.98), "2.98");
    }
}
