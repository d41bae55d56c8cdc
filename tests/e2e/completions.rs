//! `corefence completions SHELL`: each script loads in its shell and
//! completes subcommands, options and option values there.

use std::process::Command;

const COREFENCE: &str = env!("CARGO_BIN_EXE_corefence");

/// The script for `shell` (which must be installed), written to a file in
/// a fresh folder: the folder and the file.
fn script(shell: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    if !has_shell(shell) {
        crate::support::tool_missing(shell, &format!("apt-get install {shell}"));
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(COREFENCE).args(["completions", shell]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!out.stdout.is_empty());
    let path = dir.path().join(format!("corefence.{shell}"));
    std::fs::write(&path, out.stdout).unwrap();
    (dir, path)
}

/// Runs `program -c code` and returns what it printed, one entry per line.
fn shell_lines(program: &str, code: &str) -> Vec<String> {
    let out = Command::new(program).args(["-c", code]).output().unwrap();
    assert!(out.status.success(), "{program}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| l.split('\t').next().unwrap_or(l).to_owned()).collect()
}

fn has_shell(program: &str) -> bool {
    Command::new(program).args(["-c", "exit 0"]).output().is_ok_and(|o| o.status.success())
}

#[test]
fn bash_completes_subcommands_options_and_their_values() {
    let (_dir, script) = script("bash");
    // What bash does on TAB: the words so far, then the completion function.
    let complete = |line: &str| {
        let code = format!(
            "source '{}'; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; read -ra COMP_WORDS <<< \"$COMP_LINE\"; \
             [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             _corefence corefence \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        shell_lines("bash", &code)
    };
    assert!(complete("corefence ch").contains(&"check".to_owned()), "{:?}", complete("corefence ch"));
    assert!(complete("corefence ").contains(&"completions".to_owned()));
    assert_eq!(complete("corefence check --form"), ["--format"]);
    let formats = complete("corefence check --format ");
    for format in ["human", "json", "sarif"] {
        assert!(formats.contains(&format.to_owned()), "{formats:?}");
    }
}

#[test]
#[ignore = "needs fish"]
fn fish_completes_subcommands_options_and_their_values() {
    let (_dir, script) = script("fish");
    let complete = |line: &str| shell_lines("fish", &format!("source '{}'; complete -C '{line}'", script.display()));
    assert!(complete("corefence ch").contains(&"check".to_owned()), "{:?}", complete("corefence ch"));
    assert!(complete("corefence check --form").contains(&"--format".to_owned()));
    assert!(complete("corefence check --format ").contains(&"sarif".to_owned()));
}

#[test]
#[ignore = "needs zsh"]
fn zsh_loads_the_script_as_a_completion_function() {
    let (dir, script) = script("zsh");
    // compinit reads completion functions from fpath: a file `_corefence`.
    let functions = dir.path().join("functions");
    std::fs::create_dir(&functions).unwrap();
    std::fs::copy(&script, functions.join("_corefence")).unwrap();
    let code = format!(
        "fpath=('{}' $fpath); autoload -Uz compinit; compinit -u -d '{}/zcompdump'; \
         print -r -- ${{_comps[corefence]}}; autoload -Uz +X _corefence && print loaded",
        functions.display(),
        dir.path().display()
    );
    assert_eq!(shell_lines("zsh", &code), ["_corefence", "loaded"]);
}
