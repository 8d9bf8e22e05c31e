//! 自评表 workbooks (`.xlsx`; `.xls` and `.ods` through calamine): every
//! table found by its header words, never by fixed cells.
//!
//! The official template (财预〔2020〕10号) and its variants put, top to
//! bottom: 项目名称 and the units; the funds block (年初预算数 | 全年预算数 |
//! 全年执行数 | 分值 | 执行率 | 得分 over 年度资金总额); 年度总体目标 (预期目标 |
//! 实际完成情况); the indicator block (一级指标 | 二级指标 | 三级指标 | 年度指标值
//! | 实际完成值 | 分值 | 得分 | 偏差原因…), 一级 and 二级 merged down; 总分.
//! Several tables on a sheet (each starts at its 项目名称) or one per sheet.

use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{Data, Reader};
use quick_xml::events::Event;
use rust_decimal::Decimal;

use super::value::from_double;
use super::{Fund, Note, NoteKind, Origin, Placed, Row, Section, Submission, codes};
use crate::diagnostic::Problem;

/// One cell as the reader sees it: its text as a person reads it.
#[derive(Clone, Debug, Default)]
struct Cell {
    text: String,
    /// A number, read by the shortest decimal of its double.
    number: Option<Decimal>,
}

/// A sheet: cells by (row, column), 0-based from A1, and what the file
/// says besides values (number formats, hidden rows).
struct Sheet {
    name: String,
    cells: Vec<Vec<Cell>>,
    hidden: Vec<usize>,
    doubles: usize,
    /// Cells past the rows and columns a 自评表 can have were not read.
    beyond: Option<(usize, usize)>,
}

/// A 自评表 fits in far fewer rows and columns; a stray cell at XFD1048576
/// must not make a sheet of 17 billion cells.
const MAX_ROWS: usize = 5_000;
const MAX_COLS: usize = 64;
/// No part of a submitted workbook or document is this large uncompressed.
const MAX_PART: u64 = 32 << 20;

impl Sheet {
    fn get(&self, row: usize, col: usize) -> &str {
        self.cells.get(row).and_then(|r| r.get(col)).map_or("", |c| c.text.as_str())
    }

    fn origin(&self, row: usize, col: usize) -> Origin {
        Origin::Cell { sheet: self.name.clone(), cell: a1(row, col) }
    }

    fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// `(0, 0)` → `A1`.
pub fn a1(row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// A header's words, without spaces and line breaks (`年度\n指标值`).
fn squeeze(text: &str) -> String {
    super::value::normalize(text).chars().filter(|c| !c.is_whitespace()).collect()
}

fn unreadable(path: &Path, reason: impl std::fmt::Display) -> Problem {
    Problem::error(codes::FORMAT).arg("path", path.display()).arg("reason", reason)
}

pub fn read(path: &Path) -> Result<Vec<Submission>, Problem> {
    let (sheets, hidden) = load(path)?;
    let mut out = Vec::new();
    for sheet in &sheets {
        out.extend(tables(path, sheet));
    }
    // What a reviewer does not see on screen is not imported, but it is said.
    if let Some(first) = out.first_mut() {
        for name in hidden {
            first.notes.push(
                Note::new(NoteKind::Assumed, codes::HIDDEN, "sheet", &name, Origin::File)
                    .words("what", format!("sheet “{name}”"), format!("工作表“{name}”"))
                    .words("how", "not read", "未读取"),
            );
        }
    }
    if out.is_empty() {
        let mut s = Submission::new(path, Origin::File);
        s.notes.push(Note::new(NoteKind::Refused, codes::NO_TABLE, "workbook", "", Origin::File));
        out.push(s);
    }
    Ok(out)
}

/// The sheets to read, and the hidden ones (named, not read).
fn load(path: &Path) -> Result<(Vec<Sheet>, Vec<String>), Problem> {
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let mut hidden_sheets = Vec::new();
    let mut sheets = Vec::new();
    if extension == "ods" {
        open_zip(path)?;
    }
    if extension == "xlsx" || extension == "xlsm" {
        let formats = xlsx_formats(&mut open_zip(path)?).map_err(|e| unreadable(path, e))?;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|e| unreadable(path, e))?;
        let metadata: Vec<(String, bool)> = book
            .sheets_metadata()
            .iter()
            .map(|m| (m.name.clone(), m.visible == calamine::SheetVisible::Visible))
            .collect();
        for (name, visible) in metadata {
            if !visible {
                hidden_sheets.push(name);
                continue;
            }
            let (formats, hidden) = formats.get(&name).cloned().unwrap_or_default();
            let mut cells: Vec<(usize, usize, Data)> = Vec::new();
            let mut beyond = None;
            let mut reader = book.worksheet_cells_reader(&name).map_err(|e| unreadable(path, e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(path, e))? {
                let (r, c) = cell.get_position();
                let (r, c) = (r as usize, c as usize);
                if r >= MAX_ROWS || c >= MAX_COLS {
                    if !matches!(cell.get_value(), calamine::DataRef::Empty) {
                        beyond.get_or_insert((r, c));
                    }
                    if r >= MAX_ROWS {
                        break;
                    }
                    continue;
                }
                let value = match cell.get_value() {
                    calamine::DataRef::SharedString(s) => Data::String((*s).to_string()),
                    other => Data::from(other.clone()),
                };
                cells.push((r, c, value));
            }
            let mut sheet = sheet(&name, &cells, &formats, hidden);
            sheet.beyond = beyond;
            sheets.push(sheet);
        }
        return Ok((sheets, hidden_sheets));
    }
    let mut book = calamine::open_workbook_auto(path).map_err(|e| unreadable(path, e))?;
    let metadata: Vec<(String, bool)> =
        book.sheets_metadata().iter().map(|m| (m.name.clone(), m.visible == calamine::SheetVisible::Visible)).collect();
    for (name, visible) in metadata {
        if !visible {
            hidden_sheets.push(name);
            continue;
        }
        let range = book.worksheet_range(&name).map_err(|e| unreadable(path, e))?;
        let (top, left) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut cells = Vec::new();
        let mut beyond = None;
        for (r, row) in range.rows().enumerate() {
            for (c, data) in row.iter().enumerate() {
                let (r, c) = (top + r, left + c);
                if r >= MAX_ROWS || c >= MAX_COLS {
                    if *data != Data::Empty {
                        beyond.get_or_insert((r, c));
                    }
                    continue;
                }
                if *data != Data::Empty {
                    cells.push((r, c, data.clone()));
                }
            }
        }
        let mut sheet = sheet(&name, &cells, &HashMap::new(), Vec::new());
        sheet.beyond = beyond;
        sheets.push(sheet);
    }
    Ok((sheets, hidden_sheets))
}

type Zip = zip::ZipArchive<BufReader<std::fs::File>>;

/// A workbook's or document's zip, refused when a part unpacks to more than
/// a submission can be (a zip bomb) — before anything is unpacked.
fn open_zip(path: &Path) -> Result<Zip, Problem> {
    let file = std::fs::File::open(path).map_err(|e| unreadable(path, e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| unreadable(path, e))?;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| unreadable(path, e))?;
        if entry.size() > MAX_PART {
            return Err(super::too_large(path, MAX_PART));
        }
    }
    Ok(zip)
}

fn sheet(
    name: &str,
    cells: &[(usize, usize, Data)],
    formats: &HashMap<(usize, usize), String>,
    hidden: Vec<usize>,
) -> Sheet {
    let rows = cells.iter().map(|(r, _, _)| r + 1).max().unwrap_or(0);
    let mut grid: Vec<Vec<Cell>> = vec![Vec::new(); rows];
    let mut doubles = 0;
    for (r, c, data) in cells {
        let format = formats.get(&(*r, *c)).map(String::as_str);
        let cell = match data {
            Data::Empty => continue,
            Data::String(s) => Cell { text: s.clone(), number: None },
            Data::Int(i) => Cell { text: format_number(Decimal::from(*i), format), number: Some(Decimal::from(*i)) },
            Data::Float(f) => match from_double(*f) {
                Some(d) => {
                    doubles += 1;
                    Cell { text: format_number(d, format), number: Some(d) }
                }
                None => continue,
            },
            Data::Bool(b) => Cell { text: if *b { "是" } else { "否" }.into(), number: None },
            Data::DateTime(d) => Cell { text: excel_date(d.as_f64()), number: None },
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell { text: s.clone(), number: None },
            Data::Error(e) => Cell { text: format!("#{e:?}"), number: None },
        };
        let row = &mut grid[*r];
        if row.len() <= *c {
            row.resize(*c + 1, Cell::default());
        }
        row[*c] = cell;
    }
    Sheet { name: name.to_string(), cells: grid, hidden, doubles, beyond: None }
}

/// A number as its cell shows it: a percent format shows `95%` for 0.95;
/// literal text in the format (`"≥"0.0%`, `General" 台"`) is kept around it,
/// so a target written as a number with its direction and unit in the
/// format reads as it prints.
fn format_number(value: Decimal, format: Option<&str>) -> String {
    let Some(format) = format else { return value.normalize().to_string() };
    let section = format.split(';').next().unwrap_or("");
    let mut before = String::new();
    let mut after = String::new();
    let mut percent = false;
    let mut seen_placeholder = false;
    let mut general = false;
    // Decimal places the format shows: the 0s and #s after its point.
    let mut places: Option<u32> = None;
    let mut chars = section.chars().peekable();
    while let Some(c) = chars.next() {
        let literal = match c {
            '"' => {
                let mut s = String::new();
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    s.push(q);
                }
                Some(s)
            }
            '\\' => chars.next().map(String::from),
            '%' => {
                percent = true;
                None
            }
            '.' if seen_placeholder || chars.peek().is_some_and(|n| *n == '0' || *n == '#') => {
                places = Some(0);
                None
            }
            '0' | '#' | '?' => {
                seen_placeholder = true;
                if let Some(p) = places.as_mut() {
                    *p += 1;
                }
                None
            }
            ',' => None,
            'G' | 'g' => {
                // `General`
                for _ in 0..6 {
                    chars.next();
                }
                seen_placeholder = true;
                general = true;
                None
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
                None
            }
            '_' | '*' => {
                chars.next();
                None
            }
            _ => None,
        };
        if let Some(text) = literal {
            if seen_placeholder { after.push_str(&text) } else { before.push_str(&text) }
        }
    }
    let shown = if percent { value * Decimal::ONE_HUNDRED } else { value };
    // The figure as the cell shows it: rounded to the format's places (四舍五入).
    let number = match general {
        false if seen_placeholder => {
            let p = places.unwrap_or(0);
            let mut r = shown.round_dp_with_strategy(p, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            r.rescale(p);
            r.to_string()
        }
        _ => shown.normalize().to_string(),
    };
    format!("{before}{number}{}{after}", if percent { "%" } else { "" })
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days - 25569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Number formats by cell and hidden rows, by sheet name: what calamine
/// does not say (a percent format tells 0.95 from 95%).
type Formats = HashMap<String, (HashMap<(usize, usize), String>, Vec<usize>)>;

fn xlsx_formats(zip: &mut Zip) -> Result<Formats, String> {
    let styles = part(zip, "xl/styles.xml").unwrap_or_default();
    let style_formats = cell_formats(&styles);
    let workbook = part(zip, "xl/workbook.xml").ok_or("no xl/workbook.xml")?;
    let rels = part(zip, "xl/_rels/workbook.xml.rels").unwrap_or_default();
    let targets: HashMap<String, String> = elements(&rels, b"Relationship")
        .into_iter()
        .filter_map(|a| Some((a.get("Id")?.clone(), a.get("Target")?.clone())))
        .collect();
    let mut out = Formats::new();
    for sheet in elements(&workbook, b"sheet") {
        let (Some(name), Some(id)) = (sheet.get("name"), sheet.get("r:id")) else { continue };
        let Some(target) = targets.get(id) else { continue };
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        let Some(xml) = part(zip, &path) else { continue };
        let mut formats = HashMap::new();
        for c in elements(&xml, b"c") {
            let (Some(r), Some(s)) = (c.get("r"), c.get("s")) else { continue };
            let Some(format) = s.parse::<usize>().ok().and_then(|s| style_formats.get(s)).and_then(Clone::clone) else {
                continue;
            };
            if let Some(place) = parse_a1(r) {
                formats.insert(place, format);
            }
        }
        let hidden = elements(&xml, b"row")
            .into_iter()
            .filter(|row| row.get("hidden").is_some_and(|h| h == "1" || h == "true"))
            .filter_map(|row| row.get("r")?.parse::<usize>().ok().map(|r| r - 1))
            .collect();
        out.insert(name.clone(), (formats, hidden));
    }
    Ok(out)
}

fn part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let mut file = zip.by_name(name).ok()?;
    let mut text = String::new();
    // `open_zip` refused larger parts; a lying size stops here.
    file.by_ref().take(MAX_PART).read_to_string(&mut text).ok()?;
    Some(text)
}

/// Each `cellXfs/xf`'s number format code; `None` for General.
fn cell_formats(styles: &str) -> Vec<Option<String>> {
    let custom: HashMap<String, String> = elements(styles, b"numFmt")
        .into_iter()
        .filter_map(|a| Some((a.get("numFmtId")?.clone(), a.get("formatCode")?.clone())))
        .collect();
    // Only the xf elements inside cellXfs count.
    let Some(start) = styles.find("<cellXfs") else { return Vec::new() };
    let end = styles[start..].find("</cellXfs>").map_or(styles.len(), |e| start + e);
    elements(&styles[start..end], b"xf")
        .into_iter()
        .map(|a| {
            let id = a.get("numFmtId").cloned().unwrap_or_default();
            match id.as_str() {
                "9" => Some("0%".to_string()),
                "10" => Some("0.00%".to_string()),
                "0" | "" => None,
                other => custom.get(other).cloned(),
            }
        })
        .collect()
}

/// `E12` → (11, 4).
fn parse_a1(r: &str) -> Option<(usize, usize)> {
    let letters: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
    let row: usize = r[letters.len()..].parse().ok()?;
    let col = letters.bytes().try_fold(0usize, |n, b| Some(n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1)))?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// The attributes of every element named `name` (start or empty), unescaped.
fn elements(xml: &str, name: &[u8]) -> Vec<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let decoder = reader.decoder();
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.name().as_ref() == name => {
                let attributes = e
                    .attributes()
                    .filter_map(Result::ok)
                    .filter_map(|a| {
                        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                        Some((key, a.decode_and_unescape_value(decoder).ok()?.into_owned()))
                    })
                    .collect();
                out.push(attributes);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// A Word document's paragraphs, as text (`w:t` runs, tabs as tabs).
pub fn docx_paragraphs(path: &Path) -> Result<Vec<String>, Problem> {
    let mut zip = open_zip(path)?;
    let xml = part(&mut zip, "word/document.xml").ok_or_else(|| unreadable(path, "no word/document.xml"))?;
    // A document cut short reads as far as it goes: refused, never half-read.
    if !xml.trim_end().ends_with("</w:document>") {
        return Err(unreadable(path, "word/document.xml ends before </w:document>"));
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == b"w:t" => in_text = true,
            Ok(Event::End(e)) if e.name().as_ref() == b"w:t" => in_text = false,
            Ok(Event::Empty(e)) if e.name().as_ref() == b"w:tab" => current.push('\t'),
            Ok(Event::Empty(e)) if e.name().as_ref() == b"w:br" => current.push(' '),
            Ok(Event::End(e)) if e.name().as_ref() == b"w:p" => paragraphs.push(std::mem::take(&mut current)),
            Ok(Event::Text(t)) if in_text => current.push_str(&t.decode().unwrap_or_default()),
            Ok(Event::GeneralRef(r)) if in_text => {
                let name = r.decode().unwrap_or_default();
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match name.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                current.extend(c);
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(unreadable(path, e)),
            _ => {}
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    Ok(paragraphs)
}

/// The roles of the indicator block's columns, by header words (first match wins).
const COLUMNS: &[(Role, &[&str])] = &[
    (Role::Section, &["一级指标"]),
    (Role::Group, &["二级指标"]),
    (Role::Wording, &["三级指标", "指标名称"]),
    (Role::Target, &["年度指标值", "年度目标值", "指标值", "目标值"]),
    (Role::Actual, &["实际完成值", "实际完成情况", "实际值", "完成值"]),
    (Role::Points, &["设定分值", "分值", "权重"]),
    (Role::Score, &["自评得分", "得分"]),
    (Role::Deviation, &["偏差率"]),
    (Role::Reason, &["偏差原因"]),
    (Role::Direction, &["指标性质", "指标方向"]),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Section,
    Group,
    Wording,
    Target,
    Actual,
    Points,
    Score,
    Deviation,
    Reason,
    Direction,
}

fn role_of(header: &str) -> Option<Role> {
    let header = squeeze(header);
    if header.is_empty() {
        return None;
    }
    COLUMNS.iter().find(|(_, words)| words.iter().any(|w| header == *w || header.starts_with(w))).map(|(r, _)| *r)
}

/// Every table on a sheet: one per 项目名称.
fn tables(path: &Path, sheet: &Sheet) -> Vec<Submission> {
    let starts: Vec<usize> = (0..sheet.cells.len())
        .filter(|&r| (0..sheet.width()).any(|c| squeeze(sheet.get(r, c)) == "项目名称"))
        .collect();
    let mut out = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(sheet.cells.len());
        // The title and year lines just above belong to this table.
        let from = starts.get(k.wrapping_sub(1)).map_or(0, |_| start.saturating_sub(2)).max(if k == 0 {
            0
        } else {
            starts[k - 1] + 1
        });
        out.push(table(path, sheet, from, start, end));
    }
    out
}

fn table(path: &Path, sheet: &Sheet, from: usize, start: usize, end: usize) -> Submission {
    let mut s = Submission::new(path, sheet.origin(start, 0));
    let width = sheet.width();
    // The year: `（2022年度）` or a title holding one.
    for r in from..end.min(start + 1) {
        for c in 0..width {
            let text = squeeze(sheet.get(r, c));
            if let Some(i) = text.find("年度")
                && i >= 4
                && let Ok(year) = text.get(i - 4..i).unwrap_or("").parse::<i32>()
            {
                s.year.get_or_insert(Placed::new(year, sheet.origin(r, c)));
            }
        }
    }
    // Labelled values: the first filled cell to the right of the label.
    let value_right = |r: usize, c: usize| -> Option<Placed<String>> {
        (c + 1..width)
            .find(|&v| !sheet.get(r, v).trim().is_empty())
            .map(|v| Placed::new(sheet.get(r, v).trim().to_string(), sheet.origin(r, v)))
    };
    for r in start..end {
        for c in 0..width {
            match squeeze(sheet.get(r, c)).as_str() {
                "项目名称" => {
                    // A line break typed into the cell (Alt+Enter) is not part of the name.
                    s.project = value_right(r, c).map(|p| Placed::new(p.value.replace(['\n', '\r'], ""), p.at));
                }
                "实施单位" | "项目单位" => s.organization = value_right(r, c).or(s.organization.take()),
                _ => {}
            }
        }
    }
    funds(sheet, start, end, &mut s);
    figures(sheet, start, end, &mut s);
    goal(sheet, start, end, &mut s);
    indicators(sheet, start, end, &mut s);
    if let Some((r, c)) = sheet.beyond {
        s.notes.push(
            Note::new(NoteKind::Refused, codes::BEYOND, "sheet", sheet.get(r, c), sheet.origin(r, c))
                .arg("cell", a1(r, c))
                .arg("limit", a1(MAX_ROWS - 1, MAX_COLS - 1)),
        );
    }
    if sheet.doubles > 0 {
        s.notes.push(
            Note::new(NoteKind::Assumed, codes::DOUBLE, "numbers", sheet.doubles.to_string(), sheet.origin(start, 0))
                .arg("count", sheet.doubles),
        );
    }
    for &r in &sheet.hidden {
        if (start..end).contains(&r) {
            s.notes.push(
                Note::new(NoteKind::Assumed, codes::HIDDEN, "row", sheet.get(r, 2), sheet.origin(r, 0))
                    .words("what", format!("row {}", r + 1), format!("第 {} 行", r + 1))
                    .words("how", "read", "已读取"),
            );
        }
    }
    if s.project.is_none() {
        s.notes.push(Note::new(NoteKind::Refused, codes::NO_PROJECT, "project", "", sheet.origin(start, 0)));
    }
    s
}

/// The funds block: a row naming the amounts, and the amounts under the
/// names (in the 年度资金总额 row when there is one).
fn funds(sheet: &Sheet, start: usize, end: usize, s: &mut Submission) {
    let width = sheet.width();
    let fund_of = |text: &str| -> Option<Fund> {
        let t = squeeze(text);
        match () {
            _ if t.starts_with("年初预算") => Some(Fund::Initial),
            _ if t.starts_with("全年预算") || t.starts_with("调整后预算") => Some(Fund::Annual),
            _ if t.starts_with("到位资金") || t.starts_with("全年到位") || t == "到位数" => {
                Some(Fund::InPlace)
            }
            _ if t.starts_with("全年执行") || t.starts_with("实际执行") || t == "执行数" => {
                Some(Fund::Executed)
            }
            _ => None,
        }
    };
    let Some(header) = (start..end).find(|&r| (0..width).filter(|&c| fund_of(sheet.get(r, c)).is_some()).count() >= 2)
    else {
        return;
    };
    let amounts = (header + 1..end.min(header + 6))
        .find(|&r| (0..width).any(|c| squeeze(sheet.get(r, c)).starts_with("年度资金总额")))
        .unwrap_or(header + 1);
    let mut budget: [Option<Placed<String>>; 3] = [None, None, None];
    for c in 0..width {
        let name = sheet.get(header, c);
        let cell = sheet.cells.get(amounts).and_then(|row| row.get(c));
        if let Some(fund) = fund_of(name) {
            match cell.and_then(|cell| cell.number) {
                Some(n) => s.funds.push((fund, Placed::new(n, sheet.origin(amounts, c)))),
                None if cell.is_some_and(|cell| !cell.text.trim().is_empty()) => s.notes.push(
                    Note::new(
                        NoteKind::Refused,
                        codes::VALUE,
                        fund.name(),
                        sheet.get(amounts, c),
                        sheet.origin(amounts, c),
                    )
                    .words("reason", "not a number", "不是数"),
                ),
                None => {}
            }
            continue;
        }
        let slot = match squeeze(name).as_str() {
            "分值" => 0,
            "执行率" => 1,
            "得分" => 2,
            _ => continue,
        };
        let text = sheet.get(amounts, c).trim();
        if !text.is_empty() && !["—", "-", "/"].contains(&text) {
            budget[slot] = Some(Placed::new(text.to_string(), sheet.origin(amounts, c)));
        }
    }
    // The template scores budget execution in the funds block.
    if let [Some(points), rate, score] = budget {
        let at = points.at.clone();
        let mut row = Row::new(Placed::new("预算执行率".to_string(), at.clone()));
        row.target = Some(Placed::new("100%".to_string(), at.clone()));
        row.actual = rate;
        row.points = Some(points.clone());
        row.score = score.clone();
        let mut section = Section::new(Placed::new("预算执行".to_string(), at.clone()));
        section.budget = true;
        section.points = Some(points);
        section.score = score;
        section.rows.push(row);
        s.sections.push(section);
        s.notes.push(Note::new(NoteKind::Assumed, codes::READ_AS, "预算执行率 target", "100%", at).words(
            "how",
            "the funds block's execution rate, against a target of 100% (the template's 执行率)",
            "资金表的执行率，目标按 100%（模板的执行率）",
        ));
    }
}

/// A 基础数据 block: a name over each value, as jixiao's own workbook writes it.
fn figures(sheet: &Sheet, start: usize, end: usize, s: &mut Submission) {
    for r in start..end {
        if squeeze(sheet.get(r, 0)) != "基础数据" {
            continue;
        }
        for c in 1..sheet.width() {
            let name = sheet.get(r, c).trim();
            let value = sheet.get(r + 1, c).trim();
            if !name.is_empty() && !value.is_empty() {
                s.figures.push((name.to_string(), Placed::new(value.to_string(), sheet.origin(r + 1, c))));
            }
        }
    }
}

/// 年度总体目标: the texts under 预期目标 and 实际完成情况; or, as jixiao's own
/// workbook writes them, a 总体目标 and a 完成情况 line.
fn goal(sheet: &Sheet, start: usize, end: usize, s: &mut Submission) {
    let width = sheet.width();
    for r in start..end {
        let label = squeeze(sheet.get(r, 0));
        let into = match label.as_str() {
            "总体目标" => &mut s.goal,
            "完成情况" => &mut s.result,
            _ => continue,
        };
        if let Some(v) = value_right_of(sheet, r, 0) {
            *into = Some(v);
        }
    }
    let Some(label) = (start..end).find(|&r| (0..width).any(|c| squeeze(sheet.get(r, c)).starts_with("年度总体目标")))
    else {
        return;
    };
    let column =
        |words: &[&str]| (0..width).find(|&c| words.iter().any(|w| squeeze(sheet.get(label, c)).starts_with(w)));
    for (words, into) in [(&["预期目标"][..], &mut s.goal), (&["实际完成情况", "实际完成"][..], &mut s.result)]
    {
        let Some(c) = column(words) else { continue };
        let below = sheet.get(label + 1, c).trim();
        if !below.is_empty() {
            *into = Some(Placed::new(below.to_string(), sheet.origin(label + 1, c)));
        }
    }
}

/// The indicator block, from its header row to 总分.
fn indicators(sheet: &Sheet, start: usize, end: usize, s: &mut Submission) {
    let width = sheet.width();
    let header = (start..end).find(|&r| {
        let roles: Vec<Role> = (0..width).filter_map(|c| role_of(sheet.get(r, c))).collect();
        roles.contains(&Role::Wording) && roles.contains(&Role::Target) && roles.contains(&Role::Points)
    });
    let Some(header) = header else {
        s.notes.push(Note::new(NoteKind::Refused, codes::NO_TABLE, "indicators", "", sheet.origin(start, 0)));
        return;
    };
    let mut columns: Vec<(Role, usize)> = Vec::new();
    for c in 0..width {
        if let Some(role) = role_of(sheet.get(header, c))
            && !columns.iter().any(|(r, _)| *r == role)
        {
            columns.push((role, c));
        }
    }
    let col = |role: Role| columns.iter().find(|(r, _)| *r == role).map(|(_, c)| *c);
    let text_at = |r: usize, role: Role| -> Option<Placed<String>> {
        let c = col(role)?;
        let text = sheet.get(r, c).trim();
        (!text.is_empty()).then(|| Placed::new(text.to_string(), sheet.origin(r, c)))
    };
    // A value cell left blank keeps its place, so a refusal names that cell.
    let value_at = |r: usize, role: Role| -> Option<Placed<String>> {
        let c = col(role)?;
        Some(Placed::new(sheet.get(r, c).trim().to_string(), sheet.origin(r, c)))
    };
    let mut section_name: Option<Placed<String>> = None;
    let mut group: Option<Placed<String>> = None;
    for r in header + 1..end {
        let first = (0..width).map(|c| squeeze(sheet.get(r, c))).find(|t| !t.is_empty()).unwrap_or_default();
        if first.starts_with("总分") || first.starts_with("合计") {
            // The total score is in the 得分 column; a blank one is no total.
            s.total = text_at(r, Role::Score);
            // A grade printed beside the total, or on the next row.
            for rr in r..end.min(r + 2) {
                for c in 0..width {
                    let t = squeeze(sheet.get(rr, c));
                    if (t == "等级" || t == "自评等级")
                        && let Some(v) = value_right_of(sheet, rr, c)
                    {
                        s.grade = Some(v);
                    } else if let Some(grade) = t.strip_prefix("等级").filter(|g| !g.is_empty() && *g != "—") {
                        // `等级 优秀` in one cell.
                        s.grade = Some(Placed::new(grade.to_string(), sheet.origin(rr, c)));
                    }
                }
            }
            break;
        }
        // A subtotal row (jixiao's own workbook prints one per section).
        if (0..width).any(|c| squeeze(sheet.get(r, c)).starts_with("小计")) {
            let open = section_name.as_ref().and_then(|n| s.sections.iter().position(|x| x.name.value == n.value));
            if let Some(j) = open {
                s.sections[j].points = text_at(r, Role::Points);
                s.sections[j].score = text_at(r, Role::Score);
            }
            continue;
        }
        if let Some(name) = text_at(r, Role::Section) {
            let name = Placed::new(squeeze(&name.value), name.at);
            if section_name.as_ref().is_none_or(|n| n.value != name.value) {
                group = None;
            }
            section_name = Some(name);
        }
        if let Some(g) = text_at(r, Role::Group) {
            group = Some(Placed::new(squeeze(&g.value), g.at));
        }
        let Some(wording) = text_at(r, Role::Wording) else { continue };
        let Some(section) = section_name.clone() else {
            s.notes.push(
                Note::new(NoteKind::Refused, codes::VALUE, &wording.value, &wording.value, wording.at.clone()).words(
                    "reason",
                    "no 一级指标 above it",
                    "上方没有一级指标",
                ),
            );
            continue;
        };
        let mut row = Row::new(wording);
        row.group = group.clone();
        row.target = value_at(r, Role::Target);
        row.actual = value_at(r, Role::Actual);
        row.points = value_at(r, Role::Points);
        row.score = text_at(r, Role::Score);
        row.deviation = text_at(r, Role::Deviation);
        row.reason = text_at(r, Role::Reason);
        row.direction = text_at(r, Role::Direction);
        let j = match s.sections.iter().position(|x| x.name.value == section.value) {
            Some(j) => j,
            None => {
                let mut new = Section::new(section.clone());
                new.budget = section.value.contains("预算执行");
                s.sections.push(new);
                s.sections.len() - 1
            }
        };
        s.sections[j].rows.push(row);
    }
}

fn value_right_of(sheet: &Sheet, r: usize, c: usize) -> Option<Placed<String>> {
    (c + 1..sheet.width())
        .find(|&v| !sheet.get(r, v).trim().is_empty())
        .map(|v| Placed::new(sheet.get(r, v).trim().to_string(), sheet.origin(r, v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 4), "E12");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(parse_a1("E12"), Some((11, 4)));
        assert_eq!(parse_a1("AA1"), Some((0, 26)));
    }

    #[test]
    fn number_formats_keep_their_words() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(format_number(d("0.95"), Some("0%")), "95%");
        assert_eq!(format_number(d("0.958"), Some("\"≥\"0.0%")), "≥95.8%");
        assert_eq!(format_number(d("0.9794354226741538"), Some("0.0%")), "97.9%", "as the cell shows it");
        assert_eq!(format_number(d("1"), Some("0.0%")), "100.0%");
        assert_eq!(format_number(d("89.6"), Some("0")), "90");
        assert_eq!(format_number(d("1234.5"), Some("#,##0.00")), "1234.50");
        assert_eq!(format_number(d("3000"), Some("\"≥\"General\" 台\"")), "≥3000 台");
        assert_eq!(format_number(d("89.974"), None), "89.974");
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date(43830.0), "2019-12-31");
    }
}
