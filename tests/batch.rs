//! Batch scoring gives exactly what single-project evaluation gives, on
//! generated records (edge cases included) and on each seed project.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use jixiao::batch::{self, Format, Options, Program};
use jixiao::model::CheckedRules;
use jixiao::source::Sources;

fn rules(path: &str) -> CheckedRules {
    jixiao::check::check_files(&[common::root().join(path)], None).rules.unwrap()
}

fn options(jobs: usize) -> Options {
    Options { jobs, ..Options::default() }
}

/// Scores CSV text; returns the output lines and the refusals.
fn score(rules: &CheckedRules, csv: &str, jobs: usize) -> (Vec<String>, Vec<jixiao::diagnostic::Problem>) {
    let program = Program::new(rules, batch::project(rules).unwrap());
    let mut out = Vec::new();
    let mut refused = Vec::new();
    batch::run(&program, csv.as_bytes(), &mut out, &options(jobs), &mut |p| refused.push(p)).unwrap();
    (String::from_utf8(out).unwrap().lines().map(String::from).collect(), refused)
}

/// The same record as a project data file: actuals, figures, levels.
fn as_toml(rules: &CheckedRules, header: &[&str], cells: &[&str]) -> String {
    let project = &rules.projects()[0];
    let mut actual = String::from("[actual]\n");
    let mut figures = String::from("[figures]\n");
    for (name, cell) in header.iter().zip(cells) {
        if matches!(*name, "project" | "year") {
            continue;
        }
        let value = match cell.rsplit_once(' ') {
            Some((level, fraction)) if fraction.ends_with('%') => {
                format!("{{ level = \"{level}\", fraction = \"{fraction}\" }}")
            }
            _ if cell.ends_with('%') || cell.parse::<f64>().is_err() => format!("\"{cell}\""),
            _ => cell.to_string(),
        };
        if project.figures.iter().any(|f| f.name.node == *name) {
            figures.push_str(&format!("\"{name}\" = {value}\n"));
        } else {
            actual.push_str(&format!("\"{name}\" = {value}\n"));
        }
    }
    format!("project = \"{}\"\nyear = {}\n{actual}{figures}", project.name.node, project.year.node)
}

fn check_against_eval(path: &str, records: u64, seed: u64) {
    let rules = rules(path);
    let program = Program::new(&rules, 0);
    let mut csv = Vec::new();
    batch::generate::generate(&program, rules.scheme_of(program.project), records, seed, 0, Format::Csv, &mut csv)
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let (lines, refused) = score(&rules, &csv, 2);
    assert!(refused.is_empty(), "{path}: generated records are valid: {refused:?}");
    let mut input = csv.lines();
    let header: Vec<&str> = input.next().unwrap().split(',').collect();
    let out_header: Vec<&str> = lines[0].split(',').collect();
    for (record, scored) in input.zip(&lines[1..]) {
        let cells: Vec<&str> = record.split(',').collect();
        let toml = as_toml(&rules, &header, &cells);
        let data = jixiao::data::parse(&toml, jixiao::span::FileId(1), jixiao::data::Syntax::Toml).unwrap();
        let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap_or_else(|p| panic!("{toml}\n{p:?}"));
        let scored: Vec<&str> = scored.split(',').collect();
        for (name, value) in out_header.iter().zip(&scored) {
            let expected = match *name {
                "project" => evaluation.project.clone(),
                "year" => evaluation.year.to_string(),
                "total" => evaluation.total.score.normalize().to_string(),
                "grade" => evaluation.total.grade.clone().unwrap_or_default(),
                id => evaluation.indicator(id).unwrap().score.normalize().to_string(),
            };
            assert_eq!(*value, expected, "{path}: {name} of\n{record}");
        }
    }
}

#[test]
fn generated_records_score_exactly_as_eval() {
    check_against_eval("rules/2018/quality-supervision.jx", 1500, 1);
    check_against_eval("rules/2018/comprehensive-affairs.jx", 800, 2);
    check_against_eval("rules/2018/food-drug-safety.jx", 800, 3);
    check_against_eval("rules/demo/road-maintenance.jx", 1500, 4);
}

