//! corefence on a real terminal: the binary runs on a pseudo-terminal, as a
//! developer runs it, so colour and the progress bar are on. Every run has a
//! deadline: a hang fails the test instead of the CI job.

use std::io::Read;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{git, write};
use portable_pty::{native_pty_system, CommandBuilder, PtySize};

const COREFENCE: &str = env!("CARGO_BIN_EXE_corefence");
const DEADLINE: Duration = Duration::from_mins(2);

/// What a program printed on the terminal, and how it exited.
struct Screen {
    code: u32,
    text: String,
}

/// Runs `program args` in `cwd` on a pseudo-terminal and waits for it, at
/// most [`DEADLINE`].
fn on_terminal(cwd: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Screen {
    on_terminal_of_width(cwd, program, args, env, 120)
}

/// [`on_terminal`] on a terminal `cols` columns wide.
fn on_terminal_of_width(cwd: &Path, program: &str, args: &[&str], env: &[(&str, &str)], cols: u16) -> Screen {
    let pair = native_pty_system()
        .openpty(PtySize { rows: 40, cols, pixel_width: 0, pixel_height: 0 })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(program);
    cmd.args(args);
    cmd.cwd(cwd);
    // A developer's terminal: not CI, colours allowed.
    cmd.env_remove("CI");
    cmd.env_remove("NO_COLOR");
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = pair.slave.spawn_command(cmd).expect("spawn on the terminal");
    // Only the child keeps the terminal's slave end open: its exit ends the output.
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("terminal reader");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        // Linux answers EIO once the last writer is gone: that is the end.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        let _ = tx.send(out);
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("`{program} {}` did not finish within {DEADLINE:?} on a terminal", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(pair.master);
    let out = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
    Screen { code: status.exit_code(), text: String::from_utf8_lossy(&out).into_owned() }
}

fn demo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo")
}

#[test]
fn check_on_a_terminal_finishes_with_coloured_findings() {
    for format in ["human", "short", "json"] {
        let screen = on_terminal(&demo(), COREFENCE, &["check", "--format", format], &[]);
        assert_eq!(screen.code, 1, "{format}:\n{}", screen.text);
        assert!(screen.text.contains("boundary/import"), "{format}:\n{}", screen.text);
    }
    let human = on_terminal(&demo(), COREFENCE, &["check"], &[]);
    // Colour is on for a terminal.
    assert!(human.text.contains("\u{1b}["), "{}", human.text);
    for args in [&["check", "-j", "1"][..], &["check", "--no-cache"]] {
        let screen = on_terminal(&demo(), COREFENCE, args, &[]);
        assert_eq!(screen.code, 1, "{args:?}:\n{}", screen.text);
    }
}

#[test]
fn colour_follows_no_color_clicolor_and_a_dumb_terminal() {
    for env in [&[("NO_COLOR", "1")][..], &[("CLICOLOR", "0")], &[("TERM", "dumb")]] {
        let screen = on_terminal(&demo(), COREFENCE, &["check"], env);
        assert_eq!(screen.code, 1, "{env:?}:\n{}", screen.text);
        assert!(screen.text.contains("boundary/import"), "{env:?}:\n{}", screen.text);
        assert!(!screen.text.contains("\u{1b}["), "{env:?} still colours:\n{}", screen.text);
    }
    // CLICOLOR_FORCE colours a pipe too.
    let piped = std::process::Command::new(COREFENCE)
        .arg("check")
        .current_dir(demo())
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("run corefence");
    let text = String::from_utf8_lossy(&piped.stdout).into_owned() + &String::from_utf8_lossy(&piped.stderr);
    assert!(text.contains("\u{1b}["), "no colour in a pipe with CLICOLOR_FORCE:\n{text}");
    // And without it, a pipe gets none.
    let plain =
        std::process::Command::new(COREFENCE).arg("check").current_dir(demo()).env_remove("CLICOLOR_FORCE").output();
    let plain = plain.expect("run corefence");
    let text = String::from_utf8_lossy(&plain.stdout).into_owned() + &String::from_utf8_lossy(&plain.stderr);
    assert!(!text.contains("\u{1b}["), "colour in a pipe:\n{text}");
}

#[test]
fn human_output_wraps_to_the_terminal_width() {
    // The demo's relicensing help is one sentence of about 150 characters.
    let sentence = "or assign the file to the edition whose license it carries";
    let flat = |s: &Screen| s.text.replace("\r\n", "\n");
    let wide = on_terminal_of_width(&demo(), COREFENCE, &["check", "--color", "never"], &[], 220);
    assert!(flat(&wide).contains(sentence), "not on one line at 220 columns:\n{}", wide.text);
    let narrow = on_terminal_of_width(&demo(), COREFENCE, &["check", "--color", "never"], &[], 60);
    assert!(!flat(&narrow).contains(sentence), "not wrapped at 60 columns:\n{}", narrow.text);
    let help = flat(&narrow).lines().filter(|l| l.contains("help:")).map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(help > 0 && help <= 60, "a help line of {help} columns on a 60-column terminal:\n{}", narrow.text);
}

#[test]
fn progress_bar_draws_and_clears_on_a_long_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("corefence.toml"), "default = \"c\"\n[editions.c]\nlicense = \"MIT\"\n").unwrap();
    std::fs::create_dir(root.join("src")).unwrap();
    for i in 0..1500 {
        std::fs::write(root.join(format!("src/f{i}.rs")), "// SPDX-License-Identifier: MIT\npub fn f() {}\n").unwrap();
    }
    std::fs::write(root.join("src/bad.rs"), "pub fn no_header() {}\n").unwrap();
    let screen = on_terminal(root, COREFENCE, &["check", "--no-cache"], &[]);
    assert_eq!(screen.code, 1, "{}", screen.text);
    assert!(screen.text.contains("files"), "no progress bar was drawn:\n{}", screen.text);
    // The bar's line is erased before the findings are printed.
    let findings = screen.text.find("license/missing").expect("the finding");
    let cleared = screen.text[..findings].rfind("\u{1b}[2K").expect("the bar is cleared");
    assert!(!screen.text[cleared..findings].contains("checking"), "{}", screen.text);
}

