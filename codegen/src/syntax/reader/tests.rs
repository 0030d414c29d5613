use super::*;
use crate::syntax::Counts;

fn read(xml: &str) -> Document {
    match read_document(xml.as_bytes(), "t.csdl", &ReadOptions::default()) {
        Ok(doc) => doc,
        Err(errors) => panic!("unexpected errors: {errors:#?}"),
    }
}

fn errors(xml: &[u8]) -> Vec<(String, String)> {
    match read_document(xml, "t.csdl", &ReadOptions::default()) {
        Ok(_) => panic!("expected errors"),
        Err(errors) => errors
            .into_iter()
            .map(|d| (d.pos.to_string(), d.message))
            .collect(),
    }
}

fn one_error(xml: &str) -> (String, String) {
    let mut errs = errors(xml.as_bytes());
    assert_eq!(errs.len(), 1, "{errs:#?}");
    errs.remove(0)
}

const EDMX_OPEN: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:DataServices>
<Schema Namespace="NS" Alias="self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
"#;
const EDMX_CLOSE: &str = "</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n";

/// Wraps schema content; the content starts on line 4, column 1.
fn schema(content: &str) -> Document {
    read(&format!("{EDMX_OPEN}{content}{EDMX_CLOSE}"))
}

fn schema_errors(content: &str) -> Vec<(String, String)> {
    errors(format!("{EDMX_OPEN}{content}{EDMX_CLOSE}").as_bytes())
}

fn p(line: u32, col: u32) -> Pos {
    Pos { line, col }
}

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

// ----- errors -----

#[test]
fn invalid_names_are_all_reported() {
    let errs = schema_errors(
        r#"<EntityType Name="9lives"><Property Name="a-b" Type="Edm.String"/></EntityType>
<EnumType Name="ok"><Member Name="" /></EnumType>
<ComplexType Name="_ok1"/>
<ComplexType Name="x.y"/>
<ComplexType Name="a‿b"><Property Name="" Type="Edm.String"/></ComplexType>
"#,
    );
    let msg = |n: &str| format!("`{n}` is not a valid CSDL name: {NAME_RULE}");
    // errors first, then the warnings: a property name only warns
    assert_eq!(
        errs,
        [
            ("4:1".to_string(), msg("9lives")),
            ("5:21".to_string(), msg("")),
            ("7:1".to_string(), msg("x.y")),
            ("8:25".to_string(), msg("")),
            ("4:27".to_string(), "property name `a-b` is not a CSDL SimpleIdentifier; accepted: its wire name stays exactly `a-b`, and its Rust field gets a valid name".to_string()),
        ]
    );
    assert_eq!(
        msg("9lives"),
        "`9lives` is not a valid CSDL name: a name starts with a letter or underscore, then letters, digits, underscores, combining marks or connector punctuation (at most 128 characters)"
    );
}

#[test]
fn a_property_name_that_is_no_identifier_is_read_with_a_warning() {
    let doc = read(
        r#"<Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<ComplexType Name="headers"><Property Name="request-id" Type="Edm.String"/><Property Name="ok" Type="Edm.String"/></ComplexType>
</Schema>"#,
    );
    let t = &doc.schemas[0].complex_types[0];
    assert_eq!(t.properties[0].name, "request-id");
    let warnings: Vec<String> = doc.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with(
            "t.csdl:2:29: warning: property name `request-id` is not a CSDL SimpleIdentifier"
        ),
        "{warnings:?}"
    );
    // navigation properties stay errors: they name builder methods and URL segments
    let errs = schema_errors(
        r#"<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><NavigationProperty Name="x-y" Type="n.e"/></EntityType>"#,
    );
    assert_eq!(
        errs,
        [(
            "4:113".to_string(),
            format!("`x-y` is not a valid CSDL name: {NAME_RULE}")
        )]
    );
}

#[test]
fn two_keys_on_one_type_are_an_error() {
    let errs = schema_errors(
        r#"<EntityType Name="e">
<Key><PropertyRef Name="id"/></Key>
<Key><PropertyRef Name="other"/></Key>
<Property Name="id" Type="Edm.String" Nullable="false"/>
</EntityType>"#,
    );
    assert_eq!(
        errs,
        [(
            "6:1".to_string(),
            "`e` has a second `Key` element: a type declares one key (the first is at 5:1)"
                .to_string()
        )]
    );
}

