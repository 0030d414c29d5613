//! Stage 2, the resolved model: names, references, inheritance, operations, annotations and the
//! diagnostics of semantic errors, on small inline CSDL documents and on the corpus.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{corpus, corpus_documents};
use odata_codegen::diagnostics::{Diagnostic, Severity};
use odata_codegen::model::{
    LoadedSource, Model, NoReferences, Permission, Restriction, SourceLoader, TypeKind, TypeRef,
    load_model,
};
use odata_codegen::syntax::OperationKind;

const EDMX_OPEN: &str =
    r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">"#;
const EDM: &str = "http://docs.oasis-open.org/odata/ns/edm";

/// A document with these `edmx:Reference`s and these schemas (written without the `xmlns`).
fn edmx(references: &str, schemas: &str) -> String {
    let schemas = schemas.replace("<Schema ", &format!(r#"<Schema xmlns="{EDM}" "#));
    format!(
        "{EDMX_OPEN}\n{references}\n  <edmx:DataServices>\n{schemas}\n  </edmx:DataServices>\n</edmx:Edmx>\n"
    )
}

/// A document whose one schema (`test.errors`, alias `t`) holds `body`: the first body line is
/// line 4 of the document.
fn schema_doc(body: &[&str]) -> String {
    format!(
        "{EDMX_OPEN}\n  <edmx:DataServices>\n    <Schema Namespace=\"test.errors\" Alias=\"t\" xmlns=\"{EDM}\">\n{}\n    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n",
        body.join("\n")
    )
}

#[track_caller]
fn load(name: &str, text: &str) -> Model {
    load_with(name, text, &mut NoReferences)
}

#[track_caller]
fn load_with(name: &str, text: &str, loader: &mut dyn SourceLoader) -> Model {
    match load_model(name, text.as_bytes(), loader) {
        Ok(m) => m,
        Err(errors) => panic!("{name} does not load:\n{}", lines(&errors)),
    }
}

/// The diagnostics of a document that must not load, as displayed.
#[track_caller]
fn errors(name: &str, text: &str) -> Vec<String> {
    match load_model(name, text.as_bytes(), &mut NoReferences) {
        Ok(m) => panic!(
            "{name} loads, but should not; warnings:\n{}",
            lines(&m.warnings)
        ),
        Err(errors) => {
            assert!(errors.iter().all(Diagnostic::is_error), "{errors:?}");
            errors.iter().map(ToString::to_string).collect()
        }
    }
}

fn lines(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn names<'a>(items: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    items.into_iter().map(String::as_str).collect()
}

/// `dir/of/from` + `uri`, with `.` and `..` segments removed.
fn join_relative(from: &str, uri: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in uri.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Documents in memory, by name; relative `Uri`s resolve against the referencing document's folder.
#[derive(Default)]
struct MemoryLoader {
    files: BTreeMap<String, String>,
    /// Every `(uri, from)` asked for.
    requests: Vec<(String, String)>,
}

impl MemoryLoader {
    fn with(files: &[(&str, &str)]) -> MemoryLoader {
        MemoryLoader {
            files: files
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            requests: Vec::new(),
        }
    }
}

impl SourceLoader for MemoryLoader {
    fn load(&mut self, uri: &str, from: &str) -> Result<LoadedSource, String> {
        self.requests.push((uri.to_string(), from.to_string()));
        if uri.contains("://") {
            return Err(format!("`{uri}` is not fetched"));
        }
        let name = join_relative(from, uri);
        match self.files.get(&name) {
            Some(text) => Ok(LoadedSource {
                name,
                bytes: text.as_bytes().to_vec(),
            }),
            None => Err(format!("no document `{name}`")),
        }
    }
}

// ----- names and references -----

#[test]
fn alias_qualified_names_resolve_to_namespace_qualified_names() {
    let text = edmx(
        "",
        r#"    <Schema Namespace="microsoft.graph" Alias="graph">
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="user" BaseType="graph.entity">
        <Property Name="address" Type="graph.address" />
        <Property Name="kind" Type="Collection(graph.kind)" />
        <Property Name="tag" Type="graph.tag" />
        <NavigationProperty Name="manager" Type="graph.user" />
      </EntityType>
      <ComplexType Name="address" />
      <EnumType Name="kind"><Member Name="a" /></EnumType>
      <TypeDefinition Name="tag" UnderlyingType="Edm.String" />
      <EntityContainer Name="GraphService">
        <EntitySet Name="users" EntityType="graph.user" />
      </EntityContainer>
    </Schema>"#,
    );
    let m = load("alias.xml", &text);
    assert!(m.warnings.is_empty(), "{}", lines(&m.warnings));
    assert_eq!(
        names(m.entity_types.keys()),
        ["microsoft.graph.entity", "microsoft.graph.user"]
    );
    let user = &m.entity_types["microsoft.graph.user"];
    assert_eq!(user.namespace, "microsoft.graph");
    assert_eq!(user.simple_name, "user");
    assert_eq!(user.base_type.as_deref(), Some("microsoft.graph.entity"));
    let tys: Vec<&TypeRef> = user.properties.iter().map(|p| &p.ty.ty).collect();
    assert_eq!(
        tys,
        [
            &TypeRef::Complex("microsoft.graph.address".into()),
            &TypeRef::Enum("microsoft.graph.kind".into()),
            &TypeRef::Definition("microsoft.graph.tag".into()),
        ]
    );
    assert!(user.properties[1].ty.collection);
    assert_eq!(user.navigation_properties[0].target, "microsoft.graph.user");
    let c = m.container().expect("container");
    assert_eq!(c.name, "microsoft.graph.GraphService");
    assert_eq!(c.entity_sets["users"].entity_type, "microsoft.graph.user");
    assert_eq!(m.schemas["microsoft.graph"].alias.as_deref(), Some("graph"));
}

#[test]
fn names_resolve_across_two_schemas_of_one_document() {
    let text = edmx(
        "",
        r#"    <Schema Namespace="one.base" Alias="b">
      <EntityType Name="entity">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="colour" Type="t.colour" />
      </EntityType>
    </Schema>
    <Schema Namespace="two.things" Alias="t">
      <EnumType Name="colour"><Member Name="red" /></EnumType>
      <EntityType Name="thing" BaseType="b.entity">
        <NavigationProperty Name="parent" Type="one.base.entity" />
      </EntityType>
    </Schema>"#,
    );
    let m = load("two.xml", &text);
    assert_eq!(names(m.schemas.keys()), ["one.base", "two.things"]);
    assert_eq!(
        m.entity_types["one.base.entity"].properties[1].ty.ty,
        TypeRef::Enum("two.things.colour".into())
    );
    let thing = &m.entity_types["two.things.thing"];
    assert_eq!(thing.base_type.as_deref(), Some("one.base.entity"));
    assert_eq!(thing.navigation_properties[0].target, "one.base.entity");
    assert_eq!(m.key("two.things.thing").unwrap()[0].name, "id");
    assert_eq!(m.counts().schemas, 2);
    assert_eq!(m.sources.len(), 1);
}

const SHARED_TYPES: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="shared.types" Alias="sh" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="base" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.Guid" Nullable="false" />
      </EntityType>
      <ComplexType Name="money">
        <Property Name="amount" Type="Edm.Decimal" />
      </ComplexType>
      <Term Name="Tag" Type="Edm.String" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

#[test]
fn reference_to_another_document_through_the_loader() {
    let main = edmx(
        r#"  <edmx:Reference Uri="../common/shared.xml">
    <edmx:Include Namespace="shared.types" Alias="Shared" />
  </edmx:Reference>"#,
        r#"    <Schema Namespace="app" Alias="app">
      <EntityType Name="invoice" BaseType="Shared.base">
        <Property Name="total" Type="Shared.money" />
        <Property Name="net" Type="shared.types.money">
          <Annotation Term="Shared.Tag" String="net" />
        </Property>
      </EntityType>
    </Schema>"#,
    );
    let mut loader = MemoryLoader::with(&[("docs/common/shared.xml", SHARED_TYPES)]);
    let m = load_with("docs/app/main.xml", &main, &mut loader);
    assert!(m.warnings.is_empty(), "{}", lines(&m.warnings));
    assert_eq!(
        loader.requests,
        [(
            "../common/shared.xml".to_string(),
            "docs/app/main.xml".to_string()
        )]
    );
    let sources: Vec<&str> = m.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sources, ["docs/app/main.xml", "docs/common/shared.xml"]);
    let invoice = &m.entity_types["app.invoice"];
    assert_eq!(invoice.base_type.as_deref(), Some("shared.types.base"));
    assert_eq!(
        invoice.properties[0].ty.ty,
        TypeRef::Complex("shared.types.money".into())
    );
    let tag = &invoice.properties[1].annotations.0[0];
    assert_eq!(tag.term, "shared.types.Tag");
    assert!(tag.term_resolved);
    assert_eq!(m.key("app.invoice").unwrap()[0].name, "id");
    assert!(m.derives_from("app.invoice", "shared.types.base"));
    // the referenced document's types are part of the model, and of the counts
    assert!(m.entity_types.contains_key("shared.types.base"));
    assert!(m.terms.contains_key("shared.types.Tag"));
    assert_eq!(m.counts().schemas, 2);
    assert_eq!(m.counts().entity_types, 2);
    assert_eq!(m.sources[1].counts.complex_types, 1);
}

const UNAVAILABLE_REFERENCE: &str = r#"  <edmx:Reference Uri="missing/vocabulary.xml">
    <edmx:Include Namespace="com.example.vocabulary" Alias="Ext" />
  </edmx:Reference>"#;

#[test]
fn unavailable_reference_is_a_warning_and_its_terms_stay_unresolved() {
    let text = edmx(
        UNAVAILABLE_REFERENCE,
        r#"    <Schema Namespace="app">
      <ComplexType Name="thing">
        <Annotation Term="Ext.Label" String="A thing" />
        <Property Name="name" Type="Edm.String">
          <Annotation Term="com.example.vocabulary.Hidden" />
        </Property>
      </ComplexType>
      <Annotations Target="app.thing/name">
        <Annotation Term="Ext.Label" String="Name" />
      </Annotations>
    </Schema>"#,
    );
    let mut loader = MemoryLoader::default();
    let m = load_with("main.xml", &text, &mut loader);
    assert_eq!(
        lines(&m.warnings),
        "main.xml:2:3: warning: referenced document `missing/vocabulary.xml` is not available: \
         no document `missing/vocabulary.xml`"
    );
    assert_eq!(m.warnings[0].severity, Severity::Warning);
    let thing = &m.complex_types["app.thing"];
    let a = &thing.annotations.0[0];
    assert_eq!(a.term, "com.example.vocabulary.Label");
    assert!(!a.term_resolved);
    let on_name: Vec<(&str, bool)> = thing.properties[0]
        .annotations
        .iter()
        .map(|a| (a.term.as_str(), a.term_resolved))
        .collect();
    assert_eq!(
        on_name,
        [
            ("com.example.vocabulary.Hidden", false),
            ("com.example.vocabulary.Label", false)
        ]
    );
}

#[test]
fn type_only_an_unavailable_reference_could_define_is_an_error_naming_it() {
    let text = edmx(
        UNAVAILABLE_REFERENCE,
        r#"    <Schema Namespace="app">
      <ComplexType Name="thing">
        <Property Name="size" Type="Ext.size" />
      </ComplexType>
    </Schema>"#,
    );
    let err = match load_model("main.xml", text.as_bytes(), &mut MemoryLoader::default()) {
        Ok(_) => panic!("loads"),
        Err(e) => lines(&e),
    };
    assert_eq!(
        err,
        "main.xml:8:9: error: unresolved type `Ext.size`: namespace `com.example.vocabulary` \
         comes from `missing/vocabulary.xml` (referenced at main.xml:2:3), which is not available\n\
         main.xml:2:3: warning: referenced document `missing/vocabulary.xml` is not available: \
         no document `missing/vocabulary.xml`"
    );
}

#[test]
fn standard_vocabularies_need_no_file_and_give_no_warning() {
    let text = edmx(
        r#"  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core" />
  </edmx:Reference>
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml">
    <edmx:Include Namespace="Org.OData.Capabilities.V1" Alias="Capabilities" />
  </edmx:Reference>"#,
        r#"    <Schema Namespace="app">
      <ComplexType Name="thing">
        <Annotation Term="Core.Description" String="A thing" />
        <Annotation Term="Org.OData.Capabilities.V1.TopSupported" Bool="false" />
      </ComplexType>
    </Schema>"#,
    );
    let mut loader = MemoryLoader::default();
    let m = load_with("main.xml", &text, &mut loader);
    assert!(m.warnings.is_empty(), "{}", lines(&m.warnings));
    assert!(loader.requests.is_empty(), "{:?}", loader.requests);
    let thing = &m.complex_types["app.thing"];
    let terms: Vec<(&str, bool)> = thing
        .annotations
        .iter()
        .map(|a| (a.term.as_str(), a.term_resolved))
        .collect();
    assert_eq!(
        terms,
        [
            ("Org.OData.Core.V1.Description", true),
            ("Org.OData.Capabilities.V1.TopSupported", true)
        ]
    );
    assert_eq!(thing.annotations.description(), Some("A thing"));
    assert_eq!(m.sources.len(), 1);
}

#[test]
fn a_document_that_references_itself_terminates() {
    let text = edmx(
        r#"  <edmx:Reference Uri="self.xml">
    <edmx:Include Namespace="app" />
  </edmx:Reference>"#,
        r#"    <Schema Namespace="app">
      <ComplexType Name="thing" />
    </Schema>"#,
    );
    let mut loader = MemoryLoader::with(&[("self.xml", &text)]);
    let m = load_with("self.xml", &text, &mut loader);
    assert_eq!(loader.requests.len(), 1);
    assert_eq!(m.sources.len(), 1);
    assert!(m.warnings.is_empty(), "{}", lines(&m.warnings));
    assert_eq!(m.counts().complex_types, 1);
}

#[test]
fn a_cycle_of_two_documents_terminates() {
    let a = edmx(
        r#"  <edmx:Reference Uri="b.xml">
    <edmx:Include Namespace="b" />
  </edmx:Reference>"#,
        r#"    <Schema Namespace="a">
      <ComplexType Name="x">
        <Property Name="y" Type="b.y" />
      </ComplexType>
    </Schema>"#,
    );
    let b = edmx(
        r#"  <edmx:Reference Uri="./a.xml">
    <edmx:Include Namespace="a" />
  </edmx:Reference>"#,
        r#"    <Schema Namespace="b">
      <ComplexType Name="y">
        <Property Name="x" Type="a.x" />
      </ComplexType>
    </Schema>"#,
    );
    let mut loader = MemoryLoader::with(&[("dir/a.xml", &a), ("dir/b.xml", &b)]);
    let m = load_with("dir/a.xml", &a, &mut loader);
    assert_eq!(loader.requests.len(), 2, "{:?}", loader.requests);
    let sources: Vec<&str> = m.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sources, ["dir/a.xml", "dir/b.xml"]);
    assert_eq!(
        m.complex_types["b.y"].properties[0].ty.ty,
        TypeRef::Complex("a.x".into())
    );
    assert!(m.warnings.is_empty(), "{}", lines(&m.warnings));
}

// ----- the service fixture: inheritance, containment, operations, annotations -----

const SERVICE: &str = include_str!("fixtures/model/service.xml");

fn service() -> Model {
    let m = load("service.xml", SERVICE);
    assert!(m.warnings.is_empty(), "{}", lines(&m.warnings));
    m
}

#[test]
fn base_type_chains_properties_keys_and_abstract_types() {
    let m = service();
    let props: Vec<&str> = m
        .all_properties("test.service.user")
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        props,
        [
            "id",
            "deletedDateTime",
            "displayName",
            "userType",
            "businessPhones",
            "createdDateTime"
        ]
    );
    let navs: Vec<&str> = m
        .all_navigation_properties("test.service.user")
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(navs, ["manager", "settings", "memberOf"]);
    let ancestry: Vec<&str> = m
        .ancestry("test.service.user")
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        ancestry,
        [
            "test.service.user",
            "test.service.directoryObject",
            "test.service.entity"
        ]
    );
    // the key comes from the nearest keyed ancestor; the types themselves declare none
    assert!(m.entity_types["test.service.user"].key.is_none());
    assert!(m.entity_types["test.service.directoryObject"].key.is_none());
    let key: Vec<&str> = m
        .key("test.service.user")
        .unwrap()
        .iter()
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(key, ["id"]);
    assert!(m.key("test.service.address").is_none());
    assert!(m.derives_from("test.service.user", "test.service.entity"));
    assert!(m.derives_from("test.service.user", "test.service.user"));
    assert!(!m.derives_from("test.service.entity", "test.service.user"));
    assert!(!m.derives_from("test.service.group", "test.service.user"));
    assert!(m.entity_types["test.service.entity"].is_abstract);
    assert!(m.entity_types["test.service.directoryObject"].is_abstract);
    assert!(!m.entity_types["test.service.user"].is_abstract);
    assert!(m.entity_types["test.service.user"].open_type);
    assert_eq!(
        m.entity_types["test.service.directoryObject"].derived_types,
        ["test.service.group", "test.service.user"]
    );
    // complex types inherit the same way
    let address = m.structured_type("test.service.physicalAddress").unwrap();
    assert_eq!(address.kind, TypeKind::Complex);
    let props: Vec<&str> = m
        .all_properties("test.service.physicalAddress")
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(props, ["city", "street"]);
    let phones = &m.entity_types["test.service.user"].properties[2];
    assert!(phones.ty.collection);
    assert!(!phones.nullable);
}

