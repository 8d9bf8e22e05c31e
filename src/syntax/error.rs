//! Parse errors in human words.

use pest::error::{ErrorVariant, InputLocation};

use super::grammar::Rule;
use crate::diagnostic::Problem;
use crate::span::{FileId, Span};

pub mod codes {
    pub const PARSE: &str = "jixiao::syntax::parse";
    pub const NUMBER: &str = "jixiao::syntax::number";
    pub const INTERNAL: &str = "jixiao::syntax::internal";
}

/// Turns pest's error into a problem that names what was expected in words
/// a policy officer uses, never grammar rule names.
pub fn parse_error(error: &pest::error::Error<Rule>, file: FileId, text: &str) -> Problem {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // Show the whole word found (`分值4`, not `分`), or the one symbol.
    let rest = text.get(at..).unwrap_or("");
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let found_text = if word.is_empty() { rest.chars().next().map(String::from) } else { Some(word) };
    let end = at + found_text.as_ref().map(String::len).unwrap_or(0);
    let found = found_text.as_deref().and_then(|w| w.chars().next().map(|c| (c, w)));
    let mut expected: Vec<&str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.iter().map(|r| describe(*r)).collect(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    let expected = match expected.len() {
        0 => "something else".to_string(),
        1 => expected[0].to_string(),
        n => format!("{} or {}", expected[..n - 1].join(", "), expected[n - 1]),
    };
    let found = match found {
        None => "the end of the file".to_string(),
        Some((c, _)) if c.is_whitespace() => "a line break or space".to_string(),
        Some((_, w)) => format!("`{w}`"),
    };
    Problem::error(codes::PARSE).arg("expected", expected).arg("found", found).at(Span::new(file, at, end))
}

/// What each grammar rule is, in words. No catch-all arm: a new rule cannot
/// ship without a description.
pub fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::WHITESPACE | Rule::COMMENT => "a space or comment",
        Rule::file => "a rule file",
        Rule::sep => "`;`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::use_decl | Rule::kw_use => "`use \"file.jx\"`",
        Rule::scheme | Rule::kw_scheme => "`scheme NAME { … }`",
        Rule::scheme_item => "a scheme line (`total`, `unit`, `round`, `method`, `default`, `level`, `grade`)",
        Rule::total_decl | Rule::kw_total => "`total 100`",
        Rule::unit_decl | Rule::kw_unit => "`unit 次 家: count`",
        Rule::unit_kind | Rule::kw_count | Rule::kw_amount => "`count` or `amount`",
        Rule::round_decl | Rule::kw_round => "`round score half_up 0.01`",
        Rule::round_what | Rule::kw_score | Rule::kw_rate | Rule::kw_deviation => "`score`, `rate` or `deviation`",
        Rule::round_mode | Rule::kw_half_up => "`half_up`",
        Rule::method_decl | Rule::method_use | Rule::kw_method => "`method NAME`",
        Rule::params => "parameters such as `(step, deduction)`",
        Rule::default_decl | Rule::kw_default => "`default >= METHOD`",
        Rule::level_decl | Rule::kw_level => "`level NAME 100%`",
        Rule::level_range => "a range such as `[60%, 80%)`",
        Rule::range_open => "`[` or `(`",
        Rule::range_close => "`]` or `)`",
        Rule::grade_decl | Rule::kw_grade => "`grade NAME >= 90`",
        Rule::grade_bound => "a lower bound such as `>= 90`",
        Rule::kw_otherwise => "`otherwise`",
        Rule::project | Rule::kw_project => "`project NAME { … }`",
        Rule::project_item => {
            "a project line (`year`, `organization`, `goal`, `figure`, `budget`, `expect`, `section`)"
        }
        Rule::year_decl | Rule::kw_year => "`year 2018`",
        Rule::organization_decl | Rule::kw_organization => "`organization \"…\"`",
        Rule::goal_decl | Rule::kw_goal => "`goal \"…\"`",
        Rule::figure_decl | Rule::kw_figure => "`figure NAME UNIT`",
        Rule::budget_decl | Rule::kw_budget => "`budget INDICATOR`",
        Rule::expect_decl | Rule::kw_expect => "`expect A == B`",
        Rule::section | Rule::kw_section => "`section NAME points N { … }`",
        Rule::group | Rule::kw_group => "`group NAME { … }`",
        Rule::indicator | Rule::kw_indicator => "`indicator ID \"wording\" { … }`",
        Rule::indicator_item => "an indicator line (`target`, `points`, `method`, `actual`, `renamed from`)",
        Rule::target_decl | Rule::kw_target => "`target >= 3000 台`",
        Rule::numeric_target => "a direction and a value such as `>= 3000 台`",
        Rule::level_target => "a level such as `达成`",
        Rule::points_decl | Rule::kw_points => "`points 4`",
        Rule::args => "arguments such as `(1, 0.5)`",
        Rule::actual_decl | Rule::kw_actual => "`actual = EXPRESSION`",
        Rule::renamed_decl | Rule::kw_renamed => "`renamed from OLD_ID`",
        Rule::expr | Rule::comparison | Rule::sum | Rule::product | Rule::unary | Rule::atom => {
            "a value such as `actual`, `3000`, `97%` or a name"
        }
        Rule::if_expr | Rule::kw_if => "`if … then … else …`",
        Rule::kw_then => "`then`",
        Rule::kw_else => "`else`",
        Rule::compare_op => "a comparison (`>=`, `<=`, `==`, `>`, `<`, `!=`)",
        Rule::add_op => "`+` or `-`",
        Rule::mul_op => "`*` or `/`",
        Rule::negate => "`-`",
        Rule::call | Rule::function | Rule::kw_min | Rule::kw_max | Rule::kw_abs | Rule::kw_clamp => {
            "a function (`min`, `max`, `abs`, `clamp`)"
        }
        Rule::variable => "`actual`, `target` or `points`",
        Rule::literal | Rule::number => "a number such as `3000` or `97%`",
        Rule::direction => "a direction (`>=`, `<=` or `==`)",
        Rule::assign => "`=`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::comma => "`,`",
        Rule::colon => "`:`",
        Rule::percent_sign => "`%`",
        Rule::quantity | Rule::signed_quantity => "a number such as `3000`, `3000 台` or `97%`",
        Rule::unit_name => "a unit such as `台` or `%`",
        Rule::string | Rule::string_inner | Rule::curly_inner => "a string in double quotes",
        Rule::name | Rule::quoted_name | Rule::quoted_inner | Rule::plain_name | Rule::name_start | Rule::name_char => {
            "a name"
        }
        Rule::keyword => "a keyword",
    }
}