#[test]
fn each_seed_project_as_a_one_row_csv() {
    for slug in ["comprehensive-affairs", "business-administration", "food-drug-safety", "quality-supervision"] {
        let rules = rules(&format!("rules/2018/{slug}.jx"));
        let program = Program::new(&rules, 0);
        let mut sources = Sources::new();
        let path = common::root().join(format!("examples/2018/{slug}.toml"));
        let data = jixiao::data::read(&path, &mut sources).unwrap();
        let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
        let text = |node: &jixiao::data::Node| match &node.value {
            jixiao::data::NodeValue::Number(t) | jixiao::data::NodeValue::String(t) => t.clone(),
            _ => panic!("{node:?}"),
        };
        let mut header = vec!["project".to_string(), "year".to_string()];
        let mut row = vec![data.project.node.clone(), data.year.node.to_string()];
        for column in &program.columns {
            let cell = data
                .actual
                .iter()
                .chain(&data.figures)
                .chain(&data.funds)
                .find(|(k, _)| k.node == column.name)
                .map(|(_, v)| text(v))
                .unwrap_or_else(|| panic!("{slug}: no {}", column.name));
            header.push(column.name.clone());
            row.push(cell);
        }
        let csv = format!("{}\n{}\n", header.join(","), row.join(","));
        let (lines, refused) = score(&rules, &csv, 1);
        assert!(refused.is_empty(), "{slug}: {refused:?}");
        let out: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(out[2], evaluation.total.score.normalize().to_string(), "{slug}");
        assert_eq!(out[3], "优秀");
    }
}

