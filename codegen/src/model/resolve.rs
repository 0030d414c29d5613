//! From syntax trees to the resolved model: names, types, inheritance, containment, annotations.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

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

/// What the declarations say: filled by `collect_sources` and `declare`, then only read, by
/// both shares of the build.
#[derive(Clone)]
struct Scope {
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
}

/// Diagnostics, each (document index, position, message), sorted by position at the end. The
/// two shares never report at the same position (each element is handled by one of them), so
/// the sorted order does not depend on which share found what, or when.
#[derive(Default)]
struct Found {
    errors: Vec<(usize, Pos, String)>,
    warnings: Vec<(usize, Pos, String)>,
}

impl Found {
    fn error(&mut self, doc: usize, pos: Pos, message: String) {
        self.errors.push((doc, pos, message));
    }

    fn warn(&mut self, doc: usize, pos: Pos, message: String) {
        self.warnings.push((doc, pos, message));
    }

    fn append(&mut self, mut other: Found) {
        self.errors.append(&mut other.errors);
        self.warnings.append(&mut other.warnings);
    }
}

/// Turns syntax items into model items against a finished [`Scope`]; one per share.
struct Builder<'s> {
    scope: &'s Scope,
    found: Found,
}

/// Resolves the documents into a model. The syntax trees are consumed: their strings and
/// annotation values move into the model instead of being copied.
///
/// The items are built in two shares that write disjoint parts of the model, on two threads
/// for large documents. The first declares every name, then builds the schemas and most
/// structured types, with their inheritance and the external annotations that target them. The
/// second converts the external annotation blocks while the first declares, then builds the
/// other structured types (handed over to the first), enums, operations and containers.
///
/// Two threads build when the documents have at least `parallel_from` of work (one per schema
/// child and annotation) and the machine has two cores; the result is the same either way.
pub(crate) fn resolve(
    docs: Vec<LoadedDocument>,
    parallel_from: usize,
) -> Result<Model, Vec<Diagnostic>> {
    let work: usize = docs
        .iter()
        .map(|ld| ld.doc.annotation_count + scope_work(&ld.doc))
        .sum();
    let parallel =
        work >= parallel_from && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    resolve_on(docs, parallel)
}

