//! `corefence lsp` as an editor drives it: a scripted client speaking the
//! Language Server Protocol to the real binary over its stdin and stdout.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

use crate::support::copy_fixture;

/// Longer than any check of the demo takes, short enough that a server
/// that stops answering fails the test instead of hanging it.
const PATIENCE: Duration = Duration::from_mins(1);

/// A client: the server's process, its stdin, and the messages it sends.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_corefence"))
            .args(["lsp", "--jobs", "1"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Client { child, stdin, messages, next_id: 1 }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: &Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its result, keeping what came before it.
    fn request(&mut self, method: &str, params: &Value, seen: &mut Vec<Value>) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive(&format!("the answer to {method}"));
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method} failed: {message}");
                return message["result"].clone();
            }
            seen.push(message);
        }
    }

    fn receive(&self, what: &str) -> Value {
        self.messages.recv_timeout(PATIENCE).unwrap_or_else(|_| panic!("no message from the server: waited for {what}"))
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&self, uri: &str) -> Value {
        loop {
            let message = self.receive(&format!("diagnostics for {uri}"));
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri {
                return message["params"].clone();
            }
        }
    }
}

/// One message: `Content-Length` header, blank line, JSON body.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    let text = path.to_str().unwrap().replace('\\', "/");
    if text.starts_with('/') {
        format!("file://{text}")
    } else {
        format!("file:///{text}")
    }
}

fn codes(published: &Value) -> Vec<String> {
    let mut codes: Vec<String> =
        published["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect();
    codes.sort();
    codes
}

/// Applies a code action's edits (positions in UTF-16 units, here ASCII).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let (line, character) = (
            usize::try_from(p["line"].as_u64().unwrap()).unwrap(),
            usize::try_from(p["character"].as_u64().unwrap()).unwrap(),
        );
        text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + character
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap()))
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

