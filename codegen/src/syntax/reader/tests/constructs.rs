//! What the reader builds from each CSDL construct.

use super::*;

#[test]
fn edmx_wrapper_references_and_schema() {
    let doc = read(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.01" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core" />
    <edmx:IncludeAnnotations TermNamespace="Org.OData.Capabilities.V1" Qualifier="Q" TargetNamespace="X.Y" />
    <Annotation Term="Core.Description" String="ref" />
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm" />
  </edmx:DataServices>
</edmx:Edmx>"#,
    );
    assert_eq!(doc.version.as_deref(), Some("4.01"));
    assert_eq!(doc.pos, p(2, 1));
    assert_eq!(doc.references.len(), 1);
    let r = &doc.references[0];
    assert_eq!(r.pos, p(3, 3));
    assert!(r.uri.ends_with("Org.OData.Core.V1.xml"));
    assert_eq!(r.includes[0].namespace, "Org.OData.Core.V1");
    assert_eq!(r.includes[0].alias.as_deref(), Some("Core"));
    assert_eq!(r.includes[0].pos, p(4, 5));
    let ia = &r.include_annotations[0];
    assert_eq!(ia.term_namespace, "Org.OData.Capabilities.V1");
    assert_eq!(ia.qualifier.as_deref(), Some("Q"));
    assert_eq!(ia.target_namespace.as_deref(), Some("X.Y"));
    assert_eq!(
        r.annotations[0].value.as_ref().and_then(Expr::as_str),
        Some("ref")
    );
    assert_eq!(doc.annotation_count, 1);
    assert_eq!(doc.schemas.len(), 1);
    assert_eq!(doc.schemas[0].namespace, "microsoft.graph");
    assert_eq!(doc.schemas[0].alias.as_deref(), Some("graph"));
    assert_eq!(doc.schemas[0].pos, p(9, 5));
}

#[test]
fn bare_schema_root_with_bom_and_prefixes() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        br#"<edm:Schema Namespace="A.B" xmlns:edm="http://docs.oasis-open.org/odata/ns/edm">
  <edm:EntityType Name="e"><edm:Key><edm:PropertyRef Name="id"/></edm:Key></edm:EntityType>
</edm:Schema>"#,
    );
    let doc = read_document(&bytes, "t", &ReadOptions::default()).unwrap();
    assert_eq!(doc.version, None);
    assert_eq!(doc.pos, p(1, 1));
    let t = &doc.schemas[0].entity_types[0];
    assert_eq!(t.pos, p(2, 3));
    assert_eq!(t.key.as_ref().unwrap().property_refs[0].name, "id");
    assert_eq!(t.key.as_ref().unwrap().pos, p(2, 28));
}

#[test]
fn entity_type_key_and_flags() {
    let doc = schema(
        r#"<EntityType Name="user" BaseType="graph.directoryObject" Abstract="true" OpenType="true" HasStream="true">
  <Key><PropertyRef Name="id" /><PropertyRef Name="addr/street" Alias="street" /></Key>
  <Property Name="id" Type="Edm.String" Nullable="false" />
</EntityType>
<ComplexType Name="c" OpenType="false"><Property Name="x" Type="Collection(Edm.Int32)"/></ComplexType>
"#,
    );
    let s = &doc.schemas[0];
    let t = &s.entity_types[0];
    assert_eq!(t.name, "user");
    assert_eq!(t.base_type.as_deref(), Some("graph.directoryObject"));
    assert!(t.is_abstract && t.open_type && t.has_stream);
    assert_eq!(t.pos, p(4, 1));
    let key = t.key.as_ref().unwrap();
    assert_eq!(key.pos, p(5, 3));
    assert_eq!(key.property_refs.len(), 2);
    assert_eq!(key.property_refs[1].alias.as_deref(), Some("street"));
    assert_eq!(key.property_refs[1].pos, p(5, 33));
    assert_eq!(t.properties[0].nullable, Some(false));
    assert_eq!(t.properties[0].pos, p(6, 3));
    let c = &s.complex_types[0];
    assert_eq!(c.name, "c");
    assert!(!c.open_type);
    assert!(c.key.is_none());
    assert_eq!(c.properties[0].type_name, "Collection(Edm.Int32)");
}

