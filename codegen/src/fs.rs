//! File-system helpers shared by the `odata-codegen` command and the xtask (feature `fs`): a
//! [`SourceLoader`] that reads referenced documents from disk, listing an output folder,
//! carrying out an [`output::Plan`], and the [`Stamp`] that lets an unchanged run skip generating.
//!
//! The stages do no I/O; this module, compiled only for the command-line tools, is where they do
//! it. It depends on `std` and the rest of the crate only.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::emit::GenerateOptions;
use crate::fingerprint::{self, Document};
use crate::model::{LoadedSource, SourceLoader};
use crate::output::{self, GeneratedFiles, Plan};

/// Loads `edmx:Reference`d documents from files next to the referencing document.
///
/// Document names are paths relative to `base` (or absolute), normalized lexically and written with
/// `/` separators, so the same document always gets the same name and a reference cycle ends.
/// Absolute URLs (`http:`, `https:`, `file:` and any other scheme) are refused, never fetched.
///
/// It remembers every document it was asked for, found or not ([`FsLoader::documents`]): what a
/// run's output depends on besides the main document.
#[derive(Debug, Clone)]
pub struct FsLoader {
    base: PathBuf,
    /// Every document read by resolved name, in order: its bytes, `None` if it could not be read.
    read: Vec<(String, Option<Vec<u8>>)>,
}

impl FsLoader {
    /// A loader that resolves document names against `base` (the current directory for the
    /// command line, the workspace root for the xtask).
    pub fn new(base: impl Into<PathBuf>) -> Self {
        FsLoader {
            base: base.into(),
            read: Vec::new(),
        }
    }

    /// Where the document named `name` is on disk.
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.base.join(name)
    }

    /// The documents this loader read (or failed to read), in order, for
    /// [`crate::fingerprint::inputs`].
    pub fn documents(&self) -> Vec<Document<'_>> {
        self.read
            .iter()
            .map(|(name, bytes)| Document {
                name,
                bytes: bytes.as_deref(),
            })
            .collect()
    }

    /// Reads the documents named `names` (as an earlier run's [`FsLoader::documents`] named them)
    /// as this loader would, remembering them.
    fn reread(&mut self, names: &[String]) {
        for name in names {
            let bytes = fs::read(self.path_of(name)).ok();
            self.read.push((name.clone(), bytes));
        }
    }
}

impl SourceLoader for FsLoader {
    fn load(&mut self, uri: &str, from: &str) -> Result<LoadedSource, String> {
        let relative = relative_reference(uri)?;
        let dir = Path::new(from).parent().unwrap_or(Path::new(""));
        let name = document_name(&dir.join(relative));
        let read = fs::read(self.path_of(&name));
        self.read.push((name.clone(), read.as_ref().ok().cloned()));
        match read {
            Ok(bytes) => Ok(LoadedSource { name, bytes }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(format!("file `{name}` does not exist"))
            }
            Err(e) => Err(format!("cannot read `{name}`: {e}")),
        }
    }
}

/// The relative path a reference URI names, or why it is not followed.
fn relative_reference(uri: &str) -> Result<PathBuf, String> {
    let uri = uri.trim();
    if uri.is_empty() {
        return Err("the Uri is empty".to_string());
    }
    if let Some(scheme) = uri_scheme(uri) {
        return Err(format!(
            "`{scheme}:` URLs are not fetched; save the document next to the referencing file and \
             reference it by a relative path"
        ));
    }
    // Drop a query or fragment: they do not name another file.
    let path = uri.split(['?', '#']).next().unwrap_or_default();
    let path =
        percent_decode(path).ok_or_else(|| format!("the Uri `{uri}` has an invalid %-escape"))?;
    if path.is_empty() {
        return Err(format!("the Uri `{uri}` names no file"));
    }
    if path.starts_with('/') || path.starts_with('\\') || Path::new(&path).is_absolute() {
        return Err(format!(
            "absolute paths are not followed; reference `{path}` relative to the referencing file"
        ));
    }
    Ok(path.split('/').collect())
}

