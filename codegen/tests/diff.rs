//! `diff`: one pair of fixture documents per concept (`fixtures/diff/NAME.old.xml` and
//! `NAME.new.xml`) with snapshots of the text and JSON reports, the real history of
//! `remoteAssistanceSettings`, and corpus pairs.

mod common;

use std::path::Path;

use odata_codegen::config::Overlay;
use odata_codegen::diff::{self, Class, Kind, Report, render};
use odata_codegen::model::{Model, NoReferences, load_model};
use odata_codegen::select::SelectOptions;

fn fixture(name: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    load_model(name, &bytes, &mut NoReferences).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn all() -> SelectOptions<'static> {
    SelectOptions {
        all: true,
        ..SelectOptions::default()
    }
}

fn report(old: &str, new: &str, options: &SelectOptions<'_>) -> Report {
    diff::diff_models(&fixture(old), options, &fixture(new), options)
}

/// The text and JSON reports of a concept's pair, and the same pair the other way round (what
/// one direction adds, the other removes).
macro_rules! concept {
    ($name:ident) => {
        #[test]
        fn $name() {
            let name = stringify!($name);
            let (old, new) = (format!("{name}.old.xml"), format!("{name}.new.xml"));
            let forward = report(&old, &new, &all());
            insta::assert_snapshot!(format!("{name}_text"), render::text(&forward));
            insta::assert_snapshot!(format!("{name}_json"), render::json(&forward));
            let back = report(&new, &old, &all());
            insta::assert_snapshot!(format!("{name}_back_text"), render::text(&back));
            assert!(report(&new, &new, &all()).is_empty());
        }
    };
}

concept!(types);
concept!(properties);
concept!(navigation);
concept!(enums);
concept!(operations);
concept!(requests);
concept!(deprecations);
concept!(polymorphism);

/// Every kind comes up in the fixtures, and each rule that gives one kind either class.
#[test]
fn the_fixtures_cover_every_kind_and_class() {
    let mut seen = std::collections::BTreeSet::new();
    let mut classes = std::collections::BTreeSet::new();
    for name in [
        "types",
        "properties",
        "navigation",
        "enums",
        "operations",
        "requests",
        "deprecations",
        "polymorphism",
    ] {
        let (old, new) = (format!("{name}.old.xml"), format!("{name}.new.xml"));
        for r in [report(&old, &new, &all()), report(&new, &old, &all())] {
            for c in r.changes {
                seen.insert(c.kind);
                classes.insert((c.kind, c.class));
            }
        }
    }
    use Kind::*;
    // a Rust name changes only when the naming stage resolves a new collision
    let every = Kind::ALL.iter().filter(|k| **k != RenamedInRust);
    let missing: Vec<&Kind> = every.filter(|k| !seen.contains(k)).collect();
    assert!(missing.is_empty(), "no fixture shows {missing:?}");
    // the rules that give one kind either class
    for (kind, class) in [
        (PropertyTypeChanged, Class::Breaking),
        (PropertyTypeChanged, Class::DocsOnly),
        (PropertyNullableChanged, Class::Breaking),
        (PropertyNullableChanged, Class::DocsOnly),
        (UnderlyingTypeChanged, Class::Breaking),
        (UnderlyingTypeChanged, Class::DocsOnly),
        (ParameterAdded, Class::Breaking),
        (ParameterAdded, Class::Additive),
        (ParameterNullableChanged, Class::Breaking),
        (ParameterNullableChanged, Class::DocsOnly),
    ] {
        assert!(
            classes.contains(&(kind, class)),
            "no fixture shows {kind:?} as {class:?}"
        );
    }
}

