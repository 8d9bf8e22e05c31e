//! `jixiao new`: files to start from — a project's rules that pass `check`,
//! and the data file a unit fills in, every key commented with what it is.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::data::toml_string as quoted;
use crate::model::{self, CheckedRules, Target, Unit};

/// A rule-file name: plain when the grammar reads it so, else in backticks.
fn name(text: &str) -> String {
    if crate::syntax::is_plain_name(text) { text.to_string() } else { format!("`{text}`") }
}

/// A project skeleton under `scheme` (the scheme at `scheme_index` of
/// `rules`), `use`d by `use_path`. With `like`, the sections and groups of
/// that project, points kept, one indicator to fill in per group; without,
/// one section worth the scheme's total and one example indicator.
pub fn project(
    project_name: &str,
    year: i32,
    rules: &CheckedRules,
    scheme_index: usize,
    use_path: &str,
    like: Option<&model::Project>,
) -> String {
    let scheme = &rules.schemes()[scheme_index];
    let mut out = String::new();
    let _ = writeln!(out, "// {project_name} — a project skeleton: replace the example indicators with the");
    let _ = writeln!(out, "// real ones (wording, target, points), keeping each section's points as the sum.");
    let _ = writeln!(out, "use \"{}\"\n", use_path.replace('\\', "/"));
    let _ = writeln!(out, "project {} {{", name(project_name));
    let _ = writeln!(out, "    year {year}");
    let _ = writeln!(out, "    // organization \"…\"          // the unit carrying out the project");
    let _ = writeln!(out, "    // figure 到位资金 万元        // raw figures a derived actual reads (actual = …)");
    // An example target the scheme can check: a percent is always declared.
    let example_target = ">= 100%";
    let mut n = 0;
    let mut indicator = |out: &mut String, indent: &str, points: Decimal| {
        n += 1;
        let _ = writeln!(
            out,
            "{indent}indicator 指标{n} \"指标{n}的正式表述\" {{ target {example_target}; points {} }}  // fill in",
            points.normalize()
        );
    };
    match like {
        Some(p) => {
            for section in &p.sections {
                let apart = if section.apart { " apart" } else { "" };
                let _ = writeln!(
                    out,
                    "\n    section {} points {}{apart} {{",
                    name(&section.name.node),
                    section.points.node.normalize()
                );
                let inds = &p.indicators[section.indicators.clone()];
                // The groups in the order their indicators come, with their points.
                let mut groups: Vec<(Option<&str>, Decimal)> = Vec::new();
                for ind in inds {
                    let g = ind.group.as_ref().map(|g| g.node.as_str());
                    match groups.iter_mut().find(|(name, _)| *name == g) {
                        Some((_, sum)) => *sum += ind.points.node,
                        None => groups.push((g, ind.points.node)),
                    }
                }
                for (group, points) in groups {
                    match group {
                        Some(g) => {
                            let own = section.groups.iter().find(|x| x.name.node == g);
                            let declared =
                                own.map(|x| format!(" points {}", x.points.node.normalize())).unwrap_or_default();
                            let _ = writeln!(out, "        group {}{declared} {{", name(g));
                            indicator(&mut out, "            ", points);
                            let _ = writeln!(out, "        }}");
                        }
                        None => indicator(&mut out, "        ", points),
                    }
                }
                let _ = writeln!(out, "    }}");
            }
        }
        None => {
            let total = scheme.total.node.normalize();
            let _ = writeln!(
                out,
                "\n    section 产出指标 points {total} {{  // the scheme's total: split it between sections"
            );
            let _ = writeln!(out, "        group 数量指标 {{");
            indicator(&mut out, "            ", scheme.total.node);
            let _ = writeln!(out, "        }}");
            let _ = writeln!(out, "    }}");
        }
    }
    let _ = writeln!(out, "}}");
    out
}

