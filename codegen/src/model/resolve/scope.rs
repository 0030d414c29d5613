//! What the declarations say: documents, aliases, and the qualified name and kind of every
//! declared element; names are qualified and looked up here.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::hash_map::Entry;

use super::{Found, join, loc};
use crate::diagnostics::Location;
use crate::model::load::LoadedDocument;
use crate::model::{Loc, Source};
use crate::repeats::{FxMap, FxSet};
use crate::syntax::{self, Counts, OperationKind, Pos};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Entity,
    Complex,
    Enum,
    Definition,
    Term,
    Container,
}

impl Kind {
    pub(super) fn noun(self) -> &'static str {
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

/// What the declarations say: filled by `collect_sources` and `declare`, then only read.
#[derive(Default)]
pub(super) struct Scope {
    /// The names of the documents, by index.
    pub(super) names: Vec<String>,
    /// Per document: (alias, namespace); documents have very few aliases.
    pub(super) aliases: Vec<Vec<(String, String)>>,
    /// Namespaces declared by a loaded schema.
    pub(super) declared_namespaces: FxSet<String>,
    /// Namespace -> (uri, where the reference is) for references that could not be loaded.
    pub(super) unavailable: BTreeMap<String, (String, Loc)>,
    pub(super) kinds: FxMap<String, (Kind, Loc)>,
    /// Qualified names of actions and of functions. Graph gives an action and a function the same
    /// name (`microsoft.graph.delta`), and an operation the name of a type (`microsoft.graph.image`);
    /// they live in separate maps of the model, so both are accepted.
    pub(super) actions: FxSet<String>,
    pub(super) functions: FxSet<String>,
}

/// How many children of a schema declare a name that is not an operation's.
pub(super) fn named_types(s: &syntax::Schema) -> usize {
    s.entity_types.len()
        + s.complex_types.len()
        + s.enum_types.len()
        + s.type_definitions.len()
        + s.terms.len()
        + s.entity_containers.len()
}

/// `str::trim`, without its character walk when both ends are plain ASCII (nearly always).
pub(super) fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&z)) if a > b' ' && a < 0x80 && z > b' ' && z < 0x80 => s,
        _ => s.trim(),
    }
}

pub(super) fn counts(doc: &syntax::Document) -> Counts {
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

impl Scope {
    pub(super) fn collect_sources(&mut self, docs: &[LoadedDocument]) -> Vec<Source> {
        let mut sources = Vec::with_capacity(docs.len());
        for (i, d) in docs.iter().enumerate() {
            self.names.push(d.name.clone());
            sources.push(Source {
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
                    .or_insert((uri.clone(), loc(i, *pos)));
            }
            self.aliases.push(aliases);
        }
        sources
    }

    /// The namespace an alias stands for in document `doc`.
    pub(super) fn alias(&self, doc: usize, prefix: &str) -> Option<&str> {
        self.aliases[doc]
            .iter()
            .find(|(a, _)| a == prefix)
            .map(|(_, ns)| ns.as_str())
    }

    /// Expands an alias-qualified name (`graph.entity`) to its namespace-qualified form; borrows
    /// when no alias applies.
    pub(super) fn qualify<'n>(&self, doc: usize, name: &'n str) -> Cow<'n, str> {
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
    pub(super) fn qualify_owned(&self, doc: usize, name: String) -> String {
        match self.qualify(doc, &name) {
            Cow::Owned(q) => q,
            Cow::Borrowed(b) if b.len() == name.len() => name,
            Cow::Borrowed(b) => b.to_string(),
        }
    }

    pub(super) fn declare(&mut self, docs: &[LoadedDocument], found: &mut Found) {
        let total: usize = docs
            .iter()
            .flat_map(|ld| &ld.doc.schemas)
            .map(named_types)
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
                                self.location(first)
                            );
                            found.error(loc(d, pos), msg);
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

    pub(super) fn location(&self, l: Loc) -> Location {
        Location {
            file: self.names[l.source as usize].clone(),
            pos: l.pos,
        }
    }

    pub(super) fn has_operation(&self, name: &str, kind: OperationKind) -> bool {
        match kind {
            OperationKind::Action => self.actions.contains(name),
            OperationKind::Function => self.functions.contains(name),
        }
    }

    /// Whether the namespace of a qualified name is neither declared by a loaded schema nor
    /// included by a reference (available or not).
    pub(super) fn namespace_unknown(&self, qualified: &str) -> bool {
        qualified.rsplit_once('.').is_none_or(|(ns, _)| {
            !self.declared_namespaces.contains(ns) && !self.unavailable.contains_key(ns)
        })
    }

    pub(super) fn unresolved_message(&self, written: &str, qualified: &str, what: &str) -> String {
        let Some((ns, simple)) = qualified.rsplit_once('.') else {
            return format!(
                "unresolved {what} `{written}`: a {what} name must be qualified by a namespace or alias"
            );
        };
        if let Some((uri, at)) = self.unavailable.get(ns) {
            return format!(
                "unresolved {what} `{written}`: namespace `{ns}` comes from `{uri}` (referenced at {}), which is not available",
                self.location(*at)
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

    /// Whether `name` was declared elsewhere than at `l` (a duplicate, already reported).
    pub(super) fn is_duplicate(&self, name: &str, l: Loc) -> bool {
        self.kinds.get(name).is_some_and(|(_, first)| *first != l)
    }

    /// Expands aliases in the first segment of a target path and in operation parameter lists;
    /// borrows when nothing changes.
    pub(super) fn qualify_target<'t>(&self, d: usize, target: &'t str) -> Cow<'t, str> {
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

    pub(super) fn path_root_exists(&self, target: &str) -> bool {
        let head = target.split('/').next().unwrap_or(target);
        let head = head.split('(').next().unwrap_or(head);
        self.kinds.contains_key(head)
            || self.actions.contains(head)
            || self.functions.contains(head)
    }
}
