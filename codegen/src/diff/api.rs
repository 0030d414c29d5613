//! The API of a generated crate as data: every emitted item with the CSDL facts it comes from,
//! the Rust names the naming stage gave it and the Rust types the emitters write. Two of these
//! are compared; one can be stored (`generated/api.json`) and compared later.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::report::{NO_AREA, SHARED};
use crate::config::CrudOperation;
use crate::emit::{Names, rust_types};
use crate::model::{Annotations, Model, TypeKind, type_use_text};
use crate::select::{BuilderKey, Context, Selection, Step};
use crate::syntax::OperationKind;

/// The version of this format; a stored summary of another version is not compared.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Api {
    pub format: u32,
    /// Qualified name -> type.
    pub types: BTreeMap<String, TypeApi>,
    /// Entity set or singleton name -> its method on the service client.
    pub roots: BTreeMap<String, RootApi>,
    /// [`builder_id`] -> request builder.
    pub builders: BTreeMap<String, BuilderApi>,
    /// [`operation_id`] -> bound action or function.
    pub operations: BTreeMap<String, OperationApi>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKindApi {
    Entity,
    Complex,
    Enum,
    Definition,
}

/// `Core.Revisions` of kind `Deprecated`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Deprecation {
    pub date: Option<String>,
    pub removal_date: Option<String>,
    pub description: Option<String>,
}

/// What documents an element: its description and deprecation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Docs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecation: Option<Deprecation>,
}

