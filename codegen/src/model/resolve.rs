//! From syntax trees to the resolved model: names, types, inheritance, containment, annotations.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::hash_map::Entry;

use super::load::{LoadedDocument, STANDARD_VOCABULARIES};
use super::*;
use crate::diagnostics::Diagnostic;
use crate::repeats::{FxMap, FxSet, earlier_duplicates};
use crate::syntax::{self, Counts, OperationKind, Pos};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Entity,
    Complex,
    Enum,
    Definition,
    Term,
    Container,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Entity => "entity type",
            Kind::Complex => "complex type",
            Kind::Enum => "enum type",
            Kind::Definition => "type definition",
            Kind::Term => "term",
            Kind::Container => "entity container",
        }
    }
}

struct Resolver {
    /// The names of the documents, by index.
    names: Vec<String>,
    /// Per document: (alias, namespace); documents have very few aliases.
    aliases: Vec<Vec<(String, String)>>,
    /// Namespaces declared by a loaded schema.
    declared_namespaces: FxSet<String>,
    /// Namespace -> (document, uri, position of the reference) for references that could not be loaded.
    unavailable: BTreeMap<String, (usize, String, Pos)>,
    kinds: FxMap<String, (Kind, Loc)>,
    /// Qualified names of actions and of functions. Graph gives an action and a function the same
    /// name (`microsoft.graph.delta`), and an operation the name of a type (`microsoft.graph.image`);
    /// they live in separate maps of the model, so both are accepted.
    actions: FxSet<String>,
    functions: FxSet<String>,
    /// (document index, position, message)
    errors: Vec<(usize, Pos, String)>,
    warnings: Vec<(usize, Pos, String)>,
    model: Model,
}

/// Resolves the documents into a model. The syntax trees are consumed: their strings and
/// annotation values move into the model instead of being copied.
pub(crate) fn resolve(docs: Vec<LoadedDocument>) -> Result<Model, Vec<Diagnostic>> {
    let mut r = Resolver {
        names: Vec::with_capacity(docs.len()),
        aliases: Vec::new(),
        declared_namespaces: FxSet::default(),
        unavailable: BTreeMap::new(),
        kinds: FxMap::default(),
        actions: FxSet::default(),
        functions: FxSet::default(),
        errors: Vec::new(),
        warnings: Vec::new(),
        model: Model::default(),
    };
    r.collect_sources(&docs);
    r.declare(&docs);
    let blocks = r.build(docs);
    r.check_inheritance();
    r.apply_external_annotations(blocks);
    r.finish()
}

/// `Annotations` blocks with an external target, kept for the end of the build: (document, block).
type Blocks = Vec<(usize, syntax::AnnotationBlock)>;

/// What a type name resolves to, before its `TypeRef` is built.
#[derive(Debug, Clone, Copy)]
enum TypeKindOf {
    Primitive(Primitive),
    Entity,
    Complex,
    Enum,
    Definition,
}

/// [`Model::structured_type`], with the declared kind choosing the map (one search, not two).
fn structured<'m>(
    kinds: &FxMap<String, (Kind, Loc)>,
    m: &'m Model,
    name: &str,
) -> Option<&'m StructuredType> {
    match kinds.get(name) {
        Some((Kind::Entity, _)) => m.entity_types.get(name),
        Some((Kind::Complex, _)) => m.complex_types.get(name),
        _ => None,
    }
}

/// `ns.name` in one allocation.
fn join(ns: &str, name: &str) -> String {
    let mut q = String::with_capacity(ns.len() + 1 + name.len());
    q.push_str(ns);
    q.push('.');
    q.push_str(name);
    q
}

/// `str::trim`, without its character walk when both ends are plain ASCII (nearly always).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&z)) if a > b' ' && a < 0x80 && z > b' ' && z < 0x80 => s,
        _ => s.trim(),
    }
}

/// `Collection(inner)` -> (true, inner), else (false, text); both trimmed.
fn split_collection(text: &str) -> (bool, &str) {
    let text = text.trim();
    match text
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
    {
        Some(inner) => (true, inner.trim()),
        None => (false, text),
    }
}

fn loc(doc: usize, pos: Pos) -> Loc {
    Loc {
        source: doc as u32,
        pos,
    }
}

fn counts(doc: &syntax::Document) -> Counts {
    let mut c = Counts {
        schemas: doc.schemas.len(),
        annotations: doc.annotation_count,
        ..Counts::default()
    };
    for s in &doc.schemas {
        c.entity_types += s.entity_types.len();
        c.complex_types += s.complex_types.len();
        c.enum_types += s.enum_types.len();
        c.type_definitions += s.type_definitions.len();
        c.terms += s.terms.len();
        c.actions += s.actions.len();
        c.functions += s.functions.len();
        for ec in &s.entity_containers {
            c.entity_sets += ec.entity_sets.len();
            c.singletons += ec.singletons.len();
        }
    }
    c
}

impl Resolver {
    fn error(&mut self, doc: usize, pos: Pos, message: String) {
        self.errors.push((doc, pos, message));
    }

    fn warn(&mut self, doc: usize, pos: Pos, message: String) {
        self.warnings.push((doc, pos, message));
    }

    fn collect_sources(&mut self, docs: &[LoadedDocument]) {
        for (i, d) in docs.iter().enumerate() {
            self.names.push(d.name.clone());
            self.model.sources.push(Source {
                name: d.name.clone(),
                counts: counts(&d.doc),
            });
            // alias -> namespace; a later declaration of an alias replaces an earlier one
            let mut aliases: Vec<(String, String)> = Vec::new();
            let mut add = |alias: &str, ns: &str| match aliases.iter_mut().find(|(a, _)| a == alias)
            {
                Some(entry) => entry.1 = ns.to_string(),
                None => aliases.push((alias.to_string(), ns.to_string())),
            };
            for s in &d.doc.schemas {
                self.declared_namespaces.insert(s.namespace.clone());
                if let Some(a) = &s.alias {
                    add(a, &s.namespace);
                }
            }
            for r in &d.doc.references {
                for inc in &r.includes {
                    if let Some(a) = &inc.alias {
                        add(a, &inc.namespace);
                    }
                }
            }
            for (ns, uri, pos) in &d.unavailable {
                self.unavailable
                    .entry(ns.clone())
                    .or_insert((i, uri.clone(), *pos));
            }
            self.aliases.push(aliases);
        }
    }

