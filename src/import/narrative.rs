//! Narrative self-evaluation reports (text copied from Word or PDF,
//! Markdown, `.docx`): the figures stated in sentences of a regular shape.
//!
//! ```text
//! 全年开展教育培训次数，指标目标值 4 次，设定分值 5 分。实际完成值为 4 次，得 5 分，指标值偏差率为 0；
//! 评价设定分值 40 分，自评得分 40 分，得分率 100.0%
//! ```
//!
//! Lines are first put back into paragraphs (a PDF breaks sentences across
//! lines, often with a blank line between), then each paragraph is read for
//! the statements it holds. Words are found by their anchors (目标值,
//! 设定分值, 完成值, 得 … 分, 偏差率), never by position.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::value::normalize;
use super::{Fund, Note, NoteKind, Origin, Placed, Row, Section, Submission, codes};
use crate::diagnostic::Problem;

/// A text file: `.txt`, `.md`, or anything else read as UTF-8 text.
pub fn read_text(path: &Path) -> Result<Vec<Submission>, Problem> {
    if std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_TEXT) {
        return Err(super::too_large(path, MAX_TEXT));
    }
    let text = crate::source::read_text(path).map_err(|e| e.problem(crate::source::UNREADABLE, path))?;
    // Old Mac and some exporters end lines with a lone CR.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<(Origin, &str)> = text.lines().enumerate().map(|(i, l)| (Origin::Line { line: i + 1 }, l)).collect();
    Ok(parse(path, &lines))
}

/// A Word document: its paragraphs, in order, are the lines.
pub fn read_docx(path: &Path) -> Result<Vec<Submission>, Problem> {
    let paragraphs = super::workbook::docx_paragraphs(path)?;
    let lines: Vec<(Origin, &str)> =
        paragraphs.iter().enumerate().map(|(i, p)| (Origin::Paragraph { paragraph: i + 1 }, p.as_str())).collect();
    Ok(parse(path, &lines))
}

/// A self-evaluation report is well under a megabyte; anything past this
/// is not one (and would take minutes to read).
const MAX_TEXT: u64 = 16 << 20;

/// A paragraph: lines joined back together, each piece with its origin.
struct Paragraph {
    text: String,
    /// (byte offset in `text`, origin of the line that starts there).
    pieces: Vec<(usize, Origin)>,
}

impl Paragraph {
    fn origin_at(&self, offset: usize) -> Origin {
        self.pieces.iter().rev().find(|(start, _)| *start <= offset).map(|(_, o)| o.clone()).unwrap_or(Origin::File)
    }

    fn origin(&self) -> Origin {
        self.origin_at(0)
    }
}

macro_rules! regex {
    ($name:ident = $pattern:literal) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pattern).expect("a valid pattern"));
    };
}

regex!(
    NUMBERING = r"^(?:（[一二三四五六七八九十0-9]{1,3}）|\([一二三四五六七八九十0-9]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|[0-9]{1,2}[、]|[0-9]{1,2}\.(?:[^0-9]|$))\s*"
);
regex!(PROJECT_NAME = r"^项目名称\s*[:：]\s*(.+?)\s*$");
regex!(ORGANIZATION = r"^(?:项目单位|实施单位)\s*[:：]\s*(.+?)\s*$");
regex!(TITLE_YEAR = r"([0-9]{4})\s*年度");
regex!(YEAR = r"([0-9]{4})\s*年");
regex!(TITLE = r"^(?:[0-9]{4}\s*年度)?\s*(.+?)\s*项目?绩效自评报告\s*$");
regex!(SECTION_HEADING = r"^(.{2,16}?指标)\s*(?:完成情况分析|完成情况|情况分析|分析)$");
regex!(
    SECTION_FIGURES =
        r"评价设定分值\s*([0-9.]+)\s*分\s*[，,]\s*自评得分\s*([0-9.]+)\s*分\s*(?:[，,]\s*得分率\s*([0-9.]+\s*%))?"
);
regex!(GROUP = r"^([^，,。；;：:]{2,24}?指标)\s*[：:]\s*");
regex!(POINTS = r"(评价)?设定分值\s*(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*分");
regex!(SCORE = r"得\s*([0-9]+(?:\.[0-9]+)?)\s*分");
regex!(DEVIATION = r"偏差率\s*(?:为)?\s*([+-]?\s*[0-9]+(?:\.[0-9]+)?\s*%?)");
regex!(QUANTITY = r"[0-9]+(?:\.[0-9]+)?\s*(?:%|\p{L}{1,2})");
regex!(TOTAL = r"绩效自评(?:总)?得分(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*分");
regex!(GRADE = r"自评等级(?:为)?\s*[“\x22「]?([^”\x22」，。,；;\s]{1,6})[”\x22」]?");
regex!(INITIAL = r"年初预算(?:安排|数)?\s*(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*万元");
regex!(ANNUAL = r"(?:调整后(?:的)?预算(?:资金|数)?|全年预算(?:数)?)\s*(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*万元");
regex!(ARRANGED = r"(^|[^初])预算安排\s*([0-9]+(?:\.[0-9]+)?)\s*万元");
regex!(IN_PLACE = r"到位资金\s*(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*万元");
regex!(EXECUTED = r"(?:实际执行|全年执行数|实际支出)\s*(?:数)?\s*(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*万元");