/// The history of `/deviceManagement/remoteAssistanceSettings`, step by step, selected as
/// `metadata/codegen.toml` selects it.
#[test]
fn remote_assistance_history() {
    let paths = ["/deviceManagement/remoteAssistanceSettings".to_string()];
    let options = SelectOptions {
        include_paths: &paths,
        ..SelectOptions::default()
    };
    let steps = [
        "history/1-before-2022.xml",
        "history/2-2022-07-27.xml",
        "history/3-current.xml",
        "history/4-nullable.xml",
    ];
    let mut text = String::new();
    let mut found = Vec::new();
    for pair in steps.windows(2) {
        let r = report(pair[0], pair[1], &options);
        text.push_str(&format!(
            "## {} -> {}\n{}\n",
            pair[0],
            pair[1],
            render::text(&r)
        ));
        found.push(
            r.changes
                .iter()
                .map(|c| (c.kind, c.class, c.rust.join(" ")))
                .collect::<Vec<_>>(),
        );
    }
    insta::assert_snapshot!("remote_assistance_history", text);
    // removing `notConfigured` breaks code that names the variant
    assert_eq!(
        found[0],
        [(
            Kind::MemberRemoved,
            Class::Breaking,
            "models::RemoteAssistanceState::NotConfigured".to_string()
        )]
    );
    // `blockChat` is a new field: additive
    assert_eq!(
        found[1],
        [(
            Kind::PropertyAdded,
            Class::Additive,
            "models::RemoteAssistanceSettings::block_chat".to_string()
        )]
    );
    // `Option<bool>` becomes `Nullable<bool>`
    assert_eq!(found[2].len(), 1);
    assert_eq!(
        (found[2][0].0, found[2][0].1),
        (Kind::PropertyNullableChanged, Class::Breaking)
    );
}

/// The checked-in metadata against the document of 2022 in the corpus: `blockChat` is the one
/// change of the selected part.
#[test]
fn checked_in_metadata_against_the_2022_corpus_document() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let load = |path: &Path| {
        let bytes = std::fs::read(path).expect("read");
        load_model(&path.display().to_string(), &bytes, &mut NoReferences).expect("valid")
    };
    let old = load(&corpus.join("graph/beta-Mooncake-2022-07-27.csdl"));
    let new = load(&common::workspace().join("metadata/graph-beta.csdl"));
    let paths = ["/deviceManagement/remoteAssistanceSettings".to_string()];
    let overlay = Overlay::default();
    let options = SelectOptions {
        include_paths: &paths,
        overlay: Some(&overlay),
        ..SelectOptions::default()
    };
    let r = diff::diff_models(&old, &options, &new, &options);
    let rust: Vec<&str> = r.changes.iter().map(|c| c.rust[0].as_str()).collect();
    assert_eq!(rust, ["models::RemoteAssistanceSettings::block_chat"]);
    assert!(!r.has_breaking());
}

/// Whole corpus documents: a document against itself reports nothing; the beta documents
/// against each other give the same report every time.
#[test]
fn corpus_pairs() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let load = |name: &str| {
        let path = corpus.join("graph").join(name);
        let bytes = std::fs::read(&path).expect("read");
        load_model(name, &bytes, &mut NoReferences).expect("valid")
    };
    let v1 = load("v1.0-Prod.csdl");
    assert_eq!(
        diff::diff_models(&v1, &all(), &v1, &all()),
        Report::default()
    );
    let usnat = load("beta-USNat.csdl");
    let mooncake = load("beta-Mooncake-2022-07-27.csdl");
    let first = diff::diff_models(&mooncake, &all(), &usnat, &all());
    assert!(!first.is_empty());
    let again = diff::diff_models(&mooncake, &all(), &usnat, &all());
    assert_eq!(render::json(&first), render::json(&again));
    // what one direction adds, the other removes
    let back = diff::diff_models(&usnat, &all(), &mooncake, &all());
    // (the area of an element may differ between the sides, so the order may)
    let elements = |r: &Report, kind: Kind| -> std::collections::BTreeSet<String> {
        r.changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.element.clone())
            .collect()
    };
    assert_eq!(
        elements(&first, Kind::TypeAdded),
        elements(&back, Kind::TypeRemoved)
    );
    assert_eq!(
        elements(&first, Kind::PropertyRemoved),
        elements(&back, Kind::PropertyAdded)
    );
}
