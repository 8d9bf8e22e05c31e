//! Parse errors in human words.

use pest::error::{ErrorVariant, InputLocation};

use super::grammar::Rule;
use crate::diagnostic::Problem;
use crate::span::{FileId, Span};

pub mod codes {
    pub const PARSE: &str = "jixiao::syntax::parse";
    pub const NUMBER: &str = "jixiao::syntax::number";
    pub const INTERNAL: &str = crate::diagnostic::INTERNAL;
    pub const KEYWORD_AS_NAME: &str = "jixiao::syntax::keyword_as_name";
    pub const FULL_WIDTH: &str = "jixiao::syntax::full_width";
    pub const TOO_DEEP: &str = "jixiao::syntax::too_deep";
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
        return Problem::error(codes::FULL_WIDTH).arg("char", c).arg("instead", instead).at(span);
    }
    let positives: &[Rule] = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    };
    if !word.is_empty() && is_keyword(&word) && positives.contains(&Rule::name) {
        return Problem::error(codes::KEYWORD_AS_NAME).arg("word", &word).at(span);
    }

    let (mut en, mut zh): (Vec<&str>, Vec<&str>) = positives.iter().map(|r| describe(*r)).unzip();
    for list in [&mut en, &mut zh] {
        list.sort_unstable();
        list.dedup();
    }
    let join = |list: &[&str], or: &str, comma: &str| match list {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{}{or}{last}", init.join(comma)),
    };
    let (found_en, found_zh) = match found_text.as_deref() {
        None => ("the end of the file".to_string(), "文件结尾".to_string()),
        Some(w) if w.chars().all(char::is_whitespace) => {
            ("a line break or space".to_string(), "换行或空格".to_string())
        }
        Some(w) => (format!("`{w}`"), format!("`{w}`")),
    };
    let mut problem = Problem::error(codes::PARSE)
        .arg_in("expected", join(&en, " or ", ", "), join(&zh, " 或 ", "、"))
        .arg_in("found", found_en, found_zh);
    if let Some(split) = glued_keyword(&word) {
        problem = problem.arg("suggestion", split);
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
    super::grammar::JixiaoParser::parse(Rule::keyword, word)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|pair| pair.as_span().end() == word.len())
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
pub fn describe(rule: Rule) -> (&'static str, &'static str) {
    match rule {
        Rule::EOI => ("the end of the file", "文件结尾"),
        Rule::WHITESPACE | Rule::COMMENT => ("a space or comment", "空格或注释"),
        Rule::file => ("a rule file", "规则文件"),
        Rule::sep => ("`;`", "`;`"),
        Rule::lbrace => ("`{`", "`{`"),
        Rule::rbrace => ("`}`", "`}`"),
        Rule::use_decl | Rule::kw_use => ("`use \"file.jx\"`", "`use \"文件.jx\"`（引用）"),
        Rule::scheme | Rule::kw_scheme => ("`scheme NAME { … }`", "`scheme 名称 { … }`（方案）"),
        Rule::scheme_item => (
            "a scheme line (`total`, `unit`, `round`, `method`, `default`, `level`, `grade`)",
            "方案中的一行（`total`、`unit`、`round`、`method`、`default`、`level`、`grade`）",
        ),
        Rule::total_decl | Rule::kw_total => ("`total 100`", "`total 100`（总分）"),
        Rule::unit_decl | Rule::kw_unit => ("`unit 次 家: count`", "`unit 次 家: count`（单位类别）"),
        Rule::unit_kind | Rule::kw_count | Rule::kw_amount => {
            ("`count` or `amount`", "`count`（计数）或 `amount`（金额）")
        }
        Rule::round_decl | Rule::kw_round => ("`round score half_up 0.01`", "`round score half_up 0.01`（舍入）"),
        Rule::round_what | Rule::kw_score | Rule::kw_rate | Rule::kw_deviation => {
            ("`score`, `rate` or `deviation`", "`score`（得分）、`rate`（得分率）或 `deviation`（偏差率）")
        }
        Rule::round_mode | Rule::kw_half_up => ("`half_up`", "`half_up`（四舍五入）"),
        Rule::method_decl | Rule::method_use | Rule::kw_method => ("`method NAME`", "`method 名称`（计分方法）"),
        Rule::params => ("parameters such as `(step, deduction)`", "参数，如 `(step, deduction)`"),
        Rule::default_decl | Rule::kw_default => ("`default >= METHOD`", "`default >= 方法名`（默认）"),
        Rule::level_decl | Rule::kw_level => ("`level NAME 100%`", "`level 名称 100%`（档次）"),
        Rule::level_range => ("a range such as `[60%, 80%)`", "区间，如 `[60%, 80%)`"),
        Rule::range_open => ("`[` or `(`", "`[` 或 `(`"),
        Rule::range_close => ("`]` or `)`", "`]` 或 `)`"),
        Rule::grade_decl | Rule::kw_grade => ("`grade NAME >= 90`", "`grade 名称 >= 90`（等级）"),
        Rule::grade_bound => ("a lower bound such as `>= 90`", "下限，如 `>= 90`"),
        Rule::kw_otherwise => ("`otherwise`", "`otherwise`（其他）"),
        Rule::project | Rule::kw_project => ("`project NAME { … }`", "`project 名称 { … }`（项目）"),
        Rule::project_item => (
            "a project line (`year`, `organization`, `goal`, `figure`, `budget`, `expect`, `section`)",
            "项目中的一行（`year`、`organization`、`goal`、`figure`、`budget`、`expect`、`section`）",
        ),
        Rule::year_decl | Rule::kw_year => ("`year 2018`", "`year 2018`（年度）"),
        Rule::organization_decl | Rule::kw_organization => ("`organization \"…\"`", "`organization \"…\"`（单位）"),
        Rule::goal_decl | Rule::kw_goal => ("`goal \"…\"`", "`goal \"…\"`（总体目标）"),
        Rule::figure_decl | Rule::kw_figure => ("`figure NAME UNIT`", "`figure 名称 单位`（基础数据）"),
        Rule::budget_decl | Rule::kw_budget => ("`budget INDICATOR`", "`budget 指标`（预算指标）"),
        Rule::expect_decl | Rule::kw_expect => ("`expect A == B`", "`expect A == B`（核对）"),
        Rule::section | Rule::kw_section => {
            ("`section NAME points N { … }`", "`section 名称 points 分值 { … }`（一级指标）")
        }
        Rule::group | Rule::kw_group => ("`group NAME { … }`", "`group 名称 { … }`（二级指标）"),
        Rule::indicator | Rule::kw_indicator => {
            ("`indicator ID \"wording\" { … }`", "`indicator 编号 \"名称\" { … }`（三级指标）")
        }
        Rule::indicator_item => (
            "an indicator line (`target`, `points`, `method`, `actual`, `renamed from`)",
            "指标中的一行（`target`、`points`、`method`、`actual`、`renamed from`）",
        ),
        Rule::target_decl | Rule::kw_target => ("`target >= 3000 台`", "`target >= 3000 台`（目标值）"),
        Rule::numeric_target => ("a direction and a value such as `>= 3000 台`", "方向和数值，如 `>= 3000 台`"),
        Rule::level_target => ("a level such as `达成`", "档次，如 `达成`"),
        Rule::points_decl | Rule::kw_points => ("`points 4`", "`points 4`（分值）"),
        Rule::args => ("arguments such as `(1, 0.5)`", "参数，如 `(1, 0.5)`"),
        Rule::actual_decl | Rule::kw_actual => ("`actual = EXPRESSION`", "`actual = 表达式`（完成值）"),
        Rule::renamed_decl | Rule::kw_renamed => ("`renamed from OLD_ID`", "`renamed from 原编号`（原名）"),
        Rule::expr | Rule::comparison | Rule::sum | Rule::product | Rule::unary | Rule::atom => {
            ("a value such as `actual`, `3000`, `97%` or a name", "数值，如 `actual`、`3000`、`97%` 或名称")
        }
        Rule::if_expr | Rule::kw_if => ("`if … then … else …`", "`if … then … else …`（如果…则…否则…）"),
        Rule::kw_then => ("`then`", "`then`（则）"),
        Rule::kw_else => ("`else`", "`else`（否则）"),
        Rule::compare_op => {
            ("a comparison (`>=`, `<=`, `==`, `>`, `<`, `!=`)", "比较（`>=`、`<=`、`==`、`>`、`<`、`!=`）")
        }
        Rule::add_op => ("`+` or `-`", "`+` 或 `-`"),
        Rule::mul_op => ("`*` or `/`", "`*` 或 `/`"),
        Rule::negate => ("`-`", "`-`"),
        Rule::call | Rule::function | Rule::kw_min | Rule::kw_max | Rule::kw_abs | Rule::kw_clamp => {
            ("a function (`min`, `max`, `abs`, `clamp`)", "函数（`min`、`max`、`abs`、`clamp`）")
        }
        Rule::variable => ("`actual`, `target` or `points`", "`actual`、`target` 或 `points`"),
        Rule::literal | Rule::number => ("a number such as `3000` or `97%`", "数值，如 `3000` 或 `97%`"),
        Rule::direction => ("a direction (`>=`, `<=` or `==`)", "方向（`>=`、`<=` 或 `==`）"),
        Rule::assign => ("`=`", "`=`"),
        Rule::lparen => ("`(`", "`(`"),
        Rule::rparen => ("`)`", "`)`"),
        Rule::comma => ("`,`", "`,`"),
        Rule::colon => ("`:`", "`:`"),
        Rule::percent_sign => ("`%`", "`%`"),
        Rule::quantity | Rule::signed_quantity => {
            ("a number such as `3000`, `3000 台` or `97%`", "数值，如 `3000`、`3000 台` 或 `97%`")
        }
        Rule::unit_name => ("a unit such as `台` or `%`", "单位，如 `台` 或 `%`"),
        Rule::string | Rule::string_inner | Rule::curly_inner => ("a string in double quotes", "双引号中的文字"),
        Rule::digit => ("a digit", "数字"),
        Rule::name | Rule::quoted_name | Rule::quoted_inner | Rule::plain_name | Rule::name_start | Rule::name_char => {
            ("a name", "名称")
        }
        Rule::keyword => ("a keyword", "关键字"),
    }
}