/// Lines as they come; `**` markup, Markdown heading marks and full-width
/// digits are taken out first.
fn paragraphs(lines: &[(Origin, &str)]) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    for (origin, line) in lines {
        let clean = normalize(line);
        let clean = clean.trim().trim_start_matches(['#', '>']).trim();
        // A Markdown list item's marker.
        let clean = ["- ", "* ", "+ "].iter().find_map(|m| clean.strip_prefix(m)).unwrap_or(clean).trim();
        if clean.is_empty() {
            continue;
        }
        let joins = out.last().is_some_and(|p| continues(&p.text, clean));
        match out.last_mut() {
            Some(p) if joins => {
                p.pieces.push((p.text.len(), origin.clone()));
                p.text.push_str(clean);
            }
            _ => out.push(Paragraph { text: clean.to_string(), pieces: vec![(0, origin.clone())] }),
        }
    }
    out
}

/// Whether `next` continues the sentence `text` left open: the text ends
/// mid-sentence and is no heading, and the next line starts no block.
fn continues(text: &str, next: &str) -> bool {
    let ends_open = !text.ends_with(['。', '；', ';', '：', ':', '！', '？', '!', '?']);
    let heading = NUMBERING.is_match(text) && !text.contains('，') && text.chars().count() < 40;
    let title = text.contains("绩效自评报告")
        || text.starts_with("附件")
        || PROJECT_NAME.is_match(text)
        || ORGANIZATION.is_match(text);
    let starts_block = NUMBERING.is_match(next)
        || GROUP.is_match(next)
        || next.starts_with("项目名称")
        || next.starts_with("评价设定分值")
        || next.starts_with("附件")
        || next.chars().take(15).any(|c| c == '：' || c == ':');
    ends_open && !heading && !title && !starts_block
}

fn strip_numbering(text: &str) -> &str {
    match NUMBERING.find(text) {
        // `3.项目…`: the pattern looked one letter past the dot; keep it.
        Some(m) if m.as_str().trim_end().ends_with(|c: char| c != '.' && c != '、' && c != '）' && c != ')') => {
            let last = m.as_str().trim_end().chars().last().map_or(0, char::len_utf8);
            &text[m.as_str().trim_end().len() - last..]
        }
        Some(m) => &text[m.end()..],
        None => text,
    }
}

pub fn parse(path: &Path, lines: &[(Origin, &str)]) -> Vec<Submission> {
    let paragraphs = paragraphs(lines);
    let starts: Vec<usize> = (0..paragraphs.len()).filter(|&i| PROJECT_NAME.is_match(&paragraphs[i].text)).collect();
    if starts.is_empty() {
        // One report without a 项目名称 line: the title names it.
        return vec![project(path, &paragraphs, 0, paragraphs.len())];
    }
    let mut out = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        // The title and 附件 line just before belong to this project.
        let from =
            (start.saturating_sub(3)..start).find(|&i| paragraphs[i].text.contains("绩效自评报告")).unwrap_or(start);
        let end = starts.get(k + 1).map_or(paragraphs.len(), |&next| {
            (next.saturating_sub(3)..next).find(|&i| paragraphs[i].text.contains("绩效自评报告")).unwrap_or(next)
        });
        out.push(project(path, &paragraphs, from, end));
    }
    out
}

