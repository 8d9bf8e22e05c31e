//! `jixiao lsp`: a language server on standard input and output, for
//! editors. Rule files are checked as they are typed, with the engine's own
//! codes and words; a did-you-mean or full-width fix is a code action; a
//! document is formatted by the formatter.
//!
//! Built on `lsp-server` and `lsp-types` (rust-analyzer's): a synchronous
//! loop over one channel of messages, no async runtime — checking a rule file
//! takes milliseconds, and jixiao has no other reason for one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;

use super::{Exit, Global};
use jixiao::diagnostic::{Fix, Problem, Severity};
use jixiao::format::{self, Keywords};
use jixiao::messages::{Lang, Word};
use jixiao::source::Sources;
use jixiao::workspace::{Workspace, is_data};

#[derive(clap::Args, Debug)]
pub struct LspArgs {}

impl LspArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let (connection, threads) = Connection::stdio();
        let capabilities = lsp::ServerCapabilities {
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(lsp::TextDocumentSyncKind::FULL)),
            document_formatting_provider: Some(lsp::OneOf::Left(true)),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            definition_provider: Some(lsp::OneOf::Left(true)),
            completion_provider: Some(lsp::CompletionOptions::default()),
            references_provider: Some(lsp::OneOf::Left(true)),
            ..Default::default()
        };
        let Ok(params) = connection.initialize(serde_json::to_value(capabilities).unwrap_or_default()) else {
            return Exit::Failed;
        };
        // The client's language, when it says one (`initializationOptions.lang`).
        let lang = match params.pointer("/initializationOptions/lang").and_then(|v| v.as_str()) {
            Some("en") => Lang::En,
            Some("zh") => Lang::Zh,
            // Else `--lang`, else the workspace's (`jixiao.toml` where the editor opened its folder).
            _ => global.lang_in(workspace_lang(&params)),
        };
        let mut server = Server { documents: HashMap::new(), names: HashMap::new(), lang, rules_cache: None };
        for message in &connection.receiver {
            let replies = match message {
                Message::Request(request) => {
                    if connection.handle_shutdown(&request).unwrap_or(true) {
                        break;
                    }
                    vec![Message::Response(server.request(request))]
                }
                Message::Notification(note) => server.notification(note),
                Message::Response(_) => Vec::new(),
            };
            for reply in replies {
                if connection.sender.send(reply).is_err() {
                    return Exit::Failed;
                }
            }
        }
        drop(connection);
        match threads.join() {
            Ok(()) => Exit::Success,
            Err(_) => Exit::Failed,
        }
    }
}

/// The documents the editor has open, by URI: their text as typed, and
/// the names their rules declared when they last checked (completion while
/// typing works from these: a half-typed line does not check).
struct Server {
    documents: HashMap<String, String>,
    names: HashMap<String, Vec<lsp::CompletionItem>>,
    lang: Lang,
    /// The workspace's rules as data files were last checked against.
    rules_cache: Option<(RulesKey, Option<jixiao::model::CheckedRules>, Sources)>,
}

/// What a check of a workspace's rules depends on: each rule file's
/// modification time, and the rule files open in the editor.
#[derive(PartialEq, Eq)]
struct RulesKey {
    files: Vec<(PathBuf, Option<std::time::SystemTime>)>,
    overlay: u64,
    /// The workspace file and its time: it decides the roots `use` may not leave.
    workspace: Option<(PathBuf, Option<std::time::SystemTime>)>,
}

impl RulesKey {
    fn of(workspace: &Workspace, overlay: &HashMap<PathBuf, String>) -> RulesKey {
        use std::hash::{Hash, Hasher};
        let files = jixiao::check::expand(&workspace.rules)
            .into_iter()
            .map(|p| {
                let modified = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
                (p, modified)
            })
            .collect();
        let mut open: Vec<(&PathBuf, &String)> = overlay.iter().collect();
        open.sort();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        open.hash(&mut hasher);
        let workspace_file =
            workspace.file.as_ref().map(|f| (f.clone(), std::fs::metadata(f).and_then(|m| m.modified()).ok()));
        RulesKey { files, overlay: hasher.finish(), workspace: workspace_file }
    }
}