#[test]
fn an_editor_sees_findings_as_it_types_fixes_them_and_hovers_the_enterprise_item() {
    let (_dir, demo) = copy_fixture("demo");
    let auth = demo.join("crates/acme-core/src/auth.rs");
    let on_disk = std::fs::read(&auth).unwrap();
    let text = String::from_utf8(on_disk.clone()).unwrap();
    let auth_uri = uri(&auth);
    let mut client = Client::start();
    let mut seen = Vec::new();

    let init = client.request(
        "initialize",
        &json!({ "processId": null, "rootUri": uri(&demo), "capabilities": {} }),
        &mut seen,
    );
    let capabilities = &init["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16", "{init}");
    assert_eq!(capabilities["hoverProvider"], true, "{init}");
    assert_eq!(capabilities["textDocumentSync"]["change"], 1, "full text on change: {init}");
    assert_eq!(init["serverInfo"]["name"], "corefence");
    client.notify("initialized", &json!({}));

    // Opening the file: its findings, as `check` reports them.
    client.notify(
        "textDocument/didOpen",
        &json!({ "textDocument": { "uri": auth_uri, "languageId": "rust", "version": 1, "text": text } }),
    );
    let published = client.diagnostics(&auth_uri);
    assert_eq!(published["version"], 1);
    assert_eq!(codes(&published), ["boundary/import", "license/missing"], "{published}");
    let import = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "boundary/import").unwrap();
    assert_eq!(import["range"]["start"], json!({ "line": 2, "character": 4 }), "{import}");
    assert_eq!(import["severity"], 1);
    assert_eq!(import["source"], "corefence");
    let related = &import["relatedInformation"][0];
    assert!(related["location"]["uri"].as_str().unwrap().ends_with("ee/acme-ee/src/sso.rs"), "{import}");
    assert!(related["message"].as_str().unwrap().contains("enterprise"), "{import}");

    // The hover on the enterprise path: where it is defined, and why it is enterprise.
    let hover = client.request(
        "textDocument/hover",
        &json!({ "textDocument": { "uri": auth_uri }, "position": { "line": 2, "character": 16 } }),
        &mut seen,
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("`acme_ee::sso::login`"), "{shown}");
    assert!(shown.contains("ee/acme-ee/src/sso.rs:"), "{shown}");
    assert!(shown.contains("pub fn login"), "the definition's line: {shown}");
    assert!(shown.contains("path assignment"), "why it is enterprise: {shown}");
    let nothing = client.request(
        "textDocument/hover",
        &json!({ "textDocument": { "uri": auth_uri }, "position": { "line": 6, "character": 1 } }),
        &mut seen,
    );
    assert_eq!(nothing, Value::Null, "no hover away from a finding");

    // The missing header's quick fix, applied in the buffer (not saved):
    // the finding goes, the crossing stays, and the file on disk is as it was.
    let actions = client.request(
        "textDocument/codeAction",
        &json!({
            "textDocument": { "uri": auth_uri },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
            "context": { "diagnostics": [] },
        }),
        &mut seen,
    );
    let quickfix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("no quick fix at the header: {actions}"));
    assert_eq!(quickfix["title"], "Insert `SPDX-License-Identifier: AGPL-3.0-only` (license/missing)");
    let edits = quickfix["edit"]["changes"][&auth_uri].as_array().unwrap();
    let fixed = apply(&text, edits);
    assert!(fixed.starts_with("// SPDX-License-Identifier: AGPL-3.0-only\n"), "{fixed}");
    assert!(actions.as_array().unwrap().iter().any(|a| a["kind"] == "source.fixAll.corefence"), "{actions}");
    client.notify(
        "textDocument/didChange",
        &json!({ "textDocument": { "uri": auth_uri, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    let published = client.diagnostics(&auth_uri);
    assert_eq!(published["version"], 2);
    assert_eq!(codes(&published), ["boundary/import"], "{published}");

    // Typing fast: each keystroke a change; one check after the pause, of the last.
    let without_use = fixed.replace("use acme_ee::sso::login;\n", "");
    let keystrokes = ["// use acme_ee::sso::login;", "// use acme_ee::sso::log", "// use acme_ee"];
    for (version, line) in (3..).zip(keystrokes) {
        let typed = fixed.replace("use acme_ee::sso::login;", line);
        client.notify(
            "textDocument/didChange",
            &json!({ "textDocument": { "uri": auth_uri, "version": version }, "contentChanges": [{ "text": typed }] }),
        );
    }
    client.notify(
        "textDocument/didChange",
        &json!({ "textDocument": { "uri": auth_uri, "version": 6 }, "contentChanges": [{ "text": without_use }] }),
    );
    let published = client.diagnostics(&auth_uri);
    assert_eq!(published["version"], 6, "the last version is checked: {published}");
    assert_eq!(codes(&published), Vec::<String>::new(), "{published}");

    client.notify("textDocument/didClose", &json!({ "textDocument": { "uri": auth_uri } }));
    let published = client.diagnostics(&auth_uri);
    assert_eq!(published["diagnostics"], json!([]), "closing clears its findings");

    assert_eq!(client.request("shutdown", &Value::Null, &mut seen), Value::Null);
    client.notify("exit", &Value::Null);
    let status = wait(&mut client.child);
    assert!(status.success(), "{status}");
    assert_eq!(std::fs::read(&auth).unwrap(), on_disk, "the server never writes the user's file");
}

#[test]
fn a_broken_configuration_is_shown_in_the_configuration_file() {
    let (_dir, demo) = copy_fixture("demo");
    let config = demo.join("corefence.toml");
    let broken = format!("{}\n[headers\n", std::fs::read_to_string(&config).unwrap());
    let config_uri = uri(&config);
    let mut client = Client::start();
    let mut seen = Vec::new();
    client.request(
        "initialize",
        &json!({ "processId": null, "capabilities": { "general": { "positionEncodings": ["utf-8", "utf-16"] } } }),
        &mut seen,
    );
    client.notify("initialized", &json!({}));
    client.notify(
        "textDocument/didOpen",
        &json!({ "textDocument": { "uri": config_uri, "languageId": "toml", "version": 7, "text": broken } }),
    );
    let published = client.diagnostics(&config_uri);
    assert_eq!(published["version"], 7);
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty(), "{published}");
    let line = broken.lines().count() - 1;
    assert!(
        diagnostics.iter().any(|d| d["range"]["start"]["line"] == line),
        "points at the broken line {line}: {published}"
    );
    // Saved broken and closed, with a Rust file open: a message says where to look.
    std::fs::write(&config, &broken).unwrap();
    client.notify("textDocument/didClose", &json!({ "textDocument": { "uri": config_uri } }));
    client.diagnostics(&config_uri);
    let auth = demo.join("crates/acme-core/src/auth.rs");
    let text = std::fs::read_to_string(&auth).unwrap();
    client.notify(
        "textDocument/didOpen",
        &json!({ "textDocument": { "uri": uri(&auth), "languageId": "rust", "version": 1, "text": text } }),
    );
    let message = loop {
        let message = client.receive("a message about the configuration");
        if message["method"] == "window/showMessage" {
            break message;
        }
    };
    assert_eq!(message["params"]["type"], 1, "an error: {message}");
    assert!(message["params"]["message"].as_str().unwrap().contains("corefence.toml has 1 error"), "{message}");
    assert_eq!(client.request("shutdown", &Value::Null, &mut seen), Value::Null);
    client.notify("exit", &Value::Null);
    assert!(wait(&mut client.child).success());
}

#[test]
fn a_workspace_without_a_configuration_is_left_alone() {
    let (_dir, demo) = copy_fixture("demo");
    std::fs::remove_file(demo.join("corefence.toml")).unwrap();
    // Still a git repository's Cargo workspace, just not one that asked for corefence.
    crate::support::git(&demo, &["init", "-q"]);
    let auth = demo.join("crates/acme-core/src/auth.rs");
    let mut client = Client::start();
    let mut seen = Vec::new();
    client.request("initialize", &json!({ "processId": null, "capabilities": {} }), &mut seen);
    client.notify("initialized", &json!({}));
    let text = std::fs::read_to_string(&auth).unwrap();
    client.notify(
        "textDocument/didOpen",
        &json!({ "textDocument": { "uri": uri(&auth), "languageId": "rust", "version": 1, "text": text } }),
    );
    // A check runs once no message waits; the hover waits for it, and
    // shutdown's answer comes after everything it published.
    std::thread::sleep(std::time::Duration::from_millis(500));
    client.request(
        "textDocument/hover",
        &json!({ "textDocument": { "uri": uri(&auth) }, "position": { "line": 2, "character": 16 } }),
        &mut seen,
    );
    assert_eq!(client.request("shutdown", &Value::Null, &mut seen), Value::Null);
    let published: Vec<&Value> = seen.iter().filter(|m| m["method"] == "textDocument/publishDiagnostics").collect();
    assert!(published.is_empty(), "{published:?}");
    client.notify("exit", &Value::Null);
    assert!(wait(&mut client.child).success());
}

/// The server's exit, within [`PATIENCE`].
fn wait(child: &mut Child) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(std::time::Instant::now() < deadline, "the server did not exit after `exit`");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_tagged_item_is_wrapped_in_its_snippet_by_a_quick_fix() {
    let (_dir, demo) = copy_fixture("demo");
    let file = demo.join("crates/acme-core/src/seats.rs");
    let text = "// SPDX-License-Identifier: AGPL-3.0-only\n\n/// Seats.\npub fn seats() -> u32 {\n    5\n}\n\n#[edition(enterprise)]\npub fn more_seats() -> u32 {\n    500\n}\n";
    std::fs::write(&file, text).unwrap();
    let file_uri = uri(&file);
    let mut client = Client::start();
    let mut seen = Vec::new();
    client.request("initialize", &json!({ "processId": null, "capabilities": {} }), &mut seen);
    client.notify("initialized", &json!({}));
    client.notify(
        "textDocument/didOpen",
        &json!({ "textDocument": { "uri": file_uri, "languageId": "rust", "version": 1, "text": text } }),
    );
    assert_eq!(codes(&client.diagnostics(&file_uri)), ["license/snippet"]);
    // The tag names an edition but reaches nothing: no hover.
    let hover = client.request(
        "textDocument/hover",
        &json!({ "textDocument": { "uri": file_uri }, "position": { "line": 7, "character": 4 } }),
        &mut seen,
    );
    assert_eq!(hover, Value::Null);
    let actions = client.request(
        "textDocument/codeAction",
        &json!({
            "textDocument": { "uri": file_uri },
            "range": { "start": { "line": 7, "character": 2 }, "end": { "line": 7, "character": 2 } },
            "context": { "diagnostics": [], "only": ["quickfix"] },
        }),
        &mut seen,
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "only the quick fix was asked for: {actions:?}");
    assert_eq!(actions[0]["title"], "Wrap `more_seats` in a `LicenseRef-Acme-Enterprise` snippet (license/snippet)");
    let wrapped = apply(text, actions[0]["edit"]["changes"][&file_uri].as_array().unwrap());
    assert!(
        wrapped.contains(
            "// SPDX-SnippetBegin\n// SPDX-License-Identifier: LicenseRef-Acme-Enterprise\n#[edition(enterprise)]"
        ),
        "{wrapped}"
    );
    client.notify(
        "textDocument/didChange",
        &json!({ "textDocument": { "uri": file_uri, "version": 2 }, "contentChanges": [{ "text": wrapped }] }),
    );
    assert_eq!(codes(&client.diagnostics(&file_uri)), Vec::<String>::new());
    assert_eq!(client.request("shutdown", &Value::Null, &mut seen), Value::Null);
    client.notify("exit", &Value::Null);
    assert!(wait(&mut client.child).success());
}
