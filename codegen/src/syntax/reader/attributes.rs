//! Attributes of a start tag: scanned in the input itself (keys and plain values borrow from it),
//! checked for XML well-formedness (quotes, `=`, duplicates), normalized (references, white space)
//! and converted (booleans, facets).

use std::borrow::Cow;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::BytesStart;

use super::cursor::{HI, LO7};
use super::xml_errors::undefined_entity;
use super::{CsdlReader, offset_in};
use crate::syntax::{Facets, MaxLength, Scale, Srid};

/// Finds the closing `quote` of an attribute value starting at `start`, and whether the value
/// holds a byte that normalization changes (`&`, tab, line end), eight bytes at a time.
pub(super) fn scan_value(b: &[u8], start: usize, quote: u8) -> (Option<usize>, bool) {
    let q = u64::from(quote) * 0x0101_0101_0101_0101;
    let amp = u64::from(b'&') * 0x0101_0101_0101_0101;
    let zero = |t: u64| !(((t & LO7) + LO7) | t) & HI;
    let (mut i, mut special) = (start, false);
    loop {
        while let Some(w) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
            // Bytes below 0x20 have their top three bits clear.
            let control = zero(w & 0xE0E0_E0E0_E0E0_E0E0);
            if zero(w ^ q) | zero(w ^ amp) | control != 0 {
                break;
            }
            i += 8;
        }
        let end = (i + 8).min(b.len());
        while i < end {
            let c = b[i];
            if c == quote {
                return (Some(i), special);
            }
            special |= c == b'&' || c < 0x20;
            i += 1;
        }
        if i >= b.len() {
            return (None, special);
        }
    }
}

pub(super) const UNCLOSED_REFERENCE: &str =
    "`&` starts an entity reference that is not closed with `;` (write `&amp;` for a literal `&`)";

/// A character reference's character (`#65`, `#x41`); `None` when `name` is not one.
pub(super) fn resolve_reference(name: &str) -> Option<Result<char, ()>> {
    let digits = name.strip_prefix('#')?;
    let code = match digits.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => digits.parse::<u32>(),
    };
    Some(
        code.ok()
            .and_then(char::from_u32)
            .filter(|&c| c != '\0')
            .ok_or(()),
    )
}

/// One attribute value, unescaped, with the byte offset of its raw text.
pub(super) struct Val<'v> {
    pub(super) s: Cow<'v, str>,
    pub(super) off: usize,
}

impl Val<'_> {
    pub(super) fn string(self) -> String {
        self.s.into_owned()
    }
}

impl<'a> CsdlReader<'a> {
    /// Calls `f` for every attribute with its normalized value; reports malformed attributes.
    ///
    /// Attributes are scanned directly in the input (quick-xml has already found the end of the
    /// tag, honouring quotes), so keys and unescaped values borrow from it without allocating.
    pub(super) fn attrs<F>(&mut self, e: &BytesStart<'_>, mut f: F)
    where
        F: FnMut(&mut Self, &'a str, Val<'a>),
    {
        self.bad_attrs = false;
        let text = self.text;
        let raw_in_event = e.attributes_raw();
        let Some(base) = offset_in(text, raw_in_event) else {
            return;
        };
        let raw = &text[base..base + raw_in_event.len()];
        let b = raw.as_bytes();
        let n = b.len();
        let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
        self.keys.clear();
        self.key_set.clear();
        let mut i = 0;
        loop {
            while i < n && is_ws(b[i]) {
                i += 1;
            }
            if i >= n || (b[i] == b'/' && i + 1 == n) {
                return;
            }
            let key_start = i;
            while i < n && !is_ws(b[i]) && b[i] != b'=' {
                i += 1;
            }
            let key = &raw[key_start..i];
            if key.is_empty() {
                return self.attr_failed(base + i, "expected an attribute name before `=`".into());
            }
            while i < n && is_ws(b[i]) {
                i += 1;
            }
            if i >= n || b[i] != b'=' {
                let message = format!("expected `=` after the attribute name `{key}`");
                return self.attr_failed(base + i.min(n), message);
            }
            i += 1;
            while i < n && is_ws(b[i]) {
                i += 1;
            }
            let quote = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => q,
                Some(_) => {
                    let message = format!(
                        "the value of attribute `{key}` is not quoted: put it between `\"` or `'`"
                    );
                    return self.attr_failed(base + i, message);
                }
                None => {
                    let message = format!("expected a quoted value for attribute `{key}`");
                    return self.attr_failed(base + i, message);
                }
            };
            let value_start = i + 1;
            let (Some(value_end), special) = scan_value(b, value_start, quote) else {
                let message = format!(
                    "the value of attribute `{key}` is not closed: expected a closing `{}`",
                    char::from(quote)
                );
                return self.attr_failed(base + i, message);
            };
            let value = &raw[value_start..value_end];
            i = value_end + 1;
            const FEW: usize = 16;
            let duplicate = if self.keys.len() < FEW {
                self.keys.contains(&key)
            } else {
                if self.key_set.is_empty() {
                    self.key_set.extend(self.keys.iter().copied());
                }
                self.key_set.contains(key)
            };
            if duplicate {
                let message = format!("duplicate attribute `{key}`");
                self.attr_failed(base + key_start, message);
                continue;
            }
            self.keys.push(key);
            if !self.key_set.is_empty() {
                self.key_set.insert(key);
            }
            let off = base + value_start;
            let s = if special {
                self.normalize(value, off)
            } else {
                Cow::Borrowed(value)
            };
            f(self, key, Val { s, off });
        }
    }

