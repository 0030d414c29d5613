//! Invalid CSDL: every file in `tests/fixtures/invalid/` must fail to load with exactly the
//! diagnostics of its sibling `.expected` file (`FILE:LINE:COL: error: message`, one a line, FILE
//! being the fixture's file name), in the order `load_model` reports them.
//!
//! Lenient CSDL: every file in `tests/fixtures/lenient/` (what real documents do that CSDL does not
//! allow, or that it allows and that once was rejected) must load, with exactly the warnings of its
//! `.expected` file (empty when none).
//!
//! `UPDATE_EXPECTED=1 cargo test -p odata-codegen --test invalid` rewrites the `.expected` files;
//! read every one before committing it: the line and column must point at the culprit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use odata_codegen::model::{LoadedSource, SourceLoader, load_model};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid")
}

fn lenient_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lenient")
}

/// Resolves references to the other fixtures of the folder (`Uri="sibling.xml"`); anything else is
/// unavailable, as an absolute URL is for the command line.
struct Siblings(BTreeMap<String, Vec<u8>>);

impl SourceLoader for Siblings {
    fn load(&mut self, uri: &str, _from: &str) -> Result<LoadedSource, String> {
        match self.0.get(uri) {
            Some(bytes) if !uri.contains('/') => Ok(LoadedSource {
                name: uri.to_string(),
                bytes: bytes.clone(),
            }),
            _ => Err("not a fixture of this folder".to_string()),
        }
    }
}

/// Fixture file name -> bytes, for every `.xml` and `.csdl` file of the folder.
fn fixtures() -> BTreeMap<String, Vec<u8>> {
    fixtures_in(&fixture_dir())
}

fn fixtures_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.ends_with(".xml") || name.ends_with(".csdl") {
            out.insert(name.to_string(), std::fs::read(&path).expect("fixture"));
        }
    }
    out
}

fn expected_path(name: &str) -> PathBuf {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    fixture_dir().join(format!("{stem}.expected"))
}

/// The diagnostics of one fixture, as `load_model` prints them.
fn diagnostics(name: &str, bytes: &[u8], all: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut loader = Siblings(all.clone());
    match load_model(name, bytes, &mut loader) {
        Ok(model) => vec![format!(
            "<{name} loads; warnings: {:?}>",
            model
                .warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        )],
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

/// Fixtures that only serve as referenced documents of another fixture: they load on their own.
fn is_helper(name: &str) -> bool {
    name.starts_with("helper_")
}

#[test]
fn every_invalid_fixture_gives_its_expected_diagnostics() {
    let all = fixtures();
    assert!(all.len() >= 20, "fixtures missing: {:?}", all.keys());
    let mut failures = Vec::new();
    for (name, bytes) in &all {
        if is_helper(name) {
            continue;
        }
        let actual = diagnostics(name, bytes, &all);
        compare_expected(name, &expected_path(name), &actual, &mut failures);
    }
    assert_no_differences(&failures);
}

/// Compares `actual` with the lines of the `.expected` file at `path`, or rewrites the file when
/// `UPDATE_EXPECTED` is set; a difference is added to `failures`.
fn compare_expected(name: &str, path: &Path, actual: &[String], failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        let text: String = actual.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(path, text).expect("write expected");
        return;
    }
    let expected: Vec<String> = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect();
    if actual != expected {
        failures.push(format!(
            "{name}:\n  expected:\n    {}\n  actual:\n    {}",
            expected.join("\n    "),
            actual.join("\n    ")
        ));
    }
}

fn assert_no_differences(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ (UPDATE_EXPECTED=1 rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_fails_with_errors_only_where_they_are_located() {
    let all = fixtures();
    for (name, bytes) in &all {
        if is_helper(name) {
            continue;
        }
        let mut loader = Siblings(all.clone());
        let errors = match load_model(name, bytes, &mut loader) {
            Ok(_) => panic!("{name} loads, but it is an invalid fixture"),
            Err(errors) => errors,
        };
        assert!(errors.iter().any(|d| d.is_error()), "{name}: no error");
        // every diagnostic points into a file of the folder, at a line that exists
        for d in &errors {
            let at = d
                .location
                .as_ref()
                .unwrap_or_else(|| panic!("{name}: {d} has no location"));
            let file = all
                .get(&at.file)
                .unwrap_or_else(|| panic!("{name}: {d} names no fixture"));
            let lines = file.split(|b| *b == b'\n').count();
            assert!(
                at.pos.line >= 1 && at.pos.line as usize <= lines && at.pos.col >= 1,
                "{name}: {d} is outside its file ({lines} lines)"
            );
        }
    }
}

#[test]
fn every_expected_file_has_its_fixture() {
    let all = fixtures();
    for entry in std::fs::read_dir(fixture_dir()).expect("fixture folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "expected") {
            let stem = path.file_stem().and_then(|s| s.to_str()).expect("stem");
            assert!(
                all.contains_key(&format!("{stem}.xml"))
                    || all.contains_key(&format!("{stem}.csdl")),
                "{} has no fixture",
                path.display()
            );
        }
    }
}

/// A third declaration of a container child or an enum member names the first one as "already
/// declared", as the schema-level duplicates do.
#[test]
fn a_third_duplicate_names_the_first_declaration() {
    let text = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="test.invalid" Alias="t" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="a"><Key><PropertyRef Name="id" /></Key><Property Name="id" Type="Edm.String" Nullable="false" /></EntityType>
      <EntityContainer Name="container">
        <EntitySet Name="things" EntityType="t.a" />
        <Singleton Name="things" Type="t.a" />
        <Singleton Name="things" Type="t.a" />
      </EntityContainer>
      <EnumType Name="e"><Member Name="x" /><Member Name="x" /><Member Name="x" /></EnumType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;
    let errors = load_model(
        "dup.xml",
        text.as_bytes(),
        &mut odata_codegen::model::NoReferences,
    )
    .expect_err("duplicates");
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "dup.xml:7:9: error: duplicate name `things` in entity container `container`: already declared at 6:9",
            "dup.xml:8:9: error: duplicate name `things` in entity container `container`: already declared at 6:9",
            "dup.xml:10:45: error: duplicate member `x` in enum type `e`: already declared at 10:26",
            "dup.xml:10:64: error: duplicate member `x` in enum type `e`: already declared at 10:26",
        ]
    );
}

/// Lenient fixtures load, each with exactly the warnings of its `.expected` file, and every
/// warning is located in the fixture.
#[test]
fn every_lenient_fixture_loads_with_its_expected_warnings() {
    let all = fixtures_in(&lenient_dir());
    assert!(all.len() >= 3, "fixtures missing: {:?}", all.keys());
    let mut failures = Vec::new();
    for (name, bytes) in &all {
        let mut loader = Siblings(all.clone());
        let model = load_model(name, bytes, &mut loader).unwrap_or_else(|errors| {
            panic!(
                "{name} does not load:\n{}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        let lines = bytes.split(|b| *b == b'\n').count();
        for w in &model.warnings {
            assert!(!w.is_error(), "{name}: {w}");
            assert!(
                w.location.as_ref().is_some_and(|at| at.file == *name
                    && at.pos.line >= 1
                    && at.pos.line as usize <= lines
                    && at.pos.col >= 1),
                "{name}: {w} is outside its file"
            );
        }
        let actual: Vec<String> = model.warnings.iter().map(ToString::to_string).collect();
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let path = lenient_dir().join(format!("{stem}.expected"));
        compare_expected(name, &path, &actual, &mut failures);
    }
    assert_no_differences(&failures);
}
