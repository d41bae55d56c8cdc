//! corefence with a user's files: `--fix` never rewrites a file it cannot
//! rewrite whole (read-only, hard-linked, not UTF-8, changed meanwhile), and
//! leaves no temporary file behind for `git add -A` to commit.

use std::path::Path;

use crate::support::{corefence_in, Run};

const HEADER: &str = "// SPDX-License-Identifier: AGPL-3.0-only\n";
const CONFIG: &str = "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n";

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "corefence.toml", CONFIG);
    write(dir.path(), "Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n");
    dir
}

fn fix(root: &Path) -> Run {
    corefence_in(root.to_path_buf(), &["check", "--fix", "--format", "short"])
}

#[cfg(unix)]
#[test]
fn fix_leaves_read_only_and_hard_linked_files_alone() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = workspace();
    let root = dir.path();
    write(root, "src/lib.rs", "pub fn fixed() {}\n");
    write(root, "src/read_only.rs", "pub fn ro() {}\n");
    std::fs::set_permissions(root.join("src/read_only.rs"), std::fs::Permissions::from_mode(0o444)).unwrap();
    // A backup made with `cp -al` outside the workspace shares the inode.
    write(root, "src/linked.rs", "pub fn linked() {}\n");
    let backup = tempfile::tempdir().unwrap();
    std::fs::hard_link(root.join("src/linked.rs"), backup.path().join("linked.rs")).unwrap();

    let run = fix(root);
    assert_eq!(run.code, 1, "the unfixed files still lack a header: {}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("`src/read_only.rs` not fixed: read-only"), "{}", run.stdout);
    assert!(
        run.stdout.contains("`src/linked.rs` not fixed: has 2 hard links; the rename would split them"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read(root.join("src/read_only.rs")).unwrap(), b"pub fn ro() {}\n");
    assert_eq!(mode(&root.join("src/read_only.rs")), 0o444);
    assert_eq!(std::fs::read(root.join("src/linked.rs")).unwrap(), b"pub fn linked() {}\n");
    let (a, b) = (
        std::fs::metadata(root.join("src/linked.rs")).unwrap(),
        std::fs::metadata(backup.path().join("linked.rs")).unwrap(),
    );
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2), "still one file under two names");
    // The rest of the run went on.
    assert_eq!(std::fs::read_to_string(root.join("src/lib.rs")).unwrap(), format!("{HEADER}\npub fn fixed() {{}}\n"));
}

#[test]
fn fix_removes_what_a_killed_fix_left_behind_and_check_ignores_it() {
    let dir = workspace();
    let root = dir.path();
    // `kill -9` during `--fix` leaves the half-written temporary file beside
    // the file being fixed, which was not fixed.
    let leftover = "src/.corefence-4000000000-q7Kd02xZ.tmp";
    write(root, leftover, "// SPDX-License-Identifier: AGPL-3.0-only\n\npub fn f(");
    write(root, "src/lib.rs", "pub fn f() {}\n");
    // Even when every file must carry a header, the leftover is not checked.
    write(root, "corefence.toml", format!("{CONFIG}[headers]\ninclude = [\"**/*.rs\", \"**/*.tmp\"]\n"));

    let check = corefence_in(root.to_path_buf(), &["check", "--format", "short"]);
    assert!(!check.stdout.contains(".corefence-"), "{}", check.stdout);
    assert!(check.stdout.contains("src/lib.rs"), "{}", check.stdout);
    assert!(root.join(leftover).exists(), "a check never deletes anything");

    let run = fix(root);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!root.join(leftover).exists(), "the leftover is gone");
    let names: Vec<_> = std::fs::read_dir(root.join("src")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["lib.rs"]);
}

#[test]
fn fix_never_loses_an_edit_made_after_the_file_was_read() {
    // Cargo.toml is read when the workspace is loaded; here its header is
    // fixed before its `license` is. The second fix must not be built from
    // the content the first one replaced.
    let dir = workspace();
    let root = dir.path();
    write(root, "corefence.toml", format!("{CONFIG}[headers]\ninclude = [\"**/*.rs\", \"Cargo.toml\"]\n"));
    write(root, "Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
    write(root, "src/lib.rs", HEADER);
    let run = fix(root);
    assert!(
        run.stderr.contains("note: Cargo.toml: not fixed: changed while corefence was fixing it; run --fix again"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(root.join("Cargo.toml")).unwrap(),
        "# SPDX-License-Identifier: AGPL-3.0-only\n\n[package]\nname = \"app\"\nversion = \"0.1.0\"\n",
        "the header fix is kept"
    );
    let again = fix(root);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("Cargo.toml")).unwrap(),
        "# SPDX-License-Identifier: AGPL-3.0-only\n\n[package]\nname = \"app\"\nlicense = \"AGPL-3.0-only\"\nversion = \"0.1.0\"\n"
    );
}

#[test]
fn fix_never_rewrites_a_manifest_that_is_not_utf8() {
    let dir = workspace();
    let root = dir.path();
    write(root, "src/lib.rs", HEADER);
    // Latin-1: decoding it for the edit would turn `é` into U+FFFD.
    let latin1: &[u8] = b"[package]\nname = \"app\"\nversion = \"0.1.0\"\ndescription = \"caf\xe9\"\n";
    write(root, "Cargo.toml", latin1);
    let run = fix(root);
    assert_eq!(run.code, 1, "the finding stays: {}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("Cargo.toml: not fixed: not valid UTF-8"), "{}", run.stderr);
    assert!(run.stderr.contains("license = \"AGPL-3.0-only\"` by hand"), "{}", run.stderr);
    assert_eq!(std::fs::read(root.join("Cargo.toml")).unwrap(), latin1);

    // UTF-8 with a BOM and CRLF: fixed, every other byte kept.
    write(root, "Cargo.toml", "\u{feff}[package]\r\nname = \"app\"\r\ndescription = \"café\"\r\n");
    let run = fix(root);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("Cargo.toml")).unwrap(),
        "\u{feff}[package]\r\nname = \"app\"\r\nlicense = \"AGPL-3.0-only\"\r\ndescription = \"café\"\r\n"
    );
}
