//! A printed target or actual, read: `≥80%`, `>=95%`, `≤30万元`, `3000台`,
//! full-width `≥８０％`, `达成预期指标`, `2019年12月底前`, a blank or `—`.

use rust_decimal::Decimal;

use crate::date::Date;
/// The rule language's directions (`Assign` never comes out of a reader).
pub use crate::model::Direction;

/// What a printed cell or phrase says.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number, with the direction its symbol gives and its unit.
    Number { direction: Option<Direction>, value: Decimal, percent: bool, unit: Option<String> },
    /// A date: a deadline target, or the day a deadline indicator was done.
    Date { direction: Option<Direction>, date: Date },
    /// Words: a qualitative target or actual.
    Words(String),
    /// A blank, `—`, `-`, `/`, `无`.
    Nothing,
}

/// How a value was read, when a convention was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Liberty {
    /// `>` or `<`: read as `>=` / `<=` (the language has no strict target).
    Strict(char),
    /// Words after the number were left out (`40 家指标` → 40 家).
    Trailing(String),
    /// A multiplier word applied (`3.2万` → 32000).
    Multiplied(String),
    /// The direction stated in words (`不低于90%`, `80%以上`).
    DirectionWords(String),
}

/// Full-width digits, signs and percent to ASCII, markup (`**`) and
/// thin spaces out; Chinese punctuation stays (it separates clauses).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("**", "").chars() {
        let c = match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '％' => '%',
            '．' => '.',
            '＋' => '+',
            '－' | '−' => '-',
            '＞' => '>',
            '＜' => '<',
            '＝' => '=',
            '\u{3000}' | '\u{a0}' | '\u{2009}' => ' ',
            // A byte-order mark or a zero-width space is no text.
            '\u{feff}' | '\u{200b}' => continue,
            _ => c,
        };
        out.push(c);
    }
    out
}

/// The units a reader knows: the scheme's declared units, longest first.
pub fn known_units(declared: &[String]) -> Vec<String> {
    let mut units: Vec<String> = declared.to_vec();
    units.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    units
}

/// Reads a printed value. `units` are names a unit may have (longest first):
/// a number followed by one of them carries it; otherwise one to three
/// letters right after the number are taken as an undeclared unit.
pub fn read(text: &str, units: &[String]) -> (Value, Vec<Liberty>) {
    let text = normalize(text);
    let text = text.trim();
    let mut liberties = Vec::new();
    if text.is_empty() || ["—", "-", "/", "无", "——", "－", "／", "不适用"].contains(&text) {
        return (Value::Nothing, liberties);
    }
    let (direction, rest) = direction_prefix(text, &mut liberties);
    let (direction, rest) = match direction {
        Some(d) => (Some(d), rest.trim_start()),
        None => match direction_words(rest) {
            Some((d, stripped, words)) => {
                liberties.push(Liberty::DirectionWords(words.to_string()));
                (Some(d), stripped)
            }
            None => (None, rest.trim_start()),
        },
    };
    if let Some((date, tail)) = date_prefix(rest) {
        if !tail.trim().is_empty() {
            liberties.push(Liberty::Trailing(tail.trim().to_string()));
        }
        return (Value::Date { direction, date }, liberties);
    }
    // What only looks like a number is words, never the digits before the odd part:
    // a range (`90%-95%`), an exponent (`1E3`), per mille, digits split by spaces,
    // a month without its year (`12月底前`).
    let looks_odd = |after: &str| {
        let after = after.trim_start();
        // What follows a leading character, whatever its width in bytes.
        let then_digit = |text: &str, leads: &[char]| {
            let mut chars = text.chars();
            chars.next().is_some_and(|c| leads.contains(&c))
                && chars.as_str().trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
        };
        then_digit(after, &['E', 'e'])
            || after.starts_with(['‰', '月'])
            || after.starts_with(|c: char| c.is_ascii_digit())
            || then_digit(after.trim_start_matches('%').trim_start(), &['-', '~', '～', '至'])
    };
    match number_prefix(rest) {
        Some((_, after)) if looks_odd(after) => (Value::Words(rest.to_string()), liberties),
        Some((mut value, after)) => {
            let mut after = after.trim_start();
            // 万 and 亿 multiply, unless a declared unit begins with them (万元).
            for (word, factor) in [("万", 10_000i64), ("亿", 100_000_000)] {
                if after.starts_with(word)
                    && !units.iter().any(|u| u.starts_with(word) && after.starts_with(u.as_str()))
                {
                    match value.checked_mul(Decimal::from(factor)) {
                        Some(v) => value = v,
                        None => return (Value::Words(rest.to_string()), liberties),
                    }
                    liberties.push(Liberty::Multiplied(word.to_string()));
                    after = after[word.len()..].trim_start();
                }
            }
            let (percent, unit, tail) = if let Some(tail) = after.strip_prefix('%') {
                (true, None, tail)
            } else if let Some(unit) = units.iter().find(|u| after.starts_with(u.as_str())) {
                (false, Some(unit.clone()), &after[unit.len()..])
            } else {
                let letters: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
                let n = letters.chars().count();
                if (1..=3).contains(&n) && after[letters.len()..].trim().is_empty() {
                    (false, Some(letters.clone()), &after[letters.len()..])
                } else {
                    (false, None, after)
                }
            };
            let tail = tail.trim().trim_start_matches(['，', ',', '。', '；', ';']).trim();
            // `80%以上` said its direction after the number.
            let (direction, tail) = match (direction, trailing_direction(tail)) {
                (None, Some((d, words, rest))) => {
                    liberties.push(Liberty::DirectionWords(words.to_string()));
                    (Some(d), rest)
                }
                _ => (direction, tail),
            };
            if !tail.is_empty() {
                liberties.push(Liberty::Trailing(tail.to_string()));
            }
            (Value::Number { direction, value, percent, unit }, liberties)
        }
        None if direction.is_some() => (Value::Words(text.to_string()), liberties),
        None => (Value::Words(rest.to_string()), liberties),
    }
}