#[test]
fn annotation_target_syntax() {
    for ok in [
        "n.t",
        "n",
        "n.t/p",
        "n.t/request-id",
        "n.c/set/nav",
        "n.t/n.derived/p",
        "n.f()",
        "n.f(n.t)",
        "n.f(n.t, Collection(Edm.String))",
        "n.f(Collection(n.t))/param",
        "n.f/$ReturnType",
    ] {
        assert_eq!(target_syntax(ok), Ok(()), "{ok}");
    }
    for (bad, why) in [
        ("n.f(n.t,)", "the parameter list has an empty entry"),
        ("n.f(,n.t)", "the parameter list has an empty entry"),
        ("n.f(n.t,,n.u)", "the parameter list has an empty entry"),
        ("n.f(n.t", "unbalanced parentheses"),
        ("n.f(n.t))", "unbalanced parentheses"),
        ("n.f(Collection(n.t)", "unbalanced parentheses"),
        ("n.f(n.t)x", "text follows the parameter list"),
        ("n.f(a b)", "`a b` in the parameter list is not a type name"),
        (
            "n.f(Collection(n.t)x)",
            "`Collection(n.t)x` in the parameter list is not a type name",
        ),
        ("", "`` is not a qualified name"),
        ("n..t", "`n..t` is not a qualified name"),
        ("/n.t", "`` is not a qualified name"),
        ("n.t/", "a path segment is empty"),
        ("n.t//p", "a path segment is empty"),
        (
            "n.t/p(x)",
            "path segment `p(x)` holds a parenthesis or comma",
        ),
        ("n.t/p,q", "path segment `p,q` holds a parenthesis or comma"),
    ] {
        assert_eq!(target_syntax(bad), Err(why.to_string()), "{bad}");
    }
    let errs = schema_errors(
        r#"<Annotations Target="n.f(n.t,)"><Annotation Term="Core.Description" String="x"/></Annotations>"#,
    );
    assert_eq!(
        errs,
        [(
            "4:22".to_string(),
            "`n.f(n.t,)` is not a valid annotation target: the parameter list has an empty entry"
                .to_string()
        )]
    );
}

