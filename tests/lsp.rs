//! `jixiao lsp` driven by a scripted client over its standard input and
//! output, as an editor drives it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;
#[path = "common/lsp_client.rs"]
mod lsp_client;

use lsp_client::Client;
use serde_json::{Value, json};

use lsp_client::uri;

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().filter(|d| d["severity"] == 1).map(|d| d["code"].as_str().unwrap()).collect()
}

#[test]
fn diagnostics_as_typed_a_quick_fix_and_the_formatters_layout() {
    let dir = common::temp("lsp").join("rules").join("2018");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(common::root().join("rules/2018/scheme.jx"), dir.join("scheme.jx")).unwrap();
    let good = std::fs::read_to_string(common::root().join("rules/2018/quality-supervision.jx")).unwrap();
    let path = dir.join("质量.jx");
    std::fs::write(&path, &good).unwrap();
    let uri = uri(&path);
    // A misspelt figure (line 25) and points that no longer add up (line 31).
    let bad = good
        .replace("actual = 全年执行数 / 到位资金", "actual = 全年执行 / 到位资金")
        .replace("{ target >= 3000 台; points 4 }", "{ target >= 3000 台; points 5 }");
    assert_ne!(bad, good);

    let mut client = Client::start(env!("CARGO_BIN_EXE_jixiao"));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "jixiao", "version": 1, "text": bad } }),
    );
    let found = client.diagnostics(&uri);
    let mut errors = codes(&found);
    errors.sort_unstable();
    assert_eq!(errors, ["jixiao::check::points_sum", "jixiao::check::unknown_name"], "{found:#?}");
    let unknown = found.iter().find(|d| d["code"] == "jixiao::check::unknown_name").unwrap();
    // Line 25 (0-based 24); the name starts after 12 spaces and `actual = ` (UTF-16 columns).
    assert_eq!(unknown["range"]["start"], json!({ "line": 24, "character": 21 }), "{unknown}");
    assert_eq!(unknown["range"]["end"], json!({ "line": 24, "character": 25 }), "{unknown}");

    // The quick fix replaces the name with the figure it meant.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": unknown["range"], "context": { "diagnostics": [] } }),
    );
    let edits = &actions[0]["edit"]["changes"][&uri];
    assert_eq!(edits[0]["newText"], "全年执行数", "{actions}");
    assert_eq!(edits[0]["range"], unknown["range"]);

    // Typing the fix back: no errors left.
    client.change(&uri, 2, &good);
    let found = client.diagnostics(&uri);
    assert!(codes(&found).is_empty(), "{found:#?}");

    // Formatting gives exactly the formatter's layout.
    let untidy = good.replace("    year 2018", "  year   2018");
    client.change(&uri, 3, &untidy);
    client.diagnostics(&uri);
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 4, "insertSpaces": true } }),
    );
    let formatted = common::stdout(&common::jixiao_with_input(&["fmt", "-"], &untidy));
    assert_eq!(edits[0]["newText"], formatted.as_str());

    // Hover on an indicator: its target and points; the definition of the
    // method it names: the scheme's line.
    let named = good.replace("{ target >= 3000 台; points 4 }", "{ target >= 3000 台; points 4; method proportional }");
    client.change(&uri, 4, &named);
    assert!(codes(&client.diagnostics(&uri)).is_empty());
    let line = named.lines().position(|l| l.contains("method proportional")).unwrap();
    let text = named.lines().nth(line).unwrap();
    let column = |word: &str| text[..text.find(word).unwrap()].encode_utf16().count() + 1;
    let at = |character: usize| json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    let hover = client.request("textDocument/hover", at(column("日常监管巡查")));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("target >= 3000 台") && shown.contains("points 4"), "{shown}");
    assert!(shown.contains("method proportional = if actual >= target"), "{shown}");
    let definition = client.request("textDocument/definition", at(column("proportional")));
    assert!(definition["uri"].as_str().unwrap().ends_with("/scheme.jx"), "{definition}");
    let scheme = std::fs::read_to_string(dir.join("scheme.jx")).unwrap();
    let declared = scheme.lines().position(|l| l.trim_start().starts_with("method proportional")).unwrap();
    assert_eq!(definition["range"]["start"]["line"], declared);

    // References of a figure: its declaration, the expect and the derived actual that read it.
    let declared = named.lines().position(|l| l.trim() == "figure 全年执行数 万元").unwrap();
    let character = named.lines().nth(declared).unwrap().find("全年").unwrap() + 1;
    let found = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": { "line": declared, "character": character },
                "context": { "includeDeclaration": true } }),
    );
    let mut lines: Vec<u64> =
        found.as_array().unwrap().iter().map(|l| l["range"]["start"]["line"].as_u64().unwrap()).collect();
    lines.sort_unstable();
    let expected: Vec<u64> = named
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("全年执行数") && !l.trim_start().starts_with("//"))
        .map(|(n, _)| n as u64)
        .collect();
    assert_eq!(lines, expected, "{found}");

    // Completion: keywords in both spellings, and the names the rules declare.
    let items = client.request("textDocument/completion", at(0));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    for expected in ["section", "一级指标", "should be", "应为", "proportional", "台", "全年执行数", "日常监管巡查"]
    {
        assert!(labels.contains(&expected), "no {expected} in {labels:?}");
    }
    client.stop();
}

