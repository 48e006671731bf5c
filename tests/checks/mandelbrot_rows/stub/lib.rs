//! A Mandelbrot image, rendered in parallel by rows. Read `README.md` in
//! this folder first.
//!
//! `View`, `View::point` and `escape_time` are given; use them as they are.

/// A region of the complex plane, and how many iterations to try per point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub re_min: f64,
    pub re_max: f64,
    pub im_min: f64,
    pub im_max: f64,
    pub max_iterations: u8,
}

/// Points are computed in fixed point: a number `x` is the integer
/// `x * 2^FRACTION_BITS`. Integer arithmetic is exact, so every machine and
/// every thread computes the same image.
pub const FRACTION_BITS: u32 = 28;

impl View {
    /// The point at the centre of pixel (`col`, `row`) of a `width` x `height`
    /// image of this view, in fixed point; row 0 is the top (`im_max`).
    pub fn point(&self, col: usize, row: usize, width: usize, height: usize) -> (i64, i64) {
        let re = self.re_min + (self.re_max - self.re_min) * (col as f64 + 0.5) / width as f64;
        let im = self.im_max - (self.im_max - self.im_min) * (row as f64 + 0.5) / height as f64;
        let scale = (1_i64 << FRACTION_BITS) as f64;
        ((re * scale).round() as i64, (im * scale).round() as i64)
    }
}

/// How many steps of `z = z * z + c`, from `z = 0`, stay within `|z| <= 2`,
/// up to `max_iterations`: points of the Mandelbrot set take all of them,
/// points far outside only a few. `c` is in fixed point, with `|c| <= 4`.
pub fn escape_time(c_re: i64, c_im: i64, max_iterations: u8) -> u8 {
    let (mut re, mut im) = (0_i64, 0_i64);
    for step in 0..max_iterations {
        let (re2, im2) = ((re * re) >> FRACTION_BITS, (im * im) >> FRACTION_BITS);
        if re2 + im2 > 4 << FRACTION_BITS {
            return step;
        }
        im = ((re * im) >> (FRACTION_BITS - 1)) + c_im;
        re = re2 - im2 + c_re;
    }
    max_iterations
}

/// Renders `view` into `pixels`, an image `width` pixels wide stored row
/// after row (`pixels.len()` is a multiple of `width`, `width` is at least
/// 1, so the height is `pixels.len() / width`): the pixel of column `col` and
/// row `row` is `pixels[row * width + col]`, and holds the `escape_time` of
/// `view.point(col, row, width, height)`.
///
/// Render the rows in parallel, letting idle threads take rows that are still
/// to do: some rows cost far more than others.
///
/// ```no_run
/// use mandelbrot_rows::{View, render};
/// let view = View { re_min: -2.0, re_max: 1.0, im_min: -1.0, im_max: 1.0, max_iterations: 50 };
/// let mut pixels = vec![0u8; 6 * 4];
/// render(&mut pixels, 6, &view);
/// assert_eq!(pixels[2 * 6 + 3], 50); // near -0.25 + 0i: inside the set
/// ```
pub fn render(pixels: &mut [u8], width: usize, view: &View) {
    todo!("render {} rows of {width} pixels in parallel, row by row", pixels.len() / width.max(1))
}
