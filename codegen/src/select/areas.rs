//! The split of a selection into Cargo features, one per area.

use std::collections::{BTreeMap, BTreeSet};

use super::{BuilderKey, Context, Selection, Step, builder_types, held_type, type_closure};
use crate::model::Model;

/// The feature of types that no area reaches.
pub const EXTRA_TYPES_FEATURE: &str = "extra-types";

/// Splits the selection into Cargo features, one per entity set or singleton (an area): an area
/// holds the builders its containment tree reaches and the types they use. Navigation into
/// another area's entities (a non-containment navigation property to an entity set's type)
/// stays outside, so each area compiles alone; items shared by areas compile with any of them.
pub(super) fn assign_areas(model: &Model, sel: &mut Selection, derived: bool) {
    let mut scope =
        crate::naming::Scope::with_reserved(&["default", "full", "reqwest", EXTRA_TYPES_FEATURE]);
    let owned: BTreeSet<&String> = sel.roots.values().map(|r| &r.builder.entity_type).collect();
    let mut builder_areas: BTreeMap<BuilderKey, BTreeSet<String>> = BTreeMap::new();
    for (root, entry) in &sel.roots {
        let feature = scope.claim(crate::naming::feature_name(root));
        sel.areas.insert(root.clone(), feature.clone());
        let mut work = vec![entry.builder.clone()];
        while let Some(k) = work.pop() {
            if !builder_areas
                .entry(k.clone())
                .or_default()
                .insert(feature.clone())
            {
                continue;
            }
            let Some(b) = sel.builders.get(&k) else {
                continue;
            };
            for (step, child) in &b.steps {
                let foreign = matches!(step, Step::Navigation(_))
                    && child.context == Context::Root
                    && owned.contains(&child.entity_type);
                if !foreign {
                    work.push(child.clone());
                }
            }
        }
    }
    let root_of_area: BTreeMap<&str, &String> = sel
        .roots
        .iter()
        .filter_map(|(root, entry)| {
            sel.areas
                .get(root)
                .map(|f| (f.as_str(), &entry.builder.entity_type))
        })
        .collect();
    let mut type_areas: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut polymorphic_areas: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    // builders with the same areas share one closure: a closure of a union is the union of the
    // closures
    let mut used_by_areas: BTreeMap<&BTreeSet<String>, Vec<&str>> = BTreeMap::new();
    for (key, areas) in &builder_areas {
        if let Some(b) = sel.builders.get(key) {
            builder_types(model, key, b, used_by_areas.entry(areas).or_default());
        }
    }
    for (areas, used) in used_by_areas {
        // the entity types of other areas' entity sets and singletons stay theirs: a value of one
        // reads as its base type unless that area is compiled too
        let own_roots: BTreeSet<&String> = areas
            .iter()
            .filter_map(|a| root_of_area.get(a.as_str()))
            .copied()
            .collect();
        let foreign: BTreeSet<&String> = owned.difference(&own_roots).copied().collect();
        let closure = type_closure(model, Vec::new(), used, derived, &foreign);
        for t in closure.types {
            type_areas
                .entry(t)
                .or_default()
                .extend(areas.iter().map(String::as_str));
        }
        for t in closure.declared {
            if sel.polymorphic.contains_key(t) {
                polymorphic_areas
                    .entry(t)
                    .or_default()
                    .extend(areas.iter().map(String::as_str));
            }
        }
    }
    for t in &sel.types {
        type_areas
            .entry(t)
            .or_insert_with(|| [EXTRA_TYPES_FEATURE].into());
    }
    // A type no area reaches may still hold polymorphic values; navigation targets are not in
    // any closure: their enums compile wherever the base type does.
    for name in &sel.types {
        let Some(t) = model.structured_type(name) else {
            continue;
        };
        if !type_areas[name.as_str()].contains(EXTRA_TYPES_FEATURE) {
            continue;
        }
        for h in t.properties.iter().filter_map(|p| held_type(&p.ty)) {
            if sel.polymorphic.contains_key(h) {
                polymorphic_areas
                    .entry(h)
                    .or_default()
                    .insert(EXTRA_TYPES_FEATURE);
            }
        }
    }
    for t in sel.polymorphic.keys() {
        if !polymorphic_areas.contains_key(t.as_str())
            && let Some(areas) = type_areas.get(t.as_str())
        {
            polymorphic_areas.insert(t, areas.clone());
        }
    }
    let to_owned = |map: BTreeMap<&str, BTreeSet<&str>>| -> BTreeMap<String, BTreeSet<String>> {
        map.into_iter()
            .map(|(t, areas)| {
                let areas = areas.into_iter().map(str::to_string).collect();
                (t.to_string(), areas)
            })
            .collect()
    };
    // the maps borrow names from `builder_areas`: own them before it moves
    sel.polymorphic_areas = to_owned(polymorphic_areas);
    sel.type_areas = to_owned(type_areas);
    sel.builder_areas = builder_areas;
}
