//! Types: structured types with their properties and navigation properties, polymorphic enums,
//! enum types with their members, type definitions.

use super::api::{Api, NavigationApi, PropertyApi, TypeApi, TypeKindApi};
use super::docs;
use super::pairs;
use super::report::{Changes, Class, Kind};

pub(super) fn compare(old: &Api, new: &Api, out: &mut Changes) {
    for (qname, o, n) in pairs(&old.types, &new.types) {
        match (o, n) {
            (None, Some(n)) => out.push(
                &n.area,
                qname,
                Kind::TypeAdded,
                Class::Additive,
                kind_label(n.kind, n.flags),
                std::slice::from_ref(&n.rust),
            ),
            (Some(o), None) => out.push(
                &o.area,
                qname,
                Kind::TypeRemoved,
                Class::Breaking,
                kind_label(o.kind, o.flags),
                std::slice::from_ref(&o.rust),
            ),
            (Some(o), Some(n)) => changed(qname, o, n, out),
            (None, None) => {}
        }
    }
}

fn kind_label(kind: TypeKindApi, flags: bool) -> &'static str {
    match kind {
        TypeKindApi::Entity => "entity type",
        TypeKindApi::Complex => "complex type",
        TypeKindApi::Enum if flags => "flags enum type",
        TypeKindApi::Enum => "enum type",
        TypeKindApi::Definition => "type definition",
    }
}

/// `Rust name changed` when the naming stage gave an item another name: code naming it breaks.
pub(super) fn renamed(out: &mut Changes, area: &str, element: &str, old: &str, new: &str) {
    if old != new {
        out.push(
            area,
            element,
            Kind::RenamedInRust,
            Class::Breaking,
            format!("{old} -> {new}"),
            &[new.to_string()],
        );
    }
}

fn changed(qname: &str, o: &TypeApi, n: &TypeApi, out: &mut Changes) {
    let area = n.area.as_str();
    let rust = std::slice::from_ref(&n.rust);
    if o.kind != n.kind || o.flags != n.flags {
        let kind = if o.kind == n.kind {
            Kind::FlagsChanged
        } else {
            Kind::TypeKindChanged
        };
        out.push(
            area,
            qname,
            kind,
            Class::Breaking,
            format!(
                "{} -> {}",
                kind_label(o.kind, o.flags),
                kind_label(n.kind, n.flags)
            ),
            rust,
        );
        return;
    }
    renamed(out, area, qname, &o.rust, &n.rust);
    if o.base != n.base {
        let text = |b: &Option<String>| b.clone().unwrap_or_else(|| "none".to_string());
        out.push(
            area,
            qname,
            Kind::BaseTypeChanged,
            Class::Breaking,
            format!("{} -> {}", text(&o.base), text(&n.base)),
            rust,
        );
    }
    polymorphism(qname, o, n, out);
    for (name, op, np) in pairs(&o.properties, &n.properties) {
        property(area, &format!("{qname}/{name}"), op, np, out);
    }
    for (name, on, nn) in pairs(&o.navigation, &n.navigation) {
        navigation(area, &format!("{qname}/{name}"), on, nn, out);
    }
    for (name, om, nm) in pairs(&o.members, &n.members) {
        let element = format!("{qname}/{name}");
        match (om, nm) {
            (None, Some(m)) => out.push(
                area,
                &element,
                Kind::MemberAdded,
                Class::Additive,
                format!("value {}", m.value),
                std::slice::from_ref(&m.rust),
            ),
            (Some(m), None) => out.push(
                area,
                &element,
                Kind::MemberRemoved,
                Class::Breaking,
                format!("value {}", m.value),
                std::slice::from_ref(&m.rust),
            ),
            (Some(a), Some(b)) => {
                if a.value != b.value {
                    out.push(
                        area,
                        &element,
                        Kind::MemberValueChanged,
                        Class::Breaking,
                        format!("{} -> {}", a.value, b.value),
                        std::slice::from_ref(&b.rust),
                    );
                }
                renamed(out, area, &element, &a.rust, &b.rust);
                docs::compare(
                    out,
                    area,
                    &element,
                    &a.docs,
                    &b.docs,
                    std::slice::from_ref(&b.rust),
                );
            }
            (None, None) => {}
        }
    }
    if let (Some((ot, orust)), Some((nt, nrust))) = (&o.underlying, &n.underlying)
        && ot != nt
    {
        let class = if orust == nrust {
            Class::DocsOnly
        } else {
            Class::Breaking
        };
        out.push(
            area,
            qname,
            Kind::UnderlyingTypeChanged,
            class,
            format!("{ot} -> {nt}"),
            rust,
        );
    }
    docs::compare(out, area, qname, &o.docs, &n.docs, rust);
}

