//! The `odata-codegen` command line: `inspect` and `generate`, run as a process.

mod common;

use common::{corpus, corpus_documents};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_odata-codegen");

/// A fresh folder under the system temp folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "odata-codegen-cli-{}-{n}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run odata-codegen")
}

fn inspect(path: &Path) -> Output {
    run(&["inspect", "--metadata", path.to_str().unwrap()])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// The `inspect` output for these counts, in the contract's order.
fn counts(c: [usize; 11]) -> String {
    let names = [
        "schemas",
        "entity_types",
        "complex_types",
        "enum_types",
        "type_definitions",
        "terms",
        "actions",
        "functions",
        "entity_sets",
        "singletons",
        "annotations",
    ];
    names
        .iter()
        .zip(c)
        .map(|(name, n)| format!("{name}: {n}\n"))
        .collect()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const EDMX_HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
"#;

/// One of everything, and three annotations.
const SMALL: &str = r#"  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core" />
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Test.Ns" Alias="self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="color">
        <Member Name="red" Value="1" />
        <Member Name="blue" Value="2" />
      </EnumType>
      <TypeDefinition Name="label" UnderlyingType="Edm.String" />
      <ComplexType Name="address">
        <Property Name="city" Type="Edm.String" />
      </ComplexType>
      <EntityType Name="item">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="color" Type="self.color" />
        <Property Name="label" Type="self.label" />
        <Property Name="address" Type="self.address">
          <Annotation Term="Core.Description" String="Where it is." />
        </Property>
      </EntityType>
      <Term Name="note" Type="Edm.String" />
      <Action Name="reset" IsBound="true">
        <Parameter Name="bindingParameter" Type="self.item" />
      </Action>
      <Function Name="total" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(self.item)" />
        <ReturnType Type="Edm.Int32" />
      </Function>
      <EntityContainer Name="Service">
        <EntitySet Name="items" EntityType="self.item" />
        <Singleton Name="featured" Type="self.item" />
      </EntityContainer>
      <Annotations Target="self.item">
        <Annotation Term="Core.Description" String="An item." />
        <Annotation Term="self.note" String="hello" />
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

#[test]
fn inspect_prints_counts() {
    let dir = TempDir::new("counts");
    let path = dir.write("small.csdl", &format!("{EDMX_HEAD}{SMALL}"));
    let o = inspect(&path);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), counts([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3]));
}

#[test]
fn inspect_reports_malformed_input_with_its_location() {
    let dir = TempDir::new("malformed");
    let path = dir.write(
        "bad.xml",
        &format!(
            "{EDMX_HEAD}  <edmx:DataServices>\n    <Schema Namespace=\"X\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n      <EntityType Name=\"a\">\n    </Schema>\n"
        ),
    );
    let o = inspect(&path);
    assert_exit(&o, 1);
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    let expected = format!("{}:6:5: error: ", path.display());
    assert!(
        stderr(&o).contains(&expected),
        "expected `{expected}` in:\n{}",
        stderr(&o)
    );
}

/// What is lenient warns and exits 0; what is strict fails with exit 1; both located.
#[test]
fn inspect_warns_on_lenient_input_and_fails_on_strict_errors() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let lenient = fixtures.join("lenient/property_names.xml");
    let o = inspect(&lenient);
    assert_exit(&o, 0);
    let warning = format!(
        "{}:8:9: warning: property name `request-id` is not a CSDL SimpleIdentifier",
        lenient.display()
    );
    assert!(stderr(&o).contains(&warning), "{}", stderr(&o));
    let lenient = fixtures.join("lenient/unqualified_primitives.xml");
    let o = inspect(&lenient);
    assert_exit(&o, 0);
    assert!(
        stderr(&o).contains("warning: type `Int32` is not qualified: it is read as `Edm.Int32`"),
        "{}",
        stderr(&o)
    );
    for (name, at) in [
        ("semantic_two_keys.xml", "11:9"),
        ("semantic_malformed_annotation_target.xml", "10:28"),
    ] {
        let strict = fixtures.join("invalid").join(name);
        let o = inspect(&strict);
        assert_exit(&o, 1);
        let error = format!("{}:{at}: error: ", strict.display());
        assert!(stderr(&o).contains(&error), "{}", stderr(&o));
    }
}

