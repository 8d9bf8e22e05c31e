//! `jixiao import` through the real binary: narrative reports, Word
//! documents and workbooks in the official layout and its variants, against
//! approved rules and as submitted; every refusal's code in both languages;
//! jixiao's own workbook read back; a folder audited in one command.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use common::jixiao;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-import-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(path: &str) -> PathBuf {
    common::root().join("tests/fixtures/import").join(path)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A workbook from a `.sheet` description (see the fixtures' header).
fn build_workbook(spec: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let mut rows: Vec<(String, Vec<String>, bool)> = Vec::new();
    let mut merges: Vec<(String, String)> = Vec::new();
    // Cells placed by reference (`= cell XFD1048576 z`), after the rows.
    let mut placed: Vec<(String, String)> = Vec::new();
    let flush = |book: &mut Workbook,
                 name: &str,
                 rows: &mut Vec<(String, Vec<String>, bool)>,
                 merges: &mut Vec<(String, String)>,
                 placed: &mut Vec<(String, String)>| {
        if name.is_empty() {
            return;
        }
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        let cell_of = |a1: &str| -> (u32, u16) {
            let letters: String = a1.chars().take_while(char::is_ascii_alphabetic).collect();
            let row: u32 = a1[letters.len()..].parse().unwrap();
            let col = letters.bytes().fold(0u16, |n, b| n * 26 + u16::from(b - b'A' + 1));
            (row - 1, col - 1)
        };
        let mut merged: Vec<(u32, u16)> = Vec::new();
        for (from, to) in merges.iter() {
            let ((r1, c1), (r2, c2)) = (cell_of(from), cell_of(to));
            let text =
                rows.get(r1 as usize).and_then(|(_, cells, _)| cells.get(c1 as usize)).cloned().unwrap_or_default();
            sheet.merge_range(r1, c1, r2, c2, &text, &Format::new()).unwrap();
            for r in r1..=r2 {
                for c in c1..=c2 {
                    merged.push((r, c));
                }
            }
        }
        for (r, (_, cells, hidden)) in rows.iter().enumerate() {
            let r = r as u32;
            if *hidden {
                sheet.set_row_hidden(r).unwrap();
            }
            for (c, cell) in cells.iter().enumerate() {
                let c = c as u16;
                if cell.is_empty() || merged.contains(&(r, c)) {
                    continue;
                }
                if let Some(n) = cell.strip_prefix("n:") {
                    sheet.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
                } else if let Some(n) = cell.strip_prefix("p:") {
                    sheet
                        .write_number_with_format(r, c, n.parse::<f64>().unwrap(), &Format::new().set_num_format("0%"))
                        .unwrap();
                } else if let Some(rest) = cell.strip_prefix("f:") {
                    let (format, n) = rest.rsplit_once(':').unwrap();
                    sheet
                        .write_number_with_format(
                            r,
                            c,
                            n.parse::<f64>().unwrap(),
                            &Format::new().set_num_format(format),
                        )
                        .unwrap();
                } else {
                    sheet.write_string(r, c, cell).unwrap();
                }
            }
        }
        for (at, text) in placed.iter() {
            let (r, c) = cell_of(at);
            sheet.write_string(r, c, text).unwrap();
        }
        rows.clear();
        merges.clear();
        placed.clear();
    };
    let mut name = String::new();
    for line in spec.lines() {
        if line.starts_with("//") || line.starts_with('#') {
            continue;
        }
        if let Some(sheet) = line.strip_prefix("= sheet ") {
            flush(&mut book, &name, &mut rows, &mut merges, &mut placed);
            name = sheet.trim().to_string();
        } else if let Some(cell) = line.strip_prefix("= cell ") {
            let (at, text) = cell.split_once(' ').unwrap();
            placed.push((at.to_string(), text.to_string()));
        } else if let Some(n) = line.strip_prefix("= pad ") {
            // That many characters in distinct cells of a row (a part too large to unpack).
            let total: usize = n.trim().parse().unwrap();
            let cells = (0..total.div_ceil(30_000)).map(|i| format!("{i}{}", "x".repeat(30_000))).collect();
            rows.push((String::new(), cells, false));
        } else if let Some(range) = line.strip_prefix("= merge ") {
            let (from, to) = range.trim().split_once(':').unwrap();
            merges.push((from.to_string(), to.to_string()));
        } else {
            let (hidden, line) = match line.strip_prefix("!hidden|") {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            rows.push((String::new(), line.split('|').map(str::to_string).collect(), hidden));
        }
    }
    flush(&mut book, &name, &mut rows, &mut merges, &mut placed);
    book.save_to_buffer().unwrap()
}

/// A Word document holding `paragraphs`: the zip of `word/document.xml`.
fn build_docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for p in paragraphs {
        let escaped = p.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        body.push_str(&format!("<w:p><w:r><w:t xml:space=\"preserve\">{escaped}</w:t></w:r></w:p>"));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    buffer.into_inner()
}

/// `import` into a fresh folder; the mapping report's JSON.
fn import(name: &str, files: &[&Path], against: &[&str], lang: &str) -> (PathBuf, Value, Output) {
    let out = temp(name);
    let report = out.join("mapping.json");
    let mut args: Vec<&str> = vec!["--lang", lang, "import"];
    args.extend(files.iter().map(|f| s(f)));
    args.extend(["--out", s(&out), "--report", s(&report)]);
    args.extend(against);
    let output = jixiao(&args);
    let json = std::fs::read_to_string(&report).map(|t| serde_json::from_str(&t).unwrap()).unwrap_or(Value::Null);
    (out, json, output)
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// The total `eval` computes for each data file in `dir` against `rules`.
fn totals(rules: &Path, dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for data in toml_files(dir) {
        let o = jixiao(&["eval", s(rules), "--data", s(&data), "--format", "json"]);
        assert!(o.status.success(), "{}: {}", data.display(), String::from_utf8_lossy(&o.stderr));
        let json: Value = serde_json::from_slice(&o.stdout).unwrap();
        let e = json.get("evaluations").and_then(|e| e.get(0)).unwrap_or(&json);
        out.push((
            e["project"]["name"].as_str().unwrap().to_string(),
            e["total"]["score"].as_str().unwrap().to_string(),
        ));
    }
    out
}

fn audit_json(rules: &Path, data: &[PathBuf]) -> Value {
    let mut args = vec!["audit", s(rules), "--format", "json", "--data"];
    args.extend(data.iter().map(|d| s(d)));
    let o = jixiao(&args);
    assert_ne!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Every audit's findings as (project, name, field, reported, computed).
fn findings(audit: &Value) -> Vec<(String, String, String, String, String)> {
    let audits: Vec<&Value> = match audit.get("projects") {
        Some(list) => list.as_array().unwrap().iter().collect(),
        None => vec![audit],
    };
    let text = |v: &Value| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
    let mut out = Vec::new();
    for a in audits {
        for f in a["findings"].as_array().unwrap() {
            out.push((
                text(&a["project"]["name"]),
                text(&f["name"]),
                text(&f["field"]),
                text(&f["reported"]),
                text(&f["computed"]),
            ));
        }
    }
    out
}

fn codes_of(audit: &Value) -> Vec<String> {
    let audits: Vec<&Value> = match audit.get("projects") {
        Some(list) => list.as_array().unwrap().iter().collect(),
        None => vec![audit],
    };
    audits
        .iter()
        .flat_map(|a| a["findings"].as_array().unwrap().iter())
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn narrative_reports_against_approved_rules_audit_to_the_planted_faults() {
    let rules = fixture("narrative/rules");
    let (out, mapping, o) = import(
        "narrative-rules",
        &[&fixture("narrative/reports.txt"), &fixture("narrative/report.md")],
        &["--rules", s(&rules)],
        "en",
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let submissions = mapping["submissions"].as_array().unwrap();
    assert_eq!(submissions.len(), 3);
    for sub in submissions {
        assert_eq!(sub["counts"]["refused"], 0, "{sub}");
    }
    // The data files check against the approved rules, and the audit finds
    // exactly what the synthetic reports got wrong.
    let audit = audit_json(&rules, &toml_files(&out));
    let found: Vec<(String, String, String, String, String)> =
        findings(&audit).into_iter().filter(|f| f.2 != "review").collect();
    assert_eq!(
        found,
        [
            (
                "公共文化服务专项".into(),
                "基层服务点图书配送批次".into(),
                "deviation".into(),
                "0.41".into(),
                "0.411".into()
            ),
            (
                "公共文化服务专项".into(),
                "基层综合性文化服务中心督导检查家数".into(),
                "points".into(),
                "5".into(),
                "4".into()
            ),
        ]
    );
}

#[test]
fn narrative_reports_as_submitted_keep_the_printed_points() {
    let scheme = fixture("narrative/rules/scheme.jx");
    let (out, _, o) = import(
        "narrative-scheme",
        &[&fixture("narrative/reports.txt"), &fixture("narrative/report.md")],
        &["--scheme", s(&scheme), "--assume", ">="],
        "zh",
    );
    // The 41-of-40 section is inconsistent in itself: exit 1, files written.
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let check = jixiao(&["check", s(&out)]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(String::from_utf8_lossy(&check.stderr).contains("jixiao::check::points_sum"), "the checker warns");
    assert_eq!(
        totals(&out, &out),
        [
            ("公共文化服务专项".to_string(), "99.93".to_string()),
            ("农产品质量安全监管专项".to_string(), "99.53".to_string()),
            ("社区居家养老服务专项".to_string(), "99.16".to_string()),
        ]
    );
    let audit = audit_json(&out, &toml_files(&out));
    assert!(
        findings(&audit).contains(&(
            "公共文化服务专项".into(),
            "产出指标".into(),
            "points".into(),
            "40".into(),
            "41".into()
        )),
        "{audit}"
    );
}

#[test]
fn a_word_document_reads_as_its_text() {
    let md = std::fs::read_to_string(fixture("narrative/report.md")).unwrap();
    let paragraphs: Vec<&str> = md.lines().collect();
    let dir = temp("docx-source");
    let docx = dir.join("社区居家养老.docx");
    std::fs::write(&docx, build_docx(&paragraphs)).unwrap();
    let rules = fixture("narrative/rules");
    let (out, mapping, o) = import("docx", &[&docx], &["--rules", s(&rules)], "en");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(mapping["submissions"][0]["project"], "社区居家养老服务专项");
    assert_eq!(mapping["submissions"][0]["placed"][0]["at"]["paragraph"], 3, "paragraphs are the places");
    assert_eq!(totals(&rules, &out), [("社区居家养老服务专项".to_string(), "99.16".to_string())]);
}

#[test]
fn workbooks_in_the_official_layout_and_a_variant() {
    let scheme = fixture("narrative/rules/scheme.jx");
    let dir = temp("workbook-source");
    let official = dir.join("official.xlsx");
    let variant = dir.join("variant.xlsx");
    std::fs::write(&official, build_workbook(&std::fs::read_to_string(fixture("workbooks/official.sheet")).unwrap()))
        .unwrap();
    std::fs::write(&variant, build_workbook(&std::fs::read_to_string(fixture("workbooks/variant.sheet")).unwrap()))
        .unwrap();
    let (out, mapping, o) =
        import("workbooks", &[&official, &variant], &["--scheme", s(&scheme), "--assume", ">="], "en");
    assert_ne!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let projects: Vec<&str> =
        mapping["submissions"].as_array().unwrap().iter().map(|s| s["project"].as_str().unwrap()).collect();
    assert_eq!(projects, ["城市道路养护项目", "社区绿化管护项目", "河道保洁项目"], "two tables stacked on one sheet");
    assert_eq!(
        totals(&out, &out),
        [
            ("城市道路养护项目".to_string(), "99.67".to_string()),
            ("河道保洁项目".to_string(), "100".to_string()),
            ("社区绿化管护项目".to_string(), "94".to_string()),
        ]
    );
    // Where each value came from, by cell.
    let road = &mapping["submissions"][0];
    let placed = road["placed"].as_array().unwrap();
    let at = |subject: &str| placed.iter().find(|p| p["subject"] == subject).map(|p| p["at"].clone());
    assert_eq!(at("全年预算数"), Some(serde_json::json!({"sheet": "自评表", "cell": "D6"})));
    let rules = std::fs::read_to_string(out.join("城市道路养护项目.jx")).unwrap();
    assert!(rules.contains("养护工程合格率\" { target >= 95%; points 15 }"), "{rules}");
    assert!(rules.contains("target >= 80%"), "full-width ≥８０％: {rules}");
    let data = std::fs::read_to_string(out.join("城市道路养护项目.toml")).unwrap();
    assert!(data.contains("\"全年预算数\" = 89.974"), "the shortest decimal of the double: {data}");
    assert!(data.contains("\"病害处置及时率\" = \"88%\""), "a percent-formatted 0.88: {data}");
    let variant_rules = std::fs::read_to_string(out.join("社区绿化管护项目.jx")).unwrap();
    assert!(variant_rules.contains("target <= 0"), "反向 in 指标性质: {variant_rules}");
}

#[test]
fn jixiao_own_workbook_reads_back_to_the_same_scores() {
    let rules = common::root().join("rules/2018");
    let dir = temp("round-trip-source");
    let mut before = Vec::new();
    let mut books = Vec::new();
    for slug in ["business-administration", "comprehensive-affairs", "food-drug-safety", "quality-supervision"] {
        let data = common::root().join(format!("examples/2018/{slug}.toml"));
        let book = dir.join(format!("{slug}.xlsx"));
        let o = jixiao(&["--lang", "zh", "eval", s(&rules), "--data", s(&data), "--format", "xlsx", "-o", s(&book)]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        books.push(book);
        let o = jixiao(&["eval", s(&rules), "--data", s(&data), "--format", "json"]);
        before.push(serde_json::from_slice::<Value>(&o.stdout).unwrap());
    }
    let refs: Vec<&Path> = books.iter().map(PathBuf::as_path).collect();
    let (out, mapping, o) = import("round-trip", &refs, &["--rules", s(&rules)], "en");
    assert_ne!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    for sub in mapping["submissions"].as_array().unwrap() {
        assert_eq!(sub["counts"]["refused"], 0, "{sub}");
    }
    for (book, before) in books.iter().zip(&before) {
        let stem = match book.file_stem().unwrap().to_str().unwrap() {
            "business-administration" => "工商行政管理事务专项",
            "comprehensive-affairs" => "市场局综合事务管理专项",
            "food-drug-safety" => "食品药品安全专项",
            _ => "质量技术监督项目",
        };
        let data = out.join(format!("{stem}.toml"));
        let o = jixiao(&["eval", s(&rules), "--data", s(&data), "--format", "json"]);
        assert!(o.status.success(), "{}: {}", data.display(), String::from_utf8_lossy(&o.stderr));
        let after: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(before["total"]["score"].is_string(), "{before}");
        assert_eq!(after["total"], before["total"], "{stem}");
        assert_eq!(after["sections"], before["sections"], "{stem}: every indicator's figures");
    }
}

#[test]
fn a_folder_of_mixed_submissions_audits_into_one_workbook() {
    let rules = fixture("narrative/rules");
    let md = std::fs::read_to_string(fixture("narrative/report.md")).unwrap();
    let dir = temp("folder-source");
    let docx = dir.join("养老.docx");
    std::fs::write(&docx, build_docx(&md.lines().collect::<Vec<_>>())).unwrap();
    let (out, _, o) = import("folder", &[&fixture("narrative/reports.txt"), &docx], &["--rules", s(&rules)], "zh");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let book = out.join("审核结果.xlsx");
    let mut args = vec!["audit", s(&rules), "-o", s(&book), "--data"];
    let data = toml_files(&out);
    args.extend(data.iter().map(|d| s(d)));
    let o = jixiao(&args);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    use calamine::Reader as _;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let summary = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(summary.rows().count(), 1 + 3, "a header and a row per project");
}

/// Every refusal and assumption has a fixture whose first line names its
/// code; the import (and, for `-audit` fixtures, the audit after it) must
/// give that code, in both languages.
#[test]
fn every_import_code_from_its_fixture_in_both_languages() {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["notes", "workbooks/notes", "audit"] {
        files.extend(std::fs::read_dir(fixture(dir)).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_file()));
    }
    files.sort();
    let rules = fixture("notes/rules");
    let scheme = fixture("notes/rules/scheme.jx");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let mut lines = text.lines();
        let code = lines.next().unwrap().strip_prefix("# expect:").unwrap().trim().to_string();
        let name = file.file_stem().unwrap().to_str().unwrap().to_string();
        let source = match file.extension().and_then(|e| e.to_str()) {
            Some("sheet") => {
                let built = temp(&format!("built-{name}")).join(format!("{name}.xlsx"));
                std::fs::write(&built, build_workbook(&text)).unwrap();
                built
            }
            _ => file.clone(),
        };
        if code == "jixiao::import::format" || code == "jixiao::import::too_large" {
            for lang in ["en", "zh"] {
                let out = temp(&format!("format-{lang}"));
                let o = jixiao(&[
                    "--lang",
                    lang,
                    "--error-format",
                    "json",
                    "import",
                    s(&source),
                    "--out",
                    s(&out),
                    "--rules",
                    s(&rules),
                ]);
                assert_eq!(o.status.code(), Some(2), "{name}");
                assert!(
                    String::from_utf8_lossy(&o.stderr).contains(&code),
                    "{name}: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
            }
            continue;
        }
        let mode = lines.next().unwrap().strip_prefix("# mode:").unwrap().trim().to_string();
        let mut against: Vec<&str> =
            if mode.starts_with("rules") { vec!["--rules", s(&rules)] } else { vec!["--scheme", s(&scheme)] };
        if mode.contains("assume") {
            against.extend(["--assume", ">="]);
        }
        let mut messages = Vec::new();
        for lang in ["en", "zh"] {
            let (out, mapping, o) = import(&format!("{name}-{lang}"), &[&source], &against, lang);
            // A file with neither a project nor a table could not be read (exit 2); its report says why.
            let unreadable = code == "jixiao::import::no_table";
            assert_eq!(o.status.code() == Some(2), unreadable, "{name}: {}", String::from_utf8_lossy(&o.stderr));
            let notes: Vec<&Value> = mapping["submissions"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| s["notes"].as_array().unwrap())
                .collect();
            if mode.ends_with("audit") {
                let audit_rules = if mode.starts_with("rules") { rules.clone() } else { out.clone() };
                let audit = audit_json(&audit_rules, &toml_files(&out));
                assert!(codes_of(&audit).contains(&code), "{name}: {audit}");
                continue;
            }
            let note = notes.iter().find(|n| n["code"] == code.as_str());
            let note = note.unwrap_or_else(|| panic!("{name}: no {code} among {notes:?}"));
            messages.push(format!(
                "{lang}: [{}] {} · {}",
                note["kind"].as_str().unwrap(),
                note["at"],
                note["message"].as_str().unwrap()
            ));
        }
        if !messages.is_empty() {
            insta::assert_snapshot!(format!("import_{name}"), messages.join("\n"));
        }
    }
}

/// Inputs a review of the release binary found mishandled; each failed before its fix.
mod review {
    use super::*;

    #[test]
    fn the_chinese_mapping_report_has_no_english_labels() {
        let out = temp("review-zh");
        let o = jixiao(&[
            "--lang",
            "zh",
            "import",
            s(&fixture("narrative/report.md")),
            "--out",
            s(&out),
            "--rules",
            s(&fixture("narrative/rules")),
        ]);
        let text = String::from_utf8_lossy(&o.stdout);
        for english in [" actual", " target", " points", " score", " deviation", "line ", "reported ", " reason"] {
            assert!(!text.contains(english), "{english:?} in:\n{text}");
        }
        assert!(text.contains("实际完成值") && text.contains("第 "), "{text}");
    }

    fn narrative(name: &str, text: &str) -> PathBuf {
        let path = temp(&format!("review-src-{name}")).join(format!("{name}.txt"));
        std::fs::write(&path, text).unwrap();
        path
    }

    fn notes_fixture() -> String {
        let text = std::fs::read_to_string(fixture("notes/direction.txt")).unwrap();
        text.split_once("# mode: scheme\n").unwrap().1.to_string()
    }

    fn data_of(out: &Path) -> String {
        toml_files(out).iter().map(|f| std::fs::read_to_string(f).unwrap()).collect()
    }

    #[test]
    fn wide_characters_next_to_figures_do_not_crash_the_reader() {
        // `～` after a percent, `第一年度` before a year: multi-byte characters where bytes were counted.
        let text = notes_fixture().replace("指标目标值 4 次", "指标目标值 90%～95%");
        let src = narrative("wide", &text);
        let scheme = fixture("notes/rules/scheme.jx");
        let (_, mapping, o) = import("review-wide", &[&src], &["--scheme", s(&scheme), "--assume", ">="], "en");
        assert_ne!(o.status.code(), Some(101), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(mapping.to_string().contains("90%～95%"), "the range is refused, and said: {mapping}");
        let spec = "= sheet 自评表\n第一年度绩效\n（2020年度）\n项目名称|示例专项\n一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分\n\
                    产出指标|数量指标|开展培训次数|≥4次|4次|n:100|n:100\n总分|||||n:100|n:100\n";
        let book = temp("review-wide-book").join("wide.xlsx");
        std::fs::write(&book, build_workbook(spec)).unwrap();
        let (_, mapping, o) = import("review-wide-book-out", &[&book], &["--scheme", s(&scheme)], "en");
        assert_ne!(o.status.code(), Some(101), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(mapping["submissions"][0]["year"], 2020);
    }

    #[test]
    fn a_stray_cell_at_the_last_row_and_column_does_not_abort() {
        let spec = std::fs::read_to_string(fixture("workbooks/notes/beyond.sheet")).unwrap();
        let book = temp("review-far").join("far.xlsx");
        std::fs::write(&book, build_workbook(&spec)).unwrap();
        let scheme = fixture("notes/rules/scheme.jx");
        let (out, mapping, o) = import("review-far-out", &[&book], &["--scheme", s(&scheme), "--assume", ">="], "en");
        assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(mapping.to_string().contains("jixiao::import::beyond"));
        assert!(data_of(&out).contains("\"开展培训次数\" = 4"), "the table still comes through");
    }

    #[test]
    fn thousands_separators_and_wan_are_part_of_the_number() {
        let text = notes_fixture().replace(
            "指标目标值 4 次，设定分值 20 分。实际完成值为 4 次",
            "指标目标值 4,000 次，设定分值 20 分。实际完成值为 4,200 次",
        );
        let src = narrative("thousands", &text);
        let scheme = fixture("notes/rules/scheme.jx");
        let (out, _, _) = import("review-thousands", &[&src], &["--scheme", s(&scheme), "--assume", ">="], "en");
        let rules = std::fs::read_to_string(out.join("示例专项.jx")).unwrap();
        assert!(rules.contains("target >= 4000 次"), "{rules}");
        assert!(data_of(&out).contains("\"开展培训次数\" = 4200"), "{}", data_of(&out));
        let wan = narrative("wan", &notes_fixture().replace("实际完成值为 4 次", "实际完成值为 0.42万次"));
        let (out, _, _) = import("review-wan", &[&wan], &["--scheme", s(&scheme), "--assume", ">="], "en");
        assert!(data_of(&out).contains("\"开展培训次数\" = 4200"), "{}", data_of(&out));
    }

    #[test]
    fn a_percent_indicator_never_takes_a_bare_number() {
        let text = notes_fixture().replace("实际完成值为 90.0%", "实际完成值为 0.9");
        let src = narrative("bare", &text);
        let scheme = fixture("notes/rules/scheme.jx");
        let (out, mapping, o) = import("review-bare", &[&src], &["--scheme", s(&scheme), "--assume", ">="], "en");
        assert_eq!(o.status.code(), Some(1));
        assert!(mapping.to_string().contains("jixiao::import::percent"), "{mapping}");
        assert!(!data_of(&out).contains("\"群众满意率\" = 0.9"), "{}", data_of(&out));
    }

    #[test]
    fn dotted_dates_are_deadlines_and_a_month_without_its_year_is_refused() {
        let spec = "= sheet 自评表\n（2020年度）\n项目名称|示例专项\n一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分\n\
                    产出指标|时效指标|设备采购完成时间|2019.12.31前|2020.03.15|n:45|n:0\n\
                    |时效指标|系统上线时间|12月底前|12月20日|n:45|n:45\n\
                    预算执行||预算执行率|≥100%|p:1|n:10|n:10\n总分|||||n:100|n:55\n";
        let book = temp("review-dates").join("dates.xlsx");
        std::fs::write(&book, build_workbook(spec)).unwrap();
        let scheme = common::root().join("rules/central/scheme.jx");
        let (out, mapping, _) = import("review-dates-out", &[&book], &["--scheme", s(&scheme), "--assume", ">="], "en");
        let rules = std::fs::read_to_string(out.join("示例专项.jx")).unwrap();
        assert!(rules.contains("target by 2019-12-31"), "{rules}");
        assert!(!rules.contains("target >= 12"), "{rules}");
        assert!(data_of(&out).contains("\"2020-03-15\""), "{}", data_of(&out));
        assert!(mapping.to_string().contains("12月底前"), "the month without a year is refused, and said");
    }

    #[test]
    fn the_total_score_comes_from_the_score_column_only() {
        let spec = "= sheet 自评表\n（2020年度）\n项目名称|示例专项\n一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分\n\
                    产出指标|数量指标|开展培训次数|≥4次|4次|n:100|n:100\n总分|||||n:100|\n";
        let book = temp("review-total").join("total.xlsx");
        std::fs::write(&book, build_workbook(spec)).unwrap();
        let scheme = fixture("notes/rules/scheme.jx");
        let (out, _, _) = import("review-total-out", &[&book], &["--scheme", s(&scheme)], "en");
        assert!(!data_of(&out).contains("total = 100"), "the 分值 column is no total score: {}", data_of(&out));
    }

    #[test]
    fn a_hidden_sheet_is_not_read_and_is_said() {
        let mut book = Workbook::new();
        for (name, hidden, actual) in [("旧版", true, "2次"), ("自评表", false, "4次")] {
            let sheet = book.add_worksheet();
            sheet.set_name(name).unwrap();
            for (r, row) in [
                vec!["（2020年度）"],
                vec!["项目名称", "示例专项"],
                vec!["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
                vec!["产出指标", "数量指标", "开展培训次数", "≥4次", actual, "100", "100"],
            ]
            .iter()
            .enumerate()
            {
                for (c, text) in row.iter().enumerate() {
                    sheet.write_string(r as u32, c as u16, *text).unwrap();
                }
            }
            if hidden {
                sheet.set_hidden(true);
            } else {
                // The active sheet cannot be hidden: the visible one is.
                sheet.set_active(true);
            }
        }
        let path = temp("review-hidden").join("hidden.xlsx");
        std::fs::write(&path, book.save_to_buffer().unwrap()).unwrap();
        let scheme = fixture("notes/rules/scheme.jx");
        let (out, mapping, _) = import("review-hidden-out", &[&path], &["--scheme", s(&scheme)], "en");
        assert_eq!(mapping["submissions"].as_array().unwrap().len(), 1, "{mapping}");
        assert!(data_of(&out).contains("\"开展培训次数\" = 4"), "{}", data_of(&out));
        assert!(mapping.to_string().contains("sheet “旧版”"), "{mapping}");
    }

    #[test]
    fn nothing_an_import_did_not_write_is_replaced() {
        // An approved scheme in --out.
        let src = fixture("notes/value.txt");
        let out = temp("review-exists");
        let approved = "scheme 核定方案 { total 100 }\n";
        std::fs::write(out.join("scheme.jx"), approved).unwrap();
        let scheme = fixture("notes/rules/scheme.jx");
        let o = jixiao(&["import", s(&src), "--out", s(&out), "--scheme", s(&scheme), "--assume", ">="]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(std::fs::read_to_string(out.join("scheme.jx")).unwrap(), approved);
        // A project named like the scheme copy does not replace it.
        let named = narrative("named-scheme", &notes_fixture().replace("项目名称: 示例专项", "项目名称: scheme"));
        let (out, _, o) = import("review-named", &[&named], &["--scheme", s(&scheme), "--assume", ">="], "en");
        assert_ne!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
        let check = jixiao(&["check", s(&out)]);
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
        // --report on the submission itself.
        let copy = temp("review-report").join("mine.txt");
        std::fs::copy(fixture("notes/value.txt"), &copy).unwrap();
        let before = std::fs::read_to_string(&copy).unwrap();
        let out = temp("review-report-out");
        let o = jixiao(&[
            "import",
            s(&copy),
            "--out",
            s(&out),
            "--rules",
            s(&fixture("notes/rules")),
            "--report",
            s(&copy),
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(std::fs::read_to_string(&copy).unwrap(), before);
    }

    #[test]
    fn a_negative_target_is_refused_not_written() {
        let text = notes_fixture().replace("指标目标值 4 次", "指标目标值 -5%");
        let src = narrative("negative", &text);
        let scheme = fixture("notes/rules/scheme.jx");
        let (out, _, _) = import("review-negative", &[&src], &["--scheme", s(&scheme), "--assume", ">="], "en");
        let check = jixiao(&["check", s(&out)]);
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    }

    #[test]
    fn a_file_with_no_project_and_no_table_is_unreadable_and_writes_nothing() {
        let empty = narrative("empty", "");
        let scheme = fixture("notes/rules/scheme.jx");
        let (out, _, o) = import("review-empty", &[&empty], &["--scheme", s(&scheme), "--assume", ">="], "en");
        assert_eq!(o.status.code(), Some(2));
        assert!(toml_files(&out).is_empty());
        assert!(!out.join("scheme.jx").exists(), "no scheme copy for nothing");
    }

    #[test]
    fn a_document_cut_short_is_refused() {
        let md = std::fs::read_to_string(fixture("narrative/report.md")).unwrap();
        let whole = build_docx(&md.lines().collect::<Vec<_>>());
        // The zip of a document.xml cut in half.
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(whole)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        // Cut after a paragraph halfway through: what is left is well-formed as far as it goes.
        let ends: Vec<usize> = xml.match_indices("</w:p>").map(|(i, _)| i + "</w:p>".len()).collect();
        let cut = &xml[..ends[ends.len() / 2]];
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(cut.as_bytes()).unwrap();
        zip.finish().unwrap();
        let path = temp("review-cut").join("cut.docx");
        std::fs::write(&path, buffer.into_inner()).unwrap();
        let (_, _, o) = import("review-cut-out", &[&path], &["--rules", s(&fixture("narrative/rules"))], "en");
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains("jixiao::import::format"));
    }

    #[test]
    fn a_byte_order_mark_and_lone_carriage_returns_are_line_matters_only() {
        let scheme = fixture("notes/rules/scheme.jx");
        for (name, text) in
            [("bom", format!("\u{feff}{}", notes_fixture())), ("cr", notes_fixture().replace('\n', "\r"))]
        {
            let src = narrative(name, &text);
            let (_, mapping, _) =
                import(&format!("review-{name}"), &[&src], &["--scheme", s(&scheme), "--assume", ">="], "en");
            assert_eq!(mapping["submissions"][0]["project"], "示例专项", "{name}: {mapping}");
        }
    }

    #[test]
    fn two_submissions_of_one_project_are_flagged() {
        let (_, mapping, o) =
            import("review-dup", &[&fixture("notes/duplicate.txt")], &["--rules", s(&fixture("notes/rules"))], "en");
        assert_eq!(o.status.code(), Some(1));
        let dups = mapping.to_string().matches("jixiao::import::duplicate").count();
        assert_eq!(dups, 2, "each names the other: {mapping}");
    }

    #[test]
    fn jixiao_own_workbook_audits_clean_after_the_round_trip() {
        let rules = common::root().join("rules/2018");
        let book = temp("review-rt").join("q.xlsx");
        let data = common::root().join("examples/2018/comprehensive-affairs.toml");
        let o = jixiao(&["--lang", "zh", "eval", s(&rules), "--data", s(&data), "--format", "xlsx", "-o", s(&book)]);
        assert!(o.status.success());
        let (out, _, _) = import("review-rt-out", &[&book], &["--rules", s(&rules)], "en");
        // What the audit says of the workbook read back is what it says of the data it came from.
        let read_back = findings(&audit_json(&rules, &toml_files(&out)));
        let original = findings(&audit_json(&rules, &[data]));
        assert_eq!(read_back, original);
    }
}