fn resolve_on(mut docs: Vec<LoadedDocument>, parallel: bool) -> Result<Model, Vec<Diagnostic>> {
    let mut scope = Scope {
        names: Vec::with_capacity(docs.len()),
        aliases: Vec::new(),
        declared_namespaces: FxSet::default(),
        unavailable: BTreeMap::new(),
        kinds: FxMap::default(),
        actions: FxSet::default(),
        functions: FxSet::default(),
    };
    let mut model = Model {
        sources: scope.collect_sources(&docs),
        ..Model::default()
    };
    let blocks = take_blocks(&mut docs);
    // Converting the blocks takes the aliases and namespaces, not the declarations: on two
    // threads, it runs while this one declares.
    let early = scope.clone();
    let (to_others, others_items) = channel();
    let (to_types, handover) = channel();
    let mut found = Found::default();
    let declare = |found: &mut Found| {
        scope.declare(&docs, found);
        let (types, others) = shares(docs);
        let scope = Arc::new(scope);
        // The receiver lives until the second share has taken them.
        let _ = to_others.send((Arc::clone(&scope), others));
        drop(to_others);
        (scope, types)
    };
    let second = Second {
        early,
        blocks,
        items: others_items,
        to_types,
    };
    let (scope, others) = std::thread::scope(|threads| {
        // The second share waits for its inputs, which are sent only once it runs: if no
        // thread can be started, this thread builds both shares with them.
        let (give, take) = channel::<Second>();
        let helper = if parallel {
            crate::threads::spawn(threads, move || match take.recv() {
                Ok(second) => second.build(),
                // this thread stopped before sending (it panicked; the scope passes that on)
                Err(_) => Others::default(),
            })
        } else {
            None
        };
        match helper {
            Some(helper) => {
                // Sending fails only if the second thread is gone, which `join` reports.
                let _ = give.send(second);
                let (scope, types) = declare(&mut found);
                build_types(&scope, types, handover, &mut model, &mut found);
                let others = helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (scope, others)
            }
            None => {
                let (scope, types) = declare(&mut found);
                let others = second.build();
                build_types(&scope, types, handover, &mut model, &mut found);
                (scope, others)
            }
        }
    });
    let Others {
        enum_types,
        type_definitions,
        terms,
        actions,
        functions,
        containers,
        pending,
        found: others_found,
    } = others;
    model.enum_types = enum_types;
    model.type_definitions = type_definitions;
    model.terms = terms;
    model.actions = actions;
    model.functions = functions;
    model.containers = containers;
    found.append(others_found);
    for block in pending {
        attach_pending(&scope, &mut model, &mut found, block);
    }
    finish(&scope, model, found)
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

/// Below this many items and annotations (see [`scope_work`]) both shares are built on one
/// thread by default: a second thread costs more than it saves. Graph v1.0 is about 16,000;
/// TripPin under 100.
pub(crate) const PARALLEL_WORK: usize = 4096;

/// The percentage of the structured types' work (see [`type_work`]) that the first share builds;
/// the second share builds the rest before its own items. On Graph v1.0, read + resolve was
/// fastest from 70 to 80 (swept from 50 to 90 in one process, alternating).
const FIRST_SHARE_OF_TYPES: usize = 75;

fn type_work(t: &syntax::StructuredType) -> usize {
    1 + t.properties.len() + t.navigation_properties.len()
}

/// Keeps the first items of `list` whose work fits in `budget` and returns the rest; once an item
/// does not fit, the budget is spent, so every later item goes to the rest.
fn cut(list: &mut Vec<syntax::StructuredType>, budget: &mut usize) -> Vec<syntax::StructuredType> {
    let mut keep = list.len();
    for (i, t) in list.iter().enumerate() {
        let w = type_work(t);
        if w > *budget {
            keep = i;
            *budget = 0;
            break;
        }
        *budget -= w;
    }
    list.split_off(keep)
}

/// A rough measure of a document's work beside its annotations: one per schema child.
fn scope_work(doc: &syntax::Document) -> usize {
    doc.schemas
        .iter()
        .map(|s| named_types(s) + s.actions.len() + s.functions.len() + s.annotation_blocks.len())
        .sum()
}

/// How many children of a schema declare a name that is not an operation's.
fn named_types(s: &syntax::Schema) -> usize {
    s.entity_types.len()
        + s.complex_types.len()
        + s.enum_types.len()
        + s.type_definitions.len()
        + s.terms.len()
        + s.entity_containers.len()
}

/// What one schema gives the first share: itself and its structured types.
struct TypeItems {
    d: usize,
    namespace: String,
    alias: Option<String>,
    annotations: Vec<syntax::Annotation>,
    pos: Pos,
    entity_types: Vec<syntax::StructuredType>,
    complex_types: Vec<syntax::StructuredType>,
}

/// What one schema gives the second share: every other child, and the structured types that do
/// not fit in the first share.
struct OtherItems {
    d: usize,
    namespace: String,
    entity_types: Vec<syntax::StructuredType>,
    complex_types: Vec<syntax::StructuredType>,
    enum_types: Vec<syntax::EnumType>,
    type_definitions: Vec<syntax::TypeDefinition>,
    terms: Vec<syntax::Term>,
    actions: Vec<syntax::Operation>,
    functions: Vec<syntax::Operation>,
    entity_containers: Vec<syntax::EntityContainer>,
}

/// The schemas' children, split into the two shares, each in document order.
fn shares(docs: Vec<LoadedDocument>) -> (Vec<TypeItems>, Vec<OtherItems>) {
    let total: usize = docs
        .iter()
        .flat_map(|ld| &ld.doc.schemas)
        .flat_map(|s| s.entity_types.iter().chain(&s.complex_types))
        .map(type_work)
        .sum();
    let mut budget = total * FIRST_SHARE_OF_TYPES / 100;
    let mut types = Vec::new();
    let mut others = Vec::new();
    for (d, ld) in docs.into_iter().enumerate() {
        for s in ld.doc.schemas {
            // Named field by field, so that a new child list cannot be forgotten here.
            let syntax::Schema {
                namespace,
                alias,
                mut entity_types,
                mut complex_types,
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
            others.push(OtherItems {
                d,
                namespace: namespace.clone(),
                entity_types: cut(&mut entity_types, &mut budget),
                complex_types: cut(&mut complex_types, &mut budget),
                enum_types,
                type_definitions,
                terms,
                actions,
                functions,
                entity_containers,
            });
            types.push(TypeItems {
                d,
                namespace,
                alias,
                annotations,
                pos,
                entity_types,
                complex_types,
            });
        }
    }
    (types, others)
}

/// Structured types as one share builds them, under their qualified names.
#[derive(Default)]
struct BuiltTypes {
    entity: Vec<(String, StructuredType)>,
    complex: Vec<(String, StructuredType)>,
}

impl BuiltTypes {
    /// Builds the types of one schema; duplicates (reported by `declare`) are skipped, so every
    /// name comes once over both shares.
    fn build(
        &mut self,
        b: &mut Builder,
        d: usize,
        ns: &str,
        entity_types: Vec<syntax::StructuredType>,
        complex_types: Vec<syntax::StructuredType>,
    ) {
        for t in entity_types {
            self.entity.extend(b.structured(d, ns, t, TypeKind::Entity));
        }
        for t in complex_types {
            self.complex
                .extend(b.structured(d, ns, t, TypeKind::Complex));
        }
    }

    /// Each list sorted by name, in place (which moves the large values less than `collect`'s
    /// stable sort would), for [`merge_sorted`].
    fn sorted(mut self) -> Self {
        self.entity.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.complex.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self
    }
}

/// What the second share hands the first: the structured types it built, sorted, and the
/// converted external annotation blocks that target the first share's elements.
#[derive(Default)]
struct Handover {
    types: BuiltTypes,
    blocks: Vec<Pending>,
}

/// The first share: schemas and structured types go into `model`, with the lists of derived
/// types, the checks of inheritance and the external annotations on them.
fn build_types(
    scope: &Scope,
    items: Vec<TypeItems>,
    handover: Receiver<Handover>,
    model: &mut Model,
    found: &mut Found,
) {
    let mut b = Builder {
        scope,
        found: Found::default(),
    };
    let mut built = BuiltTypes::default();
    for s in items {
        let TypeItems {
            d,
            namespace: ns,
            alias,
            annotations,
            pos,
            entity_types,
            complex_types,
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
        built.build(&mut b, d, &ns, entity_types, complex_types);
    }
    let built = built.sorted();
    // The second share always sends, unless it panicked (then `resolve` passes the panic on).
    let Handover { types, blocks } = handover.recv().unwrap_or_default();
    // documents mostly declare types in name order, so the sorts were nearly linear
    model.entity_types = merge_sorted(built.entity, types.entity);
    model.complex_types = merge_sorted(built.complex, types.complex);
    let mut derived: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in model
        .entity_types
        .values()
        .chain(model.complex_types.values())
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
        if let Some(t) = model
            .entity_types
            .get_mut(&base)
            .or(model.complex_types.get_mut(&base))
        {
            t.derived_types = list;
        }
    }
    found.append(b.found);
    check_inheritance(scope, model, found);
    check_inherited_members(scope, model, found);
    for block in blocks {
        attach_pending(scope, model, found, block);
    }
}

/// The map of two lists sorted by distinct names.
fn merge_sorted<V>(a: Vec<(String, V)>, b: Vec<(String, V)>) -> BTreeMap<String, V> {
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    std::iter::from_fn(|| match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if y.0 < x.0 => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    })
    .collect()
}

/// What the second share builds: the model's other maps, and the external annotation blocks
/// that target its elements' names but that it could not attach, in document order.
#[derive(Default)]
struct Others {
    enum_types: BTreeMap<String, EnumType>,
    type_definitions: BTreeMap<String, TypeDefinition>,
    terms: BTreeMap<String, Term>,
    actions: BTreeMap<String, Vec<Operation>>,
    functions: BTreeMap<String, Vec<Operation>>,
    containers: BTreeMap<String, EntityContainer>,
    pending: Vec<Pending>,
    found: Found,
}

/// An external annotation block, converted, on its way to [`attach_pending`].
struct Pending {
    d: usize,
    pos: Pos,
    /// The target as written, for the warning when it names nothing.
    written: String,
    /// The target with aliases expanded.
    target: String,
    list: Annotations,
}

/// What the second share starts from: a copy of the scope before the declarations, the
/// external annotation blocks, and its ends of the channels to the first share.
struct Second {
    early: Scope,
    blocks: Vec<(usize, syntax::AnnotationBlock)>,
    items: Receiver<(Arc<Scope>, Vec<OtherItems>)>,
    to_types: Sender<Handover>,
}

impl Second {
    fn build(self) -> Others {
        build_others(&self.early, self.blocks, self.items, self.to_types)
    }
}

/// The second share: the external annotation blocks, converted, and its structured types, sent
/// to the first share through `to_types` (the blocks only those that target the first share's
/// elements); then enum types, type definitions, terms, operations and containers, with the
/// other blocks attached to them.
fn build_others(
    early: &Scope,
    blocks: Vec<(usize, syntax::AnnotationBlock)>,
    items: Receiver<(Arc<Scope>, Vec<OtherItems>)>,
    to_types: Sender<Handover>,
) -> Others {
    let mut b = Builder {
        scope: early,
        found: Found::default(),
    };
    // Terms of a loaded schema are checked once the declarations are known: (block, annotation).
    let mut unchecked: Vec<(usize, usize)> = Vec::new();
    let mut converted = Vec::with_capacity(blocks.len());
    for (d, block) in blocks {
        let list = b.early_annotations(d, block.annotations, block.qualifier.as_deref(), |k| {
            unchecked.push((converted.len(), k));
        });
        converted.push(Pending {
            d,
            pos: block.pos,
            target: early.qualify_target(d, &block.target).into_owned(),
            written: block.target,
            list,
        });
    }
    // Nothing arrives when the first share panicked; `resolve` passes the panic on.
    let Ok((scope, mut items)) = items.recv() else {
        return Others::default();
    };
    let mut b = Builder {
        scope: &scope,
        found: b.found,
    };
    for (i, k) in unchecked {
        let block = &mut converted[i];
        let a = &mut block.list.0[k];
        a.term_resolved = b.check_declared_term(block.d, a.loc.pos, &a.term);
    }
    let (mine, for_types): (Vec<Pending>, Vec<Pending>) = converted
        .into_iter()
        .partition(|block| Target::parse(&scope, &block.target).is_other(&scope));
    let mut types = BuiltTypes::default();
    for s in &mut items {
        let entity_types = std::mem::take(&mut s.entity_types);
        let complex_types = std::mem::take(&mut s.complex_types);
        types.build(&mut b, s.d, &s.namespace, entity_types, complex_types);
    }
    // The receiver lives until the first share has taken it.
    let _ = to_types.send(Handover {
        types: types.sorted(),
        blocks: for_types,
    });
    drop(to_types);
    let mut out = Others::default();
    for s in items {
        let OtherItems {
            d,
            namespace: ns,
            enum_types,
            type_definitions,
            terms,
            actions,
            functions,
            entity_containers,
            entity_types: _,
            complex_types: _,
        } = s;
        for e in enum_types {
            if let Some((name, e)) = b.enum_type(d, &ns, e) {
                out.enum_types.insert(name, e);
            }
        }
        for t in type_definitions {
            if let Some((name, t)) = b.type_definition(d, &ns, t) {
                out.type_definitions.insert(name, t);
            }
        }
        for t in terms {
            if let Some((name, t)) = b.term(d, &ns, t) {
                out.terms.insert(name, t);
            }
        }
        for op in actions.into_iter().chain(functions) {
            if let Some(op) = b.operation(d, &ns, op) {
                let map = match op.kind {
                    OperationKind::Action => &mut out.actions,
                    OperationKind::Function => &mut out.functions,
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
                out.containers.insert(name, c);
            }
        }
    }
    let mut signatures = Signatures::default();
    for mut block in mine {
        let list = std::mem::take(&mut block.list);
        if let Err(list) = attach_other(&scope, &mut out, &block.target, list, &mut signatures) {
            block.list = list;
            out.pending.push(block);
        }
    }
    out.found = b.found;
    out
}

/// An external annotation target with aliases expanded, in parts: `head` or `head/member`, where
/// a head with a parameter list (`ns.op(sig)`) names operation overloads.
struct Target<'t> {
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
    fn parse(scope: &Scope, target: &'t str) -> Self {
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
    fn names_declared_item(&self) -> bool {
        !self.signature && self.kind.is_some()
    }

    /// Whether the target is the second share's to attach, as [`attach_other`] decides: it
    /// names an operation, an enum type, a container, a type definition or a term (or one of
    /// their members). The others are structured types, schemas and paths.
    fn is_other(&self, scope: &Scope) -> bool {
        if self.names_declared_item() {
            !matches!(self.kind, Some(Kind::Entity | Kind::Complex))
        } else {
            scope.actions.contains(self.name) || scope.functions.contains(self.name)
        }
    }
}

/// Puts annotations on the operation, enum type, container, type definition or term the target
/// names (the second share's elements); gives them back otherwise.
fn attach_other(
    scope: &Scope,
    out: &mut Others,
    target: &str,
    list: Annotations,
    signatures: &mut Signatures,
) -> Result<(), Annotations> {
    let parsed = Target::parse(scope, target);
    let declared = parsed.names_declared_item();
    let Target {
        head,
        member,
        name: op_name,
        signature,
        kind,
    } = parsed;
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

/// Puts a block that the second share did not attach (handed over before the join, or given
/// back after it) on the structured type, member or schema its target names; else keeps it under
/// its path when the path starts at a declared element, else warns.
fn attach_pending(scope: &Scope, model: &mut Model, found: &mut Found, block: Pending) {
    let Pending {
        d,
        pos,
        written,
        target,
        list,
    } = block;
    let Target {
        head, member, kind, ..
    } = Target::parse(scope, &target);
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
            d,
            pos,
            format!("annotation target `{written}` does not name a model element"),
        );
    }
}

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

impl Scope {
    fn collect_sources(&mut self, docs: &[LoadedDocument]) -> Vec<Source> {
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
                    .or_insert((i, uri.clone(), *pos));
            }
            self.aliases.push(aliases);
        }
        sources
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

    fn declare(&mut self, docs: &[LoadedDocument], found: &mut Found) {
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
                                self.describe(first)
                            );
                            found.error(d, pos, msg);
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

    /// Whether `name` was declared elsewhere than at `l` (a duplicate, already reported).
    fn is_duplicate(&self, name: &str, l: Loc) -> bool {
        self.kinds.get(name).is_some_and(|(_, first)| *first != l)
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
}

impl std::ops::Deref for Builder<'_> {
    type Target = Scope;
    fn deref(&self) -> &Scope {
        self.scope
    }
}

