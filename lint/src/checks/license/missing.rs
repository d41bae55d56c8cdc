//! `license/missing`: a file that `[headers] include` covers carries no
//! `SPDX-License-Identifier` in its leading comments (nor in a REUSE sidecar
//! or `REUSE.toml` annotation), or lacks the copyright line the config requires.

use std::path::Path;

use crate::checks::FileContext;
use crate::config::Copyright;
use crate::diagnostic::{Code, Diagnostic};
use crate::license::{comment, fix};

/// Flags a missing identifier, and a missing copyright when required.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.header_required {
        return;
    }
    let at = ctx.at(ctx.scan.insert_at..ctx.scan.insert_at);
    if ctx.licenses.is_empty() && ctx.external.is_none() {
        let expected = ctx.expected_license();
        let mut d = Diagnostic::new(
            Code::LicenseMissing,
            at.clone(),
            format!("`{}` has no SPDX-License-Identifier header", ctx.source.path),
        )
        .with_label("expected a header here")
        .with_edition(ctx.edition_name())
        .with_help(format!(
            "add `// SPDX-License-Identifier: {expected}` (the {} edition's license; the file is {} by {}) as its first comment, or run `corefence check --fix`",
            ctx.edition_name(),
            ctx.edition_name(),
            ctx.reason
        ));
        // A tag after code (a header at line 300) is the usual cause: say why it does not count.
        if let Some(stray) = ctx.scan.stray_licenses.first() {
            d = d.with_secondary(ctx.at(stray.range.clone()), "this identifier comes after code and does not count");
        }
        if let Some(style) = comment::style_for_path(Path::new(&ctx.source.path)) {
            d = d.with_fix(fix::insert_header(ctx.source.text.as_bytes(), ctx.scan, style, expected));
        }
        out.push(d);
    }
    let has_copyright = !ctx.scan.copyrights.is_empty() || ctx.external.is_some();
    if ctx.config.headers.copyright == Copyright::Required && !has_copyright {
        out.push(
            Diagnostic::new(
                Code::LicenseMissing,
                at,
                format!("`{}` has no SPDX-FileCopyrightText line", ctx.source.path),
            )
            .with_label("expected a copyright line here")
            .with_edition(ctx.edition_name())
            .with_help(
                "add `// SPDX-FileCopyrightText: <year> <holder>` to the header ([headers] copyright = \"required\")",
            ),
        );
    }
}
