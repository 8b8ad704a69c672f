//! `id` attributes that docs can link to (`page.svg#el-orders_table`).
//!
//! Derived from the diagram's own ids so they survive moving and relabelling, reduced to
//! `[A-Za-z0-9_-]` so no user text can reach an attribute unsanitised, and made unique in a fixed
//! order (elements, then flows, then zones, each in file order) so reruns give the same ids.

use std::collections::{HashMap, HashSet};

/// Longest id body kept, so a pathological id does not bloat every reference to it.
const MAX_LEN: usize = 64;

#[derive(Debug, Default)]
pub struct IdAllocator {
    taken: HashSet<String>,
    /// Per base, the suffix to try next. Without it, 20,000 ids cut to the same 64 characters
    /// would try `-2`, `-3`, ... from the start each time: quadratic, seconds for one SVG.
    next_suffix: HashMap<String, usize>,
}

impl IdAllocator {
    /// Marks `id` as used, so no id allocated later equals it (ids a document already has).
    pub fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_string());
    }

    /// A fresh id `prefix` + the sanitised `raw`, with `-2`, `-3`... appended on collision.
    pub fn allocate(&mut self, prefix: &str, raw: &str) -> String {
        let base = format!("{prefix}{}", sanitise(raw));
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.next_suffix.entry(base.clone()).or_insert(2);
        // Suffixes below `n` are taken; one above may be too (an input id `a-3`), so keep
        // looking, but never start again from 2.
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// `raw` with `->` spelled `-to-` (flow ids read naturally) and every other character outside
/// `[A-Za-z0-9_-]` replaced by `_`; empty ids become `x`.
pub fn sanitise(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.replace("->", "-to-").chars() {
        if out.len() >= MAX_LEN {
            break;
        }
        out.push(if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' });
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sanitised_and_prefixed() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("el-", "orders table"), "el-orders_table");
        assert_eq!(ids.allocate("flow-", "a->b#2"), "flow-a-to-b_2");
        assert_eq!(ids.allocate("el-", "\"><script>"), "el-___script_");
        assert_eq!(ids.allocate("zone-", ""), "zone-x");
    }

    #[test]
    fn collisions_get_numbered_in_order() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("el-", "a b"), "el-a_b");
        assert_eq!(ids.allocate("el-", "a_b"), "el-a_b-2");
        assert_eq!(ids.allocate("el-", "a.b"), "el-a_b-3");
        assert_eq!(ids.allocate("el-", "a_b-2"), "el-a_b-2-2");
    }

    #[test]
    fn many_ids_with_one_long_prefix_stay_unique() {
        let mut ids = IdAllocator::default();
        let prefix = "p".repeat(MAX_LEN);
        let all: HashSet<String> =
            (0..5_000).map(|i| ids.allocate("el-", &format!("{prefix}{i}"))).collect();
        assert_eq!(all.len(), 5_000);
        assert!(all.contains(&format!("el-{prefix}-5000")));
    }

    #[test]
    fn long_ids_are_cut() {
        assert_eq!(sanitise(&"é".repeat(1000)).len(), MAX_LEN);
    }
}