impl Builder<'_> {
    fn annotations(
        &mut self,
        doc: usize,
        list: Vec<syntax::Annotation>,
        qualifier: Option<&str>,
    ) -> Annotations {
        self.convert_annotations(doc, list, qualifier, |b, term, pos| {
            b.check_term_namespace(doc, pos, term)
                .unwrap_or_else(|| b.check_declared_term(doc, pos, term))
        })
    }

    /// [`Self::annotations`] before the declarations are known: a term of a loaded schema is
    /// left unresolved, and its index in the list goes to `unchecked`.
    fn early_annotations(
        &mut self,
        doc: usize,
        list: Vec<syntax::Annotation>,
        qualifier: Option<&str>,
        mut unchecked: impl FnMut(usize),
    ) -> Annotations {
        let mut k = 0;
        self.convert_annotations(doc, list, qualifier, |b, term, pos| {
            let resolved = b.check_term_namespace(doc, pos, term).unwrap_or_else(|| {
                unchecked(k);
                false
            });
            k += 1;
            resolved
        })
    }

    fn convert_annotations(
        &mut self,
        doc: usize,
        list: Vec<syntax::Annotation>,
        qualifier: Option<&str>,
        mut check: impl FnMut(&mut Self, &str, Pos) -> bool,
    ) -> Annotations {
        if list.is_empty() {
            return Annotations::default();
        }
        // `map` + `collect` reuses the list's allocation for the resolved annotations
        let list = list
            .into_iter()
            .map(|a| {
                let term = self.qualify_owned(doc, a.term);
                let term_resolved = check(self, &term, a.pos);
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

    /// Whether a term is known, as far as its namespace tells; `None` when the namespace is
    /// declared by a loaded schema, whose declarations then tell.
    fn check_term_namespace(&mut self, doc: usize, pos: Pos, term: &str) -> Option<bool> {
        let Some((ns, _)) = term.rsplit_once('.') else {
            self.found.warn(
                doc,
                pos,
                format!("annotation term `{term}` is not qualified by a namespace"),
            );
            return Some(false);
        };
        if STANDARD_VOCABULARIES.contains(&ns) {
            return Some(true);
        }
        if self.declared_namespaces.contains(ns) {
            return None;
        }
        if !self.unavailable.contains_key(ns) {
            self.found.warn(
                doc,
                pos,
                format!(
                    "annotation term `{term}`: namespace `{ns}` is neither declared nor referenced"
                ),
            );
        }
        Some(false)
    }

    /// Whether a term of a namespace that a loaded schema declares is declared there.
    fn check_declared_term(&mut self, doc: usize, pos: Pos, term: &str) -> bool {
        if matches!(self.kinds.get(term), Some((Kind::Term, _))) {
            return true;
        }
        let ns = term.rsplit_once('.').map_or("", |(ns, _)| ns);
        self.found.warn(
            doc,
            pos,
            format!("annotation term `{term}` is not declared in schema `{ns}`"),
        );
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

    /// A primitive type written without `Edm.` (`Int32`, as older odata.net samples do): read as
    /// the `Edm` type, with a warning. Such a name cannot name a schema type, whose names are
    /// always qualified.
    fn unqualified_primitive(&mut self, doc: usize, pos: Pos, name: &str) -> Option<Primitive> {
        if name.contains('.') {
            return None;
        }
        let p = Primitive::from_edm_name(name)?;
        self.found.warn(
            doc,
            pos,
            format!("type `{name}` is not qualified: it is read as `Edm.{name}`, which is how CSDL writes it"),
        );
        Some(p)
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
                    self.found.error(
                        doc,
                        pos,
                        format!("unresolved type `{name}`: `Edm` has no type named `{p}`"),
                    );
                    None
                }
            };
        }
        if let Some(p) = self.unqualified_primitive(doc, pos, name) {
            return Some((TypeKindOf::Primitive(p), None));
        }
        let q = self.qualify(doc, name);
        let kind = match self.kinds.get(&*q) {
            Some((Kind::Entity, _)) => TypeKindOf::Entity,
            Some((Kind::Complex, _)) => TypeKindOf::Complex,
            Some((Kind::Enum, _)) => TypeKindOf::Enum,
            Some((Kind::Definition, _)) => TypeKindOf::Definition,
            Some((kind, _)) => {
                let msg = format!("`{name}` names a {}, not a type", kind.noun());
                self.found.error(doc, pos, msg);
                return None;
            }
            None => {
                // Standard vocabularies are not loaded (only their terms are known), so a type of
                // theirs (`Core.Tag`, used by the other vocabularies) cannot be looked at.
                if let Some((ns, _)) = q.rsplit_once('.')
                    && STANDARD_VOCABULARIES.contains(&ns)
                    && !self.declared_namespaces.contains(ns)
                {
                    self.found.warn(
                        doc,
                        pos,
                        format!(
                            "type `{name}` of the standard vocabulary `{ns}` is not loaded; it is taken as `Edm.Untyped`"
                        ),
                    );
                    return Some((TypeKindOf::Primitive(Primitive::Untyped), None));
                }
                let msg = self.unresolved_message(name, &q, "type");
                self.found.error(doc, pos, msg);
                return None;
            }
        };
        let qualified = match q {
            Cow::Borrowed(b) if b.len() == name.len() => None,
            q => Some(q.into_owned()),
        };
        Some((kind, qualified))
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
                    self.found.error(d, t.pos, msg);
                    None
                }
                None => {
                    let msg = self.unresolved_message(b, &q, "base type");
                    // A base type from a platform namespace nothing declares (`System.Object` in
                    // documents exported from .NET) says nothing about the model: read the type
                    // without it.
                    if self.namespace_unknown(&q) {
                        self.found.warn(
                            d,
                            t.pos,
                            format!("{msg}; `{}` is read without a base type", t.name),
                        );
                    } else {
                        self.found.error(d, t.pos, msg);
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
                    self.found.error(d, n.pos, msg);
                    continue;
                }
                None if inner.starts_with("Edm.") => {
                    let msg = format!(
                        "navigation property `{}` has type `{inner}`, which is a primitive type, not an entity type",
                        n.name
                    );
                    self.found.error(d, n.pos, msg);
                    continue;
                }
                None => {
                    let msg = self.unresolved_message(inner, &q, "type");
                    self.found.error(d, n.pos, msg);
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
        let primitive = match text.strip_prefix("Edm.") {
            Some(p) => Primitive::from_edm_name(p),
            None => self.unqualified_primitive(d, pos, text),
        };
        match primitive {
            Some(p) if allowed.is_empty() || allowed.contains(&p) => p,
            _ => {
                let msg = if allowed.is_empty() {
                    format!("underlying type `{text}` is not a primitive type")
                } else {
                    format!(
                        "underlying type `{text}` is not allowed here: expected one of Edm.Byte, Edm.SByte, Edm.Int16, Edm.Int32, Edm.Int64"
                    )
                };
                self.found.error(d, pos, msg);
                Primitive::Int32
            }
        }
    }

    /// The enum type under its qualified name; `None` for a duplicate (reported by `declare`).
    fn enum_type(&mut self, d: usize, ns: &str, e: syntax::EnumType) -> Option<(String, EnumType)> {
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
                self.found.error(d, m.pos, msg);
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

    fn type_definition(
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

    fn term(&mut self, d: usize, ns: &str, t: syntax::Term) -> Option<(String, Term)> {
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

    fn operation(&mut self, d: usize, ns: &str, op: syntax::Operation) -> Option<Operation> {
        if op.is_bound && op.parameters.is_empty() {
            self.found.error(
                d,
                op.pos,
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
                d,
                op.pos,
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

    fn entity_type_of(&mut self, d: usize, pos: Pos, written: &str, what: &str) -> Option<String> {
        let q = self.qualify(d, written);
        match self.kinds.get(&*q) {
            Some((Kind::Entity, _)) => Some(q.into_owned()),
            Some((k, _)) => {
                let msg = format!(
                    "{what} has type `{written}`, which is a {}, not an entity type",
                    k.noun()
                );
                self.found.error(d, pos, msg);
                None
            }
            None => {
                let msg = self.unresolved_message(written, &q, "type");
                self.found.error(d, pos, msg);
                None
            }
        }
    }

    fn container(
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
                    self.found.error(d, pos, format!("duplicate name `{n}` in entity container `{}`: already declared at {first}", c.name));
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
                    self.found
                        .warn(d, pos, format!("{msg}; the import `{name}` is left out"));
                } else {
                    self.found.error(d, pos, msg);
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

/// Above this many inherited members on the current path, names are looked up in a hash map
/// rather than compared one by one.
const SCAN_INHERITED: usize = 16;

/// Members that repeat the name of a member an ancestor declares: a derived type cannot redefine
/// an inherited property or navigation property (both would be one key of the JSON object).
///
/// Each inheritance tree is walked down from its root, keeping the members of the types on the
/// path, so every member is looked at once however deep or wide the trees.
fn check_inherited_members(scope: &Scope, model: &Model, report: &mut Found) {
    fn members(t: &StructuredType) -> impl Iterator<Item = (&str, Loc, &'static str)> {
        let props = t
            .properties
            .iter()
            .map(|p| (p.name.as_str(), p.loc, "property"));
        let navs = t
            .navigation_properties
            .iter()
            .map(|n| (n.name.as_str(), n.loc, "navigation property"));
        props.chain(navs)
    }
    let all = || {
        model
            .entity_types
            .values()
            .chain(model.complex_types.values())
    };
    // Every type that has derived types, with them (`derived_types` was listed before
    // `check_inheritance` cut cycles, so the children are gathered from `base_type` again).
    let mut bases: Vec<(&StructuredType, Vec<&StructuredType>)> = Vec::new();
    let mut slot: FxMap<&str, usize> = FxMap::default();
    let mut roots: Vec<usize> = Vec::new();
    for t in all().filter(|t| !t.derived_types.is_empty()) {
        slot.insert(t.name.as_str(), bases.len());
        if t.base_type.is_none() {
            roots.push(bases.len());
        }
        bases.push((t, Vec::new()));
    }
    for t in all() {
        if let Some(&i) = t.base_type.as_deref().and_then(|b| slot.get(b)) {
            bases[i].1.push(t);
        }
    }
    // (name, declaring type, where) of every member on the path, root first
    let mut inherited: Vec<(&str, &StructuredType, Loc)> = Vec::new();
    let mut index: FxMap<&str, usize> = FxMap::default();
    // (base, how many inherited members there were above it, its next child)
    let mut path: Vec<(usize, usize, usize)> = Vec::new();
    for root in roots {
        let t = bases[root].0;
        // the reader reported members that repeat a name within one type
        inherited.extend(members(t).map(|(name, l, _)| (name, t, l)));
        if inherited.len() > SCAN_INHERITED {
            for (i, m) in inherited.iter().enumerate() {
                index.insert(m.0, i);
            }
        }
        path.push((root, 0, 0));
        while let Some((base, mark, child)) = path.last_mut() {
            let Some(&t) = bases[*base].1.get(*child) else {
                let mark = *mark;
                path.pop();
                for (name, _, _) in inherited.drain(mark..) {
                    index.remove(name);
                }
                if inherited.len() <= SCAN_INHERITED {
                    index.clear();
                }
                continue;
            };
            *child += 1;
            let below = slot.get(t.name.as_str()).copied();
            let mark = inherited.len();
            for (name, l, what) in members(t) {
                let first = if index.is_empty() {
                    inherited[..mark].iter().find(|m| m.0 == name)
                } else {
                    index.get(name).map(|&i| &inherited[i])
                };
                if let Some((_, ancestor, first)) = first {
                    let msg = format!(
                        "{what} `{name}` of `{}` redefines `{name}`, inherited from `{}` (declared at {}); a derived type cannot redefine an inherited member",
                        t.name,
                        ancestor.name,
                        scope.describe(*first)
                    );
                    report.error(l.source as usize, l.pos, msg);
                } else if below.is_some() {
                    inherited.push((name, t, l));
                }
            }
            let Some(below) = below else {
                continue;
            };
            if inherited.len() > SCAN_INHERITED {
                let from = if index.is_empty() { 0 } else { mark };
                for (i, m) in inherited.iter().enumerate().skip(from) {
                    index.insert(m.0, i);
                }
            }
            path.push((below, mark, 0));
        }
    }
}

fn check_inheritance(scope: &Scope, model: &mut Model, report: &mut Found) {
    let mut found: Vec<(Loc, String)> = Vec::new();
    let in_cycle: Vec<String> = {
        let m = &*model;
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
                structured(&scope.kinds, m, current).and_then(|t| t.base_type.as_deref())
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
                        if let Some(t) = structured(&scope.kinds, m, first) {
                            found.push((t.loc, format!("base-type cycle: {}", shown.join(" -> "))));
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
        report.error(l.source as usize, l.pos, msg);
    }
    // Types on a cycle have no usable ancestry; cut the loop so later stages terminate.
    for name in &in_cycle {
        if let Some(t) = model
            .entity_types
            .get_mut(name)
            .or(model.complex_types.get_mut(name))
        {
            t.base_type = None;
        }
    }
    let mut keys: Vec<(Loc, bool, String)> = Vec::new();
    for t in model.entity_types.values() {
        if t.key.is_none() || t.base_type.is_none() {
            continue;
        }
        let chain = model.ancestry(&t.name);
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
            report.warn(l.source as usize, l.pos, msg);
        } else {
            report.error(l.source as usize, l.pos, msg);
        }
    }
}

fn finish(scope: &Scope, mut model: Model, mut found: Found) -> Result<Model, Vec<Diagnostic>> {
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
    if !found.errors.is_empty() {
        let mut all = to_diag(&scope.names, &mut found.errors, true);
        all.extend(to_diag(&scope.names, &mut found.warnings, false));
        return Err(all);
    }
    model.warnings = to_diag(&scope.names, &mut found.warnings, false);
    Ok(model)
}

/// Per operation name, its overloads by the signatures annotation targets name them with
/// (without white space): `ns.op(T1,T2)` as [`Operation::signature`] gives it and, for actions,
/// with every parameter's type, as Graph writes them. Built once per targeted name, so N targets
/// of N overloads take linear time.
type Signatures = FxMap<String, FxMap<String, Vec<(OperationKind, usize)>>>;

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

#[cfg(test)]
mod tests;
