//! The Rust name of every emitted item, assigned once, in a fixed order, before any code is built.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::config::CrudOperation;
use crate::model::{Model, Operation};
use crate::naming::{self, Scope};
use crate::repeats::FxMap;
use crate::select::{Builder, BuilderKey, Context, Selection, Step};
use crate::syntax::OperationKind;

/// Where a model type lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// Module segments below `crate::models` (empty for the main namespace).
    pub module: Vec<String>,
    pub ident: String,
}

/// The methods of one request builder, and the parameter structs of its actions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuilderNames {
    /// The builder struct (`UserRequest`, `UserCollectionRequest`).
    pub ident: String,
    pub operations: BTreeMap<CrudOperation, String>,
    /// (derived entity type, its type-cast method `as_group`), in variant order.
    pub casts: Vec<(String, String)>,
    pub steps: BTreeMap<Step, String>,
    /// (qualified operation name, index in [`Model::overloads`]) -> its method.
    pub bound: BTreeMap<(String, usize), BoundNames>,
    /// The media content of one entity: its `$value` (media entity) or an `Edm.Stream` property.
    pub content: Vec<ContentNames>,
    /// The same key as `bound` -> the method that uploads a file through it, for the
    /// `createUploadSession` actions ([`super::uploads::creates_upload_session`]).
    pub uploads: BTreeMap<(String, usize), String>,
}

/// The download and upload methods of one stream of an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentNames {
    /// The `Edm.Stream` property, or `None` for the media entity's own stream (`$value`).
    pub property: Option<String>,
    /// `content`, `content_stream`...: a GET of the bytes.
    pub get: String,
    /// `put_content`...: a PUT of the bytes.
    pub put: String,
}

/// The Rust names of one bound action or function.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoundNames {
    pub method: String,
    /// The struct an action's parameters travel in (`AssignParameters`); none without parameters
    /// and for functions.
    pub parameters: Option<String>,
    /// The struct fields (actions) or method arguments (functions), in parameter order.
    pub fields: Vec<String>,
}

/// The enum of a polymorphic type: the type itself or any of its selected descendants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Polymorphic {
    /// `AnyDeviceConfiguration`, in the module of the base type.
    pub ident: String,
    /// (qualified type name, variant): the base type first, then its descendants by variant.
    pub variants: Vec<(String, String)>,
    /// CSDL property name -> the method that reads it from any variant.
    pub accessors: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Qualified CSDL type name -> Rust name.
    pub types: BTreeMap<String, TypeName>,
    /// Namespace -> module segments below `crate::models`.
    pub modules: BTreeMap<String, Vec<String>>,
    /// Flags enum -> the enum of its members (`FooMember`).
    pub flag_members: BTreeMap<String, String>,
    pub builders: BTreeMap<BuilderKey, BuilderNames>,
    /// The service client (`GraphServiceClient`).
    pub client: Option<String>,
    /// Entity set or singleton -> the client's method for it.
    pub roots: BTreeMap<String, String>,
    /// Enum type -> the variant of each member, in declaration order.
    pub enum_members: BTreeMap<String, Vec<String>>,
    /// Structured type -> (CSDL property or navigation property name -> struct field), for the
    /// properties the struct declares: every structural one and the navigation properties whose
    /// target is selected.
    pub fields: BTreeMap<String, BTreeMap<String, String>>,
    /// Polymorphic types (see [`Selection::polymorphic`]) -> their enum.
    pub polymorphic: BTreeMap<String, Polymorphic>,
}

/// Items every models module defines besides the types.
const MODULE_RESERVED: &[&str] = &["Nullable", "Serialize", "Deserialize", "BTreeMap", "Value"];