impl Server {
    fn notification(&mut self, note: Notification) -> Vec<Message> {
        match note.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(params) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(note.params) else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                self.documents.insert(uri.as_str().to_string(), params.text_document.text);
                vec![self.publish(&uri)]
            }
            "textDocument/didChange" => {
                let Ok(params) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(note.params) else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                // Full synchronisation: the last change is the whole text.
                if let Some(change) = params.content_changes.into_iter().last() {
                    self.documents.insert(uri.as_str().to_string(), change.text);
                }
                vec![self.publish(&uri)]
            }
            "textDocument/didClose" => {
                let Ok(params) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(note.params) else {
                    return Vec::new();
                };
                self.documents.remove(params.text_document.uri.as_str());
                // Closed, its diagnostics go with it.
                vec![publish(params.text_document.uri, Vec::new())]
            }
            _ => Vec::new(),
        }
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match request.method.as_str() {
            "textDocument/formatting" => {
                match serde_json::from_value::<lsp::DocumentFormattingParams>(request.params) {
                    Ok(params) => ok(id, self.formatting(&params.text_document.uri)),
                    Err(e) => invalid(id, &e),
                }
            }
            "textDocument/codeAction" => match serde_json::from_value::<lsp::CodeActionParams>(request.params) {
                Ok(params) => ok(id, self.code_actions(&params.text_document.uri, params.range)),
                Err(e) => invalid(id, &e),
            },
            "textDocument/completion" => match serde_json::from_value::<lsp::CompletionParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position;
                    ok(id, self.completion(&at.text_document.uri, at.position))
                }
                Err(e) => invalid(id, &e),
            },
            "textDocument/references" => match serde_json::from_value::<lsp::ReferenceParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position;
                    let declaration = params.context.include_declaration;
                    ok(id, self.references(&at.text_document.uri, at.position, declaration))
                }
                Err(e) => invalid(id, &e),
            },
            "textDocument/hover" => match serde_json::from_value::<lsp::HoverParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position_params;
                    ok(id, self.hover(&at.text_document.uri, at.position))
                }
                Err(e) => invalid(id, &e),
            },
            "textDocument/definition" => match serde_json::from_value::<lsp::GotoDefinitionParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position_params;
                    ok(id, self.definition(&at.text_document.uri, at.position))
                }
                Err(e) => invalid(id, &e),
            },
            method => Response::new_err(
                id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("jixiao lsp does not answer {method}"),
            ),
        }
    }

    /// Checks the document as typed (the files it uses read from disk, or
    /// from the editor when open there) and publishes what was found.
    fn publish(&mut self, uri: &lsp::Uri) -> Message {
        let Some(text) = self.documents.get(uri.as_str()) else { return publish(uri.clone(), Vec::new()) };
        if let Some(path) = path_of(uri).filter(|p| is_data(p)) {
            let text = text.clone();
            return publish(uri.clone(), self.data_diagnostics(&path, &text));
        }
        let (checked, this) = self.check(uri, text);
        if let Some(rules) = &checked.rules {
            self.names.insert(uri.as_str().to_string(), declared_names(rules));
        }
        let (problems, sources) = (checked.problems, checked.sources);
        let diagnostics = problems
            .iter()
            .filter(|p| p.spans.first().is_some_and(|s| sources.get(s.file).is_some_and(|f| f.path == this)))
            .map(|p| self.diagnostic(p, &sources))
            .collect();
        publish(uri.clone(), diagnostics)
    }

    /// A data file's problems against the rules of its workspace (its
    /// `jixiao.toml`, else the nearest folder above it that holds a `rules`
    /// folder: `rules/2018/…` beside `examples/2018/…` or `data/…`), with
    /// the rule files open in the editor as typed. None when no rules are
    /// found, or while the rules themselves do not check (their own files
    /// show why).
    fn data_diagnostics(&mut self, path: &Path, text: &str) -> Vec<lsp::Diagnostic> {
        let Some(canonical) = path.canonicalize().ok() else { return Vec::new() };
        // The workspace file itself: what stops it from reading.
        if canonical.file_name().is_some_and(|n| n == jixiao::workspace::FILE_NAME) {
            let mut sources = Sources::new();
            return match Workspace::parse(&canonical, text.to_string(), &mut sources) {
                Ok(_) => Vec::new(),
                Err(problems) => problems.iter().map(|p| self.diagnostic(p, &sources)).collect(),
            };
        }
        let Ok(Some(workspace)) = Workspace::find(&canonical, &mut Sources::new()) else { return Vec::new() };
        if workspace.rules.is_empty() {
            return Vec::new();
        }
        // The rules are checked again only when a rule file changed, on disk or in the editor.
        let overlay = self.overlay();
        let key = RulesKey::of(&workspace, &overlay);
        if self.rules_cache.as_ref().is_none_or(|(cached, _, _)| *cached != key) {
            // With a workspace file each rules folder is its files' root; without, the nearest `rules`.
            let roots = if workspace.file.is_some() { workspace.rules.clone() } else { Vec::new() };
            let checked = jixiao::check::check_files_with(&workspace.rules, &roots, overlay);
            self.rules_cache = Some((key, checked.rules, checked.sources));
        }
        let Some((_, Some(rules), sources)) = &self.rules_cache else { return Vec::new() };
        let mut sources = sources.clone();
        let file = sources.add(&canonical, text.to_string());
        let syntax = jixiao::data::Syntax::of(&canonical);
        let problems = match jixiao::data::parse(sources.text(file), file, syntax) {
            Ok(data) => match jixiao::eval::evaluate(rules, &data) {
                Ok(evaluation) => evaluation.warnings,
                Err(problems) => problems,
            },
            Err(problems) => problems,
        };
        problems
            .iter()
            .filter(|p| p.spans.first().is_none_or(|s| s.file == file))
            .map(|p| self.diagnostic(p, &sources))
            .collect()
    }

    /// The open rule files' texts, by canonical path.
    fn overlay(&self) -> HashMap<PathBuf, String> {
        self.documents
            .iter()
            .filter_map(|(u, t)| {
                let p = path_of(&lsp::Uri::from_str(u).ok()?)?.canonicalize().ok()?;
                (!is_data(&p)).then_some((p, t.clone()))
            })
            .collect()
    }

    /// A check of this document as typed (the files it uses from the
    /// editor when open there, else from disk), and the path its own
    /// problems carry.
    fn check(&self, uri: &lsp::Uri, text: &str) -> (jixiao::check::Checked, PathBuf) {
        let path = path_of(uri);
        match path.as_ref().and_then(|p| p.canonicalize().ok()) {
            Some(canonical) => {
                let mut overlay = self.overlay();
                overlay.insert(canonical.clone(), text.to_string());
                (jixiao::check::check_files_with(std::slice::from_ref(&canonical), &[], overlay), canonical)
            }
            // Not saved anywhere yet: checked on its own.
            None => {
                let name = path.unwrap_or_else(|| PathBuf::from("untitled.jx"));
                let checked = jixiao::check::check_source(&name.display().to_string(), text);
                let own = checked.sources.files().first().map(|f| f.path.clone()).unwrap_or_default();
                (checked, own)
            }
        }
    }

    fn diagnostic(&self, problem: &Problem, sources: &Sources) -> lsp::Diagnostic {
        let rendered = problem.render(self.lang);
        let place = |span: jixiao::span::Span| -> Option<(lsp::Uri, lsp::Range)> {
            let file = sources.get(span.file)?;
            Some((uri_of(&file.path)?, range(&file.text, span.start as usize, span.end as usize)))
        };
        // Only problems placed in the document are published: the first label is there.
        let primary = rendered.labels.first().and_then(|(span, _)| place(*span)).map(|(_, r)| r).unwrap_or_default();
        let related: Vec<lsp::DiagnosticRelatedInformation> = rendered
            .labels
            .iter()
            .skip(1)
            .filter_map(|(span, label)| {
                let (uri, range) = place(*span)?;
                let message = if label.is_empty() { rendered.message.clone() } else { label.clone() };
                Some(lsp::DiagnosticRelatedInformation { location: lsp::Location { uri, range }, message })
            })
            .collect();
        let message = match &rendered.help {
            Some(help) => format!("{}\n{help}", rendered.message),
            None => rendered.message.clone(),
        };
        lsp::Diagnostic {
            range: primary,
            severity: Some(match rendered.severity {
                Severity::Error => lsp::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            }),
            code: Some(lsp::NumberOrString::String(rendered.code.to_string())),
            source: Some("jixiao".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        }
    }

    /// The formatter's layout as one edit of the whole document; none when
    /// it is laid out already or does not parse.
    fn formatting(&self, uri: &lsp::Uri) -> Vec<lsp::TextEdit> {
        let Some(text) = self.documents.get(uri.as_str()) else { return Vec::new() };
        match format::format(text, Keywords::AsWritten) {
            Some(formatted) if formatted != *text => {
                vec![lsp::TextEdit { range: range(text, 0, text.len()), new_text: formatted }]
            }
            _ => Vec::new(),
        }
    }

    /// The rules as checked with this document, when they check (hover and
    /// definitions read the model), and the document's text and path.
    fn model(&self, uri: &lsp::Uri) -> Option<(jixiao::model::CheckedRules, String, PathBuf)> {
        let text = self.documents.get(uri.as_str())?;
        let (checked, this) = self.check(uri, text);
        Some((checked.rules?, text.clone(), this))
    }

    /// On an indicator's id: its wording, target, points and how it is
    /// scored; on a method's name (declared or named): its definition.
    fn hover(&self, uri: &lsp::Uri, at: lsp::Position) -> Option<lsp::Hover> {
        let (rules, text, this) = self.model(uri)?;
        let offset = offset(&text, at);
        let sources = rules.sources();
        let in_this = |span: jixiao::span::Span| {
            sources.get(span.file).is_some_and(|f| f.path == this) && span.range().contains(&offset)
        };
        let source_text =
            |span: jixiao::span::Span| sources.text(span.file).get(span.range()).unwrap_or("").to_string();
        let method_text = |m: &jixiao::model::Method| {
            let params = m.params.iter().map(|p| p.node.as_str()).collect::<Vec<_>>().join(", ");
            let params = if params.is_empty() { String::new() } else { format!("({params})") };
            format!("method {}{params} = {}", m.name.node, m.text)
        };
        for project in rules.projects() {
            let scheme = rules.scheme_of(project);
            for indicator in &project.indicators {
                if !in_this(indicator.id.span) {
                    continue;
                }
                let target = match &indicator.target {
                    // A deadline reads `by 2021-10-31`; a checklist as written.
                    jixiao::model::Target::Numeric { unit: jixiao::model::Unit::DaysLate, span, .. } => {
                        format!("by {}", source_text(*span))
                    }
                    jixiao::model::Target::Numeric { unit: jixiao::model::Unit::Missing, span, .. } => {
                        source_text(*span)
                    }
                    jixiao::model::Target::Numeric { direction, span, .. } => {
                        format!("{} {}", direction.symbol(), source_text(*span))
                    }
                    jixiao::model::Target::Level { span, .. } => source_text(*span),
                };
                let scoring = match &indicator.scoring {
                    jixiao::model::Scoring::Method { method, .. } => scheme.methods.get(*method).map(method_text),
                    jixiao::model::Scoring::Level => Some(Word::ScoredByLevel.text(self.lang).to_string()),
                    jixiao::model::Scoring::Checklist { .. } => None,
                };
                let mut value = format!("**{}** {}\n\n", indicator.id.node, indicator.wording);
                value.push_str(&format!("```jixiao\ntarget {target}\npoints {}\n", indicator.points.node));
                if let Some(scoring) = scoring {
                    value.push_str(&format!("{scoring}\n"));
                }
                value.push_str("```");
                if let Some(line) = self.scored(&rules, project, &indicator.id.node, &this) {
                    value.push_str(&format!("\n\n{line}"));
                }
                return Some(markdown(value, &text, indicator.id.span));
            }
        }
        for scheme in rules.schemes() {
            for method in &scheme.methods {
                if in_this(method.name.span) {
                    let value = format!("```jixiao\n{}\n```", method_text(method));
                    return Some(markdown(value, &text, method.name.span));
                }
            }
        }
        // A unit or a level, wherever it is written: the scheme's line that declares it.
        if let Some((start, word)) = word_at(&text, offset) {
            let span = jixiao::span::Span::new(jixiao::span::FileId(0), start, start + word.len());
            for scheme in rules.schemes() {
                let unit = scheme.units.iter().find(|(u, _)| u.node == word).map(|(u, _)| u.span);
                let level = scheme.levels.iter().find(|l| l.name.node == word).map(|l| l.name.span);
                if let Some(declared) = unit.or(level) {
                    let line = declaration_line(sources, declared);
                    return Some(markdown(format!("```jixiao\n{line}\n```"), &text, span));
                }
            }
        }
        // A method named by an indicator: its definition.
        let (name, span) = method_named_at(&text, offset)?;
        let method = rules.schemes().iter().flat_map(|s| &s.methods).find(|m| m.name.node == name)?;
        Some(markdown(format!("```jixiao\n{}\n```", method_text(method)), &text, span))
    }

    /// Where an indicator's actual or a figure is declared and every
    /// derived actual and `expect` that reads it, from its declaration or
    /// any of those places.
    fn references(&self, uri: &lsp::Uri, at: lsp::Position, declaration: bool) -> Option<Vec<lsp::Location>> {
        use jixiao::model::ExprKind;
        let (rules, text, this) = self.model(uri)?;
        let offset = offset(&text, at);
        let sources = rules.sources();
        let here = |span: jixiao::span::Span| {
            sources.get(span.file).is_some_and(|f| f.path == this) && span.range().contains(&offset)
        };
        let location = |span: jixiao::span::Span| {
            let file = sources.get(span.file)?;
            Some(lsp::Location {
                uri: uri_of(&file.path)?,
                range: range(&file.text, span.start as usize, span.end as usize),
            })
        };
        for project in rules.projects() {
            let exprs: Vec<&jixiao::model::Expr> =
                project.indicators.iter().filter_map(|i| i.derived.as_ref()).chain(&project.expects).collect();
            // What is named here: (figure?, index).
            let mut named = project.figures.iter().position(|f| here(f.name.span)).map(|i| (true, i));
            named = named.or_else(|| project.indicators.iter().position(|i| here(i.id.span)).map(|i| (false, i)));
            for expr in &exprs {
                jixiao::model::walk(expr, &mut |e| match e.node {
                    ExprKind::Figure(i) if named.is_none() && here(e.span) => named = Some((true, i)),
                    ExprKind::Indicator(i) if named.is_none() && here(e.span) => named = Some((false, i)),
                    _ => {}
                });
            }
            let Some((figure, index)) = named else { continue };
            let mut found = Vec::new();
            if declaration {
                let span = if figure { project.figures[index].name.span } else { project.indicators[index].id.span };
                found.extend(location(span));
            }
            for expr in &exprs {
                jixiao::model::walk(expr, &mut |e| match e.node {
                    ExprKind::Figure(i) if figure && i == index => found.extend(location(e.span)),
                    ExprKind::Indicator(i) if !figure && i == index => found.extend(location(e.span)),
                    _ => {}
                });
            }
            return Some(found);
        }
        None
    }

    /// The indicator as a data file of its project and year scores it: the
    /// data of the workspace (`jixiao.toml`'s data folders, else `examples/`
    /// or `data/` beside the nearest `rules` folder).
    fn scored(
        &self,
        rules: &jixiao::model::CheckedRules,
        project: &jixiao::model::Project,
        id: &str,
        this: &Path,
    ) -> Option<String> {
        let workspace = Workspace::find(this, &mut Sources::new()).ok()??;
        let files = workspace.data_files();
        for file in files {
            let mut sources = Sources::new();
            let Ok(data) = jixiao::data::read(&file, &mut sources) else { continue };
            if data.project.node != project.name.node || data.year.node != i64::from(project.year.node) {
                continue;
            }
            let evaluation = jixiao::eval::evaluate(rules, &data).ok()?;
            let result = evaluation.indicator(id)?;
            let loss = result.loss.as_ref().map_or_else(|| "0".to_string(), |l| l.points.normalize().to_string());
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let actual = jixiao::report::actual_text(result);
            let (score, points) = (result.score.normalize().to_string(), result.points.normalize().to_string());
            return Some(Word::HoverScored.fill(
                self.lang,
                &[("actual", &actual), ("score", &score), ("points", &points), ("loss", &loss), ("file", &name)],
            ));
        }
        None
    }

    /// A method named by an indicator goes to its declaration in the
    /// scheme; a level named by a target to the scheme's `level`; a figure
    /// or an indicator's actual read by an expression to its declaration;
    /// a `use` path to the file.
    fn definition(&self, uri: &lsp::Uri, at: lsp::Position) -> Option<lsp::GotoDefinitionResponse> {
        let text = self.documents.get(uri.as_str())?;
        let offset = offset(text, at);
        let ast = jixiao::syntax::parse(text, jixiao::span::FileId(0)).ok()?;
        if let Some(used) = ast.uses.iter().find(|u| u.span.range().contains(&offset)) {
            let target = path_of(uri)?.parent()?.join(&used.node);
            let uri = uri_of(&target.canonicalize().ok()?)?;
            return Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location { uri, range: lsp::Range::default() }));
        }
        let (rules, _, this) = self.model(uri)?;
        let sources = rules.sources();
        let here = |span: jixiao::span::Span| {
            sources.get(span.file).is_some_and(|f| f.path == this) && span.range().contains(&offset)
        };
        let declared = declared_at(&rules, &here).or_else(|| {
            let (name, _) = method_named_at(text, offset)?;
            rules.schemes().iter().flat_map(|s| &s.methods).find(|m| m.name.node == name).map(|m| m.name.span)
        })?;
        let file = sources.get(declared.file)?;
        let range = range(&file.text, declared.start as usize, declared.end as usize);
        Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location { uri: uri_of(&file.path)?, range }))
    }

    /// What may be written where the cursor is: after an indicator's
    /// `method`, the scheme's methods (with their parameters); in a target,
    /// units and levels; in a derived actual or an `expect`, figures and
    /// indicator ids; after `budget`, indicator ids; after a figure's name,
    /// units. Elsewhere every keyword in both spellings and every name.
    fn completion(&self, uri: &lsp::Uri, at: lsp::Position) -> Vec<lsp::CompletionItem> {
        use lsp::CompletionItemKind as K;
        let names = self.names.get(uri.as_str()).cloned().unwrap_or_default();
        let before = self.documents.get(uri.as_str()).map_or(String::new(), |text| {
            let offset = offset(text, at);
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            text[start..offset].to_string()
        });
        let kinds: &[K] = match Context::of(&before) {
            Context::Method => &[K::FUNCTION],
            Context::Target => &[K::UNIT, K::ENUM_MEMBER],
            Context::Expression => &[K::VARIABLE, K::FIELD],
            Context::Indicator => &[K::FIELD],
            Context::Unit => &[K::UNIT],
            Context::Anywhere => {
                let mut items: Vec<lsp::CompletionItem> = keywords()
                    .into_iter()
                    .flat_map(|(en, zh)| {
                        [(en.clone(), zh.clone()), (zh, en)].map(|(label, other)| lsp::CompletionItem {
                            label,
                            kind: Some(lsp::CompletionItemKind::KEYWORD),
                            detail: Some(other),
                            ..Default::default()
                        })
                    })
                    .collect();
                items.extend(names);
                return items;
            }
        };
        names.into_iter().filter(|i| i.kind.is_some_and(|k| kinds.contains(&k))).collect()
    }

    /// A quick fix for every fix of a problem of this document in `within`.
    fn code_actions(&self, uri: &lsp::Uri, within: lsp::Range) -> Vec<lsp::CodeActionOrCommand> {
        let Some(text) = self.documents.get(uri.as_str()) else { return Vec::new() };
        let (checked, this) = self.check(uri, text);
        let (problems, sources) = (checked.problems, checked.sources);
        let mut actions = Vec::new();
        for problem in &problems {
            for Fix { span, replacement } in &problem.fixes {
                if sources.get(span.file).is_none_or(|f| f.path != this) {
                    continue;
                }
                let at = range(text, span.start as usize, span.end as usize);
                if at.end < within.start || within.end < at.start {
                    continue;
                }
                let edit = lsp::TextEdit { range: at, new_text: replacement.clone() };
                let title = Word::FixReplace.fill(self.lang, &[("replacement", replacement)]);
                actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title,
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![self.diagnostic(problem, &sources)]),
                    edit: Some(lsp::WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                        ..Default::default()
                    }),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
        }
        actions
    }
}