#[test]
fn containment_singletons_and_entity_sets_with_bindings() {
    let m = service();
    let user = &m.entity_types["test.service.user"];
    let settings = &user.navigation_properties[1];
    assert_eq!(settings.name, "settings");
    assert!(settings.contains_target);
    assert!(!settings.collection);
    assert_eq!(settings.target, "test.service.userSettings");
    let member_of = &user.navigation_properties[2];
    assert!(!member_of.contains_target);
    assert!(member_of.collection);
    assert_eq!(member_of.target, "test.service.directoryObject");

    let c = m.container().unwrap();
    assert_eq!(c.name, "test.service.GraphService");
    assert_eq!(names(c.entity_sets.keys()), ["directoryObjects", "users"]);
    let users = &c.entity_sets["users"];
    assert_eq!(users.entity_type, "test.service.user");
    assert!(users.include_in_service_document);
    assert_eq!(
        users.bindings,
        [
            ("manager".to_string(), "directoryObjects".to_string()),
            ("memberOf".to_string(), "directoryObjects".to_string())
        ]
    );
    assert_eq!(
        c.entity_sets["directoryObjects"].entity_type,
        "test.service.directoryObject"
    );
    let me = &c.singletons["me"];
    assert_eq!(me.entity_type, "test.service.user");
    assert!(!me.nullable);
    assert_eq!(
        me.bindings,
        [("manager".to_string(), "directoryObjects".to_string())]
    );
    assert_eq!(m.counts().entity_sets, 2);
    assert_eq!(m.counts().singletons, 1);
}

