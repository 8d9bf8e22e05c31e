//! A submission written as jixiao's own files: the data file against the
//! approved rules, or the rules and the data as submitted.
//!
//! Every value written carries a comment naming where it came from, so the
//! files themselves are the audit trail; the mapping report lists the same.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::value::{self, Direction, Liberty, Value};
use super::{Fund, Note, NoteKind, Origin, Placed, Row, Submission, codes};
use crate::data::toml_string as quoted;
use crate::model::{self, CheckedRules, Target, Unit};

/// What a submission is written against.
pub enum Mode<'a> {
    /// Approved rules: only the data file, keyed by the approved ids.
    Rules(&'a CheckedRules),
    /// A scheme: the indicator table becomes the project's rules.
    Scheme { rules: &'a CheckedRules, use_path: String },
}

pub struct Options {
    /// The direction of targets printed without a symbol (`--assume '>='`).
    pub assume: Option<Direction>,
}

/// One value written, and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub subject: String,
    pub value: String,
    pub at: Origin,
}

/// One submission, written.
pub struct Imported {
    pub submission: Submission,
    /// The file stem: the project's name made safe for any file system.
    pub stem: String,
    /// The project's rules (as submitted only).
    pub rules: Option<String>,
    /// The data file; `None` when the submission could not be matched.
    pub data: Option<String>,
    pub placed: Vec<Placement>,
    pub notes: Vec<Note>,
}

pub fn write(submission: Submission, mode: &Mode<'_>, options: &Options) -> Imported {
    let mut submission = submission;
    let mut w = Writer { placed: Vec::new(), notes: std::mem::take(&mut submission.notes), options };
    let stem = file_stem(&submission.name());
    let (rules, data) = match mode {
        Mode::Rules(rules) => (None, w.against(&submission, rules)),
        Mode::Scheme { rules, use_path } => match rules.schemes().first() {
            Some(scheme) => {
                let (rules_text, data) = w.as_submitted(&submission, scheme, use_path);
                (Some(rules_text), Some(data))
            }
            None => (None, None),
        },
    };
    Imported { submission, stem, rules, data, placed: w.placed, notes: w.notes }
}