#[test]
fn inspect_of_a_missing_or_unreadable_file_fails_clearly() {
    let dir = TempDir::new("missing");
    let path = dir.0.join("nope.csdl");
    let o = inspect(&path);
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains("cannot read metadata file"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(&path.display().to_string()),
        "{}",
        stderr(&o)
    );

    let o = inspect(&dir.0);
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains(&dir.0.display().to_string()),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2_and_help_describes_the_commands() {
    assert_exit(&run(&["inspect"]), 2);
    assert_exit(&run(&["frobnicate"]), 2);
    let help = run(&["--help"]);
    assert_exit(&help, 0);
    for word in ["inspect", "generate"] {
        assert!(stdout(&help).contains(word), "{}", stdout(&help));
    }
    let help = run(&["generate", "--help"]);
    assert_exit(&help, 0);
    for flag in [
        "--metadata",
        "--include-path",
        "--include-type",
        "--all",
        "--overlay",
        "--out",
        "--crate-name",
        "--api-version",
        "--force",
    ] {
        assert!(
            stdout(&help).contains(flag),
            "{flag} missing from:\n{}",
            stdout(&help)
        );
    }
}

const MAIN_WITH_REFERENCE: &str = r#"  <edmx:Reference Uri="sub/other.xml">
    <edmx:Include Namespace="Other.Ns" Alias="other" />
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Main.Ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="extra" Type="other.extra" />
      </EntityType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// References its referrer back, by a path through `..`: loaded once.
const OTHER: &str = r#"  <edmx:Reference Uri="../main.xml">
    <edmx:Include Namespace="Main.Ns" />
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Other.Ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="extra">
        <Property Name="note" Type="Edm.String" />
      </ComplexType>
      <EnumType Name="level">
        <Member Name="low" Value="0" />
      </EnumType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

#[test]
fn inspect_loads_referenced_sibling_documents() {
    let dir = TempDir::new("reference");
    let main = dir.write("main.xml", &format!("{EDMX_HEAD}{MAIN_WITH_REFERENCE}"));
    dir.write("sub/other.xml", &format!("{EDMX_HEAD}{OTHER}"));
    let o = inspect(&main);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), counts([2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));

    // Run from the folder with a relative path: names stay relative.
    let o = Command::new(BIN)
        .args(["inspect", "--metadata", "./main.xml"])
        .current_dir(&dir.0)
        .output()
        .unwrap();
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), counts([2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]));
}

#[test]
fn unavailable_references_are_warnings() {
    let dir = TempDir::new("unavailable");
    let text = format!(
        "{EDMX_HEAD}{}",
        r#"  <edmx:Reference Uri="missing.xml">
    <edmx:Include Namespace="Missing.Ns" />
  </edmx:Reference>
  <edmx:Reference Uri="https://example.com/remote.xml">
    <edmx:Include Namespace="Remote.Ns" />
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Main.Ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="c" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    );
    let main = dir.write("main.xml", &text);
    let o = inspect(&main);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), counts([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]));
    let err = stderr(&o);
    let missing = format!("{}:3:3: warning: ", main.display());
    let remote = format!("{}:6:3: warning: ", main.display());
    assert!(
        err.contains(&missing) && err.contains("missing.xml"),
        "{err}"
    );
    assert!(
        err.contains(&remote) && err.contains("not fetched"),
        "{err}"
    );
}

// ---- generate -------------------------------------------------------------------------------------

/// `generate` with the checked-in metadata into `out`.
fn generate(out: &Path) -> Output {
    generate_with(out, &[])
}

