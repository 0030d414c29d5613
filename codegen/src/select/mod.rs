//! Which request builders and types to emit.
//!
//! Request builders follow the model's containment tree: one builder per entity type and
//! containment context (the navigation property that contains it, or the service root for
//! entity sets, singletons and non-containment navigation), never one per URL path. Include
//! paths are Kiota-style: `/deviceManagement/remoteAssistanceSettings`, `*` for one segment, `**`
//! for any number of segments, and any `{...}` segment for a key.
//!
//! Operations of a builder follow, for each path that reaches it: the operations overlay; else the
//! Capabilities restrictions; else OData conventions.

mod areas;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::config::{CrudOperation, Overlay, Permissions};
use crate::model::{Annotations, Model, Operation, Restriction, TypeRef, TypeUse};

pub use areas::EXTRA_TYPES_FEATURE;
use areas::assign_areas;

/// Where an entity is addressed from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    /// Through the entity container: entity sets, singletons, and navigation properties that do
    /// not contain their target.
    Root,
    /// Through a containment navigation property of `parent` (a qualified entity type name).
    Contained { parent: String, navigation: String },
}

/// One request builder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuilderKey {
    /// Qualified entity type name.
    pub entity_type: String,
    pub context: Context,
    /// A builder for a collection (`list`, `create`, `by_id`) rather than one entity.
    pub collection: bool,
}

/// A way to go from one builder to another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// A navigation property, by its CSDL name.
    Navigation(String),
    /// From a collection to one of its members, by key.
    Key,
}

/// A selected builder: what it can do and where it leads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Builder {
    pub operations: BTreeSet<CrudOperation>,
    /// Documented permissions, from the overlay.
    pub permissions: BTreeMap<CrudOperation, Permissions>,
    /// For each operation, the paths that have it (`/users/{id}` for `DELETE` when `/me` shares
    /// the builder but cannot be deleted).
    pub operation_paths: BTreeMap<CrudOperation, BTreeSet<String>>,
    /// The paths that reach this builder (`{id}` for keys), shortest first.
    pub paths: BTreeSet<String>,
    pub steps: BTreeMap<Step, BuilderKey>,
    /// Qualified names of the bound operations (actions and functions) to emit.
    pub bound_operations: BTreeSet<String>,
}

/// A selected child of the entity container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootEntry {
    pub builder: BuilderKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Container children (entity sets and singletons) by name.
    pub roots: BTreeMap<String, RootEntry>,
    pub builders: BTreeMap<BuilderKey, Builder>,
    /// Qualified names of the entity, complex, enum and type-definition types to emit.
    pub types: BTreeSet<String>,
    /// With area features: container child -> its Cargo feature.
    pub areas: BTreeMap<String, String>,
    /// With area features: the features that compile each builder (any of them).
    pub builder_areas: BTreeMap<BuilderKey, BTreeSet<String>>,
    /// With area features: the features that compile each type (any of them).
    pub type_areas: BTreeMap<String, BTreeSet<String>>,
    /// Structured types that values are declared with (a property, navigation property, builder,
    /// operation parameter or return type) and that have selected derived types: each with all
    /// of its selected descendants. A value of such a type may be any of them.
    pub polymorphic: BTreeMap<String, BTreeSet<String>>,
    /// With area features: the features that compile the enum of each polymorphic type, the
    /// areas whose values are declared with it (every such area holds all its descendants).
    pub polymorphic_areas: BTreeMap<String, BTreeSet<String>>,
    /// Include paths that selected nothing, as given.
    pub unmatched_paths: Vec<String>,
    /// Include types that name no type, as given.
    pub unmatched_types: Vec<String>,
}

impl Selection {
    /// With area features: the features that compile the Rust type of a value declared with
    /// `qname` (its enum when it is polymorphic, else its struct).
    pub fn value_areas(&self, qname: &str) -> Option<&BTreeSet<String>> {
        self.polymorphic_areas
            .get(qname)
            .or_else(|| self.type_areas.get(qname))
    }
}

