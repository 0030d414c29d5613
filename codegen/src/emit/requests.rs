//! The service client and the request builders, one per entity type and containment context.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::deprecations;
use super::docs::Doc;
use super::features;
use super::layout::Areas;
use super::layout::Module;
use super::models::{item_doc, use_type};
use super::names::{BoundNames, ContentNames, Names};
use super::{ApiVersion, Pieces};
use crate::config::{CrudOperation, Permissions};
use crate::model::{Model, Operation, TypeRef};
use crate::select::{Builder, BuilderKey, Selection, Step};
use crate::syntax::OperationKind;

/// The `requests` module: its inner attributes and the client, then one item per builder.
pub fn emit<'scope>(
    model: &'scope Model,
    selection: &'scope Selection,
    names: &'scope Names,
    version: ApiVersion,
    pieces: &mut Pieces<'scope>,
) -> Module {
    let mut head = vec![pieces.push(quote! {
        #![doc = " Request builders: the service client and one builder per entity type and containment context."]
        #![doc = ""]
        #![doc = " Every operation returns an [`odata_runtime::Operation`]: call `into_request()` for the HTTP request"]
        #![doc = " without sending it, or `send().await` to run it through the client. A body or parameter that does"]
        #![doc = " not serialize is the error of both; nothing is sent."]
    })];
    if let Some(client) = &names.client {
        head.push(pieces.push(client_tokens(model, selection, names, client)));
    }
    let mut items = Vec::new();
    // an action's parameter struct compiles with any builder that binds the action
    let mut parameter_structs: BTreeMap<&str, (&Operation, &BoundNames, Areas)> = BTreeMap::new();
    for (key, builder) in &selection.builders {
        let areas = selection.builder_areas.get(key).filter(|a| !a.is_empty());
        items.push(pieces.item(areas, move || {
            builder_tokens(model, selection, names, key, builder, version)
        }));
        for ((op_name, index), bound) in &names.builders[key].bound {
            let (Some(name), Some(op)) = (&bound.parameters, model.overloads(op_name).nth(*index))
            else {
                continue;
            };
            let (_, _, union) = parameter_structs
                .entry(name)
                .or_insert_with(|| (op, bound, Some(BTreeSet::new())));
            match (union.as_mut(), areas) {
                (Some(union), Some(areas)) => union.extend(areas.iter().cloned()),
                _ => *union = None,
            }
        }
    }
    for (op, bound, areas) in parameter_structs.into_values() {
        items.push(pieces.item(areas.as_ref(), move || {
            parameters_struct(model, names, op, bound)
        }));
    }
    Module {
        dir: "src/requests".into(),
        file: "src/requests.rs".into(),
        head,
        taken: Vec::new(),
        what: "Request builders".into(),
        glob_parent: true,
        items,
    }
}

