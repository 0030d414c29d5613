//! The elements of the resolved model.

use super::{Annotations, Loc};
use crate::syntax::{Facets, OperationKind};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaInfo {
    pub namespace: String,
    pub alias: Option<String>,
    pub annotations: Annotations,
    pub loc: Loc,
}

/// The primitive types of the `Edm` namespace, and its abstract types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    Binary,
    Boolean,
    Byte,
    Date,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    Geography,
    GeographyPoint,
    GeographyLineString,
    GeographyPolygon,
    GeographyMultiPoint,
    GeographyMultiLineString,
    GeographyMultiPolygon,
    GeographyCollection,
    Geometry,
    GeometryPoint,
    GeometryLineString,
    GeometryPolygon,
    GeometryMultiPoint,
    GeometryMultiLineString,
    GeometryMultiPolygon,
    GeometryCollection,
    /// `Edm.PrimitiveType`: any primitive value.
    PrimitiveType,
    /// `Edm.Untyped`: any JSON value.
    Untyped,
    /// `Edm.ComplexType`: any complex value.
    ComplexType,
    /// `Edm.EntityType`: any entity.
    EntityType,
    AnnotationPath,
    PropertyPath,
    NavigationPropertyPath,
    AnyPropertyPath,
    ModelElementPath,
}

impl Primitive {
    /// The primitive named `Edm.<name>`, given `<name>`.
    pub fn from_edm_name(name: &str) -> Option<Primitive> {
        use Primitive::*;
        Some(match name {
            "Binary" => Binary,
            "Boolean" => Boolean,
            "Byte" => Byte,
            "Date" => Date,
            "DateTimeOffset" => DateTimeOffset,
            "Decimal" => Decimal,
            "Double" => Double,
            "Duration" => Duration,
            "Guid" => Guid,
            "Int16" => Int16,
            "Int32" => Int32,
            "Int64" => Int64,
            "SByte" => SByte,
            "Single" => Single,
            "Stream" => Stream,
            "String" => String,
            "TimeOfDay" => TimeOfDay,
            "Geography" => Geography,
            "GeographyPoint" => GeographyPoint,
            "GeographyLineString" => GeographyLineString,
            "GeographyPolygon" => GeographyPolygon,
            "GeographyMultiPoint" => GeographyMultiPoint,
            "GeographyMultiLineString" => GeographyMultiLineString,
            "GeographyMultiPolygon" => GeographyMultiPolygon,
            "GeographyCollection" => GeographyCollection,
            "Geometry" => Geometry,
            "GeometryPoint" => GeometryPoint,
            "GeometryLineString" => GeometryLineString,
            "GeometryPolygon" => GeometryPolygon,
            "GeometryMultiPoint" => GeometryMultiPoint,
            "GeometryMultiLineString" => GeometryMultiLineString,
            "GeometryMultiPolygon" => GeometryMultiPolygon,
            "GeometryCollection" => GeometryCollection,
            "PrimitiveType" => PrimitiveType,
            "Untyped" => Untyped,
            "ComplexType" => ComplexType,
            "EntityType" => EntityType,
            "AnnotationPath" => AnnotationPath,
            "PropertyPath" => PropertyPath,
            "NavigationPropertyPath" => NavigationPropertyPath,
            "AnyPropertyPath" => AnyPropertyPath,
            "ModelElementPath" => ModelElementPath,
            _ => return None,
        })
    }

    pub fn is_spatial(self) -> bool {
        use Primitive::*;
        matches!(
            self,
            Geography
                | GeographyPoint
                | GeographyLineString
                | GeographyPolygon
                | GeographyMultiPoint
                | GeographyMultiLineString
                | GeographyMultiPolygon
                | GeographyCollection
                | Geometry
                | GeometryPoint
                | GeometryLineString
                | GeometryPolygon
                | GeometryMultiPoint
                | GeometryMultiLineString
                | GeometryMultiPolygon
                | GeometryCollection
        )
    }
}

/// What a type reference names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Primitive(Primitive),
    Entity(String),
    Complex(String),
    Enum(String),
    Definition(String),
}

impl TypeRef {
    /// The qualified name of a schema type; `None` for primitives.
    pub fn name(&self) -> Option<&String> {
        match self {
            TypeRef::Primitive(_) => None,
            TypeRef::Entity(n)
            | TypeRef::Complex(n)
            | TypeRef::Enum(n)
            | TypeRef::Definition(n) => Some(n),
        }
    }
}

/// A use of a type: the type, whether it is a collection, nullability and facets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeUse {
    pub ty: TypeRef,
    pub collection: bool,
    /// For collections, whether the items may be null.
    pub nullable: bool,
    pub facets: Facets,
}

