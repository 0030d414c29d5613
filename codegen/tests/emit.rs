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
    "polymorphism",
    "deprecations",
    "request_patterns",
    "upload_session",
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
snapshot_test!(polymorphic_values_choose_their_variant, "polymorphism");
snapshot_test!(deprecated_elements_are_deprecated_items, "deprecations");
snapshot_test!(paging_delta_search_and_media_content, "request_patterns");
snapshot_test!(upload_sessions_get_a_large_upload, "upload_session");

#[test]
fn area_features_gate_builders_and_types() {
    let files = generate_with("containment", "../runtime", true);
    let manifest = &files.files["Cargo.toml"];
    assert!(manifest.contains("[features]"), "{manifest}");
    assert!(
        manifest.contains("full = [\"inbox\", \"me\", \"users\"]"),
        "{manifest}"
    );
    // the `forward` action's parameters, bound in both areas' message builders, are one struct
    // in a file compiled with either area
    let holders: Vec<&String> = files
        .files
        .iter()
        .filter(|(_, text)| text.contains("pub struct ForwardParameters"))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(holders.len(), 1, "{holders:?}");
    let declarations = &files.files["src/requests/mod.rs"];
    let module = holders[0]
        .trim_start_matches("src/requests/")
        .trim_end_matches(".rs");
    let gate = declarations
        .lines()
        .take_while(|line| !line.contains(&format!("mod {module};")))
        .last()
        .unwrap_or_default();
    assert!(
        gate.contains("feature = \"inbox\"")
            && gate.contains("feature = \"me\"")
            && gate.contains("feature = \"users\""),
        "{module} is gated by `{gate}`"
    );
    insta::assert_snapshot!("containment_areas", concatenated(&files));
}

