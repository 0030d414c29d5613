//! The CSDL reader through the public API, and a timing comparison with a bare quick-xml loop.
//!
//! Timing (release build, prints the ratio):
//! `cargo test --release -p odata-codegen --test reader -- --ignored --nocapture`

mod common;

use std::time::Instant;

use common::corpus;
use odata_codegen::syntax::{ReadOptions, read_document};

#[test]
fn reads_a_small_document_through_the_public_api() {
    let xml = br#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="NS" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="user"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String"/></EntityType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
    let doc = read_document(xml, "user.csdl", &ReadOptions::default()).unwrap();
    assert_eq!(doc.schemas[0].entity_types[0].name, "user");
    assert_eq!(doc.schemas[0].entity_types[0].pos.to_string(), "4:7");
}

#[test]
fn reports_every_non_fatal_error_with_file_line_and_column() {
    let xml = br#"<Schema Namespace="NS">
  <EntityType Name="9lives"><Property Name="p" Type="Edm.String" MaxLength="big"/></EntityType>
  <EnumType Name="e"><Member Name="m" Value="x"/></EnumType>
</Schema>"#;
    let errors = read_document(xml, "bad.csdl", &ReadOptions::default()).unwrap_err();
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "bad.csdl:2:3: error: `9lives` is not a valid CSDL name: a name starts with a letter or underscore, then letters, digits, underscores, combining marks or connector punctuation (at most 128 characters)",
            "bad.csdl:2:77: error: `big` is not a valid `MaxLength` facet: expected `max` or a non-negative integer",
            "bad.csdl:3:46: error: `x` is not a valid enumeration member `Value`: expected an integer",
        ]
    );
}

#[test]
fn rejects_the_entity_framework_northwind() {
    let Some(corpus) = corpus() else { return };
    let bytes = std::fs::read(corpus.join("odata/odata-net/Northwind.v2-ado2006.csdl")).unwrap();
    let errors = read_document(&bytes, "northwind.csdl", &ReadOptions::default()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "northwind.csdl:2:1: error: this is an Entity Framework CSDL v1 document (namespace http://schemas.microsoft.com/ado/2006/04/edm); only OData V4 CSDL (edmx Version 4.0 or 4.01, namespace http://docs.oasis-open.org/odata/ns/edm) is supported"
    );
}

fn bare_loop(text: &str) -> usize {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => return events,
            Ok(_) => events += 1,
        }
    }
}

fn best_of(runs: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(f());
        best = best.min(start.elapsed().as_secs_f64());
    }
    best
}

#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn read_speed_compared_with_a_bare_event_loop() {
    let Some(corpus) = corpus() else { return };
    let bytes = std::fs::read(corpus.join("graph/v1.0-Prod.csdl")).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let options = ReadOptions::default();
    let runs = 30;
    let bare = best_of(runs, || bare_loop(text));
    let read = best_of(runs, || {
        read_document(&bytes, "v1.0", &options)
            .unwrap()
            .annotation_count
    });
    let mut kept = Vec::new();
    let read_no_drop = best_of(runs, || {
        let doc = read_document(&bytes, "v1.0", &options).unwrap();
        let n = doc.annotation_count;
        kept.push(doc);
        n
    });
    println!(
        "v1.0-Prod.csdl ({} bytes), best of {runs}: bare quick-xml loop {:.2} ms, read_document {:.2} ms ({:.2}x), without dropping the Document {:.2} ms ({:.2}x)",
        bytes.len(),
        bare * 1e3,
        read * 1e3,
        read / bare,
        read_no_drop * 1e3,
        read_no_drop / bare,
    );
}