impl TypeUse {
    pub fn type_name(&self) -> Option<&String> {
        self.ty.name()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind {
    Entity,
    Complex,
}

/// An entity type or a complex type.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredType {
    /// Qualified name.
    pub name: String,
    pub namespace: String,
    /// Name within its namespace.
    pub simple_name: String,
    pub kind: TypeKind,
    /// Qualified name of the base type.
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    /// The key the type declares itself (see [`super::Model::key`] for the effective key).
    pub key: Option<Vec<PropertyRef>>,
    pub properties: Vec<Property>,
    pub navigation_properties: Vec<NavigationProperty>,
    /// Qualified names of the types that name this one as their base, in name order.
    pub derived_types: Vec<String>,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyRef {
    pub name: String,
    pub alias: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    pub ty: TypeUse,
    /// Whether the property may be null (for collections: whether the collection may be null is
    /// never true in CSDL; this is the item nullability).
    pub nullable: bool,
    pub default_value: Option<String>,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NavigationProperty {
    pub name: String,
    /// Qualified name of the target entity type (`Edm.EntityType` for any entity, as vocabularies
    /// write it).
    pub target: String,
    pub collection: bool,
    pub nullable: bool,
    pub partner: Option<String>,
    pub contains_target: bool,
    pub referential_constraints: Vec<(String, String)>,
    pub on_delete: Option<String>,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    pub name: String,
    pub namespace: String,
    pub simple_name: String,
    pub underlying_type: Primitive,
    pub is_flags: bool,
    pub members: Vec<EnumMember>,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumMember {
    pub name: String,
    /// The declared value, or the implied one (position for non-flags enums).
    pub value: i64,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDefinition {
    pub name: String,
    pub namespace: String,
    pub simple_name: String,
    pub underlying_type: Primitive,
    pub facets: Facets,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub name: String,
    pub namespace: String,
    pub simple_name: String,
    pub ty: TypeUse,
    pub base_term: Option<String>,
    pub default_value: Option<String>,
    pub applies_to: Vec<String>,
    pub annotations: Annotations,
    pub loc: Loc,
}

/// An action or a function (one overload).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: String,
    pub namespace: String,
    pub simple_name: String,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    /// For bound operations the first parameter is the binding parameter.
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub annotations: Annotations,
    pub loc: Loc,
}

impl Operation {
    /// The type the operation is bound to.
    pub fn binding(&self) -> Option<&TypeUse> {
        if self.is_bound {
            self.parameters.first().map(|p| &p.ty)
        } else {
            None
        }
    }

    /// The parameters a caller passes (all but the binding parameter).
    pub fn call_parameters(&self) -> &[Parameter] {
        if self.is_bound && !self.parameters.is_empty() {
            &self.parameters[1..]
        } else {
            &self.parameters
        }
    }

    /// The overload signature used in annotation targets: `ns.name(ns.bindingType, ...)`.
    pub fn signature(&self) -> String {
        let params: Vec<String> = match self.kind {
            OperationKind::Action => self.binding().map(type_use_text).into_iter().collect(),
            OperationKind::Function => self
                .parameters
                .iter()
                .map(|p| type_use_text(&p.ty))
                .collect(),
        };
        format!("{}({})", self.name, params.join(","))
    }
}

/// A type use as CSDL writes it: `Edm.String`, `Collection(microsoft.graph.user)`.
pub fn type_use_text(t: &TypeUse) -> String {
    let inner = match &t.ty {
        TypeRef::Primitive(p) => format!("Edm.{p:?}"),
        other => other.name().cloned().unwrap_or_default(),
    };
    if t.collection {
        format!("Collection({inner})")
    } else {
        inner
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub ty: TypeUse,
    pub nullable: bool,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReturnType {
    pub ty: TypeUse,
    pub nullable: bool,
    pub annotations: Annotations,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntityContainer {
    pub name: String,
    pub namespace: String,
    pub simple_name: String,
    pub extends: Option<String>,
    /// By name.
    pub entity_sets: std::collections::BTreeMap<String, EntitySet>,
    pub singletons: std::collections::BTreeMap<String, Singleton>,
    pub action_imports: std::collections::BTreeMap<String, OperationImport>,
    pub function_imports: std::collections::BTreeMap<String, OperationImport>,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntitySet {
    pub name: String,
    /// Qualified entity type name.
    pub entity_type: String,
    pub include_in_service_document: bool,
    /// Navigation property path -> target (as written, relative to the container).
    pub bindings: Vec<(String, String)>,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Singleton {
    pub name: String,
    pub entity_type: String,
    pub nullable: bool,
    pub bindings: Vec<(String, String)>,
    pub annotations: Annotations,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OperationImport {
    pub name: String,
    pub kind: OperationKind,
    /// Qualified name of the imported action or function.
    pub operation: String,
    pub entity_set: Option<String>,
    pub annotations: Annotations,
    pub loc: Loc,
}
