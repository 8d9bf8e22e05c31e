//! `jixiao fmt`: one canonical layout for rule files.
//!
//! The parser decision: the formatter prints from pest's parse tree, which
//! holds every token with its span and its spelling (so keywords stay in the
//! language the author wrote); comments, which the grammar skips, are found
//! by a scanner over the same text and put back by position. The grammar
//! stays the one definition of the language — no second parser.
//!
//! The layout (README, "Formatting"):
//! - four spaces per block level; `{` on the line of what opens it;
//! - a scheme, project, section, group or test block has one statement per
//!   line; an indicator or checklist block stays on one line (`; ` between
//!   statements) when it holds no comment and fits in 120 display columns;
//! - tokens separated by one space, none inside parentheses or before `,`,
//!   `:` or `)`; a number and its unit by one space (`3000 台`), a percent
//!   attached (`95%`); full-width punctuation outside strings and comments
//!   made ASCII;
//! - a statement longer than the width breaks before `else` (an `if` chain)
//!   or before `+`/`-` (a sum), continuing under the expression's start;
//! - comments kept where they were: on their own line, or after a statement;
//!   trailing comments on consecutive lines aligned two spaces after the
//!   longest; blank lines between statements kept, runs collapsed to one.

use pest::Parser;
use pest::iterators::Pair;
use unicode_width::UnicodeWidthStr;

use crate::syntax::ends::Ends;
use crate::syntax::grammar::{JixiaoParser, Rule};

/// The display width a line may take.
pub const WIDTH: usize = 120;

/// Keywords in which language: as written, or all in one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keywords {
    AsWritten,
    En,
    Zh,
}

/// The text in the canonical layout; `None` when it does not parse (its
/// diagnostics say why).
pub fn format(text: &str, keywords: Keywords) -> Option<String> {
    let mut pairs = JixiaoParser::parse(Rule::file, text).ok()?;
    let file = pairs.next()?;
    let mut f = Formatter {
        text,
        comments: comments(text),
        next_comment: 0,
        keywords,
        out: Vec::new(),
        last_comment_end: None,
        ends: Ends::default(),
    };
    let items: Vec<Pair<'_, Rule>> = file.into_inner().filter(|p| p.as_rule() != Rule::EOI).collect();
    f.items(&items, 0);
    f.flush_comments(text.len(), 0, true);
    Some(f.finish())
}

/// A comment in the source: where it is, and whether code precedes it on its line.
struct Comment {
    start: usize,
    text: String,
    own_line: bool,
}

/// Every comment of a rule file, as written (for the law that none is lost).
pub fn comment_texts(text: &str) -> Vec<String> {
    comments(text).into_iter().map(|c| c.text).collect()
}