#[test]
fn bound_operations_by_type_with_overloads_and_collections() {
    let m = service();
    let sigs = |ty: &str, collection: bool| -> Vec<String> {
        m.bound_operations(ty, collection)
            .map(|op| op.signature())
            .collect()
    };
    assert_eq!(
        sigs("test.service.user", false),
        [
            "test.service.restore(test.service.user)",
            "test.service.reminderView(test.service.user,Edm.String,Edm.String)"
        ]
    );
    assert_eq!(
        sigs("test.service.directoryObject", false),
        ["test.service.restore(test.service.directoryObject)"]
    );
    assert_eq!(
        sigs("test.service.directoryObject", true),
        ["test.service.getByIds(Collection(test.service.directoryObject))"]
    );
    assert_eq!(
        sigs("test.service.user", true),
        ["test.service.delta(Collection(test.service.user))"]
    );
    assert_eq!(
        sigs("test.service.group", true),
        ["test.service.delta(Collection(test.service.group))"]
    );
    assert!(sigs("test.service.group", false).is_empty());

    let restore = &m.actions["test.service.restore"];
    assert_eq!(restore.len(), 2);
    assert_eq!(restore[1].kind, OperationKind::Action);
    assert!(restore[1].is_bound);
    let call: Vec<&str> = restore[1]
        .call_parameters()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(call, ["newUserPrincipalName"]);
    let delta = &m.functions["test.service.delta"];
    assert_eq!(delta.len(), 2);
    assert!(delta[0].is_composable);
    let ret = delta[0].return_type.as_ref().unwrap();
    assert!(ret.ty.collection);
    assert_eq!(ret.ty.ty, TypeRef::Entity("test.service.user".into()));
}

