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

use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::escape::{EscapeError, resolve_predefined_entity};
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};

use super::identifier::{NAME_RULE, is_namespace, is_simple_identifier};
use super::{
    ActionImport, Annotation, AnnotationBlock, ConstantKind, Document, EntityContainer, EntitySet,
    EnumMember, EnumType, Expr, Facets, FunctionImport, Include, IncludeAnnotations, Key,
    MaxLength, NavigationProperty, NavigationPropertyBinding, OnDelete, Operation, OperationKind,
    Parameter, PathKind, Pos, Property, PropertyRef, PropertyValue, RawElement, Record, Reference,
    ReferentialConstraint, ReturnType, Scale, Schema, Singleton, Srid, StructuredType, Term,
    TypeDefinition,
};
use crate::diagnostics::Diagnostic;
use crate::repeats::{earlier_duplicates, has_repeats};

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

/// What every rejection of another CSDL generation ends with.
const SUPPORTED: &str = "only OData V4 CSDL (edmx Version 4.0 or 4.01, namespace http://docs.oasis-open.org/odata/ns/edm) is supported";

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

/// Incremental byte offset -> line/column conversion.
///
/// Positions are asked for in increasing order (nearly always): each query only looks at the
/// bytes since the previous one, jumping from newline to newline with `memchr`, so the whole read
/// costs one pass over the text however long its lines.
#[derive(Debug, Clone)]
struct Cursor {
    /// The last position answered.
    off: usize,
    line: usize,
    col: usize,
}

const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const HI: u64 = 0x8080_8080_8080_8080;

