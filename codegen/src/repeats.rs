//! Repeated names: the hash maps of lookup tables, and finding names that repeat.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::syntax::Pos;

/// FxHash: a fast, deterministic hasher for lookup-only tables (their order never reaches
/// the model, whose maps are all `BTreeMap`s).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
pub(crate) type FxMap<K, V> = HashMap<K, V, FxBuild>;
pub(crate) type FxSet<K> = HashSet<K, FxBuild>;

/// Whether a name repeats; the few names most lists have are compared without allocating.
pub(crate) fn has_repeats<'n>(names: impl Iterator<Item = &'n str>) -> bool {
    const FEW: usize = 24;
    let mut few: [&str; FEW] = [""; FEW];
    let mut many: FxSet<&str> = FxSet::default();
    for (i, name) in names.enumerate() {
        if i < FEW {
            if few[..i].contains(&name) {
                return true;
            }
            few[i] = name;
        } else {
            if many.is_empty() {
                many.extend(few);
            }
            if !many.insert(name) {
                return true;
            }
        }
    }
    false
}

/// For each name that repeats an earlier one: its index and the position of the first
/// occurrence, in index order.
pub(crate) fn earlier_duplicates<'n>(
    names: impl ExactSizeIterator<Item = (&'n str, Pos)>,
) -> Vec<(usize, Pos)> {
    let mut out = Vec::new();
    if names.len() <= 32 {
        let all: Vec<(&str, Pos)> = names.collect();
        for (i, (name, _)) in all.iter().enumerate() {
            if let Some((_, first)) = all[..i].iter().find(|(n, _)| n == name) {
                out.push((i, *first));
            }
        }
    } else {
        let mut seen: FxMap<&str, Pos> = FxMap::default();
        for (i, (name, pos)) in names.enumerate() {
            match seen.entry(name) {
                Entry::Occupied(first) => out.push((i, *first.get())),
                Entry::Vacant(slot) => {
                    slot.insert(pos);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Short lists are scanned, long ones hashed; both name the first declaration.
    #[test]
    fn earlier_duplicates_name_the_first_declaration() {
        for len in [4, 40] {
            let mut names: Vec<String> = (0..len).map(|i| format!("m{i}")).collect();
            names[1] = "x".into();
            names[len - 2] = "x".into();
            names[len - 1] = "x".into();
            let pos = |i: usize| Pos {
                line: 1,
                col: 1 + i as u32,
            };
            let found =
                earlier_duplicates(names.iter().enumerate().map(|(i, n)| (n.as_str(), pos(i))));
            assert_eq!(found, [(len - 2, pos(1)), (len - 1, pos(1))], "{len} names");
        }
    }

    /// Alike names (same length and ends) are told apart, in short lists (scanned) and long ones
    /// (hashed), and a repeat is found wherever it is.
    #[test]
    fn has_repeats_finds_a_repeat_anywhere_and_only_a_repeat() {
        for len in [4, 40] {
            let mut names: Vec<String> = (0..len).map(|i| format!("m{i}")).collect();
            names[0] = "a1bcd5".into();
            names[len - 1] = "a2bcd5".into();
            assert!(
                !has_repeats(names.iter().map(String::as_str)),
                "{len} names"
            );
            for at in [1, len / 2, len - 1] {
                let mut repeated = names.clone();
                repeated[at] = "a1bcd5".into();
                assert!(
                    has_repeats(repeated.iter().map(String::as_str)),
                    "{len} names, at {at}"
                );
            }
        }
        assert!(!has_repeats(std::iter::empty()));
        assert!(has_repeats(["", ""].into_iter()));
    }
}
