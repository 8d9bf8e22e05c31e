//! pest pairs → typed AST, once. Nothing downstream touches pest.

use std::str::FromStr;

use pest::Parser;
use pest::iterators::{Pair, Pairs};
use rust_decimal::Decimal;

use super::ast::*;
use super::ends::Ends;
use super::error::{codes, parse_error};
use super::grammar::{JixiaoParser, Rule};
use crate::diagnostic::Problem;
use crate::span::{FileId, Name, Span, Spanned};

type P<'i> = Pair<'i, Rule>;

/// Parses one rule file. Returns every problem found (a parse error stops
/// at the first place the grammar cannot continue).
pub fn parse(text: &str, file: FileId) -> Result<File, Vec<Problem>> {
    if let Some((at, limit)) = too_deep(text) {
        let end = at + text[at..].chars().next().map(char::len_utf8).unwrap_or(0);
        return Err(vec![Problem::error(codes::TOO_DEEP).arg("limit", limit).at(Span::new(file, at, end))]);
    }
    let mut pairs = JixiaoParser::parse(Rule::file, text).map_err(|e| vec![parse_error(&e, file, text)])?;
    let mut lower = Lower { file, problems: Vec::new(), ends: Ends::default() };
    let mut out = File::default();
    if let Some(root) = pairs.next() {
        for pair in root.into_inner() {
            match pair.as_rule() {
                Rule::use_decl => {
                    if let Some(s) = lower.children(pair).find(Rule::string) {
                        out.uses.push(lower.string(s));
                    }
                }
                Rule::scheme => {
                    if let Some(s) = lower.scheme(pair) {
                        out.schemes.push(s);
                    }
                }
                Rule::project => {
                    if let Some(p) = lower.project(pair) {
                        out.projects.push(p);
                    }
                }
                Rule::test_decl => {
                    if let Some(t) = lower.test(pair) {
                        out.tests.push(t);
                    }
                }
                _ => {}
            }
        }
    }
    if lower.problems.is_empty() { Ok(out) } else { Err(lower.problems) }
}

/// The deepest nesting of parentheses (or run of minus signs) an
/// expression may have: far beyond any real rule, and well within what the
/// parser's recursion can take.
const MAX_DEPTH: usize = 100;

/// The most terms a sum or product may chain, and the most `if`s a file
/// may hold: an else-if chain nests one level per `if`, and a sum is a tree
/// as deep as its terms, which the checker and evaluator walk recursively.
/// Far beyond any real rule, and well within what the stack can take.
const MAX_TERMS: usize = 10_000;

/// Where the text nests deeper than [`MAX_DEPTH`] (or holds more `if`s than
/// [`MAX_TERMS`]), outside strings and comments, with the limit passed.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut minus, mut ifs) = (0usize, 0usize, 0usize);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            // Strings and backticked names as the grammar reads them: a `\"`
            // inside a string, or a `"` inside a name, hides nothing.
            '"' => {
                while let Some((_, d)) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            '“' | '`' => {
                let close = if c == '`' { '`' } else { '”' };
                for (_, d) in chars.by_ref() {
                    if d == close || d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek().map(|(_, d)| *d) == Some('/') => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek().map(|(_, d)| *d) == Some('*') => {
                let mut star = false;
                for (_, d) in chars.by_ref() {
                    if star && d == '/' {
                        break;
                    }
                    star = d == '*';
                }
            }
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            '-' | '－' => minus += 1,
            c if c.is_whitespace() => {}
            c if is_letter(c) || c == '_' => {
                minus = 0;
                let mut end = i + c.len_utf8();
                while let Some((j, d)) = chars.peek().copied() {
                    if !(is_letter(d) || d.is_numeric() || d == '_') {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                if matches!(&text[i..end], "if" | "如果") {
                    ifs += 1;
                }
            }
            _ => minus = 0,
        }
        if depth > MAX_DEPTH || minus > MAX_DEPTH {
            return Some((i, MAX_DEPTH));
        }
        if ifs > MAX_TERMS {
            return Some((i, MAX_TERMS));
        }
    }
    None
}

/// `char::is_alphabetic`, without a table lookup for the common Chinese
/// characters (every one of them is a letter): most names are Chinese.
fn is_letter(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphabetic()
}

struct Lower {
    file: FileId,
    problems: Vec<Problem>,
    /// Where each pair's last named token ends.
    ends: Ends,
}

/// The meaningful children of a pair: keywords, braces and punctuation are
/// dropped, since the rule that holds them already says what they were.
struct Children<'i> {
    pairs: std::iter::Peekable<Pairs<'i, Rule>>,
}

fn is_punctuation(rule: Rule) -> bool {
    matches!(rule, Rule::lbrace | Rule::rbrace | Rule::lparen | Rule::rparen | Rule::comma | Rule::colon | Rule::assign)
        || is_keyword(rule)
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_scheme
            | Rule::kw_use
            | Rule::kw_project
            | Rule::kw_year
            | Rule::kw_organization
            | Rule::kw_goal
            | Rule::kw_submitted
            | Rule::kw_test
            | Rule::kw_data
            | Rule::kw_should
            | Rule::kw_within
            | Rule::kw_subtotal
            | Rule::kw_refused
            | Rule::kw_result
            | Rule::kw_figure
            | Rule::kw_section
            | Rule::kw_group
            | Rule::kw_indicator
            | Rule::kw_target
            | Rule::kw_points
            | Rule::kw_method
            | Rule::kw_default
            | Rule::kw_actual
            | Rule::kw_expect
            | Rule::kw_level
            | Rule::kw_grade
            | Rule::kw_total
            | Rule::kw_unit
            | Rule::kw_count
            | Rule::kw_amount
            | Rule::kw_budget
            | Rule::kw_round
            | Rule::kw_rate
            | Rule::kw_score
            | Rule::kw_deviation
            | Rule::kw_half_up
            | Rule::kw_renamed
            | Rule::kw_if
            | Rule::kw_then
            | Rule::kw_else
            | Rule::kw_otherwise
            | Rule::kw_apart
            | Rule::kw_met
            | Rule::kw_scale
            | Rule::kw_review
            | Rule::kw_reason
            | Rule::kw_evidence
            | Rule::kw_by
            | Rule::kw_checklist
            | Rule::kw_deduct
    )
}

