//! Integration tests live in `tests/tests/`; this library holds what several of them need.

use std::path::{Path, PathBuf};

/// The workspace root, absolute.
pub fn workspace() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.canonicalize().unwrap_or(root)
}

/// The shared corpus folder (`ODATA_CORPUS`, else `../shared/corpus` beside the workspace), or
/// `None` with a printed reason when it is absent.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("ODATA_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipping: corpus folder {} is absent (set ODATA_CORPUS)",
            dir.display()
        );
        None
    }
}

/// Writes `text` to `path`, creating its folder.
pub fn write_file(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}
