//! Machine-applicable fixes: each did-you-mean and full-width diagnostic
//! carries the edit that mends it, in `--error-format json`; applied, the
//! rules check clean.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

/// The fixes `check --error-format json` gives for `text`, applied, and
/// the codes of the errors it found.
fn fixed(name: &str, text: &str) -> (String, Vec<String>) {
    let dir = common::temp(&format!("fixes-{name}"));
    std::fs::write(dir.join("rules.jx"), text).unwrap();
    let out = common::jixiao_in(&dir, &["check", "rules.jx", "--error-format", "json"]);
    assert!(!out.status.success(), "{name}: checks clean before the fix");
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut codes = Vec::new();
    for line in common::stderr(&out).lines() {
        let diagnostic: serde_json::Value = serde_json::from_str(line).unwrap();
        if diagnostic["severity"] == "error" {
            codes.push(diagnostic["code"].as_str().unwrap().to_string());
        }
        for fix in diagnostic["fixes"].as_array().into_iter().flatten() {
            let span = fix["span"].as_array().unwrap();
            let (start, end) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
            edits.push((start, end, fix["replacement"].as_str().unwrap().to_string()));
        }
    }
    assert!(!edits.is_empty(), "{name}: no fix offered for {codes:?}");
    // From the end, so earlier offsets stay valid.
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut text = text.to_string();
    for (start, end, replacement) in edits {
        text.replace_range(start..end, &replacement);
    }
    (text, codes)
}

fn checks_clean(name: &str, text: &str) {
    let dir = common::temp(&format!("fixed-{name}"));
    std::fs::write(dir.join("rules.jx"), text).unwrap();
    let out = common::jixiao_in(&dir, &["check", "rules.jx"]);
    assert!(out.status.success(), "{name} after its fixes:\n{text}\n{}", common::stderr(&out));
}

#[test]
fn every_did_you_mean_and_full_width_fix_mends_the_rules() {
    let base = common::one_indicator("", "target >= 3000 次");
    let cases = [
        // A misspelt method, a misspelt unit, a full-width sign, a keyword run into a number.
        ("method", base.replace("target >= 3000 次", "target >= 3000 次; method proportionl")),
        ("unit", base.replace("3000 次", "3000 欠")),
        ("full-width", base.replace("target >= 3000", "target ＞= 3000")),
        ("glued", base.replace("points 10 }", "points10 }")),
    ];
    for (name, text) in cases {
        let (mended, codes) = fixed(name, &text);
        assert_ne!(mended, text, "{name}: {codes:?}");
        checks_clean(name, &mended);
    }
}

#[test]
fn a_misspelt_figure_in_a_derived_actual_is_mended_to_the_figure() {
    let text = common::one_indicator("", "target >= 100%; actual = 执行数 / 到位资").replace(
        "project P {\n    year 2018",
        "project P {\n    year 2018\n    figure 执行数 万元\n    figure 到位资金 万元",
    );
    let (mended, codes) = fixed("figure", &text);
    assert!(codes.iter().all(|c| c == "jixiao::check::unknown_name"), "{codes:?}");
    assert!(mended.contains("actual = 执行数 / 到位资金"), "{mended}");
    checks_clean("figure", &mended);
}

#[test]
fn a_misspelt_key_in_a_data_file_is_mended_with_its_quotes() {
    let dir = common::temp("fixes-data");
    std::fs::copy(common::root().join("rules/2018/scheme.jx"), dir.join("scheme.jx")).unwrap();
    std::fs::copy(common::root().join("rules/2018/quality-supervision.jx"), dir.join("rules.jx")).unwrap();
    let data = std::fs::read_to_string(common::root().join("examples/2018/quality-supervision.toml")).unwrap();
    let misspelt = data.replace("\"日常监管巡查\" = 2072", "\"日常监管巡察\" = 2072");
    assert_ne!(misspelt, data);
    std::fs::write(dir.join("data.toml"), &misspelt).unwrap();
    let out = common::jixiao_in(&dir, &["eval", "rules.jx", "--data", "data.toml", "--error-format", "json"]);
    let fix = common::stderr(&out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|d| d["code"] == "jixiao::data::unknown_id")
        .map(|d| d["fixes"][0].clone())
        .unwrap();
    let span = fix["span"].as_array().unwrap();
    let (start, end) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
    let mut mended = misspelt.clone();
    mended.replace_range(start..end, fix["replacement"].as_str().unwrap());
    assert_eq!(mended, data);
}