/// Candidates for one fund, before they are compared.
type FundSeen = Vec<(Fund, String, Origin)>;

fn project(path: &Path, paragraphs: &[Paragraph], from: usize, end: usize) -> Submission {
    let mut s = Submission::new(path, paragraphs.get(from).map_or(Origin::File, Paragraph::origin));
    let mut reader =
        Reader { s: &mut s, section: None, group: None, heading: None, funds: Vec::new(), rows_at: Vec::new() };
    for (i, p) in paragraphs.iter().enumerate().take(end).skip(from) {
        reader.paragraph(i, p);
    }
    let Reader { funds, rows_at, .. } = reader;
    if s.year.is_none() {
        // No 年度 anywhere: the first year the report names.
        let first = (from..end).filter_map(|i| paragraphs.get(i)).find_map(|p| {
            let c = YEAR.captures(&p.text)?;
            let year: i32 = c[1].parse().ok()?;
            (1990..=2100).contains(&year).then(|| (year, p.origin()))
        });
        if let Some((year, at)) = first {
            s.notes.push(Note::new(NoteKind::Assumed, codes::READ_AS, "year", year.to_string(), at.clone()).words(
                "how",
                "the first year the report names (no …年度)",
                "报告中出现的第一个年份（未写“……年度”）",
            ));
            s.year = Some(Placed::new(year, at));
        }
    }
    settle_funds(&mut s, funds);
    attach_reasons(&mut s, &rows_at, paragraphs, from, end);
    if s.project.is_none() {
        s.notes.push(Note::new(NoteKind::Refused, codes::NO_PROJECT, "project", "", s.at.clone()));
    }
    if s.sections.iter().all(|section| section.rows.is_empty()) {
        s.notes.push(Note::new(NoteKind::Refused, codes::NO_TABLE, "indicators", "", s.at.clone()));
    }
    s
}

struct Reader<'a> {
    s: &'a mut Submission,
    /// Index of the section statements go to.
    section: Option<usize>,
    group: Option<Placed<String>>,
    /// The last heading's words: the wording of a statement that has none
    /// (`（1）预算执行率` then `指标目标值为100.0%，…`).
    heading: Option<String>,
    funds: FundSeen,
    /// (section, row, paragraph) of every row read, for their reasons.
    rows_at: Vec<(usize, usize, usize)>,
}

