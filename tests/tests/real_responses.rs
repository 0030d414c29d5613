//! Real response bodies from Microsoft Graph's documentation (`tests/responses/`, see its
//! PROVENANCE.md) read into crates generated from the shared corpus documents: none fails, every
//! property the metadata declares for a value's actual `@odata.type` lands in a typed field, no
//! value is kept raw for not parsing, and writing gives back the JSON that came in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use odata_codegen::emit::{GenerateOptions, Names, generate};
use odata_codegen::model::{Model, NoReferences, load_model};
use odata_codegen::select::{SelectOptions, select};
use odata_codegen_tests::{corpus, workspace, write_file};
use quote::{format_ident, quote};
use serde_json::Value;

/// One API version: the corpus document its bodies are read against, and its crate's name.
struct Version {
    name: &'static str,
    document: &'static str,
    package: &'static str,
}

const VERSIONS: &[Version] = &[
    Version {
        name: "v1.0",
        document: "graph/v1.0-Prod.csdl",
        package: "graph-v1",
    },
    Version {
        name: "beta",
        document: "graph/beta-Mooncake-2022-07-27.csdl",
        package: "graph-beta",
    },
];

fn responses() -> PathBuf {
    workspace().join("tests/responses")
}

fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The type a value is of: its `@odata.type` when the model knows it, else the declared type.
fn actual_type(model: &Model, value: &Value, declared: &str) -> String {
    let Some(named) = value.get("@odata.type").and_then(Value::as_str) else {
        return declared.to_string();
    };
    let named = named.trim_start_matches('#');
    let (qualifier, simple) = named.rsplit_once('.').unwrap_or(("", named));
    let namespace = model
        .schemas
        .values()
        .find(|s| s.alias.as_deref() == Some(qualifier))
        .map_or(qualifier, |s| s.namespace.as_str());
    let qualified = format!("{namespace}.{simple}");
    if model.structured_type(&qualified).is_some() {
        qualified
    } else {
        declared.to_string()
    }
}

/// The top-level values of a body.
fn values<'a>(body: &'a Value, shape: &str) -> Vec<&'a Value> {
    match shape {
        "collection" => body["value"]
            .as_array()
            .map(|v| v.iter().collect())
            .unwrap_or_default(),
        "value-wrapped-entity" => vec![&body["value"]],
        _ => vec![body],
    }
}

/// Whether `property` is declared by `type_name` or one of its bases.
fn declares(model: &Model, type_name: &str, property: &str) -> bool {
    model
        .all_properties(type_name)
        .iter()
        .any(|p| p.name == property)
        || model
            .all_navigation_properties(type_name)
            .iter()
            .any(|n| n.name == property)
}

/// The driver's `dispatch`: one arm per declared type, reading it as its Rust value type.
fn dispatch(names: &Names, declared: &BTreeSet<String>, crate_ident: &str) -> String {
    let krate = format_ident!("{}", crate_ident);
    let arms = declared.iter().map(|t| {
        let name = &names.types[t];
        let module = name.module.iter().map(|m| format_ident!("{}", m));
        let (ident, rest) = match names.polymorphic.get(t) {
            Some(p) => (
                format_ident!("{}", p.ident),
                quote! { keys(v.additional_properties()) },
            ),
            None => (
                format_ident!("{}", name.ident),
                quote! { keys(&v.additional_properties) },
            ),
        };
        quote! {
            #t => Some(check(body, shape, |v: &#krate::models:: #( #module :: )* #ident| #rest)),
        }
    });
    quote! {
        fn dispatch(declared: &str, body: Value, shape: &str) -> Option<Value> {
            match declared {
                #( #arms )*
                _ => None,
            }
        }
    }
    .to_string()
}

