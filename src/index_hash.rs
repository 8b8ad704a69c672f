//! A fast hash for maps keyed by numbers the program computes itself (node indices, grid cells),
//! never by text from a file: the standard hash resists crafted keys at several times the cost,
//! and the layout and the SVG of a big diagram look up hundreds of thousands of such keys.
//!
//! It multiplies and rotates like rustc's own `FxHash`; a key it cannot spread well costs time,
//! never a different result (lookups are exact).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` keyed by computed numbers.
pub type IndexMap<K, V> = HashMap<K, V, BuildHasherDefault<IndexHasher>>;
/// A `HashSet` of computed numbers.
pub type IndexSet<K> = HashSet<K, BuildHasherDefault<IndexHasher>>;

/// The hasher of [`IndexMap`] and [`IndexSet`].
#[derive(Debug, Default, Clone, Copy)]
pub struct IndexHasher(u64);

/// An odd constant with well-spread bits (rustc-hash's).
const SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl IndexHasher {
    fn add(&mut self, word: u64) {
        self.0 = self.0.wrapping_add(word).wrapping_mul(SEED);
    }
}

impl Hasher for IndexHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }

    /// The product's high bits are the well-mixed ones; the table picks buckets by the low bits.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_keyed_by_indices_find_what_was_put() {
        let mut cells: IndexMap<(i64, i64), usize> = IndexMap::default();
        for x in -50..50 {
            for y in -50..50 {
                cells.insert((x, y), usize::try_from((x + 50) * 100 + y + 50).unwrap_or(0));
            }
        }
        assert_eq!(cells.len(), 10_000);
        assert_eq!(cells.get(&(-50, -50)), Some(&0));
        assert_eq!(cells.get(&(49, 49)), Some(&9_999));
        assert_eq!(cells.get(&(50, 0)), None);
        let set: IndexSet<(usize, usize)> = (0..1000).map(|i| (i, i * 7)).collect();
        assert!(set.contains(&(999, 6993)) && !set.contains(&(999, 6992)));
    }
}