#[test]
fn property_facets() {
    let doc = schema(
        r#"<ComplexType Name="c">
<Property Name="a" Type="Edm.String" MaxLength="max" Unicode="false" DefaultValue="x &amp; y" />
<Property Name="b" Type="Edm.String" MaxLength="40" />
<Property Name="c" Type="Edm.Decimal" Precision="10" Scale="2" />
<Property Name="d" Type="Edm.Decimal" Scale="variable" />
<Property Name="e" Type="Edm.Decimal" Scale="floating" />
<Property Name="f" Type="Edm.GeographyPoint" SRID="4326" />
<Property Name="g" Type="Edm.Geometry" SRID="Variable" />
</ComplexType>"#,
    );
    let props = &doc.schemas[0].complex_types[0].properties;
    assert_eq!(props[0].facets.max_length, Some(MaxLength::Max));
    assert_eq!(props[0].facets.unicode, Some(false));
    assert_eq!(props[0].default_value.as_deref(), Some("x & y"));
    assert_eq!(props[1].facets.max_length, Some(MaxLength::Value(40)));
    assert_eq!(props[2].facets.precision, Some(10));
    assert_eq!(props[2].facets.scale, Some(Scale::Value(2)));
    assert_eq!(props[3].facets.scale, Some(Scale::Variable));
    assert_eq!(props[4].facets.scale, Some(Scale::Floating));
    assert_eq!(props[5].facets.srid, Some(Srid::Value(4326)));
    assert_eq!(props[6].facets.srid, Some(Srid::Variable));
}

#[test]
fn navigation_properties() {
    let doc = schema(
        r#"<EntityType Name="o">
<NavigationProperty Name="items" Type="Collection(NS.item)" ContainsTarget="true" Partner="order" Nullable="false">
  <ReferentialConstraint Property="id" ReferencedProperty="orderId"><Annotation Term="Core.Description" String="rc"/></ReferentialConstraint>
  <OnDelete Action="Cascade" />
</NavigationProperty>
</EntityType>"#,
    );
    let n = &doc.schemas[0].entity_types[0].navigation_properties[0];
    assert_eq!(n.name, "items");
    assert_eq!(n.type_name, "Collection(NS.item)");
    assert!(n.contains_target);
    assert_eq!(n.partner.as_deref(), Some("order"));
    assert_eq!(n.nullable, Some(false));
    assert_eq!(n.referential_constraints[0].property, "id");
    assert_eq!(n.referential_constraints[0].referenced_property, "orderId");
    assert_eq!(n.referential_constraints[0].annotations.len(), 1);
    assert_eq!(n.on_delete.as_ref().unwrap().action, "Cascade");
    assert_eq!(n.on_delete.as_ref().unwrap().pos, p(7, 3));
}

#[test]
fn enum_types() {
    let doc = schema(
        r#"<EnumType Name="color" IsFlags="true" UnderlyingType="Edm.Int64">
  <Member Name="red" Value="1"><Annotation Term="Core.Description" String="r"/></Member>
  <Member Name="green" Value="-2" />
</EnumType>
<EnumType Name="plain"><Member Name="a"/><Member Name="b"/></EnumType>"#,
    );
    let s = &doc.schemas[0];
    let e = &s.enum_types[0];
    assert!(e.is_flags);
    assert_eq!(e.underlying_type.as_deref(), Some("Edm.Int64"));
    assert_eq!(e.members[0].value, Some(1));
    assert_eq!(e.members[0].annotations.len(), 1);
    assert_eq!(e.members[1].value, Some(-2));
    assert_eq!(e.members[1].pos, p(6, 3));
    let plain = &s.enum_types[1];
    assert!(!plain.is_flags);
    assert_eq!(
        plain.members.iter().map(|m| m.value).collect::<Vec<_>>(),
        [None, None]
    );
}