/// A compiled include path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Literal(String),
    Key,
    One,
    Any,
}

fn compile(pattern: &str) -> Vec<Seg> {
    pattern
        .trim()
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match s {
            "**" => Seg::Any,
            "*" => Seg::One,
            s if s.starts_with('{') && s.ends_with('}') => Seg::Key,
            s => Seg::Literal(s.to_ascii_lowercase()),
        })
        .collect()
}

/// The states of a pattern after a segment, from a set of states before it (an NFA over segments).
fn advance(pattern: &[Seg], states: &BTreeSet<usize>, segment: Option<&str>) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for &i in &closure(pattern, states) {
        match pattern.get(i) {
            Some(Seg::Any) => {
                out.insert(i);
                out.insert(i + 1);
            }
            Some(Seg::One) => {
                out.insert(i + 1);
            }
            Some(Seg::Key) if segment.is_none() => {
                out.insert(i + 1);
            }
            Some(Seg::Literal(l)) if segment.is_some_and(|s| s.eq_ignore_ascii_case(l)) => {
                out.insert(i + 1);
            }
            _ => {}
        }
    }
    closure(pattern, &out)
}

/// Adds the states reachable by letting `**` match nothing.
fn closure(pattern: &[Seg], states: &BTreeSet<usize>) -> BTreeSet<usize> {
    let mut out = states.clone();
    let mut queue: Vec<usize> = states.iter().copied().collect();
    while let Some(i) = queue.pop() {
        if pattern.get(i) == Some(&Seg::Any) && out.insert(i + 1) {
            queue.push(i + 1);
        }
    }
    out
}

fn accepts(pattern: &[Seg], states: &BTreeSet<usize>) -> bool {
    closure(pattern, states).contains(&pattern.len())
}

/// What the selection starts from.
#[derive(Debug, Clone, Default)]
pub struct SelectOptions<'a> {
    pub include_paths: &'a [String],
    pub include_types: &'a [String],
    pub all: bool,
    pub overlay: Option<&'a Overlay>,
    /// Split the output into one Cargo feature per area (entity set or singleton).
    pub area_features: bool,
    /// Leave out the derived types of the types that values are declared with, unless something
    /// else selects them (a small crate then reads derived values as their declared type).
    pub no_derived_types: bool,
}

/// A node of the walk: a builder reached by a path, with the pattern states after that path.
struct Visit {
    key: BuilderKey,
    path: String,
    /// Annotations of the navigation source (entity set, singleton or navigation property).
    source: Annotations,
    singleton: bool,
    /// Reached through a navigation property that does not contain its target: read-only here.
    reference: bool,
    states: Vec<BTreeSet<usize>>,
}

