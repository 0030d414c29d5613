//! The streaming CSDL XML reader: bytes in, [`Document`] out.
//!
//! One pass over quick-xml events with an explicit stack of frames (never recursion on input
//! depth). Elements are matched by local name, so any prefix works. Line and column are computed
//! incrementally with a cursor that only scans the bytes between two reported offsets.
//!
//! Fatal problems (malformed XML, a document of another CSDL generation) stop the read;
//! everything else (invalid names, bad facet values, missing attributes) is collected so that one
//! run reports all of them.

use std::borrow::Cow;

use quick_xml::errors::{Error as XmlError, SyntaxError};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

use crate::diagnostics::Diagnostic;
use crate::syntax::{
    Annotation, Document, EnumMember, NavigationProperty, Parameter, Pos, Property,
};
use cursor::Cursor;
use frames::{Frame, Marks, Open, RootState};
use xml_errors::{unclosed_quote, undefined_entity, xml_error_message};

mod attributes;
mod checks;
mod cursor;
mod elements;
mod expressions;
mod frames;
mod xml_errors;

/// Options of [`read_document`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Deepest element nesting accepted; deeper documents are rejected with an error.
    pub max_depth: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_depth: 2048 }
    }
}

/// Reads one CSDL XML document.
///
/// `file` only labels diagnostics. On failure every error found is returned (at least one).
pub fn read_document(
    source: &[u8],
    file: &str,
    options: &ReadOptions,
) -> Result<Document, Vec<Diagnostic>> {
    let bytes = source.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(source);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.valid_up_to();
            let mut cursor = Cursor::new();
            let pos = cursor.pos_at(bytes, valid);
            let byte = bytes.get(valid).copied().unwrap_or(0);
            return Err(vec![Diagnostic::error(
                file,
                pos,
                format!(
                    "invalid UTF-8 byte sequence (byte 0x{byte:02X} at offset {}); CSDL documents must be UTF-8",
                    valid + (source.len() - bytes.len())
                ),
            )]);
        }
    };
    let mut reader = CsdlReader::new(text, file, options);
    // A fatal error has already been recorded in `reader.errors`.
    let _ = reader.read_events().and_then(|()| reader.eof());
    let (mut doc, mut errors, warnings) = (reader.doc, reader.errors, reader.warnings);
    if errors.is_empty() {
        doc.warnings = warnings;
        Ok(doc)
    } else {
        errors.extend(warnings);
        Err(errors)
    }
}

/// The quick-xml settings of the reader: end names and comments are checked here, with
/// positions, rather than by quick-xml; empty elements stay `Empty` events; text is not trimmed.
/// Public so that the benchmark's floor reads with exactly these settings.
pub fn configure_xml(config: &mut quick_xml::reader::Config) {
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.check_comments = false;
    config.expand_empty_elements = false;
    config.trim_text(false);
}

/// Marker for "a fatal error was recorded; stop reading".
struct Fatal;

/// Where `part` starts inside `whole`, when it is a sub-slice of it.
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let base = whole.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    (p >= base && p + part.len() <= base + whole.len()).then(|| p - base)
}

fn local_name(qname: &str) -> &str {
    let b = qname.as_bytes();
    let mut i = b.len();
    while i > 0 {
        i -= 1;
        if b[i] == b':' {
            return &qname[i + 1..];
        }
    }
    qname
}

struct CsdlReader<'a> {
    text: &'a str,
    file: &'a str,
    max_depth: usize,
    cursor: Cursor,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    open: Vec<Open<'a>>,
    frames: Vec<Frame>,
    doc: Document,
    root: RootState,
    /// The attributes of the element being read were malformed: skip "missing attribute" errors.
    bad_attrs: bool,
    /// Keys of the element's attributes seen so far (duplicate detection), reused.
    keys: Vec<&'a str>,
    /// The same keys as a set once an element has many attributes, so that detection stays
    /// linear on hostile input.
    key_set: std::collections::HashSet<&'a str>,
    /// Scratch stacks: the finished children of all open frames, innermost last. A frame takes
    /// its children with one exactly-sized allocation when it ends (see [`Marks`]).
    anns: Vec<Annotation>,
    props: Vec<Property>,
    navs: Vec<NavigationProperty>,
    members: Vec<EnumMember>,
    params: Vec<Parameter>,
    /// The scratch stack lengths when each frame was pushed (parallel to `frames`).
    marks: Vec<Marks>,
}

impl<'a> CsdlReader<'a> {
    fn new(text: &'a str, file: &'a str, options: &ReadOptions) -> Self {
        CsdlReader {
            text,
            file,
            max_depth: options.max_depth,
            cursor: Cursor::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            open: Vec::new(),
            frames: Vec::new(),
            doc: Document::default(),
            root: RootState::None,
            bad_attrs: false,
            keys: Vec::new(),
            key_set: std::collections::HashSet::new(),
            anns: Vec::new(),
            props: Vec::new(),
            navs: Vec::new(),
            members: Vec::new(),
            params: Vec::new(),
            marks: Vec::new(),
        }
    }

