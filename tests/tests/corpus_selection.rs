//! Selection on the real Graph beta metadata: the same include path and overlay on the full
//! 2022 beta document give the same API as `metadata/graph-beta.csdl`, minus `blockChat`, which
//! that older document lacks.

use std::path::Path;

use odata_codegen::config::parse_overlay;
use odata_codegen::emit::{GenerateOptions, generate};
use odata_codegen::model::{NoReferences, load_model};
use odata_codegen::output::GeneratedFiles;
use odata_codegen_tests::{corpus, workspace};

fn generate_from(path: &Path) -> GeneratedFiles {
    generate_with(path, true)
}

fn generate_with(path: &Path, use_overlay: bool) -> GeneratedFiles {
    let bytes = std::fs::read(path).expect("metadata");
    let model = load_model("metadata", &bytes, &mut NoReferences)
        .unwrap_or_else(|e| panic!("{}: {:?}", path.display(), e.first()));
    let overlay_path = workspace().join("metadata/operations.toml");
    let overlay = parse_overlay(
        &std::fs::read_to_string(&overlay_path).expect("overlay"),
        "operations.toml",
    )
    .expect("overlay parses");
    let options = GenerateOptions {
        crate_name: "msgraph-beta".into(),
        api_version: "beta".into(),
        include_paths: vec!["/deviceManagement/remoteAssistanceSettings".into()],
        overlay: if use_overlay {
            overlay
        } else {
            Default::default()
        },
        metadata_label: "metadata".into(),
        metadata_bytes: Vec::new(),
        runtime_path: "../runtime".into(),
        ..Default::default()
    };
    generate(&model, &options).expect("generates")
}

/// The file without its `@generated` line and without the `blockChat` field (its doc and
/// declaration, and its entry in the `object!` table). The tables' whitespace runs are made one
/// space: a table is filled into lines, which one entry less reflows.
fn without_block_chat(text: &str) -> String {
    let lines: Vec<&str> = text.lines().skip(1).collect();
    let mut out: Vec<String> = Vec::new();
    let mut table: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.contains("Indicates if sessions to block chat function") {
            while i < lines.len() && !lines[i - 1].contains("pub block_chat:") {
                i += 1;
            }
            continue;
        }
        if let Some(t) = &mut table {
            t.push(' ');
            t.push_str(line);
            if line == ");" {
                let t = table.take().unwrap_or_default();
                let t = t.replace("block_chat(\"blockChat\"),", "");
                out.push(t.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        } else if line.starts_with("odata_runtime::") && line.ends_with("!(") {
            table = Some(line.to_string());
        } else {
            out.push(line.to_string());
        }
    }
    out.extend(table);
    out.join("\n")
}

#[test]
fn the_full_beta_document_gives_the_same_api() {
    let Some(corpus) = corpus() else { return };
    let full = generate_from(&corpus.join("graph/beta-Mooncake-2022-07-27.csdl"));
    let ours = generate_from(&workspace().join("metadata/graph-beta.csdl"));
    assert_eq!(
        full.files.keys().collect::<Vec<_>>(),
        ours.files.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, text) in &ours.files {
        let theirs = &full.files[path];
        assert!(
            !theirs.contains("block_chat"),
            "{path}: the 2022 document has no blockChat"
        );
        assert_eq!(
            without_block_chat(theirs),
            without_block_chat(text),
            "{path}"
        );
    }
    assert!(ours.files["src/models/mod.rs"].contains("pub block_chat: Option<bool>"));
    let requests = &full.files["src/requests.rs"];
    assert!(requests.contains("pub fn get("));
    assert!(requests.contains("pub fn update("));
    assert!(!requests.contains("pub fn delete("), "no stray DELETE");
}

#[test]
fn without_the_overlay_conventions_would_add_a_delete() {
    let Some(corpus) = corpus() else { return };
    let full = generate_with(&corpus.join("graph/beta-Mooncake-2022-07-27.csdl"), false);
    let requests = &full.files["src/requests.rs"];
    assert!(
        requests.contains("pub fn delete("),
        "OData conventions give a contained entity DELETE"
    );
}
