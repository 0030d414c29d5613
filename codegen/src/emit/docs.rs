//! Doc comments from metadata text that rustdoc reads literally.
//!
//! Metadata descriptions hold brackets, URLs, HTML-like tags and Markdown characters. Each
//! becomes inert: Markdown characters are backslash-escaped, URLs become autolinks, control and
//! bidi characters become visible `U+XXXX` text. The text reaches the code as a `#[doc = "..."]`
//! string literal built by `quote!`, so quotes, `*/` and newlines cannot end the comment.

use proc_macro2::TokenStream;
use quote::quote;

/// Escapes one line of metadata text for Markdown.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(url_len) = url_at(rest) {
            let url = &rest[..url_len];
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '{' | '}' | '!'
            | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || is_bidi_or_invisible(c) => {
                out.push_str(&format!("U+{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Bidi controls, line and paragraph separators (which some editors break lines at, outside the
/// comment they stand in), and the default-ignorable characters that render as nothing.
fn is_bidi_or_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x2028..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFFB
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// The length of an `http(s)://` URL at the start of `s`, if there is one.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("https://") || s.starts_with("http://")) {
        return None;
    }
    let len = s
        .char_indices()
        .find(|(_, c)| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '|' | '\\') || c.is_control()
        })
        .map_or(s.len(), |(i, _)| i);
    // trailing punctuation belongs to the sentence, not the URL
    let url = s[..len].trim_end_matches(['.', ',', ';', ':', ')', ']', '\'', '!', '?']);
    (url.len() > "https://".len()).then_some(url.len())
}

/// Doc lines built up for one item.
#[derive(Debug, Default, Clone)]
pub struct Doc {
    lines: Vec<String>,
}

impl Doc {
    /// Metadata text: escaped, one doc line per source line.
    pub fn text(mut self, text: &str) -> Self {
        let text = text.trim();
        if text.is_empty() {
            return self;
        }
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        for line in text.lines() {
            self.lines.push(escape_markdown(line.trim()));
        }
        self
    }

    /// Text written by the generator: trusted Markdown.
    pub fn markdown(mut self, text: impl Into<String>) -> Self {
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines.extend(text.into().lines().map(str::to_string));
        self
    }

    pub fn tokens(&self) -> TokenStream {
        let lines = self.lines.iter().map(|l| {
            if l.is_empty() {
                literal("")
            } else {
                literal(&format!(" {l}"))
            }
        });
        quote! { #( #[doc = #lines] )* }
    }
}

/// A doc line as a raw string literal (`r"..."`, `r#"..."#`): nothing for `quote!` to escape
/// and nothing for syn and prettyplease to unescape, for the same comment. A line with a
/// control character (which a raw string cannot always hold) is an ordinary string literal.
pub(super) fn literal(line: &str) -> proc_macro2::Literal {
    if line.chars().any(char::is_control) {
        return proc_macro2::Literal::string(line);
    }
    let mut hashes = 0;
    for (i, _) in line.match_indices('"') {
        let run = line[i + 1..].bytes().take_while(|b| *b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let hashes = "#".repeat(hashes);
    format!("r{hashes}\"{line}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_links_urls() {
        assert_eq!(
            escape_markdown("See [docs](https://aka.ms/x). <b>bold</b> *x* a_b"),
            "See \\[docs\\](<https://aka.ms/x>). \\<b\\>bold\\</b\\> \\*x\\* a\\_b"
        );
        assert_eq!(escape_markdown("line\u{202E}evil"), "lineU+202Eevil");
        assert_eq!(
            escape_markdown("a\u{2028}b\u{2029}c\u{2066}d\u{E0041}e\u{AD}f"),
            "aU+2028bU+2029cU+2066dU+E0041eU+00ADf"
        );
        assert_eq!(escape_markdown("tab\there"), "tabU+0009here");
        assert_eq!(escape_markdown("# not a heading"), "\\# not a heading");
    }

    #[test]
    fn doc_lines_print_the_same_whatever_quotes_and_hashes_they_hold() {
        for line in [
            "plain",
            "a \"quoted\" word",
            "\"#microsoft.graph.user\" and \"## two\"",
            "ends with a quote\"",
            "a control \u{7} character",
            "",
        ] {
            let raw = Doc::default().markdown(line).tokens();
            let escaped: TokenStream = if line.is_empty() {
                TokenStream::new()
            } else {
                let text = format!(" {line}");
                quote! { #[doc = #text] }
            };
            let print = |doc: TokenStream| {
                prettyplease::unparse(&syn::parse2(quote! { #doc pub struct S; }).expect("parses"))
            };
            assert_eq!(print(raw), print(escaped), "{line:?}");
        }
    }

    #[test]
    fn quotes_and_comment_ends_stay_inside_the_literal() {
        let doc = Doc::default().text("\"*/ fn evil() {} /*\nsecond");
        let tokens = doc.tokens();
        let parsed: syn::File =
            syn::parse2(quote! { #tokens pub struct S; }).expect("doc attributes parse");
        assert_eq!(parsed.items.len(), 1);
        let text = prettyplease::unparse(&parsed);
        assert!(text.contains("pub struct S;"));
        assert!(!text.contains("fn evil() {}\n"));
    }
}
