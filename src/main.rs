//! The `eblog` binary: everything lives in the library; this maps it to an exit code.
//!
//! The system allocator is used on purpose: mimalloc made `eblog parse` about 10% faster
//! but held `eblog scan`'s peak RSS near 310 MB on a 1 GB fleet, against 186 MB with glibc
//! (BENCHMARKS.md).
#![forbid(unsafe_code)]

fn main() {
    std::process::exit(eblog::cli::run());
}