/// The scheme of an absolute URI (`https` of `https://...`); a one-letter "scheme" is a drive letter.
fn uri_scheme(uri: &str) -> Option<&str> {
    let (scheme, _) = uri.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (scheme.len() > 1
        && first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The stable name of a document at `path`: `.` and `..` resolved lexically; relative paths are
/// written with `/` so that names (and diagnostics) are the same on every platform.
pub fn document_name(path: &Path) -> String {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => parts.push(c),
            },
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return ".".to_string();
    }
    if parts
        .iter()
        .all(|c| matches!(c, Component::Normal(_) | Component::ParentDir))
    {
        parts
            .iter()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    } else {
        parts
            .iter()
            .collect::<PathBuf>()
            .to_string_lossy()
            .into_owned()
    }
}

/// Every file under `dir` by `/`-separated relative path, with its text (lossily decoded).
///
/// A missing folder lists as empty. `target/` at the top and hidden entries (`.git`, ...) are
/// skipped: the generator never writes such paths. A symbolic link is listed as a hand-owned file,
/// so the generator never writes through it.
pub fn list_files(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    // The folder itself may be a symbolic link; links inside it are not followed.
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(files),
        Err(e) => return Err(format!("cannot read `{}`: {e}", dir.display())),
        Ok(meta) if !meta.is_dir() => {
            return Err(format!("`{}` is not a directory", dir.display()));
        }
        Ok(_) => {}
    }
    list_into(dir, "", &mut files)?;
    Ok(files)
}

fn list_into(dir: &Path, prefix: &str, files: &mut BTreeMap<String, String>) -> Result<(), String> {
    walk(dir, prefix, &mut |rel, entry, kind| {
        let text = if kind.is_symlink() {
            String::new()
        } else {
            let path = entry.path();
            let bytes =
                fs::read(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            String::from_utf8_lossy(&bytes).into_owned()
        };
        files.insert(rel, text);
        Ok(())
    })
}

/// Calls `visit` with every file under `dir` that [`list_files`] lists: its relative path, entry
/// and type (a symbolic link is not followed).
fn walk(
    dir: &Path,
    prefix: &str,
    visit: &mut dyn FnMut(String, &fs::DirEntry, fs::FileType) -> Result<(), String>,
) -> Result<(), String> {
    let read_err = |e: io::Error| format!("cannot read `{}`: {e}", dir.display());
    for entry in fs::read_dir(dir).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue; // not a name the generator can produce
        };
        if name.starts_with('.') || (prefix.is_empty() && name == "target") {
            continue;
        }
        let rel = format!("{prefix}{name}");
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        if kind.is_dir() {
            walk(&path, &format!("{rel}/"), visit)?;
        } else {
            visit(rel, &entry, kind)?;
        }
    }
    Ok(())
}

/// Generated paths that would leave the output folder or are not portable file names.
pub fn unsafe_paths(files: &GeneratedFiles) -> Vec<&str> {
    files
        .files
        .keys()
        .map(String::as_str)
        .filter(|p| !output::is_safe_relative_path(p))
        .collect()
}

/// Carries out `plan` in `dir`: writes new and changed files, deletes stale generated files and the
/// folders that deleting them emptied. Refuses a plan with conflicts or unsafe paths, and any path
/// that goes through a symbolic link.
pub fn apply_plan(dir: &Path, plan: &Plan, files: &GeneratedFiles) -> Result<(), String> {
    if !plan.conflicts.is_empty() {
        return Err(format!(
            "refusing to overwrite hand-owned files (their first line has no `{}` marker): {}",
            output::MARKER,
            plan.conflicts.join(", ")
        ));
    }
    for rel in plan.write.iter().chain(&plan.delete) {
        if !output::is_safe_relative_path(rel) {
            return Err(format!(
                "refusing to write `{rel}`: it is not a safe path inside `{}`",
                dir.display()
            ));
        }
        check_no_symlink(dir, rel)?;
    }
    for rel in &plan.write {
        let Some(text) = files.files.get(rel) else {
            return Err(format!(
                "internal error: `{rel}` is planned but was not generated"
            ));
        };
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    for rel in &plan.delete {
        let path = dir.join(rel);
        fs::remove_file(&path).map_err(|e| format!("cannot remove `{}`: {e}", path.display()))?;
        // Remove the folders this emptied, up to (not including) `dir`.
        let mut parent = Path::new(rel).parent();
        while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
            if fs::remove_dir(dir.join(p)).is_err() {
                break; // not empty
            }
            parent = p.parent();
        }
    }
    Ok(())
}

