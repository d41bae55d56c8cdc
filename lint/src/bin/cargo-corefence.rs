//! `cargo corefence ...`: cargo runs `cargo-corefence corefence ...`, so the
//! subcommand name is dropped before the arguments are parsed.

// Parsing allocates many small, short-lived nodes (see Cargo.toml).
#[cfg(not(windows))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    corefence::cli::main_with_skip(1);
}
