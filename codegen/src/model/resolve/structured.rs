//! Entity and complex types: base type, properties, navigation properties, key.

use super::scope::Kind;
use super::type_refs::split_collection;
use super::{Builder, join, loc};
use crate::model::{NavigationProperty, Property, PropertyRef, StructuredType, TypeKind};
use crate::syntax;

impl Builder<'_> {
    /// The type under its qualified name; `None` for a duplicate (reported by `declare`).
    pub(super) fn structured(
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
                    self.found.error(loc(d, t.pos), msg);
                    None
                }
                None => {
                    let msg = self.unresolved_message(b, &q, "base type");
                    // A base type from a platform namespace nothing declares (`System.Object` in
                    // documents exported from .NET) says nothing about the model: read the type
                    // without it.
                    if self.namespace_unknown(&q) {
                        self.found.warn(
                            loc(d, t.pos),
                            format!("{msg}; `{}` is read without a base type", t.name),
                        );
                    } else {
                        self.found.error(loc(d, t.pos), msg);
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
                    self.found.error(loc(d, n.pos), msg);
                    continue;
                }
                None if inner.starts_with("Edm.") => {
                    let msg = format!(
                        "navigation property `{}` has type `{inner}`, which is a primitive type, not an entity type",
                        n.name
                    );
                    self.found.error(loc(d, n.pos), msg);
                    continue;
                }
                None => {
                    let msg = self.unresolved_message(inner, &q, "type");
                    self.found.error(loc(d, n.pos), msg);
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
}
