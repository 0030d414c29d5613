//! CSDL names: SimpleIdentifiers and the dotted names built from them.
//!
//! OData CSDL XML 4.01 allows any script: a SimpleIdentifier starts with `_` or a character of
//! the Unicode categories Letter (L) or Letter number (Nl), continues with `_` or characters of L,
//! Nl, Nd, Mn, Mc, Pc or Cf, and has at most 128 characters. ASCII is decided by a table lookup;
//! other characters by binary search in [`identifier_tables`](super::identifier_tables).

use super::identifier_tables::{FIRST, REST};

/// How diagnostics state the rule.
pub(crate) const NAME_RULE: &str = "a name starts with a letter or underscore, then letters, digits, underscores, combining marks or connector punctuation (at most 128 characters)";

/// The longest SimpleIdentifier, in characters.
const MAX_CHARS: usize = 128;

/// ASCII bytes of a SimpleIdentifier: 1 may start it (letters, `_`), 2 may only follow (digits).
const IDENT: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        table[i] = if c.is_ascii_alphabetic() || c == b'_' {
            1
        } else if c.is_ascii_digit() {
            2
        } else {
            0
        };
        i += 1;
    }
    table
};

/// A CSDL SimpleIdentifier (see the module documentation).
pub(crate) fn is_simple_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        Some(&c) if c < 128 && IDENT[c as usize] == 1 => {}
        Some(&c) if c >= 128 => return is_unicode_identifier(s),
        _ => return false,
    }
    for &c in &b[1..] {
        if c >= 128 {
            return is_unicode_identifier(s);
        }
        if IDENT[c as usize] == 0 {
            return false;
        }
    }
    b.len() <= MAX_CHARS
}

fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

fn may_start(c: char) -> bool {
    if c.is_ascii() {
        IDENT[c as usize] == 1
    } else {
        in_ranges(FIRST, c)
    }
}

fn may_follow(c: char) -> bool {
    if c.is_ascii() {
        IDENT[c as usize] != 0
    } else {
        in_ranges(REST, c)
    }
}

fn is_unicode_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    if !chars.next().is_some_and(may_start) {
        return false;
    }
    let mut n = 1;
    for c in chars {
        n += 1;
        if n > MAX_CHARS || !may_follow(c) {
            return false;
        }
    }
    true
}

/// A CSDL namespace: SimpleIdentifiers separated by dots.
pub(crate) fn is_namespace(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(is_simple_identifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii() {
        assert!(is_simple_identifier("a"));
        assert!(is_simple_identifier("_"));
        assert!(is_simple_identifier("_1"));
        assert!(is_simple_identifier(&"a".repeat(128)));
        assert!(!is_simple_identifier(&"a".repeat(129)));
        assert!(!is_simple_identifier("1a"));
        assert!(!is_simple_identifier("a b"));
        assert!(!is_simple_identifier("a-b"));
        assert!(!is_simple_identifier(""));
    }

    #[test]
    fn any_script_by_category() {
        // letters of any script, and a letter number (Nl) first
        assert!(is_simple_identifier("Ünïcode_名前1"));
        assert!(is_simple_identifier("ⅫRoman"));
        // connector punctuation (Pc), e.g. U+203F UNDERTIE and U+2040, not first
        assert!(is_simple_identifier("a\u{203F}b"));
        assert!(is_simple_identifier("a\u{2040}"));
        assert!(!is_simple_identifier("\u{203F}a"));
        // combining marks: non-spacing (Mn) and spacing (Mc), not first
        assert!(is_simple_identifier("e\u{0301}"));
        assert!(is_simple_identifier("क\u{093E}"));
        assert!(!is_simple_identifier("\u{0301}e"));
        // decimal digits of other scripts (Nd), not first
        assert!(is_simple_identifier("x\u{0663}"));
        assert!(!is_simple_identifier("\u{0663}x"));
        // format characters (Cf), not first
        assert!(is_simple_identifier("a\u{200D}b"));
        assert!(!is_simple_identifier("\u{200D}a"));
        // other numbers (No), symbols and punctuation other than Pc are not allowed
        assert!(!is_simple_identifier("a²"));
        assert!(!is_simple_identifier("a€"));
        assert!(!is_simple_identifier("a·b"));
        assert!(!is_simple_identifier("a\u{00A0}b"));
        // 128 characters, not bytes
        assert!(is_simple_identifier(&"é".repeat(128)));
        assert!(!is_simple_identifier(&"é".repeat(129)));
    }

    #[test]
    fn namespaces() {
        assert!(is_namespace("microsoft.graph.callRecords"));
        assert!(is_namespace("ns\u{203F}1.x"));
        assert!(!is_namespace("a..b"));
        assert!(!is_namespace(".a"));
        assert!(!is_namespace(""));
    }

    #[test]
    fn tables_are_sorted_and_disjoint() {
        for table in [FIRST, REST] {
            assert!(table.iter().all(|&(lo, hi)| lo <= hi && lo >= 0x80));
            assert!(table.windows(2).all(|w| w[0].1 < w[1].0));
        }
        // every character that may start a name may also follow
        assert!(FIRST.iter().all(|&(lo, hi)| {
            (lo..=hi)
                .filter_map(char::from_u32)
                .all(|c| in_ranges(REST, c))
        }));
    }
}
