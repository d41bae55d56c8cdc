//! `naive-syn DIR`: what the simplest syn-based checker does, and nothing
//! else: walk `DIR` (honouring `.gitignore`, as corefence does), read every
//! `.rs` file and parse it with `syn::parse_file`, on every core. Prints the
//! number of files, of bytes and of files syn rejects. The benchmark
//! (`bench/run`) times corefence against it.

use std::path::PathBuf;

use rayon::prelude::*;

fn main() {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: naive-syn DIR");
        std::process::exit(2);
    };
    let files: Vec<PathBuf> = ignore::WalkBuilder::new(&root)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    let (bytes, rejected) = files
        .par_iter()
        .map(|p| match std::fs::read_to_string(p) {
            Ok(text) => (text.len(), usize::from(syn::parse_file(&text).is_err())),
            Err(_) => (0, 1),
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{} files, {bytes} bytes, {rejected} not parsed", files.len());
}
