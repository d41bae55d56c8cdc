//! What git knows of the workspace: the index as a view of the workspace for
//! `check --staged` (what a commit would contain, not what the working tree
//! holds), and the tracked files a `.gitignore` hides from the walk.
//!
//! With `--staged`, the files checked are exactly the regular files in the
//! index, wherever they are on disk: deleted or replaced by a link in the
//! working tree, under an ignored folder, or named in any ignore file. A file
//! whose working-tree content differs from the index is read from the index
//! (by object id, so no file name can confuse the exchange with git); the
//! files reported on are the staged ones. Untracked files are not part of the
//! commit and are left out. Every path goes through git with `-z`, so names
//! with newlines or quotes stay whole.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// The index seen from the workspace root.
#[derive(Debug, Default)]
pub struct StagedView {
    /// Every regular file in the index, relative to the root, sorted.
    pub files: Vec<String>,
    /// Paths added, copied, modified or renamed in the index (what to report on).
    pub staged: Vec<String>,
    /// Index content of the files whose working-tree content differs (or
    /// which are not a regular file in the working tree at all).
    pub content: BTreeMap<String, Vec<u8>>,
}

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the git index: {0}")]
pub struct GitError(String);

/// git, run on the repository holding `root`.
fn command(root: &Path, args: &[&str]) -> Command {
    let mut git = Command::new("git");
    git.arg("-C").arg(root).args(args);
    git
}

fn spawn_failed(e: &std::io::Error) -> GitError {
    GitError(format!("cannot run git: {e}"))
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = command(root, args).stdin(Stdio::null()).output().map_err(|e| spawn_failed(&e))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError(String::from_utf8_lossy(&out.stderr).trim().to_owned()))
    }
}

fn paths(bytes: &[u8]) -> Vec<String> {
    bytes.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into_owned()).collect()
}

/// One `git ls-files --stage` entry: `<mode> <object> <stage>\t<path>`.
fn stage_entry(record: &[u8]) -> Option<(&str, &str, String)> {
    let tab = memchr::memchr(b'\t', record)?;
    let (head, path) = (record.get(..tab)?, record.get(tab + 1..)?);
    let mut fields = std::str::from_utf8(head).ok()?.split(' ');
    let (mode, object) = (fields.next()?, fields.next()?);
    Some((mode, object, String::from_utf8_lossy(path).into_owned()))
}

/// Reads the index of the repository holding `root`; paths are relative to `root`.
pub fn staged_view(root: &Path) -> Result<StagedView, GitError> {
    let listing = git(root, &["ls-files", "-z", "--stage"])?;
    let mut objects: BTreeMap<String, String> = BTreeMap::new();
    for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let Some((mode, object, path)) = stage_entry(record) else { continue };
        // Regular files only: a link's "content" is where it points, and a
        // submodule is another repository with its own hook.
        if mode.starts_with("100") {
            objects.entry(path).or_insert_with(|| object.to_owned());
        }
    }
    let staged = paths(&git(
        root,
        &["diff", "--cached", "--name-only", "-z", "--relative", "--diff-filter=ACMR", "--no-renames"],
    )?);
    // Modified, deleted or no longer a regular file in the working tree.
    let differing: BTreeSet<String> = paths(&git(root, &["diff", "--name-only", "-z", "--relative", "--no-renames"])?)
        .into_iter()
        .chain(objects.keys().filter(|rel| !is_regular_file(&root.join(rel))).cloned())
        .collect();
    let wanted: Vec<(String, String)> =
        differing.into_iter().filter_map(|rel| Some((objects.get(&rel)?.clone(), rel))).collect();
    let content = objects_content(root, &wanted)?;
    Ok(StagedView { files: objects.into_keys().collect(), staged, content })
}

fn is_regular_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

