//! Inheritance: the derived types of each type, base-type cycles, redefined keys and members.

use std::collections::BTreeMap;

use super::Found;
use super::scope::{Kind, Scope};
use crate::model::{Loc, Model, StructuredType};
use crate::repeats::{FxMap, FxSet};

/// Fills every structured type's `derived_types`, in name order.
pub(super) fn list_derived_types(model: &mut Model) {
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
}

/// [`Model::structured_type`], with the declared kind choosing the map (one search, not two).
pub(super) fn structured<'m>(
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

/// Above this many inherited members on the current path, names are looked up in a hash map
/// rather than compared one by one.
pub(super) const SCAN_INHERITED: usize = 16;

/// Members that repeat the name of a member an ancestor declares: a derived type cannot redefine
/// an inherited property or navigation property (both would be one key of the JSON object).
///
/// Each inheritance tree is walked down from its root, keeping the members of the types on the
/// path, so every member is looked at once however deep or wide the trees.
pub(super) fn check_inherited_members(scope: &Scope, model: &Model, report: &mut Found) {
    pub(super) fn members(t: &StructuredType) -> impl Iterator<Item = (&str, Loc, &'static str)> {
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
                        scope.location(*first)
                    );
                    report.error(l, msg);
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

pub(super) fn check_inheritance(scope: &Scope, model: &mut Model, report: &mut Found) {
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
        report.error(l, msg);
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
            report.warn(l, msg);
        } else {
            report.error(l, msg);
        }
    }
}