/// Chooses what to emit.
pub fn select(model: &Model, options: &SelectOptions<'_>) -> Selection {
    let patterns: Vec<Vec<Seg>> = options.include_paths.iter().map(|p| compile(p)).collect();
    let mut sel = Selection::default();
    let Some(container) = model.container() else {
        sel.unmatched_paths = options.include_paths.to_vec();
        add_types(model, options, &mut sel);
        return sel;
    };
    let bound = bound_operations(model);
    let mut queue: VecDeque<Visit> = VecDeque::new();
    for (name, set) in &container.entity_sets {
        queue.push_back(Visit {
            key: BuilderKey {
                entity_type: set.entity_type.clone(),
                context: Context::Root,
                collection: true,
            },
            path: format!("/{name}"),
            source: set.annotations.clone(),
            singleton: false,
            reference: false,
            states: patterns
                .iter()
                .map(|p| advance(p, &[0].into(), Some(name)))
                .collect(),
        });
    }
    for (name, s) in &container.singletons {
        queue.push_back(Visit {
            key: BuilderKey {
                entity_type: s.entity_type.clone(),
                context: Context::Root,
                collection: false,
            },
            path: format!("/{name}"),
            source: s.annotations.clone(),
            singleton: true,
            reference: false,
            states: patterns
                .iter()
                .map(|p| advance(p, &[0].into(), Some(name)))
                .collect(),
        });
    }
    // Reached (builder, pattern states) pairs: each is walked once, which bounds the walk on the
    // cyclic navigation graphs of real services.
    let mut seen: BTreeSet<(BuilderKey, Vec<BTreeSet<usize>>)> = BTreeSet::new();
    // Which walked nodes lead to a selected node: kept so navigation-only builders get emitted.
    let mut parents: BTreeMap<BuilderKey, BTreeSet<(BuilderKey, Step)>> = BTreeMap::new();
    let mut root_of: BTreeMap<BuilderKey, BTreeSet<String>> = BTreeMap::new();
    let mut paths_of: BTreeMap<BuilderKey, BTreeSet<String>> = BTreeMap::new();
    let mut selected: BTreeSet<BuilderKey> = BTreeSet::new();
    // Which include paths selected something.
    let mut hits = vec![false; patterns.len()];
    while let Some(v) = queue.pop_front() {
        let alive = options.all || v.states.iter().any(|s| !s.is_empty());
        if !alive {
            continue;
        }
        // Every entity set and singleton is a root, even when an earlier one of the same type
        // already walked the same builder.
        let root = v.path.matches('/').count() == 1;
        if root {
            root_of
                .entry(v.key.clone())
                .or_default()
                .insert(v.path[1..].to_string());
        }
        let first_visit = seen.insert((v.key.clone(), v.states.clone()));
        if root || first_visit {
            paths_of
                .entry(v.key.clone())
                .or_default()
                .insert(v.path.clone());
        }
        let mut matched = options.all;
        for (i, (p, s)) in patterns.iter().zip(&v.states).enumerate() {
            if accepts(p, s) {
                hits[i] = true;
                matched = true;
            }
        }
        if matched {
            selected.insert(v.key.clone());
            let b = sel.builders.entry(v.key.clone()).or_default();
            if first_visit {
                b.paths.insert(v.path.clone());
            }
            // every path that reaches the builder brings its operations, also one walked before
            // through another path (`/me` and `/users/{id}` share the user builder)
            let overlay = options.overlay.and_then(|o| o.get(&v.path));
            let operations: BTreeSet<CrudOperation> = match overlay {
                Some(o) => {
                    for (op, perms) in &o.permissions {
                        b.permissions.entry(*op).or_insert_with(|| perms.clone());
                    }
                    o.operations
                        .iter()
                        .copied()
                        .filter(|op| fits(*op, v.key.collection))
                        .collect()
                }
                None => conventions(&v),
            };
            for op in operations {
                b.operations.insert(op);
                b.operation_paths
                    .entry(op)
                    .or_default()
                    .insert(v.path.clone());
            }
        }
        if !first_visit {
            continue;
        }
        let children = children(model, &v);
        for (step, child_key, segment, source, reference) in children {
            let child_path = match &step {
                Step::Key => format!("{}/{{id}}", v.path),
                Step::Navigation(n) => format!("{}/{n}", v.path),
            };
            let states: Vec<BTreeSet<usize>> = patterns
                .iter()
                .zip(&v.states)
                .map(|(p, s)| advance(p, s, segment.as_deref()))
                .collect();
            parents
                .entry(child_key.clone())
                .or_default()
                .insert((v.key.clone(), step));
            queue.push_back(Visit {
                key: child_key,
                path: child_path,
                source,
                singleton: false,
                reference,
                states,
            });
        }
        if matched {
            // bound operations are reached as `/path/namespace.name`
            for &op in bound.of(&v.key) {
                sel.builders
                    .entry(v.key.clone())
                    .or_default()
                    .bound_operations
                    .insert(op.name.clone());
            }
        } else {
            for &op in bound.of(&v.key) {
                let mut hit = false;
                for (i, (p, s)) in patterns.iter().zip(&v.states).enumerate() {
                    if accepts(p, &advance(p, s, Some(&op.name))) {
                        hits[i] = true;
                        hit = true;
                    }
                }
                if hit {
                    selected.insert(v.key.clone());
                    let b = sel.builders.entry(v.key.clone()).or_default();
                    b.paths.insert(v.path.clone());
                    b.bound_operations.insert(op.name.clone());
                }
            }
        }
    }
    // Keep every builder on the way from the root to a selected one, and the steps between them.
    let mut needed: BTreeSet<BuilderKey> = selected.clone();
    let mut work: Vec<BuilderKey> = selected.into_iter().collect();
    while let Some(k) = work.pop() {
        if let Some(ps) = parents.get(&k) {
            for (parent, _) in ps {
                if needed.insert(parent.clone()) {
                    work.push(parent.clone());
                }
            }
        }
    }
    for k in &needed {
        let b = sel.builders.entry(k.clone()).or_default();
        if let Some(paths) = paths_of.get(k) {
            b.paths.extend(paths.iter().cloned());
        }
        if let Some(ps) = parents.get(k) {
            for (parent, step) in ps {
                if needed.contains(parent) {
                    sel.builders
                        .entry(parent.clone())
                        .or_default()
                        .steps
                        .insert(step.clone(), k.clone());
                }
            }
        }
        if let Some(names) = root_of.get(k) {
            for n in names {
                sel.roots
                    .insert(n.clone(), RootEntry { builder: k.clone() });
            }
        }
    }
    sel.unmatched_paths = options
        .include_paths
        .iter()
        .zip(&hits)
        .filter(|(_, hit)| !**hit)
        .map(|(p, _)| p.clone())
        .collect();
    add_types(model, options, &mut sel);
    if options.area_features {
        assign_areas(model, &mut sel, !options.no_derived_types);
    }
    sel
}

