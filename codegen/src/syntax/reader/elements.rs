//! One reader per CSDL element: its attributes into a syntax node, with the checks it needs.

use std::borrow::Cow;

use quick_xml::events::BytesStart;

use super::checks::target_syntax;
use super::expressions::{value_attribute, with_text};
use super::frames::Frame;
use super::{CsdlReader, Fatal};
use crate::syntax::identifier::{NAME_RULE, is_simple_identifier};
use crate::syntax::{
    ActionImport, Annotation, AnnotationBlock, EntityContainer, EntitySet, EnumMember, EnumType,
    FunctionImport, Include, IncludeAnnotations, NavigationProperty, NavigationPropertyBinding,
    OnDelete, Operation, OperationKind, Parameter, Property, PropertyRef, PropertyValue, Reference,
    ReferentialConstraint, ReturnType, Schema, Singleton, StructuredType, Term, TypeDefinition,
};

/// What every rejection of another CSDL generation ends with.
pub(super) const SUPPORTED: &str = "only OData V4 CSDL (edmx Version 4.0 or 4.01, namespace http://docs.oasis-open.org/odata/ns/edm) is supported";

impl<'a> CsdlReader<'a> {
    pub(super) fn root_frame(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        local: &str,
        off: usize,
    ) -> Result<Frame, Fatal> {
        match local {
            "Edmx" => {
                let pos = self.pos_at(off);
                let ns_attr = match qname.find(':') {
                    Some(i) => format!("xmlns:{}", &qname[..i]),
                    None => "xmlns".to_string(),
                };
                let mut version: Option<(String, usize)> = None;
                let mut ns: Option<String> = None;
                self.attrs(e, |_, key, v| {
                    if key == "Version" {
                        version = Some((v.s.clone().into_owned(), v.off));
                    } else if key == ns_attr {
                        ns = Some(v.string());
                    }
                });
                let old_ns = ns
                    .as_deref()
                    .filter(|ns| ns.starts_with("http://schemas.microsoft.com/ado/"));
                let old_version = version
                    .as_ref()
                    .filter(|(v, _)| matches!(v.as_str(), "1.0" | "2.0" | "3.0"));
                if old_ns.is_some() || old_version.is_some() {
                    let mut found = Vec::new();
                    if let Some((v, _)) = &version {
                        found.push(format!("edmx Version {v}"));
                    }
                    if let Some(ns) = &ns {
                        found.push(format!("namespace {ns}"));
                    }
                    return Err(self.reject(
                        off,
                        format!(
                            "this is an OData V2/V3 (edmx 1.0) document ({}); {SUPPORTED}",
                            found.join(", ")
                        ),
                    ));
                }
                match version {
                    Some((v, _)) if v == "4.0" || v == "4.01" => self.doc.version = Some(v),
                    Some((v, voff)) => {
                        self.error(
                            voff,
                            format!("unsupported edmx Version `{v}`: expected 4.0 or 4.01"),
                        );
                        self.doc.version = Some(v);
                    }
                    None => self.require(false, qname, "Version", pos),
                }
                self.doc.pos = pos;
                Ok(Frame::Edmx)
            }
            "Schema" => {
                let schema = self.schema(e, qname, off)?;
                self.doc.pos = schema.pos;
                Ok(Frame::Schema(Box::new(schema)))
            }
            _ => Err(self.fatal(
                off,
                format!("expected an `edmx:Edmx` or `Schema` root element, found `<{qname}>`"),
            )),
        }
    }