    fn pos_at(&mut self, off: usize) -> Pos {
        self.cursor.pos_at(self.text.as_bytes(), off)
    }

    fn error(&mut self, off: usize, message: impl Into<String>) {
        let pos = self.pos_at(off);
        self.errors.push(Diagnostic::error(self.file, pos, message));
    }

    fn error_at(&mut self, pos: Pos, message: impl Into<String>) {
        self.errors.push(Diagnostic::error(self.file, pos, message));
    }

    fn warning_at(&mut self, pos: Pos, message: impl Into<String>) {
        self.warnings
            .push(Diagnostic::warning(self.file, pos, message));
    }

    fn fatal(&mut self, off: usize, message: impl Into<String>) -> Fatal {
        self.error(off, message);
        Fatal
    }

    /// A document of another CSDL generation: this is the only error reported.
    fn reject(&mut self, off: usize, message: String) -> Fatal {
        self.errors.clear();
        self.warnings.clear();
        self.fatal(off, message)
    }

    /// Reads every event of `self.text`; the end of the text is not checked here (see `eof`).
    fn read_events(&mut self) -> Result<(), Fatal> {
        let mut xml = quick_xml::Reader::from_str(self.text);
        configure_xml(xml.config_mut());
        loop {
            let before = to_usize(xml.buffer_position());
            match xml.read_event() {
                Ok(Event::Start(e)) => {
                    let off = offset_in(self.text, &e).map_or(before, |o| o.saturating_sub(1));
                    self.start(&e, off, false)?;
                }
                Ok(Event::Empty(e)) => {
                    let off = offset_in(self.text, &e).map_or(before, |o| o.saturating_sub(1));
                    self.start(&e, off, true)?;
                }
                Ok(Event::End(e)) => self.end(e.name().0, before)?,
                Ok(Event::Text(t)) => {
                    if self.wants_text() {
                        let content = t.xml10_content();
                        self.push_text(&content);
                    } else if self.root != RootState::Open && !t.trim_ascii().is_empty() {
                        let message = if self.root == RootState::None {
                            "text before the root element"
                        } else {
                            "text after the end of the root element"
                        };
                        self.error(before + (t.len() - t.trim_ascii_start().len()), message);
                    }
                }
                Ok(Event::CData(c)) => {
                    if self.wants_text() {
                        let content = c.xml10_content();
                        self.push_text(&content);
                    }
                }
                Ok(Event::GeneralRef(r)) => {
                    let resolved: Option<Cow<'_, str>> = if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
                            _ => {
                                self.error(
                                    before,
                                    format!("invalid character reference `&{};`", &*r),
                                );
                                None
                            }
                        }
                    } else if let Some(s) = resolve_predefined_entity(&r) {
                        Some(Cow::Borrowed(s))
                    } else {
                        self.error(before, undefined_entity(&r));
                        None
                    };
                    if let Some(s) = resolved
                        && self.wants_text()
                    {
                        self.push_text(&s);
                    }
                }
                Ok(Event::Eof) => return Ok(()),
                Ok(_) => {}
                Err(err) => {
                    let mut off = to_usize(xml.error_position());
                    if let XmlError::Syntax(
                        SyntaxError::UnclosedDoubleQuotedAttributeValue
                        | SyntaxError::UnclosedSingleQuotedAttributeValue,
                    ) = err
                    {
                        // quick-xml points at the tag; point at the quote left open.
                        off = unclosed_quote(self.text.as_bytes(), off).unwrap_or(off);
                    }
                    let message = xml_error_message(&err);
                    return Err(self.fatal(off, message));
                }
            }
        }
    }

    fn eof(&mut self) -> Result<(), Fatal> {
        let end = self.text.len();
        if let Some(open) = self.open.last() {
            let (name, off) = (open.name, open.off);
            let opened = self.pos_at(off);
            return Err(self.fatal(
                end,
                format!("unexpected end of file: `<{name}>` opened at {opened} is not closed"),
            ));
        }
        if self.root == RootState::None {
            return Err(self.fatal(
                end,
                "the document is empty: expected an `edmx:Edmx` or `Schema` root element",
            ));
        }
        Ok(())
    }

    fn wants_text(&self) -> bool {
        matches!(
            self.frames.last(),
            Some(Frame::Constant(..) | Frame::Path(..) | Frame::Dynamic(_))
        )
    }

    fn push_text(&mut self, s: &str) {
        match self.frames.last_mut() {
            Some(Frame::Constant(_, t) | Frame::Path(_, t)) => t.push_str(s),
            Some(Frame::Dynamic(raw)) => raw.text.push_str(s),
            _ => {}
        }
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests;
