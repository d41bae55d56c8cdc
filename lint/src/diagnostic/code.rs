//! The one table of diagnostic codes.
//!
//! Every code corefence can emit is a variant of [`Code`]. The JSON and SARIF
//! renderers, `corefence explain` and the README's code table are all generated
//! from this table, so a code cannot exist without a default severity, a
//! summary and a long explanation (a test enforces that the explanation has an
//! example and a fix).

use std::fmt;
use std::str::FromStr;

use super::Severity;

macro_rules! codes {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $name:literal, $severity:ident, $summary:literal, $explanation:literal;
    )*) => {
        /// A stable diagnostic code such as `boundary/import`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name, e.g. `license/missing`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity a diagnostic with this code has unless configured otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line saying when the code fires.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// The long explanation printed by `corefence explain`: why it matters,
            /// an example and the fix.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => $explanation,)* }
            }
        }
    };
}

codes! {
    /// Code of one edition refers to an item of an edition it may not use.
    BoundaryImport = "boundary/import", Error,
        "code of an edition refers to an item of an edition it may not use",
"## What it does
Flags a path in code of edition A (a `use` tree, an expression, a type, a
pattern, a trait bound, an `impl Trait for`, an attribute, a derive, a macro
invocation or a path inside macro arguments) that resolves to an item of an
edition A may not use.

In each crate, the findings are the errors rustc reports compiling it in A's
build: where a trait in an item signature (a bound, `impl Trait for`, `dyn
Trait` in a parameter) is missing, rustc checks no types of that crate, so
missing methods, fields and variants there show once that is fixed, as they
would with cargo. Crates are judged as if the crates they depend on built
(`export --check` names the crates cargo could not check for that reason).

## Why is this bad?
The community edition must build and publish without enterprise code. A single
`use acme_ee::sso::login;` in a community crate makes the open-source build
depend on commercial code, or leaks the enterprise API under the open license.

## Example
```rust
// crates/core/src/auth.rs (community)
use acme_ee::sso::login; // error: community code imports enterprise item
```

## How to fix
Move the calling code into the enterprise edition, gate it behind the feature
the config maps to the enterprise edition (`#[cfg(feature = \"enterprise\")]`),
or define a community trait that the enterprise crate implements and inject it.";

    /// A `pub use` re-exports an item of a forbidden edition.
    BoundaryReexport = "boundary/reexport", Error,
        "a `pub use` re-exports an item of an edition the module may not use",
"## What it does
Flags a `pub use` in code of edition A that re-exports an item of an edition A
may not use.

## Why is this bad?
The re-export publishes the enterprise item under the community crate's name
and license: every user of the community crate reaches enterprise code through
it. Uses through the re-export are reported as imports too.

## Example
```rust
// crates/api/src/lib.rs (community)
pub use acme_ee::Token; // error: community code re-exports enterprise item
```

## How to fix
Remove the re-export from the community crate and re-export the item from an
enterprise crate instead, or gate the re-export behind the enterprise feature.";

    /// A module pulls in a file of a forbidden edition.
    BoundaryModule = "boundary/module", Error,
        "a module pulls in a file of an edition it may not use",
"## What it does
Flags `mod x;`, `#[path = \"..\"] mod x;`, `include!(\"..\")`,
`include_str!(\"..\")` and `include_bytes!(\"..\")` (also as `#[doc =
include_str!(..)]`) in a module of edition A, and a build script or Cargo
target path of a crate of edition A, when the file they pull in belongs to an
edition A may not use.

## Why is this bad?
The enterprise file is compiled as part of the community crate, or its
contents are embedded in it (`include_str!`, even in a test fixture): the
community build cannot be produced without the commercial source.

## Example
```rust
// crates/core/src/lib.rs (community)
mod sso; // error: crates/core/src/sso.rs is assigned to the enterprise edition
```

## How to fix
Gate the declaration behind the enterprise feature
(`#[cfg(feature = \"enterprise\")] mod sso;`) or move the module into an
enterprise crate.";

    /// A crate depends on a crate of a forbidden edition.
    BoundaryDependency = "boundary/dependency", Error,
        "a crate depends on a crate of an edition it may not use",
"## What it does
Flags a dependency in a crate's Cargo.toml (normal, build, target-specific and,
unless `[boundary] dev-dependencies = \"allow\"`, dev) on a crate of an edition
the depending crate may not use. Renamed dependencies (`package = \"..\"`) and
workspace-inherited ones are resolved.

