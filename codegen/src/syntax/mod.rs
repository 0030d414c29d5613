//! Stage 1: the CSDL syntax tree, as written in one document.
//!
//! Names are kept exactly as the document spells them (alias-qualified or not); nothing is resolved
//! here and no Rust names appear. Every node carries the position of its start tag.

mod identifier;
mod identifier_tables;
mod reader;

pub use crate::diagnostics::Pos;
pub use reader::{ReadOptions, configure_xml, read_document};

/// One CSDL document: an `edmx:Edmx` wrapper or a bare `Schema` root.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// `Version` of `edmx:Edmx`; `None` for a bare `Schema` root.
    pub version: Option<String>,
    pub references: Vec<Reference>,
    pub schemas: Vec<Schema>,
    /// Every `Annotation` element of the document, wherever it stands (nested ones included).
    pub annotation_count: usize,
    /// What the document does that CSDL does not allow but that is read anyway (a property name
    /// that is not a SimpleIdentifier, say), in source order.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reference {
    pub uri: String,
    pub includes: Vec<Include>,
    pub include_annotations: Vec<IncludeAnnotations>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Include {
    pub namespace: String,
    pub alias: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncludeAnnotations {
    pub term_namespace: String,
    pub qualifier: Option<String>,
    pub target_namespace: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    pub namespace: String,
    pub alias: Option<String>,
    pub entity_types: Vec<StructuredType>,
    pub complex_types: Vec<StructuredType>,
    pub enum_types: Vec<EnumType>,
    pub type_definitions: Vec<TypeDefinition>,
    pub terms: Vec<Term>,
    pub actions: Vec<Operation>,
    pub functions: Vec<Operation>,
    pub entity_containers: Vec<EntityContainer>,
    /// Annotations written directly inside `Schema` (they target the schema).
    pub annotations: Vec<Annotation>,
    /// `Annotations` blocks with an external `Target`.
    pub annotation_blocks: Vec<AnnotationBlock>,
    pub pos: Pos,
}

/// An `EntityType` or a `ComplexType`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StructuredType {
    pub name: String,
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    /// Only entity types have keys.
    pub key: Option<Key>,
    pub properties: Vec<Property>,
    pub navigation_properties: Vec<NavigationProperty>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Key {
    pub property_refs: Vec<PropertyRef>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PropertyRef {
    /// A property name or a path to a property of a complex property.
    pub name: String,
    pub alias: Option<String>,
    pub pos: Pos,
}

/// The type facets shared by properties, parameters, return types, terms and type definitions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facets {
    pub max_length: Option<MaxLength>,
    pub precision: Option<u32>,
    pub scale: Option<Scale>,
    pub srid: Option<Srid>,
    pub unicode: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxLength {
    Max,
    Value(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Variable,
    /// OData 4.01 `floating`.
    Floating,
    Value(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Srid {
    Variable,
    Value(u32),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Property {
    pub name: String,
    /// As written: `Edm.String`, `graph.entity`, `Collection(Edm.Int32)`.
    pub type_name: String,
    pub nullable: Option<bool>,
    pub default_value: Option<String>,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NavigationProperty {
    pub name: String,
    pub type_name: String,
    pub nullable: Option<bool>,
    pub partner: Option<String>,
    pub contains_target: bool,
    pub referential_constraints: Vec<ReferentialConstraint>,
    pub on_delete: Option<OnDelete>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReferentialConstraint {
    pub property: String,
    pub referenced_property: String,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OnDelete {
    /// `Cascade`, `None`, `SetNull` or `SetDefault`.
    pub action: String,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EnumType {
    pub name: String,
    pub underlying_type: Option<String>,
    pub is_flags: bool,
    pub members: Vec<EnumMember>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EnumMember {
    pub name: String,
    /// The `Value` attribute as written; `None` when the value is implied by position.
    pub value: Option<i64>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TypeDefinition {
    pub name: String,
    pub underlying_type: String,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Term {
    pub name: String,
    pub type_name: String,
    pub base_term: Option<String>,
    pub nullable: Option<bool>,
    pub default_value: Option<String>,
    pub applies_to: Vec<String>,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum OperationKind {
    #[default]
    Action,
    Function,
}

/// An `Action` or a `Function`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: String,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parameter {
    pub name: String,
    pub type_name: String,
    pub nullable: Option<bool>,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReturnType {
    pub type_name: String,
    pub nullable: Option<bool>,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntityContainer {
    pub name: String,
    pub extends: Option<String>,
    pub entity_sets: Vec<EntitySet>,
    pub singletons: Vec<Singleton>,
    pub action_imports: Vec<ActionImport>,
    pub function_imports: Vec<FunctionImport>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntitySet {
    pub name: String,
    pub entity_type: String,
    pub include_in_service_document: Option<bool>,
    pub navigation_property_bindings: Vec<NavigationPropertyBinding>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Singleton {
    pub name: String,
    pub type_name: String,
    pub nullable: Option<bool>,
    pub navigation_property_bindings: Vec<NavigationPropertyBinding>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NavigationPropertyBinding {
    pub path: String,
    pub target: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionImport {
    pub name: String,
    pub action: String,
    pub entity_set: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunctionImport {
    pub name: String,
    pub function: String,
    pub entity_set: Option<String>,
    pub include_in_service_document: Option<bool>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// An `Annotations` element: annotations applied to an external target path.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnnotationBlock {
    pub target: String,
    pub qualifier: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Annotation {
    /// As written, possibly alias-qualified (`Core.Description`).
    pub term: String,
    pub qualifier: Option<String>,
    /// `None` when the annotation has no value (the term's default applies).
    pub value: Option<Expr>,
    /// Annotations of the annotation.
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// Kinds of constant expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConstantKind {
    Binary,
    Bool,
    Date,
    DateTimeOffset,
    Decimal,
    Duration,
    EnumMember,
    Float,
    Guid,
    Int,
    String,
    TimeOfDay,
}

/// Kinds of path expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathKind {
    Path,
    PropertyPath,
    NavigationPropertyPath,
    AnnotationPath,
    ModelElementPath,
    AnyPropertyPath,
}

/// An annotation value.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A constant, with its text as written (`Bool` holds `true`/`false`, `EnumMember` holds
    /// space-separated qualified member paths).
    Constant(ConstantKind, String),
    Path(PathKind, String),
    /// Boxed, as `Dynamic` is: most annotation values are constants, and an `Expr` is as large
    /// as its largest variant.
    Record(Box<Record>),
    Collection(Vec<Expr>),
    Null,
    /// A dynamic expression (`Apply`, `If`, `Eq`, `UrlRef`, ...) kept as a raw element tree.
    Dynamic(Box<RawElement>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    pub type_name: Option<String>,
    pub property_values: Vec<PropertyValue>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PropertyValue {
    pub property: String,
    pub value: Option<Expr>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// An element kept without interpretation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawElement {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<RawElement>,
    pub pos: Pos,
}

impl Expr {
    /// The text of a `String` constant.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Constant(ConstantKind::String, s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Expr::Constant(ConstantKind::Bool, s) => match s.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_record(&self) -> Option<&Record> {
        match self {
            Expr::Record(r) => Some(r.as_ref()),
            _ => None,
        }
    }

    pub fn as_collection(&self) -> Option<&[Expr]> {
        match self {
            Expr::Collection(items) => Some(items),
            _ => None,
        }
    }
}

impl Record {
    /// The value of the named property, if present.
    pub fn get(&self, property: &str) -> Option<&Expr> {
        self.property_values
            .iter()
            .find(|pv| pv.property == property)
            .and_then(|pv| pv.value.as_ref())
    }
}

/// Element counts of one document, for `odata-codegen inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub schemas: usize,
    pub entity_types: usize,
    pub complex_types: usize,
    pub enum_types: usize,
    pub type_definitions: usize,
    pub terms: usize,
    pub actions: usize,
    pub functions: usize,
    pub entity_sets: usize,
    pub singletons: usize,
    pub annotations: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.schemas += o.schemas;
        self.entity_types += o.entity_types;
        self.complex_types += o.complex_types;
        self.enum_types += o.enum_types;
        self.type_definitions += o.type_definitions;
        self.terms += o.terms;
        self.actions += o.actions;
        self.functions += o.functions;
        self.entity_sets += o.entity_sets;
        self.singletons += o.singletons;
        self.annotations += o.annotations;
    }
}
