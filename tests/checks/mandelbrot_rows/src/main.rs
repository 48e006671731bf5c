//! Checks of `mandelbrot_rows`.

grading_kit::subject!();

use grading_kit::helpers::SeededRng;
use grading_kit::{Speedup, expect_eq};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// A view as the check draws it and sends it to the learner's process: the
/// fields of the exercise's `View`, as plain data.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct View {
    #[serde(with = "exact")]
    re_min: f64,
    #[serde(with = "exact")]
    re_max: f64,
    #[serde(with = "exact")]
    im_min: f64,
    #[serde(with = "exact")]
    im_max: f64,
    max_iterations: u8,
}

impl View {
    /// The exercise's own `View`, for the learner's `render`.
    fn given(&self) -> subject::View {
        let View { re_min, re_max, im_min, im_max, max_iterations } = *self;
        subject::View { re_min, re_max, im_min, im_max, max_iterations }
    }
}

/// An `f64` sent as its bits: JSON's decimal text may come back one unit in
/// the last place off, and the learner would then render another view than
/// the oracle's.
mod exact {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(value.to_bits())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        u64::deserialize(deserializer).map(f64::from_bits)
    }
}

/// The trusted sequential renderer: one pixel after another, with the same
/// arithmetic as the exercise's `View::point` and `escape_time`.
mod oracle {
    const BITS: u32 = 28;

    pub fn render(width: usize, height: usize, view: &super::View) -> Vec<u8> {
        let scale = (1_i64 << BITS) as f64;
        let mut pixels = Vec::with_capacity(width * height);
        for row in 0..height {
            for col in 0..width {
                let re = view.re_min + (view.re_max - view.re_min) * (col as f64 + 0.5) / width as f64;
                let im = view.im_max - (view.im_max - view.im_min) * (row as f64 + 0.5) / height as f64;
                pixels.push(escape_time((re * scale).round() as i64, (im * scale).round() as i64, view.max_iterations));
            }
        }
        pixels
    }

    fn escape_time(c_re: i64, c_im: i64, max_iterations: u8) -> u8 {
        let (mut re, mut im) = (0_i64, 0_i64);
        for step in 0..max_iterations {
            let (re2, im2) = ((re * re) >> BITS, (im * im) >> BITS);
            if re2 + im2 > 4 << BITS {
                return step;
            }
            im = ((re * im) >> (BITS - 1)) + c_im;
            re = re2 - im2 + c_re;
        }
        max_iterations
    }
}

/// The whole set, as usually drawn.
const CLASSIC: View = View { re_min: -2.2, re_max: 0.8, im_min: -1.2, im_max: 1.2, max_iterations: 40 };

/// A lopsided view: the set fills the top half of the image and the bottom
/// half lies far outside it, where every point escapes within a few steps.
/// Almost all the work is in the top half.
const LOPSIDED: View = View { re_min: -2.2, re_max: 0.8, im_min: -3.6, im_max: 1.2, max_iterations: 255 };
const SPEEDUP_WIDTH: usize = 1_500;
const SPEEDUP_HEIGHT: usize = 1_000;

/// The lopsided view moved by less than one pixel, both ways, by an amount
/// drawn from `seed`: other pixels, the same size and the same lopsided
/// shape, so as much work and all of it still in the top half.
fn lopsided_view(seed: u64) -> View {
    let mut rng = SeededRng::new(seed);
    let pixel_re = (LOPSIDED.re_max - LOPSIDED.re_min) / SPEEDUP_WIDTH as f64;
    let pixel_im = (LOPSIDED.im_max - LOPSIDED.im_min) / SPEEDUP_HEIGHT as f64;
    let re = pixel_re * rng.below(1_000) as f64 / 1_000.0;
    let im = pixel_im * rng.below(1_000) as f64 / 1_000.0;
    View {
        re_min: LOPSIDED.re_min + re,
        re_max: LOPSIDED.re_max + re,
        im_min: LOPSIDED.im_min + im,
        im_max: LOPSIDED.im_max + im,
        ..LOPSIDED
    }
}

fn views() -> impl Strategy<Value = View> {
    (-2.5..0.0f64, 0.1..3.0f64, -1.5..0.5f64, 0.1..3.0f64, 0..60u8).prop_map(|(re_min, w, im_min, h, max)| View {
        re_min,
        re_max: re_min + w,
        im_min,
        im_max: im_min + h,
        max_iterations: max,
    })
}

/// The learner's `render` of a `width` x `height` image.
fn render(width: usize, height: usize, view: &View) -> Vec<u8> {
    let mut pixels = vec![0u8; width * height];
    subject::render(&mut pixels, width, &view.given());
    pixels
}

/// Each escape time drawn as a character, dark to bright.
fn ascii_art(pixels: &[u8], width: usize, max_iterations: u8) -> String {
    const RAMP: &[u8] = b" .:-=+*#%@";
    let mut art = String::new();
    for line in pixels.chunks(width) {
        for &p in line {
            art.push(RAMP[p as usize * (RAMP.len() - 1) / max_iterations as usize] as char);
        }
        art.push('\n');
    }
    art
}

fn main() {
    grading_kit::checks!()
        .property(
            "renders like the sequential renderer",
            (views(), 1..40usize, 0..30usize),
            |&(view, width, height)| render(width, height, &view),
            |(view, width, height), pixels| expect_eq(pixels, oracle::render(*width, *height, view)),
        )
        .property(
            "one-pixel-wide images",
            (views(), 0..50usize),
            |&(view, height)| render(1, height, &view),
            |(view, height), pixels| expect_eq(pixels, oracle::render(1, *height, view)),
        )
        .snapshot("the set in ascii", || {
            let (width, height) = (72, 24);
            ascii_art(&render(width, height, &CLASSIC), width, CLASSIC.max_iterations)
        })
        .speedup(
            "faster than the sequential renderer on a lopsided view",
            Speedup::seeded(
                lopsided_view,
                |view: &View| oracle::render(SPEEDUP_WIDTH, SPEEDUP_HEIGHT, view),
                |view: &View| render(SPEEDUP_WIDTH, SPEEDUP_HEIGHT, view),
            ),
        )
        .main();
}