## Why is this bad?
Cargo builds the enterprise crate whenever the community crate is built: the
community edition can no longer be published on its own.

## Example
```toml
# crates/core/Cargo.toml (community)
[dependencies]
acme-ee = { path = \"../../ee/acme-ee\" } # error
```

## How to fix
Make the dependency optional and enable it only from a feature the config maps
to the enterprise edition (`enterprise = [\"dep:acme-ee\"]`), or remove it.";

    /// The exported edition does not build.
    ExportBuild = "export/build", Error,
        "`export --check`: the exported edition's build fails here",
"## What it does
Reports each compiler error of `corefence export --check`: the edition's tree
is written out and built with `cargo check --workspace --all-targets
--offline` (or `--check-cmd`), and every error is mapped back to the original
file and line (lines of removed items and snippets are accounted for).

## Why is this bad?
The edition cannot be published: its build breaks. Each error is a place
where the edition's code still needs code it may not use. `corefence check`
reports the same places as boundary findings; when it did not, the message
says so, and that is a corefence bug worth reporting.

## Example
```rust
// src/free.rs (community), after `src/ee/` is removed from the export
pub fn open() { crate::ee::sso() } // error[E0433]: could not find `ee`
```

## How to fix
Fix the boundary finding at the same place: move the code into the
enterprise edition, or gate it behind the edition's feature.";

    /// A file has no SPDX header.
    LicenseMissing = "license/missing", Error,
        "a file that must carry an SPDX header has none",
"## What it does
Flags a file matched by `[headers] include` whose leading comments carry no
`SPDX-License-Identifier` tag.

## Why is this bad?
Without the tag nobody (and no tool) can tell which license a file is under
once it is copied out of the repository.

## Example
```rust
// src/lib.rs, first line
pub fn add(a: u32, b: u32) -> u32 { a + b } // error: no SPDX header
```

## How to fix
Add `// SPDX-License-Identifier: <the edition's license>` as the first comment
of the file, or run `corefence check --fix`.";

    /// A license expression does not parse or names an unknown license.
    LicenseInvalid = "license/invalid", Error,
        "an SPDX expression does not parse or names an unknown license",
"## What it does
Flags an `SPDX-License-Identifier` expression (in a header, a snippet or a
Cargo.toml `license`) that is not a valid SPDX expression, or names a license
id that is not on the SPDX list. The closest known id is suggested.

## Why is this bad?
An expression no tool can read is no license statement at all.

## Example
```rust
// SPDX-License-Identifier: Apache2.0   // error: unknown license id, did you mean `Apache-2.0`?
```

## How to fix
Write a valid expression (`Apache-2.0`), use a `LicenseRef-` id for a
commercial license, or run `corefence check --fix` when the repair is obvious.";

    /// A license expression differs from the one the file's edition expects.
    LicenseMismatch = "license/mismatch", Error,
        "a file's license differs from the license of its edition",
"## What it does
Compares the parsed `SPDX-License-Identifier` of a file with the license of the
file's edition. Expressions are compared as parsed expressions: `A OR B` equals
`B OR A`, ids compare case-insensitively, `-only` never equals `-or-later`.

## Why is this bad?
Enterprise code under an AGPL header is enterprise code given away; community
code under the commercial header cannot be published.

