//! Structure-aware: an element tree with real CSDL element and attribute names and mutated values,
//! rendered to up to three documents that reference each other (cycles included) through
//! `edmx:Reference`. What loads is generated with `all = true`: neither stage may panic, and every
//! generated path must stay inside the output folder.
#![no_main]

use std::fmt::Write as _;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use odata_codegen::emit::{GenerateOptions, generate};
use odata_codegen::model::{LoadedSource, SourceLoader, load_model};
use odata_codegen::output::is_safe_relative_path;

const EDM: &str = "http://docs.oasis-open.org/odata/ns/edm";
const EDMX: &str = "http://docs.oasis-open.org/odata/ns/edmx";

/// Element names of CSDL, plus one unknown.
const ELEMENTS: &[&str] = &[
    "EntityType",
    "ComplexType",
    "EnumType",
    "Member",
    "TypeDefinition",
    "Term",
    "Action",
    "Function",
    "Parameter",
    "ReturnType",
    "EntityContainer",
    "EntitySet",
    "Singleton",
    "ActionImport",
    "FunctionImport",
    "NavigationPropertyBinding",
    "Property",
    "NavigationProperty",
    "Key",
    "PropertyRef",
    "ReferentialConstraint",
    "OnDelete",
    "Annotation",
    "Annotations",
    "Record",
    "PropertyValue",
    "Collection",
    "String",
    "Int",
    "Bool",
    "Float",
    "Decimal",
    "Date",
    "Guid",
    "EnumMember",
    "Path",
    "NavigationPropertyPath",
    "PropertyPath",
    "AnnotationPath",
    "Null",
    "If",
    "Apply",
    "Not",
    "Eq",
    "LabeledElement",
    "UrlRef",
    "Cast",
    "Schema",
    "edmx:Reference",
    "edmx:Include",
    "Documentation",
    "Unknown",
];

const ATTRIBUTES: &[&str] = &[
    "Name",
    "Type",
    "BaseType",
    "Abstract",
    "OpenType",
    "HasStream",
    "Nullable",
    "DefaultValue",
    "MaxLength",
    "Precision",
    "Scale",
    "SRID",
    "Unicode",
    "Value",
    "IsFlags",
    "UnderlyingType",
    "Term",
    "Qualifier",
    "Target",
    "EntityType",
    "Path",
    "Partner",
    "ContainsTarget",
    "IsBound",
    "IsComposable",
    "EntitySetPath",
    "Action",
    "Function",
    "EntitySet",
    "Extends",
    "AppliesTo",
    "BaseTerm",
    "Property",
    "ReferencedProperty",
    "Alias",
    "String",
    "Bool",
    "Int",
    "EnumMember",
    "IncludeInServiceDocument",
    "Namespace",
    "Relationship",
    "Version",
];

/// Simple names: ordinary, Rust keywords and reserved words, case collisions, non-ASCII.
const NAMES: &[&str] = &[
    "a",
    "B",
    "entity",
    "Entity",
    "self",
    "Self",
    "crate",
    "super",
    "_",
    "type",
    "fn",
    "mod",
    "fooBar",
    "FooBar",
    "foo_bar",
    "Größe",
    "日本",
    "id",
    "value",
    "odataType",
    "con",
    "aux",
    "Option",
    "Result",
    "_1",
    "x2",
    "Nullable",
    "Value",
    "models",
    "requests",
    "Client",
    "Request",
];

const NAMESPACES: &[&str] = &["ns0", "ns1", "ns2", "ns0.sub", "Org.OData.Core.V1", "Edm"];
const ALIASES: &[&str] = &["a0", "a1", "a2", "Core"];

const PRIMITIVES: &[&str] = &[
    "String",
    "Int32",
    "Int64",
    "Boolean",
    "Guid",
    "Double",
    "Decimal",
    "DateTimeOffset",
    "Date",
    "Duration",
    "Binary",
    "Stream",
    "Untyped",
    "EntityType",
    "Geography",
    "Nope",
];

const TERMS: &[&str] = &[
    "Core.Description",
    "Org.OData.Core.V1.Description",
    "Org.OData.Core.V1.LongDescription",
    "Org.OData.Core.V1.Computed",
    "Org.OData.Core.V1.Permissions",
    "Org.OData.Capabilities.V1.InsertRestrictions",
    "Org.OData.Capabilities.V1.UpdateRestrictions",
    "Org.OData.Capabilities.V1.NavigationRestrictions",
    "Org.OData.Core.V1.Revisions",
    "Org.OData.Core.V1.Immutable",
];