/// The operations bound to each type, to one of its entities (`[0]`) or to a collection (`[1]`),
/// in [`Model::bound_operations`] order: one pass over the operations instead of one per walked
/// builder.
struct BoundOperations<'m> {
    by_type: BTreeMap<&'m str, [Vec<&'m Operation>; 2]>,
}

impl<'m> BoundOperations<'m> {
    fn of(&self, key: &BuilderKey) -> &[&'m Operation] {
        self.by_type
            .get(key.entity_type.as_str())
            .map_or(&[], |ops| &ops[usize::from(key.collection)])
    }
}

fn bound_operations(model: &Model) -> BoundOperations<'_> {
    let mut by_type: BTreeMap<&str, [Vec<&Operation>; 2]> = BTreeMap::new();
    for op in model
        .actions
        .values()
        .chain(model.functions.values())
        .flatten()
    {
        if let Some(b) = op.binding()
            && let Some(t) = b.type_name()
        {
            by_type.entry(t.as_str()).or_default()[usize::from(b.collection)].push(op);
        }
    }
    BoundOperations { by_type }
}

fn fits(op: CrudOperation, collection: bool) -> bool {
    match op {
        CrudOperation::List | CrudOperation::Create => collection,
        CrudOperation::Get | CrudOperation::Update | CrudOperation::Delete => !collection,
    }
}

/// Operations by Capabilities restrictions on the navigation source, else OData conventions.
fn conventions(v: &Visit) -> BTreeSet<CrudOperation> {
    let allowed = |r: Option<Restriction>| r.and_then(|r| r.allowed).unwrap_or(true);
    let a = &v.source;
    let mut ops = BTreeSet::new();
    if v.key.collection {
        if allowed(a.read_restrictions()) {
            ops.insert(CrudOperation::List);
        }
        if !v.reference && allowed(a.insert_restrictions()) {
            ops.insert(CrudOperation::Create);
        }
    } else {
        if allowed(a.read_restrictions()) {
            ops.insert(CrudOperation::Get);
        }
        if !v.reference {
            if allowed(a.update_restrictions()) {
                ops.insert(CrudOperation::Update);
            }
            if !v.singleton && allowed(a.delete_restrictions()) {
                ops.insert(CrudOperation::Delete);
            }
        }
    }
    ops
}