/// [`generate`] with more arguments.
fn generate_with(out: &Path, more: &[&str]) -> Output {
    let root = workspace();
    let metadata = root.join("metadata/graph-beta.csdl");
    let overlay = root.join("metadata/operations.toml");
    run(&[
        "generate",
        "--metadata",
        metadata.to_str().unwrap(),
        "--overlay",
        overlay.to_str().unwrap(),
        "--include-path",
        "/deviceManagement/remoteAssistanceSettings",
        "--api-version",
        "beta",
        "--crate-name",
        "cli-test-graph",
        "--out",
        out.to_str().unwrap(),
    ]
    .iter()
    .chain(more)
    .copied()
    .collect::<Vec<_>>())
}

#[test]
fn an_include_path_or_type_that_selects_nothing_is_a_warning_that_names_it() {
    let dir = TempDir::new("unmatched");
    let metadata = workspace().join("metadata/graph-beta.csdl");
    let out = dir.0.join("out");
    let o = run(&[
        "generate",
        "--metadata",
        metadata.to_str().unwrap(),
        "--include-path",
        "/deviceManagement/remoteAssistanceSettings",
        "--include-path",
        "/deviceManagement/remoteAssistanceSetting",
        "--include-type",
        "remoteAssistanceState",
        "--include-type",
        "microsoft.graph.noSuchType",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let err = stderr(&o);
    assert!(
        err.contains(
            "warning: include path `/deviceManagement/remoteAssistanceSetting` matches no"
        ),
        "{err}"
    );
    assert!(
        err.contains("warning: include type `microsoft.graph.noSuchType` names no type"),
        "{err}"
    );
    // the ones that select something are not named
    assert_eq!(err.matches("warning:").count(), 2, "{err}");
}

#[test]
fn generate_refuses_a_folder_it_did_not_generate() {
    let dir = TempDir::new("foreign");
    let notes = dir.write("out/notes.txt", "my notes\n");
    let o = generate(&dir.0.join("out"));
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("did not generate"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    assert_eq!(std::fs::read_dir(dir.0.join("out")).unwrap().count(), 1);
}

#[test]
fn generate_refuses_to_overwrite_a_hand_owned_file() {
    let dir = TempDir::new("conflict");
    let out = dir.0.join("out");
    // A generated file makes the folder the generator's; the hand-written manifest is not.
    dir.write(
        "out/src/old.rs",
        "// @generated by odata-codegen, an earlier run\n",
    );
    let manifest = dir.write("out/Cargo.toml", "[package]\nname = \"mine\"\n");
    let o = generate(&out);
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains("hand-owned") && stderr(&o).contains("Cargo.toml"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&manifest).unwrap(),
        "[package]\nname = \"mine\"\n"
    );
    assert!(
        out.join("src/old.rs").exists(),
        "nothing may change when refusing"
    );
}

#[test]
fn generate_writes_then_only_changes_and_keeps_hand_owned_files() {
    let dir = TempDir::new("generate");
    let out = dir.0.join("out");
    let o = generate(&out);
    assert_exit(&o, 0);
    let first = stdout(&o);
    assert!(
        first.starts_with("wrote ") && first.contains(", removed 0, unchanged 0"),
        "{first}"
    );
    let text = std::fs::read_to_string(out.join("Cargo.toml")).expect("a Cargo.toml is generated");
    assert!(
        text.lines()
            .next()
            .unwrap_or_default()
            .contains("@generated"),
        "{text}"
    );

    // Hand-owned files survive; stale generated ones go; nothing else is rewritten.
    let mine = dir.write("out/examples/mine.rs", "fn main() {}\n");
    dir.write("out/src/stale/gone.rs", "// @generated by odata-codegen\n");
    let o = generate(&out);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).starts_with("wrote 0 files, removed 1, unchanged "),
        "{}",
        stdout(&o)
    );
    assert!(mine.exists());
    assert!(
        !out.join("src/stale").exists(),
        "the emptied folder is removed too"
    );
}

/// The length and modification time of every file under `dir`, by path.
fn file_times(dir: &Path) -> std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    let mut times = std::collections::BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                folders.push(entry.path());
            } else {
                times.insert(entry.path(), (meta.len(), meta.modified().unwrap()));
            }
        }
    }
    times
}