#[test]
fn real_response_bodies_read_into_typed_models_and_write_back() {
    let Some(corpus) = corpus() else { return };
    let index = read_json(&responses().join("index.json"));
    let index = index.as_array().expect("index.json is an array");
    assert!(index.len() >= 40, "{} bodies", index.len());
    let root = workspace().join("target/real-responses");
    let _ = std::fs::remove_dir_all(&root);
    let runtime = workspace().join("runtime");
    let mut models = BTreeMap::new();
    let mut members = Vec::new();
    for version in VERSIONS {
        let bytes = std::fs::read(corpus.join(version.document)).expect("corpus document");
        let model = load_model(version.document, &bytes, &mut NoReferences)
            .unwrap_or_else(|e| panic!("{}: {:?}", version.document, e.first()));
        let entries: Vec<&Value> = index
            .iter()
            .filter(|e| e["version"] == version.name)
            .collect();
        let declared: BTreeSet<String> = entries
            .iter()
            .map(|e| e["type"].as_str().expect("type").to_string())
            .collect();
        // expanded navigation properties hold values too: their targets are read typed
        let mut include = declared.clone();
        for e in &entries {
            let body = read_json(&responses().join(e["file"].as_str().expect("file")));
            let declared = e["type"].as_str().expect("type");
            for value in values(&body, e["shape"].as_str().expect("shape")) {
                let actual = actual_type(&model, value, declared);
                for n in model.all_navigation_properties(&actual) {
                    if value.get(&n.name).is_some() {
                        include.insert(n.target.clone());
                    }
                }
            }
        }
        let include: Vec<String> = include.into_iter().collect();
        let options = GenerateOptions {
            crate_name: version.package.to_string(),
            api_version: version.name.to_string(),
            include_types: include.clone(),
            metadata_label: version.document.to_string(),
            metadata_bytes: bytes.clone(),
            runtime_path: runtime.to_string_lossy().into_owned(),
            ..Default::default()
        };
        let files = generate(&model, &options).unwrap_or_else(|e| panic!("{e:?}"));
        let dir = root.join(version.package);
        for (path, text) in &files.files {
            write_file(&dir.join(path), text);
        }
        let selection = select(
            &model,
            &SelectOptions {
                include_types: &include,
                ..Default::default()
            },
        );
        let names = Names::assign(&model, &selection);
        let driver = root.join(format!("{}-driver", version.package));
        write_file(
            &driver.join("Cargo.toml"),
            &format!(
                "[package]\nname = \"{0}-driver\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\ngraph = {{ package = \"{0}\", path = \"../{0}\", default-features = false }}\n\
                 serde = \"1\"\nserde_json = \"1\"\ntracing = \"0.1\"\n",
                version.package
            ),
        );
        let template = include_str!("../real_responses/driver.rs");
        write_file(
            &driver.join("src/main.rs"),
            &format!("{template}\n{}\n", dispatch(&names, &declared, "graph")),
        );
        members.push(format!(
            "\"{}\", \"{}-driver\"",
            version.package, version.package
        ));
        models.insert(version.name, (model, driver));
    }
    write_file(
        &root.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    );
    // the workspace's versions where they apply; the drivers' own dependencies resolve beside them
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).expect("lock file");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(&cargo)
        .args(["build", "--quiet", "--workspace"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .status()
        .expect("cargo runs");
    assert!(
        built.success(),
        "the generated crates or drivers do not build"
    );

    let mut failures = Vec::new();
    let mut checked = 0;
    for version in VERSIONS {
        let (model, _) = &models[version.name];
        let exe = root
            .join("target/debug")
            .join(format!("{}-driver", version.package));
        let output = Command::new(&exe)
            .arg(responses())
            .arg(version.name)
            .output()
            .expect("driver runs");
        assert!(
            output.status.success(),
            "{}: {}",
            exe.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let report: Value = serde_json::from_str(line).expect("a JSON report");
            let file = report["file"].as_str().unwrap_or_default().to_string();
            checked += 1;
            if let Some(error) = report.get("error") {
                failures.push(format!("{file}: {error}"));
                continue;
            }
            if report["round_trip"] != true {
                failures.push(format!("{file}: writing does not give back the body"));
            }
            if report["kept_raw"].as_array().is_some_and(|k| !k.is_empty()) {
                failures.push(format!("{file}: values kept raw: {}", report["kept_raw"]));
            }
            let entry = index
                .iter()
                .find(|e| e["file"] == file.as_str())
                .expect("entry");
            let declared = entry["type"].as_str().unwrap_or_default();
            for item in report["items"].as_array().into_iter().flatten() {
                let actual = actual_type(model, item, declared);
                for key in item["rest"].as_array().into_iter().flatten() {
                    let key = key.as_str().unwrap_or_default();
                    if declares(model, &actual, key) {
                        failures.push(format!(
                            "{file}: `{key}`, declared by `{actual}`, is not in a typed field"
                        ));
                    }
                }
            }
        }
    }
    assert_eq!(checked, index.len(), "every body is checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