/// A direction said in words before the figure (`不低于90%`).
fn direction_words(text: &str) -> Option<(Direction, &str, &str)> {
    const WORDS: &[(&str, Direction)] = &[
        ("不低于", Direction::AtLeast),
        ("不少于", Direction::AtLeast),
        ("不小于", Direction::AtLeast),
        ("大于等于", Direction::AtLeast),
        ("不高于", Direction::AtMost),
        ("不超过", Direction::AtMost),
        ("不多于", Direction::AtMost),
        ("不大于", Direction::AtMost),
        ("小于等于", Direction::AtMost),
        ("等于", Direction::Exactly),
    ];
    let text = text.trim_start();
    WORDS.iter().find_map(|(w, d)| {
        let rest = text.strip_prefix(w)?;
        rest.trim_start().starts_with(|c: char| c.is_ascii_digit()).then_some((*d, rest.trim_start(), *w))
    })
}

/// A direction said in words after the figure (`80%以上`, `5万元以内`).
fn trailing_direction(tail: &str) -> Option<(Direction, &'static str, &str)> {
    const WORDS: &[(&str, Direction)] = &[
        ("及以上", Direction::AtLeast),
        ("以上", Direction::AtLeast),
        ("及以下", Direction::AtMost),
        ("以下", Direction::AtMost),
        ("以内", Direction::AtMost),
    ];
    WORDS.iter().find_map(|(w, d)| tail.strip_prefix(w).map(|rest| (*d, *w, rest.trim())))
}

fn direction_prefix<'a>(text: &'a str, liberties: &mut Vec<Liberty>) -> (Option<Direction>, &'a str) {
    for (symbol, direction) in [
        (">=", Direction::AtLeast),
        ("≥", Direction::AtLeast),
        ("≧", Direction::AtLeast),
        ("<=", Direction::AtMost),
        ("≤", Direction::AtMost),
        ("≦", Direction::AtMost),
        ("==", Direction::Exactly),
        ("=", Direction::Exactly),
    ] {
        if let Some(rest) = text.strip_prefix(symbol) {
            return (Some(direction), rest);
        }
    }
    for (symbol, direction) in [('>', Direction::AtLeast), ('<', Direction::AtMost)] {
        if let Some(rest) = text.strip_prefix(symbol) {
            liberties.push(Liberty::Strict(symbol));
            return (Some(direction), rest);
        }
    }
    (None, text)
}