#[test]
fn a_data_file_is_checked_against_the_rules_beside_it() {
    let root = common::temp("lsp-data");
    let rules = root.join("rules").join("2018");
    let data = root.join("examples").join("2018");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    for file in ["scheme.jx", "quality-supervision.jx"] {
        std::fs::copy(common::root().join("rules/2018").join(file), rules.join(file)).unwrap();
    }
    let good = std::fs::read_to_string(common::root().join("examples/2018/quality-supervision.toml")).unwrap();
    let path = data.join("quality-supervision.toml");
    std::fs::write(&path, &good).unwrap();
    let uri = uri(&path);
    let bad = good.replace("\"日常监管巡查\" = 2072", "\"日常监管巡察\" = 2072");
    assert_ne!(bad, good);

    let mut client = Client::start(env!("CARGO_BIN_EXE_jixiao"));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "toml", "version": 1, "text": bad } }),
    );
    let found = client.diagnostics(&uri);
    let mut errors = codes(&found);
    errors.sort_unstable();
    // The misspelt key, and the actual it leaves missing.
    assert_eq!(errors, ["jixiao::data::missing_actual", "jixiao::data::unknown_id"], "{found:#?}");
    let line = bad.lines().position(|l| l.contains("日常监管巡察")).unwrap();
    let unknown = found.iter().find(|d| d["code"] == "jixiao::data::unknown_id").unwrap();
    assert_eq!(unknown["range"]["start"]["line"], line);
    client.change(&uri, 2, &good);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    // Hover on an indicator of the rules beside it: how the data scores it.
    let rules_path = rules.join("quality-supervision.jx");
    let rules_text = std::fs::read_to_string(&rules_path).unwrap();
    let rules_uri = lsp_client::uri(&rules_path);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": rules_uri, "languageId": "jixiao", "version": 1, "text": rules_text } }),
    );
    client.diagnostics(&rules_uri);
    let line = rules_text.lines().position(|l| l.contains("indicator 日常监管巡查")).unwrap();
    let text = rules_text.lines().nth(line).unwrap();
    let character = text[..text.find("日常监管巡查").unwrap()].encode_utf16().count() + 1;
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": rules_uri }, "position": { "line": line, "character": character } }),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("quality-supervision.toml: actual 2072"), "{shown}");
    assert!(shown.contains("score 2.76 of 4 points, 1.24 lost"), "{shown}");

    // The rules renamed in the editor, unsaved: the data file is checked against them
    // (the rules checked before are not reused), and again once they are back.
    let renamed = rules_text.replace("indicator 日常监管巡查 ", "indicator 日常巡查 ");
    client.change(&rules_uri, 2, &renamed);
    client.diagnostics(&rules_uri);
    client.change(&uri, 3, &good);
    let found = client.diagnostics(&uri);
    assert!(codes(&found).contains(&"jixiao::data::unknown_id"), "{found:#?}");
    client.change(&rules_uri, 3, &rules_text);
    client.diagnostics(&rules_uri);
    client.change(&uri, 4, &good);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    // The workspace file is checked as one, not as project data.
    let file = root.join("jixiao.toml");
    std::fs::write(&file, "rules = [\"rules\"]\n").unwrap();
    let workspace_uri = lsp_client::uri(&file);
    let text = "rules = [\"rules\"]\nlnag = \"zh\"\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": workspace_uri, "languageId": "toml", "version": 1, "text": text } }),
    );
    let found = client.diagnostics(&workspace_uri);
    assert_eq!(codes(&found), ["jixiao::workspace::invalid"], "{found:#?}");
    assert_eq!(found[0]["range"]["start"], json!({ "line": 1, "character": 0 }));
    client.stop();
}

