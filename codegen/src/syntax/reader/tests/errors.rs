//! What the reader reports, and where.

use super::*;

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
    assert_eq!(errs[0].pos(), Some(p(1, 44 + 7 * 48)));
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
    assert_eq!(errs[0].pos(), Some(p(2, 1)));
    assert_eq!(
        errs[0].message,
        format!(
            "this is an Entity Framework CSDL v1 document (namespace http://schemas.microsoft.com/ado/2006/04/edm); {SUPPORTED}"
        )
    );
}
