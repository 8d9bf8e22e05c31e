//! Did-you-mean for unknown names.

/// The candidate closest to `name`, if any is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(d, c)| *d <= limit || c.contains(name) || name.contains(c))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_in_chinese_and_english() {
        assert_eq!(closest("日常监管巡检", ["日常监管巡查", "重点单位巡查"]), Some("日常监管巡查"));
        assert_eq!(closest("proportionl", ["proportional", "inverse"]), Some("proportional"));
        assert_eq!(closest("完全不同", ["日常监管巡查"]), None);
    }
}
