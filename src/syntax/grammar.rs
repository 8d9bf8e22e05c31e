//! The pest parser generated from `grammar/jixiao.pest`.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/jixiao.pest"]
pub struct JixiaoParser;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    const GRAMMAR: &str = include_str!("../../grammar/jixiao.pest");

    /// The quoted strings of the rule `name`, up to its closing brace.
    fn strings_of(rule: &str) -> Vec<String> {
        let start = GRAMMAR.find(&format!("\n{rule} ")).unwrap_or_else(|| panic!("no rule {rule}"));
        let body = &GRAMMAR[start + 1..];
        // A rule on one line ends with it; a longer one at a line holding only `}`.
        let first_line = body.lines().next().unwrap_or_default();
        let end = if first_line.trim_end().ends_with('}') {
            first_line.len()
        } else {
            body.find("\n}").unwrap_or(body.len())
        };
        let body = &body[..end];
        let body = body.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        body.split('"').skip(1).step_by(2).map(|s| s.to_string()).filter(|s| s != " " && s != "\\t").collect()
    }

    #[test]
    #[allow(clippy::panic, reason = "a test")]
    fn keyword_lists_every_spelling() {
        let mut spelled: BTreeSet<String> = BTreeSet::new();
        for line in GRAMMAR.lines().filter(|l| l.starts_with("kw_")) {
            let rule = line.split_whitespace().next().unwrap_or_default();
            spelled.extend(strings_of(rule));
        }
        spelled.extend(strings_of("function"));
        let english = strings_of("english_keyword");
        // English spellings are tried only at an ASCII letter.
        assert!(english.iter().all(|s| s.starts_with(|c: char| c.is_ascii_alphabetic())));
        let mut lists = vec![english];
        // Chinese ones only within their stretch of first characters.
        for stretch in 1.. {
            let rule = format!("chinese_keyword_{stretch}");
            if !GRAMMAR.contains(&format!("\n{rule} ")) {
                break;
            }
            let start = GRAMMAR.find(&format!("\n{rule} ")).unwrap_or_default();
            let line = GRAMMAR[start + 1..].lines().next().unwrap_or_default();
            let guard: Vec<char> = line.split('\'').skip(1).step_by(2).filter_map(|c| c.chars().next()).collect();
            let [lo, hi] = guard[..] else { panic!("{rule} has no guard &('…'..'…'): {line}") };
            let spellings = strings_of(&rule);
            for s in &spellings {
                assert!(s.starts_with(|c: char| (lo..=hi).contains(&c)), "{s} is not in {rule}'s {lo}..{hi}");
            }
            lists.push(spellings);
        }
        let listed: BTreeSet<String> = lists.iter().flatten().cloned().collect();
        assert_eq!(listed, spelled);
        // Longest first: a keyword that begins another must be tried after it.
        for list in lists {
            let single: Vec<&String> =
                list.iter().filter(|s| !["should", "be", "renamed", "from"].contains(&s.as_str())).collect();
            for pair in single.windows(2) {
                assert!(pair[0].chars().count() >= pair[1].chars().count(), "{} before {}", pair[0], pair[1]);
            }
        }
    }
}