#[test]
fn type_definitions_and_terms() {
    let doc = schema(
        r#"<TypeDefinition Name="Tag" UnderlyingType="Edm.String" MaxLength="10" Unicode="true" />
<Term Name="Description" Type="Edm.String" Nullable="false" DefaultValue="none" BaseTerm="Core.X" AppliesTo="EntityType  Property
 Parameter" Precision="3">
  <Annotation Term="Core.IsLanguageDependent" />
</Term>"#,
    );
    let s = &doc.schemas[0];
    let td = &s.type_definitions[0];
    assert_eq!(td.underlying_type, "Edm.String");
    assert_eq!(td.facets.max_length, Some(MaxLength::Value(10)));
    assert_eq!(td.facets.unicode, Some(true));
    let t = &s.terms[0];
    assert_eq!(t.type_name, "Edm.String");
    assert_eq!(t.nullable, Some(false));
    assert_eq!(t.default_value.as_deref(), Some("none"));
    assert_eq!(t.base_term.as_deref(), Some("Core.X"));
    assert_eq!(t.applies_to, ["EntityType", "Property", "Parameter"]);
    assert_eq!(t.facets.precision, Some(3));
    assert_eq!(t.annotations[0].term, "Core.IsLanguageDependent");
    assert_eq!(t.annotations[0].value, None);
}

#[test]
fn actions_and_functions() {
    let doc = schema(
        r#"<Action Name="send" IsBound="true" EntitySetPath="bp/items">
  <Parameter Name="bp" Type="NS.user" Nullable="false"><Annotation Term="Core.Description" String="p"/></Parameter>
  <Parameter Name="n" Type="Edm.Decimal" Precision="5" Scale="1" />
</Action>
<Function Name="top" IsComposable="true">
  <ReturnType Type="Collection(NS.user)" Nullable="false" MaxLength="3"><Annotation Term="Core.Description" String="r"/></ReturnType>
</Function>"#,
    );
    let s = &doc.schemas[0];
    let a = &s.actions[0];
    assert_eq!(a.kind, OperationKind::Action);
    assert!(a.is_bound && !a.is_composable);
    assert_eq!(a.entity_set_path.as_deref(), Some("bp/items"));
    assert_eq!(a.parameters.len(), 2);
    assert_eq!(a.parameters[0].nullable, Some(false));
    assert_eq!(a.parameters[0].annotations.len(), 1);
    assert_eq!(a.parameters[1].facets.scale, Some(Scale::Value(1)));
    assert!(a.return_type.is_none());
    let f = &s.functions[0];
    assert_eq!(f.kind, OperationKind::Function);
    assert!(f.is_composable && !f.is_bound);
    let r = f.return_type.as_ref().unwrap();
    assert_eq!(r.type_name, "Collection(NS.user)");
    assert_eq!(r.facets.max_length, Some(MaxLength::Value(3)));
    assert_eq!(r.annotations.len(), 1);
    assert_eq!(r.pos, p(9, 3));
}