    pub(super) fn reference(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Reference {
        let mut r = Reference {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_uri = false;
        self.attrs(e, |_, key, v| {
            if key == "Uri" {
                has_uri = true;
                r.uri = v.string();
            }
        });
        self.require(has_uri, qname, "Uri", r.pos);
        r
    }

    pub(super) fn include(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Include {
        let mut i = Include {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_ns = false;
        self.attrs(e, |_, key, v| match key {
            "Namespace" => {
                has_ns = true;
                i.namespace = v.string();
            }
            "Alias" => i.alias = Some(v.string()),
            _ => {}
        });
        self.check_namespace(has_ns, &i.namespace, qname, "Namespace", i.pos);
        self.check_alias(i.alias.as_deref(), i.pos);
        i
    }

    pub(super) fn include_annotations(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> IncludeAnnotations {
        let mut i = IncludeAnnotations {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_ns = false;
        self.attrs(e, |_, key, v| match key {
            "TermNamespace" => {
                has_ns = true;
                i.term_namespace = v.string();
            }
            "Qualifier" => i.qualifier = Some(v.string()),
            "TargetNamespace" => i.target_namespace = Some(v.string()),
            _ => {}
        });
        self.require(has_ns, qname, "TermNamespace", i.pos);
        i
    }

    pub(super) fn schema(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> Result<Schema, Fatal> {
        let mut s = Schema {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let ns_attr: Cow<'_, str> = match qname.find(':') {
            Some(i) => Cow::Owned(format!("xmlns:{}", &qname[..i])),
            None => Cow::Borrowed("xmlns"),
        };
        let mut has_ns = false;
        let mut xmlns: Option<String> = None;
        self.attrs(e, |_, key, v| match key {
            "Namespace" => {
                has_ns = true;
                s.namespace = v.string();
            }
            "Alias" => s.alias = Some(v.string()),
            _ if key == ns_attr => xmlns = Some(v.string()),
            _ => {}
        });
        if let Some(ns) = xmlns
            && ns.starts_with("http://schemas.microsoft.com/ado/")
            && ns.ends_with("edm")
        {
            let generation = match ns.as_str() {
                "http://schemas.microsoft.com/ado/2006/04/edm" => "an Entity Framework CSDL v1",
                "http://schemas.microsoft.com/ado/2007/05/edm" => "an Entity Framework CSDL v1.1",
                "http://schemas.microsoft.com/ado/2008/09/edm" => "an Entity Framework CSDL v2",
                "http://schemas.microsoft.com/ado/2009/11/edm" => "an Entity Framework CSDL v3",
                _ => "an Entity Framework CSDL",
            };
            return Err(self.reject(
                off,
                format!("this is {generation} document (namespace {ns}); {SUPPORTED}"),
            ));
        }
        self.check_namespace(has_ns, &s.namespace, qname, "Namespace", s.pos);
        self.check_alias(s.alias.as_deref(), s.pos);
        Ok(s)
    }

    pub(super) fn structured(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> StructuredType {
        let mut t = StructuredType::default();
        let n = self.named(e, off, None, |this, key, v| match key {
            "BaseType" => t.base_type = Some(v.string()),
            "Abstract" => t.is_abstract = this.bool_attr(&v, key).unwrap_or(false),
            "OpenType" => t.open_type = this.bool_attr(&v, key).unwrap_or(false),
            "HasStream" => t.has_stream = this.bool_attr(&v, key).unwrap_or(false),
            _ => {}
        });
        self.check_named(&n, qname, None);
        (t.pos, t.name) = (n.pos, n.name.unwrap_or_default());
        t
    }

    pub(super) fn property_ref(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> PropertyRef {
        let mut r = PropertyRef {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_name = false;
        self.attrs(e, |_, key, v| match key {
            "Name" => {
                has_name = true;
                r.name = v.string();
            }
            "Alias" => r.alias = Some(v.string()),
            _ => {}
        });
        self.require(has_name, qname, "Name", r.pos);
        if let Some(alias) = r.alias.clone()
            && !is_simple_identifier(&alias)
        {
            self.error_at(
                r.pos,
                format!("`{alias}` is not a valid CSDL name: {NAME_RULE}"),
            );
        }
        r
    }

    pub(super) fn property(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Property {
        let mut p = Property::default();
        let n = self.named(e, off, Some("Type"), |this, key, v| match key {
            "Nullable" => p.nullable = this.bool_attr(&v, key),
            "DefaultValue" => p.default_value = Some(v.string()),
            _ => {
                this.facet(&mut p.facets, key, &v);
            }
        });
        match n.name.as_deref() {
            Some(name) if !name.is_empty() && !is_simple_identifier(name) => {
                // Graph's own metadata declares `request-id`: the name only travels as a JSON
                // member name, and the Rust field is named from it (`naming`).
                self.warning_at(
                    n.pos,
                    format!(
                        "property name `{name}` is not a CSDL SimpleIdentifier; accepted: its wire name stays exactly `{name}`, and its Rust field gets a valid name"
                    ),
                );
                self.require(n.reference.is_some(), qname, "Type", n.pos);
            }
            _ => self.check_named(&n, qname, Some("Type")),
        }
        (p.pos, p.name, p.type_name) = n.parts();
        p
    }

    pub(super) fn navigation_property(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> Option<NavigationProperty> {
        let mut p = NavigationProperty::default();
        let mut relationship = false;
        let n = self.named(e, off, Some("Type"), |this, key, v| match key {
            "Nullable" => p.nullable = this.bool_attr(&v, key),
            "Partner" => p.partner = Some(v.string()),
            "ContainsTarget" => p.contains_target = this.bool_attr(&v, key).unwrap_or(false),
            "Relationship" => relationship = true,
            _ => {}
        });
        if relationship && n.reference.is_none() {
            // A V3-style navigation property (`Relationship`/`FromRole`/`ToRole`, typed through
            // an `Association`) left in some V4 documents: it has no V4 meaning, skip it.
            return None;
        }
        self.check_named(&n, qname, Some("Type"));
        (p.pos, p.name, p.type_name) = n.parts();
        Some(p)
    }

    pub(super) fn referential_constraint(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> ReferentialConstraint {
        let mut r = ReferentialConstraint {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let (mut has_p, mut has_rp) = (false, false);
        self.attrs(e, |_, key, v| match key {
            "Property" => {
                has_p = true;
                r.property = v.string();
            }
            "ReferencedProperty" => {
                has_rp = true;
                r.referenced_property = v.string();
            }
            _ => {}
        });
        self.require(has_p, qname, "Property", r.pos);
        self.require(has_rp, qname, "ReferencedProperty", r.pos);
        r
    }

    pub(super) fn on_delete(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> OnDelete {
        let mut d = OnDelete {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_action = false;
        self.attrs(e, |_, key, v| {
            if key == "Action" {
                has_action = true;
                d.action = v.string();
            }
        });
        self.require(has_action, qname, "Action", d.pos);
        d
    }

    pub(super) fn enum_type(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> EnumType {
        let mut t = EnumType::default();
        let n = self.named(e, off, None, |this, key, v| match key {
            "UnderlyingType" => t.underlying_type = Some(v.string()),
            "IsFlags" => t.is_flags = this.bool_attr(&v, key).unwrap_or(false),
            _ => {}
        });
        self.check_named(&n, qname, None);
        (t.pos, t.name) = (n.pos, n.name.unwrap_or_default());
        t
    }

    pub(super) fn member(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> EnumMember {
        let mut m = EnumMember::default();
        let n = self.named(e, off, None, |this, key, v| {
            if key == "Value" {
                match v.s.trim().parse::<i64>() {
                    Ok(value) => m.value = Some(value),
                    Err(_) => {
                        let message = format!(
                            "`{}` is not a valid enumeration member `Value`: expected an integer",
                            v.s
                        );
                        this.error(v.off, message);
                    }
                }
            }
        });
        self.check_named(&n, qname, None);
        (m.pos, m.name) = (n.pos, n.name.unwrap_or_default());
        m
    }

    pub(super) fn type_definition(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> TypeDefinition {
        let mut t = TypeDefinition::default();
        let n = self.named(e, off, Some("UnderlyingType"), |this, key, v| {
            this.facet(&mut t.facets, key, &v);
        });
        self.check_named(&n, qname, Some("UnderlyingType"));
        (t.pos, t.name, t.underlying_type) = n.parts();
        t
    }

    pub(super) fn term(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Term {
        let mut t = Term::default();
        let n = self.named(e, off, Some("Type"), |this, key, v| match key {
            "BaseTerm" => t.base_term = Some(v.string()),
            "Nullable" => t.nullable = this.bool_attr(&v, key),
            "DefaultValue" => t.default_value = Some(v.string()),
            "AppliesTo" => t.applies_to = v.s.split_whitespace().map(str::to_string).collect(),
            _ => {
                this.facet(&mut t.facets, key, &v);
            }
        });
        self.check_named(&n, qname, Some("Type"));
        (t.pos, t.name, t.type_name) = n.parts();
        t
    }

    pub(super) fn operation(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
        kind: OperationKind,
    ) -> Operation {
        let mut o = Operation {
            kind,
            ..Default::default()
        };
        let n = self.named(e, off, None, |this, key, v| match key {
            "IsBound" => o.is_bound = this.bool_attr(&v, key).unwrap_or(false),
            "IsComposable" => o.is_composable = this.bool_attr(&v, key).unwrap_or(false),
            "EntitySetPath" => o.entity_set_path = Some(v.string()),
            _ => {}
        });
        self.check_named(&n, qname, None);
        (o.pos, o.name) = (n.pos, n.name.unwrap_or_default());
        o
    }

    pub(super) fn parameter(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Parameter {
        let mut p = Parameter::default();
        let n = self.named(e, off, Some("Type"), |this, key, v| match key {
            "Nullable" => p.nullable = this.bool_attr(&v, key),
            _ => {
                this.facet(&mut p.facets, key, &v);
            }
        });
        self.check_named(&n, qname, Some("Type"));
        (p.pos, p.name, p.type_name) = n.parts();
        p
    }

    pub(super) fn return_type(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> ReturnType {
        let mut r = ReturnType {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_type = false;
        self.attrs(e, |this, key, v| match key {
            "Type" => {
                has_type = true;
                r.type_name = v.string();
            }
            "Nullable" => r.nullable = this.bool_attr(&v, key),
            _ => {
                this.facet(&mut r.facets, key, &v);
            }
        });
        self.require(has_type, qname, "Type", r.pos);
        r
    }

    pub(super) fn container(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> EntityContainer {
        let mut c = EntityContainer::default();
        let n = self.named(e, off, None, |_, key, v| {
            if key == "Extends" {
                c.extends = Some(v.string());
            }
        });
        self.check_named(&n, qname, None);
        (c.pos, c.name) = (n.pos, n.name.unwrap_or_default());
        c
    }

    pub(super) fn entity_set(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> EntitySet {
        let mut s = EntitySet::default();
        let n = self.named(e, off, Some("EntityType"), |this, key, v| {
            if key == "IncludeInServiceDocument" {
                s.include_in_service_document = this.bool_attr(&v, key);
            }
        });
        self.check_named(&n, qname, Some("EntityType"));
        (s.pos, s.name, s.entity_type) = n.parts();
        s
    }

    pub(super) fn singleton(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Singleton {
        let mut s = Singleton::default();
        let n = self.named(e, off, Some("Type"), |this, key, v| {
            if key == "Nullable" {
                s.nullable = this.bool_attr(&v, key);
            }
        });
        self.check_named(&n, qname, Some("Type"));
        (s.pos, s.name, s.type_name) = n.parts();
        s
    }

    pub(super) fn binding(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> NavigationPropertyBinding {
        let mut b = NavigationPropertyBinding {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let (mut has_path, mut has_target) = (false, false);
        self.attrs(e, |_, key, v| match key {
            "Path" => {
                has_path = true;
                b.path = v.string();
            }
            "Target" => {
                has_target = true;
                b.target = v.string();
            }
            _ => {}
        });
        self.require(has_path, qname, "Path", b.pos);
        self.require(has_target, qname, "Target", b.pos);
        b
    }

    pub(super) fn action_import(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> ActionImport {
        let mut a = ActionImport::default();
        let n = self.named(e, off, Some("Action"), |_, key, v| {
            if key == "EntitySet" {
                a.entity_set = Some(v.string());
            }
        });
        self.check_named(&n, qname, Some("Action"));
        (a.pos, a.name, a.action) = n.parts();
        a
    }

    /// `None` for a V3-style function import (no `Function`; a `ReturnType` attribute,
    /// V3 attributes or `Parameter` children), which some V4 documents still carry.
    pub(super) fn function_import(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
        empty: bool,
    ) -> Option<FunctionImport> {
        let mut f = FunctionImport::default();
        let mut v3 = !empty;
        let n = self.named(e, off, Some("Function"), |this, key, v| match key {
            "EntitySet" => f.entity_set = Some(v.string()),
            "IncludeInServiceDocument" => f.include_in_service_document = this.bool_attr(&v, key),
            "ReturnType" | "IsSideEffecting" | "IsBindable" | "IsComposable" => v3 = true,
            _ => v3 |= key.contains(':') && !key.starts_with("xmlns"),
        });
        if n.reference.is_none() && v3 {
            return None;
        }
        self.check_named(&n, qname, Some("Function"));
        (f.pos, f.name, f.function) = n.parts();
        Some(f)
    }

    pub(super) fn annotation_block(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> AnnotationBlock {
        let mut b = AnnotationBlock {
            pos: self.pos_at(off),
            ..Default::default()
        };
        let mut has_target = false;
        self.attrs(e, |this, key, v| match key {
            "Target" => {
                has_target = true;
                if let Err(why) = target_syntax(&v.s) {
                    let message = format!("`{}` is not a valid annotation target: {why}", v.s);
                    this.error(v.off, message);
                }
                b.target = v.string();
            }
            "Qualifier" => b.qualifier = Some(v.string()),
            _ => {}
        });
        self.require(has_target, qname, "Target", b.pos);
        b
    }

    pub(super) fn annotation(&mut self, e: &BytesStart<'_>, qname: &str, off: usize) -> Annotation {
        let mut a = Annotation {
            term: String::new(),
            qualifier: None,
            value: None,
            annotations: Vec::new(),
            pos: self.pos_at(off),
        };
        let mut has_term = false;
        self.attrs(e, |_, key, v| match key {
            "Term" => {
                has_term = true;
                a.term = v.string();
            }
            "Qualifier" => a.qualifier = Some(v.string()),
            _ => {
                if let Ok(expr) = value_attribute(key, String::new()) {
                    a.value = Some(with_text(expr, v.string()));
                }
            }
        });
        self.require(has_term, qname, "Term", a.pos);
        a
    }

    pub(super) fn property_value(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        off: usize,
    ) -> PropertyValue {
        let mut pv = PropertyValue {
            property: String::new(),
            value: None,
            annotations: Vec::new(),
            pos: self.pos_at(off),
        };
        let mut has_property = false;
        self.attrs(e, |_, key, v| match key {
            "Property" => {
                has_property = true;
                pv.property = v.string();
            }
            _ => {
                if let Ok(expr) = value_attribute(key, String::new()) {
                    pv.value = Some(with_text(expr, v.string()));
                }
            }
        });
        self.require(has_property, qname, "Property", pv.pos);
        pv
    }
}