/// Go to definition from a figure an actual reads and from a level a target
/// names; hover on a unit and on a level: the scheme's line.
#[test]
fn definitions_of_figures_and_levels_and_hover_on_units() {
    let dir = common::temp("lsp-definitions").join("rules").join("2018");
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["scheme.jx", "quality-supervision.jx", "business-administration.jx"] {
        std::fs::copy(common::root().join("rules/2018").join(file), dir.join(file)).unwrap();
    }
    let scheme = std::fs::read_to_string(dir.join("scheme.jx")).unwrap();
    let mut client = Client::start(env!("CARGO_BIN_EXE_jixiao"));
    let open = |client: &mut Client, name: &str| {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let uri = uri(&dir.join(name));
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "jixiao", "version": 1, "text": text } }),
        );
        assert!(codes(&client.diagnostics(&uri)).is_empty());
        (uri, text)
    };
    // The place of `word` in the first line holding `line`, as an LSP position.
    let at = |uri: &str, text: &str, line: &str, word: &str| {
        let n = text.lines().position(|l| l.contains(line)).unwrap();
        let l = text.lines().nth(n).unwrap();
        let character = l[..l.find(line).unwrap() + line.find(word).unwrap()].encode_utf16().count();
        json!({ "textDocument": { "uri": uri }, "position": { "line": n, "character": character } })
    };

    let (quality, text) = open(&mut client, "quality-supervision.jx");
    let definition =
        client.request("textDocument/definition", at(&quality, &text, "actual = 全年执行数 / 到位资金", "到位资金"));
    let declared = text.lines().position(|l| l.trim() == "figure 到位资金 万元").unwrap();
    assert_eq!(definition["range"]["start"]["line"], declared, "{definition}");
    assert_eq!(definition["uri"], quality);
    let hover = client.request("textDocument/hover", at(&quality, &text, "target >= 3000 台", "台"));
    let shown = hover["contents"]["value"].as_str().unwrap();
    let unit_line = scheme.lines().find(|l| l.trim_start().starts_with("unit ") && l.contains(" 台 ")).unwrap();
    assert!(shown.contains(unit_line.trim()) && shown.contains("count"), "{shown}");

    let (business, text) = open(&mut client, "business-administration.jx");
    let definition = client.request("textDocument/definition", at(&business, &text, "target 达成", "达成"));
    assert!(definition["uri"].as_str().unwrap().ends_with("/scheme.jx"), "{definition}");
    let level = scheme.lines().position(|l| l.trim_start().starts_with("level 达成")).unwrap();
    assert_eq!(definition["range"]["start"]["line"], level);
    let hover = client.request("textDocument/hover", at(&business, &text, "target 达成", "达成"));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("level 达成 100%"), "{hover}");

    // Completion after an indicator's `method`: the scheme's methods, nothing else.
    let typed = text.replacen("points 15\n", "points 15; method \n", 1);
    client.change(&business, 2, &typed);
    client.diagnostics(&business);
    let line = typed.lines().position(|l| l.ends_with("points 15; method ")).unwrap();
    let character = typed.lines().nth(line).unwrap().encode_utf16().count();
    let items = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": business }, "position": { "line": line, "character": character } }),
    );
    let items = items.as_array().unwrap();
    assert!(items.iter().any(|i| i["label"] == "proportional" && i["insertText"].is_null()), "{items:?}");
    assert!(items.iter().all(|i| i["kind"] == 3), "only methods (functions): {items:?}");

    // A deadline's target reads as written, `by` a date.
    let dated = dir.join("时限.jx");
    std::fs::copy(common::root().join("tests/fixtures/dated/rules.jx"), &dated).unwrap();
    let (deadline, text) = open(&mut client, "时限.jx");
    let hover = client.request("textDocument/hover", at(&deadline, &text, "indicator 完工", "完工"));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("target by 2021-10-31"), "{shown}");
    let hover = client.request("textDocument/hover", at(&deadline, &text, "indicator 管理", "管理"));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("target checklist") && !shown.contains("<="), "{shown}");
    client.stop();
}

/// `--lang` wins over the workspace file's language, as on the command line.
#[test]
fn the_command_lines_language_wins_over_the_workspaces() {
    let root = common::temp("lsp-lang");
    std::fs::create_dir_all(root.join("rules")).unwrap();
    std::fs::write(root.join("jixiao.toml"), "lang = \"zh\"\n").unwrap();
    let path = root.join("rules/坏.jx");
    std::fs::write(&path, "project 项目 { year 2018 }\n").unwrap();
    let folder = [json!({ "uri": uri(&root), "name": "lsp-lang" })];
    for (args, chinese) in [(&[][..], true), (&["--lang", "en"][..], false)] {
        let params = json!({ "capabilities": {}, "workspaceFolders": folder });
        let mut client = Client::start_with(env!("CARGO_BIN_EXE_jixiao"), args, params);
        let uri = uri(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "jixiao", "version": 1, "text": text } }),
        );
        let found = client.diagnostics(&uri);
        let message = found[0]["message"].as_str().unwrap();
        assert_eq!(
            message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) && !"项目".contains(c)),
            chinese,
            "{args:?}: {message}"
        );
        client.stop();
    }
}
