//! What the targets share: the seed's quality-supervision rules, checked once.

use std::sync::OnceLock;

use jixiao::model::CheckedRules;

pub fn rules() -> &'static CheckedRules {
    static RULES: OnceLock<CheckedRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let text = concat!(
            include_str!("../../../rules/2018/scheme.jx"),
            "\n",
            include_str!("../../../rules/2018/quality-supervision.jx")
        )
        .replace("use \"scheme.jx\"", "");
        jixiao::check::check_source("rules.jx", &text).rules.expect("the seed rules check")
    })
}