type Child = (Step, BuilderKey, Option<String>, Annotations, bool);

fn children(model: &Model, v: &Visit) -> Vec<Child> {
    let mut out = Vec::new();
    if v.key.collection {
        let key = BuilderKey {
            collection: false,
            ..v.key.clone()
        };
        out.push((Step::Key, key, None, v.source.clone(), v.reference));
        return out;
    }
    for nav in model.all_navigation_properties(&v.key.entity_type) {
        let context = if nav.contains_target {
            Context::Contained {
                parent: v.key.entity_type.clone(),
                navigation: nav.name.clone(),
            }
        } else {
            Context::Root
        };
        let key = BuilderKey {
            entity_type: nav.target.clone(),
            context,
            collection: nav.collection,
        };
        out.push((
            Step::Navigation(nav.name.clone()),
            key,
            Some(nav.name.clone()),
            nav.annotations.clone(),
            !nav.contains_target,
        ));
    }
    out
}

fn add_types(model: &Model, options: &SelectOptions<'_>, sel: &mut Selection) {
    // With `--all` every type is selected for its own sake; an included type is one values are
    // declared with, like the types the selected builders use.
    let mut included: Vec<&str> = Vec::new();
    let mut declared: Vec<&str> = Vec::new();
    if options.all {
        included.extend(model.entity_types.keys().map(String::as_str));
        included.extend(model.complex_types.keys().map(String::as_str));
        included.extend(model.enum_types.keys().map(String::as_str));
        included.extend(model.type_definitions.keys().map(String::as_str));
    }
    for wanted in options.include_types {
        let found = model
            .entity_types
            .keys()
            .chain(model.complex_types.keys())
            .chain(model.enum_types.keys())
            .chain(model.type_definitions.keys())
            .filter(|q| *q == wanted || q.rsplit('.').next() == Some(wanted.as_str()))
            .map(String::as_str)
            .collect::<Vec<_>>();
        if found.is_empty() {
            sel.unmatched_types.push(wanted.clone());
        }
        declared.extend(found);
    }
    for (key, b) in &sel.builders {
        builder_types(model, key, b, &mut declared);
    }
    let closure = type_closure(
        model,
        included,
        declared,
        !options.no_derived_types,
        &BTreeSet::new(),
    );
    let mut declared = closure.declared;
    // Expanded navigation properties hold values of their target type too; they bring no types.
    for name in &closure.types {
        if let Some(t) = model.structured_type(name) {
            for n in model.all_navigation_properties(&t.name) {
                if closure.types.contains(n.target.as_str()) {
                    declared.insert(&n.target);
                }
            }
        }
    }
    let declared: BTreeSet<String> = declared.into_iter().map(str::to_string).collect();
    sel.types = closure.types.into_iter().map(str::to_string).collect();
    sel.polymorphic = polymorphic(model, &sel.types, &declared);
}

/// For every declared type with selected descendants, those descendants.
fn polymorphic(
    model: &Model,
    types: &BTreeSet<String>,
    declared: &BTreeSet<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for name in declared.iter().filter(|n| types.contains(*n)) {
        let below: BTreeSet<String> = descendants(model, name)
            .into_iter()
            .filter(|d| types.contains(d))
            .collect();
        if !below.is_empty() {
            out.insert(name.clone(), below);
        }
    }
    out
}

/// Every type that derives from `name`, directly or not (not `name` itself).
pub(crate) fn descendants(model: &Model, name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut work = vec![name.to_string()];
    while let Some(n) = work.pop() {
        let Some(t) = model.structured_type(&n) else {
            continue;
        };
        for d in &t.derived_types {
            if d != name && out.insert(d.clone()) {
                work.push(d.clone());
            }
        }
    }
    out
}

