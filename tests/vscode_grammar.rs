//! The VS Code extension's highlighting (`editors/vscode/syntaxes/jixiao.tmLanguage.json`, a
//! TextMate grammar) kept in step with the language (`grammar/jixiao.pest`).
//!
//! VS Code reads the grammar's regexes with Oniguruma; here they are read with the `regex`
//! crate, so the grammar keeps to what both engines read alike (no lookaround, no
//! backreferences). Every rule file under `rules/` is then tokenised as VS Code does it — from
//! each place, the rule whose regex matches earliest wins, the first listed on a tie; a
//! `begin`/`end` region stays open until its `end` matches, across lines — and every keyword of
//! the pest grammar (both spellings), comment, string and number must get its scope.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

const GRAMMAR: &str = "editors/vscode/syntaxes/jixiao.tmLanguage.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn grammar_json() -> Value {
    serde_json::from_str(&read(GRAMMAR)).unwrap_or_else(|e| panic!("{GRAMMAR}: {e}"))
}

/// Every `match`, `begin` and `end` regex of the grammar, wherever it is nested.
fn regexes<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("match" | "begin" | "end", Value::String(regex)) => out.push(regex),
                    _ => regexes(value, out),
                }
            }
        }
        Value::Array(values) => values.iter().for_each(|value| regexes(value, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------- the grammar's rules

/// One rule of the grammar.
struct Rule {
    /// Its `name`: the scope it gives (empty when it has none).
    scope: String,
    kind: Kind,
}

enum Kind {
    /// `match`: one stretch of a line.
    Match(Regex),
    /// `begin` … `end`: a region, which may span lines; `inner` are its own `patterns`, which
    /// the `end` is not looked for inside (`\"` in a string).
    Region { begin: Regex, end: Regex, inner: Vec<Rule> },
}

impl Rule {
    /// Where the rule first matches from `pos` (a region: where it begins).
    fn find_at<'h>(&self, line: &'h str, pos: usize) -> Option<regex::Match<'h>> {
        match &self.kind {
            Kind::Match(regex) | Kind::Region { begin: regex, .. } => regex.find_at(line, pos),
        }
    }
}

fn compile(regex: &str) -> Regex {
    Regex::new(regex).unwrap_or_else(|e| panic!("{GRAMMAR}: {regex:?} does not compile with the regex crate: {e}"))
}

/// The rules of a `patterns` list, with `#name` includes of the repository spliced in.
fn rules(patterns: &Value, repository: &Value, depth: usize) -> Vec<Rule> {
    let Some(patterns) = patterns.as_array() else {
        return Vec::new();
    };
    patterns.iter().flat_map(|pattern| expand(pattern, repository, depth)).collect()
}

/// One pattern: an include, a rule, or a group of `patterns`.
fn expand(pattern: &Value, repository: &Value, depth: usize) -> Vec<Rule> {
    assert!(depth < 16, "{GRAMMAR}: includes nested too deep (a cycle?)");
    let text = |key: &str| pattern.get(key).and_then(Value::as_str);
    let scope = text("name").unwrap_or_default().to_string();
    if let Some(include) = text("include") {
        let Some(entry) = include.strip_prefix('#').and_then(|key| repository.get(key)) else {
            panic!("{GRAMMAR}: include {include:?} is not an entry of the repository");
        };
        expand(entry, repository, depth + 1)
    } else if let Some(regex) = text("match") {
        vec![Rule { scope, kind: Kind::Match(compile(regex)) }]
    } else if let Some(begin) = text("begin") {
        let Some(end) = text("end") else {
            panic!("{GRAMMAR}: the region {begin:?} has no end");
        };
        let inner = rules(&pattern["patterns"], repository, depth + 1);
        assert!(
            inner.iter().all(|rule| matches!(rule.kind, Kind::Match(_))),
            "{GRAMMAR}: a region inside the region {begin:?} is not read by this test"
        );
        vec![Rule { scope, kind: Kind::Region { begin: compile(begin), end: compile(end), inner } }]
    } else if pattern.get("patterns").is_some() {
        rules(&pattern["patterns"], repository, depth + 1)
    } else {
        panic!("{GRAMMAR}: a pattern with no include, match, begin or patterns: {pattern}")
    }
}

/// The grammar's top-level rules, in order.
fn top_rules(grammar: &Value) -> Vec<Rule> {
    rules(&grammar["patterns"], &grammar["repository"], 0)
}

// ---------------------------------------------------------------- tokenising

/// A scoped stretch of one line: bytes `start..end`.
struct Token<'g> {
    start: usize,
    end: usize,
    scope: &'g str,
}

