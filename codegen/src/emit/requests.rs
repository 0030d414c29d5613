//! The service client and the request builders, one per entity type and containment context.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::Doc;
use super::features;
use super::models::{item_doc, use_type};
use super::names::Names;
use super::{PieceId, Pieces};
use crate::config::{CrudOperation, Permissions};
use crate::model::{Model, Operation, TypeRef};
use crate::naming::{self, Scope};
use crate::select::{Builder, BuilderKey, Selection, Step};
use crate::syntax::OperationKind;

/// The pieces of `requests.rs`: its inner attributes, the client, then one piece per builder.
pub fn emit(
    model: &Model,
    selection: &Selection,
    names: &Names,
    pieces: &mut Pieces<'_>,
) -> Vec<PieceId> {
    let mut ids = vec![pieces.push(quote! {
        #![doc = " Request builders: the service client and one builder per entity type and containment context."]
        #![doc = ""]
        #![doc = " Every operation returns an [`odata_runtime::Operation`]: call `into_request()` for the HTTP request"]
        #![doc = " without sending it, or `send().await` to run it through the client."]
    })];
    let mut parameter_scope = Scope::default();
    for n in names.builders.values() {
        parameter_scope.claim(n.clone());
    }
    if let Some(client) = &names.client {
        ids.push(pieces.push(client_tokens(model, selection, names, client)));
    }
    for (key, builder) in &selection.builders {
        ids.push(pieces.push(builder_tokens(
            model,
            selection,
            names,
            key,
            builder,
            &mut parameter_scope,
        )));
    }
    ids
}

fn client_tokens(model: &Model, selection: &Selection, names: &Names, client: &str) -> TokenStream {
    let ident = format_ident!("{}", client);
    let container = model.container();
    let mut scope = Scope::with_reserved(&[&["new", "client"], naming::TRAIT_METHODS].concat());
    let mut methods = Vec::new();
    for (root, entry) in &selection.roots {
        let method = format_ident!("{}", scope.claim(naming::field_name(root)));
        let builder = format_ident!("{}", names.builders[&entry.builder]);
        let path = format!("/{root}");
        let annotations = container.and_then(|c| {
            c.entity_sets
                .get(root)
                .map(|s| &s.annotations)
                .or(c.singletons.get(root).map(|s| &s.annotations))
        });
        let doc = match annotations {
            Some(a) => item_doc(a, &format!("The `{root}` resource.")),
            None => Doc::default().markdown(format!("The `{root}` resource.")),
        }
        .markdown(format!("Path: `{path}`."))
        .tokens();
        let gate = features::builder_gate(selection, &entry.builder);
        methods.push(quote! {
            #doc
            #gate
            pub fn #method(&self) -> #builder {
                #builder::new(self.client.clone(), #path)
            }
        });
    }
    let name = container.map_or("the service".to_string(), |c| {
        format!("the `{}` entity container", c.name)
    });
    let doc = format!(" The entry point: {name}.");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #ident {
            client: odata_runtime::Client,
        }

        impl #ident {
            /// Wraps a configured runtime client (cloud, API version, credentials, retries).
            pub fn new(client: odata_runtime::Client) -> Self {
                Self { client }
            }

            /// The runtime client.
            pub fn client(&self) -> &odata_runtime::Client {
                &self.client
            }

            #( #methods )*
        }

        impl From<odata_runtime::Client> for #ident {
            fn from(client: odata_runtime::Client) -> Self {
                Self::new(client)
            }
        }
    }
}

/// Paths longer than this are shown in docs with their middle segments elided: a containment
/// tree N levels deep has paths of N segments, and showing each in full made the generated code
/// grow with N^2 (a 413 KiB document generated 190 MB).
const MAX_SHOWN_PATH: usize = 512;

/// A path as docs show it: in full, or its first three and last four segments around a `…`.
fn shown_path(path: &str) -> String {
    if path.len() <= MAX_SHOWN_PATH {
        return path.to_string();
    }
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() <= 8 {
        // few but long segments: names are at most 128 characters, so this is rare
        let mut cut = MAX_SHOWN_PATH;
        while !path.is_char_boundary(cut) {
            cut -= 1;
        }
        return format!("{}…", &path[..cut]);
    }
    format!(
        "{}/…/{}",
        segments[..4].join("/"),
        segments[segments.len() - 4..].join("/")
    )
}

fn canonical_path(builder: &Builder, key: &BuilderKey) -> String {
    builder
        .paths
        .iter()
        .min_by_key(|p| (p.len(), (*p).clone()))
        .cloned()
        .unwrap_or_else(|| format!("/{}", key.entity_type))
}

