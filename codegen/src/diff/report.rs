//! The report: one [`Change`] per changed element, each with its class for the generated crate's
//! semver and the Rust items it touches.

use serde::Serialize;

/// What a change means for the generated crate's semver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Code that compiled, or a request that worked, may not any more: a major version.
    Breaking,
    /// New items, or a deprecation: a minor version.
    Additive,
    /// Only documentation, or nothing the Rust API shows: a patch version.
    DocsOnly,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::DocsOnly => "docs-only",
        }
    }
}

/// What changed, one kind per rule of the README's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    TypeAdded,
    TypeRemoved,
    TypeKindChanged,
    BaseTypeChanged,
    BecamePolymorphic,
    StoppedBeingPolymorphic,
    DerivedTypeAdded,
    DerivedTypeRemoved,
    PropertyAdded,
    PropertyRemoved,
    PropertyTypeChanged,
    PropertyNullableChanged,
    PropertyDefaultChanged,
    NavigationAdded,
    NavigationRemoved,
    NavigationTargetChanged,
    NavigationContainmentChanged,
    MemberAdded,
    MemberRemoved,
    MemberValueChanged,
    FlagsChanged,
    UnderlyingTypeChanged,
    OperationAdded,
    OperationRemoved,
    OperationKindChanged,
    ParameterAdded,
    ParameterRemoved,
    ParameterTypeChanged,
    ParameterNullableChanged,
    ReturnTypeChanged,
    ComposableChanged,
    RootAdded,
    RootRemoved,
    RootTypeChanged,
    BuilderAdded,
    BuilderRemoved,
    MethodAdded,
    MethodRemoved,
    RenamedInRust,
    DeprecationAdded,
    DeprecationRemoved,
    DeprecationChanged,
    DescriptionChanged,
}

impl Kind {
    /// Every kind, in order.
    pub const ALL: &[Kind] = &[
        Kind::TypeAdded,
        Kind::TypeRemoved,
        Kind::TypeKindChanged,
        Kind::BaseTypeChanged,
        Kind::BecamePolymorphic,
        Kind::StoppedBeingPolymorphic,
        Kind::DerivedTypeAdded,
        Kind::DerivedTypeRemoved,
        Kind::PropertyAdded,
        Kind::PropertyRemoved,
        Kind::PropertyTypeChanged,
        Kind::PropertyNullableChanged,
        Kind::PropertyDefaultChanged,
        Kind::NavigationAdded,
        Kind::NavigationRemoved,
        Kind::NavigationTargetChanged,
        Kind::NavigationContainmentChanged,
        Kind::MemberAdded,
        Kind::MemberRemoved,
        Kind::MemberValueChanged,
        Kind::FlagsChanged,
        Kind::UnderlyingTypeChanged,
        Kind::OperationAdded,
        Kind::OperationRemoved,
        Kind::OperationKindChanged,
        Kind::ParameterAdded,
        Kind::ParameterRemoved,
        Kind::ParameterTypeChanged,
        Kind::ParameterNullableChanged,
        Kind::ReturnTypeChanged,
        Kind::ComposableChanged,
        Kind::RootAdded,
        Kind::RootRemoved,
        Kind::RootTypeChanged,
        Kind::BuilderAdded,
        Kind::BuilderRemoved,
        Kind::MethodAdded,
        Kind::MethodRemoved,
        Kind::RenamedInRust,
        Kind::DeprecationAdded,
        Kind::DeprecationRemoved,
        Kind::DeprecationChanged,
        Kind::DescriptionChanged,
    ];

