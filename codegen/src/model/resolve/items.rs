//! Enum types, type definitions, terms and operations.

use super::{Builder, join, loc};
use crate::model::Primitive;
use crate::model::{EnumMember, EnumType, Operation, Parameter, ReturnType, Term, TypeDefinition};
use crate::repeats::earlier_duplicates;
use crate::syntax::{self, OperationKind};

impl Builder<'_> {
    /// The enum type under its qualified name; `None` for a duplicate (reported by `declare`).
    pub(super) fn enum_type(
        &mut self,
        d: usize,
        ns: &str,
        e: syntax::EnumType,
    ) -> Option<(String, EnumType)> {
        use Primitive::*;
        let name = join(ns, &e.name);
        if self.is_duplicate(&name, loc(d, e.pos)) {
            return None;
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
                self.found.error(loc(d, m.pos), msg);
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
        Some((
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
        ))
    }

    pub(super) fn type_definition(
        &mut self,
        d: usize,
        ns: &str,
        t: syntax::TypeDefinition,
    ) -> Option<(String, TypeDefinition)> {
        let name = join(ns, &t.name);
        if self.is_duplicate(&name, loc(d, t.pos)) {
            return None;
        }
        let underlying_type = self.underlying(d, t.pos, Some(&t.underlying_type), &[]);
        let annotations = self.annotations(d, t.annotations, None);
        Some((
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
        ))
    }

    pub(super) fn term(&mut self, d: usize, ns: &str, t: syntax::Term) -> Option<(String, Term)> {
        let name = join(ns, &t.name);
        if self.is_duplicate(&name, loc(d, t.pos)) {
            return None;
        }
        let ty = self.type_use(d, t.pos, t.type_name, t.nullable.unwrap_or(true), t.facets)?;
        let annotations = self.annotations(d, t.annotations, None);
        let base_term = t.base_term.map(|b| self.qualify_owned(d, b));
        Some((
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
        ))
    }

    pub(super) fn operation(
        &mut self,
        d: usize,
        ns: &str,
        op: syntax::Operation,
    ) -> Option<Operation> {
        if op.is_bound && op.parameters.is_empty() {
            self.found.error(
                loc(d, op.pos),
                format!("bound operation `{}` has no binding parameter", op.name),
            );
            return None;
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
            return None;
        }
        if op.kind == OperationKind::Function && return_type.is_none() {
            self.found.error(
                loc(d, op.pos),
                format!("function `{}` has no `ReturnType`", op.name),
            );
        }
        let annotations = self.annotations(d, op.annotations, None);
        let name = join(ns, &op.name);
        let resolved = Operation {
            kind: op.kind,
            name,
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
        Some(resolved)
    }
}