/// Every `//` and `/* */` comment outside strings and backtick names.
fn comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '`' | '“' => {
                let close = match c {
                    '“' => '”',
                    other => other,
                };
                while let Some((_, d)) = chars.next() {
                    if d == '\\' && c == '"' {
                        chars.next();
                    } else if d == close || d == '\n' {
                        break;
                    }
                }
            }
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                out.push(comment(text, i, end));
                while chars.peek().is_some_and(|(j, _)| *j < end) {
                    chars.next();
                }
            }
            '/' if matches!(chars.peek(), Some((_, '*'))) => {
                let end = text[i + 2..].find("*/").map_or(text.len(), |e| i + 2 + e + 2);
                out.push(comment(text, i, end));
                while chars.peek().is_some_and(|(j, _)| *j < end) {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

fn comment(text: &str, start: usize, end: usize) -> Comment {
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let own_line = text[line_start..start].trim().is_empty();
    Comment { start, text: text[start..end].trim_end().to_string(), own_line }
}

/// A line of output: its indentation, code, and a trailing comment.
struct Line {
    indent: usize,
    code: String,
    trailing: Option<String>,
}

struct Formatter<'t> {
    text: &'t str,
    comments: Vec<Comment>,
    next_comment: usize,
    keywords: Keywords,
    out: Vec<Line>,
    /// Where the last own-line comment flushed ends.
    last_comment_end: Option<usize>,
    /// Where each pair's last token ends (pest's span can swallow what follows).
    ends: Ends,
}

/// The end of the comment starting at `start`.
fn c_end(text: &str, start: usize) -> usize {
    if text[start..].starts_with("/*") {
        text[start + 2..].find("*/").map_or(text.len(), |e| start + 2 + e + 2)
    } else {
        text[start..].find('\n').map_or(text.len(), |e| start + e)
    }
}

/// Blocks that always hold one statement per line.
fn always_broken(rule: Rule) -> bool {
    matches!(rule, Rule::scheme | Rule::project | Rule::section | Rule::group | Rule::test_decl)
}

impl Formatter<'_> {
    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.code.is_empty() || l.trailing.is_some()) {
            self.out.push(Line { indent: 0, code: String::new(), trailing: None });
        }
    }

    /// A comment after the last line: trailing it, or — when the line already
    /// ends in a `//` comment, which would swallow it — on a line of its own.
    fn attach(&mut self, text: String) {
        let Some(line) = self.out.last_mut() else { return };
        match line.trailing.take() {
            None => line.trailing = Some(text),
            Some(t) if t.starts_with("//") => {
                line.trailing = Some(t);
                let indent = line.indent;
                self.out.push(Line { indent, code: String::new(), trailing: Some(text) });
            }
            Some(t) => line.trailing = Some(format!("{t} {text}")),
        }
    }

    fn push(&mut self, indent: usize, code: String) {
        self.out.push(Line { indent, code, trailing: None });
    }

    /// Whether the source has a blank line between `from` and `to`.
    fn blank_between(&self, from: usize, to: usize) -> bool {
        let parts: Vec<&str> = self.text[from.min(to)..to].split('\n').collect();
        parts.len() >= 3 && parts[1..parts.len() - 1].iter().any(|p| p.trim().is_empty())
    }

    /// Own-line comments before `pos`, each on its line; `last` also takes a
    /// trailing comment that ends the file.
    fn flush_comments(&mut self, pos: usize, indent: usize, last: bool) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= pos && !last {
                break;
            }
            if c.start >= pos && last && c.start > pos {
                break;
            }
            let (start, text, own_line) = (c.start, c.text.clone(), c.own_line);
            self.next_comment += 1;
            if !own_line && !self.out.is_empty() {
                self.attach(text);
                continue;
            }
            let previous_end = self.previous_end(start);
            if self.blank_between(previous_end, start) {
                self.blank();
            }
            self.push(indent, text);
            self.last_comment_end = Some(c_end(self.text, start));
        }
    }

    /// Where the code or comment before `pos` ends in the source.
    fn previous_end(&self, pos: usize) -> usize {
        self.text[..pos].trim_end().len()
    }

    /// A trailing comment on the source line where `end` is.
    fn take_trailing(&mut self, end: usize) {
        let line_end = self.text[end..].find('\n').map_or(self.text.len(), |n| end + n);
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.own_line || c.start < end || c.start >= line_end {
                break;
            }
            let text = c.text.clone();
            self.next_comment += 1;
            self.attach(text);
        }
    }

    /// Statements of a block (or the file), one after another.
    fn items(&mut self, items: &[Pair<'_, Rule>], indent: usize) {
        let mut previous: Option<usize> = None;
        for item in items {
            let start = item.as_span().start();
            let leading =
                self.comments.get(self.next_comment).filter(|c| c.start < start && c.own_line).map(|c| c.start);
            let first = leading.unwrap_or(start);
            if let Some(end) = previous
                && self.blank_between(end, first)
            {
                self.blank();
            }
            self.last_comment_end = None;
            self.flush_comments(start, indent, false);
            // A blank line between the last comment and the statement stays.
            if let Some(comment_end) = self.last_comment_end
                && self.blank_between(comment_end, start)
            {
                self.blank();
            }
            self.statement(item, indent);
            let end = self.ends.of(item);
            self.take_trailing(end);
            previous = Some(end);
        }
    }

    /// One statement: tokens, perhaps ending in a block.
    fn statement(&mut self, pair: &Pair<'_, Rule>, indent: usize) {
        let stop = self.ends.of(pair);
        // A block inside (at the statement's end): its head and its items.
        if let Some((block, head)) = self.find_block(pair) {
            let rule = block.as_rule();
            let children: Vec<Pair<'_, Rule>> = block.clone().into_inner().collect();
            let open = children.iter().position(|c| c.as_rule() == Rule::lbrace).unwrap_or(0);
            let close = children.iter().rposition(|c| c.as_rule() == Rule::rbrace).unwrap_or(children.len());
            let mut head_tokens = head;
            for c in &children[..open] {
                self.tokens(c, &mut head_tokens);
            }
            let inner: Vec<Pair<'_, Rule>> = children[open + 1..close].to_vec();
            let head_text = join(&head_tokens);
            let (block_start, block_end) = (block.as_span().start(), self.ends.of(&block));
            let has_comment = self.comments.iter().any(|c| c.start > block_start && c.start < block_end);
            if !always_broken(rule) && !has_comment {
                let parts: Option<Vec<String>> = inner.iter().map(|i| self.one_line(i)).collect();
                if let Some(parts) = parts {
                    let line = if parts.is_empty() {
                        format!("{head_text} {{}}")
                    } else {
                        format!("{head_text} {{ {} }}", parts.join("; "))
                    };
                    if indent * 4 + line.width() <= WIDTH {
                        self.push(indent, line);
                        return;
                    }
                }
            }
            self.push(indent, format!("{head_text} {{"));
            self.take_trailing(children[open].as_span().end());
            self.items(&inner, indent + 1);
            let close_pos = children.get(close).map_or(stop, |c| c.as_span().start());
            self.flush_comments(close_pos, indent + 1, false);
            self.push(indent, "}".into());
            return;
        }
        let mut tokens = Vec::new();
        self.tokens(pair, &mut tokens);
        let line = join(&tokens);
        // A statement whose expression holds comments breaks where it can, so
        // each comment stays with the branch or term it follows.
        let start = pair.as_span().start();
        let inner_comments = self.comments[self.next_comment..].iter().any(|c| c.start > start && c.start < stop);
        if indent * 4 + line.width() <= WIDTH && !inner_comments {
            self.push(indent, line);
        } else {
            self.broken(pair, indent, stop);
        }
        // Comments inside the statement that no piece took follow it.
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= stop || c.start < start {
                break;
            }
            let text = c.text.clone();
            self.next_comment += 1;
            self.attach(text);
        }
    }

    /// The pair that holds the statement's `{ … }`, and the tokens before it.
    fn find_block<'i>(&self, pair: &Pair<'i, Rule>) -> Option<(Pair<'i, Rule>, Vec<Tok>)> {
        if pair.clone().into_inner().any(|c| c.as_rule() == Rule::lbrace) {
            return Some((pair.clone(), Vec::new()));
        }
        let children: Vec<Pair<'i, Rule>> = pair.clone().into_inner().collect();
        let last = children.last()?;
        let (block, mut inner_head) = self.find_block(last)?;
        let mut head = Vec::new();
        for c in &children[..children.len() - 1] {
            self.tokens(c, &mut head);
        }
        head.append(&mut inner_head);
        Some((block, head))
    }

    /// A statement on one line, or `None` when it holds a block.
    fn one_line(&self, pair: &Pair<'_, Rule>) -> Option<String> {
        if self.find_block(pair).is_some() {
            return None;
        }
        let mut tokens = Vec::new();
        self.tokens(pair, &mut tokens);
        Some(join(&tokens))
    }

    /// A statement too long for one line: broken in its expression.
    fn broken(&mut self, pair: &Pair<'_, Rule>, indent: usize, stop: usize) {
        let children: Vec<Pair<'_, Rule>> = pair.clone().into_inner().collect();
        let Some(at) = children.iter().position(|c| c.as_rule() == Rule::expr) else {
            let mut tokens = Vec::new();
            self.tokens(pair, &mut tokens);
            self.push(indent, join(&tokens));
            return;
        };
        let mut prefix = Vec::new();
        for c in &children[..at] {
            self.tokens(c, &mut prefix);
        }
        let prefix = join(&prefix);
        let (segments, own_lines) = self.segments(&children[at]);
        let column = indent * 4 + prefix.width() + 1;
        // Each line with where in the source its last piece ends.
        let mut lines: Vec<(String, usize)> = vec![(format!("{prefix} {}", segments[0].0), segments[0].1)];
        for (segment, segment_end) in &segments[1..] {
            let comment_before = self.comments[self.next_comment..]
                .iter()
                .any(|c| lines.last().is_some_and(|(_, e)| c.start > *e) && c.start < *segment_end);
            let last = lines.last_mut().map(|(l, e)| (indent * 4 + l.width(), l, e));
            match last {
                Some((width, line, end)) if !own_lines && !comment_before && width + 1 + segment.width() <= WIDTH => {
                    line.push(' ');
                    line.push_str(segment);
                    *end = *segment_end;
                }
                _ => lines.push((format!("{}{segment}", " ".repeat(column - indent * 4)), *segment_end)),
            }
        }
        // A comment inside the expression goes with the line it follows.
        let count = lines.len();
        for (k, (line, _)) in lines.iter().enumerate() {
            self.push(indent, line.clone());
            let until = lines.get(k + 1).map_or(stop, |(_, e)| *e);
            let _ = count;
            while let Some(c) = self.comments.get(self.next_comment) {
                if c.start >= until || c.start >= stop {
                    break;
                }
                let text = c.text.clone();
                self.next_comment += 1;
                self.attach(text);
            }
        }
    }

    /// An expression cut where it may break, and whether each piece takes a
    /// line of its own: an `if` chain before each `else` (one branch per
    /// line), a sum before each `+`/`-` (as many terms per line as fit).
    fn segments(&self, expr: &Pair<'_, Rule>) -> (Vec<(String, usize)>, bool) {
        let whole = || {
            let mut t = Vec::new();
            self.tokens(expr, &mut t);
            (vec![(join(&t), self.ends.of(expr))], false)
        };
        let Some(inner) = expr.clone().into_inner().next() else { return whole() };
        match inner.as_rule() {
            Rule::if_expr => (self.chain(&inner), true),
            // A sum, or a comparison of sums: before each `+`/`-`, and before the comparison.
            Rule::comparison => {
                let mut out: Vec<(String, usize)> = Vec::new();
                let mut current = Vec::new();
                let mut current_end = 0;
                for side in inner.clone().into_inner() {
                    let pieces: Vec<Pair<'_, Rule>> = match side.as_rule() {
                        Rule::sum => side.clone().into_inner().collect(),
                        _ => vec![side.clone()],
                    };
                    for c in pieces {
                        let breaks = matches!(c.as_rule(), Rule::add_op | Rule::compare_op);
                        if breaks && !current.is_empty() {
                            out.push((join(&current), current_end));
                            current.clear();
                        }
                        self.tokens(&c, &mut current);
                        current_end = self.ends.of(&c);
                    }
                }
                out.push((join(&current), current_end));
                (out, false)
            }
            _ => whole(),
        }
    }

    /// The branches of an `if` chain: `if C then A`, `else if C2 then B`, `else D`.
    fn chain(&self, if_expr: &Pair<'_, Rule>) -> Vec<(String, usize)> {
        let parts: Vec<Pair<'_, Rule>> = if_expr.clone().into_inner().collect();
        let at = parts.iter().position(|c| c.as_rule() == Rule::kw_else).unwrap_or(parts.len());
        let mut head = Vec::new();
        for c in &parts[..at] {
            self.tokens(c, &mut head);
        }
        let head_end = parts[..at].last().map_or_else(|| self.ends.of(if_expr), |p| self.ends.of(p));
        let mut out = vec![(join(&head), head_end)];
        let (Some(else_kw), Some(rest)) = (parts.get(at), parts.get(at + 1)) else { return out };
        let else_word = self.keyword(Rule::kw_else, else_kw.as_str());
        match rest.clone().into_inner().next().filter(|p| p.as_rule() == Rule::if_expr) {
            Some(next) => {
                let mut branches = self.chain(&next);
                branches[0].0 = format!("{else_word} {}", branches[0].0);
                out.extend(branches);
            }
            None => {
                let mut tail = Vec::new();
                self.tokens(rest, &mut tail);
                out.push((format!("{else_word} {}", join(&tail)), self.ends.of(rest)));
            }
        }
        out
    }

    /// The tokens of a pair, normalised.
    fn tokens(&self, pair: &Pair<'_, Rule>, out: &mut Vec<Tok>) {
        let rule = pair.as_rule();
        let text = pair.as_str();
        match rule {
            Rule::name | Rule::string | Rule::date => out.push(Tok::word(text)),
            Rule::number => out.push(Tok::word(&ascii_digits(text))),
            Rule::quantity | Rule::literal => {
                let mut number = String::new();
                let mut unit = None;
                let mut percent = false;
                for c in pair.clone().into_inner() {
                    match c.as_rule() {
                        Rule::number => number = ascii_digits(c.as_str()),
                        Rule::percent_sign => percent = true,
                        Rule::unit_name if c.as_str().trim() == "%" || c.as_str().trim() == "％" => percent = true,
                        Rule::unit_name => unit = Some(c.as_str().trim().replace('／', "/")),
                        _ => {}
                    }
                }
                out.push(Tok::word(&number));
                if percent {
                    if let Some(last) = out.last_mut() {
                        last.text.push('%');
                    }
                } else if let Some(u) = unit {
                    out.push(Tok::word(&u));
                }
            }
            Rule::unit_name => out.push(Tok::word(&text.replace('／', "/").replace('％', "%"))),
            Rule::negate => out.push(Tok { text: "-".into(), kind: Kind::Unary }),
            Rule::lparen => out.push(Tok { text: "(".into(), kind: Kind::Open }),
            Rule::rparen => out.push(Tok { text: ")".into(), kind: Kind::Close }),
            Rule::range_open => out.push(Tok { text: ascii_punct(text), kind: Kind::Bracket }),
            Rule::range_close => out.push(Tok { text: ascii_punct(text), kind: Kind::Close }),
            Rule::comma => out.push(Tok { text: ",".into(), kind: Kind::Comma }),
            Rule::colon => out.push(Tok { text: ":".into(), kind: Kind::Comma }),
            Rule::percent_sign => match out.last_mut() {
                Some(last) => last.text.push('%'),
                None => out.push(Tok::word("%")),
            },
            Rule::direction | Rule::compare_op | Rule::add_op | Rule::mul_op | Rule::assign => {
                out.push(Tok::word(&ascii_punct(text)))
            }
            Rule::function => out.push(Tok { text: self.keyword(rule, text), kind: Kind::Callee }),
            r if is_keyword(r) => out.push(Tok::word(&self.keyword(r, text))),
            Rule::lbrace | Rule::rbrace => {}
            _ => {
                let children: Vec<Pair<'_, Rule>> = pair.clone().into_inner().collect();
                if children.is_empty() {
                    // A literal token of the grammar (`>=` in a review rule, `[` …).
                    out.push(Tok::word(&ascii_punct(text.trim())));
                    return;
                }
                // Tokens the grammar writes as literals between children.
                let mut at = pair.as_span().start();
                for c in &children {
                    let gap = &self.text[at..c.as_span().start()];
                    self.literal_tokens(gap, out);
                    let before = out.len();
                    self.tokens(c, out);
                    // A name right before `(` is called (`max(`, `method x(`).
                    if matches!(c.as_rule(), Rule::name) && out.len() == before + 1 {
                        out[before].kind = Kind::Callee;
                    }
                    at = c.as_span().end();
                }
                let gap = &self.text[at..pair.as_span().end()];
                self.literal_tokens(gap, out);
            }
        }
    }

    /// Literal tokens in a gap between a pair's children (`>=`, `×`, `%`),
    /// with comments and spaces left out.
    fn literal_tokens(&self, gap: &str, out: &mut Vec<Tok>) {
        let mut cleaned = String::new();
        let mut rest = gap;
        // The earliest comment first: `/* a */ // b` is two comments, not code.
        while !rest.is_empty() {
            let line = rest.find("//");
            let block = rest.find("/*");
            match (line, block) {
                (Some(i), b) if b.is_none_or(|b| i < b) => {
                    cleaned.push_str(&rest[..i]);
                    rest = rest[i..].find('\n').map_or("", |n| &rest[i + n..]);
                }
                (_, Some(i)) => {
                    cleaned.push_str(&rest[..i]);
                    rest = rest[i..].find("*/").map_or("", |n| &rest[i + n + 2..]);
                }
                _ => {
                    cleaned.push_str(rest);
                    rest = "";
                }
            }
        }
        for word in cleaned.split_whitespace() {
            let word = word.trim_matches(|c| c == ';' || c == '；');
            if !word.is_empty() {
                out.push(Tok::word(&ascii_punct(word)));
            }
        }
    }

    fn keyword(&self, rule: Rule, text: &str) -> String {
        let Some((en, zh)) = spelling(rule, text) else { return text.to_string() };
        match self.keywords {
            Keywords::AsWritten => {
                // `should   be` is one keyword, spelt with one space.
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            Keywords::En => en.to_string(),
            Keywords::Zh => zh.to_string(),
        }
    }

    /// The lines, with trailing comments aligned within runs of consecutive lines.
    fn finish(self) -> String {
        let mut out = String::new();
        let lines = self.out;
        let mut i = 0;
        while i < lines.len() {
            // A run: consecutive lines with code and a trailing comment, at one indent.
            let mut j = i;
            while j < lines.len()
                && lines[j].trailing.is_some()
                && !lines[j].code.is_empty()
                && lines[j].indent == lines[i].indent
            {
                j += 1;
            }
            if j > i {
                let width = lines[i..j].iter().map(|l| l.code.width()).max().unwrap_or(0);
                for l in &lines[i..j] {
                    let pad = width - l.code.width() + 2;
                    let _ = writeln_line(
                        &mut out,
                        l.indent,
                        &format!("{}{}{}", l.code, " ".repeat(pad), l.trailing.as_deref().unwrap_or("")),
                    );
                }
                i = j;
                continue;
            }
            let l = &lines[i];
            let code = match (&l.trailing, l.code.is_empty()) {
                (Some(t), false) => format!("{}  {t}", l.code),
                (Some(t), true) => t.clone(),
                (None, _) => l.code.clone(),
            };
            let _ = writeln_line(&mut out, l.indent, &code);
            i += 1;
        }
        // One line break at the end, no blank lines.
        let trimmed = out.trim_end_matches('\n').to_string();
        let trimmed = trimmed.trim_start_matches('\n');
        format!("{trimmed}\n")
    }
}

