//! The `eblog` binary: everything lives in the library; this maps it to an exit code.

/// mimalloc: eblog allocates many short-lived strings per record, and glibc's allocator
/// spent a tenth of the run in malloc/free and page zeroing (measured with perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(eblog::cli::run());
}
