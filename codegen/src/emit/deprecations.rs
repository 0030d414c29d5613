//! `Core.Revisions` entries of kind `Deprecated` as `#[deprecated]` attributes, so that a user of
//! a deprecated type, property, enum member, operation or path gets the compiler's warning.
//!
//! The generated crate itself reads its deprecated items (serialization, derives, builders) under
//! the crate-wide `#![allow(deprecated)]` of its `lib.rs`; those uses expand in the generated
//! crate, so a downstream crate is warned only where it names a deprecated item itself.

use proc_macro2::TokenStream;
use quote::quote;

use super::escape_markdown;
use crate::model::Annotations;

/// `#[deprecated(since = "<date>", note = "<description> To be removed on <removal date>.")]`
/// when the metadata deprecates the element, nothing otherwise. Graph's dates are not Rust
/// versions: `clippy::deprecated_semver` is allowed crate-wide for them.
pub(super) fn attribute(annotations: &Annotations) -> TokenStream {
    let Some(revision) = annotations.deprecation() else {
        return TokenStream::new();
    };
    let since = revision.date.as_deref().map(inline_text);
    let description = revision.description.as_deref().map(inline_text);
    let removal = revision.removal_date.as_deref().map(inline_text);
    let note = match (description.filter(|d| !d.is_empty()), removal) {
        (Some(d), Some(r)) if d.ends_with(['.', '!', '?']) => {
            Some(format!("{d} To be removed on {r}."))
        }
        (Some(d), Some(r)) => Some(format!("{d}; to be removed on {r}")),
        (Some(d), None) => Some(d),
        (None, Some(r)) => Some(format!("to be removed on {r}")),
        (None, None) => None,
    };
    match (since.filter(|s| !s.is_empty()), note) {
        (Some(since), Some(note)) => quote! { #[deprecated(since = #since, note = #note)] },
        (Some(since), None) => quote! { #[deprecated(since = #since)] },
        (None, Some(note)) => quote! { #[deprecated(note = #note)] },
        (None, None) => quote! { #[deprecated] },
    }
}

/// Metadata text as one line that rustdoc, which renders deprecation notes as Markdown, reads
/// literally: whitespace collapsed, then escaped like doc text.
fn inline_text(text: &str) -> String {
    escape_markdown(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NoReferences, load_model};

    /// The annotations of an entity type carrying one `Core.Revisions` record.
    fn revisions(kind: &str, properties: &str) -> Annotations {
        let doc = format!(
            r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="t" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="x">
        <Annotation Term="Org.OData.Core.V1.Revisions"><Collection><Record>
          <PropertyValue Property="Kind"><EnumMember>Org.OData.Core.V1.RevisionKind/{kind}</EnumMember></PropertyValue>
          {properties}
        </Record></Collection></Annotation>
      </EntityType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#
        );
        let model = load_model("t.xml", doc.as_bytes(), &mut NoReferences).expect("loads");
        model.entity_types["t.x"].annotations.clone()
    }

    fn text(annotations: &Annotations) -> String {
        attribute(annotations).to_string()
    }

    #[test]
    fn every_part_is_optional() {
        let full = revisions(
            "Deprecated",
            r#"<PropertyValue Property="Date" Date="2024-04-10" />
               <PropertyValue Property="RemovalDate" Date="2026-04-10" />
               <PropertyValue Property="Description" String="Use the&#10;  new API." />"#,
        );
        assert_eq!(
            text(&full),
            r#"# [deprecated (since = "2024-04-10" , note = "Use the new API. To be removed on 2026-04-10.")]"#
        );
        let removal_only = revisions(
            "Deprecated",
            r#"<PropertyValue Property="RemovalDate" Date="2026-04-10" />"#,
        );
        assert_eq!(
            text(&removal_only),
            r#"# [deprecated (note = "to be removed on 2026-04-10")]"#
        );
        let no_stop = revisions(
            "Deprecated",
            r#"<PropertyValue Property="RemovalDate" Date="2026-04-10" />
               <PropertyValue Property="Description" String="Use the new API" />"#,
        );
        assert_eq!(
            text(&no_stop),
            r#"# [deprecated (note = "Use the new API; to be removed on 2026-04-10")]"#
        );
        let date_only = revisions(
            "Deprecated",
            r#"<PropertyValue Property="Date" Date="2024-04-10" />
               <PropertyValue Property="Description" String=" " />"#,
        );
        assert_eq!(text(&date_only), r#"# [deprecated (since = "2024-04-10")]"#);
        assert_eq!(text(&revisions("Deprecated", "")), "# [deprecated]");
        let added = revisions(
            "Added",
            r#"<PropertyValue Property="Date" Date="2024-04-10" />"#,
        );
        assert_eq!(text(&added), "");
        assert_eq!(text(&Annotations::default()), "");
    }

    #[test]
    fn notes_are_inert_for_rustdoc_and_stay_string_literals() {
        let hostile = revisions(
            "Deprecated",
            r#"<PropertyValue Property="Description" String="&quot;); fn evil() {} [x](javascript:alert(1)) &lt;b&gt;&#x202E;" />"#,
        );
        let tokens = attribute(&hostile);
        let parsed: syn::File =
            syn::parse2(quote! { #tokens pub struct S; }).expect("the attribute parses");
        assert_eq!(parsed.items.len(), 1);
        let printed = prettyplease::unparse(&parsed);
        assert!(
            printed.contains(
                r#"note = "\"); fn evil() \\{\\} \\[x\\](javascript:alert(1)) \\<b\\>U+202E""#
            ),
            "{printed}"
        );
    }
}