/// Fields every struct defines besides the properties.
pub const STRUCT_RESERVED: &[&str] = &["odata_type", "additional_properties"];

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
        // an inherited property is named once, not once per type that inherits it
        let mut snake_case = FxMap::default();
        for t in &selection.types {
            if model.structured_type(t).is_some() {
                let fields = field_names(model, selection, t, &mut snake_case);
                names.fields.insert(t.clone(), fields);
            }
        }
        for (base, below) in &selection.polymorphic {
            let Some(base_name) = names.types.get(base).cloned() else {
                continue;
            };
            let scope = type_scopes
                .entry(base_name.module.clone())
                .or_insert_with(|| Scope::with_reserved(MODULE_RESERVED));
            let ident = scope.claim(format!("Any{}", base_name.ident.trim_end_matches('_')));
            let mut variant_scope = Scope::default();
            let base_variant = variant_scope.claim(base_name.ident.clone());
            // The base's own module first: its types keep their plain names, and a type of
            // another module with the same name gets that module's as a prefix.
            let mut below: Vec<(&String, &TypeName)> = below
                .iter()
                .filter_map(|d| names.types.get(d).map(|n| (d, n)))
                .collect();
            below.sort_by_key(|(d, n)| (n.module != base_name.module, *d));
            let mut variants: Vec<(String, String)> = below
                .into_iter()
                .map(|(d, name)| {
                    let mut wanted = name.ident.clone();
                    if variant_scope.contains(&wanted) && !name.module.is_empty() {
                        wanted = format!("{}{}", naming::type_name(&name.module.join("_")), wanted);
                    }
                    (d.clone(), variant_scope.claim(wanted))
                })
                .collect();
            variants.sort_by(|a, b| a.1.cmp(&b.1));
            variants.insert(0, (base.clone(), base_variant));
            let mut method_scope = Scope::with_reserved(
                &[
                    naming::TRAIT_METHODS,
                    STRUCT_RESERVED,
                    &["serialize", "deserialize"],
                ]
                .concat(),
            );
            let accessors = names.fields[base]
                .iter()
                .map(|(wire, field)| {
                    // `AnyMessage::from` must stay `From::from`: a taken name says what it reads
                    let wanted = if method_scope.contains(field) {
                        format!("{}_property", field.trim_end_matches('_'))
                    } else {
                        field.clone()
                    };
                    (wire.clone(), method_scope.claim(wanted))
                })
                .collect();
            names.polymorphic.insert(
                base.clone(),
                Polymorphic {
                    ident,
                    variants,
                    accessors,
                },
            );
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
            names.builders.insert(
                k.clone(),
                BuilderNames {
                    ident: name,
                    ..Default::default()
                },
            );
        }
        let mut client_scope =
            Scope::with_reserved(&[&["new", "client"], naming::TRAIT_METHODS].concat());
        for root in selection.roots.keys() {
            let method = client_scope.claim(naming::field_name(root));
            names.roots.insert(root.clone(), method);
        }
        // parameter structs live beside the builders
        let mut parameter_structs = ParameterStructs::default();
        for b in names.builders.values() {
            parameter_structs.scope.claim(b.ident.clone());
        }
        for (key, builder) in &selection.builders {
            let methods = builder_methods(model, &names, key, builder, &mut parameter_structs);
            if let Some(b) = names.builders.get_mut(key) {
                *b = BuilderNames {
                    ident: std::mem::take(&mut b.ident),
                    ..methods
                };
            }
        }
        for (qname, e) in &model.enum_types {
            if selection.types.contains(qname) {
                let mut scope = Scope::with_reserved(&["UnknownValue"]);
                let variants = e
                    .members
                    .iter()
                    .map(|m| scope.claim(naming::variant_name(&m.name)))
                    .collect();
                names.enum_members.insert(qname.clone(), variants);
            }
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

    /// The Rust type of a value declared with type `qname`: the enum of a polymorphic type,
    /// else the type itself.
    pub fn value_path(&self, qname: &str) -> TokenStream {
        match (self.polymorphic.get(qname), self.types.get(qname)) {
            (Some(p), Some(t)) => {
                let module = t.module.iter().map(|m| format_ident!("{}", m));
                let ident = format_ident!("{}", p.ident);
                quote! { crate::models:: #( #module :: )* #ident }
            }
            _ => self.type_path(qname),
        }
    }

    /// The private submodule of each group of items that compile with the same area features
    /// (`None`: always): `in_device_management`, `in_me_users`, `in_admin_chats_and_23_more`,
    /// `always`; never one of `taken` (the module's namespace submodules).
    pub fn area_groups<'a>(
        groups: impl Iterator<Item = Option<&'a BTreeSet<String>>>,
        taken: &[String],
    ) -> BTreeMap<Option<BTreeSet<String>>, String> {
        let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
        let mut scope = Scope::with_reserved(&taken);
        groups
            .map(|areas| {
                let name = match areas {
                    None => "always".to_string(),
                    Some(set) => {
                        let snake: Vec<String> = set
                            .iter()
                            .map(|f| naming::module_name(&f.replace('-', "_")))
                            .collect();
                        let shown = if snake.len() <= 3 { snake.len() } else { 2 };
                        let mut name = format!("in_{}", snake[..shown].join("_"));
                        if shown < snake.len() {
                            name.push_str(&format!("_and_{}_more", snake.len() - shown));
                        }
                        name
                    }
                };
                (areas.cloned(), scope.claim(name))
            })
            .collect()
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

/// The paths of emitted items as a user of the crate writes them below the crate root
/// (`models::security::Alert`, `models::RemoteAssistanceSettings::block_chat`,
/// `requests::UserRequest::get`): how a report on the API, such as `odata-codegen diff`, names
/// what a change touches. They follow the layout the emitters write.
impl Names {
    /// The struct, enum or alias of a type.
    pub fn type_item(&self, qname: &str) -> Option<String> {
        let t = self.types.get(qname)?;
        Some(models_item(&t.module, &t.ident))
    }

    /// The enum of a polymorphic type (`models::AnyDeviceConfiguration`).
    pub fn polymorphic_item(&self, qname: &str) -> Option<String> {
        let t = self.types.get(qname)?;
        Some(models_item(&t.module, &self.polymorphic.get(qname)?.ident))
    }

    /// The variant of a polymorphic type's enum that holds `variant` (a qualified type name).
    pub fn polymorphic_variant_item(&self, qname: &str, variant: &str) -> Option<String> {
        let (_, v) = self
            .polymorphic
            .get(qname)?
            .variants
            .iter()
            .find(|(t, _)| t == variant)?;
        Some(format!("{}::{v}", self.polymorphic_item(qname)?))
    }

    /// The struct field of a property or navigation property of a structured type (inherited
    /// ones included: every struct holds all of its properties).
    pub fn field_item(&self, qname: &str, property: &str) -> Option<String> {
        let field = self.fields.get(qname)?.get(property)?;
        Some(format!("{}::{field}", self.type_item(qname)?))
    }

    /// The variant of an enum member, by its index in declaration order; for a flags enum, the
    /// variant of its member enum (`models::DayOfWeekMember::Monday`).
    pub fn member_item(&self, qname: &str, index: usize) -> Option<String> {
        let t = self.types.get(qname)?;
        let variant = self.enum_members.get(qname)?.get(index)?;
        let ident = self.flag_members.get(qname).unwrap_or(&t.ident);
        Some(format!("{}::{variant}", models_item(&t.module, ident)))
    }

    /// The struct of a request builder.
    pub fn builder_item(&self, key: &BuilderKey) -> Option<String> {
        Some(format!("requests::{}", self.builders.get(key)?.ident))
    }

    /// A method of a request builder, or of the service client when `key` is `None`.
    pub fn method_item(&self, key: Option<&BuilderKey>, method: &str) -> Option<String> {
        let owner = match key {
            Some(k) => self.builders.get(k)?.ident.as_str(),
            None => self.client.as_deref()?,
        };
        Some(format!("requests::{owner}::{method}"))
    }

    /// The struct an action's parameters travel in (`requests::AssignParameters`).
    pub fn parameters_item(&self, ident: &str) -> String {
        format!("requests::{ident}")
    }
}

fn models_item(module: &[String], ident: &str) -> String {
    let mut path = "models".to_string();
    for m in module {
        path.push_str("::");
        path.push_str(m);
    }
    format!("{path}::{ident}")
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

/// The struct fields of a structured type, claimed in declaration order (inherited properties
/// first, then navigation properties with a selected target).
/// `snake_case` keeps [`naming::field_name`] of the names seen so far.
fn field_names<'m>(
    model: &'m Model,
    selection: &Selection,
    qname: &str,
    snake_case: &mut FxMap<&'m str, String>,
) -> BTreeMap<String, String> {
    let mut scope = Scope::with_reserved(STRUCT_RESERVED);
    let mut out = BTreeMap::new();
    let mut claim = |name: &'m String| {
        let wanted = snake_case
            .entry(name.as_str())
            .or_insert_with(|| naming::field_name(name));
        out.insert(name.clone(), scope.claim(wanted.clone()));
    };
    for p in model.all_properties(qname) {
        claim(&p.name);
    }
    for n in model.all_navigation_properties(qname) {
        if selection.types.contains(&n.target) {
            claim(&n.name);
        }
    }
    out
}

/// The structs actions' parameters travel in: one per overload, whichever builders bind it,
/// named when the first builder (in sorted order) that binds it is named.
#[derive(Default)]
struct ParameterStructs {
    scope: Scope,
    by_overload: BTreeMap<(String, usize), String>,
}

impl ParameterStructs {
    fn name(&mut self, op_name: &str, index: usize, op: &Operation) -> String {
        let ParameterStructs { scope, by_overload } = self;
        by_overload
            .entry((op_name.to_string(), index))
            .or_insert_with(|| {
                scope.claim(format!("{}Parameters", naming::type_name(&op.simple_name)))
            })
            .clone()
    }
}

/// The methods of a builder, claimed in the order the builder lists them: operations, type
/// casts, steps, bound operations.
fn builder_methods(
    model: &Model,
    names: &Names,
    key: &BuilderKey,
    builder: &Builder,
    parameter_structs: &mut ParameterStructs,
) -> BuilderNames {
    let mut out = BuilderNames::default();
    let mut scope = Scope::with_reserved(&[&["new", "path"], naming::TRAIT_METHODS].concat());
    if names.types.contains_key(&key.entity_type) {
        for op in &builder.operations {
            out.operations
                .insert(*op, scope.claim(crud_method(*op).to_string()));
        }
    }
    let readable = if key.collection {
        builder.operations.contains(&CrudOperation::List)
    } else {
        builder.operations.contains(&CrudOperation::Get)
    };
    let derived = names
        .polymorphic
        .get(&key.entity_type)
        .filter(|_| readable)
        .into_iter()
        .flat_map(|p| p.variants.iter().skip(1))
        .filter(|(d, _)| model.entity_types.contains_key(d));
    for (d, variant) in derived {
        let method = scope.claim(format!("as_{}", naming::field_name(variant)));
        out.casts.push((d.clone(), method));
    }
    for step in builder.steps.keys() {
        let method = match step {
            Step::Key => scope.claim("by_id".to_string()),
            Step::Navigation(nav) => scope.claim(naming::field_name(nav)),
        };
        out.steps.insert(step.clone(), method);
    }
    for op_name in &builder.bound_operations {
        for (index, op) in model.overloads(op_name).enumerate() {
            let bound_here = op.binding().is_some_and(|b| {
                b.collection == key.collection && b.type_name() == Some(&key.entity_type)
            });
            if !bound_here {
                continue;
            }
            let method = scope.claim(naming::field_name(&op.simple_name));
            let params = op.call_parameters();
            // an action's parameters are fields of its struct, a function's are arguments beside
            // the method's own `request` (still reserved so that names stay)
            let (parameters, mut field_scope) = match op.kind {
                OperationKind::Action => (
                    (!params.is_empty()).then(|| parameter_structs.name(op_name, index, op)),
                    Scope::default(),
                ),
                OperationKind::Function => (None, Scope::with_reserved(&["request"])),
            };
            let fields = params
                .iter()
                .map(|p| field_scope.claim(naming::field_name(&p.name)))
                .collect();
            let bound = BoundNames {
                method,
                parameters,
                fields,
            };
            out.bound.insert((op_name.clone(), index), bound);
        }
    }
    // after every bound operation, so that an operation keeps its own name
    for (key, _) in out.bound.iter() {
        let op = model.overloads(&key.0).nth(key.1);
        if op.is_some_and(super::uploads::creates_upload_session) {
            out.uploads
                .insert(key.clone(), scope.claim("large_upload".to_string()));
        }
    }
    // last, so that no earlier method changes its name
    if !key.collection {
        for property in content_streams(model, &key.entity_type) {
            let base = property.map_or_else(|| "content".to_string(), naming::field_name);
            let base = base.trim_end_matches('_');
            out.content.push(ContentNames {
                property: property.map(str::to_owned),
                get: scope.claim(base.to_string()),
                put: scope.claim(format!("put_{base}")),
            });
        }
    }
    out
}

/// The streams of an entity type: `None` for its own media stream (`HasStream`, on it or a base
/// type; at `{entity}/$value`), then its `Edm.Stream` properties (at `{entity}/{property}`), in
/// declaration order.
pub fn content_streams<'a>(model: &'a Model, entity_type: &str) -> Vec<Option<&'a str>> {
    let ancestry = model.ancestry(entity_type);
    let media = ancestry
        .iter()
        .any(|t| t.has_stream && t.kind == crate::model::TypeKind::Entity);
    let mut out: Vec<Option<&str>> = Vec::new();
    if media {
        out.push(None);
    }
    if model.entity_types.contains_key(entity_type) {
        out.extend(
            model
                .all_properties(entity_type)
                .into_iter()
                .filter(|p| {
                    !p.ty.collection
                        && p.ty.ty
                            == crate::model::TypeRef::Primitive(crate::model::Primitive::Stream)
                })
                .map(|p| Some(p.name.as_str())),
        );
    }
    out
}

fn crud_method(op: CrudOperation) -> &'static str {
    match op {
        CrudOperation::Get => "get",
        CrudOperation::List => "list",
        CrudOperation::Create => "create",
        CrudOperation::Update => "update",
        CrudOperation::Delete => "delete",
    }
}