    /// The words a text report uses.
    pub fn label(self) -> &'static str {
        use Kind::*;
        match self {
            TypeAdded => "type added",
            TypeRemoved => "type removed",
            TypeKindChanged => "kind of type changed",
            BaseTypeChanged => "base type changed",
            BecamePolymorphic => "became polymorphic",
            StoppedBeingPolymorphic => "no longer polymorphic",
            DerivedTypeAdded => "derived type added",
            DerivedTypeRemoved => "derived type removed",
            PropertyAdded => "property added",
            PropertyRemoved => "property removed",
            PropertyTypeChanged => "property type changed",
            PropertyNullableChanged => "property nullability changed",
            PropertyDefaultChanged => "property default changed",
            NavigationAdded => "navigation property added",
            NavigationRemoved => "navigation property removed",
            NavigationTargetChanged => "navigation target changed",
            NavigationContainmentChanged => "navigation containment changed",
            MemberAdded => "enum member added",
            MemberRemoved => "enum member removed",
            MemberValueChanged => "enum member value changed",
            FlagsChanged => "enum flags changed",
            UnderlyingTypeChanged => "underlying type changed",
            OperationAdded => "operation added",
            OperationRemoved => "operation removed",
            OperationKindChanged => "operation kind changed",
            ParameterAdded => "parameter added",
            ParameterRemoved => "parameter removed",
            ParameterTypeChanged => "parameter type changed",
            ParameterNullableChanged => "parameter nullability changed",
            ReturnTypeChanged => "return type changed",
            ComposableChanged => "composability changed",
            RootAdded => "entity set or singleton added",
            RootRemoved => "entity set or singleton removed",
            RootTypeChanged => "entity set or singleton type changed",
            BuilderAdded => "request builder added",
            BuilderRemoved => "request builder removed",
            MethodAdded => "builder method added",
            MethodRemoved => "builder method removed",
            RenamedInRust => "Rust name changed",
            DeprecationAdded => "deprecated",
            DeprecationRemoved => "no longer deprecated",
            DeprecationChanged => "deprecation changed",
            DescriptionChanged => "description changed",
        }
    }
}

/// One change of one element.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The entity set or singleton whose part of the crate the element belongs to;
    /// [`SHARED`] when several, [`NO_AREA`] when none.
    pub area: String,
    /// The element as CSDL names it: `microsoft.graph.remoteAssistanceSettings/blockChat`, an
    /// operation's `name(binding)`, a builder's path.
    pub element: String,
    pub kind: Kind,
    pub class: Class,
    /// What it was and what it is, in words (`Edm.Boolean -> Edm.String`), or empty.
    pub detail: String,
    /// The Rust items it touches, as paths below the crate root
    /// (`models::RemoteAssistanceSettings::block_chat`); for a removal, the old ones.
    pub rust: Vec<String>,
}

/// The area of an element that several areas use.
pub const SHARED: &str = "(shared)";
/// The area of an element that no entity set or singleton reaches (an included type).
pub const NO_AREA: &str = "(no area)";

/// Every change between two versions, sorted by area, element and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub changes: Vec<Change>,
}

/// How many changes of each class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub breaking: usize,
    pub additive: usize,
    pub docs_only: usize,
}

impl Report {
    pub(super) fn new(mut changes: Vec<Change>) -> Report {
        changes.sort_by(|a, b| {
            (area_rank(&a.area), &a.area, &a.element, a.kind, &a.detail).cmp(&(
                area_rank(&b.area),
                &b.area,
                &b.element,
                b.kind,
                &b.detail,
            ))
        });
        changes.dedup();
        Report { changes }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for change in &self.changes {
            match change.class {
                Class::Breaking => c.breaking += 1,
                Class::Additive => c.additive += 1,
                Class::DocsOnly => c.docs_only += 1,
            }
        }
        c
    }

    pub fn has_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.class == Class::Breaking)
    }

    /// The changes by area, in report order.
    pub fn areas(&self) -> Vec<(&str, &[Change])> {
        let mut out: Vec<(&str, &[Change])> = Vec::new();
        let mut start = 0;
        for i in 1..=self.changes.len() {
            if i == self.changes.len() || self.changes[i].area != self.changes[start].area {
                out.push((&self.changes[start].area, &self.changes[start..i]));
                start = i;
            }
        }
        out
    }
}

/// Named areas first, then the shared elements, then those of no area.
fn area_rank(area: &str) -> u8 {
    match area {
        SHARED => 1,
        NO_AREA => 2,
        _ => 0,
    }
}

/// Collects changes; the comparisons push into it.
#[derive(Debug, Default)]
pub(super) struct Changes(pub Vec<Change>);

impl Changes {
    pub fn push(
        &mut self,
        area: &str,
        element: &str,
        kind: Kind,
        class: Class,
        detail: impl Into<String>,
        rust: &[String],
    ) {
        self.0.push(Change {
            area: area.to_string(),
            element: element.to_string(),
            kind,
            class,
            detail: detail.into(),
            rust: rust.to_vec(),
        });
    }
}