/// What a unit fills in for `project`: every fund, figure and actual key,
/// each commented with its wording, target and unit; empty strings that
/// `eval` refuses until they are filled (never a silent zero).
pub fn data(rules: &CheckedRules, project: &model::Project) -> String {
    let scheme = &rules.schemes()[project.scheme];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ({}) — the data the unit fills in. Replace every \"\" with the value;",
        project.name.node, project.year.node
    );
    let _ = writeln!(out, "# a number as a number (2072), a percent as text (\"95.0%\"), a level as its name.");
    let _ = writeln!(out, "project = {}", quoted(&project.name.node));
    let _ = writeln!(out, "year = {}", project.year.node);

    let fund_names = ["年初预算数", "全年预算数", "到位资金", "全年执行数"];
    let users = |figure: usize| -> Vec<&str> {
        project
            .indicators
            .iter()
            .filter(|i| {
                let mut uses = false;
                if let Some(rule) = &i.derived {
                    model::walk(rule, &mut |e| uses |= matches!(e.node, model::ExprKind::Figure(f) if f == figure));
                }
                uses
            })
            .map(|i| i.id.node.as_str())
            .collect()
    };
    let _ = writeln!(out, "\n[funds]                          # 万元");
    for fund in fund_names {
        let declared = project.figures.iter().position(|f| f.name.node == fund);
        let used = declared.map(users).unwrap_or_default();
        let note = if used.is_empty() { String::new() } else { format!("  # read by {}", used.join(", ")) };
        let _ = writeln!(out, "{} = \"\"{note}", quoted(fund));
    }
    let figures: Vec<(usize, &model::Figure)> =
        project.figures.iter().enumerate().filter(|(_, f)| !fund_names.contains(&f.name.node.as_str())).collect();
    if !figures.is_empty() {
        let _ = writeln!(out, "\n[figures]");
        for (i, figure) in figures {
            let unit = figure.unit.label().map(|u| format!(" ({u})")).unwrap_or_default();
            let used = users(i);
            let read = if used.is_empty() {
                "checked by an expect".to_string()
            } else {
                format!("read by {}", used.join(", "))
            };
            let _ = writeln!(out, "# {}{unit} — {read}", figure.name.node.replace(['\n', '\r'], " "));
            let _ = writeln!(out, "{} = \"\"", quoted(&figure.name.node));
        }
    }
    let _ = writeln!(out, "\n[goal]\n# what was achieved against the overall goal (总体目标)\nresult = \"\"");
    let _ = writeln!(out, "\n[actual]");
    for indicator in &project.indicators {
        let _ = writeln!(out, "# {}", describe(indicator, scheme));
        match &indicator.derived {
            Some(_) => {
                let formula = indicator.derived_text.as_deref().unwrap_or("");
                let _ = writeln!(out, "#   derived: {formula} — nothing to fill in here");
            }
            None => {
                let _ = writeln!(out, "{} = \"\"", quoted(&indicator.id.node));
            }
        }
    }
    let _ = writeln!(out, "\n[reasons]                        # 偏差原因: one for each indicator below full points");
    for indicator in &project.indicators {
        let _ = writeln!(out, "# {} = \"…\"", quoted(&indicator.id.node));
    }
    let _ = writeln!(out, "\n# [reported] is for the auditor: what the submitted report prints (see `jixiao audit`).");
    out
}

/// `日常监管巡查设备台数 — target >= 3000 台, a count`, on one line (it is a comment).
fn describe(indicator: &model::Indicator, scheme: &model::Scheme) -> String {
    describe_lines(indicator, scheme).replace(['\n', '\r'], " ")
}

fn describe_lines(indicator: &model::Indicator, scheme: &model::Scheme) -> String {
    let target = match (&indicator.target, indicator.dated_or_listed()) {
        (_, Some(special)) => special,
        (Target::Numeric { direction, value, unit, .. }, None) => match unit {
            // A percent target is kept as its fraction.
            Unit::Percent => format!("{} {}%", direction.symbol(), (value * Decimal::ONE_HUNDRED).normalize()),
            other => {
                let unit = other.label().map(|u| format!(" {u}")).unwrap_or_default();
                format!("{} {}{unit}", direction.symbol(), value.normalize())
            }
        },
        (Target::Level { level, .. }, None) => {
            let levels: Vec<String> = scheme
                .levels
                .iter()
                .map(|l| match l.printed.is_empty() {
                    true => l.name.node.clone(),
                    false => format!("{} ({})", l.name.node, l.printed.join("、")),
                })
                .collect();
            format!("{} — qualitative, one of: {}", scheme.levels[*level].name.node, levels.join("; "))
        }
    };
    let kind = match indicator.unit() {
        Some(Unit::Percent) => ", a percent such as \"95.0%\"",
        Some(Unit::Named { kind: crate::syntax::ast::UnitKind::Count, .. }) => ", a whole count",
        Some(Unit::Named { .. }) => ", an amount",
        Some(Unit::DaysLate) => ", the date it was done (\"2019-12-20\") or \"未完成\"",
        Some(Unit::Missing) => ", the items met as a list ([\"…\"]) or \"无\"",
        _ => "",
    };
    format!("{}: {} — target {target}{kind}", indicator.id.node, indicator.wording)
}