/// A project's name as a file name: Chinese kept, what Windows forbids
/// replaced, trailing dots and spaces dropped, reserved names avoided.
pub fn file_stem(name: &str) -> String {
    let mut stem: String =
        name.chars().map(|c| if c.is_control() || r#"<>:"/\|?*"#.contains(c) { '_' } else { c }).collect();
    stem = stem.trim().trim_end_matches(['.', ' ']).to_string();
    // A leading dot would hide the file from `check DIR` and `DIR/*.toml`.
    if stem.starts_with('.') {
        stem = format!("_{}", &stem[1..]);
    }
    let reserved = ["CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "LPT1", "LPT2", "LPT3"];
    if stem.is_empty() || reserved.contains(&stem.to_uppercase().as_str()) {
        stem = format!("project_{stem}");
    }
    // Long names stay within what every file system takes (255 bytes).
    while stem.len() > 200 {
        stem.pop();
    }
    stem
}

struct Writer<'o> {
    placed: Vec<Placement>,
    notes: Vec<Note>,
    options: &'o Options,
}

/// The wording as compared: no spaces, no markup, ASCII digits.
fn key(text: &str) -> String {
    // ASCII punctuation typed for full-width (`,` for `，`) is the same wording.
    value::normalize(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

/// A rule-file string (`"…"`): quotes become curly, the language has no escapes in names.
fn rule_string(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| {
            if c == '"' {
                '”'
            } else if c == '\n' {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("\"{text}\"")
}

/// A name in a rule file: as it is when the grammar reads it as a plain
/// name, else in backticks.
fn rule_name(text: &str) -> String {
    if crate::syntax::is_plain_name(text) { text.to_string() } else { format!("`{}`", text.replace(['`', '\n'], "")) }
}

fn comment(at: &Origin) -> String {
    format!("# {at}")
}

/// A printed number (`39.79`, `**40**`, `40 分`) read as a decimal.
fn number(text: &str) -> Option<Decimal> {
    let t = value::normalize(text);
    let t = t.trim().trim_end_matches('分').trim();
    value::number_prefix(t).filter(|(_, rest)| rest.trim().is_empty()).map(|(n, _)| n)
}

/// A printed percent or `0` (`+8.1%`, `-18.8%`, `0`), normalized for `[reported]`.
fn percent(text: &str) -> Option<String> {
    let t: String = value::normalize(text).chars().filter(|c| !c.is_whitespace()).collect();
    let body = t.strip_suffix('%').unwrap_or(&t);
    value::number_prefix(body).filter(|(_, rest)| rest.is_empty())?;
    Some(t)
}

impl Writer<'_> {
    fn place(&mut self, subject: impl Into<String>, value: impl Into<String>, at: &Origin) {
        self.placed.push(Placement { subject: subject.into(), value: value.into(), at: at.clone() });
    }

    fn note(&mut self, note: Note) {
        self.notes.push(note);
    }

    /// A value not read, and why.
    fn refuse(&mut self, subject: &str, found: &str, at: &Origin, en: &str, zh: &str) {
        self.note(Note::new(NoteKind::Refused, codes::VALUE, subject, found, at.clone()).words("reason", en, zh));
    }

    /// A printed field of a row, or a refusal saying it was left blank.
    fn printed<'r>(
        &mut self,
        field: &'r Option<Placed<String>>,
        subject: &str,
        row: &Row,
    ) -> Option<&'r Placed<String>> {
        if field.is_none() {
            self.refuse(subject, "", &row.wording.at, "none printed", "报告未填写");
        }
        field.as_ref()
    }

    fn header(&self, s: &Submission, out: &mut String) {
        let _ = writeln!(out, "# Imported by jixiao from {} ({}).", s.file.display(), s.at);
        let _ = writeln!(out, "# Each value's comment says where in that file it was read.");
    }

    // ---- against approved rules ----

    fn against(&mut self, s: &Submission, rules: &CheckedRules) -> Option<String> {
        let name = s.project.as_ref().map(|p| key(&p.value)).unwrap_or_default();
        let year = s.year.as_ref().map(|y| i64::from(y.value));
        let candidates: Vec<usize> = (0..rules.projects().len())
            .filter(|&i| key(&rules.projects()[i].name.node) == name)
            .filter(|&i| year.is_none_or(|y| i64::from(rules.projects()[i].year.node) == y))
            .collect();
        let index = match candidates.as_slice() {
            [one] => *one,
            [] => {
                let known: Vec<String> =
                    rules.projects().iter().map(|p| format!("{} ({})", p.name.node, p.year.node)).collect();
                self.note(
                    Note::new(NoteKind::Refused, codes::UNMATCHED, "project", s.name(), s.at.clone())
                        .arg("year", year.map_or(String::new(), |y| format!(" {y}")))
                        .arg("known", known.join(", ")),
                );
                return None;
            }
            several => {
                let list: Vec<String> = several.iter().map(|&i| rules.projects()[i].year.node.to_string()).collect();
                self.note(
                    Note::new(NoteKind::Ambiguous, codes::AMBIGUOUS, "project", s.name(), s.at.clone())
                        .arg("candidates", list.join(", ")),
                );
                return None;
            }
        };
        let project = &rules.projects()[index];
        let scheme = &rules.schemes()[project.scheme];
        let mut out = String::new();
        self.header(s, &mut out);
        let _ = writeln!(out, "project = {}", quoted(&project.name.node));
        let _ = writeln!(out, "year = {}", project.year.node);
        if let Some(p) = &s.project {
            self.place("project", &project.name.node, &p.at);
        }

        // Each submitted row to the approved indicator with its wording.
        let mut matched: Vec<(usize, &Row)> = Vec::new();
        for row in s.rows() {
            match self.match_row(row, project) {
                Some(i) if matched.iter().any(|(m, _)| *m == i) => self.note(
                    Note::new(
                        NoteKind::Ambiguous,
                        codes::AMBIGUOUS,
                        &row.wording.value,
                        &row.wording.value,
                        row.wording.at.clone(),
                    )
                    .arg("candidates", &project.indicators[i].id.node),
                ),
                Some(i) => matched.push((i, row)),
                None => {}
            }
        }
        for (i, indicator) in project.indicators.iter().enumerate() {
            if !matched.iter().any(|(m, _)| *m == i) {
                self.note(
                    Note::new(
                        NoteKind::Refused,
                        codes::NOT_SUBMITTED,
                        &indicator.id.node,
                        &indicator.wording,
                        s.at.clone(),
                    )
                    .arg("wording", &indicator.wording),
                );
            }
        }
        matched.sort_by_key(|(i, _)| *i);

        self.funds(s, &mut out);
        let figures = self.figures(s, project, &mut out);
        if let Some(result) = &s.result {
            let _ = writeln!(out, "\n[goal]\nresult = {}  {}", quoted(&result.value), comment(&result.at));
            self.place("goal result", &result.value, &result.at);
        }
        let _ = writeln!(out, "\n[actual]");
        for (i, row) in &matched {
            let indicator = &project.indicators[*i];
            if indicator.derived.is_some() {
                continue;
            }
            if let Some(text) = self.actual_for(row, indicator, scheme) {
                let at = row.actual.as_ref().map_or(&row.wording.at, |a| &a.at);
                let _ = writeln!(out, "{} = {text}  {}", quoted(&indicator.id.node), comment(at));
                self.place(format!("{} actual", indicator.id.node), text, at);
            }
        }
        // A derived actual whose figures are not in the submission is scored
        // from its printed actual by `audit` (and said so there).
        for (i, row) in &matched {
            let indicator = &project.indicators[*i];
            if let Some(rule) = &indicator.derived {
                let mut missing: Vec<&str> = Vec::new();
                crate::model::walk(rule, &mut |e| {
                    if let crate::model::ExprKind::Figure(f) = &e.node
                        && let Some(figure) = project.figures.get(*f)
                    {
                        let name = figure.name.node.as_str();
                        let given =
                            figures.iter().any(|g| g == name) || s.funds.iter().any(|(fund, _)| fund.name() == name);
                        if !given && !missing.contains(&name) {
                            missing.push(name);
                        }
                    }
                });
                if !missing.is_empty() {
                    let at = row.actual.as_ref().map_or(&row.wording.at, |a| &a.at);
                    self.note(
                        Note::new(
                            NoteKind::Assumed,
                            codes::FIGURE,
                            format!("{} actual", indicator.id.node),
                            missing.join(", "),
                            at.clone(),
                        )
                        .arg("figures", missing.join(", ")),
                    );
                }
            }
        }
        self.reasons(matched.iter().map(|(i, row)| (project.indicators[*i].id.node.clone(), *row)), &mut out);
        let known: Vec<String> = project.sections.iter().map(|x| x.name.node.clone()).collect();
        self.reported(
            s,
            matched.iter().map(|(i, row)| (project.indicators[*i].id.node.clone(), *row)),
            &known,
            &mut out,
        );
        Some(out)
    }

    /// The approved indicator a row is: the same wording (spaces and markup
    /// aside); else the one wording contained in the other, if only one.
    fn match_row(&mut self, row: &Row, project: &model::Project) -> Option<usize> {
        let wording = key(&row.wording.value);
        if let Some(i) = project.indicators.iter().position(|ind| key(&ind.wording) == wording) {
            return Some(i);
        }
        let near: Vec<usize> = (0..project.indicators.len())
            .filter(|&i| {
                let w = key(&project.indicators[i].wording);
                !w.is_empty() && (wording.contains(&w) || w.contains(&wording))
            })
            .collect();
        match near.as_slice() {
            [one] => {
                self.note(
                    Note::new(
                        NoteKind::Assumed,
                        codes::READ_AS,
                        &project.indicators[*one].id.node,
                        &row.wording.value,
                        row.wording.at.clone(),
                    )
                    .words(
                        "how",
                        format!("matched to the approved wording “{}”", project.indicators[*one].wording),
                        format!("按核定的表述“{}”匹配", project.indicators[*one].wording),
                    ),
                );
                Some(*one)
            }
            [] => {
                let known: Vec<&str> = project.indicators.iter().map(|i| i.wording.as_str()).collect();
                let suggestion = crate::suggest::closest(&row.wording.value, known.iter().copied());
                self.note(
                    Note::new(
                        NoteKind::Refused,
                        codes::UNMATCHED,
                        "indicator",
                        &row.wording.value,
                        row.wording.at.clone(),
                    )
                    .arg("year", "")
                    .arg("known", suggestion.unwrap_or_default()),
                );
                None
            }
            several => {
                let list: Vec<&str> = several.iter().map(|&i| project.indicators[i].id.node.as_str()).collect();
                self.note(
                    Note::new(
                        NoteKind::Ambiguous,
                        codes::AMBIGUOUS,
                        "indicator",
                        &row.wording.value,
                        row.wording.at.clone(),
                    )
                    .arg("candidates", list.join(", ")),
                );
                None
            }
        }
    }

    fn funds(&mut self, s: &Submission, out: &mut String) {
        if s.funds.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n[funds]                          # 万元");
        for fund in Fund::ALL {
            if let Some(v) = s.fund(fund) {
                let _ = writeln!(out, "{} = {}  {}", quoted(fund.name()), v.value.normalize(), comment(&v.at));
                self.place(fund.name(), v.value.normalize().to_string(), &v.at);
            }
        }
    }

    /// Figures the approved rules declare, found in the prose by their name
    /// followed by a number (`已年报企业 49116 户`); a name found with two
    /// different numbers is listed, not chosen.
    fn figures(&mut self, s: &Submission, project: &model::Project, out: &mut String) -> Vec<String> {
        let mut found: Vec<(String, String, Origin)> = Vec::new();
        for figure in &project.figures {
            let name = figure.name.node.as_str();
            if Fund::ALL.iter().any(|f| f.name() == name) {
                continue;
            }
            // A table that lists its figures by name says it plainly.
            if let Some((_, listed)) = s.figures.iter().find(|(n, _)| key(n) == key(name)) {
                match value::read(&listed.value, &[]).0 {
                    Value::Number { direction: None, value, percent, .. } => {
                        let text = match percent {
                            true => quoted(&format!("{}%", value.normalize())),
                            false => value.normalize().to_string(),
                        };
                        found.push((name.to_string(), text, listed.at.clone()));
                    }
                    _ => self.refuse_number(name, listed),
                }
                continue;
            }
            let mut values: Vec<(Decimal, Origin)> = Vec::new();
            for text in &s.prose {
                let mut rest = text.value.as_str();
                while let Some(i) = rest.find(name) {
                    let after = rest[i + name.len()..].trim_start();
                    let after = after.strip_prefix(['为', ':', '：']).unwrap_or(after).trim_start();
                    if let Some((n, tail)) = value::number_prefix(after) {
                        let unit_ok = match &figure.unit {
                            Unit::Named { name, .. } => tail.trim_start().starts_with(name.as_str()),
                            Unit::Percent => tail.trim_start().starts_with('%'),
                            _ => true,
                        };
                        if unit_ok && !values.iter().any(|(v, _)| *v == n) {
                            values.push((n, text.at.clone()));
                        }
                    }
                    rest = &rest[i + name.len()..];
                }
            }
            match values.as_slice() {
                [(n, at)] => found.push((name.to_string(), n.normalize().to_string(), at.clone())),
                [] => {}
                several => {
                    let list: Vec<String> = several.iter().map(|(n, at)| format!("{n} ({at})")).collect();
                    self.note(
                        Note::new(NoteKind::Ambiguous, codes::AMBIGUOUS, name, list.join(", "), several[0].1.clone())
                            .arg("candidates", list.join(", ")),
                    );
                }
            }
        }
        if !found.is_empty() {
            let _ = writeln!(out, "\n[figures]");
            for (name, n, at) in &found {
                let _ = writeln!(out, "{} = {n}  {}", quoted(name), comment(at));
                self.place(name.as_str(), n.as_str(), at);
            }
        }
        found.into_iter().map(|(n, _, _)| n).collect()
    }

    /// The data value for an approved indicator's printed actual.
    fn actual_for(&mut self, row: &Row, indicator: &model::Indicator, scheme: &model::Scheme) -> Option<String> {
        let subject = format!("{} actual", indicator.id.node);
        let actual = self.printed(&row.actual, &subject, row)?;
        let units = units(scheme);
        let (read, liberties) = value::read(&actual.value, &units);
        self.liberties(&subject, &actual.value, &actual.at, &liberties);
        match (&indicator.target, read) {
            (_, Value::Nothing) => {
                self.refuse(&subject, &actual.value, &actual.at, "blank", "空白");
                None
            }
            (Target::Level { level, printed, .. }, Value::Words(words)) => {
                self.level_word(&subject, &words, &actual.at, scheme, Some(*level), printed.as_deref())
            }
            (Target::Numeric { unit: Unit::Percent, .. }, Value::Number { percent: false, .. }) => {
                self.note(Note::new(NoteKind::Refused, codes::PERCENT, subject, &actual.value, actual.at.clone()));
                None
            }
            (Target::Numeric { .. }, Value::Number { value, percent, direction, .. }) => {
                let text = if percent { format!("\"{}%\"", value.normalize()) } else { value.normalize().to_string() };
                Some(match direction {
                    Some(d) => quoted(&format!("{}{}", d.symbol(), text.trim_matches('"'))),
                    None => text,
                })
            }
            (Target::Numeric { .. }, Value::Date { date, .. }) if indicator.deadline.is_some() => {
                Some(quoted(&date.to_string()))
            }
            (Target::Numeric { .. }, Value::Words(words)) if scheme.met.iter().any(|m| key(m) == key(&words)) => {
                Some(quoted(&words))
            }
            (_, _) => {
                self.refuse(
                    &subject,
                    &actual.value,
                    &actual.at,
                    "not a value of this indicator's kind",
                    "与该指标的类型不符",
                );
                None
            }
        }
    }

    /// A level's word for printed words: a level's own word or name; the
    /// target's printed words (or words containing them, or contained in
    /// them) as the target's level.
    fn level_word(
        &mut self,
        subject: &str,
        words: &str,
        at: &Origin,
        scheme: &model::Scheme,
        target_level: Option<usize>,
        target_printed: Option<&str>,
    ) -> Option<String> {
        let k = key(words);
        if let Some(level) =
            scheme.levels.iter().find(|l| key(&l.name.node) == k || l.printed.iter().any(|p| key(p) == k))
        {
            let word = if key(&level.name.node) == k { level.name.node.clone() } else { words.to_string() };
            return Some(quoted(&word));
        }
        if let (Some(level), Some(printed)) = (target_level, target_printed) {
            let p = key(printed);
            if !p.is_empty() && (k.contains(&p) || p.contains(&k)) {
                let name = scheme.levels[level].name.node.clone();
                self.note(Note::new(NoteKind::Assumed, codes::READ_AS, subject, words, at.clone()).words(
                    "how",
                    format!("the target's words “{printed}”: level {name}"),
                    format!("与目标值“{printed}”相符：等级 {name}"),
                ));
                return Some(quoted(&name));
            }
        }
        let known: Vec<String> = scheme.levels.iter().flat_map(|l| l.printed.iter().cloned()).collect();
        self.note(
            Note::new(NoteKind::Refused, codes::LEVEL, subject, words, at.clone()).arg("known", known.join("、")),
        );
        None
    }

    fn liberties(&mut self, subject: &str, found: &str, at: &Origin, liberties: &[Liberty]) {
        for liberty in liberties {
            let how = match liberty {
                Liberty::Strict(c) => (
                    format!("`{c}` read as `{c}=` (targets are inclusive)"),
                    format!("`{c}` 按 `{c}=` 读取（目标值含等号）"),
                ),
                Liberty::Trailing(words) => {
                    (format!("the words after the figure left out: “{words}”"), format!("略去数字后的文字：“{words}”"))
                }
                Liberty::Multiplied(word) => (format!("{word} applied to the figure"), format!("按“{word}”换算")),
                Liberty::DirectionWords(words) => {
                    (format!("the direction from the words “{words}”"), format!("方向取自文字“{words}”"))
                }
            };
            self.note(
                Note::new(NoteKind::Assumed, codes::READ_AS, subject, found, at.clone()).words("how", how.0, how.1),
            );
        }
    }

    fn reasons<'r>(&mut self, rows: impl Iterator<Item = (String, &'r Row)>, out: &mut String) {
        let reasons: Vec<(String, &Placed<String>)> =
            rows.filter_map(|(id, row)| row.reason.as_ref().map(|r| (id, r))).collect();
        if reasons.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n[reasons]");
        for (id, reason) in reasons {
            let _ = writeln!(out, "{} = {}  {}", quoted(&id), quoted(&reason.value), comment(&reason.at));
            self.place(format!("{id} reason"), &reason.value, &reason.at);
        }
    }

    /// Everything the submission printed, under `[reported]`.
    /// `sections`: the section names the rules have (a claim on another
    /// would stop the audit: it is noted instead).
    fn reported<'r>(
        &mut self,
        s: &Submission,
        rows: impl Iterator<Item = (String, &'r Row)>,
        sections: &[String],
        out: &mut String,
    ) {
        let _ = writeln!(out, "\n[reported]");
        if let Some(total) = &s.total {
            match number(&total.value) {
                Some(n) => {
                    let _ = writeln!(out, "total = {}  {}", n.normalize(), comment(&total.at));
                    self.place("reported total", n.normalize().to_string(), &total.at);
                }
                None => self.refuse_number("reported total", total),
            }
        }
        if let Some(grade) = &s.grade {
            let _ = writeln!(out, "grade = {}  {}", quoted(&grade.value), comment(&grade.at));
            self.place("reported grade", &grade.value, &grade.at);
        }
        for section in &s.sections {
            if !sections.contains(&section.name.value) {
                let repeats_row = section.budget && section.rows.len() == 1;
                if !repeats_row && !section.rows.is_empty() {
                    self.note(
                        Note::new(
                            NoteKind::Refused,
                            codes::UNMATCHED,
                            "section",
                            &section.name.value,
                            section.name.at.clone(),
                        )
                        .arg("year", "")
                        .arg("known", sections.join(", ")),
                    );
                }
                continue;
            }
            let mut lines = String::new();
            for (field, printed, is_percent) in
                [("points", &section.points, false), ("score", &section.score, false), ("rate", &section.rate, true)]
            {
                let Some(printed) = printed else { continue };
                let text = if is_percent {
                    percent(&printed.value).map(|p| quoted(&p))
                } else {
                    number(&printed.value).map(|n| n.normalize().to_string())
                };
                match text {
                    Some(t) => {
                        let _ = writeln!(lines, "{field} = {t}  {}", comment(&printed.at));
                        self.place(format!("{} {field}", section.name.value), t, &printed.at);
                    }
                    None => self.refuse_number(&format!("{} {field}", section.name.value), printed),
                }
            }
            // The budget row's own section repeats the row: no claims of its own.
            let repeats_row =
                section.budget && section.rows.len() == 1 && section.name.at == section.rows[0].wording.at;
            if !lines.is_empty() && !repeats_row {
                let _ = writeln!(out, "\n[reported.sections.{}]\n{lines}", quoted(&section.name.value).trim_end());
            }
        }
        for (id, row) in rows {
            let mut lines = String::new();
            if let Some(target) = &row.target {
                let t = printed_any(&target.value);
                let _ = writeln!(lines, "target = {t}  {}", comment(&target.at));
            }
            for (field, printed) in [("points", &row.points), ("score", &row.score)] {
                let Some(printed) = printed else { continue };
                match number(&printed.value) {
                    Some(n) => {
                        let _ = writeln!(lines, "{field} = {}  {}", n.normalize(), comment(&printed.at));
                        self.place(format!("{id} {field}"), n.normalize().to_string(), &printed.at);
                    }
                    None => self.refuse_number(&format!("{id} {field}"), printed),
                }
            }
            if let Some(actual) = &row.actual {
                let _ = writeln!(lines, "actual = {}  {}", printed_any(&actual.value), comment(&actual.at));
            }
            if let Some(deviation) = &row.deviation {
                match percent(&deviation.value) {
                    Some(p) => {
                        let _ = writeln!(lines, "deviation = {}  {}", quoted(&p), comment(&deviation.at));
                        self.place(format!("{id} deviation"), p, &deviation.at);
                    }
                    None => self.refuse_number(&format!("{id} deviation"), deviation),
                }
            }
            if !lines.is_empty() {
                let _ = writeln!(out, "\n[reported.indicators.{}]\n{}", quoted(&id), lines.trim_end());
            }
        }
    }

    fn refuse_number(&mut self, subject: &str, printed: &Placed<String>) {
        self.note(Note::new(NoteKind::Refused, codes::VALUE, subject, &printed.value, printed.at.clone()).words(
            "reason",
            "not a number",
            "不是数",
        ));
    }

    // ---- as submitted ----

    fn as_submitted(&mut self, s: &Submission, scheme: &model::Scheme, use_path: &str) -> (String, String) {
        let units = units(scheme);
        let mut rules = String::new();
        let _ = writeln!(
            rules,
            "// Imported by jixiao from {} ({}): the indicator table as submitted.",
            s.file.display(),
            s.at
        );
        let _ = writeln!(rules, "use {}\n", rule_string(use_path));
        let name = s.name();
        let year = s.year.as_ref().map_or(0, |y| y.value);
        if s.year.is_none() {
            self.note(Note::new(NoteKind::Refused, codes::VALUE, "year", "", s.at.clone()).words(
                "reason",
                "no year (…年度) found",
                "未找到年度（…年度）",
            ));
        }
        let _ = writeln!(rules, "project {} {{", rule_name(&name));
        let _ = writeln!(rules, "    year {year}");
        let _ = writeln!(rules, "    submitted {}", rule_string(&format!("{} ({})", s.file.display(), s.at)));
        if let Some(org) = &s.organization {
            let _ = writeln!(rules, "    organization {}", rule_string(&org.value));
            self.place("organization", &org.value, &org.at);
        }
        if let Some(goal) = &s.goal {
            let _ = writeln!(rules, "    goal {}", rule_string(&goal.value));
            self.place("goal", &goal.value, &goal.at);
        }

        // Ids from the wording: deterministic, unique.
        let mut ids: Vec<String> = Vec::new();
        let mut body = String::new();
        let mut data_rows: Vec<(String, &Row, Option<String>)> = Vec::new();
        let mut budget_id: Option<String> = None;
        let mut figures: Vec<Fund> = Vec::new();
        let mut written_sections: Vec<String> = Vec::new();
        for section in &s.sections {
            let mut lines = String::new();
            let mut sum = Decimal::ZERO;
            let mut group: Option<&str> = None;
            // A row left out makes the printed points look inconsistent: they are not judged then.
            let mut complete = true;
            for row in &section.rows {
                let id = unique_id(&row.wording.value, &mut ids);
                let Some(target) = self.target_rule(&id, row, scheme, &units) else {
                    complete = false;
                    continue;
                };
                let Some(points) = row.points.as_ref().and_then(|p| number(&p.value)) else {
                    complete = false;
                    let found = row.points.as_ref().map_or("", |p| p.value.as_str());
                    self.note(
                        Note::new(
                            NoteKind::Refused,
                            codes::VALUE,
                            format!("{id} points"),
                            found,
                            row.wording.at.clone(),
                        )
                        .words("reason", "no points printed", "未填写分值"),
                    );
                    continue;
                };
                sum += points;
                let row_group = row.group.as_ref().map(|g| g.value.as_str());
                if row_group != group {
                    if group.is_some() {
                        let _ = writeln!(lines, "        }}");
                    }
                    if let Some(g) = row_group {
                        let _ = writeln!(lines, "        group {} {{", rule_name(g));
                    }
                    group = row_group;
                }
                let indent = if group.is_some() { "            " } else { "        " };
                let mut derived = None;
                if section.budget && budget_id.is_none() {
                    let divisor = [Fund::Annual, Fund::InPlace].into_iter().find(|f| s.fund(*f).is_some());
                    if let (Some(divisor), Some(_)) = (divisor, s.fund(Fund::Executed)) {
                        derived = Some(format!("{} / {}", Fund::Executed.name(), divisor.name()));
                        figures.extend([Fund::Executed, divisor]);
                        self.note(
                            Note::new(
                                NoteKind::Assumed,
                                codes::READ_AS,
                                format!("{id} actual"),
                                format!("{} / {}", Fund::Executed.name(), divisor.name()),
                                row.wording.at.clone(),
                            )
                            .words(
                                "how",
                                format!("the execution rate computed from the funds: 全年执行数 / {}", divisor.name()),
                                format!("执行率由资金计算：全年执行数 / {}", divisor.name()),
                            ),
                        );
                    }
                    budget_id = Some(id.clone());
                }
                let _ = write!(
                    lines,
                    "{indent}indicator {} {} {{ target {target}; points {}",
                    rule_name(&id),
                    rule_string(&row.wording.value),
                    points.normalize()
                );
                if let Some(formula) = &derived {
                    let _ = write!(lines, "; actual = {formula}");
                }
                let _ = writeln!(lines, " }}  // {}", row.wording.at);
                self.place(format!("{id} target"), &target, row.target.as_ref().map_or(&row.wording.at, |t| &t.at));
                self.place(
                    format!("{id} points"),
                    points.normalize().to_string(),
                    row.points.as_ref().map_or(&row.wording.at, |p| &p.at),
                );
                data_rows.push((id, row, derived));
            }
            if group.is_some() {
                let _ = writeln!(lines, "        }}");
            }
            if lines.is_empty() {
                continue;
            }
            let printed = section.points.as_ref().and_then(|p| number(&p.value));
            let points = printed.unwrap_or(sum);
            written_sections.push(section.name.value.clone());
            if complete && printed.is_some_and(|p| p != sum) {
                self.note(
                    Note::new(
                        NoteKind::Inconsistent,
                        codes::POINTS_SUM,
                        &section.name.value,
                        sum.normalize().to_string(),
                        section.points.as_ref().map_or(section.name.at.clone(), |p| p.at.clone()),
                    )
                    .arg("sum", sum.normalize())
                    .arg("points", points.normalize()),
                );
            }
            let _ = writeln!(body, "\n    section {} points {} {{", rule_name(&section.name.value), points.normalize());
            body.push_str(&lines);
            let _ = writeln!(body, "    }}");
        }
        figures.dedup();
        for fund in &figures {
            let _ = writeln!(rules, "    figure {} 万元", fund.name());
        }
        if let Some(id) = &budget_id {
            let _ = writeln!(rules, "    budget {}", rule_name(id));
        }
        rules.push_str(&body);
        let _ = writeln!(rules, "}}");

        let mut data = String::new();
        self.header(s, &mut data);
        let _ = writeln!(data, "project = {}", quoted(&name));
        let _ = writeln!(data, "year = {year}");
        self.funds(s, &mut data);
        if let Some(result) = &s.result {
            let _ = writeln!(data, "\n[goal]\nresult = {}  {}", quoted(&result.value), comment(&result.at));
            self.place("goal result", &result.value, &result.at);
        }
        let _ = writeln!(data, "\n[actual]");
        for (id, row, derived) in &data_rows {
            if derived.is_some() {
                continue;
            }
            if let Some(text) = self.actual_as_submitted(id, row, scheme, &units) {
                let at = row.actual.as_ref().map_or(&row.wording.at, |a| &a.at);
                let _ = writeln!(data, "{} = {text}  {}", quoted(id), comment(at));
                self.place(format!("{id} actual"), text, at);
            }
        }
        self.reasons(data_rows.iter().map(|(id, row, _)| (id.clone(), *row)), &mut data);
        self.reported(s, data_rows.iter().map(|(id, row, _)| (id.clone(), *row)), &written_sections, &mut data);
        (rules, data)
    }

    /// The rule-file target of a printed one, or `None` (refused, noted).
    fn target_rule(&mut self, id: &str, row: &Row, scheme: &model::Scheme, units: &[String]) -> Option<String> {
        let subject = format!("{id} target");
        let target = self.printed(&row.target, &subject, row)?;
        let (read, liberties) = value::read(&target.value, units);
        self.liberties(&subject, &target.value, &target.at, &liberties);
        match read {
            Value::Number { value, .. } if value.is_sign_negative() && !value.is_zero() => {
                self.note(Note::new(NoteKind::Refused, codes::VALUE, subject, &target.value, target.at.clone()).words(
                    "reason",
                    "a negative target: the rule language's targets are 0 or more",
                    "负数目标：规则语言的目标值不小于 0",
                ));
                None
            }
            Value::Number { direction, value, percent, unit } => {
                let direction = self.direction(&subject, direction, value, row, &target.value, &target.at)?;
                let quantity = match (percent, unit) {
                    (true, _) => format!("{}%", value.normalize()),
                    (false, Some(u)) if units.contains(&u) => format!("{} {u}", value.normalize()),
                    (false, Some(u)) => {
                        self.note(
                            Note::new(NoteKind::Assumed, codes::UNIT, &subject, &target.value, target.at.clone())
                                .arg("unit", &u),
                        );
                        value.normalize().to_string()
                    }
                    (false, None) => value.normalize().to_string(),
                };
                Some(format!("{} {quantity}", direction.symbol()))
            }
            Value::Date { date, .. } if scheme.deadline_default.is_some() => Some(format!("by {date}")),
            Value::Date { .. } => {
                self.note(Note::new(NoteKind::Refused, codes::VALUE, subject, &target.value, target.at.clone()).words(
                    "reason",
                    "a deadline, and the scheme has no `default by` method",
                    "这是时限目标，但计分方案没有 `default by` 方法",
                ));
                None
            }
            Value::Words(words) => {
                let k = key(&words);
                let level = scheme
                    .levels
                    .iter()
                    .position(|l| key(&l.name.node) == k || l.printed.iter().any(|p| k.starts_with(&key(p))))
                    .or_else(|| {
                        // Qualitative words name full achievement: the highest level.
                        let top = (0..scheme.levels.len()).max_by_key(|&i| match scheme.levels[i].fraction {
                            model::LevelFraction::Fixed(f) => f,
                            model::LevelFraction::Range { high, .. } => high,
                        })?;
                        self.note(
                            Note::new(NoteKind::Assumed, codes::READ_AS, &subject, &words, target.at.clone()).words(
                                "how",
                                format!("qualitative: level {} (full achievement)", scheme.levels[top].name.node),
                                format!("定性目标：等级 {}（完全达成）", scheme.levels[top].name.node),
                            ),
                        );
                        Some(top)
                    });
                match level {
                    Some(l) => Some(format!("{} {}", rule_name(&scheme.levels[l].name.node), rule_string(&words))),
                    None => {
                        self.note(
                            Note::new(NoteKind::Refused, codes::LEVEL, subject, &words, target.at.clone())
                                .arg("known", ""),
                        );
                        None
                    }
                }
            }
            Value::Nothing => {
                self.refuse(&subject, &target.value, &target.at, "blank", "空白");
                None
            }
        }
    }

    /// A target's direction: its symbol; a 指标性质 column; `<=` for a bare
    /// 0 (accident counts); `--assume`; else refused.
    fn direction(
        &mut self,
        subject: &str,
        symbol: Option<Direction>,
        value: Decimal,
        row: &Row,
        found: &str,
        at: &Origin,
    ) -> Option<Direction> {
        if let Some(d) = symbol {
            return Some(d);
        }
        if let Some(column) = &row.direction {
            let k = key(&column.value);
            if k.contains("正向") || k.contains("越大越好") {
                return Some(Direction::AtLeast);
            }
            if k.contains("反向") || k.contains("越小越好") {
                return Some(Direction::AtMost);
            }
        }
        if value.is_zero() {
            self.note(Note::new(NoteKind::Assumed, codes::DIRECTION, subject, found, at.clone()).words(
                "how",
                "a target of 0 with no symbol is `<=`",
                "无符号的 0 目标按 `<=`",
            ));
            return Some(Direction::AtMost);
        }
        match self.options.assume {
            Some(d) => {
                self.note(
                    Note::new(NoteKind::Assumed, codes::DIRECTION, subject, found, at.clone())
                        .arg("how", format!("--assume '{}'", d.symbol())),
                );
                Some(d)
            }
            None => {
                self.note(Note::new(NoteKind::Refused, codes::DIRECTION, subject, found, at.clone()).words(
                    "how",
                    "no symbol, no 指标性质 column",
                    "没有符号，也没有指标性质列",
                ));
                None
            }
        }
    }

    fn actual_as_submitted(&mut self, id: &str, row: &Row, scheme: &model::Scheme, units: &[String]) -> Option<String> {
        let subject = format!("{id} actual");
        let actual = self.printed(&row.actual, &subject, row)?;
        let target_words = row.target.as_ref().map(|t| value::read(&t.value, units).0);
        let (read, liberties) = value::read(&actual.value, units);
        self.liberties(&subject, &actual.value, &actual.at, &liberties);
        match (read, target_words) {
            (Value::Nothing, _) => {
                self.refuse(&subject, &actual.value, &actual.at, "blank", "空白");
                None
            }
            (Value::Number { percent: false, .. }, Some(Value::Number { percent: true, .. })) => {
                self.note(Note::new(NoteKind::Refused, codes::PERCENT, subject, &actual.value, actual.at.clone()));
                None
            }
            (Value::Words(words), Some(Value::Words(target))) => {
                let k = key(&target);
                let level = scheme
                    .levels
                    .iter()
                    .position(|l| key(&l.name.node) == k || l.printed.iter().any(|p| k.starts_with(&key(p))));
                let level = level.or_else(|| {
                    (0..scheme.levels.len()).max_by_key(|&i| match scheme.levels[i].fraction {
                        model::LevelFraction::Fixed(f) => f,
                        model::LevelFraction::Range { high, .. } => high,
                    })
                });
                self.level_word(&subject, &words, &actual.at, scheme, level, Some(&target))
            }
            (Value::Number { value, percent, direction, .. }, _) => {
                let number = if percent { format!("{}%", value.normalize()) } else { value.normalize().to_string() };
                Some(match (direction, percent) {
                    (Some(d), _) => quoted(&format!("{}{number}", d.symbol())),
                    (None, true) => quoted(&number),
                    (None, false) => number,
                })
            }
            (Value::Date { date, .. }, _) => Some(quoted(&date.to_string())),
            (_, _) => {
                self.refuse(
                    &subject,
                    &actual.value,
                    &actual.at,
                    "not a value of this indicator's kind",
                    "与该指标的类型不符",
                );
                None
            }
        }
    }
}

