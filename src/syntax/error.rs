//! Parse errors in human words.

use pest::error::{ErrorVariant, InputLocation};

use super::grammar::Rule;
use crate::diagnostic::Problem;
use crate::messages::{Lang, Word};
use crate::span::{FileId, Span};

pub mod codes {
    pub const PARSE: &str = "jixiao::syntax::parse";
    pub const NUMBER: &str = "jixiao::syntax::number";
    pub const INTERNAL: &str = crate::diagnostic::INTERNAL;
    pub const KEYWORD_AS_NAME: &str = "jixiao::syntax::keyword_as_name";
    pub const FULL_WIDTH: &str = "jixiao::syntax::full_width";
    pub const TOO_DEEP: &str = "jixiao::syntax::too_deep";
    pub const COMPOUND_UNIT: &str = "jixiao::syntax::compound_unit";
    pub const DATE: &str = "jixiao::syntax::date";
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
    let found_text = if word.is_empty() { rest.chars().next().map(String::from) } else { Some(word.clone()) };
    let end = at + found_text.as_ref().map(String::len).unwrap_or(0);
    let span = Span::new(file, at, end);

    if let Some(c) = rest.chars().next()
        && let Some(instead) = half_width(c)
    {
        let one = Span::new(file, at, at + c.len_utf8());
        return Problem::error(codes::FULL_WIDTH).arg("char", c).arg("instead", instead).at(span).fix(one, instead);
    }
    let positives: &[Rule] = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    };
    if !word.is_empty() && is_keyword(&word) && positives.contains(&Rule::name) {
        return Problem::error(codes::KEYWORD_AS_NAME).arg("word", &word).at(span);
    }

    let mut expected: Vec<Word> = positives.iter().map(|r| describe(*r)).collect();
    expected.dedup();
    let list = |lang: Lang| {
        let mut words: Vec<&str> = expected.iter().map(|w| w.text(lang)).collect();
        words.sort_unstable();
        words.dedup();
        match words.as_slice() {
            [] => String::new(),
            [one] => one.to_string(),
            [init @ .., last] => format!("{}{}{last}", init.join(Word::ListComma.text(lang)), Word::Or.text(lang)),
        }
    };
    let problem = Problem::error(codes::PARSE).arg_in("expected", list(Lang::En), list(Lang::Zh));
    let mut problem = match found_text.as_deref() {
        None => problem.arg_word("found", Word::ParseEoi, &[]),
        Some(w) if w.chars().all(char::is_whitespace) => problem.arg_word("found", Word::LineBreakOrSpace, &[]),
        Some(w) => problem.arg("found", format!("`{w}`")),
    };
    if let Some(split) = glued_keyword(&word) {
        problem = problem.arg("suggestion", &split).fix(span, split);
    }
    problem = problem.at(span);
    if found_text.is_none()
        && let Some(open) = unclosed_brace(text)
    {
        problem = problem.at(Span::new(file, open, open + 1));
    }
    problem
}

/// Whether `word` is exactly a keyword, in either language.
fn is_keyword(word: &str) -> bool {
    use pest::Parser;
    // `keyword` ends where no name character follows: on a word made of
    // name characters, a match is the whole word (`score²` holds one that is
    // not, `²`, so its `score` matches without being all of it).
    let name_chars = word.chars().all(|c| c.is_alphabetic() || c.is_ascii_digit() || c == '_');
    name_chars && super::grammar::JixiaoParser::parse(Rule::keyword, word).is_ok()
}

/// `分值4` → `分值 4`: a keyword run into the number after it.
fn glued_keyword(word: &str) -> Option<String> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_digit());
    (digits.len() < word.len() && !digits.is_empty() && is_keyword(digits))
        .then(|| format!("{digits} {}", &word[digits.len()..]))
}