impl<'i> Children<'i> {
    fn next(&mut self) -> Option<P<'i>> {
        loop {
            let pair = self.pairs.next()?;
            if !is_punctuation(pair.as_rule()) {
                return Some(pair);
            }
        }
    }

    fn peek_rule(&mut self) -> Option<Rule> {
        while let Some(pair) = self.pairs.peek() {
            if is_punctuation(pair.as_rule()) {
                self.pairs.next();
            } else {
                return Some(pair.as_rule());
            }
        }
        None
    }

    /// The next child if it is a `rule`.
    fn take(&mut self, rule: Rule) -> Option<P<'i>> {
        if self.peek_rule() == Some(rule) { self.next() } else { None }
    }

    /// The first remaining child that is a `rule`.
    fn find(&mut self, rule: Rule) -> Option<P<'i>> {
        while let Some(pair) = self.next() {
            if pair.as_rule() == rule {
                return Some(pair);
            }
        }
        None
    }
}

impl Lower {
    /// The pair's span without the spaces and comments pest lets a rule
    /// swallow after its last token (an optional tail that did not match).
    /// A pair's span, ending where its last named token ends: pest's own
    /// span also holds trailing punctuation and whitespace.
    fn span(&self, pair: &P<'_>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), self.end(pair))
    }

    fn end(&self, pair: &P<'_>) -> usize {
        self.ends.of(pair)
    }