#[test]
fn records_keep_their_order_across_workers_and_chunks() {
    let rules = rules("rules/2018/quality-supervision.jx");
    let program = Program::new(&rules, 0);
    let mut csv = Vec::new();
    batch::generate::generate(&program, rules.scheme_of(program.project), 40_000, 9, 0, Format::Csv, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(score(&rules, &csv, 1).0, score(&rules, &csv, 3).0);
}

#[test]
fn refused_records_are_reported_and_the_rest_scored() {
    let rules = rules("rules/2018/quality-supervision.jx");
    let program = Program::new(&rules, 0);
    let mut csv = Vec::new();
    batch::generate::generate(&program, rules.scheme_of(program.project), 2000, 5, 50_000, Format::Csv, &mut csv)
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let (lines, refused) = score(&rules, &csv, 2);
    assert!(!refused.is_empty(), "a 5% invalid rate refuses some records");
    assert_eq!(lines.len() - 1 + refused.len(), 2000, "every record is scored or refused, none dropped");
    assert!(refused.iter().all(|p| p.get("row").is_some()));
}

#[test]
fn generation_is_deterministic() {
    let rules = rules("rules/demo/road-maintenance.jx");
    let program = Program::new(&rules, 0);
    let make = |seed| {
        let mut out = Vec::new();
        batch::generate::generate(&program, rules.scheme_of(program.project), 200, seed, 0, Format::Jsonl, &mut out)
            .unwrap();
        out
    };
    assert_eq!(make(7), make(7));
    assert_ne!(make(7), make(8));
}

/// Runs a batch with the given options over CSV text; the output text.
fn run_with(rules: &CheckedRules, csv: &str, options: &Options) -> String {
    let program = Program::new(rules, batch::project(rules).unwrap());
    let mut out = Vec::new();
    batch::run(&program, csv.as_bytes(), &mut out, options, &mut |_: jixiao::diagnostic::Problem| {}).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn generated_records_with_odd_ids_read_back() {
    let rules = rules("tests/fixtures/batch/odd-ids.jx");
    let program = Program::new(&rules, 0);
    for format in [Format::Csv, Format::Jsonl] {
        let mut records = Vec::new();
        batch::generate::generate(&program, rules.scheme_of(program.project), 50, 3, 0, format, &mut records).unwrap();
        let records = String::from_utf8(records).unwrap();
        let options = Options { input: format, ..options(2) };
        let program = Program::new(&rules, 0);
        let mut out = Vec::new();
        let mut refused = Vec::new();
        batch::run(&program, records.as_bytes(), &mut out, &options, &mut |p| refused.push(p)).unwrap();
        assert!(refused.is_empty(), "{format:?}: {refused:?}");
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 51, "{format:?}: a header and 50 records");
    }
}

/// A batch run's output, its refusals (code and row) and its summary.
type Outcome = (String, Vec<(&'static str, Option<String>)>, batch::Summary);

fn run_batch(program: &Program, csv: &str, options: &Options) -> Outcome {
    let mut out = Vec::new();
    let mut refused = Vec::new();
    let summary = batch::run(program, csv.as_bytes(), &mut out, options, &mut |p: jixiao::diagnostic::Problem| {
        refused.push((p.code, p.get("row").map(String::from)))
    })
    .unwrap();
    (String::from_utf8(out).unwrap(), refused, summary)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Whatever columns are chosen, in whatever order, every JSON Lines
    /// record parses and every CSV line has one cell per column.
    #[test]
    fn any_column_choice_gives_parsable_output(picks in proptest::collection::vec(0usize..6, 1..6)) {
        let rules = rules("tests/fixtures/batch/odd-ids.jx");
        let names = ["project", "year", "total", "grade", "a,b\"c", "=x"];
        let mut chosen: Vec<String> = Vec::new();
        for p in picks {
            if !chosen.iter().any(|c| c == names[p]) {
                chosen.push(names[p].to_string());
            }
        }
        let csv = "project,year,\"a,b\"\"c\",=x\n\"P,\"\"1\"\"\",2018,9,12\n";
        let jsonl = run_with(&rules, csv, &Options { output: Format::Jsonl, columns: Some(chosen.clone()), ..options(1) });
        for line in jsonl.lines() {
            let value: serde_json::Value = serde_json::from_str(line).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{line}: {e}")))?;
            for name in &chosen {
                let found = value.get(name).is_some() || value["scores"].get(name).is_some();
                proptest::prop_assert!(found, "{} missing in {}", name, line);
            }
        }
        let out = run_with(&rules, csv, &Options { columns: Some(chosen.clone()), ..options(1) });
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(out.as_bytes());
        for record in reader.records() {
            proptest::prop_assert_eq!(record.unwrap().len(), chosen.len());
        }
    }
}

/// Records of the quality-supervision project, some with a quote in the
/// middle of a field, some with a quoted span, one with a quote never closed.
fn quoted_records(n: usize, stray_at: Option<usize>) -> String {
    let good = std::fs::read_to_string(common::root().join("tests/fixtures/batch/good.csv")).unwrap();
    let mut lines = good.lines();
    let header = lines.next().unwrap().to_string();
    let row = lines.next().unwrap().to_string();
    let mut out = format!("{header}\n");
    for i in 0..n {
        let mut cells: Vec<String> = row.split(',').map(String::from).collect();
        match i % 7 {
            // A quote inside a field is text: the record is refused as not a number.
            3 => cells[2] = "28\"44".to_string(),
            // A quoted number with a line break inside it: refused, but one record.
            5 => cells[3] = "\"18\n8\"".to_string(),
            // Quoted as spreadsheets write every cell.
            _ => cells[2] = format!("\"{}\"", 2000 + i),
        }
        if Some(i) == stray_at {
            cells[4] = "\"open".to_string();
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Where blocks and pieces are cut never changes what is read: the same
    /// output and the same refusals, at the same rows, for any number of
    /// workers and any block size.
    #[test]
    fn output_does_not_depend_on_jobs_or_block_size(n in 20usize..160, stray in proptest::option::of(0usize..160), block in 40usize..3000, jobs in 1usize..4) {
        let rules = rules("rules/2018/quality-supervision.jx");
        let csv = quoted_records(n, stray.filter(|s| *s < n));
        let program = Program::new(&rules, 0);
        let run = |options: &Options| run_batch(&program, &csv, options);
        let reference = run(&options(1));
        let cut = run(&Options { jobs, block, ..options(jobs) });
        proptest::prop_assert_eq!(&reference, &cut);
        // Without a stray quote every line is a record; a stray quote joins
        // its line with the next quote's, as the CSV rules say, and no more.
        let records = reference.2.records;
        if stray.is_some_and(|s| s < n) {
            proptest::prop_assert!(records <= n as u64 && records + 2 >= n as u64, "{} of {}", records, n);
        } else {
            proptest::prop_assert_eq!(records, n as u64);
        }
    }

    /// Stopping at the first refused record stops at the same row, with the
    /// same lines before it, however many blocks were being scored after it.
    #[test]
    fn strict_stops_at_the_same_row_for_any_jobs_or_block_size(n in 20usize..160, at in 0usize..160, block in 40usize..3000, jobs in 2usize..4) {
        let rules = rules("rules/2018/quality-supervision.jx");
        let csv = quoted_records(n, None);
        let mut lines: Vec<String> = csv.lines().map(String::from).collect();
        // Only one record refused, anywhere.
        let good = lines[1].clone();
        for line in lines.iter_mut().skip(1) {
            *line = good.clone();
        }
        let at = 1 + at % n;
        // A cell too many: refused.
        lines[at] = lines[at].replacen(',', ",28,", 1);
        let csv = lines.join("\n") + "\n";
        let program = Program::new(&rules, 0);
        let run = |options: &Options| run_batch(&program, &csv, options);
        let strict = |o: Options| Options { strict: true, ..o };
        let reference = run(&strict(options(1)));
        proptest::prop_assert_eq!(reference.1.len(), 1);
        proptest::prop_assert_eq!(reference.2.scored, at as u64 - 1);
        proptest::prop_assert_eq!(reference, run(&strict(Options { jobs, block, ..options(jobs) })));
    }
}

/// Actuals printed as a bound (`≥85%`, `>= 810`) are scored at the bound,
/// by eval and batch alike; a figure is never a bound.
#[test]
fn actuals_printed_as_bounds_score_at_the_bound_in_eval_and_batch() {
    let rules = rules("rules/central/elderly-care.jx");
    let base = std::fs::read_to_string(common::root().join("examples/central/elderly-care.toml")).unwrap();
    let toml = base
        .replace("\"服务覆盖率\" = \"88%\"", "\"服务覆盖率\" = \"≥84%\"")
        .replace("\"受益老人数\" = 820", "\"受益老人数\" = \">= 780\"");
    assert_ne!(toml, base);
    let data = jixiao::data::parse(&toml, jixiao::span::FileId(1), jixiao::data::Syntax::Toml).unwrap();
    let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
    let coverage = evaluation.indicator("服务覆盖率").unwrap();
    assert_eq!(coverage.score.to_string(), "14.82", "15 × 84 / 85 = 14.823…");
    assert_eq!(jixiao::report::actual_text(coverage), "≥84%", "printed as the data wrote it");
    assert_eq!(evaluation.indicator("受益老人数").unwrap().score.to_string(), "19.5", "20 × 780 / 800");
    // The report printing the same bound agrees with it.
    let reported = format!("{toml}\n[reported.indicators.\"服务覆盖率\"]\nactual = \"≥ 84%\"\n");
    let data = jixiao::data::parse(&reported, jixiao::span::FileId(1), jixiao::data::Syntax::Toml).unwrap();
    let audit = jixiao::audit::audit(&evaluation, &data);
    // (Its shortfall has no reason: that is the scheme's review rule, not the bound.)
    let about_the_actual = |f: &&jixiao::audit::Finding| f.field != jixiao::audit::Field::Review;
    assert!(
        !audit.findings.iter().filter(about_the_actual).any(|f| f.indicator.as_deref() == Some("服务覆盖率")),
        "{:?}",
        audit.findings
    );

    let header = "project,year,到位资金,全年执行数,服务人次,服务覆盖率,服务差错率,老人满意度,受益老人数";
    let csv = format!("{header}\n社区居家养老服务补助项目,2021,300,285,11400,≥84%,4.5%,86%,>= 780\n");
    let (lines, refused) = score(&rules, &csv, 1);
    assert!(refused.is_empty(), "{refused:?}");
    let total = lines[1].split(',').nth(2).unwrap().to_string();
    assert_eq!(total, evaluation.total.score.normalize().to_string(), "{lines:?}");
    // A figure given as a bound is refused: it is data the rules compute with.
    let csv = format!("{header}\n社区居家养老服务补助项目,2021,≥300,285,11400,84%,4.5%,86%,780\n");
    let (_, refused) = score(&rules, &csv, 1);
    assert_eq!(refused.len(), 1);
}

/// A word the scheme says means "met" (`met "完成"`) scores an actual as its
/// target, printed as written, in eval and batch alike.
#[test]
fn a_met_word_scores_the_target_in_eval_and_batch() {
    let rules = rules("rules/central/elderly-care.jx");
    let base = std::fs::read_to_string(common::root().join("examples/central/elderly-care.toml")).unwrap();
    let toml = base.replace("\"受益老人数\" = 820", "\"受益老人数\" = \"完成\"");
    let data = jixiao::data::parse(&toml, jixiao::span::FileId(1), jixiao::data::Syntax::Toml).unwrap();
    let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
    let served = evaluation.indicator("受益老人数").unwrap();
    assert_eq!((served.score.to_string(), served.deviation.map(|d| d.to_string())), ("20".into(), Some("0".into())));
    assert_eq!(jixiao::report::actual_text(served), "完成");

    let header = "project,year,到位资金,全年执行数,服务人次,服务覆盖率,服务差错率,老人满意度,受益老人数";
    let csv = format!("{header}\n社区居家养老服务补助项目,2021,300,285,11400,88%,4.5%,86%,完成\n");
    let (lines, refused) = score(&rules, &csv, 1);
    assert!(refused.is_empty(), "{refused:?}");
    assert_eq!(lines[1].split(',').nth(2).unwrap(), evaluation.total.score.normalize().to_string());
    // A project with a section apart gets the total with it, after the total.
    assert!(lines[0].starts_with("project,year,total,total_with_apart,grade"), "{}", lines[0]);
    assert_eq!(lines[1].split(',').nth(3).unwrap(), evaluation.total.with_apart.unwrap().normalize().to_string());
    // A word the scheme does not declare is still refused.
    let csv = format!("{header}\n社区居家养老服务补助项目,2021,300,285,11400,88%,4.5%,86%,基本完成\n");
    assert_eq!(score(&rules, &csv, 1).1.len(), 1);
}

/// A stray quote (`"34"3`) once joined 34 and 3 into 343 and scored it:
/// the record is refused, with the field named.
#[test]
fn text_after_a_closing_quote_refuses_the_record() {
    let rules = "rules/2018/quality-supervision.jx";
    let generated = common::stdout(&common::jixiao(&["generate", rules, "--records", "1"]));
    let (head, record) = generated.split_once('\n').unwrap();
    // The third field, a count, with a quote closing inside it.
    let mut cells: Vec<String> = record.trim_end().split(',').map(String::from).collect();
    let count = cells[2].clone();
    cells[2] = format!("\"{}\"{}", &count[..1], &count[1..]);
    let csv = format!("{head}\n{}\n", cells.join(","));
    let out = common::jixiao_with_input(&["eval", rules, "--data", "-", "--columns", "total", "--lang", "en"], &csv);
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let stderr = common::stderr(&out);
    assert!(stderr.contains("field 3 has text after its closing quote"), "{stderr}");
    assert!(!common::stdout(&out).lines().skip(1).any(|l| !l.is_empty()), "{}", common::stdout(&out));
}

/// A cell passed through may hold a line break: `--strict` counts the
/// records scored before the refused one, not the lines they took.
#[test]
fn strict_counts_the_records_before_the_refusal_not_their_lines() {
    let rules = rules("rules/2018/quality-supervision.jx");
    let good = std::fs::read_to_string(common::root().join("tests/fixtures/batch/good.csv")).unwrap();
    let mut lines = good.lines();
    let header = format!("{},note", lines.next().unwrap());
    let row = lines.next().unwrap();
    let mut csv = format!("{header}\n");
    for i in 0..5 {
        // The fourth record has a cell too many.
        let extra = if i == 3 { ",28" } else { "" };
        csv.push_str(&format!("{row}{extra},\"two\nlines\"\n"));
    }
    let program = Program::new(&rules, 0);
    let columns = Some(vec!["note".to_string(), "total".to_string()]);
    for jobs in [1, 2] {
        let options = Options { strict: true, columns: columns.clone(), ..options(jobs) };
        let (out, refused, summary) = run_batch(&program, &csv, &options);
        assert_eq!(out.matches("two\nlines").count(), 3, "{out}");
        assert_eq!(refused.len(), 1);
        assert_eq!((summary.records, summary.scored, summary.refused), (4, 3, 1), "jobs {jobs}");
    }
}

/// Any number of jobs scores a short input at once, as one job does: a
/// worker is started per chunk read, and never more than four a core.
#[test]
fn a_huge_number_of_jobs_scores_as_one() {
    let rules = rules("rules/2018/quality-supervision.jx");
    let csv = quoted_records(12, None);
    let program = Program::new(&rules, 0);
    let one = run_batch(&program, &csv, &options(1));
    assert_eq!(run_batch(&program, &csv, &options(usize::MAX)), one);
    assert_eq!(run_batch(&program, &csv, &Options { block: 64, ..options(100_000) }), one);
}