## Example
```rust
// ee/sso/src/lib.rs (enterprise)
// SPDX-License-Identifier: AGPL-3.0-only   // error: expected LicenseRef-Acme-Enterprise
```

## How to fix
Change the header to the edition's license (`corefence check --fix --relicense`
does it and lists every change), or move the file to the right edition.";

    /// A tagged item sits outside a snippet carrying its edition's license.
    LicenseSnippet = "license/snippet", Error,
        "a tagged item sits in a file of another edition without a snippet of its license",
"## What it does
Flags an item tagged `#[edition(X)]` in a file of another edition when no
enclosing `SPDX-SnippetBegin` ... `SPDX-SnippetEnd` block carries X's license.

## Why is this bad?
The file header says the whole file is under the file's license, so the
enterprise function inside a community file is published under the open
license.

## Example
```rust
// SPDX-License-Identifier: AGPL-3.0-only
#[edition(enterprise)] // error: enterprise item without an enterprise snippet
pub fn audit_log() {}
```

## How to fix
Wrap the item in a snippet (`corefence check --fix` adds it):
```rust
// SPDX-SnippetBegin
// SPDX-License-Identifier: LicenseRef-Acme-Enterprise
#[edition(enterprise)]
pub fn audit_log() {}
// SPDX-SnippetEnd
```";

    /// A file declares several different file-level identifiers.
    LicenseConflict = "license/conflict", Error,
        "a file declares several different file-level license identifiers",
"## What it does
Flags a file whose leading comments carry two or more different
`SPDX-License-Identifier` tags (snippet identifiers do not count).

## Why is this bad?
Two file-level tags say the file is under two licenses at once; readers and
tools pick one at random.

## Example
```rust
// SPDX-License-Identifier: AGPL-3.0-only
// SPDX-License-Identifier: MIT   // error: second, different identifier
```

## How to fix
Keep one identifier; if the file really is under both licenses write one
expression (`AGPL-3.0-only AND MIT`). `corefence check --fix --relicense`
gives every identifier the edition's license.";

    /// A crate's manifest license does not match its edition.
    LicenseManifest = "license/manifest", Error,
        "a crate's Cargo.toml license does not match its edition",
"## What it does
Compares the `license` (or `license-file`) of each crate's Cargo.toml,
following `license.workspace = true`, with the license of the crate's edition.
A missing `license` is reported only for crates that can be published.

## Why is this bad?
crates.io and every SBOM tool read the manifest: a commercial crate published
as AGPL, or a community crate without a license, is a legal problem.

## Example
```toml
# ee/acme-ee/Cargo.toml (enterprise)
[package]
license = \"AGPL-3.0-only\" # error: expected LicenseRef-Acme-Enterprise
```

## How to fix
Set `license` to the edition's license; `corefence check --fix` sets a missing
one.";

    /// A deprecated SPDX id is used.
    LicenseDeprecated = "license/deprecated", Warning,
        "an SPDX expression uses a deprecated license id",
"## What it does
Flags deprecated SPDX ids such as `AGPL-3.0` or `GPL-2.0+`.

## Why is this bad?
Deprecated ids are ambiguous: `GPL-2.0` does not say whether later versions
are allowed.

## Example
```rust
// SPDX-License-Identifier: AGPL-3.0   // warning: use AGPL-3.0-only or AGPL-3.0-or-later
```

## How to fix
Use the explicit id (`AGPL-3.0-only`); `corefence check --fix` rewrites the
ids whose meaning is clear.";

    /// A license text is missing from `LICENSES/`.
    LicenseText = "license/text", Warning,
        "a license used by an edition or a header has no text in LICENSES/",
"## What it does
When the repository keeps license texts in `LICENSES/` (the REUSE layout),
flags a license used by an edition or a header whose `LICENSES/<id>.txt` is
missing.

## Why is this bad?
Distributing code under a license without its text breaks most licenses'
terms and the REUSE specification.