/// A region left open: its scope, its end, and the patterns its end is not looked for inside.
#[derive(Clone, Copy)]
struct Open<'g> {
    scope: &'g str,
    end: &'g Regex,
    inner: &'g [Rule],
}

/// The rule that matches first from `pos`, the earliest listed on a tie (TextMate's choice).
///
/// `cache` holds each rule's match from an earlier search on the same line: while it lies at or
/// after `pos` a new search would find it again, so only rules whose match was passed are
/// searched anew.
fn earliest<'h>(
    rules: &[Rule],
    line: &'h str,
    pos: usize,
    cache: &mut [Option<Option<regex::Match<'h>>>],
) -> Option<(usize, regex::Match<'h>)> {
    let mut best: Option<(usize, regex::Match<'h>)> = None;
    for (index, rule) in rules.iter().enumerate() {
        let found = match cache[index] {
            Some(found) if found.is_none_or(|m| m.start() >= pos) => found,
            _ => {
                let found = rule.find_at(line, pos);
                cache[index] = Some(found);
                found
            }
        };
        let Some(found) = found else { continue };
        assert!(!found.is_empty(), "{GRAMMAR}: a {:?} rule matches the empty string in {line:?}", rule.scope);
        if best.is_none_or(|(_, b)| found.start() < b.start()) {
            best = Some((index, found));
        }
    }
    best
}

impl<'g> Open<'g> {
    /// Where the region ends on this line, looking from `pos`: past the end's match.
    fn close(&self, line: &str, mut pos: usize) -> Option<usize> {
        loop {
            let end = self.end.find_at(line, pos);
            let skip = earliest(self.inner, line, pos, &mut vec![None; self.inner.len()]);
            match (end, skip) {
                // An inner pattern first (an escape): the end is looked for after it.
                (Some(end), Some((_, skip))) if skip.start() < end.start() => pos = skip.end(),
                (Some(end), _) => return Some(end.end()),
                (None, Some((_, skip))) => pos = skip.end(),
                (None, None) => return None,
            }
        }
    }
}

/// Tokenises the lines of one file in order: a region open at the end of a line (a block
/// comment) goes on in the next.
struct Tokenizer<'g> {
    top: &'g [Rule],
    open: Option<Open<'g>>,
}

impl<'g> Tokenizer<'g> {
    fn new(top: &'g [Rule]) -> Self {
        Tokenizer { top, open: None }
    }

    fn line(&mut self, line: &str) -> Vec<Token<'g>> {
        let mut tokens = Vec::new();
        let mut cache = vec![None; self.top.len()];
        let mut pos = 0;
        let mut region_start = 0;
        loop {
            if let Some(open) = self.open {
                let Some(end) = open.close(line, pos) else {
                    tokens.push(Token { start: region_start, end: line.len(), scope: open.scope });
                    return tokens;
                };
                tokens.push(Token { start: region_start, end, scope: open.scope });
                self.open = None;
                pos = end;
            }
            let Some((index, found)) = earliest(self.top, line, pos, &mut cache) else {
                return tokens;
            };
            // Through a copy of the reference: the rule borrows the grammar, not the tokenizer.
            let top = self.top;
            let rule = &top[index];
            match &rule.kind {
                Kind::Match(_) => tokens.push(Token { start: found.start(), end: found.end(), scope: &rule.scope }),
                Kind::Region { end, inner, .. } => {
                    self.open = Some(Open { scope: &rule.scope, end, inner });
                    region_start = found.start();
                }
            }
            pos = found.end();
        }
    }
}

/// The tokens of a one-line text, as `(text, scope)`.
fn tokens_of<'g>(top: &'g [Rule], text: &str) -> Vec<(String, &'g str)> {
    let tokens = Tokenizer::new(top).line(text);
    tokens.iter().map(|t| (text[t.start..t.end].to_string(), t.scope)).collect()
}

// ---------------------------------------------------------------- the language's words

/// A letter, mark, ASCII digit or `_`: the pest grammar's `name_char`. A keyword is a whole
/// word: no name character right before or after it.
static NAME_CHAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}0-9_]$").unwrap());

fn is_name_char(c: Option<char>) -> bool {
    c.is_some_and(|c| NAME_CHAR.is_match(c.encode_utf8(&mut [0; 4])))
}

