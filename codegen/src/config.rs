//! The generator's configuration and the operations overlay, parsed from TOML text.
//!
//! The overlay states which operations a path really has where the metadata is silent, and the
//! permissions the documentation lists for each operation.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::syntax::Pos;

/// `metadata/codegen.toml`: what the xtask generates into `generated/`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The CSDL document, relative to the configuration file.
    pub metadata: String,
    /// The operations overlay, relative to the configuration file.
    #[serde(default)]
    pub overlay: Option<String>,
    /// The package name of the generated crate.
    pub crate_name: String,
    /// `beta` or `v1.0`.
    pub api_version: String,
    #[serde(default)]
    pub include_paths: Vec<String>,
    #[serde(default)]
    pub include_types: Vec<String>,
    /// Generate everything instead of a selection.
    #[serde(default)]
    pub all: bool,
    /// Bring in the derived types of the types that values are declared with (default `true`);
    /// `false` keeps a crate small, and derived values are then read as their declared type.
    #[serde(default = "yes")]
    pub derived_types: bool,
}

fn yes() -> bool {
    true
}

/// Operations of the CRUD kind a path can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CrudOperation {
    /// `GET` of one entity.
    Get,
    /// `GET` of a collection.
    List,
    /// `POST` to a collection.
    Create,
    /// `PATCH`.
    Update,
    /// `DELETE`.
    Delete,
}

impl CrudOperation {
    pub fn method(self) -> &'static str {
        match self {
            CrudOperation::Get | CrudOperation::List => "GET",
            CrudOperation::Create => "POST",
            CrudOperation::Update => "PATCH",
            CrudOperation::Delete => "DELETE",
        }
    }
}

/// The permissions of one operation, least privileged first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    #[serde(default)]
    pub delegated_work: Vec<String>,
    /// Empty means not supported.
    #[serde(default)]
    pub delegated_personal: Vec<String>,
    #[serde(default)]
    pub application: Vec<String>,
}

/// What the overlay says about one path.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathOverlay {
    /// A path as the service documents it: `/deviceManagement/remoteAssistanceSettings`, with
    /// `{id}`-style segments for keys.
    pub path: String,
    /// The operations the path has; the metadata's restrictions and conventions are not consulted.
    pub operations: Vec<CrudOperation>,
    /// Documented permissions per operation.
    #[serde(default)]
    pub permissions: BTreeMap<CrudOperation, Permissions>,
}

/// The operations overlay file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    #[serde(default, rename = "path")]
    pub paths: Vec<PathOverlay>,
}

impl Overlay {
    /// The entry for a concrete path; key segments of either side match any key segment.
    pub fn get(&self, path: &str) -> Option<&PathOverlay> {
        self.paths.iter().find(|p| same_path(&p.path, path))
    }
}

fn same_path(a: &str, b: &str) -> bool {
    let a: Vec<&str> = a.trim_matches('/').split('/').collect();
    let b: Vec<&str> = b.trim_matches('/').split('/').collect();
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            let key = |s: &str| s.starts_with('{') && s.ends_with('}');
            (key(x) && key(y)) || x.eq_ignore_ascii_case(y)
        })
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, file: &str) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let pos = e
            .span()
            .map_or(Pos { line: 1, col: 1 }, |span| position(text, span.start));
        Diagnostic::error(file, pos, e.message().to_string())
    })
}

fn position(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos {
        line: line as u32,
        col: col as u32,
    }
}

/// Parses `codegen.toml`.
pub fn parse_config(text: &str, file: &str) -> Result<ConfigFile, Diagnostic> {
    let config: ConfigFile = parse(text, file)?;
    if !matches!(config.api_version.as_str(), "beta" | "v1.0") {
        return Err(Diagnostic::error(
            file,
            Pos { line: 1, col: 1 },
            format!(
                "api_version `{}` is not supported: expected `beta` or `v1.0`",
                config.api_version
            ),
        ));
    }
    Ok(config)
}

/// Parses an operations overlay.
pub fn parse_overlay(text: &str, file: &str) -> Result<Overlay, Diagnostic> {
    parse(text, file)
}