    /// The namespace an alias stands for in document `doc`.
    fn alias(&self, doc: usize, prefix: &str) -> Option<&str> {
        self.aliases[doc]
            .iter()
            .find(|(a, _)| a == prefix)
            .map(|(_, ns)| ns.as_str())
    }

    /// Expands an alias-qualified name (`graph.entity`) to its namespace-qualified form; borrows
    /// when no alias applies.
    fn qualify<'n>(&self, doc: usize, name: &'n str) -> Cow<'n, str> {
        let name = trim(name);
        // Simple names are short: the last dot is found from the end in a few steps.
        let Some(dot) = name.bytes().rposition(|b| b == b'.') else {
            return Cow::Borrowed(name);
        };
        let (prefix, simple) = (&name[..dot], &name[dot + 1..]);
        match self.alias(doc, prefix) {
            Some(ns) => Cow::Owned(join(ns, simple)),
            None => Cow::Borrowed(name),
        }
    }

    /// [`Self::qualify`] of an owned name: reuses its allocation when nothing changes.
    fn qualify_owned(&self, doc: usize, name: String) -> String {
        match self.qualify(doc, &name) {
            Cow::Owned(q) => q,
            Cow::Borrowed(b) if b.len() == name.len() => name,
            Cow::Borrowed(b) => b.to_string(),
        }
    }

    fn declare(&mut self, docs: &[LoadedDocument]) {
        let total: usize = docs
            .iter()
            .flat_map(|ld| &ld.doc.schemas)
            .map(|s| {
                s.entity_types.len()
                    + s.complex_types.len()
                    + s.enum_types.len()
                    + s.type_definitions.len()
                    + s.terms.len()
                    + s.entity_containers.len()
            })
            .sum();
        self.kinds.reserve(total);
        for (d, ld) in docs.iter().enumerate() {
            for s in &ld.doc.schemas {
                let ns = &s.namespace;
                let mut items: Vec<(&str, Kind, Pos)> = Vec::new();
                items.extend(
                    s.entity_types
                        .iter()
                        .map(|t| (t.name.as_str(), Kind::Entity, t.pos)),
                );
                items.extend(
                    s.complex_types
                        .iter()
                        .map(|t| (t.name.as_str(), Kind::Complex, t.pos)),
                );
                items.extend(
                    s.enum_types
                        .iter()
                        .map(|t| (t.name.as_str(), Kind::Enum, t.pos)),
                );
                items.extend(
                    s.type_definitions
                        .iter()
                        .map(|t| (t.name.as_str(), Kind::Definition, t.pos)),
                );
                items.extend(s.terms.iter().map(|t| (t.name.as_str(), Kind::Term, t.pos)));
                items.extend(
                    s.entity_containers
                        .iter()
                        .map(|t| (t.name.as_str(), Kind::Container, t.pos)),
                );
                // report the later declaration of a duplicate, whatever the kinds
                items.sort_by_key(|i| i.2);
                for (name, kind, pos) in items {
                    let q = join(ns, name);
                    match self.kinds.entry(q) {
                        Entry::Occupied(e) => {
                            let first = e.get().1;
                            let msg = format!(
                                "duplicate name `{name}` in schema `{ns}`: already declared at {}",
                                self.describe(first)
                            );
                            self.error(d, pos, msg);
                        }
                        Entry::Vacant(e) => {
                            e.insert((kind, loc(d, pos)));
                        }
                    }
                }
                for op in s.actions.iter().chain(&s.functions) {
                    let set = match op.kind {
                        OperationKind::Action => &mut self.actions,
                        OperationKind::Function => &mut self.functions,
                    };
                    if !set.contains(&*join(ns, &op.name)) {
                        set.insert(join(ns, &op.name));
                    }
                }
            }
        }
    }

    fn describe(&self, l: Loc) -> String {
        format!("{}:{}", self.names[l.source as usize], l.pos)
    }

    fn has_operation(&self, name: &str, kind: OperationKind) -> bool {
        match kind {
            OperationKind::Action => self.actions.contains(name),
            OperationKind::Function => self.functions.contains(name),
        }
    }

    fn annotations(
        &mut self,
        doc: usize,
        list: Vec<syntax::Annotation>,
        qualifier: Option<&str>,
    ) -> Annotations {
        if list.is_empty() {
            return Annotations::default();
        }
        // `map` + `collect` reuses the list's allocation for the resolved annotations
        let list = list
            .into_iter()
            .map(|a| {
                let term = self.qualify_owned(doc, a.term);
                let term_resolved = self.check_term(doc, a.pos, &term);
                Annotation {
                    term,
                    qualifier: a.qualifier.or_else(|| qualifier.map(str::to_string)),
                    value: a.value,
                    term_resolved,
                    loc: loc(doc, a.pos),
                }
            })
            .collect();
        Annotations(list)
    }

    fn check_term(&mut self, doc: usize, pos: Pos, term: &str) -> bool {
        let Some((ns, _)) = term.rsplit_once('.') else {
            self.warn(
                doc,
                pos,
                format!("annotation term `{term}` is not qualified by a namespace"),
            );
            return false;
        };
        if STANDARD_VOCABULARIES.contains(&ns) {
            return true;
        }
        if self.declared_namespaces.contains(ns) {
            if matches!(self.kinds.get(term), Some((Kind::Term, _))) {
                return true;
            }
            self.warn(
                doc,
                pos,
                format!("annotation term `{term}` is not declared in schema `{ns}`"),
            );
            return false;
        }
        if !self.unavailable.contains_key(ns) {
            self.warn(
                doc,
                pos,
                format!(
                    "annotation term `{term}`: namespace `{ns}` is neither declared nor referenced"
                ),
            );
        }
        false
    }

    /// Resolves a type as written (`Collection(graph.x)`, `Edm.String`). The written text's
    /// buffer becomes the model's type name when no alias applies (no allocation).
    fn type_use(
        &mut self,
        doc: usize,
        pos: Pos,
        text: String,
        nullable: bool,
        facets: syntax::Facets,
    ) -> Option<TypeUse> {
        let (collection, inner) = split_collection(&text);
        let start = inner.as_ptr() as usize - text.as_ptr() as usize;
        let range = start..start + inner.len();
        let (kind, qualified) = self.type_kind(doc, pos, inner)?;
        let name = || match qualified {
            Some(q) => q,
            None => {
                let mut text = text;
                text.truncate(range.end);
                text.drain(..range.start);
                text
            }
        };
        let ty = match kind {
            TypeKindOf::Primitive(p) => TypeRef::Primitive(p),
            TypeKindOf::Entity => TypeRef::Entity(name()),
            TypeKindOf::Complex => TypeRef::Complex(name()),
            TypeKindOf::Enum => TypeRef::Enum(name()),
            TypeKindOf::Definition => TypeRef::Definition(name()),
        };
        Some(TypeUse {
            ty,
            collection,
            nullable,
            facets,
        })
    }

    /// What a written type name names, and its qualified form when that differs from `name`.
    fn type_kind(
        &mut self,
        doc: usize,
        pos: Pos,
        name: &str,
    ) -> Option<(TypeKindOf, Option<String>)> {
        if let Some(p) = name.strip_prefix("Edm.") {
            return match Primitive::from_edm_name(p) {
                Some(p) => Some((TypeKindOf::Primitive(p), None)),
                None => {
                    self.error(
                        doc,
                        pos,
                        format!("unresolved type `{name}`: `Edm` has no type named `{p}`"),
                    );
                    None
                }
            };
        }
        let q = self.qualify(doc, name);
        let kind = match self.kinds.get(&*q) {
            Some((Kind::Entity, _)) => TypeKindOf::Entity,
            Some((Kind::Complex, _)) => TypeKindOf::Complex,
            Some((Kind::Enum, _)) => TypeKindOf::Enum,
            Some((Kind::Definition, _)) => TypeKindOf::Definition,
            Some((kind, _)) => {
                let msg = format!("`{name}` names a {}, not a type", kind.noun());
                self.error(doc, pos, msg);
                return None;
            }
            None => {
                // Standard vocabularies are not loaded (only their terms are known), so a type of
                // theirs (`Core.Tag`, used by the other vocabularies) cannot be looked at.
                if let Some((ns, _)) = q.rsplit_once('.')
                    && STANDARD_VOCABULARIES.contains(&ns)
                    && !self.declared_namespaces.contains(ns)
                {
                    self.warn(
                        doc,
                        pos,
                        format!(
                            "type `{name}` of the standard vocabulary `{ns}` is not loaded; it is taken as `Edm.Untyped`"
                        ),
                    );
                    return Some((TypeKindOf::Primitive(Primitive::Untyped), None));
                }
                let msg = self.unresolved_message(name, &q, "type");
                self.error(doc, pos, msg);
                return None;
            }
        };
        let qualified = match q {
            Cow::Borrowed(b) if b.len() == name.len() => None,
            q => Some(q.into_owned()),
        };
        Some((kind, qualified))
    }

    /// Whether the namespace of a qualified name is neither declared by a loaded schema nor
    /// included by a reference (available or not).
    fn namespace_unknown(&self, qualified: &str) -> bool {
        qualified.rsplit_once('.').is_none_or(|(ns, _)| {
            !self.declared_namespaces.contains(ns) && !self.unavailable.contains_key(ns)
        })
    }

    fn unresolved_message(&self, written: &str, qualified: &str, what: &str) -> String {
        let Some((ns, simple)) = qualified.rsplit_once('.') else {
            return format!(
                "unresolved {what} `{written}`: a {what} name must be qualified by a namespace or alias"
            );
        };
        if let Some((d, uri, pos)) = self.unavailable.get(ns) {
            return format!(
                "unresolved {what} `{written}`: namespace `{ns}` comes from `{uri}` (referenced at {}:{pos}), which is not available",
                self.names[*d]
            );
        }
        if self.declared_namespaces.contains(ns) {
            format!(
                "unresolved {what} `{written}`: schema `{ns}` declares no {what} named `{simple}`"
            )
        } else {
            format!(
                "unresolved {what} `{written}`: namespace `{ns}` is neither declared nor referenced"
            )
        }
    }

    fn build(&mut self, docs: Vec<LoadedDocument>) -> Blocks {
        let mut blocks = Blocks::new();
        // Structured types as they are built; the model's maps are built from them at once
        // (documents mostly declare types in name order, so that is a linear bulk build).
        let mut built_entity_types: Vec<(String, StructuredType)> = Vec::new();
        let mut built_complex_types: Vec<(String, StructuredType)> = Vec::new();
        for (d, ld) in docs.into_iter().enumerate() {
            for s in ld.doc.schemas {
                let syntax::Schema {
                    namespace: ns,
                    alias,
                    entity_types,
                    complex_types,
                    enum_types,
                    type_definitions,
                    terms,
                    actions,
                    functions,
                    entity_containers,
                    annotations,
                    annotation_blocks,
                    pos,
                } = s;
                let annotations = self.annotations(d, annotations, None);
                if !self.model.schemas.contains_key(&ns) {
                    self.model.schemas.insert(
                        ns.clone(),
                        SchemaInfo {
                            namespace: ns.clone(),
                            alias,
                            annotations,
                            loc: loc(d, pos),
                        },
                    );
                }
                for t in entity_types {
                    built_entity_types.extend(self.structured(d, &ns, t, TypeKind::Entity));
                }
                for t in complex_types {
                    built_complex_types.extend(self.structured(d, &ns, t, TypeKind::Complex));
                }
                for e in enum_types {
                    self.enum_type(d, &ns, e);
                }
                for t in type_definitions {
                    self.type_definition(d, &ns, t);
                }
                for t in terms {
                    self.term(d, &ns, t);
                }
                for op in actions.into_iter().chain(functions) {
                    self.operation(d, &ns, op);
                }
                for c in entity_containers {
                    self.container(d, &ns, c);
                }
                blocks.extend(annotation_blocks.into_iter().map(|b| (d, b)));
            }
        }
        // Duplicates were skipped above, so every name comes once: an in-place sort (which moves
        // the large values less than `collect`'s stable sort would), then a linear bulk build.
        for (mut list, map) in [
            (built_entity_types, &mut self.model.entity_types),
            (built_complex_types, &mut self.model.complex_types),
        ] {
            list.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            *map = list.into_iter().collect();
        }
        let mut derived: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for t in self
            .model
            .entity_types
            .values()
            .chain(self.model.complex_types.values())
        {
            if let Some(b) = &t.base_type {
                derived.entry(b).or_default().push(t.name.clone());
            }
        }
        let derived: Vec<(String, Vec<String>)> = derived
            .into_iter()
            .map(|(b, list)| (b.to_string(), list))
            .collect();
        for (base, list) in derived {
            if let Some(t) = self
                .model
                .entity_types
                .get_mut(&base)
                .or(self.model.complex_types.get_mut(&base))
            {
                t.derived_types = list;
            }
        }
        blocks
    }

    /// Whether `name` was declared elsewhere than at `l` (a duplicate, already reported).
    fn is_duplicate(&self, name: &str, l: Loc) -> bool {
        self.kinds.get(name).is_some_and(|(_, first)| *first != l)
    }

    /// The type under its qualified name; `None` for a duplicate (reported by `declare`).
    fn structured(
        &mut self,
        d: usize,
        ns: &str,
        t: syntax::StructuredType,
        kind: TypeKind,
    ) -> Option<(String, StructuredType)> {
        let name = join(ns, &t.name);
        if self.is_duplicate(&name, loc(d, t.pos)) {
            return None;
        }
        let base_type = t.base_type.as_ref().and_then(|b| {
            let q = self.qualify(d, b);
            let expected = if kind == TypeKind::Entity {
                Kind::Entity
            } else {
                Kind::Complex
            };
            match self.kinds.get(&*q) {
                Some((k, _)) if *k == expected => Some(q.into_owned()),
                Some((k, _)) => {
                    let msg = format!(
                        "base type `{b}` of `{}` is a {}, but a {} can only derive from a {}",
                        t.name,
                        k.noun(),
                        expected.noun(),
                        expected.noun()
                    );
                    self.error(d, t.pos, msg);
                    None
                }
                None => {
                    let msg = self.unresolved_message(b, &q, "base type");
                    // A base type from a platform namespace nothing declares (`System.Object` in
                    // documents exported from .NET) says nothing about the model: read the type
                    // without it.
                    if self.namespace_unknown(&q) {
                        self.warn(
                            d,
                            t.pos,
                            format!("{msg}; `{}` is read without a base type", t.name),
                        );
                    } else {
                        self.error(d, t.pos, msg);
                    }
                    None
                }
            }
        });
        let mut properties = Vec::with_capacity(t.properties.len());
        for p in t.properties {
            let nullable = p.nullable.unwrap_or(true);
            let Some(ty) = self.type_use(d, p.pos, p.type_name, nullable, p.facets) else {
                continue;
            };
            let annotations = self.annotations(d, p.annotations, None);
            properties.push(Property {
                name: p.name,
                ty,
                nullable,
                default_value: p.default_value,
                annotations,
                loc: loc(d, p.pos),
            });
        }
        let mut navigation_properties = Vec::with_capacity(t.navigation_properties.len());
        for n in t.navigation_properties {
            let (collection, inner) = split_collection(&n.type_name);
            let q = self.qualify(d, inner);
            match self.kinds.get(&*q) {
                Some((Kind::Entity, _)) => {}
                // any entity (the Core vocabulary's `Link/Value`)
                None if inner == "Edm.EntityType" => {}
                Some((k, _)) => {
                    let msg = format!(
                        "navigation property `{}` has type `{inner}`, which is a {}, not an entity type",
                        n.name,
                        k.noun()
                    );
                    self.error(d, n.pos, msg);
                    continue;
                }
                None if inner.starts_with("Edm.") => {
                    let msg = format!(
                        "navigation property `{}` has type `{inner}`, which is a primitive type, not an entity type",
                        n.name
                    );
                    self.error(d, n.pos, msg);
                    continue;
                }
                None => {
                    let msg = self.unresolved_message(inner, &q, "type");
                    self.error(d, n.pos, msg);
                    continue;
                }
            }
            let target = q.into_owned();
            let annotations = self.annotations(d, n.annotations, None);
            navigation_properties.push(NavigationProperty {
                name: n.name,
                target,
                collection,
                nullable: n.nullable.unwrap_or(!collection),
                partner: n.partner,
                contains_target: n.contains_target,
                referential_constraints: n
                    .referential_constraints
                    .into_iter()
                    .map(|c| (c.property, c.referenced_property))
                    .collect(),
                on_delete: n.on_delete.map(|o| o.action),
                annotations,
                loc: loc(d, n.pos),
            });
        }
        let annotations = self.annotations(d, t.annotations, None);
        let st = StructuredType {
            name: name.clone(),
            namespace: ns.to_string(),
            simple_name: t.name,
            kind,
            base_type,
            is_abstract: t.is_abstract,
            open_type: t.open_type,
            has_stream: t.has_stream,
            key: t.key.map(|k| {
                k.property_refs
                    .into_iter()
                    .map(|r| PropertyRef {
                        name: r.name,
                        alias: r.alias,
                    })
                    .collect()
            }),
            properties,
            navigation_properties,
            derived_types: Vec::new(),
            annotations,
            loc: loc(d, t.pos),
        };
        Some((name, st))
    }

    fn underlying(
        &mut self,
        d: usize,
        pos: Pos,
        text: Option<&str>,
        allowed: &[Primitive],
    ) -> Primitive {
        let Some(text) = text else {
            return Primitive::Int32;
        };
        match text.strip_prefix("Edm.").and_then(Primitive::from_edm_name) {
            Some(p) if allowed.is_empty() || allowed.contains(&p) => p,
            _ => {
                let msg = if allowed.is_empty() {
                    format!("underlying type `{text}` is not a primitive type")
                } else {
                    format!(
                        "underlying type `{text}` is not allowed here: expected one of Edm.Byte, Edm.SByte, Edm.Int16, Edm.Int32, Edm.Int64"
                    )
                };
                self.error(d, pos, msg);
                Primitive::Int32
            }
        }
    }

    fn enum_type(&mut self, d: usize, ns: &str, e: syntax::EnumType) {
        use Primitive::*;
        let name = join(ns, &e.name);
        if self.is_duplicate(&name, loc(d, e.pos)) {
            return;
        }
        let underlying_type = self.underlying(
            d,
            e.pos,
            e.underlying_type.as_deref(),
            &[Byte, SByte, Int16, Int32, Int64],
        );
        let duplicates = earlier_duplicates(e.members.iter().map(|m| (m.name.as_str(), m.pos)));
        let mut duplicates = duplicates.into_iter().peekable();
        let mut members: Vec<EnumMember> = Vec::with_capacity(e.members.len());
        for (i, m) in e.members.into_iter().enumerate() {
            if let Some((_, first)) = duplicates.next_if(|(k, _)| *k == i) {
                let msg = format!(
                    "duplicate member `{}` in enum type `{}`: already declared at {first}",
                    m.name, e.name
                );
                self.error(d, m.pos, msg);
                continue;
            }
            let annotations = self.annotations(d, m.annotations, None);
            members.push(EnumMember {
                name: m.name,
                value: m.value.unwrap_or(i as i64),
                annotations,
                loc: loc(d, m.pos),
            });
        }
        let annotations = self.annotations(d, e.annotations, None);
        self.model.enum_types.insert(
            name.clone(),
            EnumType {
                name,
                namespace: ns.to_string(),
                simple_name: e.name,
                underlying_type,
                is_flags: e.is_flags,
                members,
                annotations,
                loc: loc(d, e.pos),
            },
        );
    }

    fn type_definition(&mut self, d: usize, ns: &str, t: syntax::TypeDefinition) {
        let name = join(ns, &t.name);
        if self.is_duplicate(&name, loc(d, t.pos)) {
            return;
        }
        let underlying_type = self.underlying(d, t.pos, Some(&t.underlying_type), &[]);
        let annotations = self.annotations(d, t.annotations, None);
        self.model.type_definitions.insert(
            name.clone(),
            TypeDefinition {
                name,
                namespace: ns.to_string(),
                simple_name: t.name,
                underlying_type,
                facets: t.facets,
                annotations,
                loc: loc(d, t.pos),
            },
        );
    }

    fn term(&mut self, d: usize, ns: &str, t: syntax::Term) {
        let name = join(ns, &t.name);
        if self.is_duplicate(&name, loc(d, t.pos)) {
            return;
        }
        let Some(ty) = self.type_use(d, t.pos, t.type_name, t.nullable.unwrap_or(true), t.facets)
        else {
            return;
        };
        let annotations = self.annotations(d, t.annotations, None);
        let base_term = t.base_term.map(|b| self.qualify_owned(d, b));
        self.model.terms.insert(
            name.clone(),
            Term {
                name,
                namespace: ns.to_string(),
                simple_name: t.name,
                ty,
                base_term,
                default_value: t.default_value,
                applies_to: t.applies_to,
                annotations,
                loc: loc(d, t.pos),
            },
        );
    }

    fn operation(&mut self, d: usize, ns: &str, op: syntax::Operation) {
        if op.is_bound && op.parameters.is_empty() {
            self.error(
                d,
                op.pos,
                format!("bound operation `{}` has no binding parameter", op.name),
            );
            return;
        }
        let mut parameters = Vec::with_capacity(op.parameters.len());
        let mut ok = true;
        for p in op.parameters {
            let nullable = p.nullable.unwrap_or(true);
            match self.type_use(d, p.pos, p.type_name, nullable, p.facets) {
                Some(ty) => {
                    let annotations = self.annotations(d, p.annotations, None);
                    parameters.push(Parameter {
                        name: p.name,
                        ty,
                        nullable,
                        annotations,
                        loc: loc(d, p.pos),
                    });
                }
                None => ok = false,
            }
        }
        let return_type = match op.return_type {
            Some(r) => {
                let nullable = r.nullable.unwrap_or(true);
                match self.type_use(d, r.pos, r.type_name, nullable, r.facets) {
                    Some(ty) => {
                        let annotations = self.annotations(d, r.annotations, None);
                        Some(ReturnType {
                            ty,
                            nullable,
                            annotations,
                        })
                    }
                    None => {
                        ok = false;
                        None
                    }
                }
            }
            None => None,
        };
        if !ok {
            return;
        }
        if op.kind == OperationKind::Function && return_type.is_none() {
            self.error(
                d,
                op.pos,
                format!("function `{}` has no `ReturnType`", op.name),
            );
        }
        let annotations = self.annotations(d, op.annotations, None);
        let name = join(ns, &op.name);
        let map = match op.kind {
            OperationKind::Action => &mut self.model.actions,
            OperationKind::Function => &mut self.model.functions,
        };
        let resolved = Operation {
            kind: op.kind,
            name: name.clone(),
            namespace: ns.to_string(),
            simple_name: op.name,
            is_bound: op.is_bound,
            is_composable: op.is_composable,
            entity_set_path: op.entity_set_path,
            parameters,
            return_type,
            annotations,
            loc: loc(d, op.pos),
        };
        match map.get_mut(&name) {
            Some(list) => list.push(resolved),
            None => {
                map.insert(name, vec![resolved]);
            }
        }
    }

    fn entity_type_of(&mut self, d: usize, pos: Pos, written: &str, what: &str) -> Option<String> {
        let q = self.qualify(d, written);
        match self.kinds.get(&*q) {
            Some((Kind::Entity, _)) => Some(q.into_owned()),
            Some((k, _)) => {
                let msg = format!(
                    "{what} has type `{written}`, which is a {}, not an entity type",
                    k.noun()
                );
                self.error(d, pos, msg);
                None
            }
            None => {
                let msg = self.unresolved_message(written, &q, "type");
                self.error(d, pos, msg);
                None
            }
        }
    }

    fn container(&mut self, d: usize, ns: &str, c: syntax::EntityContainer) {
        let name = join(ns, &c.name);
        if self.is_duplicate(&name, loc(d, c.pos)) {
            return;
        }
        let mut names: BTreeMap<&str, Pos> = BTreeMap::new();
        let mut children: Vec<(&str, Pos)> = Vec::new();
        children.extend(c.entity_sets.iter().map(|x| (x.name.as_str(), x.pos)));
        children.extend(c.singletons.iter().map(|x| (x.name.as_str(), x.pos)));
        children.extend(c.action_imports.iter().map(|x| (x.name.as_str(), x.pos)));
        children.extend(c.function_imports.iter().map(|x| (x.name.as_str(), x.pos)));
        for (n, pos) in children {
            match names.entry(n) {
                std::collections::btree_map::Entry::Occupied(first) => {
                    let first = *first.get();
                    self.error(d, pos, format!("duplicate name `{n}` in entity container `{}`: already declared at {first}", c.name));
                }
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(pos);
                }
            }
        }
        let mut out = EntityContainer {
            name: name.clone(),
            namespace: ns.to_string(),
            simple_name: c.name.clone(),
            extends: c.extends.map(|e| self.qualify_owned(d, e)),
            entity_sets: BTreeMap::new(),
            singletons: BTreeMap::new(),
            action_imports: BTreeMap::new(),
            function_imports: BTreeMap::new(),
            annotations: Annotations::default(),
            loc: loc(d, c.pos),
        };
        for es in c.entity_sets {
            let what = format!("entity set `{}`", es.name);
            let Some(entity_type) = self.entity_type_of(d, es.pos, &es.entity_type, &what) else {
                continue;
            };
            let annotations = self.annotations(d, es.annotations, None);
            if out.entity_sets.contains_key(&es.name) {
                continue;
            }
            out.entity_sets.insert(
                es.name.clone(),
                EntitySet {
                    name: es.name,
                    entity_type,
                    include_in_service_document: es.include_in_service_document.unwrap_or(true),
                    bindings: es
                        .navigation_property_bindings
                        .into_iter()
                        .map(|b| (b.path, b.target))
                        .collect(),
                    annotations,
                    loc: loc(d, es.pos),
                },
            );
        }
        for s in c.singletons {
            let what = format!("singleton `{}`", s.name);
            let Some(entity_type) = self.entity_type_of(d, s.pos, &s.type_name, &what) else {
                continue;
            };
            let annotations = self.annotations(d, s.annotations, None);
            if out.singletons.contains_key(&s.name) {
                continue;
            }
            out.singletons.insert(
                s.name.clone(),
                Singleton {
                    name: s.name,
                    entity_type,
                    nullable: s.nullable.unwrap_or(false),
                    bindings: s
                        .navigation_property_bindings
                        .into_iter()
                        .map(|b| (b.path, b.target))
                        .collect(),
                    annotations,
                    loc: loc(d, s.pos),
                },
            );
        }
        let imports = c
            .action_imports
            .into_iter()
            .map(|a| {
                (
                    OperationKind::Action,
                    a.name,
                    a.action,
                    a.entity_set,
                    a.annotations,
                    a.pos,
                )
            })
            .chain(c.function_imports.into_iter().map(|f| {
                (
                    OperationKind::Function,
                    f.name,
                    f.function,
                    f.entity_set,
                    f.annotations,
                    f.pos,
                )
            }));
        for (kind, name, target, entity_set, annotations, pos) in imports {
            let q = self.qualify(d, &target);
            if !self.has_operation(&q, kind) {
                let what = if kind == OperationKind::Action {
                    "action"
                } else {
                    "function"
                };
                let msg = self.unresolved_message(&target, &q, what);
                if self.namespace_unknown(&q) {
                    self.warn(d, pos, format!("{msg}; the import `{name}` is left out"));
                } else {
                    self.error(d, pos, msg);
                }
                continue;
            }
            let operation = q.into_owned();
            let annotations = self.annotations(d, annotations, None);
            let map = match kind {
                OperationKind::Action => &out.action_imports,
                OperationKind::Function => &out.function_imports,
            };
            if map.contains_key(&name) {
                continue;
            }
            let import = OperationImport {
                name: name.clone(),
                kind,
                operation,
                entity_set,
                annotations,
                loc: loc(d, pos),
            };
            let map = match kind {
                OperationKind::Action => &mut out.action_imports,
                OperationKind::Function => &mut out.function_imports,
            };
            map.insert(name, import);
        }
        out.annotations = self.annotations(d, c.annotations, None);
        self.model.containers.insert(name, out);
    }

    fn check_inheritance(&mut self) {
        let mut found: Vec<(Loc, String)> = Vec::new();
        let in_cycle: Vec<String> = {
            let m = &self.model;
            let mut in_cycle: FxSet<&str> = FxSet::default();
            // types whose whole chain is known to end without a cycle: walks stop there, so the
            // check is linear in the number of types however long the chains
            let mut acyclic: FxSet<&str> = FxSet::default();
            acyclic.reserve(m.entity_types.len() + m.complex_types.len());
            let mut path: Vec<&str> = Vec::new();
            let mut on_path: FxMap<&str, usize> = FxMap::default();
            for t in m.entity_types.values().chain(m.complex_types.values()) {
                let start = t.name.as_str();
                let Some(first_base) = t.base_type.as_deref() else {
                    // A type without a base ends its own chain: nothing walks past it.
                    continue;
                };
                if acyclic.contains(first_base) {
                    acyclic.insert(start);
                    continue;
                }
                if in_cycle.contains(start) || acyclic.contains(start) {
                    continue;
                }
                path.clear();
                on_path.clear();
                path.push(start);
                on_path.insert(start, 0);
                let mut current: &str = start;
                let mut cyclic = false;
                while let Some(base) =
                    structured(&self.kinds, m, current).and_then(|t| t.base_type.as_deref())
                {
                    if acyclic.contains(base) || in_cycle.contains(base) {
                        break;
                    }
                    if let Some(&i) = on_path.get(base) {
                        cyclic = true;
                        let cycle = &path[i..];
                        if cycle.iter().all(|c| !in_cycle.contains(c)) {
                            let first = cycle.iter().min().copied().unwrap_or_default();
                            let mut shown: Vec<&str> = cycle.to_vec();
                            let k = shown.iter().position(|c| *c == first).unwrap_or(0);
                            shown.rotate_left(k);
                            shown.push(first);
                            if let Some(t) = structured(&self.kinds, m, first) {
                                found.push((
                                    t.loc,
                                    format!("base-type cycle: {}", shown.join(" -> ")),
                                ));
                            }
                        }
                        in_cycle.extend(cycle.iter().copied());
                        break;
                    }
                    on_path.insert(base, path.len());
                    path.push(base);
                    current = base;
                }
                if !cyclic {
                    acyclic.extend(path.iter().copied());
                }
            }
            in_cycle.into_iter().map(str::to_string).collect()
        };
        for (l, msg) in found {
            self.error(l.source as usize, l.pos, msg);
        }
        // Types on a cycle have no usable ancestry; cut the loop so later stages terminate.
        for name in &in_cycle {
            if let Some(t) = self
                .model
                .entity_types
                .get_mut(name)
                .or(self.model.complex_types.get_mut(name))
            {
                t.base_type = None;
            }
        }
        let mut keys: Vec<(Loc, bool, String)> = Vec::new();
        for t in self.model.entity_types.values() {
            if t.key.is_none() || t.base_type.is_none() {
                continue;
            }
            let chain = self.model.ancestry(&t.name);
            if let Some(a) = chain.iter().skip(1).find(|a| a.key.is_some()) {
                // Real documents (odata.net's) re-key types below an abstract keyed base; the
                // nearest key wins there. Below a concrete type it is an error.
                let (name, ancestor) = (&t.name, &a.name);
                let msg = if a.is_abstract {
                    format!(
                        "`{name}` redefines the key of its abstract ancestor `{ancestor}`; its own key is used"
                    )
                } else {
                    format!(
                        "key redefined: `{name}` declares a key, but its ancestor `{ancestor}` already has one"
                    )
                };
                keys.push((t.loc, a.is_abstract, msg));
            }
        }
        for (l, warning, msg) in keys {
            if warning {
                self.warn(l.source as usize, l.pos, msg);
            } else {
                self.error(l.source as usize, l.pos, msg);
            }
        }
    }

    fn apply_external_annotations(&mut self, blocks: Blocks) {
        let mut signatures = Signatures::default();
        for (d, block) in blocks {
            let list = self.annotations(d, block.annotations, block.qualifier.as_deref());
            let target = self.qualify_target(d, &block.target);
            if let Err(list) = self.attach(&target, list, &mut signatures) {
                if target.contains('/') && self.path_root_exists(&target) {
                    let entry = self
                        .model
                        .path_annotations
                        .entry(target.into_owned())
                        .or_default();
                    entry.append(list);
                } else {
                    self.warn(
                        d,
                        block.pos,
                        format!(
                            "annotation target `{}` does not name a model element",
                            block.target
                        ),
                    );
                }
            }
        }
    }

    /// Expands aliases in the first segment of a target path and in operation parameter lists;
    /// borrows when nothing changes.
    fn qualify_target<'t>(&self, d: usize, target: &'t str) -> Cow<'t, str> {
        let target = target.trim();
        let (head, rest) = match target.find(['/', '(']) {
            Some(i) => target.split_at(i),
            None => (target, ""),
        };
        let head_q = self.qualify(d, head);
        let Some(params) = rest.strip_prefix('(') else {
            return match head_q {
                Cow::Borrowed(h) if h.len() == head.len() => Cow::Borrowed(target),
                h => {
                    let mut out = h.into_owned();
                    out.push_str(rest);
                    Cow::Owned(out)
                }
            };
        };
        let mut out = head_q.into_owned();
        let mut depth = 1usize;
        let close = params.char_indices().find_map(|(i, c)| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        });
        let (inside, after) = match close {
            Some(i) => (&params[..i], &params[i + 1..]),
            None => (params, ""),
        };
        out.push('(');
        let mut first = true;
        for p in inside.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if !first {
                out.push(',');
            }
            first = false;
            match p
                .strip_prefix("Collection(")
                .and_then(|x| x.strip_suffix(')'))
            {
                Some(inner) => {
                    out.push_str("Collection(");
                    out.push_str(&self.qualify(d, inner));
                    out.push(')');
                }
                None => out.push_str(&self.qualify(d, p)),
            }
        }
        out.push(')');
        out.push_str(after);
        Cow::Owned(out)
    }

    fn path_root_exists(&self, target: &str) -> bool {
        let head = target.split('/').next().unwrap_or(target);
        let head = head.split('(').next().unwrap_or(head);
        self.kinds.contains_key(head)
            || self.actions.contains(head)
            || self.functions.contains(head)
    }

    /// Puts annotations on the element the target names; gives them back when it names none.
    fn attach(
        &mut self,
        target: &str,
        list: Annotations,
        signatures: &mut Signatures,
    ) -> Result<(), Annotations> {
        let (head, member) = match target.split_once('/') {
            Some((h, rest)) => (h, Some(rest)),
            None => (target, None),
        };
        // operations: `ns.op`, `ns.op(sig)`, `ns.op(sig)/param`, `ns.op/$ReturnType`
        let (op_name, signature) = match head.split_once('(') {
            Some((n, _)) => (n, Some(head)),
            None => (head, None),
        };
        // Graph names an operation like a type (`microsoft.graph.image`): without a parameter
        // list, such a target names the type.
        let kind = self.kinds.get(head).map(|(k, _)| *k);
        let names_type = signature.is_none() && kind.is_some();
        let m = &mut self.model;
        let is_operation = !names_type
            && ((self.actions.contains(op_name) && m.actions.contains_key(op_name))
                || (self.functions.contains(op_name) && m.functions.contains_key(op_name)));
        if is_operation {
            // an action and a function may share a name: look at the overloads of both
            let chosen: Option<&[(OperationKind, usize)]> = signature.map(|s| {
                signatures
                    .entry(op_name.to_string())
                    .or_insert_with(|| overloads_by_signature(m, op_name))
                    .get(&strip_ws(s))
                    .map_or(&[][..], Vec::as_slice)
            });
            let overloads = [
                (OperationKind::Action, m.actions.get_mut(op_name)),
                (OperationKind::Function, m.functions.get_mut(op_name)),
            ]
            .into_iter()
            .filter_map(|(kind, list)| Some(kind).zip(list))
            .flat_map(|(kind, list)| {
                list.iter_mut()
                    .enumerate()
                    .map(move |(i, op)| (kind, i, op))
            });
            let mut hit = false;
            for (kind, i, op) in overloads {
                if chosen.is_some_and(|c| !c.contains(&(kind, i))) {
                    continue;
                }
                match member {
                    None => op.annotations.0.extend(list.0.iter().cloned()),
                    Some("$ReturnType") => match &mut op.return_type {
                        Some(r) => r.annotations.0.extend(list.0.iter().cloned()),
                        None => continue,
                    },
                    Some(p) => match op.parameters.iter_mut().find(|x| x.name == p) {
                        Some(x) => x.annotations.0.extend(list.0.iter().cloned()),
                        None => continue,
                    },
                }
                hit = true;
            }
            return if hit { Ok(()) } else { Err(list) };
        }
        // Every element of the model maps below was declared with its kind, so the kind says
        // which map can hold `head`.
        let found = match kind {
            Some(Kind::Entity | Kind::Complex) => {
                let map = if kind == Some(Kind::Entity) {
                    &mut m.entity_types
                } else {
                    &mut m.complex_types
                };
                map.get_mut(head).map(|t| match member {
                    None => Some(&mut t.annotations),
                    Some(p) => {
                        if let Some(x) = t.properties.iter_mut().find(|x| x.name == p) {
                            Some(&mut x.annotations)
                        } else if let Some(x) =
                            t.navigation_properties.iter_mut().find(|x| x.name == p)
                        {
                            Some(&mut x.annotations)
                        } else {
                            None
                        }
                    }
                })
            }
            Some(Kind::Enum) => m.enum_types.get_mut(head).map(|e| match member {
                None => Some(&mut e.annotations),
                Some(n) => e
                    .members
                    .iter_mut()
                    .find(|x| x.name == n)
                    .map(|x| &mut x.annotations),
            }),
            Some(Kind::Container) => m.containers.get_mut(head).map(|c| match member {
                None => Some(&mut c.annotations),
                Some(n) => {
                    if let Some(x) = c.entity_sets.get_mut(n) {
                        Some(&mut x.annotations)
                    } else if let Some(x) = c.singletons.get_mut(n) {
                        Some(&mut x.annotations)
                    } else if let Some(x) = c.action_imports.get_mut(n) {
                        Some(&mut x.annotations)
                    } else if let Some(x) = c.function_imports.get_mut(n) {
                        Some(&mut x.annotations)
                    } else {
                        None
                    }
                }
            }),
            Some(Kind::Definition) if member.is_none() => m
                .type_definitions
                .get_mut(head)
                .map(|t| Some(&mut t.annotations)),
            Some(Kind::Term) if member.is_none() => {
                m.terms.get_mut(head).map(|t| Some(&mut t.annotations))
            }
            _ => None,
        };
        let found = match found {
            Some(found) => found,
            None if member.is_none() => m.schemas.get_mut(head).map(|s| &mut s.annotations),
            None => None,
        };
        match found {
            Some(annotations) => {
                annotations.append(list);
                Ok(())
            }
            None => Err(list),
        }
    }

    fn finish(mut self) -> Result<Model, Vec<Diagnostic>> {
        let to_diag = |names: &[String], list: &mut Vec<(usize, Pos, String)>, error: bool| {
            list.sort_by_key(|a| (a.0, a.1));
            list.drain(..)
                .map(|(d, pos, msg)| {
                    if error {
                        Diagnostic::error(&names[d], pos, msg)
                    } else {
                        Diagnostic::warning(&names[d], pos, msg)
                    }
                })
                .collect::<Vec<_>>()
        };
        if !self.errors.is_empty() {
            let mut all = to_diag(&self.names, &mut self.errors, true);
            all.extend(to_diag(&self.names, &mut self.warnings, false));
            return Err(all);
        }
        self.model.warnings = to_diag(&self.names, &mut self.warnings, false);
        Ok(self.model)
    }
}

