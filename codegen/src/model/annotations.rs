//! Annotations on model elements, and typed accessors for the vocabulary terms the generator uses.

use super::Loc;
use crate::syntax::{ConstantKind, Expr, PathKind, Record};

pub const CORE: &str = "Org.OData.Core.V1";
pub const CAPABILITIES: &str = "Org.OData.Capabilities.V1";

/// One applied term, with its namespace expanded (never an alias).
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// `Org.OData.Core.V1.Description`.
    pub term: String,
    pub qualifier: Option<String>,
    pub value: Option<Expr>,
    /// False when the term's vocabulary is not available (a reference that could not be loaded).
    pub term_resolved: bool,
    pub loc: Loc,
}

/// The annotations of one element, inline ones first, then those of external `Annotations`
/// blocks in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Annotations(pub Vec<Annotation>);

/// A Capabilities restriction: whether the operation is allowed and how.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Restriction {
    /// `Readable`, `Insertable`, `Updatable`, `Deletable` (`None` when the record does not say).
    pub allowed: Option<bool>,
    /// `UpdateRestrictions/UpdateMethod` (`PATCH`/`PUT`).
    pub method: Option<String>,
    pub description: Option<String>,
    pub long_description: Option<String>,
}

/// One entry of `NavigationRestrictions/RestrictedProperties`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NavigationRestriction {
    pub navigation_property: String,
    /// `Navigability`: `Recursive`, `Single` or `None`.
    pub navigability: Option<String>,
    pub read: Option<Restriction>,
    pub insert: Option<Restriction>,
    pub update: Option<Restriction>,
    pub delete: Option<Restriction>,
}

/// `Core.Permissions` member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    None,
    Read,
    Write,
    ReadWrite,
    Invoke,
}

/// One `Core.Revisions` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Revision {
    /// `Added`, `Modified` or `Deprecated`.
    pub kind: String,
    pub version: Option<String>,
    pub date: Option<String>,
    pub removal_date: Option<String>,
    pub description: Option<String>,
}

impl Annotations {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Annotation> {
        self.0.iter()
    }

    pub fn push(&mut self, a: Annotation) {
        self.0.push(a);
    }

    /// Moves `other`'s annotations to the end of these (taking its allocation when these are
    /// empty).
    pub(crate) fn append(&mut self, mut other: Annotations) {
        if self.0.is_empty() {
            *self = other;
        } else {
            self.0.append(&mut other.0);
        }
    }

    /// The first annotation of the qualified term without a qualifier, else with any qualifier.
    pub fn get(&self, term: &str) -> Option<&Annotation> {
        self.0
            .iter()
            .find(|a| a.term == term && a.qualifier.is_none())
            .or_else(|| self.0.iter().find(|a| a.term == term))
    }

    fn value(&self, namespace: &str, name: &str) -> Option<&Expr> {
        let term = format!("{namespace}.{name}");
        self.get(&term).and_then(|a| a.value.as_ref())
    }

    /// A tagging term (`Core.Computed`): present without a value, or with `Bool="true"`.
    fn tag(&self, namespace: &str, name: &str) -> bool {
        let term = format!("{namespace}.{name}");
        self.get(&term)
            .is_some_and(|a| a.value.as_ref().is_none_or(|v| v.as_bool() == Some(true)))
    }

    /// `Core.Description`.
    pub fn description(&self) -> Option<&str> {
        self.value(CORE, "Description").and_then(Expr::as_str)
    }

    /// `Core.LongDescription`.
    pub fn long_description(&self) -> Option<&str> {
        self.value(CORE, "LongDescription").and_then(Expr::as_str)
    }

    /// `Core.Computed`: the service computes the value; clients do not send it.
    pub fn computed(&self) -> bool {
        self.tag(CORE, "Computed")
    }

    /// `Core.Immutable`: set on create, never changed.
    pub fn immutable(&self) -> bool {
        self.tag(CORE, "Immutable")
    }

    /// `Core.Permissions`: the members of the flags value.
    pub fn permissions(&self) -> Option<Vec<Permission>> {
        let v = self.value(CORE, "Permissions")?;
        let text = match v {
            Expr::Constant(ConstantKind::EnumMember, t) => t,
            _ => return None,
        };
        Some(
            text.split([' ', ','])
                .filter(|s| !s.is_empty())
                .filter_map(|m| match m.rsplit('/').next().unwrap_or(m) {
                    "None" => Some(Permission::None),
                    "Read" => Some(Permission::Read),
                    "Write" => Some(Permission::Write),
                    "ReadWrite" => Some(Permission::ReadWrite),
                    "Invoke" => Some(Permission::Invoke),
                    _ => None,
                })
                .collect(),
        )
    }

