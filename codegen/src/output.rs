//! The generated file set, and the plan that brings an output folder up to date with it.
//!
//! Pure: callers list what is on disk and carry the plan out. A file is the generator's when its
//! first line holds [`MARKER`]; every other file is hand-owned and never touched.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Location, Severity};

/// The marker that the first line of every generated file holds.
pub const MARKER: &str = "@generated";

/// Generated files by path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GeneratedFiles {
    pub files: BTreeMap<String, String>,
    /// What the caller should warn about: include paths and types that selected nothing.
    pub warnings: Vec<SelectionWarning>,
}

/// An include path or type of the options that selected nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionWarning {
    /// An include path that reaches no entity set, singleton, navigation property or operation.
    Path(String),
    /// An include type that names no type of the model.
    Type(String),
}

impl SelectionWarning {
    /// The include path or type, as given.
    pub fn pattern(&self) -> &str {
        match self {
            SelectionWarning::Path(p) | SelectionWarning::Type(p) => p,
        }
    }

    /// The warning at the place the caller read the pattern from; `None` for a command-line
    /// option.
    pub fn diagnostic(&self, location: Option<Location>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, location, self.to_string())
    }
}

impl std::fmt::Display for SelectionWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SelectionWarning::Path(p) => write!(
                f,
                "include path `{p}` matches no entity set, singleton, navigation property or operation"
            ),
            SelectionWarning::Type(t) => {
                write!(f, "include type `{t}` names no type of the metadata")
            }
        }
    }
}

/// What to do to an output folder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// New or changed files.
    pub write: Vec<String>,
    /// Generated files that the generator no longer produces.
    pub delete: Vec<String>,
    pub unchanged: Vec<String>,
    /// Hand-owned files that a generated file would overwrite: the plan must not be carried out.
    pub conflicts: Vec<String>,
}

impl Plan {
    pub fn is_up_to_date(&self) -> bool {
        self.write.is_empty() && self.delete.is_empty() && self.conflicts.is_empty()
    }

    /// Paths that differ from what the generator produces now.
    pub fn stale(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .write
            .iter()
            .chain(&self.delete)
            .chain(&self.conflicts)
            .map(String::as_str)
            .collect();
        all.sort_unstable();
        all
    }
}

/// Whether a file's text marks it as generated.
pub fn is_generated(text: &str) -> bool {
    text.lines().next().is_some_and(|l| l.contains(MARKER))
}

/// Compares what is on disk (relative path -> text, for every file under the output folder) with
/// what the generator produces.
pub fn plan(existing: &BTreeMap<String, String>, generated: &GeneratedFiles) -> Plan {
    let mut plan = Plan::default();
    for (path, text) in &generated.files {
        match existing.get(path) {
            Some(old) if old == text => plan.unchanged.push(path.clone()),
            Some(old) if !is_generated(old) => plan.conflicts.push(path.clone()),
            _ => plan.write.push(path.clone()),
        }
    }
    for (path, text) in existing {
        if !generated.files.contains_key(path) && is_generated(text) {
            plan.delete.push(path.clone());
        }
    }
    plan
}

/// Whether a generated relative path stays inside the output folder and is a portable file name.
pub fn is_safe_relative_path(path: &str) -> bool {
    const RESERVED: &[&str] = &[
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    !path.is_empty()
        && !path.starts_with('/')
        && path.split('/').all(|seg| {
            let stem = seg.split('.').next().unwrap_or(seg).to_ascii_lowercase();
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && !seg.starts_with('.')
                && seg.len() <= 128
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && !RESERVED.contains(&stem.as_str())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn plans_writes_deletes_and_conflicts() {
        let existing = files(&[
            ("src/lib.rs", "// @generated\nold"),
            ("src/same.rs", "// @generated\nsame"),
            ("src/gone.rs", "// @generated\nx"),
            ("src/hand.rs", "mine"),
            ("examples/update.rs", "mine"),
        ]);
        let generated = GeneratedFiles {
            warnings: Vec::new(),
            files: files(&[
                ("src/lib.rs", "// @generated\nnew"),
                ("src/same.rs", "// @generated\nsame"),
                ("src/hand.rs", "// @generated\nwould overwrite"),
                ("src/new.rs", "// @generated\nnew"),
            ]),
        };
        let p = plan(&existing, &generated);
        assert_eq!(p.write, ["src/lib.rs", "src/new.rs"]);
        assert_eq!(p.delete, ["src/gone.rs"]);
        assert_eq!(p.unchanged, ["src/same.rs"]);
        assert_eq!(p.conflicts, ["src/hand.rs"]);
        assert!(!p.is_up_to_date());
    }

    #[test]
    fn rejects_paths_that_leave_the_folder() {
        for bad in [
            "",
            "/etc/passwd",
            "../x.rs",
            "src/../../x",
            "src//x.rs",
            "con.rs",
            "src/.hidden",
            "a b.rs",
        ] {
            assert!(!is_safe_relative_path(bad), "{bad}");
        }
        for good in ["src/lib.rs", "Cargo.toml", "src/models/security.rs"] {
            assert!(is_safe_relative_path(good), "{good}");
        }
    }
}
