//! Sentences for what quick-xml rejects, and for entity references.

use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::escape::EscapeError;
use quick_xml::events::attributes::AttrError;

/// The opening quote of the attribute value that runs to the end of the input, in the tag that
/// starts at `tag`.
pub(super) fn unclosed_quote(text: &[u8], tag: usize) -> Option<usize> {
    let mut open: Option<(usize, u8)> = None;
    for (i, &b) in text.get(tag..)?.iter().enumerate() {
        match open {
            Some((_, q)) if b == q => open = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => open = Some((tag + i, b)),
            None => {}
        }
    }
    open.map(|(at, _)| at)
}

pub(super) fn undefined_entity(name: &str) -> String {
    format!(
        "undefined entity reference `&{name};`: only the predefined XML entities (`&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;`) and character references are allowed"
    )
}

/// The position (relative to the tag name) and message of a malformed attribute.
pub(super) fn attr_error(err: &AttrError) -> (usize, String) {
    match *err {
        AttrError::ExpectedEq(p) => (p, "expected `=` after the attribute name".to_string()),
        AttrError::ExpectedValue(p) => {
            (p, "expected a quoted attribute value after `=`".to_string())
        }
        AttrError::UnquotedValue(p) => (
            p,
            "attribute value is not quoted: put it between `\"` or `'`".to_string(),
        ),
        AttrError::ExpectedQuote(p, q) => (
            p,
            format!(
                "attribute value is not closed: expected a closing `{}`",
                char::from(q)
            ),
        ),
        AttrError::Duplicated(p, _) => (p, "duplicate attribute".to_string()),
    }
}

/// A sentence for a fatal quick-xml error.
pub(super) fn xml_error_message(err: &XmlError) -> String {
    match err {
        XmlError::Syntax(e) => match e {
            SyntaxError::InvalidBangMarkup => {
                "invalid markup after `<!`: expected a comment, a CDATA section or a DOCTYPE"
                    .to_string()
            }
            SyntaxError::UnclosedPI => {
                "unexpected end of file: processing instruction is not closed with `?>`".to_string()
            }
            SyntaxError::UnclosedXmlDecl => {
                "unexpected end of file: XML declaration is not closed with `?>`".to_string()
            }
            SyntaxError::UnclosedComment => {
                "unexpected end of file: comment is not closed with `-->`".to_string()
            }
            SyntaxError::UnclosedDoctype => {
                "unexpected end of file: DOCTYPE is not closed with `>`".to_string()
            }
            SyntaxError::UnclosedCData => {
                "unexpected end of file: CDATA section is not closed with `]]>`".to_string()
            }
            SyntaxError::UnclosedTag => {
                "unexpected end of file: tag is not closed with `>`".to_string()
            }
            SyntaxError::UnclosedSingleQuotedAttributeValue => {
                "unexpected end of file: attribute value is not closed with `'`".to_string()
            }
            SyntaxError::UnclosedDoubleQuotedAttributeValue => {
                "unexpected end of file: attribute value is not closed with `\"`".to_string()
            }
        },
        XmlError::IllFormed(e) => match e {
            IllFormedError::MissingDeclVersion(_) => {
                "the XML declaration needs a `version` attribute first".to_string()
            }
            IllFormedError::UnknownVersion => {
                "unknown XML version in the XML declaration: expected 1.0 or 1.1".to_string()
            }
            IllFormedError::MissingDoctypeName => "DOCTYPE declaration has no name".to_string(),
            IllFormedError::MissingEndTag(tag) => {
                format!("unexpected end of file: `<{tag}>` is not closed")
            }
            IllFormedError::UnmatchedEndTag(tag) => {
                format!("closing tag `</{tag}>` does not match any open element")
            }
            IllFormedError::MismatchedEndTag { expected, found } => {
                format!("closing tag `</{found}>` does not match `<{expected}>`")
            }
            IllFormedError::DoubleHyphenInComment => "`--` is not allowed in a comment".to_string(),
            IllFormedError::UnclosedReference => {
                "`&` starts an entity reference that is not closed with `;` (write `&amp;` for a literal `&`)"
                    .to_string()
            }
        },
        XmlError::InvalidAttr(e) => attr_error(e).1,
        XmlError::Escape(EscapeError::UnrecognizedEntity(_, name)) => undefined_entity(name),
        XmlError::Escape(EscapeError::UnterminatedEntity(_)) => {
            "`&` starts an entity reference that is not closed with `;`".to_string()
        }
        XmlError::Escape(EscapeError::InvalidCharRef(e)) => {
            format!("invalid character reference: {e}")
        }
        XmlError::Escape(e) => e.to_string(),
        XmlError::Encoding(_) => "invalid UTF-8 byte sequence".to_string(),
        other => format!("malformed XML: {other}"),
    }
}
