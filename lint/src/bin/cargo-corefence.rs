//! `cargo corefence ...`: cargo runs `cargo-corefence corefence ...`, so the
//! subcommand name is dropped before the arguments are parsed.

fn main() {
    corefence::cli::main_with_skip(1);
}