/// `(term, qualifier)` of each annotation, in order.
fn terms(a: &odata_codegen::model::Annotations) -> Vec<(&str, Option<&str>)> {
    a.iter()
        .map(|a| (a.term.as_str(), a.qualifier.as_deref()))
        .collect()
}

#[test]
fn inline_and_external_annotations_are_merged_onto_their_targets() {
    let m = service();
    let user = &m.entity_types["test.service.user"];
    // type
    assert_eq!(user.annotations.description(), Some("Represents a user."));
    assert_eq!(
        user.annotations.long_description(),
        Some("Inherits from directoryObject.")
    );
    // property: inline first, then external
    let display = &user.properties[0];
    assert_eq!(
        terms(&display.annotations),
        [
            ("Org.OData.Core.V1.Description", None),
            ("Org.OData.Core.V1.LongDescription", None)
        ]
    );
    assert_eq!(
        display.annotations.description(),
        Some("The name displayed in the address book.")
    );
    assert_eq!(
        display.annotations.long_description(),
        Some("Supports $filter and $orderby.")
    );
    // navigation properties (target `ns.type/nav`, here namespace-qualified), with a qualifier
    assert_eq!(
        user.navigation_properties[0].annotations.description(),
        Some("The user's manager.")
    );
    let settings = &user.navigation_properties[1].annotations;
    assert_eq!(
        terms(settings),
        [("Org.OData.Core.V1.Description", Some("beta"))]
    );
    // a qualified annotation is still found when no unqualified one exists
    assert_eq!(settings.description(), Some("Qualified settings."));
    // enum members: inline and external
    let guest = &m.enum_types["test.service.userType"].members[1];
    assert_eq!(
        guest.annotations.description(),
        Some("Invited from another tenant.")
    );
    assert_eq!(
        guest.annotations.long_description(),
        Some("Guests have limited access.")
    );
    // operations: `ns.op(ns.bindingType)` hits one overload, `ns.op` every overload
    let restore = &m.actions["test.service.restore"];
    assert_eq!(restore[0].annotations.description(), None);
    assert_eq!(
        restore[0].annotations.long_description(),
        Some("Restores a recently deleted item.")
    );
    assert_eq!(
        restore[1].annotations.description(),
        Some("Restores a deleted user.")
    );
    assert_eq!(
        restore[1].annotations.long_description(),
        Some("Restores a recently deleted item.")
    );
    // parameters
    assert_eq!(
        restore[1].parameters[1].annotations.description(),
        Some("The new user principal name.")
    );
    // functions are told apart by every parameter type (whitespace in the target is ignored)
    assert_eq!(
        m.functions["test.service.reminderView"][0]
            .annotations
            .description(),
        Some("The reminders in a time range.")
    );
    let delta = &m.functions["test.service.delta"];
    assert_eq!(delta[0].annotations.description(), None);
    assert_eq!(delta[1].annotations.description(), Some("Changed groups."));
    // container children
    let c = m.container().unwrap();
    assert_eq!(
        terms(&c.entity_sets["users"].annotations),
        [
            ("Org.OData.Capabilities.V1.ReadRestrictions", None),
            ("Org.OData.Capabilities.V1.InsertRestrictions", None),
            ("Org.OData.Capabilities.V1.UpdateRestrictions", None),
            ("Org.OData.Capabilities.V1.DeleteRestrictions", None),
            ("Org.OData.Capabilities.V1.NavigationRestrictions", None),
        ]
    );
    assert_eq!(
        terms(&c.singletons["me"].annotations),
        [
            ("Org.OData.Core.V1.Permissions", None),
            ("Org.OData.Core.V1.Revisions", None)
        ]
    );
    assert!(m.path_annotations.is_empty());
    // every annotation's term is a standard one
    assert!(
        user.annotations
            .iter()
            .chain(c.entity_sets["users"].annotations.iter())
            .all(|a| a.term_resolved)
    );
}

