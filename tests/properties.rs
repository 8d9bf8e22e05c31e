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
    let data = jixiao::data::parse(&common::data(&actual.to_string()), jixiao::span::FileId(1), false).unwrap();
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