#[test]
fn a_second_run_with_the_same_inputs_generates_nothing_and_says_so() {
    let dir = TempDir::new("noop");
    let out = dir.0.join("out");
    assert_exit(&generate(&out), 0);
    assert!(out.join(".odata-codegen.stamp").exists());
    let before = file_times(&out);
    let o = generate(&out);
    assert_exit(&o, 0);
    assert_eq!(
        stdout(&o),
        format!(
            "unchanged: `{}` is up to date with the metadata, options and generator (nothing \
             generated; --force regenerates)\n",
            out.display()
        )
    );
    assert_eq!(
        file_times(&out),
        before,
        "nothing is written, the stamp neither"
    );

    // --force generates and compares: every file is the same
    let o = generate_with(&out, &["--force"]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).starts_with("wrote 0 files, removed 0, unchanged "),
        "{}",
        stdout(&o)
    );
}

/// `generate --metadata main.xml --all --out out` and `args`, run in `dir`, which must succeed.
fn generate_in(dir: &TempDir, args: &[&str]) -> Output {
    let o = Command::new(BIN)
        .args([
            "generate",
            "--metadata",
            "main.xml",
            "--all",
            "--out",
            "out",
        ])
        .args(args)
        .current_dir(&dir.0)
        .output()
        .unwrap();
    assert_exit(&o, 0);
    o
}

/// [`generate_in`] with `overlay.toml`: its stdout.
fn generate_small(dir: &TempDir, args: &[&str]) -> String {
    stdout(&generate_in(
        dir,
        &[&["--overlay", "overlay.toml"], args].concat(),
    ))
}

#[track_caller]
fn assert_regenerated(stdout: &str, expected: &str) {
    assert!(
        stdout.starts_with(expected),
        "expected `{expected}`: {stdout}"
    );
}

#[test]
fn a_changed_input_or_a_touched_output_regenerates() {
    let dir = TempDir::new("noop-inputs");
    let main = dir.write("main.xml", &format!("{EDMX_HEAD}{SMALL}"));
    let overlay = "[[path]]\npath = \"/items\"\noperations = [\"list\"]\n";
    dir.write("overlay.toml", overlay);
    assert_regenerated(&generate_small(&dir, &[]), "wrote ");
    let unchanged = generate_small(&dir, &[]);
    assert!(unchanged.starts_with("unchanged: "), "{unchanged}");

    // the metadata
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, text.replace("An item.", "One item.")).unwrap();
    // every header names the metadata's digest
    assert_regenerated(&generate_small(&dir, &[]), "wrote 7 files, removed 0");
    assert_eq!(generate_small(&dir, &[]), unchanged);

    // an option, also one that changes no file
    assert_regenerated(
        &generate_small(&dir, &["--crate-name", "other"]),
        "wrote 1 files, removed 0",
    );
    assert_regenerated(
        &generate_small(&dir, &["--crate-name", "other", "--no-area-features"]),
        "wrote ",
    );
    assert_eq!(
        generate_small(&dir, &["--crate-name", "other", "--no-area-features"]),
        unchanged
    );
    assert_regenerated(&generate_small(&dir, &[]), "wrote ");

    // the overlay's content (a comment changes nothing)
    dir.write("overlay.toml", &format!("# mine\n{overlay}"));
    assert_eq!(generate_small(&dir, &[]), unchanged);
    dir.write(
        "overlay.toml",
        &overlay.replace("[\"list\"]", "[\"list\", \"create\"]"),
    );
    assert_regenerated(&generate_small(&dir, &[]), "wrote 1 files, removed 0");

    // a generated file edited, deleted, or a file added
    let lib = dir.0.join("out/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{text}// mine\n")).unwrap();
    assert_regenerated(&generate_small(&dir, &[]), "wrote 1 files, removed 0");
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), text);
    std::fs::remove_file(&lib).unwrap();
    assert_regenerated(&generate_small(&dir, &[]), "wrote 1 files, removed 0");
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), text);
    dir.write(
        "out/src/extra.rs",
        "// @generated by odata-codegen, an earlier run\n",
    );
    assert_regenerated(&generate_small(&dir, &[]), "wrote 0 files, removed 1");
    let notes = dir.write("out/notes.md", "mine\n");
    assert_regenerated(&generate_small(&dir, &[]), "wrote 0 files, removed 0");
    assert_eq!(generate_small(&dir, &[]), unchanged);
    assert_eq!(std::fs::read_to_string(notes).unwrap(), "mine\n");

    // a lost stamp
    std::fs::remove_file(dir.0.join("out/.odata-codegen.stamp")).unwrap();
    assert_regenerated(&generate_small(&dir, &[]), "wrote 0 files, removed 0");
    assert_eq!(generate_small(&dir, &[]), unchanged);
}