    /// `Core.Revisions`.
    pub fn revisions(&self) -> Vec<Revision> {
        let Some(items) = self.value(CORE, "Revisions").and_then(Expr::as_collection) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(Expr::as_record)
            .map(|r| Revision {
                kind: r
                    .get("Kind")
                    .and_then(enum_member_name)
                    .map(str::to_string)
                    .unwrap_or_default(),
                version: text(r, "Version"),
                date: text(r, "Date"),
                removal_date: text(r, "RemovalDate"),
                description: text(r, "Description"),
            })
            .collect()
    }

    /// The `Deprecated` entry of `Core.Revisions`, if any.
    pub fn deprecation(&self) -> Option<Revision> {
        self.revisions()
            .into_iter()
            .find(|r| r.kind == "Deprecated")
    }

    /// `Capabilities.ReadRestrictions`.
    pub fn read_restrictions(&self) -> Option<Restriction> {
        self.value(CAPABILITIES, "ReadRestrictions")
            .and_then(Expr::as_record)
            .map(|r| restriction(r, "Readable"))
    }

    /// `Capabilities.InsertRestrictions`.
    pub fn insert_restrictions(&self) -> Option<Restriction> {
        self.value(CAPABILITIES, "InsertRestrictions")
            .and_then(Expr::as_record)
            .map(|r| restriction(r, "Insertable"))
    }

    /// `Capabilities.UpdateRestrictions`.
    pub fn update_restrictions(&self) -> Option<Restriction> {
        self.value(CAPABILITIES, "UpdateRestrictions")
            .and_then(Expr::as_record)
            .map(|r| restriction(r, "Updatable"))
    }

    /// `Capabilities.DeleteRestrictions`.
    pub fn delete_restrictions(&self) -> Option<Restriction> {
        self.value(CAPABILITIES, "DeleteRestrictions")
            .and_then(Expr::as_record)
            .map(|r| restriction(r, "Deletable"))
    }

    /// `Capabilities.NavigationRestrictions`: the overall navigability and per-property entries.
    pub fn navigation_restrictions(&self) -> Option<(Option<String>, Vec<NavigationRestriction>)> {
        let r = self
            .value(CAPABILITIES, "NavigationRestrictions")
            .and_then(Expr::as_record)?;
        let navigability = r
            .get("Navigability")
            .and_then(enum_member_name)
            .map(str::to_string);
        let entries = r
            .get("RestrictedProperties")
            .and_then(Expr::as_collection)
            .unwrap_or_default()
            .iter()
            .filter_map(Expr::as_record)
            .map(|p| NavigationRestriction {
                navigation_property: match p.get("NavigationProperty") {
                    Some(Expr::Path(_, t)) => t.clone(),
                    Some(e) => e.as_str().unwrap_or_default().to_string(),
                    None => String::new(),
                },
                navigability: p
                    .get("Navigability")
                    .and_then(enum_member_name)
                    .map(str::to_string),
                read: p
                    .get("ReadRestrictions")
                    .and_then(Expr::as_record)
                    .map(|r| restriction(r, "Readable")),
                insert: p
                    .get("InsertRestrictions")
                    .and_then(Expr::as_record)
                    .map(|r| restriction(r, "Insertable")),
                update: p
                    .get("UpdateRestrictions")
                    .and_then(Expr::as_record)
                    .map(|r| restriction(r, "Updatable")),
                delete: p
                    .get("DeleteRestrictions")
                    .and_then(Expr::as_record)
                    .map(|r| restriction(r, "Deletable")),
            })
            .collect();
        Some((navigability, entries))
    }
}

fn restriction(r: &Record, flag: &str) -> Restriction {
    Restriction {
        allowed: r.get(flag).and_then(Expr::as_bool),
        method: r
            .get("UpdateMethod")
            .and_then(enum_member_name)
            .map(str::to_string),
        description: text(r, "Description"),
        long_description: text(r, "LongDescription"),
    }
}

fn text(r: &Record, property: &str) -> Option<String> {
    match r.get(property)? {
        Expr::Constant(_, t) => Some(t.clone()),
        Expr::Path(PathKind::Path, t) => Some(t.clone()),
        _ => None,
    }
}

/// `Org.OData.Core.V1.RevisionKind/Deprecated` -> `Deprecated`.
fn enum_member_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Constant(ConstantKind::EnumMember, t) => {
            let t = t.trim();
            Some(t.rsplit('/').next().unwrap_or(t))
        }
        _ => None,
    }
}
