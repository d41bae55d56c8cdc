//! The `corefence` command.

fn main() {
    corefence::cli::main_with_skip(0);
}
