//! Helpers shared by the integration tests: where the workspace and the corpus are.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The corpus folder (`ODATA_CORPUS`, else `../shared/corpus` next to the workspace), or `None`
/// with a printed reason when it is absent.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("ODATA_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"));
    if dir.is_dir() {
        Some(std::fs::canonicalize(&dir).unwrap_or(dir))
    } else {
        println!(
            "skipping: no corpus at {} (set ODATA_CORPUS)",
            dir.display()
        );
        None
    }
}

/// Every `.xml` and `.csdl` file below `dir`, appended to `found` (unsorted).
pub fn csdl_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            csdl_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "xml" || e == "csdl") {
            found.push(path);
        }
    }
}

/// The CSDL documents of the corpus's `graph/` and `odata/` folders, sorted.
pub fn corpus_documents(corpus: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    csdl_files(&corpus.join("graph"), &mut files);
    csdl_files(&corpus.join("odata"), &mut files);
    files.sort();
    files
}
