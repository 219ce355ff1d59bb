//! The `cufpress` command: a thin French CLI over the library (see `cli`).

mod cli;

/// mimalloc: a build allocates and frees millions of small strings across
/// threads; it is measurably faster there than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