/// Values declared with a type that gains its first selected derived type become its enum
/// (`AnyT`), so every field, parameter and result of that type changes: breaking. A new variant of
/// an existing enum is additive: the enum is open (a type it does not know reads as the base
/// variant), so code must already handle values it does not know.
fn polymorphism(qname: &str, o: &TypeApi, n: &TypeApi, out: &mut Changes) {
    let area = n.area.as_str();
    match (&o.polymorphic, &n.polymorphic) {
        (None, Some((e, _))) => out.push(
            area,
            qname,
            Kind::BecamePolymorphic,
            Class::Breaking,
            format!("values declared with it are now `{e}`"),
            std::slice::from_ref(e),
        ),
        (Some((e, _)), None) => out.push(
            area,
            qname,
            Kind::StoppedBeingPolymorphic,
            Class::Breaking,
            format!("`{e}` is gone: values declared with it are `{}`", n.rust),
            std::slice::from_ref(e),
        ),
        (Some((oe, ov)), Some((ne, nv))) => {
            renamed(out, area, qname, oe, ne);
            for (d, a, b) in pairs(ov, nv) {
                match (a, b) {
                    (None, Some(v)) => out.push(
                        area,
                        qname,
                        Kind::DerivedTypeAdded,
                        Class::Additive,
                        d.as_str(),
                        std::slice::from_ref(v),
                    ),
                    (Some(v), None) => out.push(
                        area,
                        qname,
                        Kind::DerivedTypeRemoved,
                        Class::Breaking,
                        d.as_str(),
                        std::slice::from_ref(v),
                    ),
                    (Some(a), Some(b)) => renamed(out, area, qname, a, b),
                    (None, None) => {}
                }
            }
        }
        (None, None) => {}
    }
}

fn nullable_text(nullable: bool) -> &'static str {
    if nullable { "nullable" } else { "not nullable" }
}

/// A property is a field of its type's struct and of every derived type's.
fn property(
    area: &str,
    element: &str,
    o: Option<&PropertyApi>,
    n: Option<&PropertyApi>,
    out: &mut Changes,
) {
    let (o, n) = match (o, n) {
        (None, Some(p)) => {
            let detail = format!("{}, {}", p.ty, nullable_text(p.nullable));
            return out.push(
                area,
                element,
                Kind::PropertyAdded,
                Class::Additive,
                detail,
                &p.rust,
            );
        }
        (Some(p), None) => {
            let detail = format!("{}, {}", p.ty, nullable_text(p.nullable));
            return out.push(
                area,
                element,
                Kind::PropertyRemoved,
                Class::Breaking,
                detail,
                &p.rust,
            );
        }
        (Some(o), Some(n)) => (o, n),
        (None, None) => return,
    };
    // the field's type says whether code breaks: `Option<T>`, `Nullable<T>`, `Option<Vec<T>>`
    let rust_changed = o.rust_type != n.rust_type;
    let class = if rust_changed {
        Class::Breaking
    } else {
        Class::DocsOnly
    };
    let rust_detail = if rust_changed {
        format!(" (`{}` -> `{}`)", o.rust_type, n.rust_type)
    } else {
        String::new()
    };
    if o.ty != n.ty {
        out.push(
            area,
            element,
            Kind::PropertyTypeChanged,
            class,
            format!("{} -> {}{rust_detail}", o.ty, n.ty),
            &n.rust,
        );
    } else if o.nullable != n.nullable {
        out.push(
            area,
            element,
            Kind::PropertyNullableChanged,
            class,
            format!(
                "{} -> {}{rust_detail}",
                nullable_text(o.nullable),
                nullable_text(n.nullable)
            ),
            &n.rust,
        );
    }
    if o.default != n.default {
        let text = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".to_string());
        out.push(
            area,
            element,
            Kind::PropertyDefaultChanged,
            Class::DocsOnly,
            format!("{} -> {}", text(&o.default), text(&n.default)),
            &n.rust,
        );
    }
    // the same struct's field under another name (structs that stop or start inheriting it
    // are the base type's change)
    for a in &o.rust {
        let owner = |item: &str| {
            item.rsplit_once("::")
                .map_or(String::new(), |(o, _)| o.to_string())
        };
        if let Some(b) = n.rust.iter().find(|b| owner(b) == owner(a)) {
            renamed(out, area, element, a, b);
        }
    }
    docs::compare(out, area, element, &o.docs, &n.docs, &n.rust);
}

fn navigation(
    area: &str,
    element: &str,
    o: Option<&NavigationApi>,
    n: Option<&NavigationApi>,
    out: &mut Changes,
) {
    let (o, n) = match (o, n) {
        (None, Some(p)) => {
            return out.push(
                area,
                element,
                Kind::NavigationAdded,
                Class::Additive,
                p.target.as_str(),
                &p.rust,
            );
        }
        (Some(p), None) => {
            return out.push(
                area,
                element,
                Kind::NavigationRemoved,
                Class::Breaking,
                p.target.as_str(),
                &p.rust,
            );
        }
        (Some(o), Some(n)) => (o, n),
        (None, None) => return,
    };
    if o.target != n.target {
        out.push(
            area,
            element,
            Kind::NavigationTargetChanged,
            Class::Breaking,
            format!("{} -> {}", o.target, n.target),
            &n.rust,
        );
    }
    if o.contains_target != n.contains_target {
        let text = |c: bool| if c { "contained" } else { "referenced" };
        out.push(
            area,
            element,
            Kind::NavigationContainmentChanged,
            Class::Breaking,
            format!("{} -> {}", text(o.contains_target), text(n.contains_target)),
            &n.rust,
        );
    }
    docs::compare(out, area, element, &o.docs, &n.docs, &n.rust);
}
