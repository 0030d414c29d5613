//! External annotation blocks (`Annotations Target="..."`): each target to the element it names.

use std::collections::BTreeMap;

use super::scope::{Kind, Scope};
use super::{Builder, Found, loc};
use crate::model::{Annotations, Model, Operation};
use crate::repeats::FxMap;
use crate::syntax::{self, OperationKind, Pos};

/// An external annotation block, converted, on its way to [`attach`].
pub(super) struct Block {
    d: usize,
    pos: Pos,
    /// The target as written, for the warning when it names nothing.
    written: String,
    /// The target with aliases expanded.
    target: String,
    list: Annotations,
}

/// An external annotation target with aliases expanded, in parts: `head` or `head/member`, where
/// a head with a parameter list (`ns.op(sig)`) names operation overloads.
#[derive(Clone, Copy)]
pub(super) struct Target<'t> {
    head: &'t str,
    member: Option<&'t str>,
    /// The head without its parameter list.
    name: &'t str,
    /// Whether the head has a parameter list.
    signature: bool,
    /// The declared kind of the head; a head with a parameter list has none.
    kind: Option<Kind>,
}

impl<'t> Target<'t> {
    pub(super) fn parse(scope: &Scope, target: &'t str) -> Self {
        let (head, member) = match target.split_once('/') {
            Some((h, rest)) => (h, Some(rest)),
            None => (target, None),
        };
        let (name, signature) = match head.split_once('(') {
            Some((n, _)) => (n, true),
            None => (head, false),
        };
        Target {
            head,
            member,
            name,
            signature,
            kind: scope.kinds.get(head).map(|(k, _)| *k),
        }
    }

    /// Graph names an operation like a type (`microsoft.graph.image`): without a parameter
    /// list, such a target names the type.
    pub(super) fn names_declared_item(&self) -> bool {
        !self.signature && self.kind.is_some()
    }

    /// Whether the target names an operation, an enum type, a container, a type definition or a
    /// term (or one of their members), as [`attach_to_item`] decides, rather than a structured
    /// type, a schema or a path.
    pub(super) fn names_item(&self, scope: &Scope) -> bool {
        if self.names_declared_item() {
            !matches!(self.kind, Some(Kind::Entity | Kind::Complex))
        } else {
            scope.actions.contains(self.name) || scope.functions.contains(self.name)
        }
    }
}

impl Builder<'_> {
    /// Converts a block's annotations, its qualifier applied to each, and expands the aliases of
    /// its target.
    pub(super) fn block(&mut self, d: usize, block: syntax::AnnotationBlock) -> Block {
        let list = self.annotations(d, block.annotations, block.qualifier.as_deref());
        Block {
            d,
            pos: block.pos,
            target: self.qualify_target(d, &block.target).into_owned(),
            written: block.target,
            list,
        }
    }
}

/// Puts a block on the element its target names; else keeps it under its path when the path
/// starts at a declared element; else warns.
pub(super) fn attach(
    scope: &Scope,
    model: &mut Model,
    found: &mut Found,
    block: Block,
    signatures: &mut Signatures,
) {
    let Block {
        d,
        pos,
        written,
        target,
        list,
    } = block;
    let parsed = Target::parse(scope, &target);
    let list = if parsed.names_item(scope) {
        match attach_to_item(scope, model, &parsed, list, signatures) {
            Ok(()) => return,
            Err(list) => list,
        }
    } else {
        list
    };
    let Target {
        head, member, kind, ..
    } = parsed;
    let on_type = match kind {
        Some(Kind::Entity) => model.entity_types.get_mut(head),
        Some(Kind::Complex) => model.complex_types.get_mut(head),
        _ => None,
    };
    let annotations = match on_type {
        Some(t) => match member {
            None => Some(&mut t.annotations),
            Some(p) => {
                if let Some(x) = t.properties.iter_mut().find(|x| x.name == p) {
                    Some(&mut x.annotations)
                } else if let Some(x) = t.navigation_properties.iter_mut().find(|x| x.name == p) {
                    Some(&mut x.annotations)
                } else {
                    None
                }
            }
        },
        None if member.is_none() => model.schemas.get_mut(head).map(|s| &mut s.annotations),
        None => None,
    };
    if let Some(annotations) = annotations {
        annotations.append(list);
    } else if member.is_some() && scope.path_root_exists(&target) {
        model
            .path_annotations
            .entry(target)
            .or_default()
            .append(list);
    } else {
        found.warn(
            loc(d, pos),
            format!("annotation target `{written}` does not name a model element"),
        );
    }
}

