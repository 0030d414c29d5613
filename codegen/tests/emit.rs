//! Emitter fixtures: one small CSDL document per concept, its generated crate snapshot-tested
//! and compiled.

use std::path::{Path, PathBuf};
use std::process::Command;

use odata_codegen::emit::{GenerateOptions, generate};
use odata_codegen::model::{NoReferences, load_model};
use odata_codegen::output::GeneratedFiles;

const FIXTURES: &[&str] = &[
    "inheritance",
    "open_enum",
    "flags_enum",
    "names",
    "containment",
    "bound_operations",
    "primitives",
];

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/emit")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate_fixture(name: &str, runtime_path: &str) -> GeneratedFiles {
    generate_with(name, runtime_path, false)
}

fn generate_with(name: &str, runtime_path: &str, area_features: bool) -> GeneratedFiles {
    let label = format!("tests/fixtures/emit/{name}.xml");
    let bytes = std::fs::read(fixture_dir().join(format!("{name}.xml"))).expect("fixture");
    let model = load_model(&label, &bytes, &mut NoReferences).unwrap_or_else(|e| {
        panic!(
            "{name}: {}",
            e.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let options = GenerateOptions {
        crate_name: format!("fixture-{}", name.replace('_', "-")),
        api_version: "v1.0".into(),
        all: true,
        metadata_label: label,
        metadata_bytes: bytes,
        runtime_path: runtime_path.into(),
        standalone: true,
        area_features,
        ..Default::default()
    };
    generate(&model, &options).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn concatenated(files: &GeneratedFiles) -> String {
    let mut out = String::new();
    for (path, text) in &files.files {
        if path == "Cargo.toml" {
            continue;
        }
        out.push_str(&format!("==> {path}\n{text}\n"));
    }
    out
}

macro_rules! snapshot_test {
    ($test:ident, $name:literal) => {
        #[test]
        fn $test() {
            let files = generate_fixture($name, "../runtime");
            insta::assert_snapshot!($name, concatenated(&files));
        }
    };
}

snapshot_test!(inheritance_flattens_base_properties, "inheritance");
snapshot_test!(open_enums_keep_unknown_members, "open_enum");
snapshot_test!(flags_enums_are_member_sets, "flags_enum");
snapshot_test!(keywords_and_colliding_names_are_mapped, "names");
snapshot_test!(containment_gives_one_builder_per_context, "containment");
snapshot_test!(bound_actions_and_functions, "bound_operations");
snapshot_test!(every_edm_primitive_has_a_rust_type, "primitives");

#[test]
fn area_features_gate_builders_and_types() {
    let files = generate_with("containment", "../runtime", true);
    let manifest = &files.files["Cargo.toml"];
    assert!(manifest.contains("[features]"), "{manifest}");
    assert!(
        manifest.contains("full = [\"me\", \"users\"]"),
        "{manifest}"
    );
    insta::assert_snapshot!("containment_areas", concatenated(&files));
}

#[test]
fn output_is_byte_identical_across_runs() {
    for name in FIXTURES {
        assert_eq!(
            generate_fixture(name, "../runtime"),
            generate_fixture(name, "../runtime"),
            "{name}"
        );
    }
}

#[test]
fn every_generated_file_starts_with_the_generated_marker() {
    for name in FIXTURES {
        for (path, text) in &generate_fixture(name, "../runtime").files {
            let first = text.lines().next().unwrap_or_default();
            assert!(
                first.contains("@generated") && first.contains("DO NOT EDIT"),
                "{name}/{path}: {first}"
            );
            assert!(
                first.contains("cargo xtask codegen"),
                "{name}/{path}: {first}"
            );
        }
    }
}

/// A test run inside the generated `flags_enum` crate.
const FLAGS_WIRE_TEST: &str = r##"
use fixture_flags_enum::models::{Access, AccessMember, Grant};

#[test]
fn flags_travel_as_comma_separated_member_names() {
    let access: Access = serde_json::from_str(r#""read, write,,readWrite""#).unwrap();
    assert_eq!(
        access.0,
        [AccessMember::Read, AccessMember::Write, AccessMember::ReadWrite]
    );
    assert_eq!(access.value(), 3);
    assert_eq!(serde_json::to_string(&access).unwrap(), r#""read,write,readWrite""#);
    assert_eq!(Access::from("write"), Access(vec![AccessMember::Write]));
    let future: Access = serde_json::from_str(r#""read,someday""#).unwrap();
    assert_eq!(future.0[1], AccessMember::UnknownValue("someday".into()));
    assert_eq!(serde_json::to_string(&future).unwrap(), r#""read,someday""#);
    let error = serde_json::from_str::<Access>("3").unwrap_err().to_string();
    assert!(error.contains("comma-separated `test.flags.access` member names"), "{error}");
    let error = serde_json::from_str::<AccessMember>("[]").unwrap_err().to_string();
    assert!(error.contains("a `test.flags.access` member name"), "{error}");
    let grant: Grant = serde_json::from_str(r#"{"access":"write,read"}"#).unwrap();
    assert_eq!(grant.access, Some(Access(vec![AccessMember::Write, AccessMember::Read])));
}
"##;

/// A test run inside the generated `primitives` crate: the Edm types on the wire and in URLs.
const PRIMITIVES_WIRE_TEST: &str = r##"
use fixture_primitives::ServiceClient;
use fixture_primitives::models::Everything;
use fixture_primitives::runtime::{self, edm, Client};

#[test]
fn what_the_service_sends_comes_back_byte_for_byte() {
    let sent = concat!(
        r#"{"binary":"SGVsbG8=","date":"0001-01-01","dateTimeOffset":"2026-11-29T06:04:00.1234567Z","#,
        r#""decimal":1.5,"double":"-INF","duration":"PT1H30M","#,
        r#""guid":"0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F","timeOfDay":"23:59:59.9999999","#,
        r#""tenant":"0e57d1ff-5c8b-4b5a-9e2a-3f1b2c3d4e5f","#,
        r#""requiredDateTimeOffset":"9999-12-31T23:59:59.9999999Z","#,
        r#""timestamps":["0001-01-01T00:00:00Z","2026-11-29T11:34:00+05:30"],"scores":[1.5,"NaN","INF"]}"#,
    );
    let e: Everything = serde_json::from_str(sent).unwrap();
    assert_eq!(serde_json::to_string(&e).unwrap(), sent);
    assert!(e.additional_properties.is_empty());
    assert_eq!(e.binary.as_option().unwrap().bytes(), b"Hello");
    assert_eq!(e.double.as_option().unwrap().value(), f64::NEG_INFINITY);
    assert_eq!(e.guid.as_option(), e.tenant.as_option());
    assert_eq!(
        e.duration.as_option().unwrap().duration(),
        edm::chrono::TimeDelta::minutes(90)
    );
    let stamps = e.timestamps.as_deref().unwrap();
    assert!(stamps[0] < stamps[1]);
}

#[test]
fn a_value_that_does_not_parse_is_kept_under_its_name() {
    let sent = serde_json::json!({
        "dateTimeOffset": "2026-02-30T00:00:00Z",
        "guid": "not-a-guid",
        "requiredInt": "7",
        "timestamps": ["2026-11-29T06:04:00Z", "tomorrow"],
        "date": "2026-11-29",
    });
    let e: Everything = serde_json::from_value(sent.clone()).unwrap();
    assert!(e.date_time_offset.is_absent() && e.guid.is_absent());
    assert_eq!((e.required_int, e.timestamps.is_none()), (None, true));
    assert_eq!(e.additional_properties["guid"], "not-a-guid");
    assert_eq!(e.date.as_option().unwrap().as_str(), "2026-11-29");
    assert_eq!(serde_json::to_value(&e).unwrap(), sent);
}

#[derive(Debug)]
struct Offline;

impl runtime::Transport for Offline {
    fn send(
        &self,
        _: runtime::http::Request<Vec<u8>>,
    ) -> runtime::BoxFuture<'_, Result<runtime::Response, runtime::TransportError>> {
        unreachable!("nothing is sent")
    }
}

#[test]
fn function_parameters_are_odata_url_literals() {
    let client = Client::builder().bearer_token("t").transport(Offline).build().unwrap();
    let reports = ServiceClient::new(client).reports().by_id("r1");
    let request = reports
        .window(
            &"2026-11-29".parse().unwrap(),
            &"2026-11-29T11:34:00+05:30".parse().unwrap(),
            &"06:04:00".parse().unwrap(),
            &"P1D".parse().unwrap(),
            &vec!["2026-11-29".parse().unwrap()],
            &"it's".to_string(),
        )
        .unwrap()
        .into_request();
    assert_eq!(
        request.query_string(),
        "@date=2026-11-29&@dateTimeOffset=2026-11-29T11:34:00%2B05:30&@timeOfDay=06:04:00\
         &@duration=duration'P1D'&@days=%5B%222026-11-29%22%5D&@name='it''s'"
    );
    let request = reports
        .sample(
            &edm::Binary::from(vec![0xfb, 0xff]),
            &"1.50".parse().unwrap(),
            &edm::Double::from(f64::INFINITY),
            &"0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F".parse().unwrap(),
            &edm::Guid::from(edm::uuid::Uuid::nil()),
            &5,
        )
        .unwrap()
        .into_request();
    assert_eq!(
        request.query_string(),
        "@binary=binary'%2B/8%3D'&@decimal=1.50&@double=INF\
         &@guid=0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F\
         &@tenant=00000000-0000-0000-0000-000000000000&@top=5"
    );
}
"##;

/// Writes every fixture crate beside each other and runs clippy and rustdoc with `-D warnings` on
/// them, in a target folder of their own.
#[test]
fn fixture_crates_compile_without_warnings() {
    let root = workspace_root().join("target/fixture-crates");
    let runtime = workspace_root()
        .join("runtime")
        .canonicalize()
        .expect("runtime folder");
    let _ = std::fs::remove_dir_all(&root);
    let mut members = Vec::new();
    let crates = FIXTURES.iter().map(|n| {
        (
            n.to_string(),
            generate_fixture(n, &runtime.to_string_lossy()),
        )
    });
    let areas = generate_with("containment", &runtime.to_string_lossy(), true);
    for (name, files) in crates.chain([("containment_areas".to_string(), areas)]) {
        let dir = root.join(&name);
        for (path, text) in &files.files {
            let full = dir.join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            let text = if path == "Cargo.toml" {
                text.replace("[workspace]\n", "").replace(
                    "name = \"fixture-containment\"",
                    &format!("name = \"fixture-{}\"", name.replace('_', "-")),
                )
            } else {
                text.clone()
            };
            std::fs::write(full, text).expect("write");
        }
        members.push(format!("\"{name}\""));
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("workspace manifest");
    // the generated code behaves, not only compiles: flags sets and open members on the wire,
    // Edm primitives in JSON and in function URLs
    let wire_test = root.join("flags_enum/tests/wire.rs");
    std::fs::create_dir_all(wire_test.parent().expect("parent")).expect("mkdir");
    std::fs::write(&wire_test, FLAGS_WIRE_TEST).expect("write the wire test");
    let wire_test = root.join("primitives/tests/wire.rs");
    std::fs::create_dir_all(wire_test.parent().expect("parent")).expect("mkdir");
    std::fs::write(&wire_test, PRIMITIVES_WIRE_TEST).expect("write the wire test");
    let clippy = [
        "clippy",
        "--quiet",
        "--workspace",
        "--all-targets",
        "--no-default-features",
    ];
    assert!(
        cargo(&root, &clippy, &["--", "-D", "warnings"], &[]),
        "generated fixture crates do not pass clippy -D warnings"
    );
    assert!(
        cargo(
            &root,
            &[
                "test",
                "--quiet",
                "-p",
                "fixture-flags-enum",
                "-p",
                "fixture-primitives",
                "--no-default-features"
            ],
            &[],
            &[]
        ),
        "the flags or primitives fixture crate's wire test fails"
    );
    // descriptions hold brackets, URLs and markup that rustdoc must read literally
    let doc = [
        "doc",
        "--quiet",
        "--workspace",
        "--no-deps",
        "--no-default-features",
    ];
    assert!(
        cargo(&root, &doc, &[], &[("RUSTDOCFLAGS", "-D warnings")]),
        "generated fixture crates do not document without warnings"
    );
    // each area feature compiles alone, and so does the crate without any
    for features in ["", "me", "users", "full"] {
        let clippy = [
            "clippy",
            "--quiet",
            "-p",
            "fixture-containment-areas",
            "--no-default-features",
        ];
        assert!(
            cargo(
                &root,
                &clippy,
                &["--features", features, "--", "-D", "warnings"],
                &[]
            ),
            "the areas fixture does not pass clippy with features `{features}`"
        );
    }
}

/// Runs cargo in `root` with a target folder of its own.
fn cargo(root: &Path, args: &[&str], more: &[&str], env: &[(&str, &str)]) -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(args)
        .args(more)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .envs(env.iter().copied())
        .status()
        .is_ok_and(|s| s.success())
}
