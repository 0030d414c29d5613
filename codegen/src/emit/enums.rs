//! Open enums: every member a variant, plus a catch-all that keeps unknown members as sent.
//!
//! Values travel as their member names. Flags enums become a set of members serialized as
//! comma-separated names.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::deprecations;
use super::models::item_doc;
use super::names::Names;
use crate::model::EnumType;

const SENTINEL: &str = "unknownFutureValue";

pub fn emit(e: &EnumType, names: &Names) -> TokenStream {
    let name = &names.types[&e.name].ident;
    match names.flag_members.get(&e.name) {
        Some(member) => {
            let members = member_enum(e, names, member, true);
            let set = flags_set(e, name, member);
            quote! { #members #set }
        }
        None => member_enum(e, names, name, false),
    }
}

fn member_enum(e: &EnumType, names: &Names, name: &str, is_member_of_flags: bool) -> TokenStream {
    let ident = format_ident!("{}", name);
    let variants: Vec<_> = names.enum_members[&e.name]
        .iter()
        .map(|v| format_ident!("{}", v))
        .collect();
    let wire: Vec<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
    let values: Vec<proc_macro2::Literal> = e
        .members
        .iter()
        .map(|m| proc_macro2::Literal::i64_unsuffixed(m.value))
        .collect();
    let member_docs: Vec<TokenStream> = e
        .members
        .iter()
        .map(|m| {
            let mut d = item_doc(&m.annotations, &format!("`{}`", m.name));
            if m.name == SENTINEL {
                d = d.markdown(
                    "Graph's evolvable-enum sentinel: members declared after it are sent only to clients that ask for them with `Prefer: include-unknown-enum-members`.",
                );
            }
            let d = d.markdown(format!("Value `{}`.", m.value)).tokens();
            let deprecated = deprecations::attribute(&m.annotations);
            quote! { #d #deprecated }
        })
        .collect();
    let mut doc = if is_member_of_flags {
        super::docs::Doc::default()
            .markdown(format!("One member of the flags enum `{}`.", e.simple_name))
    } else {
        item_doc(
            &e.annotations,
            &format!("The `{}` enum type.", e.simple_name),
        )
    };
    doc = doc.markdown(format!(
        "CSDL: `{}`. Open: a member this crate does not know deserializes into `UnknownValue` and serializes back unchanged.",
        e.name
    ));
    let doc = doc.tokens();
    // the members of a deprecated flags type are deprecated with it
    let deprecated = deprecations::attribute(&e.annotations);
    let sentinel = e
        .members
        .iter()
        .zip(&variants)
        .find(|(m, _)| m.name == SENTINEL)
        .map(|(_, v)| quote! { , sentinel = #v });
    let expecting = format!("a `{}` member name", e.name);
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #ident {
            #( #member_docs #variants, )*
            /// A member this version of the crate does not know, kept as sent.
            UnknownValue(String),
        }

        odata_runtime::open_enum!(#ident, #expecting #sentinel {
            #( #variants(#wire, #values) ),*
        });
    }
}

fn flags_set(e: &EnumType, name: &str, member: &str) -> TokenStream {
    let ident = format_ident!("{}", name);
    let member = format_ident!("{}", member);
    let doc = item_doc(
        &e.annotations,
        &format!("The `{}` flags enum type.", e.simple_name),
    )
    .markdown(format!(
        "CSDL: `{}` (flags). A set of members, sent as comma-separated member names.",
        e.name
    ))
    .tokens();
    let expecting = format!("comma-separated `{}` member names", e.name);
    let deprecated = deprecations::attribute(&e.annotations);
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct #ident(pub Vec<#member>);

        impl #ident {
            /// Whether the set holds `member`.
            pub fn contains(&self, member: &#member) -> bool {
                self.0.contains(member)
            }

            /// The numeric value of the known members, or-ed together.
            pub fn value(&self) -> i64 {
                self.0.iter().filter_map(#member::value).fold(0, |acc, v| acc | v)
            }

            /// The members as they travel on the wire: `a,b`.
            pub fn to_wire(&self) -> String {
                self.0.iter().map(#member::as_str).collect::<Vec<_>>().join(",")
            }
        }

        impl From<Vec<#member>> for #ident {
            fn from(members: Vec<#member>) -> Self {
                Self(members)
            }
        }

        impl From<&str> for #ident {
            /// Reads `a,b` (spaces around names and empty names are ignored).
            fn from(s: &str) -> Self {
                Self(s.split(',').map(str::trim).filter(|m| !m.is_empty()).map(#member::from).collect())
            }
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.to_wire())
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                odata_runtime::deserialize_str(deserializer, #expecting)
            }
        }
    }
}
