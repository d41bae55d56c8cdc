//! corefence with a user's files: it replaces only what it wrote itself,
//! never writes through a link, never rewrites a file it cannot rewrite
//! whole (read-only, hard-linked, not UTF-8), and leaves no temporary file
//! behind for `git add -A` to commit.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{corefence_in, git, write, Run};

const COREFENCE: &str = env!("CARGO_BIN_EXE_corefence");
const HEADER: &str = "// SPDX-License-Identifier: AGPL-3.0-only\n";
const CONFIG: &str = "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n";

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A workspace with one crate; its files are written by the test.
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

/// A git repository in `<tmp>/repo`, so that `<tmp>` is outside it.
fn repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    assert!(git(&repo, &["init", "-q", "-b", "main"]).status.success());
    write(&repo, "corefence.toml", CONFIG);
    (dir, repo)
}

fn install_hook(repo: &Path, force: bool) -> Output {
    let mut cmd = Command::new(COREFENCE);
    cmd.arg("install-hook").current_dir(repo);
    if force {
        cmd.arg("--force");
    }
    cmd.output().unwrap()
}

#[test]
fn install_hook_keeps_every_hook_it_did_not_write() {
    let (_dir, repo) = repo();
    let hook = repo.join(".git/hooks/pre-commit");
    let written_by_us = corefence::hook::script(Path::new("/usr/local/bin/corefence"));
    let theirs: [&[u8]; 4] = [
        // Not UTF-8 (a Latin-1 comment).
        b"#!/bin/sh\n# v\xe9rifie le code\nmake lint\n",
        // A compiled hook.
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00binary hook\x00",
        // Names corefence, but the user added a line.
        b"#!/bin/sh\n# corefence pre-commit hook (written by `corefence install-hook`).\nmake lint\nexec corefence check --staged\n",
        // Corefence's script with one line of the user's after it.
        format!("{written_by_us}echo done\n").into_bytes().leak(),
    ];
    for bytes in theirs {
        write(&repo, ".git/hooks/pre-commit", bytes);
        let out = install_hook(&repo, false);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("is not corefence's") && stderr.contains("--force"), "{stderr}");
        assert_eq!(std::fs::read(&hook).unwrap(), bytes, "the user's hook is unchanged");
    }
}

#[test]
fn install_hook_replaces_a_hook_it_wrote_for_another_binary() {
    let (_dir, repo) = repo();
    let hook = repo.join(".git/hooks/pre-commit");
    // Installed earlier from a binary that has moved since, and by `cargo corefence`.
    for old in ["/opt/it's old/corefence", "/home/dev/.cargo/bin/cargo-corefence"] {
        write(&repo, ".git/hooks/pre-commit", corefence::hook::script(Path::new(old)));
        let out = install_hook(&repo, false);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(std::fs::read_to_string(&hook).unwrap(), corefence::hook::script(Path::new(COREFENCE)));
    }
    let again = install_hook(&repo, false);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already corefence's hook"));
}

#[cfg(unix)]
#[test]
fn install_hook_never_writes_through_a_link() {
    let (dir, repo) = repo();
    let hooks = repo.join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let link = hooks.join("pre-commit");
    let outside = dir.path().join("shared-hooks/pre-commit");

    // Dangling: writing through it would create a file outside the repository.
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    let out = install_hook(&repo, false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is a symbolic link to") && stderr.contains("which does not exist"), "{stderr}");
    assert!(stderr.contains("never writes through a link") && stderr.contains("--force"), "{stderr}");
    assert!(!outside.exists() && !dir.path().join("shared-hooks").exists(), "nothing written outside");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());

    // A link to a shared hook: refused, and the shared hook is unchanged.
    write(dir.path(), "shared-hooks/pre-commit", "#!/bin/sh\nshared\n");
    let out = install_hook(&repo, false);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a symbolic link to"));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "#!/bin/sh\nshared\n");

    // `--force` replaces the link itself with an executable file.
    let out = install_hook(&repo, true);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_file());
    assert_eq!(std::fs::read_to_string(&link).unwrap(), corefence::hook::script(Path::new(COREFENCE)));
    assert_eq!(mode(&link) & 0o111, 0o111, "executable");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "#!/bin/sh\nshared\n");

    // And with `--force`, a dangling link is replaced without creating its target.
    std::fs::remove_file(&link).unwrap();
    std::fs::remove_file(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    assert!(install_hook(&repo, true).status.success());
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_file());
    assert!(!outside.exists());
    let names: Vec<_> = std::fs::read_dir(&hooks).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!names.iter().any(|n| n.to_string_lossy().contains(".tmp")), "no temporary file left: {names:?}");
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    write(&root, "Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
    write(&root, "src/lib.rs", HEADER);
    let elsewhere = dir.path().join("elsewhere/corefence.toml");
    std::os::unix::fs::symlink(&elsewhere, root.join("corefence.toml")).unwrap();
    for args in [&["init"][..], &["init", "--force"]] {
        let run = corefence_in(root.clone(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("is a symbolic link; corefence never writes through a link"), "{}", run.stderr);
        assert!(!dir.path().join("elsewhere").exists(), "{args:?} wrote through the link");
        assert!(std::fs::symlink_metadata(root.join("corefence.toml")).unwrap().file_type().is_symlink());
    }
}

#[cfg(unix)]
#[test]
fn init_writes_any_folder_name_as_valid_toml() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
    write(root, "src/lib.rs", HEADER);
    let weird = ["we\"ird\\dir", "tab\there", "glob*[x]{y}"];
    for folder in weird {
        write(root, &format!("{folder}/ee/lib.rs"), "// SPDX-License-Identifier: LicenseRef-Enterprise\n");
    }
    let printed = corefence_in(root.to_path_buf(), &["init", "--stdout"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let proposal: toml::Table = toml::from_str(&printed.stdout).unwrap_or_else(|e| panic!("{e}\n{}", printed.stdout));
    let paths = proposal["assign"].as_array().unwrap().iter().find_map(|a| a.get("paths")).unwrap().clone();
    assert_eq!(
        paths,
        toml::Value::Array(
            ["glob\\*\\[x\\]\\{y\\}/ee/**", "tab\there/ee/**", "we\"ird\\\\dir/ee/**"].map(toml::Value::from).to_vec()
        )
    );

    let run = corefence_in(root.to_path_buf(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(root.join("corefence.toml")).unwrap(), printed.stdout);
    // The globs match those folders: their enterprise headers are right.
    let check = corefence_in(root.to_path_buf(), &["check", "--format", "short"]);
    assert!(!check.stdout.contains("license/mismatch"), "{}", check.stdout);
    assert_ne!(check.code, 2, "{}{}", check.stdout, check.stderr);
}