## Example
`LICENSES/` holds `AGPL-3.0-only.txt` but not
`LicenseRef-Acme-Enterprise.txt`.

## How to fix
Add the text (`reuse download <id>` for SPDX licenses; write the commercial one
yourself).";

    /// An edition name that the configuration does not define.
    EditionUnknown = "edition/unknown", Error,
        "an attribute or configuration entry names an edition that does not exist",
"## What it does
Flags an `#[edition(x)]` attribute, a `[package.metadata.corefence] edition`
or a `corefence.toml` entry naming an edition that is not defined under
`[editions]`. The closest defined edition is suggested.

## Why is this bad?
A misspelt edition silently puts code in no edition at all, switching the
boundary check off for it.

## Example
```rust
#[edition(enterprize)] // error: unknown edition, did you mean `enterprise`?
pub fn audit_log() {}
```

## How to fix
Use one of the editions defined in `corefence.toml`, or define the edition.";

    /// An `#[edition(..)]` attribute with malformed arguments.
    EditionInvalid = "edition/invalid", Error,
        "an `#[edition(..)]` attribute has malformed arguments",
"## What it does
Flags an `#[edition(..)]` attribute (in any of its forms: plain, path,
renamed import, `cfg_attr`) whose arguments the macro would reject: no
edition, two editions, a string instead of a name, an unknown key, a feature
that is not a string. The message is the macro's own.

## Why is this bad?
The compiler rejects the attribute too, and until it is fixed corefence cannot
tell which edition the item belongs to.

## Example
```rust
#[edition(\"enterprise\")] // error: the edition name is an identifier, not a string
pub fn audit_log() {}
```

## How to fix
Write `#[edition(enterprise)]` or `#[edition(enterprise, feature = \"enterprise\")]`.";

    /// A configuration entry matches nothing.
    ConfigUnmatched = "config/unmatched", Warning,
        "a glob or crate name written in corefence.toml matches nothing",
"## What it does
Flags an `[[assign]]` crate name or path glob, a `[headers]` pattern or a
`[third-party]` path written in `corefence.toml` that matches nothing in the
workspace. The embedded defaults never warn.

## Why is this bad?
A typo in a glob silently switches a check off: `crates = [\"acme-e\"]` leaves
the real enterprise crate in the community edition.

## Example
```toml
[[assign]]
paths = [\"enterprize/**\"] # warning: matches no file
edition = \"enterprise\"
```

## How to fix
Correct the pattern, or delete the entry if the code it named is gone.";

    /// `corefence.toml` is invalid.
    ConfigInvalid = "config/invalid", Error,
        "corefence.toml is malformed: bad TOML, an unknown key, a wrong type, a bad glob or SPDX expression, a `uses` cycle",
"## What it does
Reports every problem of `corefence.toml` at once, each pointing at the
offending span: TOML syntax errors, unknown keys (with a suggestion), values of
the wrong type, invalid globs, invalid SPDX expressions and cycles in `uses`.
corefence exits with code 2 and checks nothing until the file is fixed.

## Why is this bad?
A half-understood configuration would check the wrong thing and look green.

## Example
```toml
[editions.enterprise]
licence = \"LicenseRef-Acme\" # error: unknown key `licence`, did you mean `license`?
```

## How to fix
Apply the suggestion; `corefence init` writes a commented, valid file.";

    /// A file could not be read or was skipped.
    FileUnreadable = "file/unreadable", Warning,
        "a file could not be read or cannot be checked (I/O error, not UTF-8, binary, too large)",
"## What it does
Reports a file corefence could not check: an I/O error while reading it, a
file that is not UTF-8 text, a binary file with a source extension, or a file
above the size limit. The rest of the scan goes on.

## Why is this bad?
An unchecked file may hide a missing header or a boundary crossing.

## Example
`src/legacy.rs` is Latin-1 encoded: corefence reports it and checks the other
files.

