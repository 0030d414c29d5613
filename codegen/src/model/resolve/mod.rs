//! From syntax trees to the resolved model: names, types, inheritance, containment, annotations.
//!
//! In order: every document's aliases and every declared name go into the [`Scope`]; each schema
//! child becomes a model item ([`Builder`]); inheritance is checked over the whole model; then the
//! external annotation blocks are attached to what they target. Diagnostics are gathered as they
//! are found and sorted by position at the end.

use std::collections::BTreeMap;

use super::load::LoadedDocument;
use super::{Loc, Model, SchemaInfo, StructuredType};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::{self, OperationKind, Pos};
use inheritance::{check_inheritance, check_inherited_members, list_derived_types};
use scope::Scope;
use targets::Signatures;

mod annotations;
mod containers;
mod inheritance;
mod items;
mod scope;
mod structured;
mod targets;
mod type_refs;

/// Diagnostics as they are found, each at the element it is about; sorted by place at the end.
#[derive(Default)]
struct Found {
    errors: Vec<(Loc, String)>,
    warnings: Vec<(Loc, String)>,
}

impl Found {
    fn error(&mut self, at: Loc, message: String) {
        self.errors.push((at, message));
    }

    fn warn(&mut self, at: Loc, message: String) {
        self.warnings.push((at, message));
    }
}

/// Turns syntax items into model items against a finished [`Scope`].
struct Builder<'s> {
    scope: &'s Scope,
    found: Found,
}

impl std::ops::Deref for Builder<'_> {
    type Target = Scope;
    fn deref(&self) -> &Scope {
        self.scope
    }
}

/// Resolves the documents into a model. The syntax trees are consumed: their strings and
/// annotation values move into the model instead of being copied.
pub(crate) fn resolve(mut docs: Vec<LoadedDocument>) -> Result<Model, Vec<Diagnostic>> {
    let mut scope = Scope::default();
    let mut model = Model {
        sources: scope.collect_sources(&docs),
        ..Model::default()
    };
    let mut found = Found::default();
    scope.declare(&docs, &mut found);
    let blocks = take_blocks(&mut docs);
    let mut b = Builder {
        scope: &scope,
        found,
    };
    let mut entity_types = Vec::new();
    let mut complex_types = Vec::new();
    for (d, ld) in docs.into_iter().enumerate() {
        for s in ld.doc.schemas {
            // Named field by field, so that a new child list cannot be forgotten here.
            let syntax::Schema {
                namespace: ns,
                alias,
                entity_types: entities,
                complex_types: complexes,
                enum_types,
                type_definitions,
                terms,
                actions,
                functions,
                entity_containers,
                annotations,
                // taken before, by `take_blocks`
                annotation_blocks: _,
                pos,
            } = s;
            let annotations = b.annotations(d, annotations, None);
            if !model.schemas.contains_key(&ns) {
                model.schemas.insert(
                    ns.clone(),
                    SchemaInfo {
                        namespace: ns.clone(),
                        alias,
                        annotations,
                        loc: loc(d, pos),
                    },
                );
            }
            // Duplicates (reported by `declare`) are skipped, so every name comes once.
            for t in entities {
                entity_types.extend(b.structured(d, &ns, t, super::TypeKind::Entity));
            }
            for t in complexes {
                complex_types.extend(b.structured(d, &ns, t, super::TypeKind::Complex));
            }
            for e in enum_types {
                if let Some((name, e)) = b.enum_type(d, &ns, e) {
                    model.enum_types.insert(name, e);
                }
            }
            for t in type_definitions {
                if let Some((name, t)) = b.type_definition(d, &ns, t) {
                    model.type_definitions.insert(name, t);
                }
            }
            for t in terms {
                if let Some((name, t)) = b.term(d, &ns, t) {
                    model.terms.insert(name, t);
                }
            }
            for op in actions.into_iter().chain(functions) {
                if let Some(op) = b.operation(d, &ns, op) {
                    let map = match op.kind {
                        OperationKind::Action => &mut model.actions,
                        OperationKind::Function => &mut model.functions,
                    };
                    match map.get_mut(&op.name) {
                        Some(list) => list.push(op),
                        None => {
                            map.insert(op.name.clone(), vec![op]);
                        }
                    }
                }
            }
            for c in entity_containers {
                if let Some((name, c)) = b.container(d, &ns, c) {
                    model.containers.insert(name, c);
                }
            }
        }
    }
    model.entity_types = by_name(entity_types);
    model.complex_types = by_name(complex_types);
    list_derived_types(&mut model);
    let mut found = b.found;
    check_inheritance(&scope, &mut model, &mut found);
    check_inherited_members(&scope, &model, &mut found);
    let mut b = Builder {
        scope: &scope,
        found,
    };
    let mut signatures = Signatures::default();
    for (d, block) in blocks {
        let block = b.block(d, block);
        targets::attach(&scope, &mut model, &mut b.found, block, &mut signatures);
    }
    finish(&scope, model, b.found)
}

/// The external annotation blocks of every schema, in document order, with their documents.
fn take_blocks(docs: &mut [LoadedDocument]) -> Vec<(usize, syntax::AnnotationBlock)> {
    let mut blocks = Vec::new();
    for (d, ld) in docs.iter_mut().enumerate() {
        for s in &mut ld.doc.schemas {
            blocks.extend(
                std::mem::take(&mut s.annotation_blocks)
                    .into_iter()
                    .map(|b| (d, b)),
            );
        }
    }
    blocks
}

/// The map of structured types with distinct names. Sorted in place first, which moves the large
/// values less than `collect`'s stable sort would; documents mostly declare types in name order,
/// so the sort is nearly linear.
fn by_name(mut types: Vec<(String, StructuredType)>) -> BTreeMap<String, StructuredType> {
    types.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    types.into_iter().collect()
}

/// `ns.name` in one allocation.
fn join(ns: &str, name: &str) -> String {
    let mut q = String::with_capacity(ns.len() + 1 + name.len());
    q.push_str(ns);
    q.push('.');
    q.push_str(name);
    q
}

fn loc(doc: usize, pos: Pos) -> Loc {
    Loc {
        source: doc as u32,
        pos,
    }
}

fn finish(scope: &Scope, mut model: Model, found: Found) -> Result<Model, Vec<Diagnostic>> {
    let to_diag = |mut list: Vec<(Loc, String)>, severity: Severity| {
        list.sort_by_key(|a| a.0);
        list.into_iter()
            .map(move |(at, msg)| Diagnostic::new(severity, Some(scope.location(at)), msg))
    };
    let warnings = to_diag(found.warnings, Severity::Warning);
    if !found.errors.is_empty() {
        let mut all: Vec<Diagnostic> = to_diag(found.errors, Severity::Error).collect();
        all.extend(warnings);
        return Err(all);
    }
    model.warnings = warnings.collect();
    Ok(model)
}

#[cfg(test)]
mod tests;