/// The language of the workspace file of the editor's folder, if any.
fn workspace_lang(params: &serde_json::Value) -> Option<Lang> {
    let folder = params.pointer("/workspaceFolders/0/uri").or_else(|| params.pointer("/rootUri"))?.as_str()?;
    let path = path_of(&lsp::Uri::from_str(folder).ok()?)?;
    Workspace::find(&path, &mut Sources::new()).ok()??.lang
}

/// What a completion may offer, from the statement the cursor is in.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    Method,
    Target,
    Expression,
    Indicator,
    Unit,
    Anywhere,
}

impl Context {
    /// From the line before the cursor: its last statement (after a `{` or `;`).
    fn of(before: &str) -> Context {
        let statement = before.rsplit(['{', ';']).next().unwrap_or("").trim_start();
        let words: Vec<&str> = statement.split_whitespace().collect();
        let Some(first) = words.first() else { return Context::Anywhere };
        let spelled = |en: &str| keywords().iter().any(|(e, z)| e == en && (first == e || first == z));
        let assigned = statement.contains('=') && !statement.contains("==");
        if spelled("method") {
            // `method proportional = …` in a scheme defines one: its body reads no names of projects.
            if statement.contains('=') { Context::Anywhere } else { Context::Method }
        } else if spelled("target") {
            Context::Target
        } else if spelled("actual") && assigned || spelled("expect") {
            Context::Expression
        } else if spelled("budget") {
            Context::Indicator
        } else if spelled("figure") && (words.len() > 2 || words.len() == 2 && statement.ends_with(char::is_whitespace))
        {
            Context::Unit
        } else {
            Context::Anywhere
        }
    }
}