#[test]
fn a_changed_or_new_referenced_document_regenerates() {
    let dir = TempDir::new("noop-references");
    let main = MAIN_WITH_REFERENCE.replace(
        "  <edmx:DataServices>",
        "  <edmx:Reference Uri=\"later.xml\">\n    <edmx:Include Namespace=\"Later.Ns\" />\n  </edmx:Reference>\n  <edmx:DataServices>",
    );
    dir.write("main.xml", &format!("{EDMX_HEAD}{main}"));
    dir.write("sub/other.xml", &format!("{EDMX_HEAD}{OTHER}"));
    let generate = |dir: &TempDir| {
        let o = generate_in(dir, &[]);
        (stdout(&o), stderr(&o))
    };
    let (first, warnings) = generate(&dir);
    assert_regenerated(&first, "wrote ");
    assert!(
        warnings.contains("`later.xml` is not available"),
        "{warnings}"
    );
    // the warnings of the run that generated are repeated
    let (second, again) = generate(&dir);
    assert!(second.starts_with("unchanged: "), "{second}");
    assert_eq!(again, warnings);

    dir.write(
        "sub/other.xml",
        &format!("{EDMX_HEAD}{}", OTHER.replace("\"note\"", "\"remark\"")),
    );
    assert_regenerated(&generate(&dir).0, "wrote 1 files, removed 0");
    assert!(generate(&dir).0.starts_with("unchanged: "));

    dir.write(
        "later.xml",
        &format!(
            "{EDMX_HEAD}{}",
            OTHER
                .replace("Other.Ns", "Later.Ns")
                .replace("../main.xml", "main.xml")
        ),
    );
    let (third, warnings) = generate(&dir);
    assert_regenerated(&third, "wrote ");
    assert!(!warnings.contains("later.xml"), "{warnings}");
    assert!(generate(&dir).0.starts_with("unchanged: "));
}

// ---- corpus ---------------------------------------------------------------------------------------

