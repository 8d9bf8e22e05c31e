//! Laws that hold for every input: a score lies within 0..=points, and the
//! default `>=` method never gives less for more.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use jixiao::model::CheckedRules;
use proptest::prelude::*;

fn rules(indicator: &str, method: &str) -> CheckedRules {
    let text = common::one_indicator(method, indicator);
    let checked = jixiao::check::check_source("p.jx", &text);
    checked.rules.unwrap_or_else(|| panic!("{:?}", checked.problems))
}

fn score(rules: &CheckedRules, actual: u64) -> rust_decimal::Decimal {
    let data =
        jixiao::data::parse(&common::data(&actual.to_string()), jixiao::span::FileId(1), jixiao::data::Syntax::Toml)
            .unwrap();
    jixiao::eval::evaluate(rules, &data).unwrap().indicator("I").unwrap().score
}

const PER_UNIT: &str = "method per_unit(step, deduction) = max(points - max(target - actual, 0) / step * deduction, 0)";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn scores_stay_within_points(target in 0u64..5000, actual in 0u64..20000, which in 0usize..3) {
        let indicator = match which {
            0 => format!("target >= {target} 次"),
            1 => format!("target <= {target} 次"),
            _ => format!("target >= {target} 次; method per_unit(1, 0.5)"),
        };
        let rules = rules(&indicator, PER_UNIT);
        let s = score(&rules, actual);
        prop_assert!(s >= rust_decimal::Decimal::ZERO && s <= rust_decimal::Decimal::TEN, "{indicator} actual {actual}: {s}");
    }

    #[test]
    fn the_default_at_least_method_is_monotonic(target in 1u64..5000, a in 0u64..10000, b in 0u64..10000) {
        let rules = rules(&format!("target >= {target} 次"), "");
        let (low, high) = (a.min(b), a.max(b));
        prop_assert!(score(&rules, low) <= score(&rules, high));
    }
}

/// Half away from zero, on integers: the nearest multiple of 1/100 to n/d.
fn reference_round(n: i128, d: i128) -> (i128, i128) {
    let sign = if (n < 0) != (d < 0) { -1 } else { 1 };
    let (n, d) = (n.abs(), d.abs());
    let hundredths = (200 * n + d) / (2 * d);
    (sign * hundredths, 100)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn exact_rounding_matches_integer_arithmetic(n in -1_000_000i128..1_000_000, d in 1i128..100_000) {
        use jixiao::exact::Ratio;
        let r = Ratio::new(n, d).unwrap();
        let rounded = r.round_to(Ratio::new(1, 100).unwrap()).unwrap();
        let (num, den) = reference_round(n, d);
        prop_assert_eq!(rounded, Ratio::new(num, den).unwrap());
    }

    #[test]
    fn arithmetic_is_exact_and_order_agrees(a in -10_000i128..10_000, b in 1i128..10_000, c in -10_000i128..10_000, e in 1i128..10_000) {
        use jixiao::exact::Ratio;
        let (x, y) = (Ratio::new(a, b).unwrap(), Ratio::new(c, e).unwrap());
        // (x + y) - y == x, and (x * y) / y == x when y != 0: no precision lost.
        prop_assert_eq!(x.checked_add(y).unwrap().checked_sub(y).unwrap(), x);
        if c != 0 {
            prop_assert_eq!(x.checked_mul(y).unwrap().checked_div(y).unwrap(), x);
        }
        prop_assert_eq!(x < y, a * e < c * b);
        prop_assert_eq!(x == y, a * e == c * b);
    }
}

/// The printed form of `n / d`: sign, whole part, up to six digits, and
/// whether it goes on.
fn printed_parts(text: &str) -> (bool, String, String, bool) {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (rest, goes_on) = match rest.strip_suffix('…') {
        Some(rest) => (rest, true),
        None => (rest, false),
    };
    let (whole, digits) = rest.split_once('.').unwrap_or((rest, ""));
    (negative, whole.to_string(), digits.to_string(), goes_on)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Printing never panics and agrees with exact division: the whole part
    /// is the integer quotient, the digits are the truncated fraction, and
    /// `…` appears exactly when the value goes on.
    #[test]
    fn display_is_total_and_exact(n in (i128::MIN + 1)..=i128::MAX, d in 1i128..=i128::MAX, small_d in 1i128..10_000, pick in 0u8..3) {
        use jixiao::exact::Ratio;
        let d = if pick == 0 { small_d } else { d };
        let r = Ratio::new(n, d).unwrap();
        let (negative, whole, digits, goes_on) = printed_parts(&r.to_string());
        prop_assert_eq!(negative, n < 0);
        let (magnitude, den) = (n.unsigned_abs(), d.unsigned_abs());
        prop_assert_eq!(whole, (magnitude / den).to_string());
        prop_assert!(digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit()));
        prop_assert!(!goes_on || digits.len() == 6);
        let rest = Ratio::new((magnitude % den) as i128, den as i128).unwrap();
        let scale = 10i128.pow(digits.len() as u32);
        let shown: i128 = if digits.is_empty() { 0 } else { digits.parse().unwrap() };
        let low = Ratio::new(shown, scale).unwrap();
        let high = Ratio::new(shown + 1, scale).unwrap();
        prop_assert!(low <= rest && rest < high, "{} / {}: {:?}", n, d, r.to_string());
        prop_assert_eq!(goes_on, low != rest);
    }
}
