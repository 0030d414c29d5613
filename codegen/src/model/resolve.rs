//! From syntax trees to the resolved model: names, types, inheritance, containment, annotations.

use std::collections::{BTreeMap, BTreeSet};

use super::load::{LoadedDocument, STANDARD_VOCABULARIES};
use super::*;
use crate::diagnostics::Diagnostic;
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

struct Resolver<'a> {
    docs: &'a [LoadedDocument],
    /// Per document: alias -> namespace.
    aliases: Vec<BTreeMap<String, String>>,
    /// Namespaces declared by a loaded schema.
    declared_namespaces: BTreeSet<String>,
    /// Namespace -> (document, uri, position of the reference) for references that could not be loaded.
    unavailable: BTreeMap<String, (usize, String, Pos)>,
    kinds: BTreeMap<String, (Kind, Loc)>,
    /// Qualified names of actions and of functions. Graph gives an action and a function the same
    /// name (`microsoft.graph.delta`), and an operation the name of a type (`microsoft.graph.image`);
    /// they live in separate maps of the model, so both are accepted.
    operation_names: BTreeSet<(String, OperationKind)>,
    /// (document index, position, message)
    errors: Vec<(usize, Pos, String)>,
    warnings: Vec<(usize, Pos, String)>,
    model: Model,
}

