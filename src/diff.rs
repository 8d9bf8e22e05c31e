//! What changed between two versions of the rules, on the checked models
//! (never on text), and what that does to the scores.
//!
//! Indicators match by id, or by a `renamed from` the new version declares.
//! Layout, comments and order within a group change nothing; a move to
//! another group or section does.

use rust_decimal::Decimal;

use crate::data::ProjectData;
use crate::diagnostic::Problem;
use crate::eval::{self, Evaluation, Leniency};
use crate::exact::{Ratio, canonical};
use crate::messages::Word;
use crate::model::{self, CheckedRules, Scoring, Target};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Added,
    Removed,
    Changed,
    Renamed,
    Moved,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
            Kind::Renamed => "renamed",
            Kind::Moved => "moved",
        }
    }
}

impl Kind {
    pub fn word(self) -> Word {
        match self {
            Kind::Added => Word::Added,
            Kind::Removed => Word::Removed,
            Kind::Changed => Word::Changed,
            Kind::Renamed => Word::Renamed,
            Kind::Moved => Word::Moved,
        }
    }
}

/// What a change is to: a field of an indicator, or of the scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Target,
    Direction,
    Unit,
    Points,
    Method,
    ActualFormula,
    Name,
    Section,
    Group,
    Total,
    Rounding,
    Grades,
    Levels,
    Methods,
    /// Whether a section counts in the total.
    Apart,
    /// The words that mean a numeric target was met.
    Met,
    /// How declared units relate.
    Scales,
    /// The review rules (`review reason`).
    Reviews,
    /// The points of a section's groups (二级指标分值).
    GroupPoints,
}

impl Field {
    /// The name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Field::Target => "target",
            Field::Direction => "direction",
            Field::Unit => "unit",
            Field::Points => "points",
            Field::Method => "method",
            Field::ActualFormula => "actual_formula",
            Field::Name => "name",
            Field::Section => "section",
            Field::Group => "group",
            Field::Total => "total",
            Field::Rounding => "rounding",
            Field::Grades => "grades",
            Field::Levels => "levels",
            Field::Methods => "methods",
            Field::Apart => "apart",
            Field::Met => "met",
            Field::Scales => "scales",
            Field::Reviews => "reviews",
            Field::GroupPoints => "group_points",
        }
    }

    pub fn word(self) -> Word {
        match self {
            Field::Target => Word::Target,
            Field::Direction => Word::Direction,
            Field::Unit => Word::Unit,
            Field::Points => Word::Points,
            Field::Method => Word::Method,
            Field::ActualFormula => Word::ActualFormula,
            Field::Name => Word::Name,
            Field::Section => Word::Section,
            Field::Group => Word::Group,
            Field::Total => Word::Total,
            Field::Rounding => Word::Rounding,
            Field::Grades => Word::Grades,
            Field::Levels => Word::Levels,
            Field::Methods => Word::Methods,
            Field::Apart => Word::CountedInTotal,
            Field::Met => Word::MetWords,
            Field::Scales => Word::Scales,
            Field::Reviews => Word::Reviews,
            Field::GroupPoints => Word::GroupPoints,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Indicator,
    Section,
    Scheme,
    Project,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::Indicator => "indicator",
            Scope::Section => "section",
            Scope::Scheme => "scheme",
            Scope::Project => "project",
        }
    }

    pub fn word(self) -> Word {
        match self {
            Scope::Indicator => Word::Indicator,
            Scope::Section => Word::Section,
            Scope::Scheme => Word::SchemeScope,
            Scope::Project => Word::Project,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    pub scope: Scope,
    pub indicator: Option<String>,
    /// The section a section-scope change is about.
    pub section: Option<String>,
    pub field: Option<Field>,
    pub old: Option<String>,
    pub new: Option<String>,
    /// An undeclared rename the diff suggests (`renamed from 旧id`).
    pub suggestion: Option<String>,
}

impl Change {
    fn new(kind: Kind, scope: Scope) -> Change {
        Change { kind, scope, indicator: None, section: None, field: None, old: None, new: None, suggestion: None }
    }
}

/// A score before and after, and the difference when both exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delta {
    pub old: Option<Decimal>,
    pub new: Option<Decimal>,
}