/// A whole string as the pest grammar reads one: straight quotes with `\` escapes, or Chinese
/// quotes; neither crosses a line.
static STRING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"^(?:"(?:[^"\\]|\\.)*"|“[^”]*”)$"#).unwrap());

/// A whole number with its percent sign, half- or full-width: `3000`, `0.5`, `97%`, `９７％`.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[0-9０-９]+(?:\.[0-9０-９]+)?[%％]?$").unwrap());

/// One spelling of a keyword or function: `section`, `一级指标`, `should be`.
struct Spelling {
    /// The words, one space apart.
    text: String,
    /// The words apart by any blanks, as the pest grammar reads them.
    regex: Regex,
}

/// The spellings in the body of a pest rule: the alternatives of its first parenthesised
/// group, each the quoted words in it joined (`("should" ~ (" " | "\t")+ ~ "be") | "应为"` is
/// `should be` and `应为`; quoted blanks are not words).
fn spellings_of(body: &str) -> Vec<Spelling> {
    let mut alternatives = Vec::new();
    let mut current = String::new();
    let mut depth = 0_usize;
    let mut quoted = false;
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if quoted {
            current.push(c);
            if c == '\\' {
                current.extend(chars.next());
            } else if c == '"' {
                quoted = false;
            }
            continue;
        }
        match c {
            '(' => depth += 1,
            ')' if depth == 1 => {
                alternatives.push(std::mem::take(&mut current));
                break;
            }
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 1 => {
                alternatives.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        quoted = c == '"';
        if depth >= 1 {
            current.push(c);
        }
    }
    let word = Regex::new(r#""(\w+)""#).unwrap();
    alternatives
        .iter()
        .map(|alternative| {
            let words: Vec<&str> = word.captures_iter(alternative).map(|c| c.extract::<1>().1[0]).collect();
            assert!(!words.is_empty(), "grammar/jixiao.pest: no quoted word in the alternative {alternative:?}");
            let pattern: Vec<String> = words.iter().map(|&w| regex::escape(w)).collect();
            Spelling { text: words.join(" "), regex: Regex::new(&pattern.join(r"[ \t]+")).unwrap() }
        })
        .collect()
}

/// Every spelling of every `kw_*` rule of the pest grammar, checked to be an English and a
/// Chinese one at least.
fn keyword_spellings() -> Vec<Spelling> {
    let pest = read("grammar/jixiao.pest");
    let rule = Regex::new(r"(?m)^kw_(\w+)\s*=\s*@\{(.*)\}\s*$").unwrap();
    let mut spellings = Vec::new();
    for found in rule.captures_iter(&pest) {
        let (_, [name, body]) = found.extract();
        let these = spellings_of(body);
        assert!(these.len() >= 2, "grammar/jixiao.pest: kw_{name} has {} spellings, not two", these.len());
        spellings.extend(these);
    }
    assert!(spellings.len() >= 80, "grammar/jixiao.pest: only {} keyword spellings found", spellings.len());
    spellings
}

/// The spellings of the pest grammar's `function` rule.
fn function_spellings() -> Vec<Spelling> {
    let pest = read("grammar/jixiao.pest");
    let rule = Regex::new(r"(?ms)^function\s*=\s*@\{(.*?)\}").unwrap();
    let Some(found) = rule.captures(&pest) else {
        panic!("grammar/jixiao.pest: no function rule");
    };
    let spellings = spellings_of(&found[1]);
    assert!(spellings.len() >= 8, "grammar/jixiao.pest: only {} function spellings found", spellings.len());
    spellings
}

/// Every `.jx` file under `dir`, sorted.
fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
        let path = entry.path();
        if path.is_dir() {
            rule_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "jx") {
            out.push(path);
        }
    }
    out.sort();
}

// ---------------------------------------------------------------- tests

#[test]
fn every_regex_compiles_with_the_regex_crate() {
    let grammar = grammar_json();
    assert_eq!(grammar["scopeName"], "source.jixiao");
    let mut found = Vec::new();
    regexes(&grammar, &mut found);
    assert!(found.len() >= 10, "{GRAMMAR}: only {} regexes found", found.len());
    let failures: Vec<String> =
        found.iter().filter_map(|regex| Regex::new(regex).err().map(|e| format!("{regex:?}: {e}"))).collect();
    assert!(failures.is_empty(), "{GRAMMAR}: regexes the regex crate does not read:\n{}", failures.join("\n"));
}

#[test]
fn every_keyword_and_function_spelling_is_highlighted_as_one() {
    let grammar = grammar_json();
    let top = top_rules(&grammar);
    let words = [("keyword", keyword_spellings()), ("support.function", function_spellings())];
    for (prefix, spellings) in words {
        for spelling in &spellings {
            let text = &spelling.text;
            let tokens = tokens_of(&top, text);
            assert!(
                matches!(tokens.as_slice(), [(whole, scope)] if whole == text && scope.starts_with(prefix)),
                "`{text}` alone should be one {prefix} token, is {tokens:?}"
            );
            // Glued to name characters it is part of a name, as in the pest grammar.
            for glued in [format!("{text}4"), format!("_{text}"), format!("名{text}")] {
                let tokens = tokens_of(&top, &glued);
                assert!(
                    tokens.iter().all(|(_, scope)| !scope.starts_with("keyword.") && !scope.starts_with("support.")),
                    "`{glued}` is a name, not a {prefix}: {tokens:?}"
                );
            }
        }
    }
}

#[test]
fn samples_are_highlighted_as_expected() {
    let grammar = grammar_json();
    let top = top_rules(&grammar);
    // A text (lines apart by `\n`) and its tokens: text, and the start of the scope.
    let samples: &[(&str, &[(&str, &str)])] = &[
        (
            "一级指标 预算执行 分值 10 单列 {",
            &[
                ("一级指标", "keyword.control"),
                ("预算执行", "variable.other"),
                ("分值", "keyword.other"),
                ("10", "constant.numeric"),
                ("单列", "keyword.other"),
                ("{", "punctuation"),
            ],
        ),
        (
            "目标值 ＞＝ ９７％；target >= 3000台",
            &[
                ("目标值", "keyword"),
                ("＞＝", "keyword.operator"),
                ("９７％", "constant.numeric"),
                ("；", "punctuation"),
                ("target", "keyword"),
                (">=", "keyword.operator"),
                ("3000", "constant.numeric"),
                ("台", "variable.other"),
            ],
        ),
        (
            "目标值 不晚于 2019年12月31日; target by 2019-12",
            &[
                ("目标值", "keyword"),
                ("不晚于", "keyword"),
                ("2019年12月31日", "constant.other.date"),
                (";", "punctuation"),
                ("target", "keyword"),
                ("by", "keyword"),
                ("2019-12", "constant.other.date"),
            ],
        ),
        (
            r#"单位 "a\"b" 总体目标 “曲引号” // 注释 分值"#,
            &[
                ("单位", "keyword"),
                (r#""a\"b""#, "string"),
                ("总体目标", "keyword"),
                ("“曲引号”", "string"),
                ("// 注释 分值", "comment.line"),
            ],
        ),
        (
            "actual `12315满意率` should  be 97.94% within 0.01%",
            &[
                ("actual", "keyword"),
                ("`12315满意率`", "variable.other.quoted"),
                ("should  be", "keyword"),
                ("97.94%", "constant.numeric"),
                ("within", "keyword"),
                ("0.01%", "constant.numeric"),
            ],
        ),
        // A keyword glued to name characters is part of the name.
        (
            "项目名称 分值4 metric",
            &[("项目名称", "variable.other"), ("分值4", "variable.other"), ("metric", "variable.other")],
        ),
        (
            "完成值 = 最小(全年执行数 / 到位资金, 1) × 2",
            &[
                ("完成值", "keyword"),
                ("=", "keyword.operator"),
                ("最小", "support.function"),
                ("(", "punctuation"),
                ("全年执行数", "variable.other"),
                ("/", "keyword.operator"),
                ("到位资金", "variable.other"),
                (",", "punctuation"),
                ("1", "constant.numeric"),
                (")", "punctuation"),
                ("×", "keyword.operator"),
                ("2", "constant.numeric"),
            ],
        ),
        // A block comment goes on across lines; a string stops at the end of its line.
        (
            "/* 分值 10\n 分值 */ 分值 \"open 分值\n分值",
            &[
                ("/* 分值 10", "comment.block"),
                (" 分值 */", "comment.block"),
                ("分值", "keyword"),
                ("\"open 分值", "string"),
                ("分值", "keyword"),
            ],
        ),
    ];
    for (text, expected) in samples {
        let mut tokenizer = Tokenizer::new(&top);
        let mut found = Vec::new();
        for line in text.split('\n') {
            found.extend(tokenizer.line(line).iter().map(|t| (line[t.start..t.end].to_string(), t.scope)));
        }
        let matches = found.len() == expected.len()
            && found
                .iter()
                .zip(expected.iter())
                .all(|((text, scope), (want, prefix))| text == want && scope.starts_with(prefix));
        assert!(matches, "{text:?}:\n  expected {expected:?}\n  found    {found:?}");
    }
}

/// How many places of each kind the rule files checked, and where they were scoped wrongly.
#[derive(Default)]
struct Report {
    keywords: usize,
    comments: usize,
    strings: usize,
    numbers: usize,
    failures: Vec<String>,
}

impl Report {
    /// Checks one tokenised line: `at` is `path:line` for messages.
    fn check(&mut self, at: &str, line: &str, tokens: &[Token<'_>], keywords: &[Spelling]) {
        let token_at = |pos: usize| tokens.iter().find(|t| t.start <= pos && pos < t.end);
        let scope_at = |pos: usize| token_at(pos).map_or("", |t| t.scope);
        let inside = |pos: usize, prefixes: &[&str]| prefixes.iter().any(|p| scope_at(pos).starts_with(p));
        let column = |pos: usize| line[..pos].chars().count() + 1;
        let mut fail = |pos: usize, what: &str, text: &str| {
            let scope = scope_at(pos);
            self.failures.push(format!("{at}:{}: {what} `{text}` is scoped {scope:?}\n    {line}", column(pos)));
        };

        // (a) A keyword spelling as a whole word, outside comments, strings and `quoted names`,
        // is one keyword token.
        for spelling in keywords {
            for found in spelling.regex.find_iter(line) {
                let before = line[..found.start()].chars().next_back();
                let after = line[found.end()..].chars().next();
                if is_name_char(before)
                    || is_name_char(after)
                    || inside(found.start(), &["comment", "string", "variable.other.quoted"])
                {
                    continue;
                }
                self.keywords += 1;
                let whole = token_at(found.start()).is_some_and(|t| {
                    t.start == found.start() && t.end == found.end() && t.scope.starts_with("keyword")
                });
                if !whole {
                    fail(found.start(), "keyword", found.as_str());
                }
            }
        }
        // (b) `//` and `/*` outside strings and `quoted names` open a comment.
        for opener in ["//", "/*"] {
            for (pos, text) in line.match_indices(opener) {
                if inside(pos, &["string", "variable.other.quoted"]) {
                    continue;
                }
                self.comments += 1;
                if !inside(pos, &["comment"]) {
                    fail(pos, "comment", text);
                }
            }
        }
        // The comments, strings and numbers are no longer than the language reads them: a `//`
        // comment runs to the end of its line, a string to its closing quote, a number is one.
        for token in tokens {
            let text = &line[token.start..token.end];
            let shape_ok = if token.scope.starts_with("comment") {
                !text.starts_with("//") || token.end == line.len()
            } else if token.scope.starts_with("string") {
                STRING.is_match(text)
            } else if token.scope.starts_with("constant.numeric") {
                NUMBER.is_match(text)
            } else {
                true
            };
            if !shape_ok {
                fail(token.start, "token", text);
            }
        }
        for (pos, c) in line.char_indices() {
            let text = &line[pos..pos + c.len_utf8()];
            // (c) A digit outside comments, strings, names and dates is part of a number.
            if c.is_ascii_digit() || ('０'..='９').contains(&c) {
                if inside(pos, &["comment", "string", "variable.other", "constant.other.date"]) {
                    continue;
                }
                self.numbers += 1;
                if !inside(pos, &["constant.numeric"]) {
                    fail(pos, "digit", text);
                }
            }
            // (d) A quote outside comments and `quoted names` is part of a string.
            if matches!(c, '"' | '“' | '”') {
                if inside(pos, &["comment", "variable.other.quoted"]) {
                    continue;
                }
                self.strings += 1;
                if !inside(pos, &["string"]) {
                    fail(pos, "quote", text);
                }
            }
        }
    }
}

#[test]
fn every_rule_file_is_highlighted_as_the_language_reads_it() {
    let grammar = grammar_json();
    let top = top_rules(&grammar);
    let keywords = keyword_spellings();
    let mut files = Vec::new();
    rule_files(&root().join("rules"), &mut files);
    assert!(!files.is_empty(), "no .jx file under rules/");

    let mut report = Report::default();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.strip_prefix(root()).unwrap_or(path).display().to_string();
        let mut tokenizer = Tokenizer::new(&top);
        for (number, line) in text.lines().enumerate() {
            let tokens = tokenizer.line(line);
            report.check(&format!("{name}:{}", number + 1), line, &tokens, &keywords);
        }
    }

    let shown = report.failures.len().min(30);
    assert!(
        report.failures.is_empty(),
        "{} places under rules/ highlighted wrongly by {GRAMMAR} (first {shown}):\n{}",
        report.failures.len(),
        report.failures[..shown].join("\n")
    );
    // The rule files exercised every check (a grammar that matched nothing would pass otherwise).
    for (kind, count) in [
        ("keywords", report.keywords),
        ("comments", report.comments),
        ("strings", report.strings),
        ("numbers", report.numbers),
    ] {
        assert!(count >= 100, "only {count} {kind} checked under rules/");
    }
}
