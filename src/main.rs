//! The `eblog` binary: everything lives in the library; this maps it to an exit code.
//!
//! The allocator is jemalloc: against glibc's it cut `eblog scan`'s CPU time by about 14%
//! and `eblog parse`'s by about 10%, with the same peak RSS (glibc's per-thread arenas
//! fragment when records made on the workers are freed on the writer threads). mimalloc
//! was as fast but held `eblog scan` near 310 MB on a 1 GB fleet (BENCHMARKS.md).
//!
//! jemalloc is told never to hand freed pages back to the kernel while eblog runs: the
//! scanner's workers allocate a fresh output buffer per chunk (megabytes), and with the
//! default decay each one was faulted in and zeroed again; `parse -j 2` of a 300 MB fleet
//! spent 0.45 s in the kernel, 0.12 s with this setting, for 27 MB more peak RSS (86 →
//! 113 MB). Peak RSS is what bounds memory, and it is unchanged by reuse.
#![deny(unsafe_code)]

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's compile-time options (read once, at start-up, by the `_rjem_`-prefixed
/// jemalloc of tikv-jemallocator): never purge dirty or muzzy pages.
#[cfg(not(target_env = "msvc"))]
// SAFETY: a NUL-terminated constant that jemalloc only reads; the symbol name is the one
// the prefixed jemalloc looks up, and nothing else defines it.
#[allow(unsafe_code)]
#[no_mangle]
pub static _rjem_malloc_conf: &[u8; 36] = b"dirty_decay_ms:-1,muzzy_decay_ms:-1\0";

fn main() {
    std::process::exit(eblog::cli::run());
}