/// The grammar, for its keywords: completion offers what the parser reads.
const GRAMMAR: &str = include_str!("../../grammar/jixiao.pest");

/// Each keyword's English and Chinese spelling, from the `kw_*` rules.
fn keywords() -> Vec<(String, String)> {
    GRAMMAR
        .lines()
        .filter(|line| line.starts_with("kw_"))
        .filter_map(|line| {
            let words: Vec<&str> = line.split('"').skip(1).step_by(2).filter(|w| !matches!(*w, " " | "\\t")).collect();
            match words.as_slice() {
                [en, zh] => Some((en.to_string(), zh.to_string())),
                // `should be`, `renamed from`: two words in English.
                [first, second, zh] => Some((format!("{first} {second}"), zh.to_string())),
                _ => None,
            }
        })
        .collect()
}

/// The names rules declare, as completion items.
fn declared_names(rules: &jixiao::model::CheckedRules) -> Vec<lsp::CompletionItem> {
    let item = |label: &str, kind, detail: String, insert: Option<String>| lsp::CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        insert_text: insert,
        ..Default::default()
    };
    let mut items = Vec::new();
    for scheme in rules.schemes() {
        for method in &scheme.methods {
            let params: Vec<&str> = method.params.iter().map(|p| p.node.as_str()).collect();
            let insert = (!params.is_empty()).then(|| format!("{}({})", method.name.node, params.join(", ")));
            items.push(item(&method.name.node, lsp::CompletionItemKind::FUNCTION, method.text.clone(), insert));
        }
        for level in &scheme.levels {
            items.push(item(&level.name.node, lsp::CompletionItemKind::ENUM_MEMBER, level.printed.join(" / "), None));
        }
        for (unit, kind) in &scheme.units {
            items.push(item(&unit.node, lsp::CompletionItemKind::UNIT, format!("{kind:?}").to_lowercase(), None));
        }
    }
    for project in rules.projects() {
        for figure in &project.figures {
            items.push(item(&figure.name.node, lsp::CompletionItemKind::VARIABLE, project.name.node.clone(), None));
        }
        for indicator in &project.indicators {
            items.push(item(&indicator.id.node, lsp::CompletionItemKind::FIELD, indicator.wording.clone(), None));
        }
    }
    items
}

