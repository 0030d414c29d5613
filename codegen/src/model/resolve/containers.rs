//! Entity containers: entity sets, singletons and operation imports.

use std::collections::BTreeMap;

use super::scope::Kind;
use super::{Builder, join, loc};
use crate::model::{Annotations, EntityContainer, EntitySet, OperationImport, Singleton};
use crate::syntax::{self, OperationKind, Pos};

impl Builder<'_> {
    pub(super) fn entity_type_of(
        &mut self,
        d: usize,
        pos: Pos,
        written: &str,
        what: &str,
    ) -> Option<String> {
        let q = self.qualify(d, written);
        match self.kinds.get(&*q) {
            Some((Kind::Entity, _)) => Some(q.into_owned()),
            Some((k, _)) => {
                let msg = format!(
                    "{what} has type `{written}`, which is a {}, not an entity type",
                    k.noun()
                );
                self.found.error(loc(d, pos), msg);
                None
            }
            None => {
                let msg = self.unresolved_message(written, &q, "type");
                self.found.error(loc(d, pos), msg);
                None
            }
        }
    }

    pub(super) fn container(
        &mut self,
        d: usize,
        ns: &str,
        c: syntax::EntityContainer,
    ) -> Option<(String, EntityContainer)> {
        let name = join(ns, &c.name);
        if self.is_duplicate(&name, loc(d, c.pos)) {
            return None;
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
                    self.found.error(loc(d, pos), format!("duplicate name `{n}` in entity container `{}`: already declared at {first}", c.name));
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
                    self.found.warn(
                        loc(d, pos),
                        format!("{msg}; the import `{name}` is left out"),
                    );
                } else {
                    self.found.error(loc(d, pos), msg);
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
        Some((name, out))
    }
}
