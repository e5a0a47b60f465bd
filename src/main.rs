//! The `eblog` binary: everything lives in the library; this maps it to an exit code.

fn main() {
    std::process::exit(eblog::cli::run());
}