/// A decimal at the start of `text` (a sign allowed), and what follows.
pub fn number_prefix(text: &str) -> Option<(Decimal, &str)> {
    let bytes = text.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let digits_start = end;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end == digits_start {
        return None;
    }
    let mut digits = text[digits_start..end].to_string();
    // Thousands separators (`6,480`, `1，000`): groups of exactly three digits.
    if end - digits_start <= 3 {
        loop {
            let rest = &text[end..];
            let sep = [",", "，"].iter().find(|s| rest.starts_with(**s)).map(|s| s.len());
            let Some(sep) = sep else { break };
            let group = &rest.as_bytes()[sep..];
            let three = group.len() >= 3 && group[..3].iter().all(u8::is_ascii_digit);
            let fourth = group.get(3).is_some_and(u8::is_ascii_digit);
            if !three || fourth {
                break;
            }
            digits.push_str(&rest[sep..sep + 3]);
            end += sep + 3;
        }
    }
    let mut number = digits;
    if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
        let start = end;
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        number.push_str(&text[start..end]);
    }
    if bytes.first() == Some(&b'-') {
        number.insert(0, '-');
    }
    let value: Decimal = number.parse().ok()?;
    Some((value, &text[end..]))
}

/// `2019-12-31`, `2019年12月31日前`, `2019年12月底前`, `2019年12月` (the month's
/// last day), at the start of `text`.
fn date_prefix(text: &str) -> Option<(Date, &str)> {
    let year_end = text.find('年').filter(|&i| i == 4 && text[..4].bytes().all(|b| b.is_ascii_digit()));
    if let Some(y) = year_end {
        let after_year = &text[y + '年'.len_utf8()..];
        let month_end = after_year.find('月')?;
        let month = &after_year[..month_end];
        if month.is_empty() || month.len() > 2 || !month.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let after_month = &after_year[month_end + '月'.len_utf8()..];
        let day_digits: String = after_month.chars().take_while(char::is_ascii_digit).collect();
        let (phrase_end, day) = if !day_digits.is_empty() && after_month[day_digits.len()..].starts_with('日') {
            (day_digits.len() + '日'.len_utf8(), Some(day_digits))
        } else {
            (0, None)
        };
        let phrase = &text[..y + '年'.len_utf8() + month_end + '月'.len_utf8() + phrase_end];
        let mut tail = &after_month[phrase_end..];
        for suffix in ["底前", "底", "之前", "以前", "前"] {
            if let Some(t) = tail.strip_prefix(suffix) {
                tail = t;
                break;
            }
        }
        let year: i32 = text[..4].parse().ok()?;
        let month: u8 = month.parse().ok()?;
        let date = match day {
            Some(_) => Date::parse(phrase)?,
            None => last_day(year, month)?,
        };
        return Some((date, tail));
    }
    // `2019-12-31`, `2019.12.31`, `2019/12/31` (one or two digits for month and day).
    let mut parts = text.splitn(3, ['-', '.', '/']);
    let (year, month, rest) = (parts.next()?, parts.next()?, parts.next()?);
    let day: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let separators_agree = {
        let first = text.as_bytes().get(4).copied();
        text.as_bytes().get(4 + 1 + month.len()).copied() == first
    };
    if year.len() != 4
        || !year.bytes().all(|b| b.is_ascii_digit())
        || !(1..=2).contains(&month.len())
        || !month.bytes().all(|b| b.is_ascii_digit())
        || !(1..=2).contains(&day.len())
        || !separators_agree
    {
        return None;
    }
    let date = Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    let mut tail = &rest[day.len()..];
    for suffix in ["之前", "以前", "前"] {
        if let Some(t) = tail.strip_prefix(suffix) {
            tail = t;
            break;
        }
    }
    Some((date, tail))
}

fn last_day(year: i32, month: u8) -> Option<Date> {
    (28..=31).rev().find_map(|day| Date::new(year, month, day))
}

/// The shortest decimal that reads back as the same binary double, the way a
/// spreadsheet's number is meant; `None` for infinities and NaN.
pub fn from_double(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // Rust prints a double as the shortest text that parses back to it.
    let text = format!("{value}");
    text.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(&format!("{value:e}")).ok())
}