/// What a place names, declared elsewhere: the level a target names, the
/// figure or indicator an expression reads.
fn declared_at(
    rules: &jixiao::model::CheckedRules,
    here: &dyn Fn(jixiao::span::Span) -> bool,
) -> Option<jixiao::span::Span> {
    use jixiao::model::{ExprKind, Target};
    for project in rules.projects() {
        let scheme = rules.scheme_of(project);
        for indicator in &project.indicators {
            if let Target::Level { level, span, .. } = &indicator.target
                && here(*span)
            {
                return scheme.levels.get(*level).map(|l| l.name.span);
            }
        }
        let mut found = None;
        for expr in project.indicators.iter().filter_map(|i| i.derived.as_ref()).chain(&project.expects) {
            jixiao::model::walk(expr, &mut |e| match e.node {
                ExprKind::Figure(i) if found.is_none() && here(e.span) => {
                    found = project.figures.get(i).map(|f| f.name.span);
                }
                ExprKind::Indicator(i) if found.is_none() && here(e.span) => {
                    found = project.indicators.get(i).map(|x| x.id.span);
                }
                _ => {}
            });
        }
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The name written at `offset`: a run of characters up to spaces,
/// brackets, quotes, operators and separators, with its start.
fn word_at(text: &str, offset: usize) -> Option<(usize, &str)> {
    let stop =
        |c: char| c.is_whitespace() || "{}()[];,:=<>+-*/\"'`".contains(c) || c.is_ascii_digit() || c == '.' || c == '%';
    let offset = (0..=offset.min(text.len())).rev().find(|&i| text.is_char_boundary(i))?;
    let start = text[..offset].char_indices().rev().take_while(|(_, c)| !stop(*c)).last().map_or(offset, |(i, _)| i);
    let end = text[offset..].char_indices().find(|(_, c)| stop(*c)).map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| (start, &text[start..end]))
}

/// The line of a declaration, as written (its comment too).
fn declaration_line(sources: &Sources, span: jixiao::span::Span) -> String {
    let text = sources.text(span.file);
    let start = text[..(span.start as usize).min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text[start..end].trim().to_string()
}

/// The method an indicator of `text` names at `offset` (`method per_unit(1, 0.5)`).
fn method_named_at(text: &str, offset: usize) -> Option<(String, jixiao::span::Span)> {
    use jixiao::syntax::ast::{IndicatorItem, ProjectItem};
    let ast = jixiao::syntax::parse(text, jixiao::span::FileId(0)).ok()?;
    ast.projects
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|item| match item {
            ProjectItem::Section(section) => Some(section),
            _ => None,
        })
        .flat_map(|section| &section.groups)
        .flat_map(|group| &group.indicators)
        .flat_map(|indicator| &indicator.items)
        .find_map(|item| match item {
            IndicatorItem::Method { name, .. } if name.span.range().contains(&offset) => {
                Some((name.node.clone(), name.span))
            }
            _ => None,
        })
}

fn markdown(value: String, text: &str, span: jixiao::span::Span) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value }),
        range: Some(range(text, span.start as usize, span.end as usize)),
    }
}

