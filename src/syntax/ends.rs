//! Where a pest pair's last token ends: pest lets a rule swallow the spaces
//! and comments after it when an optional tail does not match, so its own
//! span can end past its last token. Lowering and the formatter both ask.

use std::cell::RefCell;

use pest::Token;
use pest::iterators::Pair;
use rustc_hash::FxHashMap;

use super::grammar::Rule;

/// How far down a pair's last children its end is looked for before the
/// ends found are remembered.
const SHALLOW: usize = 8;

/// Ends of the pairs of one parse, remembered for deep ones.
#[derive(Default)]
pub struct Ends {
    /// By the pair's span and rule.
    deep: RefCell<FxHashMap<(usize, usize, Rule), usize>>,
}

impl Ends {
    /// Where `pair`'s last leaf ends (children are in order, so the last one
    /// ends last). Most pairs are a few levels deep: read from the back of
    /// the pair's tokens, where the last leaf's end is the first of the run of
    /// ends that closes the pair (no child lists built on the way down).
    pub fn of(&self, pair: &Pair<'_, Rule>) -> usize {
        let mut tokens = pair.clone().tokens();
        let mut end = pair.as_span().end();
        // The pair's own end first, then its last child's, and so on down.
        tokens.next_back();
        for _ in 0..SHALLOW {
            match tokens.next_back() {
                Some(Token::End { pos, .. }) => end = pos.pos(),
                _ => return end,
            }
        }
        self.deep(pair)
    }

    /// Remembered for the pair and every pair down its last children: an
    /// else-if chain or a long sum nests one pair inside the last, and
    /// walking each one's subtree again made lowering and formatting
    /// quadratic in its length.
    fn deep(&self, pair: &Pair<'_, Rule>) -> usize {
        let s = pair.as_span();
        let Some(last) = pair.clone().into_inner().next_back() else { return s.end() };
        let key = (s.start(), s.end(), pair.as_rule());
        if let Some(&end) = self.deep.borrow().get(&key) {
            return end;
        }
        let end = self.deep(&last);
        self.deep.borrow_mut().insert(key, end);
        end
    }
}

#[cfg(test)]
mod tests {
    use pest::Parser;
    use pest::iterators::Pair;

    use super::super::grammar::{JixiaoParser, Rule};

    /// The end found by following last children one pair at a time.
    fn last_leaf_end(pair: &Pair<'_, Rule>) -> usize {
        let mut at = pair.clone();
        while let Some(last) = at.clone().into_inner().next_back() {
            at = last;
        }
        at.as_span().end()
    }

    /// Read from the tokens, every pair of every bundled rule file (and of a
    /// chain deeper than the shallow walk) ends where its last leaf does.
    #[test]
    #[allow(clippy::panic, reason = "a test")]
    fn ends_are_the_last_leaf_ends() {
        let mut texts: Vec<String> = Vec::new();
        for folder in ["rules/2018", "rules/2019", "rules/central", "rules/demo"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                if entry.path().extension().is_some_and(|e| e == "jx") {
                    texts.extend(std::fs::read_to_string(entry.path()).ok());
                }
            }
        }
        assert!(texts.len() > 10, "the bundled rules were not found");
        let chain: String = (0..40).map(|i| format!("if actual > {i} then {i} else ")).collect();
        texts.push(format!(
            "scheme s {{ method m = {chain} 0 }}\nproject p {{ figure a  /* after */ \n section s points 1 {{ indicator i {{ target >= 1; points 1 }} }} }}"
        ));
        let mut pairs_seen = 0;
        for text in &texts {
            let parsed = JixiaoParser::parse(Rule::file, text).unwrap_or_else(|e| panic!("{e}"));
            let ends = super::Ends::default();
            for pair in parsed.flatten() {
                assert_eq!(ends.of(&pair), last_leaf_end(&pair), "{:?} at {:?}", pair.as_rule(), pair.as_span());
                pairs_seen += 1;
            }
        }
        assert!(pairs_seen > 10_000, "only {pairs_seen} pairs");
    }
}