impl Delta {
    pub fn delta(&self) -> Option<Decimal> {
        Some(self.new? - self.old?)
    }
}

#[derive(Clone, Debug)]
pub struct Impact {
    pub total: Delta,
    pub grade: (Option<String>, Option<String>),
    /// Some indicator could not be scored under one version.
    pub partial: bool,
    /// Those indicators.
    pub missing: Vec<String>,
    /// Data ids a version does not score, set aside: (version, id).
    pub set_aside: Vec<(&'static str, String)>,
    pub sections: Vec<(String, Delta)>,
    pub indicators: Vec<(String, Delta)>,
}

#[derive(Clone, Debug)]
pub struct ProjectDiff {
    pub name: String,
    pub year_old: Option<i32>,
    pub year_new: Option<i32>,
    pub changes: Vec<Change>,
    pub impact: Option<Impact>,
}

/// A method as its definition reads, with the arguments of this use.
fn method_text(method: &model::Method, args: &[Ratio]) -> String {
    let params: Vec<&str> = method.params.iter().map(|p| p.node.as_str()).collect();
    let head = if params.is_empty() {
        method.name.node.clone()
    } else {
        format!("{}({})", method.name.node, params.join(", "))
    };
    let call = if args.is_empty() {
        String::new()
    } else {
        format!(" with ({})", args.iter().map(|a| Ratio::canonical(*a)).collect::<Vec<_>>().join(", "))
    };
    format!("{head} = {}{call}", model::canonical_text(&method.body, &method.params, &[], &[]))
}

fn rounding_text(r: &model::Rounding) -> String {
    let step = |s: Option<Ratio>| s.map(Ratio::canonical).unwrap_or_else(|| "exact".into());
    format!("score {}; rate {}; deviation {}", step(r.score), step(r.rate), step(r.deviation))
}

fn grades_text(s: &model::Scheme) -> String {
    let grades: Vec<String> = s
        .grades
        .iter()
        .map(|g| match g.min {
            Some(m) => format!("{} >= {}", g.name.node, m.text()),
            None => format!("{} otherwise", g.name.node),
        })
        .collect();
    grades.join("; ")
}

fn levels_text(s: &model::Scheme) -> String {
    let levels: Vec<String> = s
        .levels
        .iter()
        .map(|l| {
            let fraction = match l.fraction {
                model::LevelFraction::Fixed(f) => Ratio::canonical(f),
                model::LevelFraction::Range { low, low_closed, high, high_closed } => format!(
                    "{}{}, {}{}",
                    if low_closed { "[" } else { "(" },
                    Ratio::canonical(low),
                    Ratio::canonical(high),
                    if high_closed { "]" } else { ")" }
                ),
            };
            let printed: Vec<String> = l.printed.iter().map(|p| format!("\"{p}\"")).collect();
            format!("{} {fraction} {}", l.name.node, printed.join(" ")).trim_end().to_string()
        })
        .collect();
    levels.join("; ")
}

/// The fields of an indicator that a diff compares, as canonical text.
struct Fields {
    target: String,
    direction: Option<String>,
    unit: Option<String>,
    points: String,
    method: Option<String>,
    actual_formula: Option<String>,
    name: String,
    group: Option<String>,
    section: String,
}

fn fields(rules: &CheckedRules, project: &model::Project, indicator: &model::Indicator) -> Fields {
    let scheme = rules.scheme_of(project);
    let (target, direction, unit) = match &indicator.target {
        Target::Numeric { .. } if indicator.dated_or_listed().is_some() => {
            (indicator.dated_or_listed().unwrap_or_default(), None, None)
        }
        Target::Numeric { direction, value, unit, .. } => {
            (canonical(*value), Some(direction.symbol().to_string()), unit.label().map(String::from))
        }
        Target::Level { level, .. } => (scheme.levels[*level].name.node.clone(), None, None),
    };
    let method = match &indicator.scoring {
        Scoring::Method { method, args, .. } => Some(method_text(&scheme.methods[*method], args)),
        Scoring::Level => None,
        Scoring::Checklist { deduct } => Some(format!("deduct {} per missing item", Ratio::canonical(*deduct))),
    };
    let actual_formula =
        indicator.derived.as_ref().map(|e| model::canonical_text(e, &[], &project.figures, &project.indicators));
    Fields {
        target,
        direction,
        unit,
        points: canonical(indicator.points.node),
        method,
        actual_formula,
        name: indicator.wording.clone(),
        group: indicator.group.as_ref().map(|g| g.node.clone()),
        section: project.sections[indicator.section].name.node.clone(),
    }
}

/// Compares every project of `old` with the project of the same name in `new`.
pub fn diff(old: &CheckedRules, new: &CheckedRules) -> Vec<ProjectDiff> {
    let mut out = Vec::new();
    for p in old.projects() {
        let other = new.projects().iter().find(|q| q.name.node == p.name.node);
        out.push(match other {
            Some(q) => project_diff(old, p, new, q),
            None => ProjectDiff {
                name: p.name.node.clone(),
                year_old: Some(p.year.node),
                year_new: None,
                changes: vec![Change { old: Some(p.name.node.clone()), ..Change::new(Kind::Removed, Scope::Project) }],
                impact: None,
            },
        });
    }
    for q in new.projects() {
        if !old.projects().iter().any(|p| p.name.node == q.name.node) {
            out.push(ProjectDiff {
                name: q.name.node.clone(),
                year_old: None,
                year_new: Some(q.year.node),
                changes: vec![Change { new: Some(q.name.node.clone()), ..Change::new(Kind::Added, Scope::Project) }],
                impact: None,
            });
        }
    }
    out
}

/// Declared renames: (old id, new id), where the old id is gone from the new version.
pub fn renames(old: &model::Project, new: &model::Project) -> Vec<(String, String)> {
    new.indicators
        .iter()
        .filter_map(|i| {
            let from = i.renamed_from.as_ref()?;
            let gone = new.indicator(&from.node).is_none() && old.indicator(&from.node).is_some();
            gone.then(|| (from.node.clone(), i.id.node.clone()))
        })
        .collect()
}

fn project_diff(
    old_rules: &CheckedRules,
    old: &model::Project,
    new_rules: &CheckedRules,
    new: &model::Project,
) -> ProjectDiff {
    let mut changes = scheme_changes(old_rules.scheme_of(old), new_rules.scheme_of(new));
    let renamed = renames(old, new);

    for section in &new.sections {
        match old.sections.iter().find(|s| s.name.node == section.name.node) {
            Some(before) => {
                if before.points.node != section.points.node {
                    changes.push(Change {
                        section: Some(section.name.node.clone()),
                        field: Some(Field::Points),
                        old: Some(canonical(before.points.node)),
                        new: Some(canonical(section.points.node)),
                        ..Change::new(Kind::Changed, Scope::Section)
                    });
                }
                let group_points = |s: &model::Section| {
                    let each: Vec<String> =
                        s.groups.iter().map(|g| format!("{} {}", g.name.node, canonical(g.points.node))).collect();
                    each.join("; ")
                };
                if group_points(before) != group_points(section) {
                    changes.push(Change {
                        section: Some(section.name.node.clone()),
                        field: Some(Field::GroupPoints),
                        old: Some(group_points(before)),
                        new: Some(group_points(section)),
                        ..Change::new(Kind::Changed, Scope::Section)
                    });
                }
                if before.apart != section.apart {
                    let counted = |apart: bool| if apart { "apart" } else { "counted" }.to_string();
                    changes.push(Change {
                        section: Some(section.name.node.clone()),
                        field: Some(Field::Apart),
                        old: Some(counted(before.apart)),
                        new: Some(counted(section.apart)),
                        ..Change::new(Kind::Changed, Scope::Section)
                    });
                }
            }
            None => changes.push(Change {
                section: Some(section.name.node.clone()),
                new: Some(section.name.node.clone()),
                ..Change::new(Kind::Added, Scope::Section)
            }),
        }
    }
    for section in &old.sections {
        if !new.sections.iter().any(|s| s.name.node == section.name.node) {
            changes.push(Change {
                section: Some(section.name.node.clone()),
                old: Some(section.name.node.clone()),
                ..Change::new(Kind::Removed, Scope::Section)
            });
        }
    }

    let mut added = Vec::new();
    for indicator in &new.indicators {
        let id = &indicator.id.node;
        let before_id = renamed.iter().find(|(_, n)| n == id).map(|(o, _)| o.as_str()).unwrap_or(id);
        let Some(before) = old.indicators.iter().find(|i| i.id.node == before_id) else {
            added.push(indicator);
            continue;
        };
        if before_id != id {
            changes.push(Change {
                indicator: Some(id.clone()),
                old: Some(before_id.to_string()),
                new: Some(id.clone()),
                ..Change::new(Kind::Renamed, Scope::Indicator)
            });
        }
        let (a, b) = (fields(old_rules, old, before), fields(new_rules, new, indicator));
        let mut field = |name: Field, x: Option<String>, y: Option<String>, kind: Kind| {
            if x != y {
                changes.push(Change {
                    indicator: Some(id.clone()),
                    field: Some(name),
                    old: x,
                    new: y,
                    ..Change::new(kind, Scope::Indicator)
                });
            }
        };
        field(Field::Target, Some(a.target), Some(b.target), Kind::Changed);
        field(Field::Direction, a.direction, b.direction, Kind::Changed);
        field(Field::Unit, a.unit, b.unit, Kind::Changed);
        field(Field::Points, Some(a.points), Some(b.points), Kind::Changed);
        field(Field::Method, a.method, b.method, Kind::Changed);
        field(Field::ActualFormula, a.actual_formula, b.actual_formula, Kind::Changed);
        field(Field::Name, Some(a.name), Some(b.name), Kind::Changed);
        if a.section != b.section {
            field(Field::Section, Some(a.section), Some(b.section), Kind::Moved);
        } else {
            field(Field::Group, a.group, b.group, Kind::Moved);
        }
    }
    let removed: Vec<&model::Indicator> = old
        .indicators
        .iter()
        .filter(|i| new.indicator(&i.id.node).is_none() && !renamed.iter().any(|(o, _)| *o == i.id.node))
        .collect();
    for indicator in &removed {
        changes.push(Change {
            indicator: Some(indicator.id.node.clone()),
            old: Some(indicator.id.node.clone()),
            ..Change::new(Kind::Removed, Scope::Indicator)
        });
    }
    for indicator in added {
        // An undeclared rename: the same or nearly the same wording and target.
        let mine = fields(new_rules, new, indicator);
        let suggestion = removed
            .iter()
            .filter(|r| {
                let theirs = fields(old_rules, old, r);
                theirs.target == mine.target
                    && theirs.unit == mine.unit
                    && strsim::normalized_levenshtein(&theirs.name, &mine.name) >= 0.8
            })
            .map(|r| r.id.node.clone())
            .min();
        changes.push(Change {
            indicator: Some(indicator.id.node.clone()),
            new: Some(indicator.id.node.clone()),
            suggestion: suggestion.map(|s| format!("renamed from {s}")),
            ..Change::new(Kind::Added, Scope::Indicator)
        });
    }
    ProjectDiff {
        name: new.name.node.clone(),
        year_old: Some(old.year.node),
        year_new: Some(new.year.node),
        changes,
        impact: None,
    }
}

fn scheme_changes(old: &model::Scheme, new: &model::Scheme) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut field = |name: Field, a: String, b: String| {
        if a != b {
            changes.push(Change {
                field: Some(name),
                old: Some(a),
                new: Some(b),
                ..Change::new(Kind::Changed, Scope::Scheme)
            });
        }
    };
    field(Field::Total, canonical(old.total.node), canonical(new.total.node));
    field(Field::Rounding, rounding_text(&old.rounding), rounding_text(&new.rounding));
    field(Field::Grades, grades_text(old), grades_text(new));
    field(Field::Levels, levels_text(old), levels_text(new));
    field(Field::Met, old.met.join(", "), new.met.join(", "));
    let scales = |s: &model::Scheme| {
        let each: Vec<String> =
            s.scales.iter().map(|c| format!("1 {} = {} {}", c.from, Ratio::canonical(c.factor), c.to)).collect();
        each.join("; ")
    };
    field(Field::Scales, scales(old), scales(new));
    // A set of rules: written order does not matter.
    let reviews = |s: &model::Scheme| {
        let mut each: Vec<String> = s.reviews.iter().map(|r| r.node.text()).collect();
        each.sort();
        each.join("; ")
    };
    field(Field::Reviews, reviews(old), reviews(new));
    for m in &new.methods {
        let text = method_text(m, &[]);
        match old.methods.iter().find(|o| o.name.node == m.name.node) {
            Some(o) if method_text(o, &[]) != text => changes.push(Change {
                field: Some(Field::Methods),
                old: Some(method_text(o, &[])),
                new: Some(text),
                ..Change::new(Kind::Changed, Scope::Scheme)
            }),
            Some(_) => {}
            None => changes.push(Change {
                field: Some(Field::Methods),
                new: Some(text),
                ..Change::new(Kind::Added, Scope::Scheme)
            }),
        }
    }
    for o in &old.methods {
        if !new.methods.iter().any(|m| m.name.node == o.name.node) {
            changes.push(Change {
                field: Some(Field::Methods),
                old: Some(method_text(o, &[])),
                ..Change::new(Kind::Removed, Scope::Scheme)
            });
        }
    }
    changes
}

