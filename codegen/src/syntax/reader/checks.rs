//! The checks made while an element is at hand: required attributes, names that must be
//! SimpleIdentifiers or namespaces, member names that repeat within a type, and the syntax of an
//! external annotation target.

use quick_xml::events::BytesStart;

use super::CsdlReader;
use super::attributes::Val;
use crate::repeats::{earlier_duplicates, has_repeats};
use crate::syntax::identifier::{NAME_RULE, is_namespace, is_simple_identifier};
use crate::syntax::{Pos, StructuredType};

/// Checks the syntax of an external annotation target: a qualified name (or a namespace), for an
/// operation optionally followed by the parenthesized types of its overload's parameters
/// (`ns.f(ns.T,Collection(Edm.String))`, `ns.a()`), then `/`-separated path segments. Whether the
/// target names something is the resolver's question; a target that cannot name anything is an
/// error here. Path segments may be property names, which need not be SimpleIdentifiers.
pub(super) fn target_syntax(target: &str) -> Result<(), String> {
    let opened = target.bytes().filter(|&b| b == b'(').count();
    let closed = target.bytes().filter(|&b| b == b')').count();
    if opened != closed {
        return Err("unbalanced parentheses".to_string());
    }
    let (head, path) = match target.split_once('/') {
        Some((head, path)) => (head, Some(path)),
        None => (target, None),
    };
    let name = match head.split_once('(') {
        Some((name, rest)) => {
            let Some(list) = rest.strip_suffix(')') else {
                return Err("text follows the parameter list".to_string());
            };
            if !list.trim().is_empty() {
                for entry in list.split(',') {
                    let entry = entry.trim();
                    if entry.is_empty() {
                        return Err("the parameter list has an empty entry".to_string());
                    }
                    let ty = entry
                        .strip_prefix("Collection(")
                        .and_then(|t| t.strip_suffix(')'))
                        .map_or(entry, str::trim);
                    if !is_namespace(ty) {
                        return Err(format!(
                            "`{entry}` in the parameter list is not a type name"
                        ));
                    }
                }
            }
            name
        }
        None => head,
    };
    if !is_namespace(name) {
        return Err(format!("`{name}` is not a qualified name"));
    }
    for segment in path.into_iter().flat_map(|p| p.split('/')) {
        if segment.is_empty() {
            return Err("a path segment is empty".to_string());
        }
        if segment.contains(['(', ')', ',']) {
            return Err(format!(
                "path segment `{segment}` holds a parenthesis or comma"
            ));
        }
    }
    Ok(())
}

/// What [`CsdlReader::named`] read: the element's position, `Name` and reference attribute.
pub(super) struct Named {
    pub(super) pos: Pos,
    pub(super) name: Option<String>,
    pub(super) reference: Option<String>,
}

impl Named {
    /// Position, name and reference, absent ones empty (already reported by `check_named`).
    pub(super) fn parts(self) -> (Pos, String, String) {
        (
            self.pos,
            self.name.unwrap_or_default(),
            self.reference.unwrap_or_default(),
        )
    }
}

impl<'a> CsdlReader<'a> {
    pub(super) fn require(&mut self, present: bool, qname: &str, attr: &str, pos: Pos) {
        if !present && !self.bad_attrs {
            self.error_at(pos, format!("`<{qname}>` needs a `{attr}` attribute"));
        }
    }

    /// Reads the attributes of a named element: its `Name`, the attribute `reference` names (the
    /// `Type` of a property, the `EntityType` of an entity set...) and every other one through
    /// `other`. The position is taken first, as the attributes' own errors come after it.
    pub(super) fn named<F>(
        &mut self,
        e: &BytesStart<'_>,
        off: usize,
        reference: Option<&str>,
        mut other: F,
    ) -> Named
    where
        F: FnMut(&mut Self, &'a str, Val<'a>),
    {
        let mut n = Named {
            pos: self.pos_at(off),
            name: None,
            reference: None,
        };
        self.attrs(e, |this, key, v| {
            if key == "Name" {
                n.name = Some(v.string());
            } else if Some(key) == reference {
                n.reference = Some(v.string());
            } else {
                other(this, key, v);
            }
        });
        n
    }

    /// The `Name` is present and a SimpleIdentifier, the `reference` attribute present.
    pub(super) fn check_named(&mut self, n: &Named, qname: &str, reference: Option<&str>) {
        self.check_name(
            n.name.is_some(),
            n.name.as_deref().unwrap_or(""),
            qname,
            n.pos,
        );
        if let Some(attr) = reference {
            self.require(n.reference.is_some(), qname, attr, n.pos);
        }
    }

    /// Checks a `Name` attribute: present and a SimpleIdentifier.
    pub(super) fn check_name(&mut self, present: bool, name: &str, qname: &str, pos: Pos) {
        if !present {
            self.require(false, qname, "Name", pos);
        } else if !is_simple_identifier(name) {
            self.error_at(
                pos,
                format!("`{name}` is not a valid CSDL name: {NAME_RULE}"),
            );
        }
    }

    pub(super) fn check_namespace(
        &mut self,
        present: bool,
        ns: &str,
        qname: &str,
        attr: &str,
        pos: Pos,
    ) {
        if !present {
            self.require(false, qname, attr, pos);
        } else if !is_namespace(ns) {
            self.error_at(
                pos,
                format!(
                    "`{ns}` is not a valid CSDL namespace: a namespace is one or more names separated by dots, where {NAME_RULE}"
                ),
            );
        }
    }

    pub(super) fn check_alias(&mut self, alias: Option<&str>, pos: Pos) {
        if let Some(alias) = alias
            && !is_simple_identifier(alias)
        {
            self.error_at(
                pos,
                format!("`{alias}` is not a valid CSDL alias: {NAME_RULE}"),
            );
        }
    }

    /// Structural and navigation properties of a type share one set of names: reports each that
    /// repeats an earlier one (checked while the type's members are at hand).
    pub(super) fn check_member_names(&mut self, entity: bool, t: &StructuredType) {
        let names = || {
            let properties = t.properties.iter().map(|p| (p.name.as_str(), p.pos, false));
            let navigation = t.navigation_properties.iter();
            properties.chain(navigation.map(|n| (n.name.as_str(), n.pos, true)))
        };
        if !has_repeats(names().map(|(name, ..)| name)) {
            return;
        }
        // in document order, so the first of a name is the one declared first
        let mut members: Vec<(&str, Pos, bool)> = names().collect();
        members.sort_by_key(|m| m.1);
        let kind = if entity {
            "entity type"
        } else {
            "complex type"
        };
        for (k, first) in earlier_duplicates(members.iter().map(|&(name, pos, _)| (name, pos))) {
            let (name, pos, navigation) = members[k];
            let what = if navigation {
                "navigation property"
            } else {
                "property"
            };
            let message = format!(
                "duplicate {what} `{name}` in {kind} `{}`: already declared at {first}",
                t.name
            );
            self.error_at(pos, message);
        }
    }
}