/// The types a builder's operations take or return.
fn builder_types<'a>(model: &'a Model, key: &'a BuilderKey, b: &Builder, out: &mut Vec<&'a str>) {
    if b.operations
        .iter()
        .any(|op| !matches!(op, CrudOperation::Delete))
    {
        out.push(&key.entity_type);
    }
    for name in &b.bound_operations {
        for op in model.overloads(name) {
            out.extend(op.call_parameters().iter().filter_map(|p| held_type(&p.ty)));
            out.extend(op.return_type.as_ref().and_then(|r| held_type(&r.ty)));
        }
    }
}

/// What [`type_closure`] found.
struct Closure<'a> {
    types: BTreeSet<&'a str>,
    /// The types that values are declared with (and, with derived types, their descendants).
    declared: BTreeSet<&'a str>,
}

/// The types and everything their values hold: base types and structural property types, and,
/// with `derived`, the derived types of every type a value is declared with (a value of a
/// declared type may be any of its descendants; a base type reached as a base brings none).
fn type_closure<'a>(
    model: &'a Model,
    included: Vec<&'a str>,
    declared: Vec<&'a str>,
    derived: bool,
    foreign: &BTreeSet<&String>,
) -> Closure<'a> {
    let mut out = Closure {
        types: BTreeSet::new(),
        declared: BTreeSet::new(),
    };
    let mut work: Vec<(&str, bool)> = included.into_iter().map(|n| (n, false)).collect();
    work.extend(declared.into_iter().map(|n| (n, true)));
    while let Some((name, is_declared)) = work.pop() {
        if is_declared
            && out.declared.insert(name)
            && derived
            && let Some(t) = model.structured_type(name)
        {
            work.extend(
                t.derived_types
                    .iter()
                    .filter(|d| !foreign.contains(d))
                    .map(|d| (d.as_str(), true)),
            );
        }
        if !out.types.insert(name) {
            continue;
        }
        if let Some(t) = model.structured_type(name) {
            if let Some(b) = &t.base_type {
                work.push((b, false));
            }
            work.extend(
                t.properties
                    .iter()
                    .filter_map(|p| held_type(&p.ty))
                    .map(|n| (n, true)),
            );
        }
    }
    out
}