#[test]
fn invalid_namespace_and_alias() {
    let errs = errors(br#"<Schema Namespace="a..b" Alias="x.y"/>"#);
    assert_eq!(errs.len(), 2);
    assert_eq!(errs[0].0, "1:1");
    assert!(
        errs[0]
            .1
            .starts_with("`a..b` is not a valid CSDL namespace"),
        "{errs:?}"
    );
    assert!(
        errs[1].1.starts_with("`x.y` is not a valid CSDL alias"),
        "{errs:?}"
    );
}

#[test]
fn missing_required_attributes() {
    let errs = schema_errors(
        r#"<EntityType Name="t"><Property Name="p"/><NavigationProperty Type="NS.t"/></EntityType>
<Annotations><Annotation String="x"/></Annotations>
<Term Name="t"/>
"#,
    );
    assert_eq!(
        errs,
        [
            (
                "4:22".to_string(),
                "`<Property>` needs a `Type` attribute".to_string()
            ),
            (
                "4:42".to_string(),
                "`<NavigationProperty>` needs a `Name` attribute".to_string()
            ),
            (
                "5:1".to_string(),
                "`<Annotations>` needs a `Target` attribute".to_string()
            ),
            (
                "5:14".to_string(),
                "`<Annotation>` needs a `Term` attribute".to_string()
            ),
            (
                "6:1".to_string(),
                "`<Term>` needs a `Type` attribute".to_string()
            ),
        ]
    );
    assert_eq!(
        one_error(r#"<Schema/>"#),
        (
            "1:1".to_string(),
            "`<Schema>` needs a `Namespace` attribute".to_string()
        )
    );
}

#[test]
fn bad_values_are_collected() {
    let errs = schema_errors(
        r#"<ComplexType Name="c">
<Property Name="a" Type="Edm.String" MaxLength="lots" Nullable="yes" />
<Property Name="b" Type="Edm.Decimal" Scale="-1" Precision="x" SRID="none" Unicode="maybe"/>
</ComplexType>
<EnumType Name="e"><Member Name="m" Value="one"/></EnumType>
"#,
    );
    assert_eq!(
        errs,
        [
            (
                "5:49".to_string(),
                "`lots` is not a valid `MaxLength` facet: expected `max` or a non-negative integer"
                    .to_string()
            ),
            (
                "5:65".to_string(),
                "`yes` is not a valid value for `Nullable`: expected `true` or `false`".to_string()
            ),
            (
                "6:46".to_string(),
                "`-1` is not a valid `Scale` facet: expected `variable`, `floating` or a non-negative integer"
                    .to_string()
            ),
            (
                "6:61".to_string(),
                "`x` is not a valid `Precision` facet: expected a non-negative integer".to_string()
            ),
            (
                "6:70".to_string(),
                "`none` is not a valid `SRID` facet: expected `variable` or a non-negative integer"
                    .to_string()
            ),
            (
                "6:85".to_string(),
                "`maybe` is not a valid value for `Unicode`: expected `true` or `false`"
                    .to_string()
            ),
            (
                "8:44".to_string(),
                "`one` is not a valid enumeration member `Value`: expected an integer".to_string()
            ),
        ]
    );
}

#[test]
fn entity_framework_documents_are_rejected() {
    let ef = |ns: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<Schema Namespace=\"northwind\" Alias=\"Self\" xmlns=\"{ns}\">\n<EntityType Name=\"9bad\"/></Schema>"
        )
    };
    for (ns, generation) in [
        (
            "http://schemas.microsoft.com/ado/2006/04/edm",
            "an Entity Framework CSDL v1",
        ),
        (
            "http://schemas.microsoft.com/ado/2007/05/edm",
            "an Entity Framework CSDL v1.1",
        ),
        (
            "http://schemas.microsoft.com/ado/2008/09/edm",
            "an Entity Framework CSDL v2",
        ),
        (
            "http://schemas.microsoft.com/ado/2009/11/edm",
            "an Entity Framework CSDL v3",
        ),
        (
            "http://schemas.microsoft.com/ado/2099/01/edm",
            "an Entity Framework CSDL",
        ),
    ] {
        assert_eq!(
            one_error(&ef(ns)),
            (
                "2:1".to_string(),
                format!("this is {generation} document (namespace {ns}); {SUPPORTED}")
            )
        );
    }
    assert_eq!(
        one_error(&ef("http://schemas.microsoft.com/ado/2006/04/edm")).1,
        "this is an Entity Framework CSDL v1 document (namespace http://schemas.microsoft.com/ado/2006/04/edm); only OData V4 CSDL (edmx Version 4.0 or 4.01, namespace http://docs.oasis-open.org/odata/ns/edm) is supported"
    );
}