#[test]
fn vocabulary_accessors() {
    let m = service();
    let user = &m.entity_types["test.service.user"];
    // Core.Computed without a value is true; with Bool="false" it is not
    let id = &m.entity_types["test.service.entity"].properties[0];
    assert!(id.annotations.computed());
    assert!(!id.annotations.immutable());
    let created = &user.properties[3];
    assert_eq!(created.name, "createdDateTime");
    assert!(!created.annotations.computed());
    assert!(created.annotations.immutable());
    assert!(!user.properties[0].annotations.computed());

    let c = m.container().unwrap();
    let users = &c.entity_sets["users"].annotations;
    assert_eq!(
        users.read_restrictions(),
        Some(Restriction {
            allowed: Some(true),
            method: None,
            description: Some("List users".into()),
            long_description: Some("Retrieve a list of user objects.".into()),
        })
    );
    assert_eq!(
        users.insert_restrictions(),
        Some(Restriction {
            allowed: Some(true),
            description: Some("Create user".into()),
            ..Restriction::default()
        })
    );
    assert_eq!(
        users.update_restrictions(),
        Some(Restriction {
            allowed: Some(true),
            method: Some("PATCH".into()),
            ..Restriction::default()
        })
    );
    assert_eq!(
        users.delete_restrictions(),
        Some(Restriction {
            allowed: Some(false),
            ..Restriction::default()
        })
    );
    let (navigability, entries) = users.navigation_restrictions().unwrap();
    assert_eq!(navigability.as_deref(), Some("Single"));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].navigation_property, "memberOf");
    assert_eq!(entries[0].navigability.as_deref(), Some("None"));
    assert_eq!(
        entries[0].read,
        Some(Restriction {
            allowed: Some(false),
            ..Restriction::default()
        })
    );
    assert!(entries[0].update.is_none());

    let me = &c.singletons["me"].annotations;
    assert_eq!(
        me.permissions(),
        Some(vec![Permission::Read, Permission::Write])
    );
    let revisions = me.revisions();
    assert_eq!(revisions.len(), 1);
    let deprecation = me.deprecation().unwrap();
    assert_eq!(deprecation, revisions[0]);
    assert_eq!(deprecation.kind, "Deprecated");
    assert_eq!(deprecation.version.as_deref(), Some("2024-01/me"));
    assert_eq!(deprecation.date.as_deref(), Some("2024-01-15"));
    assert_eq!(deprecation.removal_date.as_deref(), Some("2025-01-15"));
    assert_eq!(
        deprecation.description.as_deref(),
        Some("Use users instead.")
    );

    // nothing is made up where nothing is written
    assert!(users.permissions().is_none());
    assert!(users.revisions().is_empty());
    assert!(users.deprecation().is_none());
    assert!(me.read_restrictions().is_none());
    assert!(me.navigation_restrictions().is_none());
    assert!(users.description().is_none());
}

#[test]
fn enum_members_with_and_without_values() {
    let m = service();
    let user_type = &m.enum_types["test.service.userType"];
    assert!(!user_type.is_flags);
    assert_eq!(
        user_type.underlying_type,
        odata_codegen::model::Primitive::Int32
    );
    let members: Vec<(&str, i64)> = user_type
        .members
        .iter()
        .map(|x| (x.name.as_str(), x.value))
        .collect();
    assert_eq!(members, [("member", 0), ("guest", 1)]);
    let weekdays = &m.enum_types["test.service.weekdays"];
    assert!(weekdays.is_flags);
    assert_eq!(
        weekdays.underlying_type,
        odata_codegen::model::Primitive::Int64
    );
    let members: Vec<(&str, i64)> = weekdays
        .members
        .iter()
        .map(|x| (x.name.as_str(), x.value))
        .collect();
    assert_eq!(
        members,
        [("none", 0), ("monday", 1), ("tuesday", 2), ("wednesday", 4)]
    );
}