pub(crate) fn resolve(docs: &[LoadedDocument]) -> Result<Model, Vec<Diagnostic>> {
    let mut r = Resolver {
        docs,
        aliases: Vec::new(),
        declared_namespaces: BTreeSet::new(),
        unavailable: BTreeMap::new(),
        kinds: BTreeMap::new(),
        operation_names: BTreeSet::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        model: Model::default(),
    };
    r.collect_sources();
    r.declare();
    r.build();
    r.check_inheritance();
    r.apply_external_annotations();
    r.finish()
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

impl<'a> Resolver<'a> {
    fn error(&mut self, doc: usize, pos: Pos, message: String) {
        self.errors.push((doc, pos, message));
    }

    fn warn(&mut self, doc: usize, pos: Pos, message: String) {
        self.warnings.push((doc, pos, message));
    }

    fn collect_sources(&mut self) {
        for (i, d) in self.docs.iter().enumerate() {
            self.model.sources.push(Source {
                name: d.name.clone(),
                counts: counts(&d.doc),
            });
            let mut aliases = BTreeMap::new();
            for s in &d.doc.schemas {
                self.declared_namespaces.insert(s.namespace.clone());
                if let Some(a) = &s.alias {
                    aliases.insert(a.clone(), s.namespace.clone());
                }
            }
            for r in &d.doc.references {
                for inc in &r.includes {
                    if let Some(a) = &inc.alias {
                        aliases.insert(a.clone(), inc.namespace.clone());
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

    /// Expands an alias-qualified name (`graph.entity`) to its namespace-qualified form.
    fn qualify(&self, doc: usize, name: &str) -> String {
        let name = name.trim();
        match name.rsplit_once('.') {
            Some((prefix, simple)) => match self.aliases[doc].get(prefix) {
                Some(ns) => format!("{ns}.{simple}"),
                None => name.to_string(),
            },
            None => name.to_string(),
        }
    }

    fn declare(&mut self) {
        let docs = self.docs;
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
                    let q = format!("{ns}.{name}");
                    if let Some((_, first)) = self.kinds.get(&q).copied() {
                        let msg = format!(
                            "duplicate name `{name}` in schema `{ns}`: already declared at {}",
                            self.describe(first)
                        );
                        self.error(d, pos, msg);
                    } else {
                        self.kinds.insert(q, (kind, loc(d, pos)));
                    }
                }
                for op in s.actions.iter().chain(&s.functions) {
                    self.operation_names
                        .insert((format!("{ns}.{}", op.name), op.kind));
                }
            }
        }
    }

    fn describe(&self, l: Loc) -> String {
        format!("{}:{}", self.docs[l.source as usize].name, l.pos)
    }

    fn annotations(
        &mut self,
        doc: usize,
        list: &[syntax::Annotation],
        qualifier: Option<&str>,
    ) -> Annotations {
        let mut out = Annotations::default();
        for a in list {
            let term = self.qualify(doc, &a.term);
            let term_resolved = self.check_term(doc, a.pos, &term);
            out.push(Annotation {
                term,
                qualifier: a
                    .qualifier
                    .clone()
                    .or_else(|| qualifier.map(str::to_string)),
                value: a.value.clone(),
                term_resolved,
                loc: loc(doc, a.pos),
            });
        }
        out
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

    /// Resolves a type as written (`Collection(graph.x)`, `Edm.String`).
    fn type_use(
        &mut self,
        doc: usize,
        pos: Pos,
        text: &str,
        nullable: bool,
        facets: &syntax::Facets,
    ) -> Option<TypeUse> {
        let text = text.trim();
        let (collection, inner) = match text
            .strip_prefix("Collection(")
            .and_then(|t| t.strip_suffix(')'))
        {
            Some(inner) => (true, inner.trim()),
            None => (false, text),
        };
        let ty = self.type_ref(doc, pos, inner)?;
        Some(TypeUse {
            ty,
            collection,
            nullable,
            facets: facets.clone(),
        })
    }

    fn type_ref(&mut self, doc: usize, pos: Pos, name: &str) -> Option<TypeRef> {
        if let Some(p) = name.strip_prefix("Edm.") {
            return match Primitive::from_edm_name(p) {
                Some(p) => Some(TypeRef::Primitive(p)),
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
        match self.kinds.get(&q) {
            Some((Kind::Entity, _)) => Some(TypeRef::Entity(q)),
            Some((Kind::Complex, _)) => Some(TypeRef::Complex(q)),
            Some((Kind::Enum, _)) => Some(TypeRef::Enum(q)),
            Some((Kind::Definition, _)) => Some(TypeRef::Definition(q)),
            Some((kind, _)) => {
                let msg = format!("`{name}` names a {}, not a type", kind.noun());
                self.error(doc, pos, msg);
                None
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
                    return Some(TypeRef::Primitive(Primitive::Untyped));
                }
                let msg = self.unresolved_message(name, &q, "type");
                self.error(doc, pos, msg);
                None
            }
        }
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
                self.docs[*d].name
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

    fn build(&mut self) {
        let docs = self.docs;
        for (d, ld) in docs.iter().enumerate() {
            for s in &ld.doc.schemas {
                let annotations = self.annotations(d, &s.annotations, None);
                self.model
                    .schemas
                    .entry(s.namespace.clone())
                    .or_insert(SchemaInfo {
                        namespace: s.namespace.clone(),
                        alias: s.alias.clone(),
                        annotations,
                        loc: loc(d, s.pos),
                    });
                for t in &s.entity_types {
                    self.structured(d, &s.namespace, t, TypeKind::Entity);
                }
                for t in &s.complex_types {
                    self.structured(d, &s.namespace, t, TypeKind::Complex);
                }
                for e in &s.enum_types {
                    self.enum_type(d, &s.namespace, e);
                }
                for t in &s.type_definitions {
                    self.type_definition(d, &s.namespace, t);
                }
                for t in &s.terms {
                    self.term(d, &s.namespace, t);
                }
                for op in s.actions.iter().chain(&s.functions) {
                    self.operation(d, &s.namespace, op);
                }
                for c in &s.entity_containers {
                    self.container(d, &s.namespace, c);
                }
            }
        }
        let mut derived: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for t in self
            .model
            .entity_types
            .values()
            .chain(self.model.complex_types.values())
        {
            if let Some(b) = &t.base_type {
                derived.entry(b.clone()).or_default().push(t.name.clone());
            }
        }
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
    }

    fn structured(&mut self, d: usize, ns: &str, t: &syntax::StructuredType, kind: TypeKind) {
        let name = format!("{ns}.{}", t.name);
        if self
            .kinds
            .get(&name)
            .is_some_and(|(_, l)| *l != loc(d, t.pos))
        {
            return; // a duplicate, already reported
        }
        let base_type = t.base_type.as_ref().and_then(|b| {
            let q = self.qualify(d, b);
            let expected = if kind == TypeKind::Entity {
                Kind::Entity
            } else {
                Kind::Complex
            };
            match self.kinds.get(&q) {
                Some((k, _)) if *k == expected => Some(q),
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
        for p in &t.properties {
            let nullable = p.nullable.unwrap_or(true);
            let Some(ty) = self.type_use(d, p.pos, &p.type_name, nullable, &p.facets) else {
                continue;
            };
            let annotations = self.annotations(d, &p.annotations, None);
            properties.push(Property {
                name: p.name.clone(),
                ty,
                nullable,
                default_value: p.default_value.clone(),
                annotations,
                loc: loc(d, p.pos),
            });
        }
        let mut navigation_properties = Vec::with_capacity(t.navigation_properties.len());
        for n in &t.navigation_properties {
            let text = n.type_name.trim();
            let (collection, inner) = match text
                .strip_prefix("Collection(")
                .and_then(|t| t.strip_suffix(')'))
            {
                Some(inner) => (true, inner.trim()),
                None => (false, text),
            };
            let q = self.qualify(d, inner);
            match self.kinds.get(&q) {
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
            let annotations = self.annotations(d, &n.annotations, None);
            navigation_properties.push(NavigationProperty {
                name: n.name.clone(),
                target: q,
                collection,
                nullable: n.nullable.unwrap_or(!collection),
                partner: n.partner.clone(),
                contains_target: n.contains_target,
                referential_constraints: n
                    .referential_constraints
                    .iter()
                    .map(|c| (c.property.clone(), c.referenced_property.clone()))
                    .collect(),
                on_delete: n.on_delete.as_ref().map(|o| o.action.clone()),
                annotations,
                loc: loc(d, n.pos),
            });
        }
        let annotations = self.annotations(d, &t.annotations, None);
        let st = StructuredType {
            name: name.clone(),
            namespace: ns.to_string(),
            simple_name: t.name.clone(),
            kind,
            base_type,
            is_abstract: t.is_abstract,
            open_type: t.open_type,
            has_stream: t.has_stream,
            key: t.key.as_ref().map(|k| {
                k.property_refs
                    .iter()
                    .map(|r| PropertyRef {
                        name: r.name.clone(),
                        alias: r.alias.clone(),
                    })
                    .collect()
            }),
            properties,
            navigation_properties,
            derived_types: Vec::new(),
            annotations,
            loc: loc(d, t.pos),
        };
        match kind {
            TypeKind::Entity => self.model.entity_types.insert(name, st),
            TypeKind::Complex => self.model.complex_types.insert(name, st),
        };
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

    fn enum_type(&mut self, d: usize, ns: &str, e: &syntax::EnumType) {
        use Primitive::*;
        let name = format!("{ns}.{}", e.name);
        if self
            .kinds
            .get(&name)
            .is_some_and(|(_, l)| *l != loc(d, e.pos))
        {
            return;
        }
        let underlying_type = self.underlying(
            d,
            e.pos,
            e.underlying_type.as_deref(),
            &[Byte, SByte, Int16, Int32, Int64],
        );
        let mut seen: BTreeMap<&str, Pos> = BTreeMap::new();
        let mut members = Vec::with_capacity(e.members.len());
        for (i, m) in e.members.iter().enumerate() {
            if let Some(first) = seen.insert(&m.name, m.pos) {
                let msg = format!(
                    "duplicate member `{}` in enum type `{}`: already declared at {first}",
                    m.name, e.name
                );
                self.error(d, m.pos, msg);
                continue;
            }
            let annotations = self.annotations(d, &m.annotations, None);
            members.push(EnumMember {
                name: m.name.clone(),
                value: m.value.unwrap_or(i as i64),
                annotations,
                loc: loc(d, m.pos),
            });
        }
        let annotations = self.annotations(d, &e.annotations, None);
        self.model.enum_types.insert(
            name.clone(),
            EnumType {
                name,
                namespace: ns.to_string(),
                simple_name: e.name.clone(),
                underlying_type,
                is_flags: e.is_flags,
                members,
                annotations,
                loc: loc(d, e.pos),
            },
        );
    }

    fn type_definition(&mut self, d: usize, ns: &str, t: &syntax::TypeDefinition) {
        let name = format!("{ns}.{}", t.name);
        if self
            .kinds
            .get(&name)
            .is_some_and(|(_, l)| *l != loc(d, t.pos))
        {
            return;
        }
        let underlying_type = self.underlying(d, t.pos, Some(&t.underlying_type), &[]);
        let annotations = self.annotations(d, &t.annotations, None);
        self.model.type_definitions.insert(
            name.clone(),
            TypeDefinition {
                name,
                namespace: ns.to_string(),
                simple_name: t.name.clone(),
                underlying_type,
                facets: t.facets.clone(),
                annotations,
                loc: loc(d, t.pos),
            },
        );
    }

    fn term(&mut self, d: usize, ns: &str, t: &syntax::Term) {
        let name = format!("{ns}.{}", t.name);
        if self
            .kinds
            .get(&name)
            .is_some_and(|(_, l)| *l != loc(d, t.pos))
        {
            return;
        }
        let Some(ty) = self.type_use(
            d,
            t.pos,
            &t.type_name,
            t.nullable.unwrap_or(true),
            &t.facets,
        ) else {
            return;
        };
        let annotations = self.annotations(d, &t.annotations, None);
        let base_term = t.base_term.as_ref().map(|b| self.qualify(d, b));
        self.model.terms.insert(
            name.clone(),
            Term {
                name,
                namespace: ns.to_string(),
                simple_name: t.name.clone(),
                ty,
                base_term,
                default_value: t.default_value.clone(),
                applies_to: t.applies_to.clone(),
                annotations,
                loc: loc(d, t.pos),
            },
        );
    }

    fn operation(&mut self, d: usize, ns: &str, op: &syntax::Operation) {
        let name = format!("{ns}.{}", op.name);
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
        for p in &op.parameters {
            let nullable = p.nullable.unwrap_or(true);
            match self.type_use(d, p.pos, &p.type_name, nullable, &p.facets) {
                Some(ty) => {
                    let annotations = self.annotations(d, &p.annotations, None);
                    parameters.push(Parameter {
                        name: p.name.clone(),
                        ty,
                        nullable,
                        annotations,
                        loc: loc(d, p.pos),
                    });
                }
                None => ok = false,
            }
        }
        let return_type = match &op.return_type {
            Some(r) => {
                let nullable = r.nullable.unwrap_or(true);
                match self.type_use(d, r.pos, &r.type_name, nullable, &r.facets) {
                    Some(ty) => {
                        let annotations = self.annotations(d, &r.annotations, None);
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
        let annotations = self.annotations(d, &op.annotations, None);
        let resolved = Operation {
            kind: op.kind,
            name: name.clone(),
            namespace: ns.to_string(),
            simple_name: op.name.clone(),
            is_bound: op.is_bound,
            is_composable: op.is_composable,
            entity_set_path: op.entity_set_path.clone(),
            parameters,
            return_type,
            annotations,
            loc: loc(d, op.pos),
        };
        let map = match op.kind {
            OperationKind::Action => &mut self.model.actions,
            OperationKind::Function => &mut self.model.functions,
        };
        map.entry(name).or_default().push(resolved);
    }

    fn entity_type_of(&mut self, d: usize, pos: Pos, written: &str, what: &str) -> Option<String> {
        let q = self.qualify(d, written);
        match self.kinds.get(&q) {
            Some((Kind::Entity, _)) => Some(q),
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

    fn container(&mut self, d: usize, ns: &str, c: &syntax::EntityContainer) {
        let name = format!("{ns}.{}", c.name);
        if self
            .kinds
            .get(&name)
            .is_some_and(|(_, l)| *l != loc(d, c.pos))
        {
            return;
        }
        let mut names: BTreeMap<&str, Pos> = BTreeMap::new();
        let mut children: Vec<(&str, Pos)> = Vec::new();
        children.extend(c.entity_sets.iter().map(|x| (x.name.as_str(), x.pos)));
        children.extend(c.singletons.iter().map(|x| (x.name.as_str(), x.pos)));
        children.extend(c.action_imports.iter().map(|x| (x.name.as_str(), x.pos)));
        children.extend(c.function_imports.iter().map(|x| (x.name.as_str(), x.pos)));
        for (n, pos) in children {
            if let Some(first) = names.insert(n, pos) {
                self.error(d, pos, format!("duplicate name `{n}` in entity container `{}`: already declared at {first}", c.name));
            }
        }
        let mut out = EntityContainer {
            name: name.clone(),
            namespace: ns.to_string(),
            simple_name: c.name.clone(),
            extends: c.extends.as_ref().map(|e| self.qualify(d, e)),
            entity_sets: BTreeMap::new(),
            singletons: BTreeMap::new(),
            action_imports: BTreeMap::new(),
            function_imports: BTreeMap::new(),
            annotations: Annotations::default(),
            loc: loc(d, c.pos),
        };
        for es in &c.entity_sets {
            let what = format!("entity set `{}`", es.name);
            let Some(entity_type) = self.entity_type_of(d, es.pos, &es.entity_type, &what) else {
                continue;
            };
            let annotations = self.annotations(d, &es.annotations, None);
            out.entity_sets.entry(es.name.clone()).or_insert(EntitySet {
                name: es.name.clone(),
                entity_type,
                include_in_service_document: es.include_in_service_document.unwrap_or(true),
                bindings: es
                    .navigation_property_bindings
                    .iter()
                    .map(|b| (b.path.clone(), b.target.clone()))
                    .collect(),
                annotations,
                loc: loc(d, es.pos),
            });
        }
        for s in &c.singletons {
            let what = format!("singleton `{}`", s.name);
            let Some(entity_type) = self.entity_type_of(d, s.pos, &s.type_name, &what) else {
                continue;
            };
            let annotations = self.annotations(d, &s.annotations, None);
            out.singletons.entry(s.name.clone()).or_insert(Singleton {
                name: s.name.clone(),
                entity_type,
                nullable: s.nullable.unwrap_or(false),
                bindings: s
                    .navigation_property_bindings
                    .iter()
                    .map(|b| (b.path.clone(), b.target.clone()))
                    .collect(),
                annotations,
                loc: loc(d, s.pos),
            });
        }
        for (kind, name, target, entity_set, annotations, pos) in c
            .action_imports
            .iter()
            .map(|a| {
                (
                    OperationKind::Action,
                    &a.name,
                    &a.action,
                    &a.entity_set,
                    &a.annotations,
                    a.pos,
                )
            })
            .chain(c.function_imports.iter().map(|f| {
                (
                    OperationKind::Function,
                    &f.name,
                    &f.function,
                    &f.entity_set,
                    &f.annotations,
                    f.pos,
                )
            }))
        {
            let q = self.qualify(d, target);
            if !self.operation_names.contains(&(q.clone(), kind)) {
                let what = if kind == OperationKind::Action {
                    "action"
                } else {
                    "function"
                };
                let msg = self.unresolved_message(target, &q, what);
                if self.namespace_unknown(&q) {
                    self.warn(d, pos, format!("{msg}; the import `{name}` is left out"));
                } else {
                    self.error(d, pos, msg);
                }
                continue;
            }
            let annotations = self.annotations(d, annotations, None);
            let import = OperationImport {
                name: name.clone(),
                kind,
                operation: q,
                entity_set: entity_set.clone(),
                annotations,
                loc: loc(d, pos),
            };
            let map = match kind {
                OperationKind::Action => &mut out.action_imports,
                OperationKind::Function => &mut out.function_imports,
            };
            map.entry(name.clone()).or_insert(import);
        }
        out.annotations = self.annotations(d, &c.annotations, None);
        self.model.containers.insert(name, out);
    }

    fn check_inheritance(&mut self) {
        let mut in_cycle: BTreeSet<String> = BTreeSet::new();
        let names: Vec<String> = self
            .model
            .entity_types
            .keys()
            .chain(self.model.complex_types.keys())
            .cloned()
            .collect();
        for start in &names {
            if in_cycle.contains(start) {
                continue;
            }
            let mut path: Vec<String> = vec![start.clone()];
            let mut current = start.clone();
            while let Some(base) = self
                .model
                .structured_type(&current)
                .and_then(|t| t.base_type.clone())
            {
                if let Some(i) = path.iter().position(|p| *p == base) {
                    let cycle: Vec<String> = path[i..].to_vec();
                    if cycle.iter().all(|c| !in_cycle.contains(c)) {
                        let first = cycle.iter().min().cloned().unwrap_or_default();
                        let mut shown: Vec<String> = cycle.clone();
                        let k = shown.iter().position(|c| *c == first).unwrap_or(0);
                        shown.rotate_left(k);
                        shown.push(first.clone());
                        if let Some(t) = self.model.structured_type(&first) {
                            let l = t.loc;
                            self.error(
                                l.source as usize,
                                l.pos,
                                format!("base-type cycle: {}", shown.join(" -> ")),
                            );
                        }
                    }
                    in_cycle.extend(cycle);
                    break;
                }
                path.push(base.clone());
                current = base;
            }
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
        let entities: Vec<(String, Loc, bool)> = self
            .model
            .entity_types
            .values()
            .map(|t| (t.name.clone(), t.loc, t.key.is_some()))
            .collect();
        for (name, l, has_key) in entities {
            if !has_key {
                continue;
            }
            let chain = self.model.ancestry(&name);
            if let Some(a) = chain.iter().skip(1).find(|a| a.key.is_some()) {
                // Real documents (odata.net's) re-key types below an abstract keyed base; the
                // nearest key wins there. Below a concrete type it is an error.
                let (abstract_base, ancestor) = (a.is_abstract, a.name.clone());
                if abstract_base {
                    let msg = format!(
                        "`{name}` redefines the key of its abstract ancestor `{ancestor}`; its own key is used"
                    );
                    self.warn(l.source as usize, l.pos, msg);
                } else {
                    let msg = format!(
                        "key redefined: `{name}` declares a key, but its ancestor `{ancestor}` already has one"
                    );
                    self.error(l.source as usize, l.pos, msg);
                }
            }
        }
    }

    fn apply_external_annotations(&mut self) {
        let docs = self.docs;
        for (d, ld) in docs.iter().enumerate() {
            for s in &ld.doc.schemas {
                for block in &s.annotation_blocks {
                    let list = self.annotations(d, &block.annotations, block.qualifier.as_deref());
                    let target = self.qualify_target(d, &block.target);
                    if !self.attach(&target, list.clone()) {
                        if target.contains('/') && self.path_root_exists(&target) {
                            let entry = self.model.path_annotations.entry(target).or_default();
                            entry.0.extend(list.0);
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
        }
    }

    /// Expands aliases in the first segment of a target path and in operation parameter lists.
    fn qualify_target(&self, d: usize, target: &str) -> String {
        let target = target.trim();
        let (head, rest) = match target.find(['/', '(']) {
            Some(i) => target.split_at(i),
            None => (target, ""),
        };
        let mut out = self.qualify(d, head);
        let Some(params) = rest.strip_prefix('(') else {
            out.push_str(rest);
            return out;
        };
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
        let qualified: Vec<String> = inside
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                match p
                    .strip_prefix("Collection(")
                    .and_then(|x| x.strip_suffix(')'))
                {
                    Some(inner) => format!("Collection({})", self.qualify(d, inner)),
                    None => self.qualify(d, p),
                }
            })
            .collect();
        out.push('(');
        out.push_str(&qualified.join(","));
        out.push(')');
        out.push_str(after);
        out
    }

    fn path_root_exists(&self, target: &str) -> bool {
        let head = target.split('/').next().unwrap_or(target);
        let head = head.split('(').next().unwrap_or(head);
        self.kinds.contains_key(head)
            || [OperationKind::Action, OperationKind::Function]
                .into_iter()
                .any(|k| self.operation_names.contains(&(head.to_string(), k)))
    }

    /// Puts annotations on the element the target names; false when it names none.
    fn attach(&mut self, target: &str, list: Annotations) -> bool {
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
        let names_type = signature.is_none() && self.kinds.contains_key(op_name);
        let m = &mut self.model;
        if !names_type && (m.actions.contains_key(op_name) || m.functions.contains_key(op_name)) {
            // an action and a function may share a name: look at the overloads of both
            let overloads = [m.actions.get_mut(op_name), m.functions.get_mut(op_name)]
                .into_iter()
                .flatten()
                .flat_map(|list| list.iter_mut());
            let mut hit = false;
            for op in overloads {
                if signature.is_some_and(|s| !signature_matches(op, s)) {
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
            return hit;
        }
        if let Some(t) = m
            .entity_types
            .get_mut(head)
            .or(m.complex_types.get_mut(head))
        {
            match member {
                None => t.annotations.0.extend(list.0),
                Some(p) => {
                    if let Some(x) = t.properties.iter_mut().find(|x| x.name == p) {
                        x.annotations.0.extend(list.0);
                    } else if let Some(x) = t.navigation_properties.iter_mut().find(|x| x.name == p)
                    {
                        x.annotations.0.extend(list.0);
                    } else {
                        return false;
                    }
                }
            }
            return true;
        }
        if let Some(e) = m.enum_types.get_mut(head) {
            match member {
                None => e.annotations.0.extend(list.0),
                Some(n) => match e.members.iter_mut().find(|x| x.name == n) {
                    Some(x) => x.annotations.0.extend(list.0),
                    None => return false,
                },
            }
            return true;
        }
        if let Some(c) = m.containers.get_mut(head) {
            match member {
                None => c.annotations.0.extend(list.0),
                Some(n) => {
                    if let Some(x) = c.entity_sets.get_mut(n) {
                        x.annotations.0.extend(list.0);
                    } else if let Some(x) = c.singletons.get_mut(n) {
                        x.annotations.0.extend(list.0);
                    } else if let Some(x) = c.action_imports.get_mut(n) {
                        x.annotations.0.extend(list.0);
                    } else if let Some(x) = c.function_imports.get_mut(n) {
                        x.annotations.0.extend(list.0);
                    } else {
                        return false;
                    }
                }
            }
            return true;
        }
        if member.is_none() {
            if let Some(t) = m.type_definitions.get_mut(head) {
                t.annotations.0.extend(list.0);
                return true;
            }
            if let Some(t) = m.terms.get_mut(head) {
                t.annotations.0.extend(list.0);
                return true;
            }
            if let Some(s) = m.schemas.get_mut(head) {
                s.annotations.0.extend(list.0);
                return true;
            }
        }
        false
    }

    fn finish(mut self) -> Result<Model, Vec<Diagnostic>> {
        let to_diag =
            |docs: &[LoadedDocument], list: &mut Vec<(usize, Pos, String)>, error: bool| {
                list.sort_by_key(|a| (a.0, a.1));
                list.drain(..)
                    .map(|(d, pos, msg)| {
                        if error {
                            Diagnostic::error(&docs[d].name, pos, msg)
                        } else {
                            Diagnostic::warning(&docs[d].name, pos, msg)
                        }
                    })
                    .collect::<Vec<_>>()
            };
        if !self.errors.is_empty() {
            let mut all = to_diag(self.docs, &mut self.errors, true);
            all.extend(to_diag(self.docs, &mut self.warnings, false));
            return Err(all);
        }
        self.model.warnings = to_diag(self.docs, &mut self.warnings, false);
        Ok(self.model)
    }
}

/// Whether a target's `ns.op(T1,T2)` names this overload: by its signature (for actions, the binding
/// parameter's type only) or, for actions, by every parameter's type, as Graph writes them.
fn signature_matches(op: &Operation, target: &str) -> bool {
    let target = strip_ws(target);
    if target == strip_ws(&op.signature()) {
        return true;
    }
    let all: Vec<String> = op
        .parameters
        .iter()
        .map(|p| super::types::type_use_text(&p.ty))
        .collect();
    op.kind == OperationKind::Action && target == format!("{}({})", op.name, all.join(","))
}

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
