//! Stage timings for profiling a build: `CUFPRESS_TIMINGS=1 cufpress build`
//! prints how long each stage and renderer took, on stderr.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CUFPRESS_TIMINGS").is_some_and(|v| v != "0"))
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