    fn children<'i>(&self, pair: P<'i>) -> Children<'i> {
        Children { pairs: pair.into_inner().peekable() }
    }

    /// A child the grammar guarantees; its absence is a bug in this file,
    /// reported rather than panicked on.
    fn need<'i>(&mut self, children: &mut Children<'i>, rule: Rule, parent: Span) -> Option<P<'i>> {
        let found = children.take(rule);
        if found.is_none() {
            self.problems.push(Problem::error(codes::INTERNAL).arg("rule", format!("{rule:?}")).at(parent));
        }
        found
    }

    fn name(&mut self, pair: P<'_>) -> Name {
        let span = self.span(&pair);
        let text = match pair.into_inner().next() {
            Some(inner) if inner.as_rule() == Rule::quoted_name => {
                inner.into_inner().next().map(|p| p.as_str().to_string()).unwrap_or_default()
            }
            Some(inner) => inner.as_str().to_string(),
            None => String::new(),
        };
        Spanned::new(text, span)
    }

    fn string(&mut self, pair: P<'_>) -> Spanned<String> {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map(|p| p.as_str()).unwrap_or("");
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        Spanned::new(out, span)
    }

    fn number(&mut self, pair: &P<'_>) -> Spanned<Decimal> {
        let span = self.span(pair);
        // Full-width digits (０-９) are the same digits; most numbers are
        // ASCII and read as written, without a copy.
        let written = pair.as_str();
        let text: std::borrow::Cow<'_, str> = if written.is_ascii() {
            written.into()
        } else {
            written
                .chars()
                .map(|c| match c {
                    '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                    _ => c,
                })
                .collect::<String>()
                .into()
        };
        let value = Decimal::from_str_exact(&text).unwrap_or_else(|_| {
            self.problems.push(Problem::error(codes::NUMBER).arg("number", pair.as_str()).at(span));
            Decimal::ZERO
        });
        Spanned::new(value, span)
    }

    fn percent_of(&mut self, value: Decimal, span: Span) -> Decimal {
        // Exactly: 97.5% is 0.975; a percent with too many decimals is refused, not rounded.
        crate::exact::shift(value, -2).unwrap_or_else(|| {
            self.problems.push(Problem::error(codes::NUMBER).arg("number", value).at(span));
            Decimal::ZERO
        })
    }

    fn unit_name(&mut self, pair: P<'_>) -> Spanned<UnitName> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        match inner.next() {
            Some(first) if first.as_rule() == Rule::name => {
                let name = self.name(first);
                match inner.next().and_then(|per| per.into_inner().next()) {
                    Some(per) => Spanned::new(UnitName::Per(name, self.name(per)), span),
                    None => Spanned::new(UnitName::Named(name), span),
                }
            }
            _ => Spanned::new(UnitName::Percent, span),
        }
    }

    fn quantity(&mut self, pair: P<'_>) -> Spanned<Quantity> {
        let span = self.span(&pair);
        let mut value = Decimal::ZERO;
        let mut unit = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::number => value = self.number(&child).node,
                Rule::percent_sign => unit = Some(UnitName::Percent),
                Rule::unit_name => unit = Some(self.unit_name(child).node),
                _ => {}
            }
        }
        if unit == Some(UnitName::Percent) {
            value = self.percent_of(value, span);
        }
        Spanned::new(Quantity { value, unit }, span)
    }

    fn signed_quantity(&mut self, pair: P<'_>) -> Spanned<Decimal> {
        let span = self.span(&pair);
        let mut negative = false;
        let mut value = Decimal::ZERO;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::negate => negative = true,
                Rule::quantity => value = self.quantity(child).node.value,
                _ => {}
            }
        }
        Spanned::new(if negative { -value } else { value }, span)
    }

    /// `test "name" { … }`.
    fn test(&mut self, pair: P<'_>) -> Option<Test> {
        let span = self.span(&pair);
        let mut c = self.children(pair);
        let name = self.need(&mut c, Rule::string, span)?;
        let name = self.string(name);
        let mut items = Vec::new();
        while let Some(item) = c.next() {
            let item_span = self.span(&item);
            let rule = item.as_rule();
            // Keywords tell the kind of some items: read them from the raw children.
            let keywords: Vec<Rule> =
                item.clone().into_inner().map(|p| p.as_rule()).filter(|r| is_keyword(*r)).collect();
            let keyword_span = item.clone().into_inner().find(|p| is_keyword(p.as_rule())).map(|p| self.span(&p));
            let mut t = self.children(item);
            let lowered = match rule {
                Rule::test_project => {
                    let n = self.need(&mut t, Rule::name, item_span)?;
                    let name = self.name(n);
                    let year = t.take(Rule::number).map(|y| self.number(&y));
                    TestItem::Project { name, year }
                }
                Rule::test_data => {
                    let s = self.need(&mut t, Rule::string, item_span)?;
                    TestItem::Data(self.string(s))
                }
                Rule::test_points => {
                    let n = self.need(&mut t, Rule::name, item_span)?;
                    let id = self.name(n);
                    let p = self.need(&mut t, Rule::number, item_span)?;
                    TestItem::Points { id, points: self.number(&p) }
                }
                Rule::test_target => {
                    let n = self.need(&mut t, Rule::name, item_span)?;
                    let id = self.name(n);
                    let target = self.need(&mut t, Rule::numeric_target, item_span)?;
                    let target_span = self.span(&target);
                    let mut tc = self.children(target);
                    let d = self.need(&mut tc, Rule::direction, target_span)?;
                    let direction = self.direction(&d);
                    let q = self.need(&mut tc, Rule::quantity, target_span)?;
                    TestItem::Target { id, direction, quantity: self.quantity(q) }
                }
                Rule::test_given => {
                    let what = match keywords.first() {
                        Some(Rule::kw_figure) => Given::Figure,
                        Some(Rule::kw_reason) => Given::Reason,
                        _ => Given::Actual,
                    };
                    let n = self.need(&mut t, Rule::name, item_span)?;
                    let name = self.name(n);
                    let v = self.need(&mut t, Rule::test_value, item_span)?;
                    TestItem::Given {
                        what: Spanned::new(what, keyword_span.unwrap_or(item_span)),
                        name,
                        value: self.test_value(v),
                    }
                }
                Rule::test_should => {
                    let s = self.need(&mut t, Rule::test_subject, item_span)?;
                    let subject_span = self.span(&s);
                    let subject_keyword: Option<Rule> =
                        s.clone().into_inner().map(|p| p.as_rule()).find(|r| is_keyword(*r));
                    let mut sc = self.children(s);
                    let named = sc.take(Rule::name).map(|n| self.name(n));
                    let subject = match (subject_keyword, named) {
                        (Some(Rule::kw_score), Some(n)) => Subject::Score(n),
                        (Some(Rule::kw_deviation), Some(n)) => Subject::Deviation(n),
                        (Some(Rule::kw_actual), Some(n)) => Subject::Actual(n),
                        (Some(Rule::kw_subtotal), Some(n)) => Subject::Subtotal(n),
                        (Some(Rule::kw_total), _) => Subject::Total,
                        (Some(Rule::kw_rate), _) => Subject::Rate,
                        (Some(Rule::kw_grade), _) => Subject::Grade,
                        _ => Subject::Result,
                    };
                    let e = self.need(&mut t, Rule::test_expected, item_span)?;
                    let expected_span = self.span(&e);
                    let inner = e.into_inner().next()?;
                    let expected = match inner.as_rule() {
                        Rule::test_refused => {
                            let mut rc = self.children(inner);
                            let s = self.need(&mut rc, Rule::string, expected_span)?;
                            Expected::Refused(self.string(s))
                        }
                        _ => Expected::Value(self.value_of(inner)),
                    };
                    let within = t.take(Rule::signed_quantity).map(|q| self.signed_quantity(q));
                    TestItem::Should {
                        subject: Spanned::new(subject, subject_span),
                        expected: Spanned::new(expected, expected_span),
                        within,
                    }
                }
                _ => continue,
            };
            items.push(lowered);
        }
        Some(Test { name, items, span })
    }

    fn test_value(&mut self, pair: P<'_>) -> Spanned<TestValue> {
        let span = self.span(&pair);
        match pair.into_inner().next() {
            Some(inner) => Spanned::new(self.value_of(inner), span),
            None => Spanned::new(TestValue::Text(String::new()), span),
        }
    }

    /// A number (with its percent), a string or a name, as a test writes it.
    fn value_of(&mut self, pair: P<'_>) -> TestValue {
        match pair.as_rule() {
            Rule::signed_quantity => {
                let text = pair.as_str().trim().to_string();
                let percent = text.ends_with(['%', '％']);
                TestValue::Number { value: self.signed_quantity(pair).node, percent, text }
            }
            Rule::string => TestValue::Text(self.string(pair).node),
            _ => TestValue::Name(self.name(pair).node),
        }
    }

    fn direction(&mut self, pair: &P<'_>) -> Spanned<Direction> {
        let direction = match pair.as_str() {
            ">=" | "≥" | "＞＝" => Direction::AtLeast,
            "<=" | "≤" | "＜＝" => Direction::AtMost,
            "==" => Direction::Exactly,
            _ => Direction::Assign,
        };
        Spanned::new(direction, self.span(pair))
    }

    // ------------------------------------------------------------ schemes

    fn scheme(&mut self, pair: P<'_>) -> Option<Scheme> {
        let span = self.span(&pair);
        let mut children = self.children(pair);
        let name = self.need(&mut children, Rule::name, span)?;
        let name = self.name(name);
        let mut items = Vec::new();
        while let Some(item) = children.next() {
            if let Some(item) = self.scheme_item(item) {
                items.push(item);
            }
        }
        Some(Scheme { name, items })
    }

    fn scheme_item(&mut self, pair: P<'_>) -> Option<SchemeItem> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        if rule == Rule::test_decl {
            return self.test(pair).map(SchemeItem::Test);
        }
        let mut c = self.children(pair);
        Some(match rule {
            Rule::total_decl => {
                let n = self.need(&mut c, Rule::number, span)?;
                SchemeItem::Total(self.number(&n))
            }
            Rule::unit_decl => {
                let mut names = Vec::new();
                while let Some(u) = c.take(Rule::unit_name) {
                    let u = self.unit_name(u);
                    match u.node {
                        UnitName::Named(n) => names.push(n),
                        UnitName::Percent => names.push(Spanned::new("%".to_string(), u.span)),
                        // 万元/人次 follows from 万元 and 人次: it is never declared.
                        UnitName::Per(..) => self.problems.push(Problem::error(codes::COMPOUND_UNIT).at(u.span)),
                    }
                }
                let kind_pair = self.need(&mut c, Rule::unit_kind, span)?;
                let kind_span = self.span(&kind_pair);
                let kind = match kind_pair.into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::kw_amount) => UnitKind::Amount,
                    _ => UnitKind::Count,
                };
                SchemeItem::Unit { names, kind: Spanned::new(kind, kind_span) }
            }
            Rule::round_decl => {
                let what_pair = self.need(&mut c, Rule::round_what, span)?;
                let what_span = self.span(&what_pair);
                let what = match what_pair.into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::kw_rate) => RoundWhat::Rate,
                    Some(Rule::kw_deviation) => RoundWhat::Deviation,
                    _ => RoundWhat::Score,
                };
                self.need(&mut c, Rule::round_mode, span)?;
                let n = self.need(&mut c, Rule::number, span)?;
                let mut step = self.number(&n);
                if let Some(p) = c.take(Rule::percent_sign) {
                    step = Spanned::new(self.percent_of(step.node, step.span), step.span.to(self.span(&p)));
                }
                SchemeItem::Round { what: Spanned::new(what, what_span), step }
            }
            Rule::method_decl => {
                let name = self.need(&mut c, Rule::name, span)?;
                let name = self.name(name);
                let mut params = Vec::new();
                if let Some(p) = c.take(Rule::params) {
                    for param in p.into_inner().filter(|p| p.as_rule() == Rule::name) {
                        params.push(self.name(param));
                    }
                }
                let body = self.need(&mut c, Rule::expr, span)?;
                SchemeItem::Method { name, params, body: self.expr(body) }
            }
            Rule::default_decl if c.peek_rule() != Some(Rule::direction) => {
                // `default by NAME`: the keyword is skipped as punctuation.
                let m = self.need(&mut c, Rule::name, span)?;
                SchemeItem::DeadlineDefault { by: span, method: self.name(m) }
            }
            Rule::default_decl => {
                let d = self.need(&mut c, Rule::direction, span)?;
                let direction = self.direction(&d);
                let m = self.need(&mut c, Rule::name, span)?;
                SchemeItem::Default { direction, method: self.name(m) }
            }
            Rule::scale_decl => {
                let from = self.need(&mut c, Rule::quantity, span)?;
                let from = self.quantity(from);
                let to = self.need(&mut c, Rule::quantity, span)?;
                SchemeItem::Scale { from, to: self.quantity(to) }
            }
            Rule::review_decl => {
                let rule = c.next()?;
                let what = rule.as_rule();
                let mut r = self.children(rule);
                // The rule's one number, a percent as its fraction.
                let value = match r.find(Rule::number) {
                    Some(n) => {
                        let v = self.number(&n);
                        match r.take(Rule::percent_sign) {
                            Some(_) => self.percent_of(v.node, v.span),
                            None => v.node,
                        }
                    }
                    None => Decimal::ZERO,
                };
                let review = match what {
                    Rule::review_reason => Review::Reason,
                    Rule::review_evidence => Review::Evidence,
                    Rule::review_overshoot => Review::Overshoot(value),
                    Rule::review_above => Review::Above(value),
                    Rule::review_deviation => Review::Deviation(value),
                    _ => Review::Budget(value),
                };
                SchemeItem::Review(Spanned::new(review, span))
            }
            Rule::met_decl => {
                let mut words = Vec::new();
                while let Some(s) = c.take(Rule::string) {
                    words.push(self.string(s));
                }
                SchemeItem::Met(words)
            }
            Rule::level_decl => {
                let name = self.need(&mut c, Rule::name, span)?;
                let name = self.name(name);
                let fraction = if let Some(q) = c.take(Rule::quantity) {
                    LevelFraction::Fixed(self.quantity(q))
                } else {
                    let range = self.need(&mut c, Rule::level_range, span)?;
                    let mut r = self.children(range);
                    let open = r.next()?;
                    let low = r.next()?;
                    let high = r.next()?;
                    let close = r.next()?;
                    LevelFraction::Range {
                        low_closed: open.as_str() == "[",
                        low: self.quantity(low),
                        high: self.quantity(high),
                        high_closed: close.as_str() == "]",
                    }
                };
                let mut printed = Vec::new();
                while let Some(s) = c.take(Rule::string) {
                    printed.push(self.string(s));
                }
                SchemeItem::Level { name, fraction, printed }
            }
            Rule::grade_decl => {
                let name = self.need(&mut c, Rule::name, span)?;
                let name = self.name(name);
                let min = match c.take(Rule::grade_bound) {
                    Some(bound) => {
                        let bound_span = self.span(&bound);
                        let mut b = self.children(bound);
                        let d = self.need(&mut b, Rule::direction, bound_span)?;
                        let n = self.need(&mut b, Rule::number, bound_span)?;
                        let mut value = self.number(&n);
                        let percent = b.take(Rule::percent_sign).is_some();
                        if percent {
                            value.node = self.percent_of(value.node, value.span);
                        }
                        Some(GradeBound { direction: self.direction(&d), value, percent })
                    }
                    None => None,
                };
                SchemeItem::Grade { name, min }
            }
            _ => return None,
        })
    }

    // ------------------------------------------------------------ projects

    fn project(&mut self, pair: P<'_>) -> Option<Project> {
        let span = self.span(&pair);
        let mut c = self.children(pair);
        let name = self.need(&mut c, Rule::name, span)?;
        let name = self.name(name);
        let mut items = Vec::new();
        while let Some(item) = c.next() {
            if let Some(item) = self.project_item(item) {
                items.push(item);
            }
        }
        Some(Project { name, items })
    }

    fn project_item(&mut self, pair: P<'_>) -> Option<ProjectItem> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        if rule == Rule::section {
            return self.section(pair).map(ProjectItem::Section);
        }
        if rule == Rule::test_decl {
            return self.test(pair).map(ProjectItem::Test);
        }
        let mut c = self.children(pair);
        Some(match rule {
            Rule::year_decl => {
                let n = self.need(&mut c, Rule::number, span)?;
                ProjectItem::Year(self.number(&n))
            }
            Rule::organization_decl => {
                let s = self.need(&mut c, Rule::string, span)?;
                ProjectItem::Organization(self.string(s))
            }
            Rule::goal_decl => {
                let s = self.need(&mut c, Rule::string, span)?;
                ProjectItem::Goal(self.string(s))
            }
            Rule::submitted_decl => {
                let s = self.need(&mut c, Rule::string, span)?;
                ProjectItem::Submitted(self.string(s))
            }
            Rule::figure_decl => {
                let n = self.need(&mut c, Rule::name, span)?;
                let name = self.name(n);
                let unit = c.take(Rule::unit_name).map(|u| self.unit_name(u));
                ProjectItem::Figure { name, unit }
            }
            Rule::budget_decl => {
                let n = self.need(&mut c, Rule::name, span)?;
                ProjectItem::Budget(self.name(n))
            }
            Rule::expect_decl => {
                let e = self.need(&mut c, Rule::expr, span)?;
                ProjectItem::Expect(self.expr(e))
            }
            _ => return None,
        })
    }

    fn section(&mut self, pair: P<'_>) -> Option<Section> {
        let span = self.span(&pair);
        let mut c = self.children(pair);
        let name = self.need(&mut c, Rule::name, span)?;
        let name = self.name(name);
        let n = self.need(&mut c, Rule::number, span)?;
        let points = self.number(&n);
        let apart = c.take(Rule::apart).map(|a| self.span(&a));
        let mut groups: Vec<Group> = Vec::new();
        while let Some(item) = c.next() {
            match item.as_rule() {
                Rule::group => {
                    let group_span = self.span(&item);
                    let mut g = self.children(item);
                    let Some(group_name) = self.need(&mut g, Rule::name, group_span) else {
                        continue;
                    };
                    let group_name = self.name(group_name);
                    let points = g.take(Rule::number).map(|n| self.number(&n));
                    let mut indicators = Vec::new();
                    while let Some(ind) = g.take(Rule::indicator) {
                        if let Some(ind) = self.indicator(ind) {
                            indicators.push(ind);
                        }
                    }
                    groups.push(Group { name: Some(group_name), points, indicators });
                }
                Rule::indicator => {
                    let Some(ind) = self.indicator(item) else {
                        continue;
                    };
                    match groups.last_mut() {
                        Some(Group { name: None, indicators, .. }) => indicators.push(ind),
                        _ => groups.push(Group { name: None, points: None, indicators: vec![ind] }),
                    }
                }
                _ => {}
            }
        }
        Some(Section { name, points, apart, groups })
    }

    fn indicator(&mut self, pair: P<'_>) -> Option<Indicator> {
        let span = self.span(&pair);
        let mut c = self.children(pair);
        let id = self.need(&mut c, Rule::name, span)?;
        let id = self.name(id);
        let wording = c.take(Rule::string).map(|s| self.string(s));
        let mut items = Vec::new();
        while let Some(item) = c.next() {
            let item_span = self.span(&item);
            let rule = item.as_rule();
            let mut ic = self.children(item);
            let lowered = match rule {
                Rule::target_decl => self.target(&mut ic, item_span).map(IndicatorItem::Target),
                Rule::points_decl => {
                    self.need(&mut ic, Rule::number, item_span).map(|n| IndicatorItem::Points(self.number(&n)))
                }
                Rule::method_use => {
                    let Some(n) = self.need(&mut ic, Rule::name, item_span) else {
                        continue;
                    };
                    let name = self.name(n);
                    let mut args = Vec::new();
                    if let Some(a) = ic.take(Rule::args) {
                        for q in a.into_inner().filter(|p| p.as_rule() == Rule::signed_quantity) {
                            args.push(self.signed_quantity(q));
                        }
                    }
                    Some(IndicatorItem::Method { name, args })
                }
                Rule::actual_decl => {
                    self.need(&mut ic, Rule::expr, item_span).map(|e| IndicatorItem::Actual(self.expr(e)))
                }
                Rule::renamed_decl => {
                    self.need(&mut ic, Rule::name, item_span).map(|n| IndicatorItem::Renamed(self.name(n)))
                }
                _ => None,
            };
            items.extend(lowered);
        }
        Some(Indicator { id, wording, items })
    }

    fn target(&mut self, c: &mut Children<'_>, span: Span) -> Option<Spanned<Target>> {
        let inner = c.next()?;
        let inner_span = self.span(&inner);
        let rule = inner.as_rule();
        let mut t = self.children(inner);
        let target = match rule {
            Rule::numeric_target => {
                let d = self.need(&mut t, Rule::direction, inner_span)?;
                let direction = self.direction(&d);
                let q = self.need(&mut t, Rule::quantity, inner_span)?;
                Target::Numeric { direction, quantity: self.quantity(q) }
            }
            Rule::deadline_target => {
                let d = self.need(&mut t, Rule::date, inner_span)?;
                let date_span = self.span(&d);
                let date = crate::date::Date::parse(d.as_str());
                if date.is_none() {
                    self.problems.push(Problem::error(codes::DATE).arg("date", d.as_str()).at(date_span));
                }
                Target::Deadline { date: Spanned::new(date, date_span) }
            }
            Rule::checklist_target => {
                let n = self.need(&mut t, Rule::number, inner_span)?;
                let deduct = self.number(&n);
                let mut items = Vec::new();
                while let Some(item) = t.take(Rule::checklist_item) {
                    let item_span = self.span(&item);
                    let mut i = self.children(item);
                    let Some(id) = self.need(&mut i, Rule::name, item_span) else { continue };
                    let id = self.name(id);
                    items.push((id, i.take(Rule::string).map(|s| self.string(s))));
                }
                Target::Checklist { deduct, items }
            }
            _ => {
                let l = self.need(&mut t, Rule::name, inner_span)?;
                let level = self.name(l);
                let printed = t.take(Rule::string).map(|s| self.string(s));
                Target::Level { level, printed }
            }
        };
        Some(Spanned::new(target, span))
    }

    // ------------------------------------------------------------ expressions

    fn expr(&mut self, pair: P<'_>) -> Expr {
        let span = self.span(&pair);
        let fallback =
            || Spanned::new(ExprKind::Number { value: Decimal::ZERO, percent: false, text: "0".into() }, span);
        match pair.as_rule() {
            Rule::expr => match pair.into_inner().next() {
                Some(inner) => self.expr(inner),
                None => fallback(),
            },
            Rule::if_expr => {
                let mut parts: Vec<Expr> =
                    pair.into_inner().filter(|p| p.as_rule() == Rule::expr).map(|p| self.expr(p)).collect();
                if parts.len() != 3 {
                    return fallback();
                }
                let otherwise = Box::new(parts.pop().unwrap_or_else(fallback));
                let then = Box::new(parts.pop().unwrap_or_else(fallback));
                let condition = Box::new(parts.pop().unwrap_or_else(fallback));
                Spanned::new(ExprKind::If(condition, then, otherwise), span)
            }
            Rule::comparison => {
                let mut inner = pair.into_inner();
                let Some(first) = inner.next() else {
                    return fallback();
                };
                let left = self.expr(first);
                match (inner.next(), inner.next()) {
                    (Some(op), Some(right)) => {
                        let op = match op.as_str() {
                            ">=" | "≥" | "＞＝" => CompareOp::AtLeast,
                            "<=" | "≤" | "＜＝" => CompareOp::AtMost,
                            "==" => CompareOp::Equal,
                            "!=" | "≠" => CompareOp::NotEqual,
                            ">" => CompareOp::Greater,
                            _ => CompareOp::Less,
                        };
                        let right = self.expr(right);
                        Spanned::new(ExprKind::Compare(op, Box::new(left), Box::new(right)), span)
                    }
                    _ => left,
                }
            }
            Rule::sum | Rule::product => {
                let mut inner = pair.into_inner();
                let Some(first) = inner.next() else {
                    return fallback();
                };
                let mut acc = self.expr(first);
                let mut terms = 1;
                while let (Some(op), Some(next)) = (inner.next(), inner.next()) {
                    terms += 1;
                    if terms > MAX_TERMS {
                        // A tree this deep would overflow the stack of whatever walks it.
                        let at = self.span(&next);
                        self.problems.push(Problem::error(codes::TOO_DEEP).arg("limit", MAX_TERMS).at(at));
                        return acc;
                    }
                    let op = match op.as_str() {
                        "+" | "＋" => BinaryOp::Add,
                        "-" | "－" => BinaryOp::Subtract,
                        "*" | "×" => BinaryOp::Multiply,
                        _ => BinaryOp::Divide,
                    };
                    let right = self.expr(next);
                    let joined = acc.span.to(right.span);
                    acc = Spanned::new(ExprKind::Binary(op, Box::new(acc), Box::new(right)), joined);
                }
                acc
            }
            Rule::unary => {
                let mut negations = 0;
                let mut value = None;
                let mut parenthesized = false;
                for child in pair.into_inner() {
                    match child.as_rule() {
                        Rule::negate => negations += 1,
                        Rule::lparen | Rule::rparen => parenthesized = true,
                        _ => value = Some(self.expr(child)),
                    }
                }
                let mut value = value.unwrap_or_else(fallback);
                if parenthesized && negations == 0 {
                    // The parentheses belong to the operand: `(a + b) / c` spans
                    // from `(`, so a sum built on it quotes it whole.
                    value.span = span;
                }
                for _ in 0..negations {
                    value = Spanned::new(ExprKind::Negate(Box::new(value)), span);
                }
                value
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let word = inner.next().map(|f| f.as_str()).unwrap_or_default();
                let Some(function) = Function::from_spelling(word) else {
                    // The grammar's `function` rule and `Function::spellings` disagree.
                    self.problems.push(Problem::error(codes::INTERNAL).arg("rule", "function").at(span));
                    return fallback();
                };
                let args = inner.filter(|p| p.as_rule() == Rule::expr).map(|p| self.expr(p)).collect();
                Spanned::new(ExprKind::Call(function, args), span)
            }
            Rule::literal => {
                let text = pair.as_str().to_string();
                let mut value = Decimal::ZERO;
                let mut percent = false;
                for child in pair.into_inner() {
                    match child.as_rule() {
                        Rule::number => value = self.number(&child).node,
                        _ => percent = true,
                    }
                }
                if percent {
                    value = self.percent_of(value, span);
                }
                Spanned::new(ExprKind::Number { value, percent, text }, span)
            }
            Rule::variable => {
                let variable = match pair.into_inner().next().map(|k| k.as_rule()) {
                    Some(Rule::kw_target) => Variable::Target,
                    Some(Rule::kw_points) => Variable::Points,
                    _ => Variable::Actual,
                };
                Spanned::new(ExprKind::Variable(variable), span)
            }
            Rule::name => {
                let name = self.name(pair);
                Spanned::new(ExprKind::Name(name.node), span)
            }
            _ => fallback(),
        }
    }
}