fn writeln_line(out: &mut String, indent: usize, code: &str) -> std::fmt::Result {
    use std::fmt::Write as _;
    if code.is_empty() { writeln!(out) } else { writeln!(out, "{}{code}", "    ".repeat(indent)) }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    /// A name or function right before its `(`.
    Callee,
    Unary,
    Open,
    /// `[` or `(` opening a level's range.
    Bracket,
    Close,
    /// `,` and `:`.
    Comma,
}

#[derive(Clone, Debug)]
struct Tok {
    text: String,
    kind: Kind,
}

impl Tok {
    fn word(text: &str) -> Tok {
        let kind = match text {
            "(" => Kind::Open,
            ")" => Kind::Close,
            "," | ":" => Kind::Comma,
            _ => Kind::Word,
        };
        Tok { text: text.to_string(), kind }
    }
}

/// Tokens with the spaces the layout puts between them.
fn join(tokens: &[Tok]) -> String {
    let mut out = String::new();
    let mut previous: Option<Kind> = None;
    for t in tokens {
        let space = !matches!(
            (previous, t.kind),
            (None, _)
                | (_, Kind::Comma | Kind::Close)
                | (Some(Kind::Open | Kind::Bracket | Kind::Unary), _)
                | (Some(Kind::Callee), Kind::Open)
        );
        if space {
            out.push(' ');
        }
        out.push_str(&t.text);
        previous = Some(t.kind);
    }
    out
}

fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| if ('０'..='９').contains(&c) { char::from(b'0' + (c as u32 - '０' as u32) as u8) } else { c })
        .collect()
}

/// Full-width punctuation outside strings and comments, made ASCII.
fn ascii_punct(text: &str) -> String {
    let text = ascii_digits(text);
    match text.as_str() {
        "＞＝" => ">=".into(),
        "＜＝" => "<=".into(),
        "＞" => ">".into(),
        "＜" => "<".into(),
        _ => text
            .chars()
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                '，' => ',',
                '：' => ':',
                '；' => ';',
                '％' => '%',
                '＋' => '+',
                '－' => '-',
                '／' => '/',
                other => other,
            })
            .collect(),
    }
}

fn is_keyword(rule: Rule) -> bool {
    spelling(rule, "").is_some()
}

/// A keyword's English and Chinese spellings.
fn spelling(rule: Rule, text: &str) -> Option<(&'static str, &'static str)> {
    Some(match rule {
        Rule::kw_scheme => ("scheme", "方案"),
        Rule::kw_use => ("use", "引用"),
        Rule::kw_project => ("project", "项目"),
        Rule::kw_year => ("year", "年度"),
        Rule::kw_organization => ("organization", "单位"),
        Rule::kw_goal => ("goal", "总体目标"),
        Rule::kw_submitted => ("submitted", "报送"),
        Rule::kw_test => ("test", "测试"),
        Rule::kw_data => ("data", "数据文件"),
        Rule::kw_should => ("should be", "应为"),
        Rule::kw_within => ("within", "误差"),
        Rule::kw_subtotal => ("subtotal", "小计"),
        Rule::kw_refused => ("refused", "拒绝"),
        Rule::kw_result => ("result", "结果"),
        Rule::kw_figure => ("figure", "基础数据"),
        Rule::kw_section => ("section", "一级指标"),
        Rule::kw_group => ("group", "二级指标"),
        Rule::kw_indicator => ("indicator", "三级指标"),
        Rule::kw_target => ("target", "目标值"),
        Rule::kw_points => ("points", "分值"),
        Rule::kw_method => ("method", "计分方法"),
        Rule::kw_default => ("default", "默认"),
        Rule::kw_actual => ("actual", "完成值"),
        Rule::kw_expect => ("expect", "核对"),
        Rule::kw_level => ("level", "档次"),
        Rule::kw_grade => ("grade", "等级"),
        Rule::kw_total => ("total", "总分"),
        Rule::kw_unit => ("unit", "单位类别"),
        Rule::kw_count => ("count", "计数"),
        Rule::kw_amount => ("amount", "金额"),
        Rule::kw_budget => ("budget", "预算指标"),
        Rule::kw_round => ("round", "舍入"),
        Rule::kw_rate => ("rate", "得分率"),
        Rule::kw_score => ("score", "得分"),
        Rule::kw_deviation => ("deviation", "偏差率"),
        Rule::kw_half_up => ("half_up", "四舍五入"),
        Rule::kw_renamed => ("renamed from", "原名"),
        Rule::kw_if => ("if", "如果"),
        Rule::kw_then => ("then", "则"),
        Rule::kw_else => ("else", "否则"),
        Rule::kw_otherwise => ("otherwise", "其他"),
        Rule::kw_apart => ("apart", "单列"),
        Rule::kw_met => ("met", "视为达标"),
        Rule::kw_scale => ("scale", "换算"),
        Rule::kw_review => ("review", "复核"),
        Rule::kw_reason => ("reason", "偏差原因"),
        Rule::kw_evidence => ("evidence", "佐证"),
        Rule::kw_by => ("by", "不晚于"),
        Rule::kw_checklist => ("checklist", "检查清单"),
        Rule::kw_deduct => ("deduct", "每缺一项扣"),
        Rule::function => match text {
            "min" | "最小" => ("min", "最小"),
            "max" | "最大" => ("max", "最大"),
            "abs" | "绝对值" => ("abs", "绝对值"),
            "clamp" | "限定" => ("clamp", "限定"),
            "floor" | "向下取整" => ("floor", "向下取整"),
            "ceil" | "向上取整" => ("ceil", "向上取整"),
            _ => return None,
        },
        _ => return None,
    })
}

/// A unified diff of two texts (whole-file hunks of changed lines), for `fmt --check`.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // Longest common subsequence, line by line: rule files are small.
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops: Vec<(char, &str, usize, usize)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i], i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            ops.push(('+', b[j], i, j));
            j += 1;
        } else {
            ops.push(('-', a[i], i, j));
            i += 1;
        }
    }
    let mut out = format!("--- {name}\n+++ {name} (formatted)\n");
    let context = 2;
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(context);
        let mut end = (changed[k] + context + 1).min(ops.len());
        while k + 1 < changed.len() && changed[k + 1] <= end + context {
            k += 1;
            end = (changed[k] + context + 1).min(ops.len());
        }
        let (old_start, new_start) = (ops[start].2 + 1, ops[start].3 + 1);
        let old_len = ops[start..end].iter().filter(|o| o.0 != '+').count();
        let new_len = ops[start..end].iter().filter(|o| o.0 != '-').count();
        out.push_str(&format!("@@ -{old_start},{old_len} +{new_start},{new_len} @@\n"));
        for op in &ops[start..end] {
            out.push_str(&format!("{}{}\n", op.0, op.1));
        }
        k += 1;
    }
    out
}