impl Reader<'_> {
    fn paragraph(&mut self, index: usize, p: &Paragraph) {
        let text = p.text.as_str();
        self.s.prose.push(Placed::new(text.to_string(), p.origin()));
        if let Some(c) = PROJECT_NAME.captures(text) {
            self.s.project = Some(Placed::new(c[1].trim().to_string(), p.origin()));
            return;
        }
        if let Some(c) = ORGANIZATION.captures(text) {
            self.s.organization = Some(Placed::new(c[1].trim().to_string(), p.origin()));
            return;
        }
        if text.contains("绩效自评报告") {
            if let Some(c) = TITLE_YEAR.captures(text)
                && let Ok(year) = c[1].parse()
            {
                self.s.year.get_or_insert(Placed::new(year, p.origin()));
            }
            if self.s.project.is_none()
                && let Some(c) = TITLE.captures(text)
            {
                let name: String = c[1].chars().filter(|c| !c.is_whitespace()).collect();
                self.s.project = Some(Placed::new(name, p.origin()));
            }
            return;
        }
        self.funds_in(p);
        if let Some(c) = TOTAL.captures(text) {
            self.s.total = Some(Placed::new(c[1].to_string(), p.origin_at(c.get(1).map_or(0, |m| m.start()))));
        }
        if let Some(c) = GRADE.captures(text) {
            self.s.grade = Some(Placed::new(c[1].to_string(), p.origin_at(c.get(1).map_or(0, |m| m.start()))));
        }
        let bare = strip_numbering(text);
        let numbered = bare.len() < text.len();
        if let Some(c) = SECTION_HEADING.captures(bare) {
            let name = c[1].trim().to_string();
            self.open_section(Placed::new(name, p.origin()));
            self.group = None;
            return;
        }
        if let Some(c) = SECTION_FIGURES.captures(text) {
            let at = p.origin();
            match self.section {
                Some(j) => {
                    let section = &mut self.s.sections[j];
                    section.points = Some(Placed::new(c[1].to_string(), at.clone()));
                    section.score = Some(Placed::new(c[2].to_string(), at.clone()));
                    section.rate = c.get(3).map(|m| Placed::new(m.as_str().replace(' ', ""), at.clone()));
                }
                None => self.s.notes.push(Note::new(NoteKind::Refused, codes::VALUE, "section", text, at).words(
                    "reason",
                    "no section heading before it",
                    "此前没有一级指标标题",
                )),
            }
            return;
        }
        let mut rest = bare;
        let mut offset = text.len() - bare.len();
        if let Some(c) = GROUP.captures(bare) {
            let whole = c.get(0).map_or(0, |m| m.end());
            self.group = Some(Placed::new(c[1].trim().to_string(), p.origin()));
            rest = &bare[whole..];
            offset += whole;
        }
        if !POINTS.captures_iter(rest).any(|c| c.get(1).is_none()) {
            if numbered && rest.chars().count() < 40 && !rest.is_empty() {
                self.heading = Some(rest.trim_end_matches(['：', ':']).trim().to_string());
            }
            return;
        }
        self.statements(index, p, rest, offset);
    }

    fn open_section(&mut self, name: Placed<String>) {
        let j = match self.s.sections.iter().position(|s| s.name.value == name.value) {
            Some(j) => j,
            None => {
                self.s.sections.push(Section::new(name));
                self.s.sections.len() - 1
            }
        };
        self.section = Some(j);
    }

    /// Every `…目标值 X，设定分值 N 分。…完成值为 Y，得 S 分，…偏差率为 D` in `rest`.
    fn statements(&mut self, index: usize, p: &Paragraph, rest: &str, offset: usize) {
        let anchors: Vec<regex::Captures> = POINTS.captures_iter(rest).filter(|c| c.get(1).is_none()).collect();
        let mut cursor = 0;
        for (k, c) in anchors.iter().enumerate() {
            let Some(whole) = c.get(0) else { continue };
            let next = anchors.get(k + 1).and_then(|n| n.get(0)).map_or(rest.len(), |m| m.start());
            let head = &rest[cursor..whole.start()];
            let tail = &rest[whole.end()..next];
            let at = p.origin_at(offset + cursor);
            let mut head_text = head.trim_start_matches(['；', ';', '。', '，', ',']).trim();
            // A group named inside the paragraph (`…为 0；社会效益指标：全区…`).
            if let Some(g) = GROUP.captures(strip_numbering(head_text)) {
                let stripped = strip_numbering(head_text);
                self.group = Some(Placed::new(g[1].trim().to_string(), at.clone()));
                head_text = &stripped[g.get(0).map_or(0, |m| m.end())..];
            }
            let Some(target_at) = head_text.rfind("目标值") else {
                self.s.notes.push(Note::new(NoteKind::Refused, codes::VALUE, "indicator", head_text, at).words(
                    "reason",
                    "no 目标值 before 设定分值",
                    "设定分值之前没有目标值",
                ));
                cursor = statement_end(tail).map_or(next, |e| whole.end() + e);
                continue;
            };
            let mut wording = head_text[..target_at].trim_end();
            wording = wording.strip_suffix("指标").unwrap_or(wording).trim_end_matches(['，', ',', ' ']).trim();
            let wording = strip_numbering(wording).trim().to_string();
            let wording = match (wording.is_empty(), &self.heading) {
                (true, Some(h)) => strip_numbering(h).to_string(),
                _ => wording,
            };
            let target = head_text[target_at + "目标值".len()..].trim_start();
            let target = target.strip_prefix('为').unwrap_or(target).trim().trim_end_matches(['，', ',']).trim();
            let mut row = Row::new(Placed::new(wording.clone(), at.clone()));
            row.group.clone_from(&self.group);
            row.target = Some(Placed::new(target.to_string(), at.clone()));
            row.points = Some(Placed::new(c[2].to_string(), p.origin_at(offset + whole.start())));
            let score = SCORE.captures(tail);
            let before_score = score.as_ref().and_then(|m| m.get(0)).map_or(tail, |m| &tail[..m.start()]);
            match actual_in(before_score) {
                Some((text, found_by)) => {
                    let actual_at = p.origin_at(offset + whole.end());
                    if !found_by {
                        self.s.notes.push(
                            Note::new(
                                NoteKind::Assumed,
                                codes::READ_AS,
                                format!("{wording} actual"),
                                text.clone(),
                                actual_at.clone(),
                            )
                            .words(
                                "how",
                                "the last figure before the score (no 完成值 in the sentence)",
                                "取得分之前的最后一个数（句中没有“完成值”）",
                            ),
                        );
                    }
                    row.actual = Some(Placed::new(text, actual_at));
                }
                None => self.s.notes.push(
                    Note::new(
                        NoteKind::Refused,
                        codes::VALUE,
                        format!("{wording} actual"),
                        before_score.trim(),
                        at.clone(),
                    )
                    .words(
                        "reason",
                        "no 完成值 and no figure before the score",
                        "得分之前既没有“完成值”也没有数",
                    ),
                ),
            }
            let mut end = next;
            if let Some(score) = &score
                && let Some(m) = score.get(0)
            {
                row.score = Some(Placed::new(score[1].to_string(), p.origin_at(offset + whole.end() + m.start())));
                let after = &tail[m.end()..];
                end = whole.end() + m.end();
                if let Some(d) = DEVIATION.captures(after)
                    && let Some(dm) = d.get(0)
                    && after[..dm.start()].chars().count() <= 12
                {
                    let printed: String = d[1].chars().filter(|c| !c.is_whitespace()).collect();
                    row.deviation =
                        Some(Placed::new(printed, p.origin_at(offset + whole.end() + m.end() + dm.start())));
                    end = whole.end() + m.end() + dm.end();
                }
            }
            cursor = end.min(next);
            self.push_row(index, row);
        }
    }

    fn push_row(&mut self, paragraph: usize, mut row: Row) {
        let budget = row.wording.value.contains("预算执行率");
        if budget {
            // The budget row stands under no 二级指标.
            row.group = None;
        }
        let j = match (budget, self.section) {
            (true, _) => match self.s.sections.iter().position(|s| s.budget) {
                Some(j) => j,
                None => {
                    let mut section = Section::new(Placed::new("预算执行".to_string(), row.wording.at.clone()));
                    section.budget = true;
                    section.points.clone_from(&row.points);
                    section.score.clone_from(&row.score);
                    self.s.notes.push(
                        Note::new(
                            NoteKind::Assumed,
                            codes::READ_AS,
                            "预算执行",
                            &row.wording.value,
                            row.wording.at.clone(),
                        )
                        .words(
                            "how",
                            "the budget row as a section of its own, its points and score the row's",
                            "预算执行率单列为一个一级指标，其分值与得分即该行的分值与得分",
                        ),
                    );
                    self.s.sections.push(section);
                    self.s.sections.len() - 1
                }
            },
            (false, Some(j)) => j,
            (false, None) => {
                self.s.notes.push(
                    Note::new(
                        NoteKind::Refused,
                        codes::VALUE,
                        &row.wording.value,
                        &row.wording.value,
                        row.wording.at.clone(),
                    )
                    .words(
                        "reason",
                        "no section heading (…指标完成情况分析) before it",
                        "此前没有一级指标标题（…指标完成情况分析）",
                    ),
                );
                return;
            }
        };
        self.s.sections[j].rows.push(row);
        self.rows_at.push((j, self.s.sections[j].rows.len() - 1, paragraph));
    }

    fn funds_in(&mut self, p: &Paragraph) {
        let text = p.text.as_str();
        for (fund, pattern, group) in [
            (Fund::Initial, &*INITIAL, 1),
            (Fund::Annual, &*ANNUAL, 1),
            (Fund::Annual, &*ARRANGED, 2),
            (Fund::InPlace, &*IN_PLACE, 1),
            (Fund::Executed, &*EXECUTED, 1),
        ] {
            for c in pattern.captures_iter(text) {
                if let Some(m) = c.get(group) {
                    self.funds.push((fund, m.as_str().to_string(), p.origin_at(m.start())));
                }
            }
        }
    }
}

