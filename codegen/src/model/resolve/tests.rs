//! Every kind of item, annotation target and error in one large document.

use std::fmt::Write as _;

use super::*;
use crate::syntax::{ReadOptions, read_document};

fn resolved(name: &str, bytes: &[u8]) -> Result<Model, Vec<Diagnostic>> {
    let doc = read_document(bytes, name, &ReadOptions::default()).expect("reads");
    let docs = vec![LoadedDocument {
        name: name.to_string(),
        doc,
        unavailable: Vec::new(),
    }];
    resolve(docs)
}

/// A document of `types` entity types (and as many complex types, enum types and actions),
/// annotated from outside in every way a target can be written; `broken` adds errors and
/// warnings to every kind of element, at the start and at the end.
fn synthetic(types: usize, broken: bool) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:DataServices>
<Schema Namespace="Big.Service" Alias="big" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
"#,
    );
    let bad = |i: usize| broken && (i == 0 || i % 17 == 3 || i + 1 == types);
    for i in 0..types {
        let prop_type = if bad(i) { "big.missing" } else { "big.shape" };
        let nav_type = if bad(i) { "big.shape" } else { "big.entity" };
        let first = if bad(i) { "id" } else { "a" };
        let _ = writeln!(
            x,
            r#"<EntityType Name="thing{i}" BaseType="big.entity"><Property Name="{first}" Type="Edm.Int32"/><Property Name="b" Type="Collection({prop_type})"/><Property Name="c" Type="big.colour"/><NavigationProperty Name="next" Type="{nav_type}" ContainsTarget="true"/></EntityType>"#
        );
        let base = if i == 0 {
            String::new()
        } else {
            format!(r#" BaseType="Big.Service.part{}""#, i - 1)
        };
        let _ = writeln!(
            x,
            r#"<ComplexType Name="part{i}"{base}><Property Name="v{i}" Type="Edm.Decimal" Precision="9" Scale="2"/></ComplexType>"#
        );
        let member = if bad(i) { "red" } else { "green" };
        let _ = writeln!(
            x,
            r#"<EnumType Name="level{i}"><Member Name="red" Value="1"/><Member Name="{member}" Value="2"/></EnumType>"#
        );
        let param = if bad(i) { "big.nothing" } else { "big.thing0" };
        let _ = writeln!(
            x,
            r#"<Action Name="act{i}" IsBound="true"><Parameter Name="bindingParameter" Type="big.thing{i}"/><Parameter Name="p" Type="{param}"/></Action><Action Name="act{i}" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(big.thing{i})"/></Action>"#
        );
        if bad(i) {
            let _ = writeln!(
                x,
                r#"<Function Name="f{i}"><Parameter Name="p" Type="Edm.String"/></Function>"#
            );
            let _ = writeln!(x, r#"<EntityType Name="thing{i}"/>"#);
        }
    }
    x.push_str(
        r#"<ComplexType Name="shape"><Property Name="sides" Type="Edm.Int32"/></ComplexType>
<EnumType Name="colour" IsFlags="true"><Member Name="red" Value="1"/><Member Name="blue" Value="2"/></EnumType>
<TypeDefinition Name="money" UnderlyingType="Edm.Decimal"/>
<Term Name="note" Type="Edm.String"/>
<Function Name="count"><Parameter Name="of" Type="Edm.String"/><ReturnType Type="Edm.Int32"/></Function>
<EntityContainer Name="box">
<EntitySet Name="things" EntityType="big.thing0"><NavigationPropertyBinding Path="next" Target="things"/></EntitySet>
<Singleton Name="first" Type="big.thing1"/>
<FunctionImport Name="count" Function="big.count"/>
"#,
    );
    if broken {
        x.push_str(
            r#"<EntitySet Name="lost" EntityType="big.nowhere"/>
<ActionImport Name="gone" Action="Elsewhere.Service.gone"/>
"#,
        );
    }
    x.push_str("</EntityContainer>\n");
    for i in 0..types {
        let target = |t: &str| {
            if bad(i) {
                format!("big.{t}{i}/nothing")
            } else {
                format!("big.{t}{i}")
            }
        };
        for (target, qualifier) in [
            (target("thing"), ""),
            (format!("Big.Service.thing{i}/a"), r#" Qualifier="q""#),
            (format!("big.thing{i}/next"), ""),
            (target("part"), ""),
            (format!("big.part{i}/v{i}"), ""),
            (target("level"), ""),
            (format!("big.level{i}/red"), ""),
            (format!("big.act{i}(big.thing{i})"), ""),
            (
                format!("big.act{i}(Collection(big.thing{i}))/$ReturnType"),
                "",
            ),
            (format!("big.act{i}/bindingParameter"), ""),
            (format!("big.box/things/thing{i}"), ""),
        ] {
            let _ = writeln!(
                x,
                r#"<Annotations Target="{target}"{qualifier}><Annotation Term="Org.OData.Core.V1.Description" String="{target}"/><Annotation Term="big.note" String="n{i}"/></Annotations>"#
            );
        }
    }
    x.push_str(
        r#"<Annotations Target="big.box/first"><Annotation Term="Org.OData.Core.V1.Computed" Bool="true"/></Annotations>
<Annotations Target="big.box"><Annotation Term="Org.OData.Core.V1.Description" String="box"/></Annotations>
<Annotations Target="big.colour/blue"><Annotation Term="Org.OData.Core.V1.Description" String="blue"/></Annotations>
<Annotations Target="big.money"><Annotation Term="Org.OData.Core.V1.Description" String="money"/></Annotations>
<Annotations Target="big.note"><Annotation Term="Org.OData.Core.V1.Description" String="note"/></Annotations>
<Annotations Target="big.count(Edm.String)/of"><Annotation Term="Org.OData.Core.V1.Description" String="of"/></Annotations>
<Annotations Target="Big.Service"><Annotation Term="Org.OData.Core.V1.Description" String="schema"/></Annotations>
"#,
    );
    if broken {
        x.push_str(
            r#"<Annotations Target="big.nobody"><Annotation Term="Org.OData.Core.V1.Description" String="lost"/></Annotations>
<Annotations Target="big.shape"><Annotation Term="big.unknownTerm" String="x"/><Annotation Term="Other.Vocabulary.term" String="y"/></Annotations>
"#,
        );
    }
    x.push_str("</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n");
    x
}

#[test]
fn a_large_valid_document_attaches_every_kind_of_target() {
    let xml = synthetic(300, false);
    let model = match resolved("big.xml", xml.as_bytes()) {
        Ok(model) => model,
        other => panic!("expected a model: {other:#?}"),
    };
    // Every kind of target found its element.
    let thing = &model.entity_types["Big.Service.thing299"];
    assert_eq!(thing.annotations.0.len(), 2);
    assert_eq!(
        thing.properties[0].annotations.0[0].qualifier.as_deref(),
        Some("q")
    );
    assert_eq!(
        model.complex_types["Big.Service.part0"].derived_types,
        ["Big.Service.part1"]
    );
    assert_eq!(
        model.enum_types["Big.Service.level7"].members[0]
            .annotations
            .0
            .len(),
        2
    );
    let act = &model.actions["Big.Service.act150"];
    assert_eq!(act[0].annotations.0.len(), 2);
    assert!(act[1].return_type.is_none());
    assert_eq!(act[0].parameters[0].annotations.0.len(), 2);
    assert_eq!(act[1].parameters[0].annotations.0.len(), 2);
    assert_eq!(
        model.path_annotations["Big.Service.box/things/thing42"]
            .0
            .len(),
        2
    );
    assert_eq!(
        model.containers["Big.Service.box"].singletons["first"]
            .annotations
            .0
            .len(),
        1
    );
    assert_eq!(model.schemas["Big.Service"].annotations.0.len(), 1);
    assert_eq!(
        model.functions["Big.Service.count"][0].parameters[0]
            .annotations
            .0
            .len(),
        1
    );
    assert!(model.warnings.is_empty(), "{:#?}", model.warnings);
}

#[test]
fn a_large_broken_document_reports_every_kind_of_error() {
    let xml = synthetic(300, true);
    let diagnostics = match resolved("big.xml", xml.as_bytes()) {
        Err(diagnostics) => diagnostics,
        other => panic!("expected errors: {other:#?}"),
    };
    let has = |text: &str| {
        diagnostics
            .iter()
            .filter(|d| d.message.contains(text))
            .count()
    };
    // 20 broken items of each kind: the first, the last and every 17th from the fourth.
    assert_eq!(has("unresolved type `big.missing`"), 20);
    assert_eq!(has("which is a complex type, not an entity type"), 20);
    assert_eq!(has("duplicate name `thing"), 20);
    assert_eq!(has("duplicate member `red`"), 20);
    assert_eq!(has("unresolved type `big.nothing`"), 20);
    assert_eq!(has("has no `ReturnType`"), 20);
    assert_eq!(
        has("redefines `id`, inherited from `Big.Service.entity`"),
        20
    );
    assert_eq!(has("unresolved type `big.nowhere`"), 1);
    assert_eq!(has("the import `gone` is left out"), 1);
    // `big.nobody`, and each broken action's first overload, which was left out.
    assert_eq!(has("does not name a model element"), 1 + 20);
    assert_eq!(
        has("annotation term `Big.Service.unknownTerm` is not declared"),
        1
    );
    assert_eq!(
        has("namespace `Other.Vocabulary` is neither declared nor referenced"),
        1
    );
}
