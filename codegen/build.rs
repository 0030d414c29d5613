//! Bakes a digest of the generator's own source into the library (`ODATA_CODEGEN_SOURCE_DIGEST`),
//! so that an output folder's stamp (`fingerprint.rs`) stops matching whenever the emitter
//! changes, also between two builds of the same version number.
//!
//! It hashes the files a crate tarball holds as well as a git checkout: `Cargo.toml`, this
//! script, every file under `src/`, and the `Cargo.lock` next to the crate or its workspace (the
//! versions of prettyplease, syn and the rest, which shape the output too). No git is needed.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = vec![root.join("Cargo.toml"), root.join("build.rs")];
    collect(&root.join("src"), &mut files);
    // the lock file of a packaged crate sits beside it; in a workspace, one folder up
    if let Some(lock) = [root.join("Cargo.lock"), root.join("../Cargo.lock")]
        .into_iter()
        .find(|p| p.is_file())
    {
        files.push(lock);
    }
    let mut hasher = Sha256::new();
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap_or(file);
        // `/` on every platform, so the digest does not depend on where the crate was built
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let bytes = std::fs::read(file).expect("read a source file");
        hasher.update(rel.join("/").as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
        println!("cargo:rerun-if-changed={}", file.display());
    }
    println!("cargo:rerun-if-changed={}", root.join("src").display());
    let digest: String = hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    println!("cargo:rustc-env=ODATA_CODEGEN_SOURCE_DIGEST={digest}");
}

/// Every file under `dir`, in a stable order.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the source folder")
        .map(|e| e.expect("read the source folder").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