/// The last `{` that no `}` closes, outside strings and comments.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                while let Some((_, d)) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == '"' || d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek().map(|(_, d)| *d) == Some('/') => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// Full-width characters Chinese input methods type that the grammar does
/// not take, with what to type instead. (％ ， ； （ ） ： ≥ ≤ ＋ － and the
/// full-width space are accepted as they are.)
fn half_width(c: char) -> Option<&'static str> {
    Some(match c {
        '＝' => "=",
        '＞' => ">",
        '＜' => "<",
        '｛' => "{",
        '｝' => "}",
        '【' | '［' => "[",
        '】' | '］' => "]",
        '＊' => "*",
        '／' => "/",
        '．' | '。' => ".",
        '、' => ",",
        '‘' | '’' | '＂' => "\"",
        '｀' => "`",
        '！' => "!",
        _ => return None,
    })
}

/// What each grammar rule is, in words. No catch-all arm: a new rule cannot
/// ship without a description.
pub fn describe(rule: Rule) -> Word {
    match rule {
        Rule::EOI => Word::ParseEoi,
        Rule::WHITESPACE | Rule::COMMENT => Word::ParseWhitespace,
        Rule::file => Word::ParseFile,
        Rule::sep => Word::ParseSep,
        Rule::lbrace => Word::ParseLbrace,
        Rule::rbrace => Word::ParseRbrace,
        Rule::use_decl | Rule::kw_use => Word::ParseUseDecl,
        Rule::scheme | Rule::kw_scheme => Word::ParseScheme,
        Rule::scheme_item => Word::ParseSchemeItem,
        Rule::total_decl | Rule::kw_total => Word::ParseTotalDecl,
        Rule::unit_decl | Rule::kw_unit => Word::ParseUnitDecl,
        Rule::unit_kind | Rule::kw_count | Rule::kw_amount => Word::ParseUnitKind,
        Rule::round_decl | Rule::kw_round => Word::ParseRoundDecl,
        Rule::round_what | Rule::kw_score | Rule::kw_rate | Rule::kw_deviation => Word::ParseRoundWhat,
        Rule::round_mode | Rule::kw_half_up => Word::ParseRoundMode,
        Rule::method_decl | Rule::method_use | Rule::kw_method => Word::ParseMethodDecl,
        Rule::params => Word::ParseParams,
        Rule::default_decl | Rule::kw_default => Word::ParseDefaultDecl,
        Rule::level_decl | Rule::kw_level => Word::ParseLevelDecl,
        Rule::level_range => Word::ParseLevelRange,
        Rule::range_open => Word::ParseRangeOpen,
        Rule::range_close => Word::ParseRangeClose,
        Rule::grade_decl | Rule::kw_grade => Word::ParseGradeDecl,
        Rule::grade_bound => Word::ParseGradeBound,
        Rule::apart | Rule::kw_apart => Word::ParseApart,
        Rule::per_unit => Word::ParsePerUnit,
        Rule::met_decl | Rule::kw_met => Word::ParseMet,
        Rule::scale_decl | Rule::kw_scale => Word::ParseScale,
        Rule::review_decl
        | Rule::kw_review
        | Rule::review_reason
        | Rule::kw_reason
        | Rule::review_evidence
        | Rule::kw_evidence
        | Rule::review_overshoot
        | Rule::review_above
        | Rule::review_deviation
        | Rule::review_budget => Word::ParseReview,
        Rule::deadline_target | Rule::kw_by => Word::ParseDeadline,
        Rule::date => Word::ParseDate,
        Rule::checklist_target | Rule::kw_checklist | Rule::kw_deduct => Word::ParseChecklist,
        Rule::checklist_item => Word::ParseChecklistItem,
        Rule::kw_otherwise => Word::ParseKwOtherwise,
        Rule::project | Rule::kw_project => Word::ParseProject,
        Rule::project_item => Word::ParseProjectItem,
        Rule::year_decl | Rule::kw_year => Word::ParseYearDecl,
        Rule::organization_decl | Rule::kw_organization => Word::ParseOrganizationDecl,
        Rule::goal_decl | Rule::kw_goal => Word::ParseGoalDecl,
        Rule::submitted_decl | Rule::kw_submitted => Word::ParseSubmittedDecl,
        Rule::test_decl | Rule::kw_test => Word::ParseTestDecl,
        Rule::test_item
        | Rule::test_project
        | Rule::test_data
        | Rule::test_points
        | Rule::test_target
        | Rule::test_given
        | Rule::test_should => Word::ParseTestItem,
        Rule::test_value | Rule::test_expected | Rule::test_refused => Word::ParseTestValue,
        Rule::test_subject => Word::ParseTestSubject,
        Rule::kw_data => Word::ParseTestItem,
        Rule::kw_should => Word::ParseShould,
        Rule::kw_within | Rule::kw_subtotal | Rule::kw_refused | Rule::kw_result => Word::ParseTestSubject,
        Rule::figure_decl | Rule::kw_figure => Word::ParseFigureDecl,
        Rule::budget_decl | Rule::kw_budget => Word::ParseBudgetDecl,
        Rule::expect_decl | Rule::kw_expect => Word::ParseExpectDecl,
        Rule::section | Rule::kw_section => Word::ParseSection,
        Rule::group | Rule::kw_group => Word::ParseGroup,
        Rule::indicator | Rule::kw_indicator => Word::ParseIndicator,
        Rule::indicator_item => Word::ParseIndicatorItem,
        Rule::target_decl | Rule::kw_target => Word::ParseTargetDecl,
        Rule::numeric_target => Word::ParseNumericTarget,
        Rule::level_target => Word::ParseLevelTarget,
        Rule::points_decl | Rule::kw_points => Word::ParsePointsDecl,
        Rule::args => Word::ParseArgs,
        Rule::actual_decl | Rule::kw_actual => Word::ParseActualDecl,
        Rule::renamed_decl | Rule::kw_renamed => Word::ParseRenamedDecl,
        Rule::expr | Rule::comparison | Rule::sum | Rule::product | Rule::unary | Rule::atom => Word::ParseExpr,
        Rule::if_expr | Rule::kw_if => Word::ParseIfExpr,
        Rule::kw_then => Word::ParseKwThen,
        Rule::kw_else => Word::ParseKwElse,
        Rule::compare_op => Word::ParseCompareOp,
        Rule::add_op => Word::ParseAddOp,
        Rule::mul_op => Word::ParseMulOp,
        Rule::negate => Word::ParseNegate,
        Rule::call | Rule::function => Word::ParseCall,
        Rule::variable => Word::ParseVariable,
        Rule::literal | Rule::number => Word::ParseLiteral,
        Rule::direction => Word::ParseDirection,
        Rule::assign => Word::ParseAssign,
        Rule::lparen => Word::ParseLparen,
        Rule::rparen => Word::ParseRparen,
        Rule::comma => Word::ParseComma,
        Rule::colon => Word::ParseColon,
        Rule::percent_sign => Word::ParsePercentSign,
        Rule::quantity | Rule::signed_quantity => Word::ParseQuantity,
        Rule::unit_name => Word::ParseUnitName,
        Rule::string | Rule::string_inner | Rule::curly_inner => Word::ParseString,
        Rule::digit => Word::ParseDigit,
        Rule::name | Rule::quoted_name | Rule::quoted_inner | Rule::plain_name | Rule::name_start | Rule::name_char => {
            Word::ParseName
        }
        Rule::keyword
        | Rule::english_keyword
        | Rule::chinese_keyword
        | Rule::chinese_keyword_1
        | Rule::chinese_keyword_2
        | Rule::chinese_keyword_3
        | Rule::chinese_keyword_4
        | Rule::chinese_keyword_5
        | Rule::chinese_keyword_6 => Word::ParseKeyword,
    }
}