impl Docs {
    fn of(a: &Annotations) -> Docs {
        Docs {
            description: a.description().map(str::to_string),
            deprecation: a.deprecation().map(|r| Deprecation {
                date: r.date,
                removal_date: r.removal_date,
                description: r.description,
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeApi {
    pub kind: TypeKindApi,
    /// `models::RemoteAssistanceSettings`.
    pub rust: String,
    pub area: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// The enum that values declared with this type are (`models::AnyDeviceConfiguration`), with
    /// its variants: qualified type name -> variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polymorphic: Option<(String, BTreeMap<String, String>)>,
    /// Properties the type declares (inherited ones are its base type's).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, PropertyApi>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub navigation: BTreeMap<String, NavigationApi>,
    /// Enum members by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub members: BTreeMap<String, MemberApi>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flags: bool,
    /// A type definition's underlying type and the Rust type of its alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub underlying: Option<(String, String)>,
    #[serde(flatten)]
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyApi {
    /// As CSDL writes it: `Collection(Edm.String)`.
    pub ty: String,
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The field's Rust type.
    pub rust_type: String,
    /// The field in this type's struct and in those of its selected derived types.
    pub rust: Vec<String>,
    #[serde(flatten)]
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavigationApi {
    /// `graph.user` or `Collection(graph.user)`.
    pub target: String,
    pub contains_target: bool,
    /// The fields, where the target is selected.
    pub rust: Vec<String>,
    #[serde(flatten)]
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberApi {
    pub value: i64,
    pub rust: String,
    #[serde(flatten)]
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootApi {
    pub singleton: bool,
    pub entity_type: String,
    pub rust: String,
    #[serde(flatten)]
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuilderApi {
    /// The first path that reaches it (`/deviceManagement/remoteAssistanceSettings`).
    pub path: String,
    pub area: String,
    pub rust: String,
    /// What a method does (`get`, `navigation users`, `cast microsoft.graph.group`, `by_id`,
    /// `content`...) -> the method.
    pub methods: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationApi {
    pub function: bool,
    pub composable: bool,
    pub parameters: Vec<ParameterApi>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// What its methods answer.
    pub rust_result: String,
    pub area: String,
    /// Its methods on the builders that have it.
    pub rust: Vec<String>,
    #[serde(flatten)]
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterApi {
    pub name: String,
    pub ty: String,
    pub nullable: bool,
    pub rust_type: String,
    /// An action's parameter struct fields, or `method(argument)` for a function.
    pub rust: Vec<String>,
}

/// The key of a builder: `microsoft.graph.user[]` at the root, with `in parent/navigation`
/// when contained.
pub fn builder_id(key: &BuilderKey) -> String {
    let brackets = if key.collection { "[]" } else { "" };
    match &key.context {
        Context::Root => format!("{}{brackets}", key.entity_type),
        Context::Contained { parent, navigation } => {
            format!("{}{brackets} in {parent}/{navigation}", key.entity_type)
        }
    }
}

/// The key of an operation overload: `name(binding)`, with `#n` for the n-th overload (from 2)
/// of the same binding.
fn operation_id(name: &str, binding: &str, nth: usize) -> String {
    if nth == 0 {
        format!("{name}({binding})")
    } else {
        format!("{name}({binding})#{}", nth + 1)
    }
}

impl Api {
    /// The API of the crate that `selection` and `names` give for `model`. The selection must
    /// have been made with area features for the areas to be named.
    pub fn build(model: &Model, selection: &Selection, names: &Names) -> Api {
        let areas = Areas::new(selection);
        let mut api = Api {
            format: FORMAT,
            ..Api::default()
        };
        let descendants = descendants(model, selection);
        for qname in &selection.types {
            if let Some(t) = build_type(model, selection, names, &descendants, qname) {
                let area = areas.of_type(qname);
                api.types.insert(qname.clone(), TypeApi { area, ..t });
            }
        }
        for (name, root) in &selection.roots {
            let Some(container) = model.container() else {
                continue;
            };
            let (singleton, annotations) = match (
                container.singletons.get(name),
                container.entity_sets.get(name),
            ) {
                (Some(s), _) => (true, &s.annotations),
                (None, Some(s)) => (false, &s.annotations),
                (None, None) => continue,
            };
            let Some(rust) = names
                .roots
                .get(name)
                .and_then(|m| names.method_item(None, m))
            else {
                continue;
            };
            api.roots.insert(
                name.clone(),
                RootApi {
                    singleton,
                    entity_type: root.builder.entity_type.clone(),
                    rust,
                    docs: Docs::of(annotations),
                },
            );
        }
        for (key, builder) in &selection.builders {
            let (Some(b), Some(rust)) = (names.builders.get(key), names.builder_item(key)) else {
                continue;
            };
            let mut methods = BTreeMap::new();
            for (op, m) in &b.operations {
                methods.insert(crud_label(*op).to_string(), m.clone());
            }
            for (d, m) in &b.casts {
                methods.insert(format!("cast {d}"), m.clone());
            }
            for (step, m) in &b.steps {
                let what = match step {
                    Step::Key => "by key".to_string(),
                    Step::Navigation(n) => format!("navigation {n}"),
                };
                methods.insert(what, m.clone());
            }
            for c in &b.content {
                let stream = c.property.as_deref().unwrap_or("$value");
                methods.insert(format!("download {stream}"), c.get.clone());
                methods.insert(format!("upload {stream}"), c.put.clone());
            }
            for ((op, _), m) in &b.uploads {
                methods.insert(format!("large upload through {op}"), m.clone());
            }
            let methods = methods
                .into_iter()
                .map(|(what, m)| (what, format!("{rust}::{m}")))
                .collect();
            api.builders.insert(
                builder_id(key),
                BuilderApi {
                    path: builder.paths.iter().next().cloned().unwrap_or_default(),
                    area: areas.of_builder(key),
                    rust,
                    methods,
                },
            );
        }
        build_operations(model, names, &areas, &mut api);
        api
    }
}

fn crud_label(op: CrudOperation) -> &'static str {
    match op {
        CrudOperation::Get => "get (GET)",
        CrudOperation::List => "list (GET)",
        CrudOperation::Create => "create (POST)",
        CrudOperation::Update => "update (PATCH)",
        CrudOperation::Delete => "delete (DELETE)",
    }
}

/// Each selected structured type with its selected descendants, itself included.
fn descendants(model: &Model, selection: &Selection) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &selection.types {
        if model.structured_type(t).is_none() {
            continue;
        }
        for a in model.ancestry(t) {
            out.entry(a.name.clone()).or_default().push(t.clone());
        }
    }
    out
}

fn build_type(
    model: &Model,
    selection: &Selection,
    names: &Names,
    descendants: &BTreeMap<String, Vec<String>>,
    qname: &str,
) -> Option<TypeApi> {
    let rust = names.type_item(qname)?;
    let blank = |kind, docs| TypeApi {
        kind,
        rust: rust.clone(),
        area: String::new(),
        base: None,
        polymorphic: None,
        properties: BTreeMap::new(),
        navigation: BTreeMap::new(),
        members: BTreeMap::new(),
        flags: false,
        underlying: None,
        docs,
    };
    if let Some(t) = model.structured_type(qname) {
        let kind = match t.kind {
            TypeKind::Entity => TypeKindApi::Entity,
            TypeKind::Complex => TypeKindApi::Complex,
        };
        let mut out = blank(kind, Docs::of(&t.annotations));
        out.base = t.base_type.clone();
        out.polymorphic = names.polymorphic.get(qname).and_then(|p| {
            let variants = p
                .variants
                .iter()
                .filter_map(|(t, _)| Some((t.clone(), names.polymorphic_variant_item(qname, t)?)))
                .collect();
            Some((names.polymorphic_item(qname)?, variants))
        });
        let holders = descendants.get(qname).map(Vec::as_slice).unwrap_or(&[]);
        let fields = |name: &str| -> Vec<String> {
            holders
                .iter()
                .filter_map(|h| names.field_item(h, name))
                .collect()
        };
        for p in &t.properties {
            out.properties.insert(
                p.name.clone(),
                PropertyApi {
                    ty: type_use_text(&p.ty),
                    nullable: p.nullable,
                    default: p.default_value.clone(),
                    rust_type: rust_types::property(model, names, p),
                    rust: fields(&p.name),
                    docs: Docs::of(&p.annotations),
                },
            );
        }
        for n in &t.navigation_properties {
            let target = if n.collection {
                format!("Collection({})", n.target)
            } else {
                n.target.clone()
            };
            let rust = if selection.types.contains(&n.target) {
                fields(&n.name)
            } else {
                Vec::new()
            };
            out.navigation.insert(
                n.name.clone(),
                NavigationApi {
                    target,
                    contains_target: n.contains_target,
                    rust,
                    docs: Docs::of(&n.annotations),
                },
            );
        }
        return Some(out);
    }
    if let Some(e) = model.enum_types.get(qname) {
        let mut out = blank(TypeKindApi::Enum, Docs::of(&e.annotations));
        out.flags = e.is_flags;
        for (i, m) in e.members.iter().enumerate() {
            out.members.insert(
                m.name.clone(),
                MemberApi {
                    value: m.value,
                    rust: names.member_item(qname, i).unwrap_or_default(),
                    docs: Docs::of(&m.annotations),
                },
            );
        }
        return Some(out);
    }
    let d = model.type_definitions.get(qname)?;
    let mut out = blank(TypeKindApi::Definition, Docs::of(&d.annotations));
    let use_ = crate::model::TypeUse {
        ty: crate::model::TypeRef::Primitive(d.underlying_type),
        collection: false,
        nullable: true,
        facets: d.facets.clone(),
    };
    out.underlying = Some((type_use_text(&use_), rust_types::value(model, names, &use_)));
    Some(out)
}

fn build_operations(model: &Model, names: &Names, areas: &Areas, api: &mut Api) {
    // (operation, overload index) -> (methods, parameter items, areas)
    type Uses = (Vec<String>, Vec<Vec<String>>, BTreeSet<String>);
    let mut uses: BTreeMap<(String, usize), Uses> = BTreeMap::new();
    for (key, b) in &names.builders {
        for ((op, index), bound) in &b.bound {
            let Some(method) = names.method_item(Some(key), &bound.method) else {
                continue;
            };
            let entry = uses.entry((op.clone(), *index)).or_default();
            entry.1.resize(bound.fields.len(), Vec::new());
            for (i, field) in bound.fields.iter().enumerate() {
                let item = match &bound.parameters {
                    Some(s) => format!("{}::{field}", names.parameters_item(s)),
                    None => format!("{method}({field})"),
                };
                entry.1[i].push(item);
            }
            entry.0.push(method);
            entry.2.insert(areas.of_builder(key));
        }
    }
    for ((name, index), (methods, params, op_areas)) in uses {
        let Some(op) = model.overloads(&name).nth(index) else {
            continue;
        };
        let binding = op.binding().map(type_use_text).unwrap_or_default();
        let nth = model
            .overloads(&name)
            .take(index)
            .filter(|o| o.binding().map(type_use_text).unwrap_or_default() == binding)
            .count();
        let parameters = op
            .call_parameters()
            .iter()
            .enumerate()
            .map(|(i, p)| ParameterApi {
                name: p.name.clone(),
                ty: type_use_text(&p.ty),
                nullable: p.nullable,
                rust_type: rust_types::value(model, names, &p.ty),
                rust: params.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        let area = match op_areas.len() {
            1 => op_areas.into_iter().next().unwrap_or_default(),
            _ => SHARED.to_string(),
        };
        api.operations.insert(
            operation_id(&name, &binding, nth),
            OperationApi {
                function: op.kind == OperationKind::Function,
                composable: op.is_composable,
                parameters,
                returns: op.return_type.as_ref().map(|r| type_use_text(&r.ty)),
                rust_result: rust_types::result(model, names, op),
                area,
                rust: methods,
                docs: Docs::of(&op.annotations),
            },
        );
    }
}

/// Which area each type and builder belongs to, from the selection's Cargo features.
struct Areas<'a> {
    selection: &'a Selection,
    /// Feature -> entity set or singleton.
    roots: BTreeMap<&'a str, &'a str>,
}

impl<'a> Areas<'a> {
    fn new(selection: &'a Selection) -> Self {
        let roots = selection
            .areas
            .iter()
            .map(|(root, feature)| (feature.as_str(), root.as_str()))
            .collect();
        Areas { selection, roots }
    }

    fn name(&self, features: Option<&BTreeSet<String>>) -> String {
        let roots: BTreeSet<&str> = features
            .into_iter()
            .flatten()
            .filter_map(|f| self.roots.get(f.as_str()).copied())
            .collect();
        match roots.len() {
            0 => NO_AREA.to_string(),
            1 => roots.into_iter().next().unwrap_or_default().to_string(),
            _ => SHARED.to_string(),
        }
    }

    fn of_type(&self, qname: &str) -> String {
        self.name(self.selection.type_areas.get(qname))
    }

    fn of_builder(&self, key: &BuilderKey) -> String {
        self.name(self.selection.builder_areas.get(key))
    }
}

/// The stored form of an API (`generated/api.json`): JSON whose first line holds the
/// generator's marker ([`crate::output::MARKER`]), so the file is the generator's; `label` names the metadata.
pub fn to_stored(api: &Api, label: &str, regenerate: &str) -> String {
    let header = format!(
        "{} from {label}: the API summary that the next run compares with. DO NOT EDIT: run `{regenerate}` to regenerate.",
        crate::output::MARKER
    );
    let header = serde_json::to_string(&header).unwrap_or_default();
    let body = serde_json::to_string_pretty(api).unwrap_or_default();
    format!("{{\"generated\": {header},\n\"api\": {body}}}\n")
}

/// An API read back from [`to_stored`]'s text; `None` when it is not one of this format.
pub fn from_stored(text: &str) -> Option<Api> {
    #[derive(Deserialize)]
    struct Stored {
        api: Api,
    }
    let stored: Stored = serde_json::from_str(text).ok()?;
    (stored.api.format == FORMAT).then_some(stored.api)
}