#[test]
fn corpus_documents_inspect_cleanly() {
    let Some(corpus) = corpus() else { return };
    let files = corpus_documents(&corpus);
    assert!(
        files.len() >= 10,
        "too few corpus files under {}: {files:?}",
        corpus.display()
    );
    let mut failures = Vec::new();
    for file in &files {
        let o = inspect(file);
        let name = file
            .strip_prefix(&corpus)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if name == "odata/odata-net/Northwind.v2-ado2006.csdl" {
            if o.status.code() != Some(1) || !stderr(&o).contains("Entity Framework") {
                failures.push(format!(
                    "{name}: expected exit 1 mentioning Entity Framework, got {:?}\n{}",
                    o.status.code(),
                    stderr(&o)
                ));
            }
        } else if !o.status.success() {
            let err = stderr(&o);
            let head: Vec<&str> = err.lines().take(5).collect();
            failures.push(format!(
                "{name}: exit {:?}\n{}",
                o.status.code(),
                head.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// Counted independently with a text search over the file (`<Schema `, `<EntityType `, ...;
/// `<Annotation ` excludes `<Annotations `).
#[test]
fn graph_v1_counts() {
    let Some(corpus) = corpus() else { return };
    let o = inspect(&corpus.join("graph/v1.0-Prod.csdl"));
    assert_exit(&o, 0);
    assert_eq!(
        stdout(&o),
        counts([11, 1182, 1779, 861, 0, 11, 857, 326, 41, 31, 5922])
    );
}

fn diff_fixture(name: &str) -> String {
    workspace()
        .join("codegen/tests/fixtures/diff")
        .join(name)
        .display()
        .to_string()
}

/// 0 without a breaking change, 1 with one, in every format.
#[test]
fn diff_exits_1_on_breaking_changes_only() {
    let old = diff_fixture("history/2-2022-07-27.xml");
    let new = diff_fixture("history/3-current.xml");
    let additive = run(&["diff", "--old", &old, "--new", &new]);
    assert_exit(&additive, 0);
    assert!(
        stdout(&additive).contains("models::RemoteAssistanceSettings::block_chat"),
        "{}",
        stdout(&additive)
    );
    let breaking = run(&["diff", "--old", &new, "--new", &old, "--format", "json"]);
    assert_exit(&breaking, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout(&breaking)).expect("JSON");
    assert_eq!(json["breaking"], true);
    assert_eq!(json["summary"]["breaking"], 1);
    let markdown = run(&["diff", "--old", &new, "--new", &old, "--format", "markdown"]);
    assert_exit(&markdown, 1);
    assert!(stdout(&markdown).contains("| **breaking** |"));
    let same = run(&["diff", "--old", &new, "--new", &new]);
    assert_exit(&same, 0);
    assert_eq!(stdout(&same), "no API changes\n");
}

/// 2 on invalid input, with the located errors `inspect` prints.
#[test]
fn diff_exits_2_on_invalid_input() {
    let dir = TempDir::new("diff-invalid");
    let bad = dir.write(
        "bad.csdl",
        &format!("{EDMX_HEAD}  <edmx:DataServices>\n    <Schema>\n</edmx:Edmx>\n"),
    );
    let good = diff_fixture("history/3-current.xml");
    let o = run(&["diff", "--old", bad.to_str().unwrap(), "--new", &good]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("bad.csdl:"), "{}", stderr(&o));
    assert!(stderr(&o).contains(": error: "), "{}", stderr(&o));
    let missing = run(&["diff", "--old", "no-such-file.csdl", "--new", &good]);
    assert_exit(&missing, 2);
    let overlay = dir.write("overlay.toml", "[[path]]\npath = 3\n");
    let o = run(&[
        "diff",
        "--old",
        &good,
        "--new",
        &good,
        "--overlay",
        overlay.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("overlay.toml:2:"), "{}", stderr(&o));
}

/// An overlay that drops an operation removes a builder method: breaking.
#[test]
fn diff_reports_overlay_changes_with_the_configuration() {
    let dir = TempDir::new("diff-overlay");
    let old_overlay = dir.write(
        "old.toml",
        "[[path]]\npath = \"/deviceManagement/remoteAssistanceSettings\"\noperations = [\"get\", \"update\"]\n",
    );
    let config = workspace().join("metadata/codegen.toml");
    let current = workspace().join("metadata/graph-beta.csdl");
    let o = run(&[
        "diff",
        "--config",
        config.to_str().unwrap(),
        "--old",
        current.to_str().unwrap(),
        "--old-overlay",
        old_overlay.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "no API changes\n");
    let new_overlay = dir.write(
        "new.toml",
        "[[path]]\npath = \"/deviceManagement/remoteAssistanceSettings\"\noperations = [\"get\"]\n",
    );
    let o = run(&[
        "diff",
        "--old",
        current.to_str().unwrap(),
        "--new",
        current.to_str().unwrap(),
        "--include-path",
        "/deviceManagement/remoteAssistanceSettings",
        "--old-overlay",
        old_overlay.to_str().unwrap(),
        "--overlay",
        new_overlay.to_str().unwrap(),
    ]);
    assert_exit(&o, 1);
    assert!(
        stdout(&o).contains("requests::RemoteAssistanceSettingsRequest::update"),
        "{}",
        stdout(&o)
    );
}