#[derive(Arbitrary, Debug)]
enum Value {
    Name(u8),
    Qualified(u8, u8),
    Aliased(u8, u8),
    Collection(Box<Value>),
    Edm(u8),
    Term(u8),
    Int(i64),
    Bool(bool),
    Path(Vec<u8>),
    /// Any text, escaped.
    Text(String),
    /// Any text, not escaped: malformed XML on purpose.
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Node {
    element: u8,
    attributes: Vec<(u8, Value)>,
    children: Vec<Node>,
    text: Option<Value>,
}

#[derive(Arbitrary, Debug)]
struct SchemaTree {
    namespace: u8,
    alias: Option<u8>,
    children: Vec<Node>,
}

#[derive(Arbitrary, Debug)]
struct DocTree {
    /// Documents referenced by index (`doc1.xml` ...), with the namespace included.
    references: Vec<(u8, u8, Option<u8>)>,
    /// `edmx:Edmx` wrapper, else a bare `Schema` root.
    edmx: bool,
    version: u8,
    schemas: Vec<SchemaTree>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    docs: Vec<DocTree>,
    area_features: bool,
    /// Any text, given in turn as the `Core.Description` of every element that has docs.
    descriptions: Vec<String>,
}

/// Elements whose `Core.Description` reaches the generated docs.
const DOCUMENTED: &[&str] = &[
    "EntityType",
    "ComplexType",
    "EnumType",
    "Member",
    "TypeDefinition",
    "Property",
    "NavigationProperty",
    "Action",
    "Function",
    "EntitySet",
    "Singleton",
];

/// What rendering needs besides the tree: the descriptions to hand out.
struct Ctx<'a> {
    descriptions: &'a [String],
    next: usize,
}

impl Ctx<'_> {
    fn description(&mut self, name: &str) -> Option<String> {
        if self.descriptions.is_empty() || !DOCUMENTED.contains(&name) {
            return None;
        }
        let text = &self.descriptions[self.next % self.descriptions.len()];
        self.next += 1;
        Some(format!(
            "<Annotation Term=\"Org.OData.Core.V1.Description\" String=\"{}\"/>",
            escape(text)
        ))
    }
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // as references, so that line ends survive attribute normalization and controls,
            // bidi and invisible characters reach the model
            c if c.is_control() || matches!(c as u32, 0x2000..=0x206F | 0xFEFF) => {
                let _ = write!(out, "&#x{:X};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn render_value(v: &Value, out: &mut String, depth: usize) {
    match v {
        Value::Name(i) => out.push_str(pick(NAMES, *i)),
        Value::Qualified(n, i) => {
            let _ = write!(out, "{}.{}", pick(NAMESPACES, *n), pick(NAMES, *i));
        }
        Value::Aliased(a, i) => {
            let _ = write!(out, "{}.{}", pick(ALIASES, *a), pick(NAMES, *i));
        }
        Value::Collection(inner) if depth < 4 => {
            out.push_str("Collection(");
            render_value(inner, out, depth + 1);
            out.push(')');
        }
        Value::Collection(_) => out.push_str("Collection()"),
        Value::Edm(i) => {
            let _ = write!(out, "Edm.{}", pick(PRIMITIVES, *i));
        }
        Value::Term(i) => out.push_str(pick(TERMS, *i)),
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Path(segments) => {
            let parts: Vec<&str> = segments.iter().take(6).map(|s| pick(NAMES, *s)).collect();
            out.push_str(&parts.join("/"));
        }
        Value::Text(s) => out.push_str(&escape(s)),
        Value::Raw(s) => out.push_str(s),
    }
}

fn render_node(node: &Node, out: &mut String, ctx: &mut Ctx<'_>) {
    // an explicit stack: the tree may be deep
    enum Step<'a> {
        Open(&'a Node),
        Close(&'a str),
    }
    let mut stack = vec![Step::Open(node)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Open(n) => {
                let name = pick(ELEMENTS, n.element);
                let _ = write!(out, "<{name}");
                for (a, v) in &n.attributes {
                    let _ = write!(out, " {}=\"", pick(ATTRIBUTES, *a));
                    render_value(v, out, 0);
                    out.push('"');
                }
                let description = ctx.description(name);
                if n.children.is_empty() && n.text.is_none() && description.is_none() {
                    out.push_str("/>");
                    continue;
                }
                out.push('>');
                if let Some(d) = description {
                    out.push_str(&d);
                }
                if let Some(t) = &n.text {
                    render_value(t, out, 0);
                }
                stack.push(Step::Close(name));
                for c in n.children.iter().rev() {
                    stack.push(Step::Open(c));
                }
            }
            Step::Close(name) => {
                let _ = write!(out, "</{name}>");
            }
        }
    }
}

fn render_schema(s: &SchemaTree, out: &mut String, ctx: &mut Ctx<'_>) {
    let _ = write!(
        out,
        "<Schema xmlns=\"{EDM}\" Namespace=\"{}\"",
        pick(NAMESPACES, s.namespace)
    );
    if let Some(a) = s.alias {
        let _ = write!(out, " Alias=\"{}\"", pick(ALIASES, a));
    }
    out.push('>');
    for c in &s.children {
        render_node(c, out, ctx);
    }
    out.push_str("</Schema>\n");
}

fn render(doc: &DocTree, ctx: &mut Ctx<'_>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if !doc.edmx {
        match doc.schemas.first() {
            Some(s) => render_schema(s, &mut out, ctx),
            None => out.push_str(&format!("<Schema xmlns=\"{EDM}\" Namespace=\"ns0\"/>")),
        }
        return out;
    }
    let version = ["4.0", "4.01", "1.0", "3.0", ""][usize::from(doc.version) % 5];
    let _ = writeln!(
        out,
        "<edmx:Edmx Version=\"{version}\" xmlns:edmx=\"{EDMX}\">"
    );
    for (target, ns, alias) in &doc.references {
        let _ = write!(
            out,
            "<edmx:Reference Uri=\"doc{}.xml\"><edmx:Include Namespace=\"{}\"",
            target % 3,
            pick(NAMESPACES, *ns)
        );
        if let Some(a) = alias {
            let _ = write!(out, " Alias=\"{}\"", pick(ALIASES, *a));
        }
        out.push_str("/></edmx:Reference>\n");
    }
    out.push_str("<edmx:DataServices>\n");
    for s in &doc.schemas {
        render_schema(s, &mut out, ctx);
    }
    out.push_str("</edmx:DataServices>\n</edmx:Edmx>\n");
    out
}