/// The number of bytes whose high bit is set in a mask that has only high bits set
/// (a multiply instead of `count_ones`, which is slow without the `popcnt` target feature).
fn bytes_set(mask: u64) -> usize {
    ((mask >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize
}

/// `\n` bytes in a slice.
fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// Finds the closing `quote` of an attribute value starting at `start`, and whether the value
/// holds a byte that normalization changes (`&`, tab, line end), eight bytes at a time.
fn scan_value(b: &[u8], start: usize, quote: u8) -> (Option<usize>, bool) {
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

/// Characters in a UTF-8 byte slice: every byte that is not a continuation byte (`10xxxxxx`).
fn count_chars(bytes: &[u8]) -> usize {
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

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Cursor {
    fn new() -> Self {
        Cursor {
            off: 0,
            line: 1,
            col: 1,
        }
    }

    /// The position of byte `target`, looking only at the bytes since the previous target.
    fn pos_at(&mut self, text: &[u8], target: usize) -> Pos {
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
    fn back_to(&mut self, text: &[u8], target: usize) {
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

/// Checks the syntax of an external annotation target: a qualified name (or a namespace), for an
/// operation optionally followed by the parenthesized types of its overload's parameters
/// (`ns.f(ns.T,Collection(Edm.String))`, `ns.a()`), then `/`-separated path segments. Whether the
/// target names something is the resolver's question; a target that cannot name anything is an
/// error here. Path segments may be property names, which need not be SimpleIdentifiers.
fn target_syntax(target: &str) -> Result<(), String> {
    let opened = target.bytes().filter(|&b| b == b'(').count();
    let closed = target.bytes().filter(|&b| b == b')').count();
    if opened != closed {
        return Err("unbalanced parentheses".to_string());
    }
    let (head, path) = match target.split_once('/') {
        Some((head, path)) => (head, Some(path)),
        None => (target, None),
    };
    let name = match head.split_once('(') {
        Some((name, rest)) => {
            let Some(list) = rest.strip_suffix(')') else {
                return Err("text follows the parameter list".to_string());
            };
            if !list.trim().is_empty() {
                for entry in list.split(',') {
                    let entry = entry.trim();
                    if entry.is_empty() {
                        return Err("the parameter list has an empty entry".to_string());
                    }
                    let ty = entry
                        .strip_prefix("Collection(")
                        .and_then(|t| t.strip_suffix(')'))
                        .map_or(entry, str::trim);
                    if !is_namespace(ty) {
                        return Err(format!(
                            "`{entry}` in the parameter list is not a type name"
                        ));
                    }
                }
            }
            name
        }
        None => head,
    };
    if !is_namespace(name) {
        return Err(format!("`{name}` is not a qualified name"));
    }
    for segment in path.into_iter().flat_map(|p| p.split('/')) {
        if segment.is_empty() {
            return Err("a path segment is empty".to_string());
        }
        if segment.contains(['(', ')', ',']) {
            return Err(format!(
                "path segment `{segment}` holds a parenthesis or comma"
            ));
        }
    }
    Ok(())
}

fn constant_kind(name: &str) -> Option<ConstantKind> {
    Some(match name {
        "Binary" => ConstantKind::Binary,
        "Bool" => ConstantKind::Bool,
        "Date" => ConstantKind::Date,
        "DateTimeOffset" => ConstantKind::DateTimeOffset,
        "Decimal" => ConstantKind::Decimal,
        "Duration" => ConstantKind::Duration,
        "EnumMember" => ConstantKind::EnumMember,
        "Float" => ConstantKind::Float,
        "Guid" => ConstantKind::Guid,
        "Int" => ConstantKind::Int,
        "String" => ConstantKind::String,
        "TimeOfDay" => ConstantKind::TimeOfDay,
        _ => return None,
    })
}

fn path_kind(name: &str) -> Option<PathKind> {
    Some(match name {
        "Path" => PathKind::Path,
        "PropertyPath" => PathKind::PropertyPath,
        "NavigationPropertyPath" => PathKind::NavigationPropertyPath,
        "AnnotationPath" => PathKind::AnnotationPath,
        "ModelElementPath" => PathKind::ModelElementPath,
        "AnyPropertyPath" => PathKind::AnyPropertyPath,
        _ => return None,
    })
}

fn is_dynamic(name: &str) -> bool {
    matches!(
        name,
        "Apply"
            | "Cast"
            | "If"
            | "Eq"
            | "Ne"
            | "Gt"
            | "Ge"
            | "Lt"
            | "Le"
            | "Has"
            | "In"
            | "And"
            | "Or"
            | "Not"
            | "Add"
            | "Sub"
            | "Neg"
            | "Mul"
            | "Div"
            | "DivBy"
            | "Mod"
            | "IsOf"
            | "LabeledElement"
            | "LabeledElementReference"
            | "UrlRef"
    )
}

/// An annotation value written as an attribute (`String="..."`, `Path="..."`).
fn value_attribute(key: &str, value: String) -> Result<Expr, String> {
    if let Some(kind) = constant_kind(key) {
        Ok(Expr::Constant(kind, value))
    } else if let Some(kind) = path_kind(key) {
        Ok(Expr::Path(kind, value))
    } else {
        Err(value)
    }
}

/// An element open in the document (every element, also skipped ones).
struct Open<'a> {
    name: &'a str,
    off: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RootState {
    None,
    Open,
    Closed,
}

/// A node under construction.
enum Frame {
    Edmx,
    DataServices,
    Reference(Reference),
    Schema(Box<Schema>),
    /// `true` for an entity type.
    Structured(bool, StructuredType),
    Key(Key),
    Property(Property),
    NavProp(NavigationProperty),
    RefConstraint(ReferentialConstraint),
    OnDelete(OnDelete),
    EnumType(EnumType),
    Member(EnumMember),
    TypeDefinition(TypeDefinition),
    Term(Box<Term>),
    Operation(Box<Operation>),
    Parameter(Parameter),
    ReturnType(ReturnType),
    Container(Box<EntityContainer>),
    EntitySet(EntitySet),
    Singleton(Singleton),
    ActionImport(ActionImport),
    FunctionImport(FunctionImport),
    AnnotationBlock(AnnotationBlock),
    Annotation(Annotation),
    Record(Box<Record>),
    PropertyValue(PropertyValue),
    Collection(Vec<Expr>),
    Constant(ConstantKind, String),
    Path(PathKind, String),
    Null,
    Dynamic(RawElement),
    /// An ignored subtree; holds the `open` depth of its root element.
    Skip(usize),
}

impl Frame {
    fn annotations_mut(&mut self) -> Option<&mut Vec<Annotation>> {
        Some(match self {
            Frame::Reference(x) => &mut x.annotations,
            Frame::Schema(x) => &mut x.annotations,
            Frame::Structured(_, x) => &mut x.annotations,
            Frame::Property(x) => &mut x.annotations,
            Frame::NavProp(x) => &mut x.annotations,
            Frame::RefConstraint(x) => &mut x.annotations,
            Frame::OnDelete(x) => &mut x.annotations,
            Frame::EnumType(x) => &mut x.annotations,
            Frame::Member(x) => &mut x.annotations,
            Frame::TypeDefinition(x) => &mut x.annotations,
            Frame::Term(x) => &mut x.annotations,
            Frame::Operation(x) => &mut x.annotations,
            Frame::Parameter(x) => &mut x.annotations,
            Frame::ReturnType(x) => &mut x.annotations,
            Frame::Container(x) => &mut x.annotations,
            Frame::EntitySet(x) => &mut x.annotations,
            Frame::Singleton(x) => &mut x.annotations,
            Frame::ActionImport(x) => &mut x.annotations,
            Frame::FunctionImport(x) => &mut x.annotations,
            Frame::AnnotationBlock(x) => &mut x.annotations,
            Frame::Annotation(x) => &mut x.annotations,
            Frame::Record(x) => &mut x.annotations,
            Frame::PropertyValue(x) => &mut x.annotations,
            _ => return None,
        })
    }

    /// Whether expression elements are read as children.
    fn takes_expressions(&self) -> bool {
        matches!(
            self,
            Frame::Annotation(_) | Frame::PropertyValue(_) | Frame::Collection(_)
        )
    }
}

const UNCLOSED_REFERENCE: &str =
    "`&` starts an entity reference that is not closed with `;` (write `&amp;` for a literal `&`)";

/// A character reference's character (`#65`, `#x41`); `None` when `name` is not one.
fn resolve_reference(name: &str) -> Option<Result<char, ()>> {
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

/// What [`CsdlReader::named`] read: the element's position, `Name` and reference attribute.
struct Named {
    pos: Pos,
    name: Option<String>,
    reference: Option<String>,
}

impl Named {
    /// Position, name and reference, absent ones empty (already reported by `check_named`).
    fn parts(self) -> (Pos, String, String) {
        (
            self.pos,
            self.name.unwrap_or_default(),
            self.reference.unwrap_or_default(),
        )
    }
}

/// One attribute value, unescaped, with the byte offset of its raw text.
struct Val<'v> {
    s: Cow<'v, str>,
    off: usize,
}

impl Val<'_> {
    fn string(self) -> String {
        self.s.into_owned()
    }
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

/// Lengths of the scratch stacks: where a frame's children start.
#[derive(Debug, Clone, Copy)]
struct Marks {
    anns: usize,
    props: usize,
    navs: usize,
    members: usize,
    params: usize,
}

/// The tail of a scratch stack from `start`, as an exactly-sized vector.
fn take_from<T>(stack: &mut Vec<T>, start: usize) -> Vec<T> {
    if stack.len() > start {
        stack.split_off(start)
    } else {
        Vec::new()
    }
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

    fn push_open(&mut self, name: &'a str, off: usize) {
        self.open.push(Open { name, off });
    }

    fn start(&mut self, e: &BytesStart<'_>, off: usize, empty: bool) -> Result<(), Fatal> {
        let name_len = e.name().0.len();
        let qname: &'a str = match self.text.get(off + 1..off + 1 + name_len) {
            Some(q) if q == e.name().0 => q,
            _ => return Err(self.fatal(off, "internal error: lost track of the input position")),
        };
        let local = local_name(qname);
        if local == "Annotation" {
            self.doc.annotation_count += 1;
        }
        if self.open.len() >= self.max_depth {
            return Err(self.fatal(
                off,
                format!(
                    "`<{qname}>` is nested too deeply: elements may be nested at most {} levels deep",
                    self.max_depth
                ),
            ));
        }
        if let Some(Frame::Skip(_)) = self.frames.last() {
            if !empty {
                self.push_open(qname, off);
            }
            return Ok(());
        }
        let frame = match self.root {
            RootState::None => Some(self.root_frame(e, qname, local, off)?),
            RootState::Open => self.child_frame(e, qname, local, off, empty),
            RootState::Closed => {
                return Err(self.fatal(
                    off,
                    format!("unexpected element `<{qname}>` after the end of the root element"),
                ));
            }
        };
        if self.root == RootState::None {
            self.root = RootState::Open;
        }
        match frame {
            Some(frame) => {
                if empty {
                    let mark = self.mark();
                    self.finish(frame, mark);
                } else {
                    self.push_open(qname, off);
                    self.marks.push(self.mark());
                    self.frames.push(frame);
                }
            }
            None => {
                if !empty {
                    self.push_open(qname, off);
                    self.marks.push(self.mark());
                    self.frames.push(Frame::Skip(self.open.len()));
                }
            }
        }
        if empty && self.open.is_empty() {
            self.root = RootState::Closed;
        }
        Ok(())
    }

    fn end(&mut self, name: &str, off: usize) -> Result<(), Fatal> {
        let Some(open) = self.open.pop() else {
            return Err(self.fatal(
                off,
                format!("closing tag `</{name}>` does not match any open element"),
            ));
        };
        if open.name != name {
            let opened = self.pos_at(open.off);
            return Err(self.fatal(
                off,
                format!(
                    "closing tag `</{name}>` does not match `<{}>` opened at {opened}",
                    open.name
                ),
            ));
        }
        match self.frames.last() {
            // Inside a skipped subtree: only its own root ends it.
            Some(Frame::Skip(depth)) if *depth != self.open.len() + 1 => {}
            Some(Frame::Skip(_)) => {
                self.frames.pop();
                self.marks.pop();
            }
            Some(_) => {
                if let Some(frame) = self.frames.pop() {
                    let mark = self.marks.pop().unwrap_or_else(|| self.mark());
                    self.finish(frame, mark);
                }
            }
            None => {}
        }
        if self.open.is_empty() {
            self.root = RootState::Closed;
        }
        Ok(())
    }

    /// Calls `f` for every attribute with its normalized value; reports malformed attributes.
    ///
    /// Attributes are scanned directly in the input (quick-xml has already found the end of the
    /// tag, honouring quotes), so keys and unescaped values borrow from it without allocating.
    fn attrs<F>(&mut self, e: &BytesStart<'_>, mut f: F)
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

    fn attr_failed(&mut self, off: usize, message: String) {
        self.error(off, message);
        self.bad_attrs = true;
    }

    /// XML attribute-value normalization: character and predefined entity references are
    /// replaced, and tabs and line ends become spaces. Borrows when nothing changes.
    fn normalize(&mut self, value: &'a str, off: usize) -> Cow<'a, str> {
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
    fn bool_attr(&mut self, v: &Val<'_>, attr: &str) -> Option<bool> {
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
    fn facet(&mut self, facets: &mut Facets, key: &str, v: &Val<'_>) -> bool {
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

    fn bad_facet(&mut self, v: &Val<'_>, key: &str, expected: &str) {
        let message = format!(
            "`{}` is not a valid `{key}` facet: expected {expected}",
            v.s
        );
        self.error(v.off, message);
    }

    fn require(&mut self, present: bool, qname: &str, attr: &str, pos: Pos) {
        if !present && !self.bad_attrs {
            self.error_at(pos, format!("`<{qname}>` needs a `{attr}` attribute"));
        }
    }

    /// Reads the attributes of a named element: its `Name`, the attribute `reference` names (the
    /// `Type` of a property, the `EntityType` of an entity set...) and every other one through
    /// `other`. The position is taken first, as the attributes' own errors come after it.
    fn named<F>(
        &mut self,
        e: &BytesStart<'_>,
        off: usize,
        reference: Option<&str>,
        mut other: F,
    ) -> Named
    where
        F: FnMut(&mut Self, &'a str, Val<'a>),
    {
        let mut n = Named {
            pos: self.pos_at(off),
            name: None,
            reference: None,
        };
        self.attrs(e, |this, key, v| {
            if key == "Name" {
                n.name = Some(v.string());
            } else if Some(key) == reference {
                n.reference = Some(v.string());
            } else {
                other(this, key, v);
            }
        });
        n
    }

    /// The `Name` is present and a SimpleIdentifier, the `reference` attribute present.
    fn check_named(&mut self, n: &Named, qname: &str, reference: Option<&str>) {
        self.check_name(
            n.name.is_some(),
            n.name.as_deref().unwrap_or(""),
            qname,
            n.pos,
        );
        if let Some(attr) = reference {
            self.require(n.reference.is_some(), qname, attr, n.pos);
        }
    }

    /// Checks a `Name` attribute: present and a SimpleIdentifier.
    fn check_name(&mut self, present: bool, name: &str, qname: &str, pos: Pos) {
        if !present {
            self.require(false, qname, "Name", pos);
        } else if !is_simple_identifier(name) {
            self.error_at(
                pos,
                format!("`{name}` is not a valid CSDL name: {NAME_RULE}"),
            );
        }
    }

    fn check_namespace(&mut self, present: bool, ns: &str, qname: &str, attr: &str, pos: Pos) {
        if !present {
            self.require(false, qname, attr, pos);
        } else if !is_namespace(ns) {
            self.error_at(
                pos,
                format!(
                    "`{ns}` is not a valid CSDL namespace: a namespace is one or more names separated by dots, where {NAME_RULE}"
                ),
            );
        }
    }

    fn check_alias(&mut self, alias: Option<&str>, pos: Pos) {
        if let Some(alias) = alias
            && !is_simple_identifier(alias)
        {
            self.error_at(
                pos,
                format!("`{alias}` is not a valid CSDL alias: {NAME_RULE}"),
            );
        }
    }

    // ----- root -----

    fn root_frame(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        local: &str,
        off: usize,
    ) -> Result<Frame, Fatal> {
        match local {
            "Edmx" => {
                let pos = self.pos_at(off);
                let ns_attr = match qname.find(':') {
                    Some(i) => format!("xmlns:{}", &qname[..i]),
                    None => "xmlns".to_string(),
                };
                let mut version: Option<(String, usize)> = None;
                let mut ns: Option<String> = None;
                self.attrs(e, |_, key, v| {
                    if key == "Version" {
                        version = Some((v.s.clone().into_owned(), v.off));
                    } else if key == ns_attr {
                        ns = Some(v.string());
                    }
                });
                let old_ns = ns
                    .as_deref()
                    .filter(|ns| ns.starts_with("http://schemas.microsoft.com/ado/"));
                let old_version = version
                    .as_ref()
                    .filter(|(v, _)| matches!(v.as_str(), "1.0" | "2.0" | "3.0"));
                if old_ns.is_some() || old_version.is_some() {
                    let mut found = Vec::new();
                    if let Some((v, _)) = &version {
                        found.push(format!("edmx Version {v}"));
                    }
                    if let Some(ns) = &ns {
                        found.push(format!("namespace {ns}"));
                    }
                    return Err(self.reject(
                        off,
                        format!(
                            "this is an OData V2/V3 (edmx 1.0) document ({}); {SUPPORTED}",
                            found.join(", ")
                        ),
                    ));
                }
                match version {
                    Some((v, _)) if v == "4.0" || v == "4.01" => self.doc.version = Some(v),
                    Some((v, voff)) => {
                        self.error(
                            voff,
                            format!("unsupported edmx Version `{v}`: expected 4.0 or 4.01"),
                        );
                        self.doc.version = Some(v);
                    }
                    None => self.require(false, qname, "Version", pos),
                }
                self.doc.pos = pos;
                Ok(Frame::Edmx)
            }
            "Schema" => {
                let schema = self.schema(e, qname, off)?;
                self.doc.pos = schema.pos;
                Ok(Frame::Schema(Box::new(schema)))
            }
            _ => Err(self.fatal(
                off,
                format!("expected an `edmx:Edmx` or `Schema` root element, found `<{qname}>`"),
            )),
        }
    }

    // ----- children -----

    /// The frame for a child element; `None` skips the element's content (unknown elements,
    /// and leaf elements that were already delivered to their parent).
    fn child_frame(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        local: &str,
        off: usize,
        empty: bool,
    ) -> Option<Frame> {
        let parent = self.frames.last()?;
        if let Frame::Dynamic(_) = parent {
            return Some(Frame::Dynamic(self.raw(e, local, off)));
        }
        if local == "Annotation" && self.frames.last_mut()?.annotations_mut().is_some() {
            let a = self.annotation(e, qname, off);
            if empty {
                // Straight to the parent: an empty element has no children to wait for.
                self.anns.push(a);
                return None;
            }
            return Some(Frame::Annotation(a));
        }
        let parent = self.frames.last()?;
        if parent.takes_expressions() {
            return self.expression(e, local, off);
        }
        Some(match (parent, local) {
            (Frame::Edmx, "Reference") => Frame::Reference(self.reference(e, qname, off)),
            (Frame::Edmx, "DataServices") => Frame::DataServices,
            (Frame::Reference(_), "Include") => {
                let include = self.include(e, qname, off);
                if let Some(Frame::Reference(r)) = self.frames.last_mut() {
                    r.includes.push(include);
                }
                return None;
            }
            (Frame::Reference(_), "IncludeAnnotations") => {
                let include = self.include_annotations(e, qname, off);
                if let Some(Frame::Reference(r)) = self.frames.last_mut() {
                    r.include_annotations.push(include);
                }
                return None;
            }
            (Frame::DataServices, "Schema") => {
                Frame::Schema(Box::new(self.schema(e, qname, off).ok()?))
            }
            (Frame::Schema(_), "EntityType") => {
                Frame::Structured(true, self.structured(e, qname, off))
            }
            (Frame::Schema(_), "ComplexType") => {
                Frame::Structured(false, self.structured(e, qname, off))
            }
            (Frame::Schema(_), "EnumType") => Frame::EnumType(self.enum_type(e, qname, off)),
            (Frame::Schema(_), "TypeDefinition") => {
                Frame::TypeDefinition(self.type_definition(e, qname, off))
            }
            (Frame::Schema(_), "Term") => Frame::Term(Box::new(self.term(e, qname, off))),
            (Frame::Schema(_), "Action") => Frame::Operation(Box::new(self.operation(
                e,
                qname,
                off,
                OperationKind::Action,
            ))),
            (Frame::Schema(_), "Function") => Frame::Operation(Box::new(self.operation(
                e,
                qname,
                off,
                OperationKind::Function,
            ))),
            (Frame::Schema(_), "EntityContainer") => {
                Frame::Container(Box::new(self.container(e, qname, off)))
            }
            (Frame::Schema(_), "Annotations") => {
                Frame::AnnotationBlock(self.annotation_block(e, qname, off))
            }
            (Frame::Structured(_, t), "Key") => {
                let first = t.key.as_ref().map(|k| k.pos);
                let name = t.name.clone();
                let pos = self.pos_at(off);
                if let Some(first) = first {
                    self.error_at(
                        pos,
                        format!(
                            "`{name}` has a second `Key` element: a type declares one key (the first is at {first})"
                        ),
                    );
                }
                Frame::Key(Key {
                    property_refs: Vec::new(),
                    pos,
                })
            }
            (Frame::Structured(..), "Property") => {
                let p = self.property(e, qname, off);
                if empty {
                    self.props.push(p);
                    return None;
                }
                Frame::Property(p)
            }
            (Frame::Structured(..), "NavigationProperty") => {
                Frame::NavProp(self.navigation_property(e, qname, off)?)
            }
            (Frame::Key(_), "PropertyRef") => {
                let property_ref = self.property_ref(e, qname, off);
                if let Some(Frame::Key(k)) = self.frames.last_mut() {
                    k.property_refs.push(property_ref);
                }
                return None;
            }
            (Frame::NavProp(_), "ReferentialConstraint") => {
                Frame::RefConstraint(self.referential_constraint(e, qname, off))
            }
            (Frame::NavProp(_), "OnDelete") => Frame::OnDelete(self.on_delete(e, qname, off)),
            (Frame::EnumType(_), "Member") => {
                let m = self.member(e, qname, off);
                if empty {
                    self.members.push(m);
                    return None;
                }
                Frame::Member(m)
            }
            (Frame::Operation(_), "Parameter") => {
                let p = self.parameter(e, qname, off);
                if empty {
                    self.params.push(p);
                    return None;
                }
                Frame::Parameter(p)
            }
            (Frame::Operation(_), "ReturnType") => {
                Frame::ReturnType(self.return_type(e, qname, off))
            }
            (Frame::Container(_), "EntitySet") => Frame::EntitySet(self.entity_set(e, qname, off)),
            (Frame::Container(_), "Singleton") => Frame::Singleton(self.singleton(e, qname, off)),
            (Frame::Container(_), "ActionImport") => {
                Frame::ActionImport(self.action_import(e, qname, off))
            }
            (Frame::Container(_), "FunctionImport") => {
                Frame::FunctionImport(self.function_import(e, qname, off, empty)?)
            }
            (Frame::EntitySet(_) | Frame::Singleton(_), "NavigationPropertyBinding") => {
                let binding = self.binding(e, qname, off);
                match self.frames.last_mut() {
                    Some(Frame::EntitySet(s)) => s.navigation_property_bindings.push(binding),
                    Some(Frame::Singleton(s)) => s.navigation_property_bindings.push(binding),
                    _ => {}
                }
                return None;
            }
            (Frame::Record(_), "PropertyValue") => {
                Frame::PropertyValue(self.property_value(e, qname, off))
            }
            _ => return None,
        })
    }

    /// Delivers a finished node to its parent frame (or to the document).
    fn mark(&self) -> Marks {
        Marks {
            anns: self.anns.len(),
            props: self.props.len(),
            navs: self.navs.len(),
            members: self.members.len(),
            params: self.params.len(),
        }
    }

    /// Structural and navigation properties of a type share one set of names: reports each that
    /// repeats an earlier one (checked while the type's members are at hand).
    fn check_member_names(&mut self, entity: bool, t: &StructuredType) {
        let names = || {
            let properties = t.properties.iter().map(|p| (p.name.as_str(), p.pos, false));
            let navigation = t.navigation_properties.iter();
            properties.chain(navigation.map(|n| (n.name.as_str(), n.pos, true)))
        };
        if !has_repeats(names().map(|(name, ..)| name)) {
            return;
        }
        // in document order, so the first of a name is the one declared first
        let mut members: Vec<(&str, Pos, bool)> = names().collect();
        members.sort_by_key(|m| m.1);
        let kind = if entity {
            "entity type"
        } else {
            "complex type"
        };
        for (k, first) in earlier_duplicates(members.iter().map(|&(name, pos, _)| (name, pos))) {
            let (name, pos, navigation) = members[k];
            let what = if navigation {
                "navigation property"
            } else {
                "property"
            };
            let message = format!(
                "duplicate {what} `{name}` in {kind} `{}`: already declared at {first}",
                t.name
            );
            self.error_at(pos, message);
        }
    }

    fn finish(&mut self, mut frame: Frame, mark: Marks) {
        // Collect the frame's children from the scratch stacks.
        if let Some(list) = frame.annotations_mut() {
            *list = take_from(&mut self.anns, mark.anns);
        }
        match &mut frame {
            Frame::Structured(entity, t) => {
                t.properties = take_from(&mut self.props, mark.props);
                t.navigation_properties = take_from(&mut self.navs, mark.navs);
                self.check_member_names(*entity, t);
            }
            Frame::EnumType(t) => t.members = take_from(&mut self.members, mark.members),
            Frame::Operation(o) => o.parameters = take_from(&mut self.params, mark.params),
            _ => {}
        }
        let expr = match frame {
            Frame::Edmx | Frame::DataServices | Frame::Skip(_) => return,
            Frame::Reference(r) => {
                self.doc.references.push(r);
                return;
            }
            Frame::Schema(s) => {
                self.doc.schemas.push(*s);
                return;
            }
            Frame::Annotation(a) => {
                // Only created under frames that take annotations.
                self.anns.push(a);
                return;
            }
            Frame::Record(r) => Expr::Record(r),
            Frame::Collection(items) => Expr::Collection(items),
            Frame::Constant(kind, text) => {
                let text = if kind == ConstantKind::String {
                    text
                } else {
                    trimmed(text)
                };
                Expr::Constant(kind, text)
            }
            Frame::Path(kind, text) => Expr::Path(kind, trimmed(text)),
            Frame::Null => Expr::Null,
            Frame::Dynamic(mut raw) => {
                if raw.text.bytes().all(|b| b.is_ascii_whitespace()) {
                    raw.text.clear();
                }
                if let Some(Frame::Dynamic(parent)) = self.frames.last_mut() {
                    parent.children.push(raw);
                    return;
                }
                Expr::Dynamic(Box::new(raw))
            }
            other => {
                self.finish_node(other);
                return;
            }
        };
        match self.frames.last_mut() {
            Some(Frame::Annotation(a)) => set_value(&mut a.value, expr),
            Some(Frame::PropertyValue(pv)) => set_value(&mut pv.value, expr),
            Some(Frame::Collection(items)) => items.push(expr),
            _ => {}
        }
    }

    fn finish_node(&mut self, frame: Frame) {
        let Some(parent) = self.frames.last_mut() else {
            return;
        };
        match (frame, parent) {
            (Frame::Structured(true, t), Frame::Schema(s)) => s.entity_types.push(t),
            (Frame::Structured(false, t), Frame::Schema(s)) => s.complex_types.push(t),
            (Frame::EnumType(t), Frame::Schema(s)) => s.enum_types.push(t),
            (Frame::TypeDefinition(t), Frame::Schema(s)) => s.type_definitions.push(t),
            (Frame::Term(t), Frame::Schema(s)) => s.terms.push(*t),
            (Frame::Operation(o), Frame::Schema(s)) => match o.kind {
                OperationKind::Action => s.actions.push(*o),
                OperationKind::Function => s.functions.push(*o),
            },
            (Frame::Container(c), Frame::Schema(s)) => s.entity_containers.push(*c),
            (Frame::AnnotationBlock(b), Frame::Schema(s)) => s.annotation_blocks.push(b),
            (Frame::Key(k), Frame::Structured(_, t)) => t.key = Some(k),
            (Frame::Property(p), Frame::Structured(..)) => self.props.push(p),
            (Frame::NavProp(n), Frame::Structured(..)) => self.navs.push(n),
            (Frame::RefConstraint(r), Frame::NavProp(n)) => n.referential_constraints.push(r),
            (Frame::OnDelete(d), Frame::NavProp(n)) => n.on_delete = Some(d),
            (Frame::Member(m), Frame::EnumType(_)) => self.members.push(m),
            (Frame::Parameter(p), Frame::Operation(_)) => self.params.push(p),
            (Frame::ReturnType(r), Frame::Operation(o)) => o.return_type = Some(r),
            (Frame::EntitySet(x), Frame::Container(c)) => c.entity_sets.push(x),
            (Frame::Singleton(x), Frame::Container(c)) => c.singletons.push(x),
            (Frame::ActionImport(x), Frame::Container(c)) => c.action_imports.push(x),
            (Frame::FunctionImport(x), Frame::Container(c)) => c.function_imports.push(x),
            (Frame::PropertyValue(pv), Frame::Record(r)) => r.property_values.push(pv),
            _ => {}
        }
    }

    // ----- element readers -----

    fn reference(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Reference {
        let mut r = Reference {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_uri = false;
        self.attrs(e, |_, key, v| {
            if key == "Uri" {
                has_uri = true;
                r.uri = v.string();
            }
        });
        self.require(has_uri, qname, "Uri", r.pos);
        r
    }

    fn include(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Include {
        let mut i = Include {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_ns = false;
        self.attrs(e, |_, key, v| match key {
            "Namespace" => {
                has_ns = true;
                i.namespace = v.string();
            }
            "Alias" => i.alias = Some(v.string()),
            _ => {}
        });
        self.check_namespace(has_ns, &i.namespace, qname, "Namespace", i.pos);
        self.check_alias(i.alias.as_deref(), i.pos);
        i
    }

    fn include_annotations(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> IncludeAnnotations {
        let mut i = IncludeAnnotations {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_ns = false;
        self.attrs(e, |_, key, v| match key {
            "TermNamespace" => {
                has_ns = true;
                i.term_namespace = v.string();
            }
            "Qualifier" => i.qualifier = Some(v.string()),
            "TargetNamespace" => i.target_namespace = Some(v.string()),
            _ => {}
        });
        self.require(has_ns, qname, "TermNamespace", i.pos);
        i
    }

    fn schema(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Result<Schema, Fatal> {
        let mut s = Schema {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let ns_attr: Cow<'_, str> = match qname.find(':') {
            Some(i) => Cow::Owned(format!("xmlns:{}", &qname[..i])),
            None => Cow::Borrowed("xmlns"),
        };
        let mut has_ns = false;
        let mut xmlns: Option<String> = None;
        self.attrs(e, |_, key, v| match key {
            "Namespace" => {
                has_ns = true;
                s.namespace = v.string();
            }
            "Alias" => s.alias = Some(v.string()),
            _ if key == ns_attr => xmlns = Some(v.string()),
            _ => {}
        });
        if let Some(ns) = xmlns
            && ns.starts_with("http://schemas.microsoft.com/ado/")
            && ns.ends_with("edm")
        {
            let generation = match ns.as_str() {
                "http://schemas.microsoft.com/ado/2006/04/edm" => "an Entity Framework CSDL v1",
                "http://schemas.microsoft.com/ado/2007/05/edm" => "an Entity Framework CSDL v1.1",
                "http://schemas.microsoft.com/ado/2008/09/edm" => "an Entity Framework CSDL v2",
                "http://schemas.microsoft.com/ado/2009/11/edm" => "an Entity Framework CSDL v3",
                _ => "an Entity Framework CSDL",
            };
            return Err(self.reject(
                off,
                format!("this is {generation} document (namespace {ns}); {SUPPORTED}"),
            ));
        }
        self.check_namespace(has_ns, &s.namespace, qname, "Namespace", s.pos);
        self.check_alias(s.alias.as_deref(), s.pos);
        Ok(s)
    }

    fn structured(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> StructuredType {
        let mut t = StructuredType::default();
        let n = self.named(e, off, None, |this, key, v| match key {
            "BaseType" => t.base_type = Some(v.string()),
            "Abstract" => t.is_abstract = this.bool_attr(&v, key).unwrap_or(false),
            "OpenType" => t.open_type = this.bool_attr(&v, key).unwrap_or(false),
            "HasStream" => t.has_stream = this.bool_attr(&v, key).unwrap_or(false),
            _ => {}
        });
        self.check_named(&n, qname, None);
        (t.pos, t.name) = (n.pos, n.name.unwrap_or_default());
        t
    }

    fn property_ref(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> PropertyRef {
        let mut r = PropertyRef {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_name = false;
        self.attrs(e, |_, key, v| match key {
            "Name" => {
                has_name = true;
                r.name = v.string();
            }
            "Alias" => r.alias = Some(v.string()),
            _ => {}
        });
        self.require(has_name, qname, "Name", r.pos);
        if let Some(alias) = r.alias.clone()
            && !is_simple_identifier(&alias)
        {
            self.error_at(
                r.pos,
                format!("`{alias}` is not a valid CSDL name: {NAME_RULE}"),
            );
        }
        r
    }

    fn property(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Property {
        let mut p = Property::default();
        let n = self.named(e, off, Some("Type"), |this, key, v| match key {
            "Nullable" => p.nullable = this.bool_attr(&v, key),
            "DefaultValue" => p.default_value = Some(v.string()),
            _ => {
                this.facet(&mut p.facets, key, &v);
            }
        });
        match n.name.as_deref() {
            Some(name) if !name.is_empty() && !is_simple_identifier(name) => {
                // Graph's own metadata declares `request-id`: the name only travels as a JSON
                // member name, and the Rust field is named from it (`naming`).
                self.warning_at(
                    n.pos,
                    format!(
                        "property name `{name}` is not a CSDL SimpleIdentifier; accepted: its wire name stays exactly `{name}`, and its Rust field gets a valid name"
                    ),
                );
                self.require(n.reference.is_some(), qname, "Type", n.pos);
            }
            _ => self.check_named(&n, qname, Some("Type")),
        }
        (p.pos, p.name, p.type_name) = n.parts();
        p
    }

    fn navigation_property(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> Option<NavigationProperty> {
        let mut p = NavigationProperty::default();
        let mut relationship = false;
        let n = self.named(e, off, Some("Type"), |this, key, v| match key {
            "Nullable" => p.nullable = this.bool_attr(&v, key),
            "Partner" => p.partner = Some(v.string()),
            "ContainsTarget" => p.contains_target = this.bool_attr(&v, key).unwrap_or(false),
            "Relationship" => relationship = true,
            _ => {}
        });
        if relationship && n.reference.is_none() {
            // A V3-style navigation property (`Relationship`/`FromRole`/`ToRole`, typed through
            // an `Association`) left in some V4 documents: it has no V4 meaning, skip it.
            return None;
        }
        self.check_named(&n, qname, Some("Type"));
        (p.pos, p.name, p.type_name) = n.parts();
        Some(p)
    }

    fn referential_constraint(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> ReferentialConstraint {
        let mut r = ReferentialConstraint {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let (mut has_p, mut has_rp) = (false, false);
        self.attrs(e, |_, key, v| match key {
            "Property" => {
                has_p = true;
                r.property = v.string();
            }
            "ReferencedProperty" => {
                has_rp = true;
                r.referenced_property = v.string();
            }
            _ => {}
        });
        self.require(has_p, qname, "Property", r.pos);
        self.require(has_rp, qname, "ReferencedProperty", r.pos);
        r
    }

    fn on_delete(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> OnDelete {
        let mut d = OnDelete {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_action = false;
        self.attrs(e, |_, key, v| {
            if key == "Action" {
                has_action = true;
                d.action = v.string();
            }
        });
        self.require(has_action, qname, "Action", d.pos);
        d
    }

    fn enum_type(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> EnumType {
        let mut t = EnumType::default();
        let n = self.named(e, off, None, |this, key, v| match key {
            "UnderlyingType" => t.underlying_type = Some(v.string()),
            "IsFlags" => t.is_flags = this.bool_attr(&v, key).unwrap_or(false),
            _ => {}
        });
        self.check_named(&n, qname, None);
        (t.pos, t.name) = (n.pos, n.name.unwrap_or_default());
        t
    }

    fn member(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> EnumMember {
        let mut m = EnumMember::default();
        let n = self.named(e, off, None, |this, key, v| {
            if key == "Value" {
                match v.s.trim().parse::<i64>() {
                    Ok(value) => m.value = Some(value),
                    Err(_) => {
                        let message = format!(
                            "`{}` is not a valid enumeration member `Value`: expected an integer",
                            v.s
                        );
                        this.error(v.off, message);
                    }
                }
            }
        });
        self.check_named(&n, qname, None);
        (m.pos, m.name) = (n.pos, n.name.unwrap_or_default());
        m
    }

    fn type_definition(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> TypeDefinition {
        let mut t = TypeDefinition::default();
        let n = self.named(e, off, Some("UnderlyingType"), |this, key, v| {
            this.facet(&mut t.facets, key, &v);
        });
        self.check_named(&n, qname, Some("UnderlyingType"));
        (t.pos, t.name, t.underlying_type) = n.parts();
        t
    }

    fn term(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Term {
        let mut t = Term::default();
        let n = self.named(e, off, Some("Type"), |this, key, v| match key {
            "BaseTerm" => t.base_term = Some(v.string()),
            "Nullable" => t.nullable = this.bool_attr(&v, key),
            "DefaultValue" => t.default_value = Some(v.string()),
            "AppliesTo" => t.applies_to = v.s.split_whitespace().map(str::to_string).collect(),
            _ => {
                this.facet(&mut t.facets, key, &v);
            }
        });
        self.check_named(&n, qname, Some("Type"));
        (t.pos, t.name, t.type_name) = n.parts();
        t
    }

    fn operation(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
        kind: OperationKind,
    ) -> Operation {
        let mut o = Operation {
            kind,
            ..Default::default()
        };
        let n = self.named(e, off, None, |this, key, v| match key {
            "IsBound" => o.is_bound = this.bool_attr(&v, key).unwrap_or(false),
            "IsComposable" => o.is_composable = this.bool_attr(&v, key).unwrap_or(false),
            "EntitySetPath" => o.entity_set_path = Some(v.string()),
            _ => {}
        });
        self.check_named(&n, qname, None);
        (o.pos, o.name) = (n.pos, n.name.unwrap_or_default());
        o
    }

    fn parameter(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Parameter {
        let mut p = Parameter::default();
        let n = self.named(e, off, Some("Type"), |this, key, v| match key {
            "Nullable" => p.nullable = this.bool_attr(&v, key),
            _ => {
                this.facet(&mut p.facets, key, &v);
            }
        });
        self.check_named(&n, qname, Some("Type"));
        (p.pos, p.name, p.type_name) = n.parts();
        p
    }

    fn return_type(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> ReturnType {
        let mut r = ReturnType {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_type = false;
        self.attrs(e, |this, key, v| match key {
            "Type" => {
                has_type = true;
                r.type_name = v.string();
            }
            "Nullable" => r.nullable = this.bool_attr(&v, key),
            _ => {
                this.facet(&mut r.facets, key, &v);
            }
        });
        self.require(has_type, qname, "Type", r.pos);
        r
    }

    fn container(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> EntityContainer {
        let mut c = EntityContainer::default();
        let n = self.named(e, off, None, |_, key, v| {
            if key == "Extends" {
                c.extends = Some(v.string());
            }
        });
        self.check_named(&n, qname, None);
        (c.pos, c.name) = (n.pos, n.name.unwrap_or_default());
        c
    }

    fn entity_set(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> EntitySet {
        let mut s = EntitySet::default();
        let n = self.named(e, off, Some("EntityType"), |this, key, v| {
            if key == "IncludeInServiceDocument" {
                s.include_in_service_document = this.bool_attr(&v, key);
            }
        });
        self.check_named(&n, qname, Some("EntityType"));
        (s.pos, s.name, s.entity_type) = n.parts();
        s
    }

    fn singleton(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Singleton {
        let mut s = Singleton::default();
        let n = self.named(e, off, Some("Type"), |this, key, v| {
            if key == "Nullable" {
                s.nullable = this.bool_attr(&v, key);
            }
        });
        self.check_named(&n, qname, Some("Type"));
        (s.pos, s.name, s.type_name) = n.parts();
        s
    }

    fn binding(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> NavigationPropertyBinding {
        let mut b = NavigationPropertyBinding {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let (mut has_path, mut has_target) = (false, false);
        self.attrs(e, |_, key, v| match key {
            "Path" => {
                has_path = true;
                b.path = v.string();
            }
            "Target" => {
                has_target = true;
                b.target = v.string();
            }
            _ => {}
        });
        self.require(has_path, qname, "Path", b.pos);
        self.require(has_target, qname, "Target", b.pos);
        b
    }

    fn action_import(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> ActionImport {
        let mut a = ActionImport::default();
        let n = self.named(e, off, Some("Action"), |_, key, v| {
            if key == "EntitySet" {
                a.entity_set = Some(v.string());
            }
        });
        self.check_named(&n, qname, Some("Action"));
        (a.pos, a.name, a.action) = n.parts();
        a
    }

    /// `None` for a V3-style function import (no `Function`; a `ReturnType` attribute,
    /// V3 attributes or `Parameter` children), which some V4 documents still carry.
    fn function_import(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
        empty: bool,
    ) -> Option<FunctionImport> {
        let mut f = FunctionImport::default();
        let mut v3 = !empty;
        let n = self.named(e, off, Some("Function"), |this, key, v| match key {
            "EntitySet" => f.entity_set = Some(v.string()),
            "IncludeInServiceDocument" => f.include_in_service_document = this.bool_attr(&v, key),
            "ReturnType" | "IsSideEffecting" | "IsBindable" | "IsComposable" => v3 = true,
            _ => v3 |= key.contains(':') && !key.starts_with("xmlns"),
        });
        if n.reference.is_none() && v3 {
            return None;
        }
        self.check_named(&n, qname, Some("Function"));
        (f.pos, f.name, f.function) = n.parts();
        Some(f)
    }

    fn annotation_block(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> AnnotationBlock {
        let mut b = AnnotationBlock {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_target = false;
        self.attrs(e, |this, key, v| match key {
            "Target" => {
                has_target = true;
                if let Err(why) = target_syntax(&v.s) {
                    let message = format!("`{}` is not a valid annotation target: {why}", v.s);
                    this.error(v.off, message);
                }
                b.target = v.string();
            }
            "Qualifier" => b.qualifier = Some(v.string()),
            _ => {}
        });
        self.require(has_target, qname, "Target", b.pos);
        b
    }

    fn annotation(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Annotation {
        let mut a = Annotation {
            term: String::new(),
            qualifier: None,
            value: None,
            annotations: Vec::new(),
            pos: self.pos_at(off),
        };
        let mut has_term = false;
        self.attrs(e, |_, key, v| match key {
            "Term" => {
                has_term = true;
                a.term = v.string();
            }
            "Qualifier" => a.qualifier = Some(v.string()),
            _ => {
                if let Ok(expr) = value_attribute(key, String::new()) {
                    a.value = Some(with_text(expr, v.string()));
                }
            }
        });
        self.require(has_term, qname, "Term", a.pos);
        a
    }

    fn property_value(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> PropertyValue {
        let mut pv = PropertyValue {
            property: String::new(),
            value: None,
            annotations: Vec::new(),
            pos: self.pos_at(off),
        };
        let mut has_property = false;
        self.attrs(e, |_, key, v| match key {
            "Property" => {
                has_property = true;
                pv.property = v.string();
            }
            _ => {
                if let Ok(expr) = value_attribute(key, String::new()) {
                    pv.value = Some(with_text(expr, v.string()));
                }
            }
        });
        self.require(has_property, qname, "Property", pv.pos);
        pv
    }

    /// The frame of an expression element; `None` for unknown elements.
    fn expression(&mut self, e: &BytesStart<'_>, local: &str, off: usize) -> Option<Frame> {
        if let Some(kind) = constant_kind(local) {
            return Some(Frame::Constant(kind, String::new()));
        }
        if let Some(kind) = path_kind(local) {
            return Some(Frame::Path(kind, String::new()));
        }
        match local {
            "Record" => {
                let mut r = Record {
                    pos: self.pos_at(off),
                    ..Default::default()
                };
                self.attrs(e, |_, key, v| {
                    if key == "Type" {
                        r.type_name = Some(v.string());
                    }
                });
                Some(Frame::Record(Box::new(r)))
            }
            "Collection" => Some(Frame::Collection(Vec::new())),
            "Null" => Some(Frame::Null),
            _ if is_dynamic(local) => Some(Frame::Dynamic(self.raw(e, local, off))),
            _ => None,
        }
    }

    fn raw(&mut self, e: &BytesStart<'_>, local: &str, off: usize) -> RawElement {
        let mut raw = RawElement {
            name: local.to_string(),
            pos: self.pos_at(off),
            ..Default::default()
        };
        self.attrs(e, |_, key, v| {
            raw.attributes.push((key.to_string(), v.string()))
        });
        raw
    }
}

fn set_value(slot: &mut Option<Expr>, expr: Expr) {
    if slot.is_none() {
        *slot = Some(expr);
    }
}

fn with_text(expr: Expr, text: String) -> Expr {
    match expr {
        Expr::Constant(kind, _) => Expr::Constant(kind, text),
        Expr::Path(kind, _) => Expr::Path(kind, text),
        other => other,
    }
}

fn trimmed(text: String) -> String {
    let t = text.trim();
    if t.len() == text.len() {
        text
    } else {
        t.to_string()
    }
}

/// The opening quote of the attribute value that runs to the end of the input, in the tag that
/// starts at `tag`.
fn unclosed_quote(text: &[u8], tag: usize) -> Option<usize> {
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

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn undefined_entity(name: &str) -> String {
    format!(
        "undefined entity reference `&{name};`: only the predefined XML entities (`&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;`) and character references are allowed"
    )
}

/// The position (relative to the tag name) and message of a malformed attribute.
fn attr_error(err: &AttrError) -> (usize, String) {
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
fn xml_error_message(err: &XmlError) -> String {
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

#[cfg(test)]
mod tests;
