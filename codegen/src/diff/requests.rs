//! The service client's entity sets and singletons, and the request builders with their methods:
//! where Capabilities restrictions and the operations overlay show.

use super::api::Api;
use super::docs;
use super::pairs;
use super::report::{Changes, Class, Kind};
use super::types::renamed;

pub(super) fn compare(old: &Api, new: &Api, out: &mut Changes) {
    for (name, o, n) in pairs(&old.roots, &new.roots) {
        let element = format!("/{name}");
        let what = |singleton: bool| if singleton { "singleton" } else { "entity set" };
        match (o, n) {
            (None, Some(r)) => out.push(
                name,
                &element,
                Kind::RootAdded,
                Class::Additive,
                format!("{} of {}", what(r.singleton), r.entity_type),
                std::slice::from_ref(&r.rust),
            ),
            (Some(r), None) => out.push(
                name,
                &element,
                Kind::RootRemoved,
                Class::Breaking,
                format!("{} of {}", what(r.singleton), r.entity_type),
                std::slice::from_ref(&r.rust),
            ),
            (Some(a), Some(b)) => {
                if a.entity_type != b.entity_type || a.singleton != b.singleton {
                    out.push(
                        name,
                        &element,
                        Kind::RootTypeChanged,
                        Class::Breaking,
                        format!(
                            "{} of {} -> {} of {}",
                            what(a.singleton),
                            a.entity_type,
                            what(b.singleton),
                            b.entity_type
                        ),
                        std::slice::from_ref(&b.rust),
                    );
                }
                renamed(out, name, &element, &a.rust, &b.rust);
                docs::compare(
                    out,
                    name,
                    &element,
                    &a.docs,
                    &b.docs,
                    std::slice::from_ref(&b.rust),
                );
            }
            (None, None) => {}
        }
    }
    for (id, o, n) in pairs(&old.builders, &new.builders) {
        match (o, n) {
            (None, Some(b)) => out.push(
                &b.area,
                &b.path,
                Kind::BuilderAdded,
                Class::Additive,
                id.as_str(),
                std::slice::from_ref(&b.rust),
            ),
            (Some(b), None) => out.push(
                &b.area,
                &b.path,
                Kind::BuilderRemoved,
                Class::Breaking,
                id.as_str(),
                std::slice::from_ref(&b.rust),
            ),
            (Some(a), Some(b)) => {
                let (area, element) = (b.area.as_str(), b.path.as_str());
                renamed(out, area, element, &a.rust, &b.rust);
                // a CRUD method comes and goes with the overlay and the Capabilities
                // restrictions; steps, casts and streams with the model
                for (what, m, n) in pairs(&a.methods, &b.methods) {
                    match (m, n) {
                        (None, Some(m)) => out.push(
                            area,
                            element,
                            Kind::MethodAdded,
                            Class::Additive,
                            what.as_str(),
                            std::slice::from_ref(m),
                        ),
                        (Some(m), None) => out.push(
                            area,
                            element,
                            Kind::MethodRemoved,
                            Class::Breaking,
                            what.as_str(),
                            std::slice::from_ref(m),
                        ),
                        // a renamed builder renames every path below it, not the methods
                        (Some(m), Some(n)) if method_name(m) != method_name(n) => {
                            renamed(out, area, element, m, n)
                        }
                        _ => {}
                    }
                }
            }
            (None, None) => {}
        }
    }
}

fn method_name(item: &str) -> &str {
    item.rsplit("::").next().unwrap_or(item)
}