/// Scores the same data under both versions.
pub fn impact(
    old_rules: &CheckedRules,
    new_rules: &CheckedRules,
    diff: &ProjectDiff,
    data: &ProjectData,
) -> Result<Impact, Vec<Problem>> {
    let find = |rules: &CheckedRules| rules.projects().iter().position(|p| p.name.node == diff.name);
    let (Some(o), Some(n)) = (find(old_rules), find(new_rules)) else { return Err(Vec::new()) };
    let renamed = renames(&old_rules.projects()[o], &new_rules.projects()[n]);
    let backwards: Vec<(String, String)> = renamed.iter().map(|(a, b)| (b.clone(), a.clone())).collect();
    let before = eval::evaluate_lenient(old_rules, o, data, &Leniency { renames: backwards })?;
    let after = eval::evaluate_lenient(new_rules, n, data, &Leniency { renames: renamed.clone() })?;

    let score = |e: &Evaluation, id: &str| e.indicator(id).map(|i| i.score);
    let mut indicators = Vec::new();
    for indicator in &new_rules.projects()[n].indicators {
        let id = &indicator.id.node;
        let old_id = renamed.iter().find(|(_, b)| b == id).map(|(a, _)| a.as_str()).unwrap_or(id);
        indicators.push((id.clone(), Delta { old: score(&before, old_id), new: score(&after, id) }));
    }
    for indicator in &old_rules.projects()[o].indicators {
        let id = &indicator.id.node;
        let kept = new_rules.projects()[n].indicator(id).is_some() || renamed.iter().any(|(a, _)| a == id);
        if !kept {
            indicators.push((id.clone(), Delta { old: score(&before, id), new: None }));
        }
    }
    let mut sections = Vec::new();
    for s in &after.sections {
        let old = before.sections.iter().find(|b| b.name == s.name).map(|b| b.score);
        sections.push((s.name.clone(), Delta { old, new: Some(s.score) }));
    }
    for b in &before.sections {
        if !after.sections.iter().any(|s| s.name == b.name) {
            sections.push((b.name.clone(), Delta { old: Some(b.score), new: None }));
        }
    }
    let mut missing: Vec<String> = before.unscored.iter().chain(&after.unscored).cloned().collect();
    missing.sort();
    missing.dedup();
    let mut set_aside: Vec<(&'static str, String)> = before.set_aside.iter().map(|i| ("old", i.clone())).collect();
    set_aside.extend(after.set_aside.iter().map(|i| ("new", i.clone())));
    Ok(Impact {
        total: Delta { old: Some(before.total.score), new: Some(after.total.score) },
        grade: (before.total.grade.clone(), after.total.grade.clone()),
        partial: !missing.is_empty(),
        missing,
        set_aside,
        sections,
        indicators,
    })
}