/// The content of `(object, rel)` pairs, by object id through one
/// `git cat-file --batch`.
fn objects_content(root: &Path, wanted: &[(String, String)]) -> Result<BTreeMap<String, Vec<u8>>, GitError> {
    let mut out = BTreeMap::new();
    if wanted.is_empty() {
        return Ok(out);
    }
    let mut child = command(root, &["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_failed(&e))?;
    let mut stdin = child.stdin.take().ok_or_else(|| GitError("no stdin".to_owned()))?;
    // Object ids are hexadecimal: one per line cannot be misread.
    let request = wanted.iter().fold(String::new(), |mut acc, (object, _)| {
        acc.push_str(object);
        acc.push('\n');
        acc
    });
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().ok_or_else(|| GitError("no stdout".to_owned()))?);
    for (object, rel) in wanted {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(|e| GitError(e.to_string()))?;
        // `<object> blob <size>`, or `<object> missing`.
        let mut fields = header.split_whitespace();
        if fields.next() != Some(object.as_str()) {
            return Err(GitError(format!("unexpected answer from git cat-file: {}", header.trim())));
        }
        let Some(size) = fields.nth(1).and_then(|s| s.parse::<usize>().ok()) else { continue };
        let mut body = vec![0; size];
        reader.read_exact(&mut body).map_err(|e| GitError(e.to_string()))?;
        let mut newline = [0u8; 1];
        reader.read_exact(&mut newline).map_err(|e| GitError(e.to_string()))?;
        out.insert(rel.clone(), body);
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}

/// Every file tracked in the repository holding `root`, under `root`
/// (relative to it); empty outside a repository or without git. Reading
/// the index costs git no look at the working tree.
pub fn tracked(root: &Path) -> Vec<String> {
    if !in_repository(root) {
        return Vec::new();
    }
    let mut files = git(root, &["ls-files", "-z", "--cached"]).map(|b| paths(&b)).unwrap_or_default();
    // A conflicted file is listed once per stage.
    files.dedup();
    files
}

/// Which of `paths_asked` (tracked files the walk did not find) the
/// repository's ignore rules match (added with `git add -f`): they are part
/// of every commit, so the walk, which skips ignored paths, must not lose
/// them. `git check-ignore` answers for these paths alone; `git ls-files
/// --ignored` would look at every tracked file on disk. If it cannot
/// answer, ls-files is asked.
pub fn tracked_but_ignored(root: &Path, paths_asked: &[String]) -> Vec<String> {
    if paths_asked.is_empty() || !in_repository(root) {
        return Vec::new();
    }
    let mut input = Vec::new();
    for p in paths_asked {
        input.extend_from_slice(p.as_bytes());
        input.push(0);
    }
    // `--no-index`: tracked paths are matched against the rules as well.
    let checked = git_with_input(root, &["check-ignore", "--no-index", "-z", "--stdin"], &input);
    let listed = || git(root, &["ls-files", "-z", "--cached", "--ignored", "--exclude-standard"]);
    checked.or_else(|_| listed()).map(|b| paths(&b)).unwrap_or_default()
}

/// Runs git with `input` on its standard input. Exit code 1 is an answer
/// (`check-ignore`: none of the paths is ignored), not a failure.
fn git_with_input(root: &Path, args: &[&str], input: &[u8]) -> Result<Vec<u8>, GitError> {
    let mut child = command(root, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_failed(&e))?;
    let mut stdin = child.stdin.take().ok_or_else(|| GitError("no input to git".to_owned()))?;
    // Written while git's output is read: neither pipe can fill up and stall.
    let out = std::thread::scope(|s| {
        s.spawn(move || {
            let _ = stdin.write_all(input);
        });
        child.wait_with_output()
    })
    .map_err(|e| GitError(e.to_string()))?;
    match out.status.code() {
        Some(0) => Ok(out.stdout),
        Some(1) => Ok(Vec::new()),
        _ => Err(GitError(String::from_utf8_lossy(&out.stderr).trim().to_owned())),
    }
}

/// The root of the git working tree `dir` is in: the nearest folder, `dir`
/// or an ancestor, holding `.git` (a folder in a clone, a file in a
/// worktree or submodule).
pub fn repository_root(dir: &Path) -> Option<&Path> {
    dir.ancestors().find(|d| d.join(".git").exists())
}

/// Whether `dir` is inside a git working tree.
pub fn in_repository(dir: &Path) -> bool {
    repository_root(dir).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracked_files_forced_past_the_ignore_rules_are_found_among_those_asked_about() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let run =
            |args: &[&str]| assert!(Command::new("git").arg("-C").arg(root).args(args).status().unwrap().success());
        run(&["init", "-q"]);
        std::fs::write(root.join(".gitignore"), "gen/\n*.log\n").unwrap();
        std::fs::create_dir_all(root.join("gen/deep")).unwrap();
        for (rel, text) in [("gen/deep/a.rs", "a"), ("b.log", "b"), ("c.rs", "c"), ("we[i]rd.log", "d")] {
            std::fs::write(root.join(rel), text).unwrap();
        }
        run(&["add", "-f", "gen/deep/a.rs", "b.log", "c.rs", "we[i]rd.log"]);
        let mut all = tracked(root);
        all.sort();
        assert_eq!(all, ["b.log", "c.rs", "gen/deep/a.rs", "we[i]rd.log"]);
        // Under an ignored folder, matched by a pattern, or a name with
        // glob characters: each is found; a path no rule matches is not.
        let asked = ["gen/deep/a.rs", "b.log", "c.rs", "we[i]rd.log"].map(String::from);
        assert_eq!(tracked_but_ignored(root, &asked), ["gen/deep/a.rs", "b.log", "we[i]rd.log"]);
        assert!(tracked_but_ignored(root, &["c.rs".to_owned()]).is_empty(), "exit code 1 is an answer");
        assert!(tracked_but_ignored(root, &[]).is_empty());
    }

    #[test]
    fn stage_entries_keep_names_whole() {
        let record = b"100644 0123456789abcdef0123456789abcdef01234567 0\tdir/a\nb\tc.rs";
        let (mode, object, path) = stage_entry(record).unwrap();
        assert_eq!(
            (mode, object, path.as_str()),
            ("100644", "0123456789abcdef0123456789abcdef01234567", "dir/a\nb\tc.rs")
        );
    }
}
