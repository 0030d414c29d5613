//! Annotation values: constants, paths, records, collections, and dynamic expressions kept as raw
//! trees.

use quick_xml::events::BytesStart;

use super::CsdlReader;
use super::frames::Frame;
use crate::syntax::{ConstantKind, Expr, PathKind, RawElement, Record};

pub(super) fn constant_kind(name: &str) -> Option<ConstantKind> {
    Some(match name {
        "Binary" => ConstantKind::Binary,
        "Bool" => ConstantKind::Bool,
        "Date" => ConstantKind::Date,
        "DateTimeOffset" => ConstantKind::DateTimeOffset,
        "Decimal" => ConstantKind::Decimal,
        "Duration" => ConstantKind::Duration,
        "EnumMember" => ConstantKind::EnumMember,
        "Float" => ConstantKind::Float,
        "Guid" => ConstantKind::Guid,
        "Int" => ConstantKind::Int,
        "String" => ConstantKind::String,
        "TimeOfDay" => ConstantKind::TimeOfDay,
        _ => return None,
    })
}

pub(super) fn path_kind(name: &str) -> Option<PathKind> {
    Some(match name {
        "Path" => PathKind::Path,
        "PropertyPath" => PathKind::PropertyPath,
        "NavigationPropertyPath" => PathKind::NavigationPropertyPath,
        "AnnotationPath" => PathKind::AnnotationPath,
        "ModelElementPath" => PathKind::ModelElementPath,
        "AnyPropertyPath" => PathKind::AnyPropertyPath,
        _ => return None,
    })
}

pub(super) fn is_dynamic(name: &str) -> bool {
    matches!(
        name,
        "Apply"
            | "Cast"
            | "If"
            | "Eq"
            | "Ne"
            | "Gt"
            | "Ge"
            | "Lt"
            | "Le"
            | "Has"
            | "In"
            | "And"
            | "Or"
            | "Not"
            | "Add"
            | "Sub"
            | "Neg"
            | "Mul"
            | "Div"
            | "DivBy"
            | "Mod"
            | "IsOf"
            | "LabeledElement"
            | "LabeledElementReference"
            | "UrlRef"
    )
}

/// An annotation value written as an attribute (`String="..."`, `Path="..."`).
pub(super) fn value_attribute(key: &str, value: String) -> Result<Expr, String> {
    if let Some(kind) = constant_kind(key) {
        Ok(Expr::Constant(kind, value))
    } else if let Some(kind) = path_kind(key) {
        Ok(Expr::Path(kind, value))
    } else {
        Err(value)
    }
}

pub(super) fn with_text(expr: Expr, text: String) -> Expr {
    match expr {
        Expr::Constant(kind, _) => Expr::Constant(kind, text),
        Expr::Path(kind, _) => Expr::Path(kind, text),
        other => other,
    }
}

impl<'a> CsdlReader<'a> {
    /// The frame of an expression element; `None` for unknown elements.
    pub(super) fn expression(
        &mut self,
        e: &BytesStart<'_>,
        local: &str,
        off: usize,
    ) -> Option<Frame> {
        if let Some(kind) = constant_kind(local) {
            return Some(Frame::Constant(kind, String::new()));
        }
        if let Some(kind) = path_kind(local) {
            return Some(Frame::Path(kind, String::new()));
        }
        match local {
            "Record" => {
                let mut r = Record {
                    pos: self.pos_at(off),
                    ..Default::default()
                };
                self.attrs(e, |_, key, v| {
                    if key == "Type" {
                        r.type_name = Some(v.string());
                    }
                });
                Some(Frame::Record(Box::new(r)))
            }
            "Collection" => Some(Frame::Collection(Vec::new())),
            "Null" => Some(Frame::Null),
            _ if is_dynamic(local) => Some(Frame::Dynamic(self.raw(e, local, off))),
            _ => None,
        }
    }

    pub(super) fn raw(&mut self, e: &BytesStart<'_>, local: &str, off: usize) -> RawElement {
        let mut raw = RawElement {
            name: local.to_string(),
            pos: self.pos_at(off),
            ..Default::default()
        };
        self.attrs(e, |_, key, v| {
            raw.attributes.push((key.to_string(), v.string()))
        });
        raw
    }
}
