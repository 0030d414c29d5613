//! Byte offsets to 1-based lines and columns (columns count characters, not bytes).

use crate::syntax::Pos;

/// Incremental byte offset -> line/column conversion.
///
/// Positions are asked for in increasing order (nearly always): each query only looks at the
/// bytes since the previous one, jumping from newline to newline with `memchr`, so the whole read
/// costs one pass over the text however long its lines.
#[derive(Debug, Clone)]
pub(super) struct Cursor {
    /// The last position answered.
    off: usize,
    line: usize,
    col: usize,
}

pub(super) const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
pub(super) const HI: u64 = 0x8080_8080_8080_8080;

/// The number of bytes whose high bit is set in a mask that has only high bits set
/// (a multiply instead of `count_ones`, which is slow without the `popcnt` target feature).
pub(super) fn bytes_set(mask: u64) -> usize {
    ((mask >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize
}

/// `\n` bytes in a slice.
pub(super) fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// Characters in a UTF-8 byte slice: every byte that is not a continuation byte (`10xxxxxx`).
pub(super) fn count_chars(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    let mut words = bytes.chunks_exact(8);
    let mut continuation = 0;
    for w in &mut words {
        let w = u64::from_ne_bytes(w.try_into().unwrap_or_default());
        continuation += bytes_set(w & !(w << 1) & HI);
    }
    continuation += words
        .remainder()
        .iter()
        .filter(|&&b| b & 0xC0 == 0x80)
        .count();
    bytes.len() - continuation
}

pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Cursor {
    pub(super) fn new() -> Self {
        Cursor {
            off: 0,
            line: 1,
            col: 1,
        }
    }

    /// The position of byte `target`, looking only at the bytes since the previous target.
    pub(super) fn pos_at(&mut self, text: &[u8], target: usize) -> Pos {
        let target = target.min(text.len());
        if target < self.off {
            self.back_to(text, target);
        } else {
            let seg = &text[self.off..target];
            let mut last_nl = None;
            for nl in memchr::memchr_iter(b'\n', seg) {
                self.line += 1;
                last_nl = Some(nl);
            }
            match last_nl {
                Some(nl) => self.col = 1 + count_chars(&seg[nl + 1..]),
                None => self.col += count_chars(seg),
            }
        }
        self.off = target;
        Pos {
            line: to_u32(self.line),
            col: to_u32(self.col),
        }
    }

    /// Moves backwards (only error positions do): a short scan back to the line start.
    pub(super) fn back_to(&mut self, text: &[u8], target: usize) {
        let seg = &text[target..self.off];
        let lines = count_newlines(seg);
        if lines == 0 {
            self.col = self.col.saturating_sub(count_chars(seg)).max(1);
        } else {
            self.line = self.line.saturating_sub(lines).max(1);
            self.col = match memchr::memrchr(b'\n', &text[..target]) {
                Some(nl) => 1 + count_chars(&text[nl + 1..target]),
                None => 1 + count_chars(&text[..target]),
            };
        }
    }
}
