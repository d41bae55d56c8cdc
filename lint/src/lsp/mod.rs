//! `corefence lsp`: a language server over stdio.
//!
//! It checks the files of workspaces with a `corefence.toml` (found as
//! `check` finds it) and stays quiet elsewhere.
//!
//! It publishes corefence's findings for the files open in the editor: on
//! open and save at once, on change from the unsaved buffer after a short
//! pause in typing. Each check is a run on the open files of one workspace,
//! their buffers read instead of the disk, with the index cache (about a
//! one-file run). Safe fixes are code actions; a boundary finding has a
//! hover saying where the item it reaches is defined and why that is
//! another edition's code.

mod convert;
mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionProviderCapability, HoverProviderCapability,
    InitializeParams, MessageType, PositionEncodingKind, PublishDiagnosticsParams, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
};

use crate::diagnostic::Diagnostic;
use crate::engine::{self, Fatal, Options};
use text::Encoding;

/// How long typing must pause before an edited buffer is checked.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// An open file.
struct Document {
    uri: Uri,
    text: String,
    version: i32,
    /// The findings of the last check, and the version they are for.
    findings: Vec<Diagnostic>,
    checked: Option<i32>,
    /// The workspace root the findings' paths are relative to.
    root: PathBuf,
}

/// The server's state between messages.
struct Server {
    connection: Connection,
    encoding: Encoding,
    jobs: usize,
    /// Open files by path.
    documents: BTreeMap<PathBuf, Document>,
    /// When the open files must be checked again (after an edit, a pause).
    due: Option<Instant>,
    /// Broken configuration files the user was told about (once until fixed).
    told: std::collections::BTreeSet<PathBuf>,
}

/// Serves the protocol on stdin and stdout until the client says `exit`.
pub fn serve(jobs: usize) -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    run(connection, jobs)?;
    // After `exit` the reader has stopped and the writer has written all.
    io_threads.join().map_err(|e| e.to_string())
}

fn run(connection: Connection, jobs: usize) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
    let encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
    let capabilities = ServerCapabilities {
        position_encoding: Some(if utf8 { PositionEncodingKind::UTF8 } else { PositionEncodingKind::UTF16 }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(SaveOptions { include_text: Some(false) }.into()),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(convert::FIX_ALL)]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "corefence".to_owned(), version: Some(env!("CARGO_PKG_VERSION").to_owned()) },
    });
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    let told = std::collections::BTreeSet::new();
    Server { connection, encoding, jobs, documents: BTreeMap::new(), due: None, told }.main_loop()
}

/// A notification's parameters; `None` when they are not its shape (a
/// client's mistake, ignored as servers do).
fn params<N: lsp_types::notification::Notification>(notification: Notification) -> Option<N::Params> {
    serde_json::from_value(notification.params).ok()
}

