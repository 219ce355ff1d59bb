//! The `cufpress` command: a thin French CLI over the library (see `cli`).

mod cli;

/// mimalloc: a build allocates and frees millions of small strings across
/// threads; it is measurably faster there than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Transparent huge pages off for this process: a build allocates and
    // frees hundreds of megabytes in short-lived pieces, and with them on,
    // the kernel zeroed a fresh 2 MB page at each of mimalloc's refaults
    // (`clear_page_erms`: a fifth of the build's cycles under `perf`).
    // Measured on the 3 KB-entry corpus (bench/bench.sh): 2.8 s → 2.2 s,
    // 1.3 s → 0.4 s of system time; the 1,000-page booklet 9.0 → 7.4 s.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    cli::main()
}
