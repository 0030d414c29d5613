//! Every OData document of the corpus that the reader accepts, generated whole with
//! `odata-codegen generate --all` and checked with clippy `-D warnings`, with all area features
//! and with none. (The Graph documents are checked by `bench/whole-graph.sh`: minutes each.)

mod common;

use common::{corpus, workspace};
use std::path::{Path, PathBuf};
use std::process::Command;

fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            documents(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("xml" | "csdl")
        ) && !path.ends_with("Northwind.v2-ado2006.csdl")
        {
            out.push(path);
        }
    }
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn whole_corpus_documents_generate_crates_that_pass_clippy() {
    let Some(corpus) = corpus() else { return };
    let mut docs = Vec::new();
    documents(&corpus.join("odata"), &mut docs);
    assert!(docs.len() >= 15, "too few documents: {docs:?}");
    let root = workspace().join("target/corpus-crates");
    let target = root.join("target");
    let mut failures = Vec::new();
    for doc in &docs {
        let stem = doc
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("doc")
            .replace('.', "-");
        let out = root.join(&stem);
        let _ = std::fs::remove_dir_all(&out);
        let generated = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
            .args(["generate", "--all", "--metadata"])
            .arg(doc)
            .arg("--out")
            .arg(&out)
            .args([
                "--crate-name",
                &format!("corpus-{}", stem.to_ascii_lowercase()),
            ])
            .output()
            .expect("odata-codegen runs");
        if !generated.status.success() {
            failures.push(format!(
                "{}: generate failed:\n{}",
                doc.display(),
                String::from_utf8_lossy(&generated.stderr)
            ));
            continue;
        }
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap_or_default();
        let mut runs = vec![vec![
            "clippy",
            "--quiet",
            "--all-targets",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ]];
        if manifest.contains("\nfull = ") {
            runs.push(vec![
                "clippy",
                "--quiet",
                "--all-targets",
                "--no-default-features",
                "--features",
                "full",
                "--",
                "-D",
                "warnings",
            ]);
        }
        for args in runs {
            if !cargo(&out, &target, &args) {
                failures.push(format!(
                    "{}: cargo {} failed",
                    doc.display(),
                    args.join(" ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