fn client_tokens(model: &Model, selection: &Selection, names: &Names, client: &str) -> TokenStream {
    let ident = format_ident!("{}", client);
    let container = model.container();
    let mut methods = Vec::new();
    for (root, entry) in &selection.roots {
        let method = format_ident!("{}", names.roots[root]);
        let builder = format_ident!("{}", names.builders[&entry.builder].ident);
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
        let deprecated = annotations.map(deprecations::attribute);
        let gate = features::builder_gate(selection, &entry.builder);
        methods.push(quote! {
            #doc
            #deprecated
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
            /// Wraps a configured runtime client (cloud, credentials, retries). Requests go to
            /// [`crate::PINNED_API_VERSION`], whatever version the client was built with.
            pub fn new(client: odata_runtime::Client) -> Self {
                Self { client: client.with_api_version(crate::PINNED_API_VERSION) }
            }

            /// The runtime client, pinned to [`crate::PINNED_API_VERSION`].
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

/// The base of Graph's directory objects, whose collections answer `$search` only in advanced
/// queries (`ConsistencyLevel: eventual`).
const DIRECTORY_OBJECT: &str = "microsoft.graph.directoryObject";

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

/// A builder's struct and methods, and the parameter structs of the actions it binds (by name).
fn builder_tokens(
    model: &Model,
    selection: &Selection,
    names: &Names,
    key: &BuilderKey,
    builder: &Builder,
    version: ApiVersion,
) -> TokenStream {
    let own = &names.builders[key];
    let ident = format_ident!("{}", own.ident);
    let path = shown_path(&canonical_path(builder, key));
    let entity = model.entity_types.get(&key.entity_type);
    let simple = entity.map_or(key.entity_type.as_str(), |e| e.simple_name.as_str());
    let ty = names
        .types
        .contains_key(&key.entity_type)
        .then(|| names.value_path(&key.entity_type));
    let mut methods = Vec::new();
    // `$search` on directory objects needs `ConsistencyLevel: eventual`: the runtime adds it
    let directory = model
        .derives_from(&key.entity_type, DIRECTORY_OBJECT)
        .then(|| quote! { .directory_objects() });

    for op in &builder.operations {
        let (Some(ty), Some(method)) = (ty.clone(), own.operations.get(op)) else {
            continue;
        };
        let method = format_ident!("{}", method);
        // the builder's own path, unless the operation is only had through others
        let canonical = canonical_path(builder, key);
        let op_path = match builder.operation_paths.get(op) {
            Some(paths) if !paths.contains(&canonical) => paths
                .iter()
                .min_by_key(|p| (p.len(), (*p).clone()))
                .map_or_else(|| path.clone(), |p| shown_path(p)),
            _ => path.clone(),
        };
        let http = format!("`{} {op_path}`", op.method());
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
                    self.resource.get()
                }
            },
            CrudOperation::List => quote! {
                #doc
                pub fn #method(&self) -> odata_runtime::Operation<odata_runtime::Json<odata_runtime::Page<#ty>>> {
                    self.resource.get() #directory
                }
            },
            CrudOperation::Create => quote! {
                #doc
                pub fn #method(&self, body: &#ty) -> odata_runtime::Operation<odata_runtime::Json<#ty>> {
                    self.resource.post().json_body(body)
                }
            },
            CrudOperation::Update => quote! {
                #doc
                pub fn #method(&self, body: &#ty) -> odata_runtime::Operation<odata_runtime::JsonOrEmpty<#ty>> {
                    self.resource.patch().json_body(body)
                }
            },
            CrudOperation::Delete => quote! {
                #doc
                pub fn #method(&self) -> odata_runtime::Operation<odata_runtime::Empty> {
                    self.resource.delete()
                }
            },
        });
    }

    let own_areas = selection.builder_areas.get(key);
    for (d, method) in &own.casts {
        let method = format_ident!("{}", method);
        let value = names.value_path(d);
        let segment = format!("/{d}");
        let gate = features::crossing_gate(own_areas, selection.value_areas(d));
        let (doc, ty, cast) = if key.collection {
            (
                format!("Only the members of type `{d}`: `{path}/{d}`."),
                quote! { odata_runtime::CastCollection<#value> },
                quote! { cast_collection },
            )
        } else {
            (
                format!(
                    "The `{simple}` read as a `{d}` (the service answers 404 when it is another type): `{path}/{d}`."
                ),
                quote! { odata_runtime::CastEntity<#value> },
                quote! { cast_entity },
            )
        };
        let doc = Doc::default().markdown(doc).tokens();
        let directory = (key.collection && model.derives_from(d, DIRECTORY_OBJECT))
            .then(|| quote! { .directory_objects() });
        methods.push(quote! {
            #doc
            #gate
            pub fn #method(&self) -> #ty {
                self.resource.join(#segment).#cast() #directory
            }
        });
    }
    for (step, child) in &builder.steps {
        let child_ident = format_ident!("{}", names.builders[child].ident);
        let method = format_ident!("{}", own.steps[step]);
        let gate = features::crossing_gate(own_areas, selection.builder_areas.get(child));
        match step {
            Step::Key => {
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
                        #child_ident { resource: self.resource.key(id) }
                    }
                });
            }
            Step::Navigation(nav) => {
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
                let deprecated = nav_prop.map(|n| deprecations::attribute(&n.annotations));
                let segment = format!("/{nav}");
                methods.push(quote! {
                    #doc
                    #deprecated
                    #gate
                    pub fn #method(&self) -> #child_ident {
                        #child_ident { resource: self.resource.join(#segment) }
                    }
                });
            }
        }
    }

    for content in &own.content {
        methods.extend(content_methods(names, key, &path, simple, content));
    }

    for ((op_name, index), bound) in &own.bound {
        if let Some(op) = model.overloads(op_name).nth(*index) {
            methods.push(bound_operation(model, names, op, &path, bound));
            if let Some(upload) = own.uploads.get(&(op_name.clone(), *index)) {
                methods.push(super::uploads::method(op, bound, upload));
            }
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
    let methods = (!methods.is_empty()).then(|| quote! { impl #ident { #( #methods )* } });
    let api_version = version.variant();
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #ident {
            pub(crate) resource: odata_runtime::Resource,
        }

        odata_runtime::resource_builder!(#ident, #api_version);

        #methods
    }
}

/// The download and upload methods of one stream of an entity (`$value` or an `Edm.Stream`
/// property).
fn content_methods(
    names: &Names,
    key: &BuilderKey,
    path: &str,
    simple: &str,
    content: &ContentNames,
) -> [TokenStream; 2] {
    let segment = match &content.property {
        Some(p) => format!("/{p}"),
        None => "/$value".to_string(),
    };
    let what = match &content.property {
        Some(p) => format!("The `{p}` stream of the `{simple}`"),
        None => format!("The content of the `{simple}` (a media entity)"),
    };
    let get = format_ident!("{}", content.get);
    let put = format_ident!("{}", content.put);
    let ty = names.value_path(&key.entity_type);
    let get_doc = Doc::default()
        .markdown(format!("{what}, read as a stream of bytes: `GET {path}{segment}`."))
        .markdown("`send().await` gives a `ByteStream`, `bytes().await` the whole body. A redirect to a download URL on another host (Graph answers `302 Found`) is followed without the token.")
        .tokens();
    let put_doc = Doc::default()
        .markdown(format!(
            "Replaces {} with `body`, sent with `content_type`: `PUT {path}{segment}`.",
            match &content.property {
                Some(p) => format!("the `{p}` stream of the `{simple}`"),
                None => format!("the content of the `{simple}`"),
            }
        ))
        .markdown("The service answers with the entity or with no content.")
        .tokens();
    [
        quote! {
            #get_doc
            pub fn #get(&self) -> odata_runtime::Download {
                self.resource.join(#segment).download()
            }
        },
        quote! {
            #put_doc
            pub fn #put(&self, body: impl Into<Vec<u8>>, content_type: &str) -> odata_runtime::Operation<odata_runtime::JsonOrEmpty<#ty>> {
                self.resource.join(#segment).put_content(body.into(), content_type)
            }
        },
    ]
}

/// What an operation answers, as a runtime `Expect` type.
pub(super) fn expect_type(model: &Model, names: &Names, op: &Operation) -> TokenStream {
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
    let body = if is_delta(op) {
        quote! { odata_runtime::DeltaPage<#item> }
    } else if r.ty.collection {
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

/// A delta query: a function named `delta` that answers a collection of entities, page by page
/// and ending with an `@odata.deltaLink` (Graph's change tracking).
fn is_delta(op: &Operation) -> bool {
    op.kind == OperationKind::Function
        && op.simple_name == "delta"
        && op
            .return_type
            .as_ref()
            .is_some_and(|r| r.ty.collection && matches!(r.ty.ty, TypeRef::Entity(_)))
}

fn bound_operation(
    model: &Model,
    names: &Names,
    op: &Operation,
    path: &str,
    bound: &BoundNames,
) -> TokenStream {
    let method = format_ident!("{}", bound.method);
    let expect = expect_type(model, names, op);
    let segment = format!("/{}", op.name);
    let kind = match op.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let params = op.call_parameters();
    let deprecated = deprecations::attribute(&op.annotations);
    match op.kind {
        OperationKind::Action => {
            let http = format!("`POST {path}/{}`", op.name);
            let base_doc = item_doc(
                &op.annotations,
                &format!("Calls the bound {kind} `{}`.", op.simple_name),
            )
            .markdown(http);
            let Some(body_name) = &bound.parameters else {
                let doc = base_doc.tokens();
                return quote! {
                    #doc
                    #deprecated
                    pub fn #method(&self) -> odata_runtime::Operation<#expect> {
                        self.resource.join(#segment).post()
                    }
                };
            };
            let body_ident = format_ident!("{}", body_name);
            let doc = base_doc
                .markdown(format!(
                    "The parameters travel as a JSON object: [`{body_name}`]."
                ))
                .tokens();
            quote! {
                #doc
                #deprecated
                pub fn #method(&self, body: &#body_ident) -> odata_runtime::Operation<#expect> {
                    self.resource.join(#segment).post().json_body(body)
                }
            }
        }
        OperationKind::Function => {
            let call: Vec<String> = params.iter().map(|p| format!("{0}=@{0}", p.name)).collect();
            let http = format!("`GET {path}/{}({})`", op.name, call.join(","));
            let mut doc = item_doc(
                &op.annotations,
                &format!("Calls the bound {kind} `{}`.", op.simple_name),
            )
            .markdown(http)
            .markdown("Parameters travel as parameter aliases in the query string.");
            if is_delta(op) {
                doc = doc.markdown("A delta query: `items()` or `pages()` give the changes (`Delta::Changed` or `Delta::Removed`) page by page, and then `delta_link()`; store it and call `resume_from(link)` on this operation for the changes since.");
            } else if op.return_type.as_ref().is_some_and(|r| r.ty.collection) {
                doc = doc.markdown("`send()` gives one page; `items()` or `pages()` a stream that follows `@odata.nextLink`.");
            }
            let doc = doc.tokens();
            let segment = format!("/{}({})", op.name, call.join(","));
            let args: Vec<(proc_macro2::Ident, TokenStream, String)> = params
                .iter()
                .zip(&bound.fields)
                .map(|(p, ident)| {
                    let ident = format_ident!("{}", ident);
                    (ident, use_type(model, names, &p.ty), format!("@{}", p.name))
                })
                .collect();
            let arg_idents: Vec<_> = args.iter().map(|a| a.0.clone()).collect();
            let arg_types: Vec<_> = args.iter().map(|a| a.1.clone()).collect();
            let aliases: Vec<_> = args.iter().map(|a| a.2.clone()).collect();
            // Edm values have URL literals of their own (`duration'P1D'`, unquoted GUIDs)
            let literals: Vec<TokenStream> = params
                .iter()
                .zip(arg_idents.iter().zip(&aliases))
                .map(|(p, (ident, alias))| {
                    if super::models::edm_url_literal(model, &p.ty) {
                        quote! { .query(#alias, odata_runtime::edm::UrlLiteral::url_literal(#ident)) }
                    } else {
                        quote! { .query_literal(#alias, #ident) }
                    }
                })
                .collect();
            quote! {
                #doc
                #deprecated
                pub fn #method(&self #(, #arg_idents: &#arg_types)*) -> odata_runtime::Operation<#expect> {
                    self.resource.join(#segment).get()
                        #( #literals )*
                }
            }
        }
    }
}

/// The struct an action's parameters travel in, one per overload whichever builders bind it.
fn parameters_struct(
    model: &Model,
    names: &Names,
    op: &Operation,
    bound: &BoundNames,
) -> TokenStream {
    let Some(name) = &bound.parameters else {
        return TokenStream::new();
    };
    let ident = format_ident!("{}", name);
    let params = op.call_parameters();
    let fields = params.iter().zip(&bound.fields).map(|(p, field)| {
        let field = format_ident!("{}", field);
        let ty = use_type(model, names, &p.ty);
        let doc = item_doc(&p.annotations, &format!("The `{}` parameter.", p.name)).tokens();
        quote! {
            #doc
            pub #field: Option<#ty>,
        }
    });
    let entries = params.iter().zip(&bound.fields).map(|(p, field)| {
        let field = format_ident!("{}", field);
        let wire = &p.name;
        quote! { #field(#wire) }
    });
    let doc = format!(" Parameters of the `{}` action.", op.name);
    quote! {
        #[doc = #doc]
        #[derive(Clone, PartialEq, Default)]
        pub struct #ident {
            #( #fields )*
        }

        odata_runtime::parameters!(#ident { #( #entries ),* });
    }
}