fn permissions_doc(p: &Permissions) -> String {
    let list = |v: &[String]| {
        if v.is_empty() {
            "not supported".to_string()
        } else {
            v.iter()
                .map(|s| format!("`{}`", s.replace('`', "")))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    format!(
        "Permissions (least to most privileged):\n- Delegated (work or school account): {}\n- Delegated (personal Microsoft account): {}\n- Application: {}",
        list(&p.delegated_work),
        list(&p.delegated_personal),
        list(&p.application)
    )
}

fn builder_tokens(
    model: &Model,
    selection: &Selection,
    names: &Names,
    key: &BuilderKey,
    builder: &Builder,
    parameter_scope: &mut Scope,
) -> TokenStream {
    let ident = format_ident!("{}", names.builders[key]);
    let path = shown_path(&canonical_path(builder, key));
    let entity = model.entity_types.get(&key.entity_type);
    let simple = entity.map_or(key.entity_type.as_str(), |e| e.simple_name.as_str());
    let ty = names
        .types
        .contains_key(&key.entity_type)
        .then(|| names.type_path(&key.entity_type));
    let mut scope = Scope::with_reserved(&[&["new", "path"], naming::TRAIT_METHODS].concat());
    let mut methods = Vec::new();
    let mut extra_items = Vec::new();

    for op in &builder.operations {
        let Some(ty) = ty.clone() else { continue };
        let method = format_ident!("{}", scope.claim(op_method(*op).to_string()));
        let http = format!("`{} {path}`", op.method());
        let summary = match op {
            CrudOperation::Get => {
                format!("Reads the `{simple}`. Optional query options: `$select`, `$expand`.")
            }
            CrudOperation::List => format!(
                "Lists the `{simple}` collection, one page at a time (follow `next_link` for more). Query options: `$select`, `$expand`, `$filter`, `$orderby`, `$top`, `$skip`, `$count`, `$search`."
            ),
            CrudOperation::Create => format!("Creates a `{simple}` in the collection."),
            CrudOperation::Update => format!(
                "Updates the `{simple}`: sends only the properties that are set in `body` (PATCH semantics); a nullable property set to `Nullable::Null` is sent as `null`. The service answers with the updated object or with no content."
            ),
            CrudOperation::Delete => format!("Deletes the `{simple}`."),
        };
        let mut doc = Doc::default().markdown(summary).markdown(http);
        if let Some(p) = builder.permissions.get(op) {
            doc = doc.markdown(permissions_doc(p));
        }
        let doc = doc.tokens();
        methods.push(match op {
            CrudOperation::Get => quote! {
                #doc
                pub fn #method(&self) -> odata_runtime::Operation<odata_runtime::Json<#ty>> {
                    odata_runtime::Operation::new(self.client.clone(), odata_runtime::Request::new(odata_runtime::http::Method::GET, self.path.clone()))
                }
            },
            CrudOperation::List => quote! {
                #doc
                pub fn #method(&self) -> odata_runtime::Operation<odata_runtime::Json<odata_runtime::Page<#ty>>> {
                    odata_runtime::Operation::new(self.client.clone(), odata_runtime::Request::new(odata_runtime::http::Method::GET, self.path.clone()))
                }
            },
            CrudOperation::Create => quote! {
                #doc
                pub fn #method(&self, body: &#ty) -> Result<odata_runtime::Operation<odata_runtime::Json<#ty>>, odata_runtime::Error> {
                    let request = odata_runtime::Request::new(odata_runtime::http::Method::POST, self.path.clone()).with_json_body(body)?;
                    Ok(odata_runtime::Operation::new(self.client.clone(), request))
                }
            },
            CrudOperation::Update => quote! {
                #doc
                pub fn #method(&self, body: &#ty) -> Result<odata_runtime::Operation<odata_runtime::JsonOrEmpty<#ty>>, odata_runtime::Error> {
                    let request = odata_runtime::Request::new(odata_runtime::http::Method::PATCH, self.path.clone()).with_json_body(body)?;
                    Ok(odata_runtime::Operation::new(self.client.clone(), request))
                }
            },
            CrudOperation::Delete => quote! {
                #doc
                pub fn #method(&self) -> odata_runtime::Operation<odata_runtime::Empty> {
                    odata_runtime::Operation::new(self.client.clone(), odata_runtime::Request::new(odata_runtime::http::Method::DELETE, self.path.clone()))
                }
            },
        });
    }

    let own_areas = selection.builder_areas.get(key);
    for (step, child) in &builder.steps {
        let child_ident = format_ident!("{}", names.builders[child]);
        let gate = features::crossing_gate(own_areas, selection.builder_areas.get(child));
        match step {
            Step::Key => {
                let method = format_ident!("{}", scope.claim("by_id".to_string()));
                let doc = Doc::default()
                    .markdown(format!(
                        "One `{simple}` of the collection, by its key: `{path}/{{id}}`."
                    ))
                    .markdown("The key is percent-encoded as one path segment.")
                    .tokens();
                methods.push(quote! {
                    #doc
                    #gate
                    pub fn #method(&self, id: &str) -> #child_ident {
                        #child_ident::new(self.client.clone(), format!("{}/{}", self.path, odata_runtime::path_segment(id)))
                    }
                });
            }
            Step::Navigation(nav) => {
                let method = format_ident!("{}", scope.claim(naming::field_name(nav)));
                let nav_prop = model
                    .all_navigation_properties(&key.entity_type)
                    .into_iter()
                    .find(|n| &n.name == nav);
                let doc = match nav_prop {
                    Some(n) => {
                        item_doc(&n.annotations, &format!("The `{nav}` navigation property."))
                    }
                    None => Doc::default().markdown(format!("The `{nav}` navigation property.")),
                }
                .markdown(format!("Path: `{path}/{nav}`."))
                .tokens();
                let segment = format!("/{nav}");
                methods.push(quote! {
                    #doc
                    #gate
                    pub fn #method(&self) -> #child_ident {
                        #child_ident::new(self.client.clone(), format!("{}{}", self.path, #segment))
                    }
                });
            }
        }
    }

    for op_name in &builder.bound_operations {
        let overloads = model
            .actions
            .get(op_name)
            .into_iter()
            .chain(model.functions.get(op_name))
            .flatten();
        for op in overloads {
            let bound_here = op.binding().is_some_and(|b| {
                b.collection == key.collection && b.type_name() == Some(&key.entity_type)
            });
            if !bound_here {
                continue;
            }
            let (method, extra) =
                bound_operation(model, names, op, &path, &mut scope, parameter_scope);
            methods.push(method);
            extra_items.extend(extra);
        }
    }

    let what = if key.collection {
        format!("a collection of `{simple}`")
    } else {
        format!("one `{simple}`")
    };
    let mut doc =
        Doc::default().markdown(format!("Requests for {what} (CSDL `{}`).", key.entity_type));
    let mut paths: Vec<&String> = builder.paths.iter().collect();
    paths.sort_by_key(|p| (p.len(), (*p).clone()));
    if !paths.is_empty() {
        let shown: Vec<String> = paths
            .iter()
            .take(5)
            .map(|p| format!("`{}`", shown_path(p)))
            .collect();
        doc = doc.markdown(format!("Reached at {}.", shown.join(", ")));
    }
    let doc = doc.tokens();
    let tokens = quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #ident {
            client: odata_runtime::Client,
            path: String,
        }

        impl #ident {
            /// A builder for the resource at `path`, relative to the service root.
            pub fn new(client: odata_runtime::Client, path: impl Into<String>) -> Self {
                Self { client, path: path.into() }
            }

            /// The path of the resource relative to the service root.
            pub fn path(&self) -> &str {
                &self.path
            }

            #( #methods )*
        }

        #( #extra_items )*
    };
    features::gate_items(tokens, &features::builder_gate(selection, key))
}