/// An LSP position (UTF-16 columns) as a byte offset of `text`.
fn offset(text: &str, at: lsp::Position) -> usize {
    let mut start = 0;
    for _ in 0..at.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= at.character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    start + line.len()
}

fn publish(uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>) -> Message {
    let params = lsp::PublishDiagnosticsParams { uri, diagnostics, version: None };
    Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".into(),
        serde_json::to_value(params).unwrap_or_default(),
    ))
}

fn ok(id: RequestId, result: impl serde::Serialize) -> Response {
    Response::new_ok(id, serde_json::to_value(result).unwrap_or_default())
}

fn invalid(id: RequestId, error: &serde_json::Error) -> Response {
    Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, error.to_string())
}

/// Byte offsets of `text` as an LSP range: lines, and columns in UTF-16
/// units (what editors count: a Chinese character is one, `𠀀` two).
fn range(text: &str, start: usize, end: usize) -> lsp::Range {
    lsp::Range { start: position(text, start), end: position(text, end) }
}

fn position(text: &str, offset: usize) -> lsp::Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[line_start..].encode_utf16().count();
    lsp::Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: u32::try_from(character).unwrap_or(u32::MAX),
    }
}

/// The path of a `file:` URI, percent-decoded.
fn path_of(uri: &lsp::Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    String::from_utf8(super::percent_decoded(rest, false)).ok().map(PathBuf::from)
}

