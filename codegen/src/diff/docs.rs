//! Deprecations and descriptions: what changes the documentation and the compiler's warnings,
//! never what compiles.

use super::api::{Deprecation, Docs};
use super::report::{Changes, Class, Kind};

/// `since 2023-01-01, removed on 2024-01-01: use x`.
pub(super) fn deprecation_text(d: &Deprecation) -> String {
    let mut parts = Vec::new();
    if let Some(date) = &d.date {
        parts.push(format!("since {date}"));
    }
    if let Some(removal) = &d.removal_date {
        parts.push(format!("to be removed on {removal}"));
    }
    let mut text = parts.join(", ");
    if let Some(desc) = &d.description {
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(desc);
    }
    text
}

/// A new deprecation is additive (downstream code that names the item gets a warning, never an
/// error: a minor version); a withdrawn or changed one, and a new description, are docs-only.
pub(super) fn compare(
    out: &mut Changes,
    area: &str,
    element: &str,
    old: &Docs,
    new: &Docs,
    rust: &[String],
) {
    match (&old.deprecation, &new.deprecation) {
        (None, Some(d)) => out.push(
            area,
            element,
            Kind::DeprecationAdded,
            Class::Additive,
            deprecation_text(d),
            rust,
        ),
        (Some(d), None) => out.push(
            area,
            element,
            Kind::DeprecationRemoved,
            Class::DocsOnly,
            deprecation_text(d),
            rust,
        ),
        (Some(a), Some(b)) if a != b => out.push(
            area,
            element,
            Kind::DeprecationChanged,
            Class::DocsOnly,
            format!("{} -> {}", deprecation_text(a), deprecation_text(b)),
            rust,
        ),
        _ => {}
    }
    if old.description != new.description {
        out.push(
            area,
            element,
            Kind::DescriptionChanged,
            Class::DocsOnly,
            "",
            rust,
        );
    }
}
