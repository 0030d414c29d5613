//! `#[cfg(feature = ...)]` gates for area features.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::select::{BuilderKey, Selection};

/// `#[cfg(any(feature = "a", ...))]`, or nothing without area features.
pub fn gate(features: Option<&BTreeSet<String>>) -> TokenStream {
    match features {
        Some(set) if set.len() == 1 => {
            let f = set.iter();
            quote! { #( #[cfg(feature = #f)] )* }
        }
        Some(set) if !set.is_empty() => {
            let f = set.iter();
            quote! { #[cfg(any( #( feature = #f ),* ))] }
        }
        _ => TokenStream::new(),
    }
}

pub fn type_gate(selection: &Selection, qname: &str) -> TokenStream {
    gate(selection.type_areas.get(qname))
}

pub fn builder_gate(selection: &Selection, key: &BuilderKey) -> TokenStream {
    gate(selection.builder_areas.get(key))
}

/// The gate an item that `holder` compiles with needs in order to use `target`: none when every
/// feature that compiles the holder also compiles the target.
pub fn crossing_gate(
    holder: Option<&BTreeSet<String>>,
    target: Option<&BTreeSet<String>>,
) -> TokenStream {
    match (holder, target) {
        (Some(h), Some(t)) if !h.is_subset(t) => gate(Some(t)),
        _ => TokenStream::new(),
    }
}

/// Puts `gate` on every item of `items`.
pub fn gate_items(items: TokenStream, gate: &TokenStream) -> TokenStream {
    if gate.is_empty() {
        return items;
    }
    let Ok(file) = syn::parse2::<syn::File>(items.clone()) else {
        return items;
    };
    let attrs: Vec<syn::Attribute> =
        match syn::parse::Parser::parse2(syn::Attribute::parse_outer, gate.clone()) {
            Ok(a) => a,
            Err(_) => return items,
        };
    let gated = file.items.into_iter().map(|mut item| {
        if let Some(list) = item_attrs(&mut item) {
            list.splice(0..0, attrs.iter().cloned());
        }
        item
    });
    quote! { #( #gated )* }
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item::*;
    Some(match item {
        Struct(i) => &mut i.attrs,
        Enum(i) => &mut i.attrs,
        Impl(i) => &mut i.attrs,
        Type(i) => &mut i.attrs,
        Const(i) => &mut i.attrs,
        Fn(i) => &mut i.attrs,
        Mod(i) => &mut i.attrs,
        Use(i) => &mut i.attrs,
        Trait(i) => &mut i.attrs,
        Macro(i) => &mut i.attrs,
        _ => return None,
    })
}