impl Server {
    fn main_loop(mut self) -> Result<(), String> {
        loop {
            let wait = self.due.map_or(Duration::from_hours(1), |due| due.saturating_duration_since(Instant::now()));
            match self.connection.receiver.recv_timeout(wait) {
                Ok(Message::Request(request)) => {
                    if self.connection.handle_shutdown(&request).map_err(|e| e.to_string())? {
                        return Ok(());
                    }
                    let response = self.answer(request);
                    self.send(Message::Response(response));
                }
                Ok(Message::Notification(notification)) => {
                    if notification.method == note::Exit::METHOD {
                        return Ok(());
                    }
                    self.take(notification);
                }
                Ok(Message::Response(_)) => {}
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                    self.due = None;
                    self.check();
                }
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }

    fn send(&self, message: Message) {
        // The client is gone when this fails; the loop ends on the next receive.
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(N::METHOD.to_owned(), params)));
    }

    fn log(&self, typ: MessageType, message: String) {
        self.notify::<note::LogMessage>(lsp_types::LogMessageParams { typ, message });
    }

    /// A change to the open files: a check now (open, save) or after a pause (edit).
    fn take(&mut self, notification: Notification) {
        match notification.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let Some(p) = params::<note::DidOpenTextDocument>(notification) else { return };
                let Some(path) = text::path(&p.text_document.uri) else { return };
                let doc = p.text_document;
                let document = Document {
                    uri: doc.uri,
                    text: doc.text,
                    version: doc.version,
                    findings: Vec::new(),
                    checked: None,
                    root: PathBuf::new(),
                };
                self.documents.insert(path, document);
                self.due = Some(Instant::now());
            }
            note::DidChangeTextDocument::METHOD => {
                let Some(p) = params::<note::DidChangeTextDocument>(notification) else { return };
                let Some(doc) = text::path(&p.text_document.uri).and_then(|path| self.documents.get_mut(&path)) else {
                    return;
                };
                for change in p.content_changes {
                    text::apply_change(&mut doc.text, change.range, &change.text, self.encoding);
                }
                doc.version = p.text_document.version;
                self.due = Some(Instant::now() + DEBOUNCE);
            }
            note::DidSaveTextDocument::METHOD => self.due = Some(Instant::now()),
            note::DidCloseTextDocument::METHOD => {
                let Some(p) = params::<note::DidCloseTextDocument>(notification) else { return };
                if let Some(doc) = text::path(&p.text_document.uri).and_then(|path| self.documents.remove(&path)) {
                    self.publish(&doc.uri, Vec::new(), None);
                }
            }
            _ => {}
        }
    }

    fn publish(&self, uri: &Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.notify::<note::PublishDiagnostics>(PublishDiagnosticsParams { uri: uri.clone(), diagnostics, version });
    }

    /// Checks the open files, one run per workspace, and publishes their findings.
    fn check(&mut self) {
        let mut roots: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
        for path in self.documents.keys() {
            // A buffer never saved has no workspace on disk to check it in.
            if path.is_file() {
                let root = crate::config::discover_root(path.parent().unwrap_or(path));
                // Only a workspace that asks for corefence is checked: an
                // editor that starts the server for every Rust file must not
                // flag every project without headers.
                if root.config_file.is_some() {
                    roots.entry(root.dir).or_default().push(path.clone());
                }
            }
        }
        for (root, paths) in roots {
            let unsaved = paths
                .iter()
                .filter_map(|p| Some((p.clone(), self.documents.get(p)?.text.clone().into_bytes())))
                .collect();
            let options = Options {
                start: root.clone(),
                paths: paths.clone(),
                jobs: self.jobs,
                cache: true,
                unsaved,
                ..Options::default()
            };
            let started = Instant::now();
            let (findings, root) = match engine::run(&options) {
                Ok(outcome) => {
                    self.told.remove(&outcome.root.join(crate::config::FILE_NAME));
                    for error in &outcome.internal_errors {
                        self.log(MessageType::ERROR, error.clone());
                    }
                    (outcome.diagnostics, outcome.root)
                }
                // The configuration's own findings are its diagnostics; when
                // it is not open, a message says where to look.
                Err(Fatal::Config { root, errors }) => {
                    let config = root.join(crate::config::FILE_NAME);
                    if !self.documents.contains_key(&config) && self.told.insert(config.clone()) {
                        self.notify::<note::ShowMessage>(lsp_types::ShowMessageParams {
                            typ: MessageType::ERROR,
                            message: format!(
                                "corefence: {} has {} error(s) and nothing is checked until they are fixed; open it to see them",
                                config.display(),
                                errors.0.len()
                            ),
                        });
                    }
                    (errors.0, root)
                }
                Err(Fatal::Io(message)) => {
                    self.log(MessageType::ERROR, message);
                    continue;
                }
            };
            self.log(
                MessageType::LOG,
                format!("checked {} open file(s) in {} in {:?}", paths.len(), root.display(), started.elapsed()),
            );
            self.settle(&root, &paths, findings);
        }
    }

    /// Keeps each checked file's findings and publishes them.
    fn settle(&mut self, root: &Path, paths: &[PathBuf], findings: Vec<Diagnostic>) {
        let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for d in findings {
            by_file.entry(root.join(d.location.path())).or_default().push(d);
        }
        for path in paths {
            let Some(doc) = self.documents.get_mut(path) else { continue };
            doc.findings = by_file.remove(path).unwrap_or_default();
            doc.checked = Some(doc.version);
            root.clone_into(&mut doc.root);
            let diagnostics = doc.findings.iter().map(|d| convert::diagnostic(d, root, self.encoding)).collect();
            let (uri, version) = (doc.uri.clone(), doc.version);
            self.publish(&uri, diagnostics, Some(version));
        }
    }

    /// A response to a request: hovers and code actions from the last check.
    fn answer(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            req::HoverRequest::METHOD => {
                request.extract::<lsp_types::HoverParams>(req::HoverRequest::METHOD).map(|(_, p)| {
                    let at = p.text_document_position_params;
                    let hover = self.current(&at.text_document.uri).and_then(|doc| {
                        let offset = text::offset(&doc.text, at.position, self.encoding);
                        convert::hover(&doc.findings, offset, &doc.root, self.encoding)
                    });
                    serde_json::to_value(hover)
                })
            }
            req::CodeActionRequest::METHOD => request
                .extract::<lsp_types::CodeActionParams>(req::CodeActionRequest::METHOD)
                .map(|(_, p)| serde_json::to_value(self.code_actions(&p))),
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("unknown request {}", request.method),
                )
            }
        };
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(e)) => Response::new_err(id, ErrorCode::InternalError as i32, e.to_string()),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
        }
    }

    fn code_actions(&self, p: &lsp_types::CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(doc) = self.current(&p.text_document.uri) else { return Vec::new() };
        let range =
            text::offset(&doc.text, p.range.start, self.encoding)..text::offset(&doc.text, p.range.end, self.encoding);
        let wanted = |kind: &Option<CodeActionKind>| {
            p.context.only.as_ref().is_none_or(|only| {
                kind.as_ref().is_some_and(|k| only.iter().any(|o| k.as_str().starts_with(o.as_str())))
            })
        };
        convert::code_actions(&doc.findings, &doc.uri, &range, &doc.root, self.encoding)
            .into_iter()
            .filter(|a| wanted(&a.kind))
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }

    /// An open document whose findings are for its current text (edits
    /// made since would shift every span).
    fn current(&self, uri: &Uri) -> Option<&Document> {
        self.documents.get(&text::path(uri)?).filter(|doc| doc.checked == Some(doc.version))
    }
}