#[test]
fn odata_v2_v3_edmx_is_rejected() {
    let v3 = r#"<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
  <edmx:DataServices m:DataServiceVersion="3.0">
    <Schema Namespace="NS" xmlns="http://schemas.microsoft.com/ado/2009/11/edm"/>
  </edmx:DataServices>
</edmx:Edmx>"#;
    assert_eq!(
        one_error(v3),
        (
            "1:1".to_string(),
            format!(
                "this is an OData V2/V3 (edmx 1.0) document (edmx Version 1.0, namespace http://schemas.microsoft.com/ado/2007/06/edmx); {SUPPORTED}"
            )
        )
    );
    let (pos, msg) = one_error(r#"<Edmx Version="3.0"><DataServices/></Edmx>"#);
    assert_eq!(pos, "1:1");
    assert!(msg.starts_with("this is an OData V2/V3 (edmx 1.0) document (edmx Version 3.0)"));
}

#[test]
fn unsupported_and_missing_edmx_version() {
    assert_eq!(
        one_error(r#"<edmx:Edmx Version="5.0" xmlns:edmx="x"/>"#),
        (
            "1:21".to_string(),
            "unsupported edmx Version `5.0`: expected 4.0 or 4.01".to_string()
        )
    );
    assert_eq!(
        one_error(r#"<edmx:Edmx xmlns:edmx="x"/>"#),
        (
            "1:1".to_string(),
            "`<edmx:Edmx>` needs a `Version` attribute".to_string()
        )
    );
}

#[test]
fn truncated_file() {
    let xml = format!(
        "{EDMX_OPEN}<EntityType Name=\"t\">\n  <Property Name=\"p\" Type=\"Edm.String\"/>\n"
    );
    assert_eq!(
        one_error(&xml),
        (
            "6:1".to_string(),
            "unexpected end of file: `<EntityType>` opened at 4:1 is not closed".to_string()
        )
    );
    assert_eq!(
        one_error("<Schema Namespace=\"N\">\n  <EntityType Name=\"t\""),
        (
            "2:3".to_string(),
            "unexpected end of file: tag is not closed with `>`".to_string()
        )
    );
}

#[test]
fn mismatched_tags() {
    assert_eq!(
        one_error("<Schema Namespace=\"N\">\n  <EntityType Name=\"t\">\n</Schema>"),
        (
            "3:1".to_string(),
            "closing tag `</Schema>` does not match `<EntityType>` opened at 2:3".to_string()
        )
    );
    // Also inside skipped subtrees.
    assert_eq!(
        one_error("<Schema Namespace=\"N\">\n<Foo><Bar></Foo></Bar></Schema>"),
        (
            "2:11".to_string(),
            "closing tag `</Foo>` does not match `<Bar>` opened at 2:6".to_string()
        )
    );
    assert_eq!(
        one_error("<Schema Namespace=\"N\"/>\n</Schema>"),
        (
            "2:1".to_string(),
            "closing tag `</Schema>` does not match any open element".to_string()
        )
    );
}

#[test]
fn bad_attribute_quoting() {
    assert_eq!(
        one_error("<Schema Namespace=\"N\">\n  <EntityType Name=t/>\n</Schema>"),
        (
            "2:20".to_string(),
            "the value of attribute `Name` is not quoted: put it between `\"` or `'`".to_string()
        )
    );
    assert_eq!(
        one_error("<Schema Namespace=\"N\">\n  <EntityType Name=\"t/>\n</Schema>"),
        (
            "2:20".to_string(),
            "unexpected end of file: attribute value is not closed with `\"`".to_string()
        )
    );
    assert_eq!(
        one_error("<Schema Namespace=\"N\">\n  <EntityType Name/>\n</Schema>"),
        (
            "2:19".to_string(),
            "expected `=` after the attribute name `Name`".to_string()
        )
    );
    let errs =
        errors(b"<Schema Namespace=\"N\">\n  <EntityType Name=\"a\" Name=\"b\"/>\n</Schema>");
    assert_eq!(
        errs,
        [("2:24".to_string(), "duplicate attribute `Name`".to_string())]
    );
    // Entity and character references and whitespace in attribute values are normalized.
    let doc = read(
        "<Schema Namespace=\"N\"><Annotation Term=\"t\" String=\"a&lt;&#65;&#x42;\tb\r\nc\"/></Schema>",
    );
    assert_eq!(
        doc.schemas[0].annotations[0]
            .value
            .as_ref()
            .unwrap()
            .as_str(),
        Some("a<AB b c")
    );
    let errs = errors(b"<Schema Namespace=\"N\" Alias=\"&#0;&#xZZ;\"/>");
    assert_eq!(
        errs[0],
        (
            "1:30".to_string(),
            "invalid character reference `&#0;`".to_string()
        )
    );
    assert_eq!(
        errs[1],
        (
            "1:34".to_string(),
            "invalid character reference `&#xZZ;`".to_string()
        )
    );
}

#[test]
fn stray_text_and_nameless_attributes() {
    assert_eq!(
        errors(b"<Schema Namespace=\"N\"/>\n  trailing text"),
        [(
            "2:3".to_string(),
            "text after the end of the root element".to_string()
        )]
    );
    assert_eq!(
        errors(b"junk\n<Schema Namespace=\"N\"/>"),
        [(
            "1:1".to_string(),
            "text before the root element".to_string()
        )]
    );
    assert_eq!(
        errors(b"<Schema Namespace=\"N\" = \"x\"/>"),
        [(
            "1:23".to_string(),
            "expected an attribute name before `=`".to_string()
        )]
    );
}

#[test]
fn unknown_root_and_after_root() {
    assert_eq!(
        one_error("<?xml version=\"1.0\"?>\n<foo/>"),
        (
            "2:1".to_string(),
            "expected an `edmx:Edmx` or `Schema` root element, found `<foo>`".to_string()
        )
    );
    assert_eq!(
        one_error("<Schema Namespace=\"N\"/>\n<Schema Namespace=\"M\"/>"),
        (
            "2:1".to_string(),
            "unexpected element `<Schema>` after the end of the root element".to_string()
        )
    );
}

#[test]
fn invalid_utf8() {
    let mut bytes = b"<Schema Namespace=\"N\">\n  <EntityType Name=\"ab".to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(b"\"/></Schema>");
    let errs = errors(&bytes);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].0, "2:23");
    assert!(
        errs[0].1.starts_with("invalid UTF-8 byte sequence"),
        "{errs:?}"
    );
    // Truncated multi-byte sequence after a BOM and multibyte chars.
    let mut bytes = b"\xEF\xBB\xBF<Schema Namespace=\"\xC3\xA9".to_vec();
    bytes.push(0xC3);
    let errs = errors(&bytes);
    assert_eq!(errs[0].0, "1:21");
}

#[test]
fn undefined_entities() {
    let errs = schema_errors(
        "<Annotations Target=\"a&foo;\"><Annotation Term=\"x\"><String>a &bar; b</String></Annotation></Annotations>\n",
    );
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].0, "4:23");
    assert!(
        errs[0].1.starts_with("undefined entity reference `&foo;`"),
        "{errs:?}"
    );
    assert_eq!(errs[1].0, "4:61");
    assert!(
        errs[1].1.starts_with("undefined entity reference `&bar;`"),
        "{errs:?}"
    );
    // A DOCTYPE never defines entities for us.
    let errs = errors(
        b"<!DOCTYPE Schema [<!ENTITY e \"x\">]>\n<Schema Namespace=\"N\"><Annotation Term=\"t\"><String>&e;</String></Annotation></Schema>",
    );
    assert_eq!(errs[0].0, "2:52");
    let (pos, msg) = one_error(
        "<Schema Namespace=\"N\">\n<Annotation Term=\"t\"><String>a & b</String></Annotation></Schema>",
    );
    assert_eq!(pos, "2:32");
    assert!(msg.contains("not closed with `;`"), "{msg}");
}

