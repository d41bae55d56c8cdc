//! Comment syntaxes and how a file's name selects one.

use std::path::Path;

/// The comment syntax of a file, which decides how a header is written and
/// which text counts as a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommentStyle {
    /// Rust: `//` and nesting `/* */`, plus the Rust-only rules (shebang vs
    /// `#![` inner attribute, cargo-script frontmatter, raw strings,
    /// lifetimes).
    Rust,
    /// C family: `//` and non-nesting `/* */` (C, C++, Go, Java, JavaScript,
    /// TypeScript, C#, …).
    CFamily,
    /// Like [`CommentStyle::CFamily`] but `/* */` nests (Swift, Kotlin,
    /// Scala, Dart).
    CFamilyNested,
    /// `/* */` only (CSS).
    Css,
    /// `#` line comments (shell, Python, TOML, YAML, Ruby, Perl, Make, …).
    Hash,
    /// `;` or `#` line comments at the start of a line (INI).
    Ini,
    /// `--` line comments (SQL, Lua, Haskell).
    DoubleDash,
    /// `<!-- -->` (HTML, XML, Markdown, SVG, Vue).
    Html,
}

impl CommentStyle {
    /// Every style, for tests and fuzzing that must cover them all.
    pub const ALL: [CommentStyle; 8] = [
        CommentStyle::Rust,
        CommentStyle::CFamily,
        CommentStyle::CFamilyNested,
        CommentStyle::Css,
        CommentStyle::Hash,
        CommentStyle::Ini,
        CommentStyle::DoubleDash,
        CommentStyle::Html,
    ];

    /// Markers that start a comment running to the end of the line.
    #[must_use]
    pub fn line_markers(self) -> &'static [&'static str] {
        match self {
            CommentStyle::Rust | CommentStyle::CFamily | CommentStyle::CFamilyNested => &["//"],
            CommentStyle::Hash => &["#"],
            CommentStyle::Ini => &[";", "#"],
            CommentStyle::DoubleDash => &["--"],
            CommentStyle::Css | CommentStyle::Html => &[],
        }
    }

    /// Opening and closing markers of block comments.
    #[must_use]
    pub fn block_markers(self) -> Option<(&'static str, &'static str)> {
        match self {
            CommentStyle::Rust | CommentStyle::CFamily | CommentStyle::CFamilyNested | CommentStyle::Css => {
                Some(("/*", "*/"))
            }
            CommentStyle::Html => Some(("<!--", "-->")),
            CommentStyle::Hash | CommentStyle::Ini | CommentStyle::DoubleDash => None,
        }
    }

    /// Whether block comments nest, so that `/* /* */ */` is one comment.
    #[must_use]
    pub fn nested_blocks(self) -> bool {
        matches!(self, CommentStyle::Rust | CommentStyle::CFamilyNested)
    }

    /// Whether a `#!` first line is an interpreter line that must stay first.
    /// Markup, stylesheets and INI files have no interpreter line.
    #[must_use]
    pub fn allows_shebang(self) -> bool {
        !matches!(self, CommentStyle::Css | CommentStyle::Html | CommentStyle::Ini)
    }

    /// One comment line holding `content`, without a line ending.
    #[must_use]
    pub fn render_line(self, content: &str) -> String {
        match self {
            CommentStyle::Rust | CommentStyle::CFamily | CommentStyle::CFamilyNested => {
                format!("// {content}")
            }
            CommentStyle::Css => format!("/* {content} */"),
            CommentStyle::Hash => format!("# {content}"),
            CommentStyle::Ini => format!("; {content}"),
            CommentStyle::DoubleDash => format!("-- {content}"),
            CommentStyle::Html => format!("<!-- {content} -->"),
        }
    }

    /// The header line declaring `expression`, without a line ending.
    #[must_use]
    pub fn header_line(self, expression: &str) -> String {
        self.render_line(&format!("SPDX-License-Identifier: {expression}"))
    }

    /// Whether `line` starts with a comment marker of this style.
    #[must_use]
    pub fn starts_comment(self, line: &str) -> bool {
        let trimmed = line.trim_start();
        self.line_markers().iter().any(|m| trimmed.starts_with(m))
            || self.block_markers().is_some_and(|(open, _)| trimmed.starts_with(open))
    }
}