#[test]
fn loading_twice_gives_the_same_model() {
    let a = format!("{:?}", service());
    let b = format!("{:?}", service());
    assert_eq!(a, b);
    let mut loader = MemoryLoader::with(&[("docs/common/shared.xml", SHARED_TYPES)]);
    let main = edmx(
        r#"  <edmx:Reference Uri="../common/shared.xml">
    <edmx:Include Namespace="shared.types" Alias="Shared" />
  </edmx:Reference>"#,
        r#"    <Schema Namespace="app">
      <EntityType Name="invoice" BaseType="Shared.base" />
    </Schema>"#,
    );
    let a = format!("{:?}", load_with("docs/app/main.xml", &main, &mut loader));
    let b = format!("{:?}", load_with("docs/app/main.xml", &main, &mut loader));
    assert_eq!(a, b);
}

/// What Microsoft Graph and the OASIS vocabularies write, beyond the letter of the specification.
#[test]
fn graph_and_vocabulary_usages_load() {
    let text = edmx(
        r#"  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core" />
  </edmx:Reference>"#,
        r#"    <Schema Namespace="microsoft.graph" Alias="graph">
      <ComplexType Name="image">
        <Property Name="tag" Type="Core.Tag" />
      </ComplexType>
      <ComplexType Name="link">
        <NavigationProperty Name="value" Type="Edm.EntityType" />
      </ComplexType>
      <EntityType Name="chart">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <Function Name="image" IsBound="true">
        <Parameter Name="bindparameter" Type="graph.chart" />
        <ReturnType Type="Edm.String" />
      </Function>
      <Function Name="delta" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(graph.chart)" />
        <ReturnType Type="Collection(graph.chart)" />
      </Function>
      <Action Name="delta" IsBound="true">
        <Parameter Name="bindparameter" Type="graph.chart" />
        <Parameter Name="number" Type="Edm.Int32" />
        <ReturnType Type="Edm.Int32" />
      </Action>
      <Annotations Target="graph.image">
        <Annotation Term="Core.Description" String="The type." />
      </Annotations>
      <Annotations Target="graph.image(graph.chart)">
        <Annotation Term="Core.Description" String="The function." />
      </Annotations>
      <Annotations Target="graph.delta(graph.chart, Edm.Int32)">
        <Annotation Term="Core.Description" String="The action, by every parameter type." />
      </Annotations>
      <Annotations Target="graph.delta(Collection(graph.chart))">
        <Annotation Term="Core.Description" String="The function, by its parameter type." />
      </Annotations>
    </Schema>"#,
    );
    let m = load("graph.xml", &text);
    // a type of a standard vocabulary, which is not loaded, is taken as untyped, with a warning
    assert_eq!(
        lines(&m.warnings),
        "graph.xml:8:9: warning: type `Core.Tag` of the standard vocabulary `Org.OData.Core.V1` \
         is not loaded; it is taken as `Edm.Untyped`"
    );
    let image = &m.complex_types["microsoft.graph.image"];
    assert_eq!(
        image.properties[0].ty.ty,
        TypeRef::Primitive(odata_codegen::model::Primitive::Untyped)
    );
    assert_eq!(image.annotations.description(), Some("The type."));
    // `Edm.EntityType`: any entity
    let link = &m.complex_types["microsoft.graph.link"];
    assert_eq!(link.navigation_properties[0].target, "Edm.EntityType");
    // an operation named like a type; an action and a function of one name
    assert_eq!(
        m.functions["microsoft.graph.image"][0]
            .annotations
            .description(),
        Some("The function.")
    );
    assert_eq!(
        m.actions["microsoft.graph.delta"][0]
            .annotations
            .description(),
        Some("The action, by every parameter type.")
    );
    assert_eq!(
        m.functions["microsoft.graph.delta"][0]
            .annotations
            .description(),
        Some("The function, by its parameter type.")
    );
    let on_chart: Vec<String> = m
        .bound_operations("microsoft.graph.chart", false)
        .map(|op| op.signature())
        .collect();
    assert_eq!(
        on_chart,
        [
            "microsoft.graph.delta(microsoft.graph.chart)",
            "microsoft.graph.image(microsoft.graph.chart)"
        ]
    );
}

// ----- semantic errors -----

#[test]
fn error_type_naming_nothing() {
    let text = schema_doc(&[
        r#"      <ComplexType Name="thing">"#,
        r#"        <Property Name="colour" Type="t.colour" />"#,
        r#"        <Property Name="size" Type="other.ns.size" />"#,
        r#"        <Property Name="count" Type="Edm.Int42" />"#,
        r#"      </ComplexType>"#,
    ]);
    assert_eq!(
        errors("bad.xml", &text),
        [
            "bad.xml:5:9: error: unresolved type `t.colour`: schema `test.errors` declares no type named `colour`",
            "bad.xml:6:9: error: unresolved type `other.ns.size`: namespace `other.ns` is neither declared nor referenced",
            "bad.xml:7:9: error: unresolved type `Edm.Int42`: `Edm` has no type named `Int42`",
        ]
    );
}

#[test]
fn error_duplicate_name_in_a_schema() {
    let text = schema_doc(&[
        r#"      <ComplexType Name="thing" />"#,
        r#"      <EnumType Name="colour"><Member Name="red" /></EnumType>"#,
        r#"      <EntityType Name="thing" />"#,
    ]);
    assert_eq!(
        errors("bad.xml", &text),
        [
            "bad.xml:6:7: error: duplicate name `thing` in schema `test.errors`: already declared at bad.xml:4:7"
        ]
    );
}

#[test]
fn error_base_type_cycle() {
    let text = schema_doc(&[
        r#"      <EntityType Name="b" BaseType="t.a" />"#,
        r#"      <EntityType Name="a" BaseType="t.b">"#,
        r#"        <Key><PropertyRef Name="id" /></Key>"#,
        r#"        <Property Name="id" Type="Edm.Int32" Nullable="false" />"#,
        r#"      </EntityType>"#,
    ]);
    assert_eq!(
        errors("bad.xml", &text),
        ["bad.xml:5:7: error: base-type cycle: test.errors.a -> test.errors.b -> test.errors.a"]
    );
}

