//! Baselines for adopting corefence on an existing codebase: `check
//! --write-baseline FILE` records today's findings by fingerprint (stable when
//! lines move), and `check --baseline FILE` reports only the others. Entries
//! that no longer match are stale: they are listed, and the next
//! `--write-baseline` drops them, so a baseline can only shrink.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

/// The file's format version.
const VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// The recorded findings.
    pub findings: Vec<BaselineEntry>,
}

/// One recorded finding; everything but the fingerprint is for readers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BaselineEntry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Its code.
    pub code: String,
    /// Its file.
    pub path: String,
    /// Its message when recorded.
    pub message: String,
}

impl Baseline {
    /// Records findings.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let findings = diagnostics
            .iter()
            .map(|d| BaselineEntry {
                fingerprint: d.fingerprint.clone(),
                code: d.code.as_str().to_owned(),
                path: d.location.path().to_owned(),
                message: d.message.clone(),
            })
            .collect();
        Baseline { version: VERSION, findings }
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let baseline: Baseline =
            serde_json::from_str(&text).map_err(|e| format!("{} is not a corefence baseline: {e}", path.display()))?;
        if baseline.version != VERSION {
            return Err(format!("{} has baseline version {}, expected {VERSION}", path.display(), baseline.version));
        }
        Ok(baseline)
    }

    /// Writes the file, pretty-printed so that reviews show what changed.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Removes the recorded findings from `diagnostics` and returns the
    /// entries that matched nothing.
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>) -> Vec<BaselineEntry> {
        let recorded: BTreeSet<&str> = self.findings.iter().map(|e| e.fingerprint.as_str()).collect();
        let current: BTreeSet<String> = diagnostics.iter().map(|d| d.fingerprint.clone()).collect();
        diagnostics.retain(|d| !recorded.contains(d.fingerprint.as_str()));
        self.findings.iter().filter(|e| !current.contains(&e.fingerprint)).cloned().collect()
    }
}