/// Refuses `rel` when `dir/rel` or a folder on the way is a symbolic link.
fn check_no_symlink(dir: &Path, rel: &str) -> Result<(), String> {
    let mut path = dir.to_path_buf();
    for segment in rel.split('/') {
        path.push(segment);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(format!(
                    "refusing to write through the symbolic link `{}`",
                    path.display()
                ));
            }
            Ok(_) => {}
            Err(_) => break, // does not exist yet: nothing below it does either
        }
    }
    Ok(())
}

/// `wrote N files, removed M, unchanged K`.
pub fn summary(plan: &Plan) -> String {
    format!(
        "wrote {} files, removed {}, unchanged {}",
        plan.write.len(),
        plan.delete.len(),
        plan.unchanged.len()
    )
}

/// The file in an output folder that records what the last run generated it from: hidden, so
/// [`list_files`] and the plan never see it.
pub const STAMP: &str = ".odata-codegen.stamp";

/// Bumped when [`Stamp`]'s layout changes; a stamp of another format never matches.
const STAMP_FORMAT: u32 = 1;

/// What the last successful run into a folder generated it from, and what the folder held right
/// after it: every file [`list_files`] lists (generated or hand-owned) with its length and times.
///
/// A run whose [`crate::fingerprint::inputs`] equal `inputs` and that finds every file as
/// recorded would write nothing, so it can stop before generating. A file that was edited,
/// replaced, added or removed since changes the listing, and the run generates and compares as
/// usual (and records the folder again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    format: u32,
    /// The fingerprint of the run's inputs.
    pub inputs: String,
    /// The referenced documents the run read, by resolved name, in order.
    pub documents: Vec<String>,
    /// The warnings the run printed, to print again when a later run stops early.
    pub warnings: Vec<String>,
    files: BTreeMap<String, FileState>,
}

/// What a file's metadata says about its content: a different length or time means it may
/// have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FileState {
    len: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    modified: u64,
    /// Unix: the inode change time, which also moves when a tool edits a file and then restores
    /// its modification time; 0 elsewhere.
    changed: u64,
}

impl FileState {
    fn of(meta: &fs::Metadata) -> FileState {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            u64::try_from(meta.ctime())
                .unwrap_or(0)
                .saturating_mul(1_000_000_000)
                .saturating_add(u64::try_from(meta.ctime_nsec()).unwrap_or(0))
        };
        #[cfg(not(unix))]
        let changed = 0;
        FileState {
            len: meta.len(),
            modified,
            changed,
        }
    }
}

/// The length and times of every file under `dir` that [`list_files`] lists, without reading
/// any.
fn file_states(dir: &Path) -> Result<BTreeMap<String, FileState>, String> {
    let mut states = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(states);
    }
    walk(dir, "", &mut |rel, entry, _| {
        let meta = entry
            .metadata()
            .map_err(|e| format!("cannot read `{}`: {e}", entry.path().display()))?;
        states.insert(rel, FileState::of(&meta));
        Ok(())
    })?;
    Ok(states)
}

/// The stamp of `dir` when a run with `options` and `extra` (see [`fingerprint::inputs`]) into it
/// has nothing to do: the inputs and the folder are as the stamp records. The referenced
/// documents are read through `loader` by the names the stamp gives (the main document's bytes,
/// in the options, decide which documents it references, so while they are unchanged the names
/// are the same).
///
/// `None` when there is no readable stamp, or anything differs.
pub fn unchanged(
    dir: &Path,
    loader: &mut FsLoader,
    options: &GenerateOptions,
    extra: &[(&str, &str)],
) -> Option<Stamp> {
    let text = fs::read(dir.join(STAMP)).ok()?;
    let stamp: Stamp = serde_json::from_slice(&text).ok()?;
    if stamp.format != STAMP_FORMAT {
        return None;
    }
    loader.reread(&stamp.documents);
    if fingerprint::inputs(options, &loader.documents(), extra) != stamp.inputs {
        return None;
    }
    (file_states(dir).ok()? == stamp.files).then_some(stamp)
}