#[test]
fn entity_container() {
    let doc = schema(
        r#"<EntityContainer Name="GraphService" Extends="Other.Container">
  <EntitySet Name="users" EntityType="NS.user" IncludeInServiceDocument="false">
    <NavigationPropertyBinding Path="manager" Target="users" />
    <Annotation Term="Core.Description" String="u"/>
  </EntitySet>
  <Singleton Name="me" Type="NS.user" Nullable="true"><NavigationPropertyBinding Path="a/b" Target="Other.Container/x"/></Singleton>
  <ActionImport Name="doIt" Action="NS.doIt" EntitySet="users" />
  <FunctionImport Name="f" Function="NS.f" EntitySet="users" IncludeInServiceDocument="true" />
</EntityContainer>"#,
    );
    let c = &doc.schemas[0].entity_containers[0];
    assert_eq!(c.name, "GraphService");
    assert_eq!(c.extends.as_deref(), Some("Other.Container"));
    let es = &c.entity_sets[0];
    assert_eq!(es.entity_type, "NS.user");
    assert_eq!(es.include_in_service_document, Some(false));
    assert_eq!(es.navigation_property_bindings[0].path, "manager");
    assert_eq!(es.navigation_property_bindings[0].pos, p(6, 5));
    assert_eq!(es.annotations.len(), 1);
    let me = &c.singletons[0];
    assert_eq!(me.nullable, Some(true));
    assert_eq!(
        me.navigation_property_bindings[0].target,
        "Other.Container/x"
    );
    assert_eq!(c.action_imports[0].action, "NS.doIt");
    assert_eq!(c.action_imports[0].entity_set.as_deref(), Some("users"));
    assert_eq!(c.function_imports[0].function, "NS.f");
    assert_eq!(
        c.function_imports[0].include_in_service_document,
        Some(true)
    );
}

#[test]
fn annotation_attribute_values() {
    let doc = schema(
        r#"<Annotations Target="NS.user" Qualifier="q">
<Annotation Term="A.s" String="text" />
<Annotation Term="A.b" Bool="true" />
<Annotation Term="A.i" Int="42" Qualifier="x" />
<Annotation Term="A.f" Float="1.5" />
<Annotation Term="A.d" Decimal="1.25" />
<Annotation Term="A.da" Date="2000-01-01" />
<Annotation Term="A.dto" DateTimeOffset="2000-01-01T00:00:00Z" />
<Annotation Term="A.du" Duration="P1D" />
<Annotation Term="A.g" Guid="21EC2020-3AEA-1069-A2DD-08002B30309D" />
<Annotation Term="A.t" TimeOfDay="21:00:00" />
<Annotation Term="A.bi" Binary="T0RhdGE" />
<Annotation Term="A.e" EnumMember="NS.color/red NS.color/green" />
<Annotation Term="A.p" Path="a/b" />
<Annotation Term="A.pp" PropertyPath="a" />
<Annotation Term="A.npp" NavigationPropertyPath="n" />
<Annotation Term="A.ap" AnnotationPath="@A.s" />
<Annotation Term="A.mep" ModelElementPath="NS.user" />
<Annotation Term="A.app" AnyPropertyPath="x" />
</Annotations>"#,
    );
    let b = &doc.schemas[0].annotation_blocks[0];
    assert_eq!(b.target, "NS.user");
    assert_eq!(b.qualifier.as_deref(), Some("q"));
    assert_eq!(b.pos, p(4, 1));
    let v: Vec<Expr> = b
        .annotations
        .iter()
        .map(|a| a.value.clone().unwrap())
        .collect();
    use ConstantKind as C;
    use PathKind as P;
    let c = |k, s: &str| Expr::Constant(k, s.to_string());
    let pa = |k, s: &str| Expr::Path(k, s.to_string());
    assert_eq!(
        v,
        [
            c(C::String, "text"),
            c(C::Bool, "true"),
            c(C::Int, "42"),
            c(C::Float, "1.5"),
            c(C::Decimal, "1.25"),
            c(C::Date, "2000-01-01"),
            c(C::DateTimeOffset, "2000-01-01T00:00:00Z"),
            c(C::Duration, "P1D"),
            c(C::Guid, "21EC2020-3AEA-1069-A2DD-08002B30309D"),
            c(C::TimeOfDay, "21:00:00"),
            c(C::Binary, "T0RhdGE"),
            c(C::EnumMember, "NS.color/red NS.color/green"),
            pa(P::Path, "a/b"),
            pa(P::PropertyPath, "a"),
            pa(P::NavigationPropertyPath, "n"),
            pa(P::AnnotationPath, "@A.s"),
            pa(P::ModelElementPath, "NS.user"),
            pa(P::AnyPropertyPath, "x"),
        ]
    );
    assert_eq!(b.annotations[2].qualifier.as_deref(), Some("x"));
    assert_eq!(
        b.annotations[1].value.as_ref().unwrap().as_bool(),
        Some(true)
    );
    assert_eq!(doc.annotation_count, 18);
}