/// A percent as it is printed: `0.958` → `95.8%`.
pub fn percent_text(fraction: Decimal) -> String {
    format!("{}%", (fraction * Decimal::ONE_HUNDRED).normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> Vec<String> {
        known_units(&["台".into(), "批次".into(), "万元".into(), "家".into()])
    }

    fn number(direction: Option<Direction>, value: &str, percent: bool, unit: Option<&str>) -> Value {
        Value::Number { direction, value: value.parse().unwrap(), percent, unit: unit.map(str::to_string) }
    }

    #[test]
    fn printed_targets() {
        let u = units();
        assert_eq!(read("≥80%", &u).0, number(Some(Direction::AtLeast), "80", true, None));
        assert_eq!(read(">=95%", &u).0, number(Some(Direction::AtLeast), "95", true, None));
        assert_eq!(read("≤30万元", &u).0, number(Some(Direction::AtMost), "30", false, Some("万元")));
        assert_eq!(read("=100%", &u).0, number(Some(Direction::Exactly), "100", true, None));
        assert_eq!(read("3000台", &u).0, number(None, "3000", false, Some("台")));
        assert_eq!(read("≥８０％", &u).0, number(Some(Direction::AtLeast), "80", true, None));
        assert_eq!(read("０次", &u).0, number(None, "0", false, Some("次")));
        assert_eq!(read("**4944** 批次", &u).0, number(None, "4944", false, Some("批次")));
        assert_eq!(read("达成预期指标", &u).0, Value::Words("达成预期指标".into()));
        assert_eq!(read("—", &u).0, Value::Nothing);
        assert_eq!(read("  ", &u).0, Value::Nothing);
    }

    #[test]
    fn liberties_are_said() {
        let u = units();
        let (value, liberties) = read("40 家指标", &u);
        assert_eq!(value, number(None, "40", false, Some("家")));
        assert_eq!(liberties, [Liberty::Trailing("指标".into())]);
        let (value, liberties) = read(">80%", &u);
        assert_eq!(value, number(Some(Direction::AtLeast), "80", true, None));
        assert_eq!(liberties, [Liberty::Strict('>')]);
    }

    #[test]
    fn what_only_looks_like_a_number_is_not_read_as_one() {
        let u = units();
        assert_eq!(read("6,480 批次", &u).0, number(None, "6480", false, Some("批次")));
        assert_eq!(read("≥1,000台", &u).0, number(Some(Direction::AtLeast), "1000", false, Some("台")));
        assert_eq!(read("1,234,567", &u).0, number(None, "1234567", false, None));
        assert_eq!(read("3.2万", &u).0, number(None, "32000", false, None));
        assert_eq!(read("≥1.5万台", &u).0, number(Some(Direction::AtLeast), "15000", false, Some("台")));
        assert_eq!(read("30万元", &u).0, number(None, "30", false, Some("万元")), "万元 is a unit");
        for odd in
            ["90%-95%", "4-5次", "≥1E3", "1.2e3", "960‰", " 1 2 0 ", "12月底前", "12月20日", "90%～95%", "3至5次"]
        {
            assert!(matches!(read(odd, &u).0, Value::Words(_)), "{odd}");
        }
        assert_eq!(read("不低于90%", &u).0, number(Some(Direction::AtLeast), "90", true, None));
        assert_eq!(read("80%以上", &u).0, number(Some(Direction::AtLeast), "80", true, None));
        assert_eq!(read("5万元以内", &u).0, number(Some(Direction::AtMost), "5", false, Some("万元")));
        assert_eq!(read("\u{feff}4次", &u).0, number(None, "4", false, Some("次")));
    }

    #[test]
    fn dates() {
        let u = units();
        assert_eq!(
            read("2019年12月31日前", &u).0,
            Value::Date { direction: None, date: Date::new(2019, 12, 31).unwrap() }
        );
        assert_eq!(
            read("2019年12月底前", &u).0,
            Value::Date { direction: None, date: Date::new(2019, 12, 31).unwrap() }
        );
        assert_eq!(read("2020年2月", &u).0, Value::Date { direction: None, date: Date::new(2020, 2, 29).unwrap() });
        assert_eq!(read("2019-10-31", &u).0, Value::Date { direction: None, date: Date::new(2019, 10, 31).unwrap() });
        assert_eq!(read("2019.12.31前", &u).0, Value::Date { direction: None, date: Date::new(2019, 12, 31).unwrap() });
        assert_eq!(read("2020.03.15", &u).0, Value::Date { direction: None, date: Date::new(2020, 3, 15).unwrap() });
        assert_eq!(read("2020/3/5", &u).0, Value::Date { direction: None, date: Date::new(2020, 3, 5).unwrap() });
        // A year count is a number, not a date.
        assert_eq!(read("2019", &u).0, number(None, "2019", false, None));
    }

    #[test]
    fn doubles_by_their_shortest_decimal() {
        assert_eq!(from_double(89.974).unwrap().to_string(), "89.974");
        assert_eq!(from_double(0.95).unwrap().to_string(), "0.95");
        assert_eq!(from_double(0.1 + 0.2).unwrap().to_string(), "0.30000000000000004");
        assert_eq!(from_double(f64::NAN), None);
    }
}
