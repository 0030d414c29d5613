//! The enum of a polymorphic type: a value declared as a base type is read into the variant of
//! the most derived type its `@odata.type` names, and written back with that type.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::deprecations;
use super::features;
use super::models::fields;
use super::names::{Names, Polymorphic};
use crate::model::{Model, StructuredType};
use crate::select::Selection;

/// One variant: the type it holds and how `@odata.type` names it.
struct Variant {
    ident: proc_macro2::Ident,
    path: TokenStream,
    /// `#microsoft.graph.group`, written when the value has no `@odata.type` of its own.
    odata_type: String,
    /// The names `@odata.type` may give (namespace- or alias-qualified, without `#`).
    wire_names: Vec<String>,
    gate: TokenStream,
    deprecated: TokenStream,
    is_base: bool,
}

pub fn emit(
    model: &Model,
    selection: &Selection,
    names: &Names,
    base: &StructuredType,
    poly: &Polymorphic,
    boxed: &BTreeSet<(String, String)>,
) -> TokenStream {
    let ident = format_ident!("{}", poly.ident);
    let base_areas = selection.value_areas(&base.name);
    let variants: Vec<Variant> = poly
        .variants
        .iter()
        .filter_map(|(qname, variant)| {
            let t = model.structured_type(qname)?;
            let mut wire_names = vec![t.name.clone()];
            if let Some(alias) = model
                .schemas
                .get(&t.namespace)
                .and_then(|s| s.alias.as_ref())
            {
                wire_names.push(format!("{alias}.{}", t.simple_name));
            }
            Some(Variant {
                ident: format_ident!("{}", variant),
                // the base type's module sees its own types by name (`use super::*`)
                path: match (names.types.get(qname), names.types.get(&base.name)) {
                    (Some(t), Some(b)) if t.module == b.module => {
                        let ident = format_ident!("{}", t.ident);
                        quote! { #ident }
                    }
                    _ => names.type_path(qname),
                },
                odata_type: format!("#{}", t.name),
                wire_names,
                gate: features::crossing_gate(base_areas, selection.type_areas.get(qname)),
                deprecated: deprecations::attribute(&t.annotations),
                is_base: *qname == base.name,
            })
        })
        .collect();

    let doc = format!(
        " A `{}` value of any type this crate knows, chosen by its `@odata.type`: the variant of that type, else (the type itself, or one derived from it that this crate does not know) `{}`.",
        base.name, names.types[&base.name].ident
    );
    let decls = variants.iter().map(|v| {
        let Variant {
            ident,
            path,
            gate,
            deprecated,
            ..
        } = v;
        let vdoc = if v.is_base {
            format!(
                " A `{}`, or a derived type this crate does not know: its own properties stay in `additional_properties`.",
                base.name
            )
        } else {
            format!(" A `{}` (`@odata.type` `{}`).", &v.odata_type[1..], v.odata_type)
        };
        let vdoc = super::docs::literal(&vdoc);
        quote! { #[doc = #vdoc] #deprecated #gate #ident(Box<#path>), }
    });

    // Readers of the base type's properties; a navigation property read through the base only
    // when every variant compiles it with the enum.
    let mut accessors = Vec::new();
    for field in fields(model, selection, names, base, boxed) {
        let Some(method) = poly.accessors.get(&field.wire) else {
            continue;
        };
        let compiled_everywhere = field.gate.is_empty()
            && field.target.as_ref().is_none_or(|target| {
                poly.variants.iter().all(|(q, _)| {
                    features::crossing_gate(
                        selection.type_areas.get(q),
                        selection.value_areas(target),
                    )
                    .is_empty()
                })
            });
        // a recursive property may be boxed in some types of the hierarchy and not in others
        let boxed_in = |q: &String| boxed.contains(&(q.clone(), field.wire.clone()));
        let same_type_everywhere = poly
            .variants
            .iter()
            .all(|(q, _)| boxed_in(q) == boxed_in(&base.name));
        if !compiled_everywhere || !same_type_everywhere {
            continue;
        }
        let method = format_ident!("{}", method);
        let name = &field.ident;
        let wire = &field.wire;
        let ty = field.field_type();
        let deprecated = model
            .all_properties(&base.name)
            .into_iter()
            .find(|p| p.name == field.wire)
            .map(|p| deprecations::attribute(&p.annotations))
            .unwrap_or_default();
        accessors.push(quote! { #deprecated #method(#name, #wire) -> #ty; });
    }

    let mut table = Vec::new();
    for v in &variants {
        let Variant {
            ident: variant,
            path,
            gate,
            wire_names,
            ..
        } = v;
        if v.is_base {
            // the base variant comes first, whatever its name sorts as
            table.insert(0, quote! { #variant(#path) });
        } else {
            table.push(quote! { #gate #variant(#path, #( #wire_names )|*) });
        }
    }

    let deprecated = deprecations::attribute(&base.annotations);
    quote! {
        #[doc = #doc]
        #deprecated
        pub enum #ident {
            #( #decls )*
        }

        odata_runtime::polymorphic!(#ident { #( #table ),* } #( #accessors )*);
    }
}