#[test]
fn annotation_element_values() {
    let doc = schema(
        r#"<Annotations Target="NS.user">
  <Annotation Term="Capabilities.InsertRestrictions">
    <Record Type="Capabilities.InsertRestrictionsType">
      <PropertyValue Property="Insertable" Bool="false" />
      <PropertyValue Property="Description">
        <String>can&apos;t &#x41; <![CDATA[<raw>]]></String>
        <Annotation Term="Core.Description" String="nested on property value"/>
      </PropertyValue>
      <PropertyValue Property="NonInsertableNavigationProperties">
        <Collection>
          <NavigationPropertyPath>a</NavigationPropertyPath>
          <NavigationPropertyPath> b </NavigationPropertyPath>
          <Null/>
          <Int>
            7
          </Int>
          <Record><PropertyValue Property="x" Path="y"/></Record>
          <Collection/>
        </Collection>
      </PropertyValue>
      <Annotation Term="Core.Description" String="on record"/>
    </Record>
    <Annotation Term="Core.Description"><String>on annotation</String></Annotation>
  </Annotation>
  <Annotation Term="X.n"><Null/></Annotation>
  <Annotation Term="X.e"><EnumMember>NS.c/a</EnumMember></Annotation>
  <Annotation Term="X.s"><String>  keep spaces </String></Annotation>
</Annotations>"#,
    );
    let anns = &doc.schemas[0].annotation_blocks[0].annotations;
    assert_eq!(doc.annotation_count, 7);
    let rec = anns[0].value.as_ref().unwrap().as_record().unwrap();
    assert_eq!(
        rec.type_name.as_deref(),
        Some("Capabilities.InsertRestrictionsType")
    );
    assert_eq!(rec.pos, p(6, 5));
    assert_eq!(rec.get("Insertable").unwrap().as_bool(), Some(false));
    assert_eq!(
        rec.get("Description").unwrap().as_str(),
        Some("can't A <raw>")
    );
    assert_eq!(rec.property_values[1].annotations.len(), 1);
    assert_eq!(rec.property_values[1].pos, p(8, 7));
    let items = rec
        .get("NonInsertableNavigationProperties")
        .unwrap()
        .as_collection()
        .unwrap();
    assert_eq!(
        items[0],
        Expr::Path(PathKind::NavigationPropertyPath, "a".into())
    );
    assert_eq!(
        items[1],
        Expr::Path(PathKind::NavigationPropertyPath, "b".into())
    );
    assert_eq!(items[2], Expr::Null);
    assert_eq!(items[3], Expr::Constant(ConstantKind::Int, "7".into()));
    let inner = items[4].as_record().unwrap();
    assert_eq!(
        inner.get("x"),
        Some(&Expr::Path(PathKind::Path, "y".into()))
    );
    assert_eq!(items[5], Expr::Collection(vec![]));
    assert_eq!(rec.annotations.len(), 1);
    assert_eq!(anns[0].annotations.len(), 1);
    assert_eq!(
        anns[0].annotations[0].value.as_ref().unwrap().as_str(),
        Some("on annotation")
    );
    assert_eq!(anns[1].value, Some(Expr::Null));
    assert_eq!(
        anns[2].value,
        Some(Expr::Constant(ConstantKind::EnumMember, "NS.c/a".into()))
    );
    assert_eq!(
        anns[3].value.as_ref().unwrap().as_str(),
        Some("  keep spaces ")
    );
}

