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