fn op_method(op: CrudOperation) -> &'static str {
    match op {
        CrudOperation::Get => "get",
        CrudOperation::List => "list",
        CrudOperation::Create => "create",
        CrudOperation::Update => "update",
        CrudOperation::Delete => "delete",
    }
}

/// What an operation answers, as a runtime `Expect` type.
fn expect_type(model: &Model, names: &Names, op: &Operation) -> TokenStream {
    let Some(r) = &op.return_type else {
        return quote! { odata_runtime::Empty };
    };
    let item = use_type(
        model,
        names,
        &crate::model::TypeUse {
            collection: false,
            ..r.ty.clone()
        },
    );
    let structured = matches!(r.ty.ty, TypeRef::Entity(_) | TypeRef::Complex(_));
    let body = if r.ty.collection {
        quote! { odata_runtime::Page<#item> }
    } else if structured {
        item
    } else {
        quote! { odata_runtime::ValueResponse<#item> }
    };
    match op.kind {
        OperationKind::Action => quote! { odata_runtime::JsonOrEmpty<#body> },
        OperationKind::Function => quote! { odata_runtime::Json<#body> },
    }
}

fn bound_operation(
    model: &Model,
    names: &Names,
    op: &Operation,
    path: &str,
    scope: &mut Scope,
    parameter_scope: &mut Scope,
) -> (TokenStream, Option<TokenStream>) {
    let method = format_ident!("{}", scope.claim(naming::field_name(&op.simple_name)));
    let expect = expect_type(model, names, op);
    let segment = format!("/{}", op.name);
    let kind = match op.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let params = op.call_parameters();
    match op.kind {
        OperationKind::Action => {
            let http = format!("`POST {path}/{}`", op.name);
            let base_doc = item_doc(
                &op.annotations,
                &format!("Calls the bound {kind} `{}`.", op.simple_name),
            )
            .markdown(http);
            if params.is_empty() {
                let doc = base_doc.tokens();
                let method_tokens = quote! {
                    #doc
                    pub fn #method(&self) -> odata_runtime::Operation<#expect> {
                        odata_runtime::Operation::new(self.client.clone(), odata_runtime::Request::new(odata_runtime::http::Method::POST, format!("{}{}", self.path, #segment)))
                    }
                };
                return (method_tokens, None);
            }
            let body_name =
                parameter_scope.claim(format!("{}Parameters", naming::type_name(&op.simple_name)));
            let body_ident = format_ident!("{}", body_name);
            let doc = base_doc
                .markdown(format!(
                    "The parameters travel as a JSON object: [`{body_name}`]."
                ))
                .tokens();
            let mut field_scope = Scope::default();
            let fields: Vec<TokenStream> = params
                .iter()
                .map(|p| {
                    let field = format_ident!("{}", field_scope.claim(naming::field_name(&p.name)));
                    let wire = &p.name;
                    let ty = use_type(model, names, &p.ty);
                    let rename = (field != wire).then(|| quote! { rename = #wire, });
                    let pdoc =
                        item_doc(&p.annotations, &format!("The `{}` parameter.", p.name)).tokens();
                    quote! {
                        #pdoc
                        #[serde(#rename default, skip_serializing_if = "Option::is_none")]
                        pub #field: Option<#ty>,
                    }
                })
                .collect();
            let sdoc = format!(" Parameters of the `{}` action.", op.name);
            let body_struct = quote! {
                #[doc = #sdoc]
                #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
                pub struct #body_ident {
                    #( #fields )*
                }
            };
            let method_tokens = quote! {
                #doc
                pub fn #method(&self, body: &#body_ident) -> Result<odata_runtime::Operation<#expect>, odata_runtime::Error> {
                    let request = odata_runtime::Request::new(odata_runtime::http::Method::POST, format!("{}{}", self.path, #segment)).with_json_body(body)?;
                    Ok(odata_runtime::Operation::new(self.client.clone(), request))
                }
            };
            (method_tokens, Some(body_struct))
        }
        OperationKind::Function => {
            let call: Vec<String> = params.iter().map(|p| format!("{0}=@{0}", p.name)).collect();
            let http = format!("`GET {path}/{}({})`", op.name, call.join(","));
            let doc = item_doc(
                &op.annotations,
                &format!("Calls the bound {kind} `{}`.", op.simple_name),
            )
            .markdown(http)
            .markdown("Parameters travel as parameter aliases in the query string.")
            .tokens();
            let segment = format!("/{}({})", op.name, call.join(","));
            let mut arg_scope = Scope::with_reserved(&["request"]);
            let args: Vec<(proc_macro2::Ident, TokenStream, String)> = params
                .iter()
                .map(|p| {
                    let ident = format_ident!("{}", arg_scope.claim(naming::field_name(&p.name)));
                    (ident, use_type(model, names, &p.ty), format!("@{}", p.name))
                })
                .collect();
            let arg_idents: Vec<_> = args.iter().map(|a| a.0.clone()).collect();
            let arg_types: Vec<_> = args.iter().map(|a| a.1.clone()).collect();
            let aliases: Vec<_> = args.iter().map(|a| a.2.clone()).collect();
            let literals: Vec<TokenStream> = params
                .iter()
                .zip(&arg_idents)
                .map(|(p, ident)| {
                    if super::models::edm_url_literal(model, &p.ty) {
                        quote! { odata_runtime::edm::UrlLiteral::url_literal(#ident) }
                    } else {
                        quote! { odata_runtime::url_literal(#ident)? }
                    }
                })
                .collect();
            let method_tokens = quote! {
                #doc
                pub fn #method(&self #(, #arg_idents: &#arg_types)*) -> Result<odata_runtime::Operation<#expect>, odata_runtime::Error> {
                    #[allow(unused_mut)]
                    let mut request = odata_runtime::Request::new(odata_runtime::http::Method::GET, format!("{}{}", self.path, #segment));
                    #( request.query.push((#aliases.to_string(), #literals)); )*
                    Ok(odata_runtime::Operation::new(self.client.clone(), request))
                }
            };
            (method_tokens, None)
        }
    }
}