#[test]
fn error_navigation_property_to_something_not_an_entity_type() {
    let text = schema_doc(&[
        r#"      <ComplexType Name="address" />"#,
        r#"      <EntityType Name="person">"#,
        r#"        <Key><PropertyRef Name="id" /></Key>"#,
        r#"        <Property Name="id" Type="Edm.Int32" Nullable="false" />"#,
        r#"        <NavigationProperty Name="home" Type="t.address" />"#,
        r#"        <NavigationProperty Name="names" Type="Collection(Edm.String)" />"#,
        r#"      </EntityType>"#,
    ]);
    assert_eq!(
        errors("bad.xml", &text),
        [
            "bad.xml:8:9: error: navigation property `home` has type `t.address`, which is a complex type, not an entity type",
            "bad.xml:9:9: error: navigation property `names` has type `Edm.String`, which is a primitive type, not an entity type",
        ]
    );
}

#[test]
fn error_key_redefined_below_a_keyed_ancestor() {
    let text = schema_doc(&[
        r#"      <EntityType Name="entity">"#,
        r#"        <Key><PropertyRef Name="id" /></Key>"#,
        r#"        <Property Name="id" Type="Edm.Int32" Nullable="false" />"#,
        r#"      </EntityType>"#,
        r#"      <EntityType Name="middle" BaseType="t.entity" />"#,
        r#"      <EntityType Name="leaf" BaseType="t.middle">"#,
        r#"        <Key><PropertyRef Name="id" /></Key>"#,
        r#"      </EntityType>"#,
    ]);
    assert_eq!(
        errors("bad.xml", &text),
        [
            "bad.xml:9:7: error: key redefined: `test.errors.leaf` declares a key, but its ancestor `test.errors.entity` already has one"
        ]
    );
}

#[test]
fn a_key_below_an_abstract_keyed_ancestor_is_a_warning_and_wins() {
    let text = schema_doc(&[
        r#"      <EntityType Name="base" Abstract="true">"#,
        r#"        <Key><PropertyRef Name="code" /></Key>"#,
        r#"        <Property Name="code" Type="Edm.String" Nullable="false" />"#,
        r#"      </EntityType>"#,
        r#"      <EntityType Name="leaf" BaseType="t.base">"#,
        r#"        <Key><PropertyRef Name="id" /></Key>"#,
        r#"        <Property Name="id" Type="Edm.Int32" Nullable="false" />"#,
        r#"      </EntityType>"#,
    ]);
    let model = load_model("lenient.xml", text.as_bytes(), &mut NoReferences).expect("loads");
    let warnings: Vec<String> = model.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "lenient.xml:8:7: warning: `test.errors.leaf` redefines the key of its abstract ancestor `test.errors.base`; its own key is used"
        ]
    );
    let key: Vec<&str> = model
        .key("test.errors.leaf")
        .unwrap_or_default()
        .iter()
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(key, ["id"]);
}

#[test]
fn error_invalid_name_is_reported_by_the_reader() {
    let text = schema_doc(&[
        r#"      <ComplexType Name="1st" />"#,
        r#"      <ComplexType Name="two words" />"#,
    ]);
    assert_eq!(
        errors("bad.xml", &text),
        [
            "bad.xml:4:7: error: `1st` is not a valid CSDL name: a name starts with a letter or underscore, then letters, digits, underscores, combining marks or connector punctuation (at most 128 characters)",
            "bad.xml:5:7: error: `two words` is not a valid CSDL name: a name starts with a letter or underscore, then letters, digits, underscores, combining marks or connector punctuation (at most 128 characters)",
        ]
    );
}

#[test]
fn every_error_of_a_document_is_reported_in_one_run_in_source_order() {
    let text = schema_doc(&[
        r#"      <EntityType Name="person">"#,
        r#"        <Key><PropertyRef Name="id" /></Key>"#,
        r#"        <Property Name="id" Type="Edm.Int32" Nullable="false" />"#,
        r#"        <Property Name="colour" Type="t.colour" />"#,
        r#"        <NavigationProperty Name="home" Type="t.address" />"#,
        r#"      </EntityType>"#,
        r#"      <ComplexType Name="address" />"#,
        r#"      <ComplexType Name="person" />"#,
    ]);
    assert_eq!(
        errors("bad.xml", &text),
        [
            "bad.xml:7:9: error: unresolved type `t.colour`: schema `test.errors` declares no type named `colour`",
            "bad.xml:8:9: error: navigation property `home` has type `t.address`, which is a complex type, not an entity type",
            "bad.xml:11:7: error: duplicate name `person` in schema `test.errors`: already declared at bad.xml:4:7",
        ]
    );
}

// ----- the corpus -----

/// Reads referenced documents from files: a relative `Uri` names a file next to the referencing one.
struct FileLoader;

impl SourceLoader for FileLoader {
    fn load(&mut self, uri: &str, from: &str) -> Result<LoadedSource, String> {
        if uri.contains(':') {
            return Err(format!("`{uri}` is not a relative file reference"));
        }
        let dir = Path::new(from).parent().unwrap_or(Path::new(""));
        let path = dir.join(uri.split(['?', '#']).next().unwrap_or(uri));
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path
            .canonicalize()
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        Ok(LoadedSource { name, bytes })
    }
}

fn load_file(path: &Path) -> Result<Model, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path
        .canonicalize()
        .unwrap_or(path.to_path_buf())
        .to_string_lossy()
        .into_owned();
    load_model(&name, &bytes, &mut FileLoader)
}

