//! The corpus, hostile and mutated input, and the position and attribute scans.

use super::*;

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
                e.pos().unwrap_or_default().line >= 1
                    && e.pos().unwrap_or_default().line <= lines
                    && e.pos().unwrap_or_default().col >= 1,
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