/// The named type a value of `t` holds (an entity, complex or enum type or a type definition).
fn held_type(t: &TypeUse) -> Option<&str> {
    match &t.ty {
        TypeRef::Entity(n) | TypeRef::Complex(n) | TypeRef::Enum(n) | TypeRef::Definition(n) => {
            Some(n)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NoReferences, load_model};

    fn polymorphism_model() -> Model {
        let bytes = include_bytes!("../../tests/fixtures/emit/polymorphism.xml");
        load_model("polymorphism.xml", bytes, &mut NoReferences).expect("fixture loads")
    }

    fn paths(model: &Model, paths: &[&str], no_derived_types: bool) -> Selection {
        let include_paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        select(
            model,
            &SelectOptions {
                include_paths: &include_paths,
                no_derived_types,
                ..Default::default()
            },
        )
    }

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| format!("test.poly.{n}")).collect()
    }

    #[test]
    fn an_include_path_brings_the_derived_types_of_what_it_declares() {
        let model = polymorphism_model();
        let sel = paths(&model, &["/deviceManagement/configurations"], false);
        assert_eq!(
            sel.types,
            set(&[
                "circle",
                "configuration",
                "entity",
                "iosConfiguration",
                "publicationInfo",
                "shape",
                "taskSource",
                "windows10Configuration",
                "windowsConfiguration",
            ])
        );
        assert_eq!(
            sel.polymorphic.keys().cloned().collect::<BTreeSet<_>>(),
            set(&[
                "configuration",
                "shape",
                "taskSource",
                "windowsConfiguration"
            ])
        );
        assert_eq!(
            sel.polymorphic["test.poly.configuration"],
            set(&[
                "iosConfiguration",
                "windows10Configuration",
                "windowsConfiguration"
            ])
        );
    }

    #[test]
    fn a_builder_shared_by_a_singleton_keeps_the_operations_of_every_path() {
        let bytes = include_bytes!("../../tests/fixtures/emit/request_patterns.xml");
        let model = load_model("request_patterns.xml", bytes, &mut NoReferences).expect("loads");
        let key = BuilderKey {
            entity_type: "microsoft.graph.user".into(),
            context: Context::Root,
            collection: false,
        };
        // `/me` is walked first and cannot be deleted; `/users/{id}` can
        for sel in [
            select(
                &model,
                &SelectOptions {
                    all: true,
                    ..Default::default()
                },
            ),
            paths(&model, &["/me", "/users/{id}"], false),
        ] {
            let user = &sel.builders[&key];
            assert_eq!(
                user.operations,
                [
                    CrudOperation::Get,
                    CrudOperation::Update,
                    CrudOperation::Delete
                ]
                .into()
            );
            assert_eq!(
                user.operation_paths[&CrudOperation::Delete],
                ["/users/{id}".to_string()].into()
            );
            assert!(user.operation_paths[&CrudOperation::Get].contains("/me"));
        }
    }

    #[test]
    fn a_base_type_reached_as_a_base_brings_no_derived_types() {
        let model = polymorphism_model();
        let sel = paths(&model, &["/deviceManagement/configurations"], false);
        // `entity` is the base of every entity type, but no value here is declared as one
        assert!(!sel.types.contains("test.poly.user"));
        assert!(!sel.polymorphic.contains_key("test.poly.entity"));
    }

    #[test]
    fn an_included_type_brings_its_derived_types() {
        let model = polymorphism_model();
        let include_types = vec!["shape".to_string()];
        let sel = select(
            &model,
            &SelectOptions {
                include_types: &include_types,
                ..Default::default()
            },
        );
        assert_eq!(sel.types, set(&["circle", "shape"]));
        assert_eq!(sel.polymorphic["test.poly.shape"], set(&["circle"]));
    }

    #[test]
    fn include_paths_and_types_that_select_nothing_are_reported() {
        let model = polymorphism_model();
        let include_paths = vec![
            "/users/{id}/memberOf".to_string(),
            "/users/{id}/memberOff".to_string(),
            "/deviceManagement/configurations/**".to_string(),
            "/nowhere/**".to_string(),
        ];
        let include_types = vec!["circle".to_string(), "square".to_string()];
        let sel = select(
            &model,
            &SelectOptions {
                include_paths: &include_paths,
                include_types: &include_types,
                ..Default::default()
            },
        );
        assert_eq!(
            sel.unmatched_paths,
            ["/users/{id}/memberOff", "/nowhere/**"]
        );
        assert_eq!(sel.unmatched_types, ["square"]);
        // a path that reaches only a bound operation matches it
        let paths = vec!["/deviceManagement/configurations/{id}/test.poly.assign".to_string()];
        let sel = select(
            &model,
            &SelectOptions {
                include_paths: &paths,
                ..Default::default()
            },
        );
        assert!(sel.unmatched_paths.is_empty(), "{:?}", sel.unmatched_paths);
    }

    #[test]
    fn derived_types_can_be_left_out() {
        let model = polymorphism_model();
        let sel = paths(&model, &["/deviceManagement/configurations"], true);
        assert_eq!(
            sel.types,
            set(&[
                "configuration",
                "entity",
                "publicationInfo",
                "shape",
                "taskSource"
            ])
        );
        // a derived type selected for another reason still makes its base polymorphic
        assert_eq!(
            sel.polymorphic.keys().cloned().collect::<BTreeSet<_>>(),
            set(&["taskSource"])
        );
    }

    #[test]
    fn derived_types_cross_namespaces_and_navigation_targets_are_polymorphic() {
        let model = polymorphism_model();
        let sel = paths(&model, &["/users/{id}/memberOf"], false);
        let below = &sel.polymorphic["test.poly.directoryObject"];
        assert!(below.contains("test.poly.extra.user"), "{below:?}");
        assert!(
            below.contains("test.poly.extra.servicePrincipal"),
            "{below:?}"
        );
        assert!(below.contains("test.poly.group"), "{below:?}");
    }
}