/// Puts annotations on the operation, enum type, container, type definition or term the target
/// names; gives them back otherwise.
fn attach_to_item(
    scope: &Scope,
    out: &mut Model,
    parsed: &Target<'_>,
    list: Annotations,
    signatures: &mut Signatures,
) -> Result<(), Annotations> {
    let declared = parsed.names_declared_item();
    let Target {
        head,
        member,
        name: op_name,
        signature,
        kind,
    } = *parsed;
    // operations: `ns.op`, `ns.op(sig)`, `ns.op(sig)/param`, `ns.op/$ReturnType`
    let is_operation = !declared
        && ((scope.actions.contains(op_name) && out.actions.contains_key(op_name))
            || (scope.functions.contains(op_name) && out.functions.contains_key(op_name)));
    if is_operation {
        // an action and a function may share a name: look at the overloads of both
        let chosen: Option<&[(OperationKind, usize)]> = signature.then_some(head).map(|s| {
            signatures
                .entry(op_name.to_string())
                .or_insert_with(|| overloads_by_signature(&out.actions, &out.functions, op_name))
                .get(&strip_ws(s))
                .map_or(&[][..], Vec::as_slice)
        });
        let overloads = [
            (OperationKind::Action, out.actions.get_mut(op_name)),
            (OperationKind::Function, out.functions.get_mut(op_name)),
        ]
        .into_iter()
        .filter_map(|(kind, list)| Some(kind).zip(list))
        .flat_map(|(kind, list)| {
            list.iter_mut()
                .enumerate()
                .map(move |(i, op)| (kind, i, op))
        });
        let mut hits: Vec<&mut Annotations> = Vec::new();
        for (kind, i, op) in overloads {
            if chosen.is_some_and(|c| !c.contains(&(kind, i))) {
                continue;
            }
            hits.extend(match member {
                None => Some(&mut op.annotations),
                Some("$ReturnType") => op.return_type.as_mut().map(|r| &mut r.annotations),
                Some(p) => op
                    .parameters
                    .iter_mut()
                    .find(|x| x.name == p)
                    .map(|x| &mut x.annotations),
            });
        }
        // every overload it names gets a copy; the last one gets the list itself
        let Some(last) = hits.pop() else {
            return Err(list);
        };
        for annotations in hits {
            annotations.0.extend(list.0.iter().cloned());
        }
        last.append(list);
        return Ok(());
    }
    // Every element of the maps below was declared with its kind, so the kind says which map
    // can hold `head`.
    let found = match kind {
        Some(Kind::Enum) => out.enum_types.get_mut(head).and_then(|e| match member {
            None => Some(&mut e.annotations),
            Some(n) => e
                .members
                .iter_mut()
                .find(|x| x.name == n)
                .map(|x| &mut x.annotations),
        }),
        Some(Kind::Container) => out.containers.get_mut(head).and_then(|c| match member {
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
        Some(Kind::Definition) if member.is_none() => out
            .type_definitions
            .get_mut(head)
            .map(|t| &mut t.annotations),
        Some(Kind::Term) if member.is_none() => out.terms.get_mut(head).map(|t| &mut t.annotations),
        _ => None,
    };
    match found {
        Some(annotations) => {
            annotations.append(list);
            Ok(())
        }
        None => Err(list),
    }
}

/// Per operation name, its overloads by the signatures annotation targets name them with
/// (without white space): `ns.op(T1,T2)` as [`Operation::signature`] gives it and, for actions,
/// with every parameter's type, as Graph writes them. Built once per targeted name, so N targets
/// of N overloads take linear time.
pub(super) type Signatures = FxMap<String, FxMap<String, Vec<(OperationKind, usize)>>>;

fn overloads_by_signature(
    actions: &BTreeMap<String, Vec<Operation>>,
    functions: &BTreeMap<String, Vec<Operation>>,
    name: &str,
) -> FxMap<String, Vec<(OperationKind, usize)>> {
    let mut out: FxMap<String, Vec<(OperationKind, usize)>> = FxMap::default();
    let lists = [
        (OperationKind::Action, actions.get(name)),
        (OperationKind::Function, functions.get(name)),
    ];
    for (kind, list) in lists {
        for (i, op) in list.into_iter().flatten().enumerate() {
            let signature = strip_ws(&op.signature());
            if op.kind == OperationKind::Action {
                let params: Vec<String> = op
                    .parameters
                    .iter()
                    .map(|p| crate::model::types::type_use_text(&p.ty))
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
