//! Type references as written (`Collection(graph.x)`, `Edm.String`, `Int32`) to what they name.

use std::borrow::Cow;

use super::scope::Kind;
use super::{Builder, loc};
use crate::model::load::STANDARD_VOCABULARIES;
use crate::model::{Primitive, TypeRef, TypeUse};
use crate::syntax::{self, Pos};

/// What a type name resolves to, before its `TypeRef` is built.
#[derive(Debug, Clone, Copy)]
pub(super) enum TypeKindOf {
    Primitive(Primitive),
    Entity,
    Complex,
    Enum,
    Definition,
}

/// `Collection(inner)` -> (true, inner), else (false, text); both trimmed.
pub(super) fn split_collection(text: &str) -> (bool, &str) {
    let text = text.trim();
    match text
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
    {
        Some(inner) => (true, inner.trim()),
        None => (false, text),
    }
}

impl Builder<'_> {
    /// Resolves a type as written (`Collection(graph.x)`, `Edm.String`). The written text's
    /// buffer becomes the model's type name when no alias applies (no allocation).
    pub(super) fn type_use(
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
    pub(super) fn unqualified_primitive(
        &mut self,
        doc: usize,
        pos: Pos,
        name: &str,
    ) -> Option<Primitive> {
        if name.contains('.') {
            return None;
        }
        let p = Primitive::from_edm_name(name)?;
        self.found.warn(loc(doc, pos),
            format!("type `{name}` is not qualified: it is read as `Edm.{name}`, which is how CSDL writes it"),
        );
        Some(p)
    }

    /// What a written type name names, and its qualified form when that differs from `name`.
    pub(super) fn type_kind(
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
                        loc(doc, pos),
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
                self.found.error(loc(doc, pos), msg);
                return None;
            }
            None => {
                // Standard vocabularies are not loaded (only their terms are known), so a type of
                // theirs (`Core.Tag`, used by the other vocabularies) cannot be looked at.
                if let Some((ns, _)) = q.rsplit_once('.')
                    && STANDARD_VOCABULARIES.contains(&ns)
                    && !self.declared_namespaces.contains(ns)
                {
                    self.found.warn(loc(doc, pos),
                        format!(
                            "type `{name}` of the standard vocabulary `{ns}` is not loaded; it is taken as `Edm.Untyped`"
                        ),
                    );
                    return Some((TypeKindOf::Primitive(Primitive::Untyped), None));
                }
                let msg = self.unresolved_message(name, &q, "type");
                self.found.error(loc(doc, pos), msg);
                return None;
            }
        };
        let qualified = match q {
            Cow::Borrowed(b) if b.len() == name.len() => None,
            q => Some(q.into_owned()),
        };
        Some((kind, qualified))
    }

    pub(super) fn underlying(
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
                self.found.error(loc(d, pos), msg);
                Primitive::Int32
            }
        }
    }
}