#[test]
fn empty_documents() {
    let msg = "the document is empty: expected an `edmx:Edmx` or `Schema` root element".to_string();
    assert_eq!(one_error(""), ("1:1".to_string(), msg.clone()));
    assert_eq!(one_error("\u{FEFF}"), ("1:1".to_string(), msg.clone()));
    assert_eq!(
        one_error("<?xml version=\"1.0\"?>\n<!-- nothing -->\n"),
        ("3:1".to_string(), msg)
    );
}

#[test]
fn max_depth_is_enforced() {
    let depth = 100;
    let mut xml = String::from("<Schema Namespace=\"N\"><Annotation Term=\"t\">");
    for _ in 0..depth {
        xml.push_str("<Apply>");
    }
    for _ in 0..depth {
        xml.push_str("</Apply>");
    }
    xml.push_str("</Annotation></Schema>");
    let options = ReadOptions { max_depth: 50 };
    let errs = read_document(xml.as_bytes(), "t", &options).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].pos, p(1, 44 + 7 * 48));
    assert_eq!(
        errs[0].message,
        "`<Apply>` is nested too deeply: elements may be nested at most 50 levels deep"
    );
    // Deep raw trees and deep skipped trees are fine below the limit and never recurse.
    let deep = 100_000;
    let mut xml = String::from("<Schema Namespace=\"N\"><Annotation Term=\"t\">");
    xml.push_str(&"<If>".repeat(deep));
    xml.push_str(&"</If>".repeat(deep));
    xml.push_str("</Annotation><X>");
    xml.push_str(&"<Y>".repeat(deep));
    xml.push_str(&"</Y>".repeat(deep));
    xml.push_str("</X></Schema>");
    let options = ReadOptions {
        max_depth: deep + 10,
    };
    let doc = read_document(xml.as_bytes(), "t", &options).unwrap();
    // Dropping a deep raw tree recurses in the derived Drop; keep it alive but flatten it first.
    let mut doc = doc;
    let mut stack: Vec<RawElement> = Vec::new();
    if let Some(Expr::Dynamic(raw)) = doc.schemas[0].annotations[0].value.take() {
        stack.push(*raw);
    }
    let mut levels = 0;
    while let Some(mut raw) = stack.pop() {
        levels += 1;
        stack.append(&mut raw.children);
    }
    assert_eq!(levels, deep);
}