impl FromStr for File {
    type Err = Vec<Problem>;
    fn from_str(text: &str) -> Result<File, Vec<Problem>> {
        parse(text, FileId(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut for Chinese characters answers as the full table does.
    #[test]
    fn every_common_chinese_character_is_a_letter() {
        for c in ('\u{4DF0}'..='\u{A010}').chain(['a', '_', '1', '１', 'é', ' ', '\u{3000}']) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn parses_the_seed_scheme_and_a_project() {
        for path in ["rules/2018/scheme.jx", "rules/2018/quality-supervision.jx"] {
            let text = std::fs::read_to_string(path).unwrap();
            let file = parse(&text, FileId(0));
            assert!(file.is_ok(), "{path}: {file:?}");
        }
    }

    #[test]
    fn every_keyword_rule_is_dropped_as_punctuation() {
        for rule in Rule::all_rules() {
            assert_eq!(is_keyword(*rule), format!("{rule:?}").starts_with("kw_"), "{rule:?}");
        }
    }

    #[test]
    fn every_function_spelling_is_a_keyword_and_lowers_to_its_function() {
        use pest::Parser;
        for function in Function::ALL {
            for spelling in function.spellings() {
                let text = format!("scheme S {{ method m = {spelling}(actual, 1, 2) }}");
                let file = parse(&text, FileId(0)).unwrap();
                let SchemeItem::Method { body, .. } = &file.schemes[0].items[0] else { panic!() };
                assert!(matches!(&body.node, ExprKind::Call(f, _) if *f == function), "{spelling}");
                // `keyword` ends at a character that is not part of a name: a
                // match of a spelling made only of such characters is the whole of it.
                let keyword = crate::syntax::grammar::JixiaoParser::parse(Rule::keyword, spelling);
                assert!(keyword.is_ok(), "`{spelling}` is reserved");
            }
        }
    }

    #[test]
    fn keywords_are_whole_words() {
        let file = parse("project P { section S points 40 { indicator 分值4 { points 4 } } }", FileId(0)).unwrap();
        let ProjectItem::Section(section) = &file.projects[0].items[0] else { panic!() };
        assert_eq!(section.groups[0].indicators[0].id.node, "分值4");
        assert!(parse("project P { section S points 40 { indicator X { 分值4 } } }", FileId(0)).is_err());
    }

    /// The blanks between tokens are exactly spaces, tabs, line ends, the
    /// full-width space and a byte-order mark, plus both kinds of comment;
    /// any other control character is an error, not a blank.
    #[test]
    fn blanks_and_comments_are_the_listed_ones() {
        let plain = "project P { section S points 40 { indicator 分值4 { points 4 } } }";
        let shown = |t: &str| format!("{:?}", parse(t, FileId(0)).map(|f| f.projects[0].name.node.clone()));
        for blank in [" ", "\t", "\n", "\r\n", "\u{3000}", "\u{FEFF}", "/* a * / b */", "// to the end\n", "/**/"] {
            let text = plain.replace(' ', &format!(" {blank} "));
            assert_eq!(shown(&text), shown(plain), "{blank:?}");
        }
        for not_blank in ["\u{0B}", "\u{0C}", "\u{A0}", "/ /", "/* never closed"] {
            assert!(
                parse(&plain.replace("{ section", &format!("{{ {not_blank} section")), FileId(0)).is_err(),
                "{not_blank:?}"
            );
        }
    }

    #[test]
    fn full_width_digits_are_the_same_digits() {
        let points = |text: &str| {
            let file = parse(&format!("project P {{ section S points {text} {{ }} }}"), FileId(0)).unwrap();
            let ProjectItem::Section(section) = &file.projects[0].items[0] else { panic!() };
            section.points.node
        };
        assert_eq!(points("４０"), Decimal::from(40));
        assert_eq!(points("１２.５"), points("12.5"));
    }

    #[test]
    fn percent_literals_are_fractions() {
        let file = parse("scheme S { level 达成 97% }", FileId(0)).unwrap();
        let SchemeItem::Level { fraction: LevelFraction::Fixed(q), .. } = &file.schemes[0].items[0] else { panic!() };
        assert_eq!(q.node.value, Decimal::from_str_exact("0.97").unwrap());
    }
}