#[test]
fn commit_through_the_hook_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    assert!(git(repo, &["init", "-q", "-b", "main"]).status.success());
    let header = "// SPDX-License-Identifier: AGPL-3.0-only\n";
    crate::support::hook_workspace(repo, header);
    assert!(git(repo, &["add", "."]).status.success());
    assert!(git(repo, &["commit", "-q", "-m", "start"]).status.success());
    let install = on_terminal(repo, COREFENCE, &["install-hook"], &[]);
    assert_eq!(install.code, 0, "{}", install.text);

    let commit = |message: &str| {
        on_terminal(
            repo,
            "git",
            &["-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false"]
                .into_iter()
                .chain(["commit", "-q", "-m", message])
                .collect::<Vec<_>>(),
            &[],
        )
    };
    write(repo, "src/free.rs", format!("{header}pub fn open() {{ crate::ee::sso() }}\n"));
    assert!(git(repo, &["add", "src/free.rs"]).status.success());
    let blocked = commit("crossing");
    assert_ne!(blocked.code, 0, "the crossing was committed:\n{}", blocked.text);
    assert!(blocked.text.contains("boundary/import"), "{}", blocked.text);
    assert!(blocked.text.contains("src/free.rs"), "{}", blocked.text);

    write(repo, "src/free.rs", format!("{header}pub fn open() {{}}\npub fn more() {{}}\n"));
    assert!(git(repo, &["add", "src/free.rs"]).status.success());
    let clean = commit("clean");
    assert_eq!(clean.code, 0, "{}", clean.text);
    let log = git(repo, &["log", "--format=%s"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout), "clean\nstart\n");
}
