//! The Rust name of every emitted item, assigned once, in a fixed order, before any code is built.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Model;
use crate::naming::{self, Scope};
use crate::select::{BuilderKey, Context, Selection};

/// Where a model type lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// Module segments below `crate::models` (empty for the main namespace).
    pub module: Vec<String>,
    pub ident: String,
}

#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Qualified CSDL type name -> Rust name.
    pub types: BTreeMap<String, TypeName>,
    /// Namespace -> module segments below `crate::models`.
    pub modules: BTreeMap<String, Vec<String>>,
    /// Flags enum -> the enum of its members (`FooMember`).
    pub flag_members: BTreeMap<String, String>,
    pub builders: BTreeMap<BuilderKey, String>,
    /// The service client (`GraphServiceClient`).
    pub client: Option<String>,
}

/// Items every models module defines besides the types.
const MODULE_RESERVED: &[&str] = &["Nullable", "Serialize", "Deserialize", "BTreeMap", "Value"];

impl Names {
    pub fn assign(model: &Model, selection: &Selection) -> Names {
        let mut names = Names::default();
        let main = model
            .container()
            .map(|c| c.namespace.clone())
            .or_else(|| {
                selection
                    .types
                    .iter()
                    .next()
                    .and_then(|t| t.rsplit_once('.'))
                    .map(|(ns, _)| ns.to_string())
            })
            .unwrap_or_default();
        let namespaces: BTreeSet<String> = selection
            .types
            .iter()
            .filter_map(|t| type_namespace(model, t))
            .collect();
        let mut module_scope = Scope::default();
        let mut type_scopes: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
        for ns in &namespaces {
            let module = if *ns == main {
                Vec::new()
            } else {
                let rest = ns.strip_prefix(&format!("{main}.")).unwrap_or(ns);
                vec![module_scope.claim(naming::module_name(&rest.replace('.', "_")))]
            };
            names.modules.insert(ns.clone(), module);
        }
        // Modules of the main namespace claim their names in the root scope too, so that a type and
        // a module never share a name in any way that matters to rustc (they live in different
        // namespaces, but keeping them apart reads better).
        for t in &selection.types {
            let Some(ns) = type_namespace(model, t) else {
                continue;
            };
            let module = names.modules.get(&ns).cloned().unwrap_or_default();
            let scope = type_scopes
                .entry(module.clone())
                .or_insert_with(|| Scope::with_reserved(MODULE_RESERVED));
            let simple = t.rsplit('.').next().unwrap_or(t);
            let ident = scope.claim(naming::type_name(simple));
            names.types.insert(t.clone(), TypeName { module, ident });
        }
        // Flags enums need a second name for their members.
        for (qname, e) in &model.enum_types {
            if e.is_flags && selection.types.contains(qname) {
                let module = names.types[qname].module.clone();
                let scope = type_scopes
                    .entry(module)
                    .or_insert_with(|| Scope::with_reserved(MODULE_RESERVED));
                let member = scope.claim(format!("{}Member", names.types[qname].ident));
                names.flag_members.insert(qname.clone(), member);
            }
        }
        let mut builder_scope = Scope::with_reserved(&[
            "Client",
            "Operation",
            "Request",
            "Json",
            "JsonOrEmpty",
            "Empty",
            "Page",
        ]);
        if let Some(c) = model.container() {
            // `Self_` + `Client` would not be UpperCamelCase: the keyword suffix goes
            names.client = Some(builder_scope.claim(format!(
                "{}Client",
                naming::type_name(&c.simple_name).trim_end_matches('_')
            )));
        }
        let mut per_type: BTreeMap<(&str, bool), usize> = BTreeMap::new();
        for k in selection.builders.keys() {
            *per_type
                .entry((k.entity_type.as_str(), k.collection))
                .or_default() += 1;
        }
        for k in selection.builders.keys() {
            let simple = k.entity_type.rsplit('.').next().unwrap_or(&k.entity_type);
            let suffix = if k.collection {
                "CollectionRequest"
            } else {
                "Request"
            };
            let base = match &k.context {
                Context::Contained { parent, navigation }
                    if per_type[&(k.entity_type.as_str(), k.collection)] > 1 =>
                {
                    let p = parent.rsplit('.').next().unwrap_or(parent);
                    // keyword suffixes (`Self_`) inside a joined name are not UpperCamelCase
                    format!(
                        "{}{}",
                        naming::type_name(p).trim_end_matches('_'),
                        naming::type_name(navigation).trim_end_matches('_')
                    )
                }
                _ => naming::type_name(simple),
            };
            let name = builder_scope.claim(format!("{}{suffix}", base.trim_end_matches('_')));
            names.builders.insert(k.clone(), name);
        }
        names
    }

    /// `crate::models::security::Alert`.
    pub fn type_path(&self, qname: &str) -> TokenStream {
        match self.types.get(qname) {
            Some(t) => {
                let module = t.module.iter().map(|m| format_ident!("{}", m));
                let ident = format_ident!("{}", t.ident);
                quote! { crate::models:: #( #module :: )* #ident }
            }
            None => quote! { serde_json::Value },
        }
    }

    /// The file of a namespace module: `src/models/mod.rs` or `src/models/<module>.rs`.
    pub fn module_file(module: &[String]) -> String {
        if module.is_empty() {
            "src/models/mod.rs".to_string()
        } else {
            format!("src/models/{}.rs", module.join("/"))
        }
    }
}

fn type_namespace(model: &Model, qname: &str) -> Option<String> {
    if let Some(t) = model.structured_type(qname) {
        return Some(t.namespace.clone());
    }
    if let Some(e) = model.enum_types.get(qname) {
        return Some(e.namespace.clone());
    }
    model
        .type_definitions
        .get(qname)
        .map(|t| t.namespace.clone())
}