/// Characters that must not reach generated text raw.
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c as u32,
            0x061C | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0xFEFF
        )
}

/// `docN.xml` -> the N-th rendered document; the main one is `doc0.xml`.
struct Docs(Vec<String>);

impl SourceLoader for Docs {
    fn load(&mut self, uri: &str, _from: &str) -> Result<LoadedSource, String> {
        let n: usize = uri
            .strip_prefix("doc")
            .and_then(|u| u.strip_suffix(".xml"))
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| "no such document".to_string())?;
        let text = self
            .0
            .get(n)
            .ok_or_else(|| "no such document".to_string())?;
        Ok(LoadedSource {
            name: uri.to_string(),
            bytes: text.clone().into_bytes(),
        })
    }
}

fuzz_target!(|input: Input| {
    if input.docs.is_empty() {
        return;
    }
    let mut ctx = Ctx {
        descriptions: &input.descriptions,
        next: 0,
    };
    let docs: Vec<String> = input
        .docs
        .iter()
        .take(3)
        .map(|d| render(d, &mut ctx))
        .collect();
    let main = docs[0].clone();
    let mut loader = Docs(docs);
    let Ok(model) = load_model("doc0.xml", main.as_bytes(), &mut loader) else {
        return;
    };
    let options = GenerateOptions {
        crate_name: "fuzz-crate".into(),
        api_version: "v1.0".into(),
        all: true,
        metadata_label: "doc0.xml".into(),
        metadata_bytes: main.into_bytes(),
        runtime_path: "../runtime".into(),
        standalone: true,
        area_features: input.area_features,
        ..Default::default()
    };
    match generate(&model, &options) {
        Ok(files) => {
            for (path, text) in &files.files {
                assert!(is_safe_relative_path(path), "unsafe path {path}");
                // metadata text reaches the output escaped: no raw control, bidi or line
                // separator character
                if let Some(c) = text.chars().find(|c| is_hidden(*c)) {
                    panic!("{path} holds a raw U+{:04X}", c as u32);
                }
            }
        }
        Err(errors) => {
            // the only errors `generate` has are internal ones: code that does not parse, an
            // unsafe path. Neither may happen on a model that loaded.
            panic!(
                "generation failed on a loaded model:\n{}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
});