/// Removes the stamp of `dir`, before a run changes the folder: a run that fails halfway leaves
/// none, and the next one generates.
pub fn remove_stamp(dir: &Path) -> Result<(), String> {
    match fs::remove_file(dir.join(STAMP)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(format!(
            "cannot remove `{}`: {e}",
            dir.join(STAMP).display()
        )),
        _ => Ok(()),
    }
}

/// Records in `dir`, after a successful run, what it was generated from (`options`, `extra`,
/// the documents `loader` read), the `warnings` it printed and every file the folder holds now.
pub fn write_stamp(
    dir: &Path,
    options: &GenerateOptions,
    extra: &[(&str, &str)],
    loader: &FsLoader,
    warnings: Vec<String>,
) -> Result<(), String> {
    let stamp = Stamp {
        format: STAMP_FORMAT,
        inputs: fingerprint::inputs(options, &loader.documents(), extra),
        documents: loader.read.iter().map(|(name, _)| name.clone()).collect(),
        warnings,
        files: file_states(dir)?,
    };
    let text =
        serde_json::to_string_pretty(&stamp).map_err(|e| format!("cannot write the stamp: {e}"))?;
    let path = dir.join(STAMP);
    fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    check_no_symlink(dir, STAMP)?;
    fs::write(&path, text + "\n").map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("odata-cli-fs-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn generated(list: &[(&str, &str)]) -> GeneratedFiles {
        GeneratedFiles {
            warnings: Vec::new(),
            files: list
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        }
    }

    #[test]
    fn lists_applies_and_prunes() {
        let dir = temp_dir("apply");
        fs::create_dir_all(dir.join("target/debug")).unwrap();
        fs::write(
            dir.join("target/debug/x.rs"),
            "// @generated by odata-codegen\n",
        )
        .unwrap();
        fs::create_dir_all(dir.join(".git")).unwrap();
        fs::write(dir.join(".git/HEAD"), "ref\n").unwrap();
        fs::create_dir_all(dir.join("src/old")).unwrap();
        fs::write(
            dir.join("src/old/gone.rs"),
            "// @generated by odata-codegen\n",
        )
        .unwrap();
        fs::write(dir.join("notes.md"), "mine\n").unwrap();
        let existing = list_files(&dir).unwrap();
        assert_eq!(
            existing.keys().collect::<Vec<_>>(),
            ["notes.md", "src/old/gone.rs"]
        );

        let files = generated(&[("src/lib.rs", "// @generated by odata-codegen\n")]);
        let plan = output::plan(&existing, &files);
        apply_plan(&dir, &plan, &files).unwrap();
        assert_eq!(summary(&plan), "wrote 1 files, removed 1, unchanged 0");
        assert!(!dir.join("src/old").exists());
        assert!(dir.join("notes.md").exists() && dir.join("target/debug/x.rs").exists());
        let existing = list_files(&dir).unwrap();
        assert!(output::plan(&existing, &files).is_up_to_date());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_conflicts_unsafe_paths_and_symlinks() {
        let dir = temp_dir("refuse");
        let files = generated(&[("../escape.rs", "// @generated by odata-codegen\n")]);
        assert_eq!(unsafe_paths(&files), ["../escape.rs"]);
        let plan = Plan {
            write: vec!["../escape.rs".into()],
            ..Plan::default()
        };
        assert!(
            apply_plan(&dir, &plan, &files)
                .unwrap_err()
                .contains("not a safe path")
        );
        let plan = Plan {
            conflicts: vec!["Cargo.toml".into()],
            ..Plan::default()
        };
        assert!(
            apply_plan(&dir, &plan, &files)
                .unwrap_err()
                .contains("hand-owned")
        );
        #[cfg(unix)]
        {
            let outside = temp_dir("refuse-outside");
            std::os::unix::fs::symlink(&outside, dir.join("src")).unwrap();
            let files = generated(&[("src/lib.rs", "// @generated by odata-codegen\n")]);
            let plan = output::plan(&list_files(&dir).unwrap(), &files);
            assert!(
                apply_plan(&dir, &plan, &files)
                    .unwrap_err()
                    .contains("symbolic link")
            );
            assert!(!outside.join("lib.rs").exists());
            fs::remove_dir_all(&outside).unwrap();
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