#[test]
fn dynamic_expressions_are_raw_trees() {
    let doc = schema(
        r#"<Annotations Target="NS.user">
  <Annotation Term="X.d">
    <Apply Function="odata.concat">
      <String>a</String>
      <If><Eq><Path>x</Path><Int>1</Int></Eq><String>one</String><Null/></If>
      <UrlRef><String>http://x</String></UrlRef>
      <LabeledElement Name="l"><Cast Type="Edm.String"><Path>y</Path></Cast></LabeledElement>
    </Apply>
  </Annotation>
  <Annotation Term="X.and"><And><Bool>true</Bool><IsOf Type="NS.t"><Path>z</Path></IsOf></And></Annotation>
</Annotations>"#,
    );
    let anns = &doc.schemas[0].annotation_blocks[0].annotations;
    let Some(Expr::Dynamic(apply)) = &anns[0].value else {
        panic!("{:?}", anns[0].value)
    };
    assert_eq!(apply.name, "Apply");
    assert_eq!(
        apply.attributes,
        [("Function".to_string(), "odata.concat".to_string())]
    );
    assert_eq!(apply.text, "");
    assert_eq!(apply.pos, p(6, 5));
    let names: Vec<&str> = apply.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["String", "If", "UrlRef", "LabeledElement"]);
    assert_eq!(apply.children[0].text, "a");
    let eq = &apply.children[1].children[0];
    assert_eq!(eq.name, "Eq");
    assert_eq!(eq.children[0].text, "x");
    assert_eq!(apply.children[3].children[0].attributes[0].1, "Edm.String");
    let Some(Expr::Dynamic(and)) = &anns[1].value else {
        panic!()
    };
    assert_eq!(and.children[1].name, "IsOf");
}

#[test]
fn annotations_everywhere_are_counted() {
    let doc = schema(
        r#"<Annotation Term="Core.Description" String="schema"/>
<EntityType Name="t">
  <Annotation Term="A.a"><Annotation Term="A.nested"/></Annotation>
  <Unknown><Annotation Term="A.inside.unknown"/><Deeper><Annotation Term="A.x"/></Deeper></Unknown>
</EntityType>"#,
    );
    let s = &doc.schemas[0];
    assert_eq!(s.annotations.len(), 1);
    assert_eq!(
        s.entity_types[0].annotations[0].annotations[0].term,
        "A.nested"
    );
    assert_eq!(doc.annotation_count, 5);
}

#[test]
fn unknown_elements_and_attributes_are_skipped() {
    let doc = schema(
        r#"<EntityType Name="t" m:Foo="bar" Whatever="1">
  <Documentation><Summary>text <b>bold</b></Summary><Property Name="ignored" Type="x"/></Documentation>
  <Property Name="p" Type="Edm.String" Extra="1"><Weird/></Property>
</EntityType>
<Association Name="legacy"><End Role="x"/></Association>"#,
    );
    let t = &doc.schemas[0].entity_types[0];
    assert_eq!(t.properties.len(), 1);
    assert_eq!(t.properties[0].name, "p");
}

#[test]
fn comments_pis_and_doctype_are_ignored() {
    let doc = read(
        r#"<?xml version="1.0"?>
<!DOCTYPE Schema [ <!ENTITY e "expanded"> ]>
<!-- comment -->
<Schema Namespace="N"><?pi x?><!-- c --><EntityType Name="e"/></Schema>
<!-- trailing -->
"#,
    );
    assert_eq!(doc.schemas[0].entity_types[0].pos, p(4, 41));
}

#[test]
fn unicode_columns_count_characters() {
    let doc = read(
        "<Schema Namespace=\"N\">\n<!-- ééé -->  <EntityType Name=\"ü\"/>\r\n\t<EntityType Name=\"名前\"/></Schema>",
    );
    let t = &doc.schemas[0].entity_types;
    assert_eq!(t[0].pos, p(2, 15));
    assert_eq!(t[0].name, "ü");
    assert_eq!(t[1].pos, p(3, 2));
}