/// Per operation name, its overloads by the signatures annotation targets name them with
/// (without white space): `ns.op(T1,T2)` as [`Operation::signature`] gives it and, for actions,
/// with every parameter's type, as Graph writes them. Built once per targeted name, so N targets
/// of N overloads take linear time.
type Signatures = FxMap<String, FxMap<String, Vec<(OperationKind, usize)>>>;

fn overloads_by_signature(model: &Model, name: &str) -> FxMap<String, Vec<(OperationKind, usize)>> {
    let mut out: FxMap<String, Vec<(OperationKind, usize)>> = FxMap::default();
    let lists = [
        (OperationKind::Action, model.actions.get(name)),
        (OperationKind::Function, model.functions.get(name)),
    ];
    for (kind, list) in lists {
        for (i, op) in list.into_iter().flatten().enumerate() {
            let signature = strip_ws(&op.signature());
            if op.kind == OperationKind::Action {
                let params: Vec<String> = op
                    .parameters
                    .iter()
                    .map(|p| super::types::type_use_text(&p.ty))
                    .collect();
                let every = strip_ws(&format!("{}({})", op.name, params.join(",")));
                if every != signature {
                    out.entry(every).or_default().push((kind, i));
                }
            }
            out.entry(signature).or_default().push((kind, i));
        }
    }
    out
}

fn strip_ws(s: &str) -> String {
    // `char::is_whitespace` on ASCII: space, tab, line feed, vertical tab, form feed, return
    if s.is_ascii() && !s.bytes().any(|b| matches!(b, b' ' | b'\t'..=b'\r')) {
        return s.to_string();
    }
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