/// A `file:` URI for a path, percent-encoding all but unreserved characters and `/`.
fn uri_of(path: &Path) -> Option<lsp::Uri> {
    let absolute = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().ok()?.join(path) };
    let mut uri = String::from("file://");
    for b in absolute.to_str()?.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    lsp::Uri::from_str(&uri).ok()
}

#[cfg(test)]
mod tests {
    use super::Context;

    #[test]
    fn completion_follows_the_statement_the_cursor_is_in() {
        let cases = [
            ("        indicator 巡查 \"巡查\" { target >= 3000 台; points 4; method ", Context::Method),
            ("                计分方法 pro", Context::Method),
            ("    method proportional = if actual >= target then ", Context::Anywhere),
            ("        indicator 巡查 \"巡查\" { target >= 3000 ", Context::Target),
            ("                目标值 ", Context::Target),
            ("                actual = 全年执行数 / ", Context::Expression),
            ("    expect 全年执行数 == ", Context::Expression),
            ("    核对 ", Context::Expression),
            ("    budget ", Context::Indicator),
            ("    figure 到位资金 ", Context::Unit),
            ("    figure 到位", Context::Anywhere),
            ("    ", Context::Anywhere),
            ("    section 产出指标 points 40 { ", Context::Anywhere),
        ];
        for (before, context) in cases {
            assert_eq!(Context::of(before), context, "{before}");
        }
    }
}