#[test]
fn the_crate_pins_its_api_version() {
    let lib = |version: &str| {
        let label = "tests/fixtures/emit/containment.xml";
        let bytes = std::fs::read(fixture_dir().join("containment.xml")).expect("fixture");
        let model = load_model(label, &bytes, &mut NoReferences).expect("loads");
        let options = GenerateOptions {
            crate_name: "pinned".into(),
            api_version: version.into(),
            all: true,
            metadata_label: label.into(),
            ..Default::default()
        };
        generate(&model, &options).map(|files| files.files["src/lib.rs"].clone())
    };
    let beta = lib("beta").expect("beta");
    assert!(
        beta.contains("pub const API_VERSION: &str = \"beta\";"),
        "{beta}"
    );
    assert!(
        beta.contains("= odata_runtime::ApiVersion::Beta;"),
        "{beta}"
    );
    // one default, the runtime's: v1.0
    for v1 in [lib("v1.0").expect("v1.0"), lib("").expect("default")] {
        assert!(
            v1.contains("pub const API_VERSION: &str = \"v1.0\";"),
            "{v1}"
        );
        assert!(v1.contains("= odata_runtime::ApiVersion::V1_0;"), "{v1}");
    }
    let refused = lib("v2.0").expect_err("v2.0 is not a Graph version");
    assert!(
        refused[0]
            .to_string()
            .contains("API version `v2.0` is not supported"),
        "{}",
        refused[0]
    );
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

/// A test run inside the generated `names` crate: property names that are not SimpleIdentifiers
/// get valid fields and travel under their names exactly.
const NAMES_WIRE_TEST: &str = r##"
use fixture_names::models::ResponseHeaders;
use fixture_names::runtime::Nullable;

#[test]
fn property_names_that_are_no_identifiers_keep_their_wire_names() {
    let text = r#"{"request-id":"r1","client-request-id":"c1","tie‿break":3,"request_id":"other"}"#;
    let headers: ResponseHeaders = serde_json::from_str(text).unwrap();
    assert_eq!(headers.request_id, Nullable::Value("r1".to_string()));
    assert_eq!(headers.client_request_id, Nullable::Value("c1".to_string()));
    assert_eq!(headers.tie_u203f_break, Nullable::Value(3));
    assert_eq!(headers.additional_properties["request_id"], "other");
    let written = serde_json::to_value(&headers).unwrap();
    assert_eq!(written, serde_json::from_str::<serde_json::Value>(text).unwrap());
}
"##;

/// A test run inside the generated `polymorphism` crate.
const POLYMORPHISM_WIRE_TEST: &str = r##"
use fixture_polymorphism::models::{
    AnyConfiguration, AnyDirectoryObject, AnyShape, Circle, Windows10Configuration,
    WindowsConfiguration,
};
use fixture_polymorphism::runtime::{self, Client, Page};
use serde_json::json;

#[test]
fn values_land_in_the_variant_their_odata_type_names_and_round_trip() {
    let sent = json!({"value": [
        {"@odata.type": "#test.poly.user", "id": "1", "displayName": "Ada"},
        {"@odata.type": "#p.group", "id": "2", "mailEnabled": true},
        {"@odata.type": "test.poly.extra.user", "id": "3", "realm": "r"},
        {"@odata.type": "#test.poly.newKind", "id": "4", "novel": [1, 2]},
        {"id": "5", "deletedDateTime": null}
    ], "@odata.context": "https://example.com/$metadata#directoryObjects"});
    let page: Page<AnyDirectoryObject> = serde_json::from_value(sent.clone()).unwrap();
    match &page.value[0] {
        AnyDirectoryObject::User(u) => assert_eq!(u.display_name.as_option(), Some(&"Ada".to_string())),
        other => panic!("not a user: {other:?}"),
    }
    assert!(matches!(&page.value[1], AnyDirectoryObject::Group(g) if g.mail_enabled.as_option() == Some(&true)));
    assert!(matches!(&page.value[2], AnyDirectoryObject::ExtraUser(u) if u.realm.is_value()));
    // an unknown derived type: the base's properties typed, the rest kept
    let AnyDirectoryObject::DirectoryObject(unknown) = &page.value[3] else {
        panic!("{:?}", page.value[3]);
    };
    assert_eq!(unknown.odata_type.as_deref(), Some("#test.poly.newKind"));
    assert_eq!(unknown.additional_properties["novel"], json!([1, 2]));
    // the base's properties without matching
    let ids: Vec<_> = page.value.iter().map(|v| v.id().clone().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(page.value[1].odata_type(), Some("#p.group"));
    assert_eq!(page.value[4].odata_type(), None);
    assert_eq!(serde_json::to_value(&page).unwrap(), sent);
}

#[test]
fn three_levels_and_nested_complex_values() {
    let sent = json!({
        "@odata.type": "#test.poly.windows10Configuration",
        "id": "c", "version": 2, "edgeBlocked": true, "passwordRequired": false,
        "shape": {"@odata.type": "#test.poly.circle", "color": "red", "radius": 1.5}
    });
    let value: AnyConfiguration = serde_json::from_value(sent.clone()).unwrap();
    let AnyConfiguration::Windows10Configuration(w) = &value else { panic!("{value:?}") };
    assert_eq!(w.edge_blocked.as_option(), Some(&true));
    assert_eq!(w.password_required.as_option(), Some(&false));
    assert!(matches!(value.shape().as_option(), Some(AnyShape::Circle(c)) if c.radius.as_option().is_some_and(|r| *r == 1.5)));
    assert_eq!(*value.version(), Some(2));
    assert_eq!(serde_json::to_value(&value).unwrap(), sent);
    // read as the middle level: the most derived type the enum knows
    let middle: fixture_polymorphism::models::AnyWindowsConfiguration =
        serde_json::from_value(sent.clone()).unwrap();
    assert!(matches!(middle, fixture_polymorphism::models::AnyWindowsConfiguration::Windows10Configuration(_)));
}

#[derive(Debug)]
struct Offline;

impl runtime::Transport for Offline {
    fn send(
        &self,
        _: runtime::http::Request<Vec<u8>>,
    ) -> runtime::BoxFuture<'_, Result<runtime::Response, runtime::TransportError>> {
        unreachable!("the test only builds requests")
    }
}

#[test]
fn a_derived_value_is_sent_with_its_odata_type() {
    let body: AnyConfiguration = Windows10Configuration {
        display_name: runtime::Nullable::Value("Baseline".into()),
        edge_blocked: true.into(),
        shape: AnyShape::from(Circle { radius: 2.0.into(), ..Default::default() }).into(),
        ..Default::default()
    }
    .into();
    let client = Client::builder().transport(Offline).build().unwrap();
    let graph = fixture_polymorphism::ServiceClient::new(client);
    let create = graph.device_management().configurations().create(&body);
    let sent: serde_json::Value = serde_json::from_slice(create.request().body.as_ref().unwrap()).unwrap();
    assert_eq!(sent, json!({
        "@odata.type": "#test.poly.windows10Configuration",
        "displayName": "Baseline",
        "edgeBlocked": true,
        "shape": {"@odata.type": "#test.poly.circle", "radius": 2.0}
    }));
    assert_eq!(create.request().path, "/deviceManagement/configurations");
    // an explicit type wins; the base variant sends none of its own
    let windows = WindowsConfiguration {
        odata_type: Some("#test.poly.future".into()),
        ..Default::default()
    };
    let value = serde_json::to_value(AnyConfiguration::from(windows)).unwrap();
    assert_eq!(value, json!({"@odata.type": "#test.poly.future"}));
    let groups = graph.users().by_id("u").member_of().as_group().list();
    assert_eq!(groups.request().path, "/users/u/memberOf/test.poly.group");
    let cast = graph.device_management().configurations().by_id("c").as_windows10_configuration();
    assert_eq!(cast.path(), "/deviceManagement/configurations/c/test.poly.windows10Configuration");
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
        .into_request()
        .unwrap();
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
        .into_request()
        .unwrap();
    assert_eq!(
        request.query_string(),
        "@binary=binary'%2B/8%3D'&@decimal=1.50&@double=INF\
         &@guid=0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F\
         &@tenant=00000000-0000-0000-0000-000000000000&@top=5"
    );
}
"##;

/// A downstream crate of the `deprecations` fixture crate. Each line that names a deprecated item
/// ends with `// warns`: those lines, and only those, get the compiler's deprecation warning.
const DOWNSTREAM_LIB: &str = r##"#![allow(dead_code)]

use fixture_deprecations::ServiceClient;
use fixture_deprecations::models::{AlertSeverity, Device};
use fixture_deprecations::runtime::Nullable;

/// No deprecated item is named here, though `Device` has deprecated fields and a field of a
/// deprecated type: its derives and serde impls, built in the fixture crate, do not warn here.
pub fn current(client: &ServiceClient) -> String {
    let device = Device {
        id: Some("d".into()),
        display_name: Nullable::Value("a".into()),
        ..Default::default()
    };
    let copy = device.clone();
    assert_eq!(copy, device);
    let json = serde_json::to_string(&device).unwrap();
    let back: Device = serde_json::from_str(r#"{"id":"d","legacyTag":"x","hash":{}}"#).unwrap();
    let _ = format!("{back:?} {}", matches!(back.hash, Nullable::Value(_)));
    let severity = AlertSeverity::from("high");
    let _ = matches!(severity, AlertSeverity::Critical) || severity.as_str() == "high";
    let _ = client.devices().by_id("d").logs().list();
    let _ = client.devices().by_id("d").score();
    json
}

pub fn deprecated(client: &ServiceClient, device: &Device) {
    let _ = &device.legacy_tag; // warns
    let _ = fixture_deprecations::models::FileHash::default(); // warns
    let _ = AlertSeverity::High; // warns
    let _ = fixture_deprecations::models::LegacyColor::Red; // warns
    let _: Option<fixture_deprecations::models::LegacyId> = None; // warns
    let _ = fixture_deprecations::models::LegacyAccess::default(); // warns
    let _ = client.legacy_device(); // warns
    let _ = client.devices().by_id("d").old_logs(); // warns
    let _ = client.devices().by_id("d").retire(); // warns
    let _ = client.devices().by_id("d").legacy_score(&"fast".to_string()); // warns
}
"##;

/// Writes the downstream crate of the `deprecations` fixture into the fixture workspace.
fn write_downstream(root: &Path) {
    let dir = root.join("downstream");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"fixture-downstream\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nserde_json = \"1\"\n\
         fixture-deprecations = { path = \"../deprecations\", default-features = false }\n",
    )
    .expect("write the downstream manifest");
    std::fs::write(dir.join("src/lib.rs"), DOWNSTREAM_LIB).expect("write the downstream crate");
}

/// Checks the downstream crate: a deprecation warning, with the metadata's note, on each line
/// marked `// warns` and on no other line, and no other warning.
fn downstream_gets_the_deprecation_warnings(root: &Path) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "check",
            "-p",
            "fixture-downstream",
            "--message-format",
            "short",
        ])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the downstream crate does not build:\n{stderr}"
    );
    let expected: Vec<usize> = DOWNSTREAM_LIB
        .lines()
        .enumerate()
        .filter(|(_, l)| l.ends_with("// warns"))
        .map(|(i, _)| i + 1)
        .collect();
    let mut warned = Vec::new();
    for line in stderr.lines().filter(|l| l.contains("warning")) {
        if line.starts_with("warning: `fixture-downstream` (lib) generated") {
            continue;
        }
        let at = line
            .strip_prefix("downstream/src/lib.rs:")
            .filter(|rest| rest.contains(": warning: use of deprecated "))
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse::<usize>().ok());
        match at {
            Some(n) => warned.push(n),
            None => panic!("an unexpected warning: {line}\n{stderr}"),
        }
    }
    warned.sort_unstable();
    warned.dedup();
    assert_eq!(
        warned, expected,
        "deprecation warnings on these lines:\n{stderr}"
    );
    for text in [
        "use of deprecated field `fixture_deprecations::models::Device::legacy_tag`: \
         The legacyTag property is deprecated.",
        "To be removed on 2026-04-10.",
        "use of deprecated struct `fixture_deprecations::models::FileHash`",
        "use of deprecated unit variant `fixture_deprecations::models::AlertSeverity::High`: \
         Use critical.",
        "::legacy_device`: Use devices.",
        "use of deprecated method `fixture_deprecations::requests::DeviceRequest::old_logs`: \
         Use logs. To be removed on 2025-03-01.",
        "use of deprecated method `fixture_deprecations::requests::DeviceRequest::retire`: \
         Devices retire themselves.",
        "use of deprecated method `fixture_deprecations::requests::DeviceRequest::legacy_score`",
    ] {
        assert!(stderr.contains(text), "no `{text}` in:\n{stderr}");
    }
}