#[test]
fn never_panics_on_garbage() {
    let samples: &[&[u8]] = &[
        b"<",
        b"<<<<",
        b"</",
        b"<Schema",
        b"<Schema Namespace=",
        b"<Schema Namespace='N'><",
        b"<Schema Namespace='N'></",
        b"<Schema Namespace='N'><!-",
        b"<Schema Namespace='N'><![CDATA[",
        b"<Schema Namespace='N'><?",
        b"<!DOCTYPE",
        b"&amp;",
        b"text",
        b"<Schema Namespace='N'>&#xFFFFFFFF;</Schema>",
        b"<Schema Namespace='N'><Annotation Term='t'><String>&#0;</String></Annotation></Schema>",
        b"<a:b:c/>",
        b"<:Schema/>",
        b"<Schema:/>",
    ];
    for s in samples {
        let r = read_document(s, "t", &ReadOptions::default());
        assert!(r.is_err(), "{:?}", String::from_utf8_lossy(s));
    }
}

#[test]
fn northwind_fixture_like_ef_is_rejected_with_one_error() {
    let Some(corpus) = corpus_dir() else { return };
    let path = corpus.join("odata/odata-net/Northwind.v2-ado2006.csdl");
    let bytes = std::fs::read(&path).unwrap();
    let errs = read_document(&bytes, "northwind", &ReadOptions::default()).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].pos, p(2, 1));
    assert_eq!(
        errs[0].message,
        format!(
            "this is an Entity Framework CSDL v1 document (namespace http://schemas.microsoft.com/ado/2006/04/edm); {SUPPORTED}"
        )
    );
}

fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = match std::env::var_os("ODATA_CORPUS") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipping corpus test: {} is not a directory (set ODATA_CORPUS)",
            dir.display()
        );
        None
    }
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("csdl" | "xml")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn corpus_reads_without_errors() {
    let Some(corpus) = corpus_dir() else { return };
    let mut files = Vec::new();
    collect(&corpus.join("graph"), &mut files);
    collect(&corpus.join("odata"), &mut files);
    files.sort();
    assert!(!files.is_empty());
    let mut total = Counts::default();
    for path in files {
        if path
            .file_name()
            .is_some_and(|n| n == "Northwind.v2-ado2006.csdl")
        {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let doc = match read_document(&bytes, &path.display().to_string(), &ReadOptions::default())
        {
            Ok(doc) => doc,
            Err(errors) => panic!("{}: {:#?}", path.display(), &errors[..errors.len().min(10)]),
        };
        assert!(!doc.schemas.is_empty(), "{}", path.display());
        total.schemas += doc.schemas.len();
        total.annotations += doc.annotation_count;
        for s in &doc.schemas {
            total.entity_types += s.entity_types.len();
            total.complex_types += s.complex_types.len();
        }
        // The annotation count matches a plain text count of `<Annotation ` / `<Annotation>`.
        let text = String::from_utf8_lossy(&bytes);
        let expected = text.matches("<Annotation ").count() + text.matches("<Annotation>").count();
        assert_eq!(doc.annotation_count, expected, "{}", path.display());
    }
    assert!(total.entity_types > 1000, "{total:?}");
}

#[test]
fn graph_v1_counts() {
    let Some(corpus) = corpus_dir() else { return };
    let bytes = std::fs::read(corpus.join("graph/v1.0-Prod.csdl")).unwrap();
    let doc = read_document(&bytes, "v1.0", &ReadOptions::default()).unwrap();
    assert_eq!(doc.version.as_deref(), Some("4.0"));
    assert_eq!(doc.schemas.len(), 11);
    let entity_types: usize = doc.schemas.iter().map(|s| s.entity_types.len()).sum();
    let blocks: usize = doc.schemas.iter().map(|s| s.annotation_blocks.len()).sum();
    assert!((1100..1300).contains(&entity_types), "{entity_types}");
    assert!(blocks > 4000, "{blocks}");
    let graph = doc
        .schemas
        .iter()
        .find(|s| s.namespace == "microsoft.graph")
        .unwrap();
    assert_eq!(graph.alias.as_deref(), Some("graph"));
    assert_eq!(graph.pos, p(4, 5));
    assert_eq!(graph.enum_types[0].name, "accessEntityType");
    assert_eq!(graph.enum_types[0].pos, p(5, 7));
    assert_eq!(graph.enum_types[0].members[0].value, Some(0));
}

fn check_cursor(text: &str, steps: &[usize]) {
    let bytes = text.as_bytes();
    // Naive positions of every char boundary, computed in one pass.
    let mut naive = Vec::with_capacity(text.len() + 1);
    let (mut line, mut col) = (1u32, 1u32);
    for (i, c) in text.char_indices() {
        while naive.len() < i {
            naive.push(None);
        }
        naive.push(Some(p(line, col)));
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    naive.push(Some(p(line, col)));
    let offsets: Vec<usize> = (0..=text.len())
        .filter(|&o| text.is_char_boundary(o))
        .collect();
    for &step in steps {
        let mut cursor = Cursor::new();
        for &o in offsets.iter().step_by(step) {
            assert_eq!(
                Some(cursor.pos_at(bytes, o)),
                naive[o],
                "forward {o} step {step}"
            );
        }
        for &o in offsets.iter().rev().step_by(step) {
            assert_eq!(
                Some(cursor.pos_at(bytes, o)),
                naive[o],
                "backward {o} step {step}"
            );
        }
        // Jumping to the end, back to the start and forward again.
        assert_eq!(Some(cursor.pos_at(bytes, text.len())), naive[text.len()]);
        assert_eq!(Some(cursor.pos_at(bytes, 0)), naive[0]);
        assert_eq!(Some(cursor.pos_at(bytes, text.len())), naive[text.len()]);
    }
}

#[test]
fn cursor_matches_a_naive_count() {
    let text = "ab\nc\u{e9}\u{1F600}d\r\n\n\t\u{540d}\u{524d}xxxxxxxxxxxxxxxxxxxxxxx\nyyyyyyyyyyyyyyyyyyyy\u{e9}\u{e9}\u{e9}zz\n\nlast line";
    check_cursor(text, &[1, 3, 7, 13, 40]);
    // Long texts: long lines, empty lines, multibyte characters, a stride of 64-byte words and
    // of 4 KiB blocks.
    const BLOCK: usize = 4096;
    let mut long = String::new();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    while long.len() < 5 * BLOCK {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        match seed % 11 {
            0 => long.push('\n'),
            1 => long.push('\u{e9}'),
            2 => long.push('\u{1F600}'),
            3 => long.push_str(&"x".repeat((seed >> 40) as usize % 300)),
            4 => long.push_str("\n\n\n"),
            _ => long.push_str("<Property Name=\"a\"/>"),
        }
    }
    check_cursor(&long, &[1, 5, 63, 64, 65, 700, BLOCK, BLOCK + 1, 3 * BLOCK]);
    let ascii: String = (0..3 * BLOCK)
        .map(|i| if i % 97 == 0 { '\n' } else { 'a' })
        .collect();
    check_cursor(&ascii, &[1, 64, BLOCK - 1, BLOCK]);
}

#[test]
fn scan_value_finds_quote_and_specials() {
    for len in 0usize..40 {
        for special_at in [None, Some(0), Some(len / 2), Some(len.saturating_sub(1))] {
            let mut v = vec![b'x'; len];
            if let Some(i) = special_at
                && i < len
            {
                v[i] = b'&';
            }
            let mut buf = b"K=\"".to_vec();
            buf.extend_from_slice(&v);
            buf.extend_from_slice(b"\" rest'\"");
            let (end, special) = scan_value(&buf, 3, b'"');
            assert_eq!(end, Some(3 + len));
            assert_eq!(
                special,
                special_at.is_some_and(|i| i < len),
                "{len} {special_at:?}"
            );
            let (end, special) = scan_value(&buf[..3 + len], 3, b'"');
            assert_eq!(end, None);
            let _ = special;
        }
    }
    assert_eq!(scan_value(b"a\tb'", 0, b'\''), (Some(3), true));
    assert_eq!(
        scan_value(b"abcdefgh\nijklmnop'", 0, b'\''),
        (Some(17), true)
    );
    assert_eq!(
        scan_value(b"abcdefghijklmnop\"q'", 0, b'\''),
        (Some(18), false)
    );
}

#[test]
fn v3_leftovers_in_v4_documents_are_skipped() {
    // NorthwindLinqToSqlMetadata.csdl: a V4 wrapper around V3-style navigation properties and
    // function imports, and `True` booleans.
    let doc = schema(
        r#"<EntityType Name="t">
  <NavigationProperty Name="p" Relationship="NS.t_p" FromRole="t" ToRole="p" />
  <NavigationProperty Name="q" Type="NS.t" />
</EntityType>
<Function Name="f" IsBound="True" IsComposable="FALSE"><ReturnType Type="Edm.Int32"/></Function>
<EntityContainer Name="c">
  <FunctionImport Name="old" ReturnType="Edm.Int32" d:HttpMethod="GET" />
  <FunctionImport Name="old2"><Parameter Name="x" Type="Edm.Int32" Mode="In" /></FunctionImport>
  <FunctionImport Name="new" Function="NS.f" />
</EntityContainer>"#,
    );
    let s = &doc.schemas[0];
    let navs: Vec<&str> = s.entity_types[0]
        .navigation_properties
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(navs, ["q"]);
    assert!(s.functions[0].is_bound && !s.functions[0].is_composable);
    let imports: Vec<&str> = s.entity_containers[0]
        .function_imports
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(imports, ["new"]);
    // Without any V3 marker a missing `Function` is still an error.
    assert_eq!(
        schema_errors(r#"<EntityContainer Name="c"><FunctionImport Name="x"/></EntityContainer>"#),
        [(
            "4:27".to_string(),
            "`<FunctionImport>` needs a `Function` attribute".to_string()
        )]
    );
}

const SAMPLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="http://x/Core.xml"><edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/></edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="ODataDemo" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Product" HasStream="true">
        <Key><PropertyRef Name="ID"/></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Description" Type="Edm.String"><Annotation Term="Core.IsLanguageDependent"/></Property>
        <Property Name="Price" Type="Edm.Decimal" Scale="variable"/>
        <NavigationProperty Name="Category" Type="ODataDemo.Category" Nullable="false" Partner="Products">
          <ReferentialConstraint Property="CategoryID" ReferencedProperty="ID"/>
          <OnDelete Action="Cascade"/>
        </NavigationProperty>
      </EntityType>
      <EnumType Name="Kind"><Member Name="A" Value="1"/><Member Name="B"/></EnumType>
      <Function Name="ProductsByRating"><Parameter Name="Rating" Type="Edm.Int32"/><ReturnType Type="Collection(ODataDemo.Product)"/></Function>
      <EntityContainer Name="DemoService">
        <EntitySet Name="Products" EntityType="ODataDemo.Product"><NavigationPropertyBinding Path="Category" Target="Categories"/></EntitySet>
        <FunctionImport Name="ProductsByRating" Function="ODataDemo.ProductsByRating" EntitySet="Products"/>
      </EntityContainer>
      <Annotations Target="ODataDemo.Product">
        <Annotation Term="Core.Description">
          <Record><PropertyValue Property="X"><Collection><String>a &amp; b</String><Apply Function="f"><Path>p</Path></Apply></Collection></PropertyValue></Record>
        </Annotation>
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

#[test]
fn sample_reads_and_every_truncation_fails_cleanly() {
    let doc = read(SAMPLE);
    assert_eq!(doc.annotation_count, 2);
    let lines = SAMPLE.lines().count() as u32 + 1;
    let trimmed = SAMPLE.trim_end().len();
    for cut in 0..trimmed {
        if !SAMPLE.is_char_boundary(cut) {
            continue;
        }
        let errs = read_document(&SAMPLE.as_bytes()[..cut], "t", &ReadOptions::default())
            .expect_err("a truncated document must not read");
        for e in &errs {
            assert!(
                e.pos.line >= 1 && e.pos.line <= lines && e.pos.col >= 1,
                "{cut}: {e:?}"
            );
        }
    }
}

#[test]
fn byte_mutations_never_panic() {
    let bytes = SAMPLE.as_bytes();
    let specials = [
        b'<', b'>', b'"', b'\'', b'&', b'/', b'=', b' ', 0xFF, b':', b'!', b'?',
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..3000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut m = bytes.to_vec();
        let at = (seed as usize) % m.len();
        m[at] = specials[(seed >> 32) as usize % specials.len()];
        let _ = read_document(&m, "t", &ReadOptions::default());
    }
}
