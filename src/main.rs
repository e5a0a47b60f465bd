//! The `eblog` binary: everything lives in the library; this maps it to an exit code.
//!
//! The allocator is jemalloc: against glibc's it cut `eblog scan`'s CPU time by about 14%
//! and `eblog parse`'s by about 10%, with the same peak RSS (glibc's per-thread arenas
//! fragment when records made on the workers are freed on the writer threads). mimalloc
//! was as fast but held `eblog scan` near 310 MB on a 1 GB fleet (BENCHMARKS.md).
#![forbid(unsafe_code)]

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    std::process::exit(eblog::cli::run());
}