## How to fix
Convert the file to UTF-8, fix its permissions, remove the binary, or exclude
the path in `[headers] exclude` if it is not source code.";

    /// A suppression comment suppresses nothing.
    SuppressionUnused = "suppression/unused", Warning,
        "a `corefence: allow(..)` comment suppresses nothing, or lacks its reason",
"## What it does
Reports a `// corefence: allow(CODE) -- reason` comment (`#` in Cargo.toml)
that did not suppress any finding: the code it names no longer fires on that
line, the code is misspelt, or the comment has no `-- reason` (a suppression
without a reason is ignored).

## Why is this bad?
A stale suppression hides the next real finding on that line, and an
unexplained one cannot be reviewed. Suppressions should only shrink.

## Example
```rust
// corefence: allow(boundary/import) -- the SSO shim is being moved to ee/
use acme_core::auth::login; // warning: nothing to suppress here any more
```

## How to fix
Delete the comment when the finding is gone; otherwise put it on the line of
the finding (at its end) or on the line above, name the exact code, and give
the reason after `--`.";

    /// A Rust file does not parse.
    ParseSyntax = "parse/syntax", Warning,
        "a Rust file does not parse (or nests too deep to parse); it is checked token by token",
"## What it does
Reports a Rust file syn cannot parse, at the position of the error, and a file
whose code nests deeper than corefence parses (about 1,500 levels: generated
or hostile code; syn recurses once per level). Such a file is still checked:
its header as usual, and its `use` declarations, paths, `mod` declarations,
items, tags and cfg gates are read token by token, so a crossing in it is
still found, though less exactly than with a parse (a local variable can look
like an item). Only files corefence parses are reported: those of crates the
boundary analysis reads, and files with tags or suppressions. A file the
pre-filter proves cannot hold a finding is not parsed, nor is a function body
that names nothing a finding can hinge on (`--exhaustive` parses every Rust
file and every body). Files over 1 MiB are read token by token without a warning:
syn's syntax tree takes about 120 bytes of memory per byte of source.

## Why is this bad?
A file corefence cannot read may hide a boundary crossing.

## Example
```rust
fn broken( { }  // warning: expected one of `)` ...
```

## How to fix
Fix the syntax error (the compiler would reject the file too), or split the
deeply nested code.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown code name; carries the closest known code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown diagnostic code `{name}`{}", suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
pub struct UnknownCode {
    /// What was asked for.
    pub name: String,
    /// The closest known code, if any is close.
    pub suggestion: Option<&'static str>,
}

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(wanted)).ok_or_else(|| UnknownCode {
            name: wanted.to_owned(),
            suggestion: crate::suggest::closest(wanted, Code::ALL.iter().map(|c| c.as_str())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_unique_and_round_trips() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len(), "duplicate code name");
        for code in Code::ALL {
            assert_eq!(code.as_str().parse::<Code>(), Ok(*code));
        }
    }

    #[test]
    fn every_code_is_explained_with_an_example_and_a_fix() {
        for code in Code::ALL {
            let text = code.explanation();
            for section in ["## What it does", "## Why is this bad?", "## Example", "## How to fix"] {
                assert!(text.contains(section), "{code} lacks `{section}`");
            }
            assert!(!code.summary().is_empty(), "{code} lacks a summary");
        }
    }

    #[test]
    fn unknown_code_suggests_the_closest() {
        let err = "boundary/imports".parse::<Code>().unwrap_err();
        assert_eq!(err.suggestion, Some("boundary/import"));
        assert!("nothing-like-it".parse::<Code>().unwrap_err().suggestion.is_none());
    }

    #[test]
    fn design_table_defaults() {
        assert_eq!(Code::LicenseDeprecated.default_severity(), Severity::Warning);
        assert_eq!(Code::ParseSyntax.default_severity(), Severity::Warning);
        assert_eq!(Code::BoundaryImport.default_severity(), Severity::Error);
    }
}