/// The comment style for a file, chosen by its name and extension, or
/// `None` when the format cannot carry a comment (JSON, images, archives,
/// plain text) or is not known.
#[must_use]
pub fn style_for_path(path: &Path) -> Option<CommentStyle> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();

    match lower.as_str() {
        "dockerfile" | "containerfile" | "makefile" | "gnumakefile" | "cmakelists.txt" | "gemfile" | "rakefile"
        | "justfile" | "pipfile" | "procfile" | "vagrantfile" | "brewfile" | "build" | "workspace" | "codeowners"
        | ".gitattributes" | ".gitmodules" | ".editorconfig" | ".env" | ".envrc" | ".mailmap" | ".bashrc"
        | ".bash_profile" | ".profile" | ".zshrc" | ".zprofile" | ".npmrc" | ".yarnrc" | ".clang-format"
        | ".clang-tidy" | ".flake8" | ".pylintrc" => return Some(CommentStyle::Hash),
        _ => {}
    }
    // Ignore files (`.gitignore`, `.dockerignore`, …) and `.env.*` variants
    // share `#` comments. Other dotfiles are not guessed: `.babelrc` or
    // `.prettierrc` are JSON, where a comment would break the file.
    if lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.starts_with(".env.")
        || (lower.starts_with('.') && lower.ends_with("ignore"))
    {
        return Some(CommentStyle::Hash);
    }

    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "rs" => CommentStyle::Rust,
        "c" | "h" | "cc" | "cpp" | "cxx" | "c++" | "hh" | "hpp" | "hxx" | "h++" | "ino" | "mm" | "js" | "mjs"
        | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" | "go" | "java" | "cs" | "groovy" | "gradle" | "proto"
        | "scss" | "less" | "zig" | "v" | "sv" | "glsl" | "hlsl" | "wgsl" | "jsonc" | "json5" | "sol" => {
            CommentStyle::CFamily
        }
        "swift" | "kt" | "kts" | "scala" | "sc" | "dart" => CommentStyle::CFamilyNested,
        "css" => CommentStyle::Css,
        "sh" | "bash" | "zsh" | "fish" | "ksh" | "py" | "pyi" | "pyw" | "toml" | "yaml" | "yml" | "rb" | "rake"
        | "gemspec" | "pl" | "pm" | "t" | "nix" | "cfg" | "conf" | "r" | "mk" | "make" | "cmake" | "dockerfile"
        | "containerfile" | "ps1" | "psm1" | "tf" | "tfvars" | "hcl" | "bzl" | "bazel" | "star" | "awk" | "sed"
        | "tcl" | "jl" | "ex" | "exs" | "nim" | "cr" | "coffee" | "properties" | "gitignore" | "dockerignore"
        | "env" | "service" | "desktop" | "just" => CommentStyle::Hash,
        "ini" => CommentStyle::Ini,
        "sql" | "lua" | "hs" | "elm" | "adb" | "ads" | "vhd" | "vhdl" => CommentStyle::DoubleDash,
        "html" | "htm" | "xhtml" | "md" | "markdown" | "xml" | "svg" | "vue" | "xsd" | "xsl" | "xslt" | "rss"
        | "atom" | "plist" | "csproj" | "fsproj" | "vcxproj" | "props" | "targets" | "xaml" | "wsdl" | "svelte"
        | "hbs" | "handlebars" => CommentStyle::Html,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(p: &str) -> Option<CommentStyle> {
        style_for_path(Path::new(p))
    }

    #[test]
    fn styles_by_extension() {
        assert_eq!(style("src/lib.rs"), Some(CommentStyle::Rust));
        for p in ["a.c", "a.h", "a.cpp", "a.js", "a.ts", "a.jsx", "a.tsx", "a.go", "a.java"] {
            assert_eq!(style(p), Some(CommentStyle::CFamily), "{p}");
        }
        for p in ["a.kt", "a.swift", "a.scala"] {
            assert_eq!(style(p), Some(CommentStyle::CFamilyNested), "{p}");
        }
        assert_eq!(style("site/a.css"), Some(CommentStyle::Css));
        for p in ["a.sh", "a.bash", "a.py", "Cargo.toml", "a.yaml", "a.yml", "a.rb", "a.pl", "a.nix", "a.cfg"] {
            assert_eq!(style(p), Some(CommentStyle::Hash), "{p}");
        }
        assert_eq!(style("setup.ini"), Some(CommentStyle::Ini));
        for p in ["a.sql", "a.lua", "a.hs"] {
            assert_eq!(style(p), Some(CommentStyle::DoubleDash), "{p}");
        }
        for p in ["a.html", "a.htm", "README.md", "a.xml", "a.svg", "App.vue"] {
            assert_eq!(style(p), Some(CommentStyle::Html), "{p}");
        }
    }

    #[test]
    fn styles_by_file_name() {
        assert_eq!(style("Dockerfile"), Some(CommentStyle::Hash));
        assert_eq!(style("docker/Dockerfile.release"), Some(CommentStyle::Hash));
        assert_eq!(style("Makefile"), Some(CommentStyle::Hash));
        assert_eq!(style(".gitignore"), Some(CommentStyle::Hash));
        assert_eq!(style("sub/.envrc"), Some(CommentStyle::Hash));
        assert_eq!(style(".env.local"), Some(CommentStyle::Hash));
        assert_eq!(style("web/.prettierignore"), Some(CommentStyle::Hash));
        assert_eq!(style("CMakeLists.txt"), Some(CommentStyle::Hash));
    }

    #[test]
    fn formats_without_comments() {
        for p in ["package.json", "logo.png", "LICENSE", "notes.txt", "a.tar.gz", "Cargo.lock", ""] {
            assert_eq!(style(p), None, "{p}");
        }
    }

    #[test]
    fn header_lines() {
        let x = "AGPL-3.0-only";
        assert_eq!(CommentStyle::Rust.header_line(x), "// SPDX-License-Identifier: AGPL-3.0-only");
        assert_eq!(CommentStyle::Hash.header_line(x), "# SPDX-License-Identifier: AGPL-3.0-only");
        assert_eq!(CommentStyle::Css.header_line(x), "/* SPDX-License-Identifier: AGPL-3.0-only */");
        assert_eq!(CommentStyle::Html.header_line(x), "<!-- SPDX-License-Identifier: AGPL-3.0-only -->");
        assert_eq!(CommentStyle::DoubleDash.header_line(x), "-- SPDX-License-Identifier: AGPL-3.0-only");
        assert_eq!(CommentStyle::Ini.header_line(x), "; SPDX-License-Identifier: AGPL-3.0-only");
    }

    #[test]
    fn rendered_lines_are_recognised() {
        for style in CommentStyle::ALL {
            let line = style.render_line("SPDX-License-Identifier: MIT");
            let scan = crate::license::header::scan(line.as_bytes(), style);
            assert_eq!(scan.licenses.first().map(|t| t.text.as_str()), Some("MIT"), "{style:?}");
            assert!(style.starts_comment(&line));
        }
    }

    #[test]
    fn comment_lines() {
        assert!(CommentStyle::Rust.starts_comment("  //! doc"));
        assert!(CommentStyle::Rust.starts_comment("/* a */"));
        assert!(!CommentStyle::Rust.starts_comment("let x = 1; // c"));
        assert!(!CommentStyle::Css.starts_comment("// not css"));
        assert!(CommentStyle::Ini.starts_comment("; note") && CommentStyle::Ini.starts_comment("# note"));
        assert!(CommentStyle::Html.starts_comment("<!-- x -->"));
        assert!(!CommentStyle::Hash.starts_comment("x = 1 # c"));
    }
}