/// The actual in the words before the score: after the last 完成值 (or
/// 实际完成), up to the next comma; else the last figure (`false`).
fn actual_in(text: &str) -> Option<(String, bool)> {
    let anchor = ["完成值", "实际完成"].iter().find_map(|a| text.rfind(a).map(|i| i + a.len()));
    if let Some(start) = anchor {
        let after = text[start..].trim_start();
        let after = after.strip_prefix('为').or_else(|| after.strip_prefix(['：', ':'])).unwrap_or(after).trim_start();
        let value = first_clause(after).trim();
        if !value.is_empty() {
            return Some((value.to_string(), true));
        }
    }
    QUANTITY.find_iter(text).last().map(|m| (m.as_str().to_string(), false))
}

/// Up to the first comma, semicolon or full stop — a comma between digit
/// groups (`6,480`) belongs to the number.
fn first_clause(text: &str) -> &str {
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let thousands = matches!(c, ',' | '，')
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + c.len_utf8()..i + c.len_utf8() + 3).is_some_and(|g| g.iter().all(u8::is_ascii_digit))
            && !bytes.get(i + c.len_utf8() + 3).is_some_and(u8::is_ascii_digit);
        if matches!(c, '，' | ',' | '；' | ';' | '。') && !thousands {
            return &text[..i];
        }
    }
    text
}