/// A printed target or actual for `[reported]`: a number as a number, a
/// percent as its text, words as words.
/// The figure a report printed, as `[reported]` takes it: the number
/// without its direction or unit (`≥4 次` is 4), a percent with the places
/// it was printed to (`100.0%`), words as words.
fn printed_any(text: &str) -> String {
    let (read, _) = value::read(text, &[]);
    match read {
        Value::Number { value, percent: false, .. } => value.to_string(),
        Value::Number { value, percent: true, .. } => quoted(&format!("{value}%")),
        _ => quoted(value::normalize(text).trim()),
    }
}

fn units(scheme: &model::Scheme) -> Vec<String> {
    let declared: Vec<String> = scheme.units.iter().map(|(n, _)| n.node.clone()).collect();
    value::known_units(&declared)
}

/// An id from the wording: its letters and digits, at most 12 of them;
/// `_2`, `_3` … when taken.
fn unique_id(wording: &str, taken: &mut Vec<String>) -> String {
    let letters: String =
        value::normalize(wording).chars().filter(|c| c.is_alphanumeric() || *c == '_').take(12).collect();
    let base = if letters.is_empty() { format!("指标{}", taken.len() + 1) } else { letters };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("质量技术监督项目"), "质量技术监督项目");
        assert_eq!(file_stem("a/b:c*?"), "a_b_c__");
        assert_eq!(file_stem("CON"), "project_CON");
        assert_eq!(file_stem("名称. "), "名称");
        assert_eq!(file_stem("../../x"), "_._.._x");
    }

    #[test]
    fn ids_are_unique_and_deterministic() {
        let mut taken = Vec::new();
        assert_eq!(unique_id("全年开展教育培训次数", &mut taken), "全年开展教育培训次数");
        assert_eq!(unique_id("全年开展教育培训次数", &mut taken), "全年开展教育培训次数_2");
        assert_eq!(unique_id("12315 信息平台消费申（投）诉满意率", &mut taken), "12315信息平台消费申");
    }
}
