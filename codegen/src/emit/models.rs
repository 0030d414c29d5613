//! Structs for entity and complex types, aliases for type definitions; one file per namespace.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Pieces;
use super::deprecations;
use super::docs::Doc;
use super::enums;
use super::features;
use super::layout::{Item, Module};
use super::names::Names;
use super::polymorphic;
use crate::model::{Annotations, Model, Primitive, StructuredType, TypeKind, TypeRef, TypeUse};
use crate::select::Selection;

/// Every models module (one per namespace), its items tagged with the areas that compile them.
pub fn emit<'scope>(
    model: &'scope Model,
    selection: &'scope Selection,
    names: &'scope Names,
    boxed: &'scope BTreeSet<(String, String)>,
    pieces: &mut Pieces<'scope>,
) -> Vec<Module> {
    let mut items: BTreeMap<Vec<String>, Vec<Item>> = BTreeMap::new();
    items.entry(Vec::new()).or_default();
    for module in names.modules.values() {
        items.entry(module.clone()).or_default();
    }
    for qname in &selection.types {
        let Some(name) = names.types.get(qname) else {
            continue;
        };
        let areas = selection.type_areas.get(qname);
        let module = items.entry(name.module.clone()).or_default();
        if let Some(t) = model.structured_type(qname) {
            module.push(pieces.item(areas, move || structure(model, selection, names, t, boxed)));
            if let Some(p) = names.polymorphic.get(qname) {
                module.push(pieces.item(selection.value_areas(qname), move || {
                    polymorphic::emit(model, selection, names, t, p, boxed)
                }));
            }
        } else if let Some(e) = model.enum_types.get(qname) {
            module.push(pieces.item(areas, move || enums::emit(e, names)));
        } else if let Some(d) = model.type_definitions.get(qname) {
            module.push(pieces.item(areas, move || {
                let ident = format_ident!("{}", name.ident);
                let ty = primitive(d.underlying_type);
                let doc = item_doc(
                    &d.annotations,
                    &format!("The `{}` type definition.", d.name),
                )
                .tokens();
                let deprecated = deprecations::attribute(&d.annotations);
                quote! { #doc #deprecated pub type #ident = #ty; }
            }));
        }
    }
    let submodules: BTreeSet<&String> = names.modules.values().filter_map(|m| m.first()).collect();
    let namespace_of: BTreeMap<&Vec<String>, &String> =
        names.modules.iter().map(|(ns, m)| (m, ns)).collect();
    items
        .into_iter()
        .map(|(module, body)| {
            let ns = namespace_of
                .get(&module)
                .map_or(String::new(), |n| n.to_string());
            let what = if ns.is_empty() {
                "Models of the service".to_string()
            } else {
                format!("Models of the `{ns}` namespace")
            };
            let doc = format!(" {what}.");
            let (subs, taken) = if module.is_empty() {
                let mods = submodules.iter().map(|m| format_ident!("{}", m));
                (
                    quote! { #( pub mod #mods; )* },
                    submodules.iter().map(|m| m.to_string()).collect(),
                )
            } else {
                (quote! {}, Vec::new())
            };
            let head = vec![pieces.push(quote! {
                #![doc = #doc]
                #subs
            })];
            let file = Names::module_file(&module);
            let dir = file
                .strip_suffix("/mod.rs")
                .or_else(|| file.strip_suffix(".rs"))
                .unwrap_or(&file)
                .to_string();
            Module {
                dir,
                file,
                head,
                taken,
                what,
                glob_parent: true,
                items: body,
            }
        })
        .collect()
}

pub(super) fn item_doc(annotations: &Annotations, fallback: &str) -> Doc {
    let mut doc = Doc::default();
    match annotations.description() {
        Some(d) if !d.trim().is_empty() => doc = doc.text(d),
        _ => doc = doc.markdown(fallback),
    }
    if let Some(long) = annotations.long_description() {
        doc = doc.text(long);
    }
    if let Some(dep) = annotations.deprecation() {
        let mut note = "**Deprecated**".to_string();
        if let Some(date) = &dep.date {
            note.push_str(&format!(" since {}", super::escape_markdown(date)));
        }
        if let Some(removal) = &dep.removal_date {
            note.push_str(&format!(
                ", to be removed on {}",
                super::escape_markdown(removal)
            ));
        }
        if let Some(text) = &dep.description {
            note.push_str(&format!(": {}", super::escape_markdown(text)));
        }
        doc = doc.markdown(note);
    }
    doc
}

/// Rust type of a primitive.
pub(super) fn primitive(p: Primitive) -> TokenStream {
    use Primitive::*;
    match p {
        Boolean => quote! { bool },
        Byte => quote! { u8 },
        SByte => quote! { i8 },
        Int16 => quote! { i16 },
        Int32 => quote! { i32 },
        Int64 => quote! { i64 },
        Single => quote! { f32 },
        Double => quote! { odata_runtime::edm::Double },
        Decimal => quote! { odata_runtime::edm::Decimal },
        Guid => quote! { odata_runtime::edm::Guid },
        Date => quote! { odata_runtime::edm::Date },
        DateTimeOffset => quote! { odata_runtime::edm::DateTimeOffset },
        TimeOfDay => quote! { odata_runtime::edm::TimeOfDay },
        Duration => quote! { odata_runtime::edm::Duration },
        Binary => quote! { odata_runtime::edm::Binary },
        String
        | Stream
        | AnnotationPath
        | PropertyPath
        | NavigationPropertyPath
        | AnyPropertyPath
        | ModelElementPath => quote! { String },
        _ => quote! { serde_json::Value },
    }
}

/// Whether a value of this type is one of the `odata_runtime::edm` types (directly or through a
/// type definition), whose OData URL literal is not its JSON form: a function parameter of it
/// goes through `odata_runtime::edm::UrlLiteral`. Collections travel as JSON either way.
pub(super) fn edm_url_literal(model: &Model, t: &TypeUse) -> bool {
    use Primitive::*;
    let p = match &t.ty {
        TypeRef::Primitive(p) => *p,
        TypeRef::Definition(n) => match model.type_definitions.get(n) {
            Some(d) => d.underlying_type,
            None => return false,
        },
        _ => return false,
    };
    !t.collection
        && matches!(
            p,
            Binary | Date | DateTimeOffset | Decimal | Double | Duration | Guid | TimeOfDay
        )
}

/// The Rust type of one value of a type (no collection, no optionality).
pub(super) fn value_type(model: &Model, names: &Names, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Entity(n) | TypeRef::Complex(n) => {
            let _ = model;
            names.value_path(n)
        }
        TypeRef::Enum(n) | TypeRef::Definition(n) => names.type_path(n),
    }
}

/// The Rust type of a parameter or return value (collections become `Vec`).
pub(super) fn use_type(model: &Model, names: &Names, t: &TypeUse) -> TokenStream {
    let v = value_type(model, names, &t.ty);
    if t.collection {
        quote! { Vec<#v> }
    } else {
        v
    }
}

fn structure(
    model: &Model,
    selection: &Selection,
    names: &Names,
    t: &StructuredType,
    boxed: &BTreeSet<(String, String)>,
) -> TokenStream {
    let ident = format_ident!("{}", names.types[&t.name].ident);
    let kind = match t.kind {
        TypeKind::Entity => "entity type",
        TypeKind::Complex => "complex type",
    };
    let mut doc = item_doc(&t.annotations, &format!("The `{}` {kind}.", t.simple_name));
    let mut facts = vec![format!("CSDL: `{}`", t.name)];
    if let Some(b) = &t.base_type {
        facts.push(format!("derives from `{b}`"));
    }
    if t.is_abstract {
        facts.push("abstract".into());
    }
    if t.kind == TypeKind::Entity
        && let Some(key) = model.key(&t.name)
    {
        let k: Vec<&str> = key.iter().map(|k| k.name.as_str()).collect();
        facts.push(format!("key `{}`", k.join(", ")));
    }
    doc = doc.markdown(format!("{}.", facts.join("; ")));

    let fields = fields(model, selection, names, t, boxed);
    let doc = doc.tokens();
    let deprecated = deprecations::attribute(&t.annotations);
    let type_doc = super::docs::literal(&format!(
        " The OData type of the value (`@odata.type`), such as `#{}`; set it on a request body when the service must know the exact type.",
        t.name
    ));
    let decls = fields.iter().map(Field::declaration);
    let entries = fields.iter().map(Field::entry);
    quote! {
        #doc
        #deprecated
        #[derive(Clone, PartialEq, Default)]
        pub struct #ident {
            #[doc = #type_doc]
            pub odata_type: Option<String>,
            #( #decls )*
            /// Properties the metadata does not declare, kept as sent so that a round trip loses nothing.
            pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
        }

        odata_runtime::object!(#ident { #( #entries ),* });
    }
}

/// The declared fields of a structured type's struct, in order: every structural property
/// (inherited first), then the navigation properties whose target is selected.
pub(super) fn fields(
    model: &Model,
    selection: &Selection,
    names: &Names,
    t: &StructuredType,
    boxed: &BTreeSet<(String, String)>,
) -> Vec<Field> {
    let field_names = &names.fields[&t.name];
    let mut fields: Vec<Field> = Vec::new();
    for p in model.all_properties(&t.name) {
        let field = &field_names[&p.name];
        let wire = &p.name;
        let value = value_type(model, names, &p.ty.ty);
        let value = if boxed.contains(&(t.name.clone(), p.name.clone())) {
            quote! { Box<#value> }
        } else {
            value
        };
        let mut pdoc = item_doc(&p.annotations, &format!("The `{}` property.", p.name));
        let mut notes = Vec::new();
        if p.annotations.computed() {
            notes.push("Read-only: computed by the service.".to_string());
        }
        if p.annotations.immutable() {
            notes.push("Immutable: set on create only.".to_string());
        }
        if let Some(d) = &p.default_value {
            notes.push(format!("Default: {}.", super::escape_markdown(d)));
        }
        if !notes.is_empty() {
            pdoc = pdoc.markdown(notes.join(" "));
        }
        let pdoc = pdoc.tokens();
        let deprecated = deprecations::attribute(&p.annotations);
        fields.push(Field {
            ident: format_ident!("{}", field),
            wire: wire.clone(),
            doc: quote! { #pdoc #deprecated },
            ty: value,
            collection: p.ty.collection,
            nullable: p.nullable && !p.ty.collection,
            gate: TokenStream::new(),
            target: None,
        });
    }
    for n in model.all_navigation_properties(&t.name) {
        let Some(field) = field_names.get(&n.name) else {
            continue; // expanded values land in `additional_properties`
        };
        let value = names.value_path(&n.target);
        let value = if !n.collection && boxed.contains(&(t.name.clone(), n.name.clone())) {
            quote! { Box<#value> }
        } else {
            value
        };
        let ndoc = item_doc(
            &n.annotations,
            &format!("The `{}` navigation property.", n.name),
        )
        .markdown("Navigation property: present when the request expands it (`$expand`).");
        let gate = features::crossing_gate(
            selection.type_areas.get(&t.name),
            selection.value_areas(&n.target),
        );
        let ndoc = ndoc.tokens();
        let deprecated = deprecations::attribute(&n.annotations);
        fields.push(Field {
            ident: format_ident!("{}", field),
            wire: n.name.clone(),
            doc: quote! { #ndoc #deprecated },
            ty: value,
            collection: n.collection,
            nullable: false,
            gate,
            target: Some(n.target.clone()),
        });
    }
    fields
}

/// The type of a structural property's field, without the `Box` of a recursive one.
pub(super) fn property_type(
    model: &Model,
    names: &Names,
    p: &crate::model::Property,
) -> TokenStream {
    Field {
        ident: format_ident!("field"),
        wire: String::new(),
        doc: TokenStream::new(),
        ty: value_type(model, names, &p.ty.ty),
        collection: p.ty.collection,
        nullable: p.nullable && !p.ty.collection,
        gate: TokenStream::new(),
        target: None,
    }
    .field_type()
}

/// One declared property of a generated struct.
pub(super) struct Field {
    pub ident: proc_macro2::Ident,
    /// The JSON name.
    pub wire: String,
    doc: TokenStream,
    /// The item type (`Vec` and optionality are added here).
    ty: TokenStream,
    collection: bool,
    nullable: bool,
    /// A feature gate for navigation properties into other areas.
    pub gate: TokenStream,
    /// The target type of a navigation property.
    pub target: Option<String>,
}

impl Field {
    /// The field's type: optional, nullable or a collection of the item type.
    pub(super) fn field_type(&self) -> TokenStream {
        let ty = &self.ty;
        if self.collection {
            quote! { Option<Vec<#ty>> }
        } else if self.nullable {
            quote! { odata_runtime::Nullable<#ty> }
        } else {
            quote! { Option<#ty> }
        }
    }

    fn declaration(&self) -> TokenStream {
        let Field {
            ident, doc, gate, ..
        } = self;
        let ty = self.field_type();
        quote! { #doc #gate pub #ident: #ty, }
    }

    /// The field in the `object!` table: its JSON name, behind its gate.
    fn entry(&self) -> TokenStream {
        let Field {
            ident, wire, gate, ..
        } = self;
        quote! { #gate #ident(#wire) }
    }
}

/// (holder type, property) pairs whose single value must be boxed: the property's type can reach
/// the holder again through single-valued structured properties (strongly connected components).
pub(super) fn recursive_edges(model: &Model, selection: &Selection) -> BTreeSet<(String, String)> {
    let boxed_by_enum = |t: &String| selection.polymorphic.contains_key(t);
    let nodes: Vec<&String> = selection
        .types
        .iter()
        .filter(|t| model.structured_type(t).is_some())
        .collect();
    let index: BTreeMap<&String, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut edges: Vec<Vec<(usize, String)>> = vec![Vec::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        for p in model.all_properties(n) {
            if p.ty.collection {
                continue;
            }
            if let TypeRef::Entity(t) | TypeRef::Complex(t) = &p.ty.ty
                && !boxed_by_enum(t)
                && let Some(&j) = index.get(t)
            {
                edges[i].push((j, p.name.clone()));
            }
        }
        for nav in model.all_navigation_properties(n) {
            if nav.collection {
                continue;
            }
            if boxed_by_enum(&nav.target) || !selection.types.contains(&nav.target) {
                continue;
            }
            if let Some(&j) = index.get(&nav.target) {
                edges[i].push((j, nav.name.clone()));
            }
        }
    }
    let component = strongly_connected(&edges);
    let mut out = BTreeSet::new();
    for (i, list) in edges.iter().enumerate() {
        for (j, prop) in list {
            if component[i] == component[*j] {
                out.insert((nodes[i].clone(), prop.clone()));
            }
        }
    }
    out
}

/// Component id of every node (Kosaraju, iterative).
fn strongly_connected(edges: &[Vec<(usize, String)>]) -> Vec<usize> {
    let n = edges.len();
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((v, i)) = stack.pop() {
            if let Some((w, _)) = edges[v].get(i) {
                stack.push((v, i + 1));
                if !visited[*w] {
                    visited[*w] = true;
                    stack.push((*w, 0));
                }
            } else {
                order.push(v);
            }
        }
    }
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, list) in edges.iter().enumerate() {
        for (w, _) in list {
            reverse[*w].push(v);
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut next = 0;
    for &start in order.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = next;
        let mut stack = vec![start];
        while let Some(v) = stack.pop() {
            for &w in &reverse[v] {
                if component[w] == usize::MAX {
                    component[w] = next;
                    stack.push(w);
                }
            }
        }
        next += 1;
    }
    component
}