    pub(super) fn attr_failed(&mut self, off: usize, message: String) {
        self.error(off, message);
        self.bad_attrs = true;
    }

    /// XML attribute-value normalization: character and predefined entity references are
    /// replaced, and tabs and line ends become spaces. Borrows when nothing changes.
    pub(super) fn normalize(&mut self, value: &'a str, off: usize) -> Cow<'a, str> {
        let mut out = String::with_capacity(value.len());
        let mut rest = value;
        while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
            out.push_str(&rest[..i]);
            let c = rest.as_bytes()[i];
            if c != b'&' {
                // `\r\n` is one line end.
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                out.push(' ');
                rest = &rest[i + skip..];
                continue;
            }
            let at = off + (value.len() - rest.len()) + i;
            let Some(end) = rest[i..].find(';') else {
                self.error(at, UNCLOSED_REFERENCE);
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let name = &rest[i + 1..i + end];
            match resolve_reference(name) {
                Some(Ok(c)) => out.push(c),
                Some(Err(())) => self.error(at, format!("invalid character reference `&{name};`")),
                None => match resolve_predefined_entity(name) {
                    Some(s) => out.push_str(s),
                    None => self.error(at, undefined_entity(name)),
                },
            }
            rest = &rest[i + end + 1..];
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// An `xs:boolean` (`true`, `false`, `1`, `0`); `True`/`False` as some generators write them.
    pub(super) fn bool_attr(&mut self, v: &Val<'_>, attr: &str) -> Option<bool> {
        match &*v.s {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            s if s.eq_ignore_ascii_case("true") => Some(true),
            s if s.eq_ignore_ascii_case("false") => Some(false),
            other => {
                let message = format!(
                    "`{other}` is not a valid value for `{attr}`: expected `true` or `false`"
                );
                self.error(v.off, message);
                None
            }
        }
    }

    /// Reads a facet attribute into `facets`; `false` when `key` is not a facet.
    pub(super) fn facet(&mut self, facets: &mut Facets, key: &str, v: &Val<'_>) -> bool {
        let s = v.s.trim();
        match key {
            "MaxLength" => {
                if s.eq_ignore_ascii_case("max") {
                    facets.max_length = Some(MaxLength::Max);
                } else if let Ok(n) = s.parse::<u64>() {
                    facets.max_length = Some(MaxLength::Value(n));
                } else {
                    self.bad_facet(v, key, "`max` or a non-negative integer");
                }
            }
            "Precision" => match s.parse::<u32>() {
                Ok(n) => facets.precision = Some(n),
                Err(_) => self.bad_facet(v, key, "a non-negative integer"),
            },
            "Scale" => {
                if s.eq_ignore_ascii_case("variable") {
                    facets.scale = Some(Scale::Variable);
                } else if s.eq_ignore_ascii_case("floating") {
                    facets.scale = Some(Scale::Floating);
                } else if let Ok(n) = s.parse::<u32>() {
                    facets.scale = Some(Scale::Value(n));
                } else {
                    self.bad_facet(v, key, "`variable`, `floating` or a non-negative integer");
                }
            }
            "SRID" => {
                if s.eq_ignore_ascii_case("variable") {
                    facets.srid = Some(Srid::Variable);
                } else if let Ok(n) = s.parse::<u32>() {
                    facets.srid = Some(Srid::Value(n));
                } else {
                    self.bad_facet(v, key, "`variable` or a non-negative integer");
                }
            }
            "Unicode" => facets.unicode = self.bool_attr(v, key),
            _ => return false,
        }
        true
    }

    pub(super) fn bad_facet(&mut self, v: &Val<'_>, key: &str, expected: &str) {
        let message = format!(
            "`{}` is not a valid `{key}` facet: expected {expected}",
            v.s
        );
        self.error(v.off, message);
    }
}