/// Writes every fixture crate beside each other and runs clippy and rustdoc with `-D warnings` on
/// them, in a target folder of their own.
#[test]
fn fixture_crates_compile_without_warnings() {
    let root = workspace_root().join("target/fixture-crates");
    let runtime = workspace_root()
        .join("runtime")
        .canonicalize()
        .expect("runtime folder");
    // the sources are written anew; the target folder stays, so a later run builds only what changed
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name() == "target" {
                continue;
            }
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
    }
    let mut members = Vec::new();
    let crates = FIXTURES.iter().map(|n| {
        (
            n.to_string(),
            generate_fixture(n, &runtime.to_string_lossy()),
        )
    });
    let areas = generate_with("containment", &runtime.to_string_lossy(), true);
    let polymorphic_areas = generate_with("polymorphism", &runtime.to_string_lossy(), true);
    let more = [
        ("containment_areas".to_string(), areas),
        ("polymorphism_areas".to_string(), polymorphic_areas),
    ];
    for (name, files) in crates.chain(more) {
        let dir = root.join(&name);
        for (path, text) in &files.files {
            let full = dir.join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            let text = if path == "Cargo.toml" {
                let generated_name = format!(
                    "name = \"fixture-{}\"",
                    name.split("_areas")
                        .next()
                        .unwrap_or_default()
                        .replace('_', "-")
                );
                text.replace("[workspace]\n", "").replace(
                    &generated_name,
                    &format!("name = \"fixture-{}\"", name.replace('_', "-")),
                )
            } else {
                text.clone()
            };
            std::fs::write(full, text).expect("write");
        }
        members.push(format!("\"{name}\""));
    }
    write_downstream(&root);
    members.push("\"downstream\"".to_string());
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("workspace manifest");
    // the generated code behaves, not only compiles: flags sets and open members on the wire
    for (fixture, text) in [
        ("flags_enum", FLAGS_WIRE_TEST),
        ("primitives", PRIMITIVES_WIRE_TEST),
        ("polymorphism", POLYMORPHISM_WIRE_TEST),
        ("names", NAMES_WIRE_TEST),
    ] {
        let wire_test = root.join(fixture).join("tests/wire.rs");
        std::fs::create_dir_all(wire_test.parent().expect("parent")).expect("mkdir");
        std::fs::write(&wire_test, text).expect("write the wire test");
    }
    // the request patterns and large uploads, through the generated builders, against the emulator
    for fixture in ["request_patterns", "upload_session"] {
        write_emulator_wire_test(&root, fixture);
    }
    // the downstream crate warns on purpose; it is checked on its own below
    let clippy = [
        "clippy",
        "--quiet",
        "--workspace",
        "--exclude",
        "fixture-downstream",
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
                "-p",
                "fixture-names",
                "--no-default-features"
            ],
            &[],
            &[]
        ),
        "the flags, primitives or names fixture crate's wire test fails"
    );
    assert!(
        cargo(
            &root,
            &[
                "test",
                "--quiet",
                "-p",
                "fixture-polymorphism",
                "--no-default-features"
            ],
            &[],
            &[]
        ),
        "the polymorphism fixture crate's wire test fails"
    );
    // with the default transport (reqwest), as a user builds them
    let emulated = ["fixture-request-patterns", "fixture-upload-session"];
    let packages: Vec<&str> = emulated.iter().flat_map(|p| ["-p", *p]).collect();
    assert!(
        cargo(
            &root,
            &["test", "--quiet", "--test", "wire"],
            &packages,
            &[]
        ),
        "the request_patterns or upload_session fixture crate's wire test against the emulator fails"
    );
    // descriptions hold brackets, URLs and markup that rustdoc must read literally
    let doc = [
        "doc",
        "--quiet",
        "--workspace",
        "--exclude",
        "fixture-downstream",
        "--no-deps",
        "--no-default-features",
    ];
    assert!(
        cargo(&root, &doc, &[], &[("RUSTDOCFLAGS", "-D warnings")]),
        "generated fixture crates do not document without warnings"
    );
    downstream_gets_the_deprecation_warnings(&root);
    // each area feature compiles alone, and so does the crate without any
    let area_sets = [
        (
            "fixture-containment-areas",
            &["", "inbox", "me", "users", "full"][..],
        ),
        (
            "fixture-polymorphism-areas",
            &[
                "",
                "users",
                "directory-objects",
                "device-management",
                "full",
            ][..],
        ),
    ];
    for (package, sets) in area_sets {
        for features in sets {
            let clippy = ["clippy", "--quiet", "-p", package, "--no-default-features"];
            assert!(
                cargo(
                    &root,
                    &clippy,
                    &["--features", features, "--", "-D", "warnings"],
                    &[]
                ),
                "{package} does not pass clippy with features `{features}`"
            );
        }
    }
}

