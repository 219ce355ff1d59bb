//! Stage timings for profiling a build: `cufpress build --verbose` (or
//! `CUFPRESS_TIMINGS=1`, for scripts) prints how long each stage and
//! renderer took, on stderr.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static FORCED: AtomicBool = AtomicBool::new(false);

/// Turns timings on for this process (`--verbose`).
pub fn enable() {
    FORCED.store(true, Ordering::Relaxed);
}

/// Whether timings are on: `--verbose`, or `CUFPRESS_TIMINGS` set.
pub fn enabled() -> bool {
    static ENV: OnceLock<bool> = OnceLock::new();
    FORCED.load(Ordering::Relaxed)
        || *ENV.get_or_init(|| std::env::var_os("CUFPRESS_TIMINGS").is_some_and(|v| v != "0"))
}

/// Runs `f`, printing `name` and its duration when timings are enabled.
pub fn stage<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    eprintln!(
        "[temps] {name:<24} {:>8.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    out
}

/// Runs `f` and returns its result with its duration in milliseconds.
pub fn timed<R>(f: impl FnOnce() -> R) -> (R, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64() * 1000.0)
}

/// Prints the median and slowest of `millis` (durations of one item, see
/// [`timed`]) when timings are enabled.
pub fn summary(name: &str, millis: &mut [f64]) {
    if !enabled() || millis.is_empty() {
        return;
    }
    millis.sort_by(f64::total_cmp);
    eprintln!(
        "[temps] {name:<24} {:>8.1} ms médiane, {:.1} ms au plus ({} fois)",
        millis[millis.len() / 2],
        millis[millis.len() - 1],
        millis.len()
    );
}
