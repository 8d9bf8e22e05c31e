//! Where a pest pair's last token ends: pest lets a rule swallow the spaces
//! and comments after it when an optional tail does not match, so its own
//! span can end past its last token. Lowering and the formatter both ask.

use std::cell::RefCell;

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
    /// ends last). Most pairs are a few levels deep: followed down their last
    /// children to a leaf.
    pub fn of(&self, pair: &Pair<'_, Rule>) -> usize {
        let mut at = pair.clone();
        for _ in 0..SHALLOW {
            match at.clone().into_inner().next_back() {
                Some(last) => at = last,
                None => return at.as_span().end(),
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
