//! The git index as a view of the workspace, for `check --staged`: what a
//! commit would contain, not what the working tree holds.
//!
//! The files checked are the ones in the index; a file whose working-tree
//! content differs from the index (unstaged edits) is read from the index
//! instead; the files reported on are the staged ones. Untracked files are
//! not part of the commit and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// The index seen from the workspace root.
#[derive(Debug, Default)]
pub struct StagedView {
    /// Every path in the index, relative to the root.
    pub indexed: BTreeSet<String>,
    /// Paths added, copied, modified or renamed in the index (what to report on).
    pub staged: Vec<String>,
    /// Index content of the files whose working-tree content differs.
    pub content: BTreeMap<String, Vec<u8>>,
}

/// Why the index could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the git index: {0}")]
pub struct GitError(String);

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| GitError(format!("cannot run git: {e}")))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError(String::from_utf8_lossy(&out.stderr).trim().to_owned()))
    }
}

fn paths(bytes: &[u8]) -> Vec<String> {
    bytes.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into_owned()).collect()
}

/// Reads the index of the repository holding `root`; paths are relative to `root`.
pub fn staged_view(root: &Path) -> Result<StagedView, GitError> {
    let indexed = paths(&git(root, &["ls-files", "-z", "--cached"])?).into_iter().collect();
    let staged = paths(&git(
        root,
        &["diff", "--cached", "--name-only", "-z", "--relative", "--diff-filter=ACMR", "--no-renames"],
    )?);
    let unstaged = paths(&git(root, &["diff", "--name-only", "-z", "--relative", "--diff-filter=M"])?);
    let content = index_content(root, &unstaged)?;
    Ok(StagedView { indexed, staged, content })
}

/// The index content of `rels`, through one `git cat-file --batch`.
fn index_content(root: &Path, rels: &[String]) -> Result<BTreeMap<String, Vec<u8>>, GitError> {
    let mut out = BTreeMap::new();
    if rels.is_empty() {
        return Ok(out);
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| GitError(format!("cannot run git: {e}")))?;
    let mut stdin = child.stdin.take().ok_or_else(|| GitError("no stdin".to_owned()))?;
    // `:./path` names the index entry relative to the directory git runs in.
    let request = rels.iter().fold(String::new(), |mut acc, r| {
        acc.push_str(":./");
        acc.push_str(r);
        acc.push('\n');
        acc
    });
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().ok_or_else(|| GitError("no stdout".to_owned()))?);
    for rel in rels {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(|e| GitError(e.to_string()))?;
        // `<sha> blob <size>`, or `<name> missing`.
        let Some(size) = header.split_whitespace().nth(2).and_then(|s| s.parse::<usize>().ok()) else { continue };
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