/// Where a statement whose wording could not be read ends: after its deviation.
fn statement_end(tail: &str) -> Option<usize> {
    DEVIATION.find(tail).map(|m| m.end())
}

/// A fund stated more than once must agree with itself.
fn settle_funds(s: &mut Submission, seen: FundSeen) {
    for fund in Fund::ALL {
        let all: Vec<&(Fund, String, Origin)> = seen.iter().filter(|(f, _, _)| *f == fund).collect();
        let Some((_, first, at)) = all.first() else { continue };
        let values: Vec<rust_decimal::Decimal> = all.iter().filter_map(|(_, v, _)| v.parse().ok()).collect();
        if values.windows(2).all(|w| w[0] == w[1])
            && let Some(value) = values.first()
        {
            s.funds.push((fund, Placed::new(*value, at.clone())));
        } else {
            let found: Vec<String> = all.iter().map(|(_, v, at)| format!("{v} ({at})")).collect();
            s.notes.push(
                Note::new(NoteKind::Ambiguous, codes::FUNDS, fund.name(), found.join(", "), at.clone())
                    .arg("first", first),
            );
        }
    }
}

/// A shortfall's reason: the paragraph right after its statement when it
/// gives one (原因); else the one paragraph elsewhere in the report that
/// names the indicator and gives a cause (原因, 由于, 因此, 导致).
fn attach_reasons(
    s: &mut Submission,
    rows_at: &[(usize, usize, usize)],
    paragraphs: &[Paragraph],
    from: usize,
    end: usize,
) {
    let statements: Vec<usize> = rows_at.iter().map(|(_, _, p)| *p).collect();
    let squeeze = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    for &(j, r, paragraph) in rows_at {
        let row = &s.sections[j].rows[r];
        let short = match (&row.score, &row.points) {
            (Some(score), Some(points)) => {
                score.value.parse::<rust_decimal::Decimal>().ok() < points.value.parse::<rust_decimal::Decimal>().ok()
            }
            _ => false,
        };
        if !short || row.reason.is_some() {
            continue;
        }
        let wording = row.wording.value.clone();
        let next = paragraphs
            .get(paragraph + 1)
            .filter(|p| paragraph + 1 < end && p.text.contains("原因") && !POINTS.is_match(&p.text));
        let (found, how) = match next {
            Some(p) => (
                vec![p],
                ("the paragraph after the statement, which gives a reason (原因)", "取该句之后说明原因的段落"),
            ),
            None => {
                let key = squeeze(&wording);
                let mentions: Vec<&Paragraph> = (from..end)
                    .filter(|i| !statements.contains(i))
                    .filter_map(|i| paragraphs.get(i))
                    .filter(|p| {
                        let text = squeeze(&p.text);
                        key.chars().count() >= 4
                            && text.contains(&key)
                            && ["原因", "由于", "因此", "导致"].iter().any(|w| text.contains(w))
                    })
                    .collect();
                (mentions, ("the paragraph that names the indicator and gives a cause", "取提及该指标并说明原因的段落"))
            }
        };
        match found.as_slice() {
            [p] => {
                s.notes.push(
                    Note::new(NoteKind::Assumed, codes::READ_AS, format!("{wording} reason"), &p.text, p.origin())
                        .words("how", how.0, how.1),
                );
                s.sections[j].rows[r].reason = Some(Placed::new(p.text.clone(), p.origin()));
            }
            [] => {}
            several => {
                let places: Vec<String> = several.iter().map(|p| p.origin().to_string()).collect();
                s.notes.push(
                    Note::new(
                        NoteKind::Ambiguous,
                        codes::AMBIGUOUS,
                        format!("{wording} reason"),
                        &wording,
                        several[0].origin(),
                    )
                    .arg("candidates", places.join(", ")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Submission> {
        let lines: Vec<(Origin, &str)> =
            text.lines().enumerate().map(|(i, l)| (Origin::Line { line: i + 1 }, l)).collect();
        parse(Path::new("report.txt"), &lines)
    }

    #[test]
    fn a_statement_split_across_lines() {
        let s = read(
            "项目名称: 示例专项\n\n1、产出指标完成情况分析\n\n评价设定分值 10 分，自评得分 10 分，得分率 100.0%\n\n数量指标：\n\n\
             开展培训次数，指标目标值 **4** 次，设定分值\n\n10 分。实际完成值为 ４ 次，得 10 分，指标值偏差率\n\n为 0；\n",
        );
        assert_eq!(s.len(), 1);
        let row = &s[0].sections[0].rows[0];
        assert_eq!(row.wording.value, "开展培训次数");
        assert_eq!(row.group.as_ref().map(|g| g.value.as_str()), Some("数量指标"));
        assert_eq!(row.target.as_ref().unwrap().value, "4 次");
        assert_eq!(row.points.as_ref().unwrap().value, "10");
        assert_eq!(row.actual.as_ref().unwrap().value, "4 次");
        assert_eq!(row.deviation.as_ref().unwrap().value, "0");
        assert_eq!(row.wording.at, Origin::Line { line: 9 });
        assert_eq!(s[0].sections[0].points.as_ref().unwrap().value, "10");
    }

    #[test]
    fn two_statements_in_one_paragraph_and_a_group_inside() {
        let s = read(
            "项目名称: 示例专项\n2、效益指标完成情况分析\n评价设定分值 20 分，自评得分 20 分，得分率 100.0%\n\
             社会效益指标：甲事故次数，指标目标值 0 次，设定分值 10 分。实际完成值 0 次，得 10 分，指标值偏差率为 0；乙事故次数，指标目标值 0 次，设定分值 10 分。实际完成值 0 次，得 10 分，指标值偏差率为 0。\n",
        );
        let rows = &s[0].sections[0].rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].wording.value, "乙事故次数");
        assert_eq!(rows[1].group.as_ref().unwrap().value, "社会效益指标");
    }

    #[test]
    fn numbering() {
        assert_eq!(strip_numbering("（1）预算执行率"), "预算执行率");
        assert_eq!(strip_numbering("(2) 质量指标："), "质量指标：");
        assert_eq!(strip_numbering("3.项目资金管理情况分析"), "项目资金管理情况分析");
        assert_eq!(strip_numbering("1、产出指标完成情况分析"), "产出指标完成情况分析");
        assert_eq!(strip_numbering("一、项目基本情况"), "项目基本情况");
        assert_eq!(strip_numbering("2018年项目"), "2018年项目");
    }

    #[test]
    fn funds_and_the_budget_row() {
        let s = read(
            "项目名称: 示例专项\n2018 年项目资金财政预算安排 100 万元，2018 年实际到位资金 100 万元。实际执行 81.2 万元，预算执行率为 81.2%。\n\
             （1）预算执行率\n\n指标目标值为**100.0%**，设定分值**20**分。实际完成**81.2%**，得**16.24**分，指标值偏差率为**-18.8%**。\n\n\
             主要原因是：部分维修未实施。\n",
        );
        let s = &s[0];
        assert_eq!(s.fund(Fund::Annual).unwrap().value.to_string(), "100");
        assert_eq!(s.fund(Fund::Executed).unwrap().value.to_string(), "81.2");
        let budget = &s.sections[0];
        assert!(budget.budget);
        assert_eq!(budget.rows[0].wording.value, "预算执行率");
        assert_eq!(budget.rows[0].actual.as_ref().unwrap().value, "81.2%");
        assert_eq!(budget.rows[0].deviation.as_ref().unwrap().value, "-18.8%");
        assert!(budget.rows[0].reason.as_ref().unwrap().value.contains("维修"));
    }
}
