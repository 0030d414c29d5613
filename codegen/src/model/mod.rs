//! Stage 2: the resolved model.
//!
//! Every name is qualified by its schema's namespace (never by an alias), every type reference
//! points at something that exists, inheritance is checked and annotations sit on what they target.
//! All maps are ordered, so the same input always gives the same model.

mod annotations;
mod load;
mod resolve;
mod types;

pub use annotations::{
    Annotation, Annotations, NavigationRestriction, Permission, Restriction, Revision,
};
pub use load::{
    LoadOptions, LoadedSource, NoReferences, SourceLoader, load_model, load_model_with,
};
pub use types::*;

use std::collections::BTreeMap;

use crate::diagnostics::Location;
use crate::syntax::{Counts, Pos};

/// Where an element was declared: an index into [`Model::sources`] and a position; see
/// [`Model::location`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub source: u32,
    pub pos: Pos,
}

/// One document that contributed to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name the loader gave it (a path for files).
    pub name: String,
    /// Element counts as declared in this document.
    pub counts: Counts,
}

/// A resolved model: the main document and everything it references.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    pub sources: Vec<Source>,
    /// Namespace -> schema.
    pub schemas: BTreeMap<String, SchemaInfo>,
    pub entity_types: BTreeMap<String, StructuredType>,
    pub complex_types: BTreeMap<String, StructuredType>,
    pub enum_types: BTreeMap<String, EnumType>,
    pub type_definitions: BTreeMap<String, TypeDefinition>,
    pub terms: BTreeMap<String, Term>,
    /// Qualified name -> overloads in declaration order.
    pub actions: BTreeMap<String, Vec<Operation>>,
    pub functions: BTreeMap<String, Vec<Operation>>,
    /// Qualified container name -> container.
    pub containers: BTreeMap<String, EntityContainer>,
    /// Annotations whose target is a path that is not itself a model element
    /// (for example `Container/entitySet/navigationProperty`), by the target as written with
    /// namespaces expanded.
    pub path_annotations: BTreeMap<String, Annotations>,
    /// Non-fatal findings (unavailable references, unresolved annotation targets).
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

impl Model {
    /// Element counts over every document of the model.
    pub fn counts(&self) -> Counts {
        let mut total = Counts::default();
        for s in &self.sources {
            total += s.counts;
        }
        total
    }

    /// The entity or complex type of that qualified name.
    pub fn structured_type(&self, name: &str) -> Option<&StructuredType> {
        self.entity_types
            .get(name)
            .or_else(|| self.complex_types.get(name))
    }

    /// The base-type chain of a structured type, the type itself first.
    pub fn ancestry<'a>(&'a self, name: &str) -> Vec<&'a StructuredType> {
        let mut chain = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut next = self.structured_type(name);
        while let Some(t) = next {
            if !seen.insert(t.name.as_str()) {
                break;
            }
            chain.push(t);
            next = t.base_type.as_deref().and_then(|b| self.structured_type(b));
        }
        chain
    }

    /// Every structural property of the type, inherited ones first, each in declaration order.
    pub fn all_properties<'a>(&'a self, name: &str) -> Vec<&'a Property> {
        let mut chain = self.ancestry(name);
        chain.reverse();
        chain.iter().flat_map(|t| t.properties.iter()).collect()
    }

    /// Every navigation property of the type, inherited ones first.
    pub fn all_navigation_properties<'a>(&'a self, name: &str) -> Vec<&'a NavigationProperty> {
        let mut chain = self.ancestry(name);
        chain.reverse();
        chain
            .iter()
            .flat_map(|t| t.navigation_properties.iter())
            .collect()
    }

    /// The key of an entity type: its own or that of its nearest keyed ancestor.
    pub fn key(&self, name: &str) -> Option<&[PropertyRef]> {
        self.ancestry(name)
            .into_iter()
            .find_map(|t| t.key.as_deref())
    }

    /// Whether `name` is `ancestor` or derives from it.
    pub fn derives_from(&self, name: &str, ancestor: &str) -> bool {
        self.ancestry(name).iter().any(|t| t.name == ancestor)
    }

    /// The operations bound to a type (`collection` for bindings to `Collection(type)`), with
    /// overloads, in name order.
    pub fn bound_operations<'a>(
        &'a self,
        type_name: &str,
        collection: bool,
    ) -> impl Iterator<Item = &'a Operation> + 'a {
        let type_name = type_name.to_string();
        self.actions
            .values()
            .chain(self.functions.values())
            .flatten()
            .filter(move |op| {
                op.binding().is_some_and(|b| {
                    b.collection == collection && b.type_name() == Some(&type_name)
                })
            })
    }

    /// The actions and functions of a qualified name, overloads in declaration order.
    pub fn overloads<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Operation> + 'a {
        self.actions
            .get(name)
            .into_iter()
            .chain(self.functions.get(name))
            .flatten()
    }

    /// The entity container of the service (the first one, in name order, when there are several).
    pub fn container(&self) -> Option<&EntityContainer> {
        self.containers.values().next()
    }

    /// Where an element was declared, as diagnostics give it (`file:line:col` when shown).
    pub fn location(&self, loc: Loc) -> Location {
        let file = self
            .sources
            .get(loc.source as usize)
            .map_or("?", |s| s.name.as_str());
        Location {
            file: file.to_string(),
            pos: loc.pos,
        }
    }
}
