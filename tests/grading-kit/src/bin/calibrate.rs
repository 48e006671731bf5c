//! Prints readings of the calibration kernel, one JSON object per line, for
//! `cargo xtask calibrate`: `calibrate READINGS`.

fn main() {
    let readings: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(10);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for _ in 0..readings {
        let reading = grading_kit::calibrate(cores);
        println!(r#"{{"cores":{cores},"threads":{:.3},"pool":{:.3}}}"#, reading.threads, reading.pool);
    }
}