#[track_caller]
fn load_corpus_file(path: &Path) -> Model {
    load_file(path).unwrap_or_else(|e| panic!("{} does not load:\n{}", path.display(), lines(&e)))
}

#[test]
fn corpus_mooncake_remote_assistance_settings() {
    let Some(corpus) = corpus() else { return };
    let m = load_corpus_file(&corpus.join("graph/beta-Mooncake-2022-07-27.csdl"));
    let c = m.container().expect("a container");
    let singleton = &c.singletons["deviceManagement"];
    assert_eq!(singleton.entity_type, "microsoft.graph.deviceManagement");
    let dm = &m.entity_types["microsoft.graph.deviceManagement"];
    let nav = dm
        .navigation_properties
        .iter()
        .find(|n| n.name == "remoteAssistanceSettings")
        .expect("deviceManagement/remoteAssistanceSettings");
    assert!(nav.contains_target);
    assert!(!nav.collection);
    assert_eq!(nav.target, "microsoft.graph.remoteAssistanceSettings");
    assert_eq!(
        nav.annotations.description(),
        Some("The remote assistance settings singleton")
    );
    assert!(m.derives_from(
        "microsoft.graph.remoteAssistanceSettings",
        "microsoft.graph.entity"
    ));
    let key: Vec<&str> = m
        .key("microsoft.graph.remoteAssistanceSettings")
        .unwrap()
        .iter()
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(key, ["id"]);
    let state = &m.enum_types["microsoft.graph.remoteAssistanceState"];
    let members: Vec<(&str, i64)> = state
        .members
        .iter()
        .map(|x| (x.name.as_str(), x.value))
        .collect();
    assert_eq!(members, [("disabled", 1), ("enabled", 2)]);
}

#[test]
fn corpus_v1_prod_counts_and_facts() {
    let Some(corpus) = corpus() else { return };
    let m = load_corpus_file(&corpus.join("graph/v1.0-Prod.csdl"));
    // Counted independently, with a script over the file's start tags:
    //   re.findall(r'<' + tag + r'(?=[\s/>])', text) for each element name.
    let c = m.counts();
    assert_eq!(c.schemas, 11);
    assert_eq!(c.entity_types, 1182);
    assert_eq!(c.complex_types, 1779);
    assert_eq!(c.enum_types, 861);
    assert_eq!(c.type_definitions, 0);
    assert_eq!(c.terms, 11);
    assert_eq!(c.actions, 857);
    assert_eq!(c.functions, 326);
    assert_eq!(c.entity_sets, 41);
    assert_eq!(c.singletons, 31);
    assert_eq!(c.annotations, 5922);

    assert!(m.entity_types.contains_key("microsoft.graph.user"));
    assert!(m.derives_from("microsoft.graph.user", "microsoft.graph.directoryObject"));
    assert!(m.derives_from("microsoft.graph.user", "microsoft.graph.entity"));
    let container = m.container().expect("a container");
    assert_eq!(
        container.entity_sets["users"].entity_type,
        "microsoft.graph.user"
    );
    // `<Annotations Target="microsoft.graph.admin/people">` says people cannot be updated
    let people = m.entity_types["microsoft.graph.admin"]
        .navigation_properties
        .iter()
        .find(|n| n.name == "people")
        .expect("admin/people");
    assert_eq!(
        people.annotations.update_restrictions().unwrap().allowed,
        Some(false)
    );
}

/// Corpus documents that stretch CSDL the way real tools do: they load, with these warnings
/// (`line:col: message`) among others.
const KNOWN_LENIENT: &[(&str, &[&str])] = &[
    (
        // the specification's example 34 is a fragment: namespace `Model` is declared nowhere
        "odata/oasis-csdl-schemas/miscellaneous2.xml",
        &[
            "22:9: unresolved function `Model.CreatedEntities`: namespace `Model` is neither declared nor referenced; the import `CreatedEntities` is left out",
        ],
    ),
    (
        // odata.net re-keys a type below an abstract keyed base
        "odata/odata-net/MergedFunctionalTest.xml",
        &[
            "344:7: `MergedFunctionalTest.Level1` redefines the key of its abstract ancestor `MergedFunctionalTest.Level0`; its own key is used",
        ],
    ),
    (
        // a .NET type name leaked into the metadata
        "odata/openapi-net-odata/Contract.OData.xml",
        &[
            "13:7: unresolved base type `System.Object`: namespace `System` is neither declared nor referenced; `AttachmentApiModel` is read without a base type",
        ],
    ),
];

#[test]
fn corpus_documents_load() {
    let Some(corpus) = corpus() else { return };
    let files = corpus_documents(&corpus);
    assert!(files.len() >= 20, "too few corpus files: {files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(&corpus)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let result = load_file(path);
        if rel == "odata/odata-net/Northwind.v2-ado2006.csdl" {
            match result {
                Err(e) if e.len() == 1 && e[0].message.contains("Entity Framework") => {}
                Err(e) => failures.push(format!(
                    "{rel}: expected one Entity Framework error:\n{}",
                    lines(&e)
                )),
                Ok(_) => failures.push(format!("{rel}: loads, but is an Entity Framework CSDL")),
            }
            continue;
        }
        let expected: Vec<String> = KNOWN_LENIENT
            .iter()
            .find(|(name, _)| *name == rel)
            .map(|(_, warnings)| warnings.iter().map(|e| e.to_string()).collect())
            .unwrap_or_default();
        match &result {
            Ok(model) => {
                let got: Vec<String> = model
                    .warnings
                    .iter()
                    .map(|d| format!("{}: {}", d.pos().unwrap_or_default(), d.message))
                    .collect();
                for w in &expected {
                    if !got.contains(w) {
                        failures.push(format!("{rel}: expected warning {w:?}, got {got:#?}"));
                    }
                }
            }
            Err(e) => failures.push(format!("{rel}: does not load:\n{}", lines(e))),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