/// Writes `codegen/tests/wire/{fixture}.rs` as the fixture crate's `tests/wire.rs` (with the
/// runtime tests' `emulated` module), and the loopback Graph emulator (`tests/emulator`) and a
/// stream helper as dev-dependencies.
fn write_emulator_wire_test(root: &Path, fixture: &str) {
    let dir = root.join(fixture);
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/wire/{fixture}.rs"));
    std::fs::create_dir_all(dir.join("tests")).expect("mkdir");
    std::fs::copy(&source, dir.join("tests/wire.rs")).expect("copy the wire test");
    // the client set-up the runtime's own emulator tests use
    std::fs::create_dir_all(dir.join("tests/emulated")).expect("mkdir");
    std::fs::copy(
        workspace_root().join("runtime/tests/emulated/mod.rs"),
        dir.join("tests/emulated/mod.rs"),
    )
    .expect("copy the emulated client set-up");
    let emulator = workspace_root()
        .join("tests/emulator")
        .canonicalize()
        .expect("emulator folder");
    let manifest_path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest_path).expect("read the fixture manifest");
    let mut manifest: toml::Table = text.parse().expect("the fixture manifest is TOML");
    let dev = manifest
        .entry("dev-dependencies")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .expect("a dev-dependencies table");
    let mut path = toml::Table::new();
    path.insert(
        "path".into(),
        toml::Value::String(emulator.to_string_lossy().into_owned()),
    );
    dev.insert("graph-emulator".into(), toml::Value::Table(path));
    let mut futures = toml::Table::new();
    futures.insert("version".into(), toml::Value::String("0.3".into()));
    futures.insert("default-features".into(), toml::Value::Boolean(false));
    futures.insert(
        "features".into(),
        toml::Value::Array(vec![toml::Value::String("std".into())]),
    );
    dev.insert("futures-util".into(), toml::Value::Table(futures));
    std::fs::write(&manifest_path, manifest.to_string()).expect("write the fixture manifest");
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
