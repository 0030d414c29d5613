//! Bound actions and functions: their methods, parameters and results.

use std::collections::BTreeSet;

use super::api::{Api, OperationApi, ParameterApi};
use super::docs;
use super::pairs;
use super::report::{Changes, Class, Kind};

pub(super) fn compare(old: &Api, new: &Api, out: &mut Changes) {
    for (id, o, n) in pairs(&old.operations, &new.operations) {
        match (o, n) {
            (None, Some(op)) => out.push(
                &op.area,
                id,
                Kind::OperationAdded,
                Class::Additive,
                kind(op),
                &op.rust,
            ),
            (Some(op), None) => out.push(
                &op.area,
                id,
                Kind::OperationRemoved,
                Class::Breaking,
                kind(op),
                &op.rust,
            ),
            (Some(o), Some(n)) => changed(id, o, n, out),
            (None, None) => {}
        }
    }
}

fn kind(op: &OperationApi) -> &'static str {
    if op.function { "function" } else { "action" }
}

fn changed(id: &str, o: &OperationApi, n: &OperationApi, out: &mut Changes) {
    let area = n.area.as_str();
    if o.function != n.function {
        out.push(
            area,
            id,
            Kind::OperationKindChanged,
            Class::Breaking,
            format!("{} -> {}", kind(o), kind(n)),
            &n.rust,
        );
        return;
    }
    // the builders that have it: one more is a new method, one less a removed one
    let old_methods: BTreeSet<&String> = o.rust.iter().collect();
    let new_methods: BTreeSet<&String> = n.rust.iter().collect();
    for m in new_methods.difference(&old_methods) {
        out.push(
            area,
            id,
            Kind::MethodAdded,
            Class::Additive,
            kind(n),
            &[(*m).clone()],
        );
    }
    for m in old_methods.difference(&new_methods) {
        out.push(
            area,
            id,
            Kind::MethodRemoved,
            Class::Breaking,
            kind(o),
            &[(*m).clone()],
        );
    }
    let find = |list: &[ParameterApi], name: &str| list.iter().position(|p| p.name == name);
    for p in &n.parameters {
        let element = format!("{id}/{}", p.name);
        let Some(i) = find(&o.parameters, &p.name) else {
            // a function's parameters are the method's arguments; an action's are optional fields
            // of its parameter struct, but the service refuses a call without a required one
            let (class, why) = if n.function {
                (Class::Breaking, "a new argument of the method")
            } else if !p.nullable {
                (Class::Breaking, "required: calls without it are refused")
            } else {
                (Class::Additive, "optional")
            };
            out.push(
                area,
                &element,
                Kind::ParameterAdded,
                class,
                format!("{}, {why}", p.ty),
                &p.rust,
            );
            continue;
        };
        let before = &o.parameters[i];
        if before.ty != p.ty {
            let class = if before.rust_type == p.rust_type {
                Class::DocsOnly
            } else {
                Class::Breaking
            };
            out.push(
                area,
                &element,
                Kind::ParameterTypeChanged,
                class,
                format!("{} -> {}", before.ty, p.ty),
                &p.rust,
            );
        }
        if before.nullable != p.nullable {
            // only an action's parameter may be left out, and only a nullable one
            let class = if !n.function && !p.nullable {
                Class::Breaking
            } else {
                Class::DocsOnly
            };
            let text = |nullable: bool| if nullable { "optional" } else { "required" };
            out.push(
                area,
                &element,
                Kind::ParameterNullableChanged,
                class,
                format!("{} -> {}", text(before.nullable), text(p.nullable)),
                &p.rust,
            );
        }
    }
    for p in &o.parameters {
        if find(&n.parameters, &p.name).is_none() {
            out.push(
                area,
                &format!("{id}/{}", p.name),
                Kind::ParameterRemoved,
                Class::Breaking,
                p.ty.as_str(),
                &p.rust,
            );
        }
    }
    // a function's arguments are positional
    let order = |list: &[ParameterApi], other: &[ParameterApi]| -> Vec<String> {
        list.iter()
            .filter(|p| find(other, &p.name).is_some())
            .map(|p| p.name.clone())
            .collect()
    };
    let (old_order, new_order) = (
        order(&o.parameters, &n.parameters),
        order(&n.parameters, &o.parameters),
    );
    if n.function && old_order != new_order {
        out.push(
            area,
            id,
            Kind::ParameterTypeChanged,
            Class::Breaking,
            format!(
                "parameter order ({}) -> ({})",
                old_order.join(", "),
                new_order.join(", ")
            ),
            &n.rust,
        );
    }
    if o.returns != n.returns {
        let class = if o.rust_result == n.rust_result {
            Class::DocsOnly
        } else {
            Class::Breaking
        };
        let text = |r: &Option<String>| r.clone().unwrap_or_else(|| "nothing".to_string());
        out.push(
            area,
            id,
            Kind::ReturnTypeChanged,
            class,
            format!("{} -> {}", text(&o.returns), text(&n.returns)),
            &n.rust,
        );
    }
    if o.composable != n.composable {
        // the emitter does not compose on function results
        out.push(
            area,
            id,
            Kind::ComposableChanged,
            Class::DocsOnly,
            format!("{} -> {}", o.composable, n.composable),
            &n.rust,
        );
    }
    docs::compare(out, area, id, &o.docs, &n.docs, &n.rust);
}
