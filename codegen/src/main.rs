//! `odata-codegen`: inspect OData CSDL metadata and generate a Rust crate from it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use odata_codegen::config::Overlay;
use odata_codegen::diagnostics::{Diagnostic, warning_lines};
use odata_codegen::diff::render;
use odata_codegen::emit::{GenerateOptions, generate};
use odata_codegen::model::{Model, load_model};
use odata_codegen::output;
use odata_codegen::select::SelectOptions;

use odata_codegen::fs::{self as cli_fs, FsLoader};

/// The generator allocates millions of small strings and token trees; mimalloc does that in
/// about half the time of the system allocator (see `BENCHMARKS.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How many warnings are printed before the rest are only counted.
const MAX_WARNINGS: usize = 20;

/// Reads OData CSDL metadata (such as Microsoft Graph's) and generates a Rust client crate from it.
///
/// Relative `edmx:Reference` URIs are loaded from files next to the referencing document;
/// absolute URLs are never fetched. Diagnostics are printed as `FILE:LINE:COL: error: ...`.
#[derive(Debug, Parser)]
#[command(name = "odata-codegen", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load a CSDL document and the documents it references, check them and print element counts.
    ///
    /// Prints one `name: count` line per kind of element (schemas, entity_types, complex_types,
    /// enum_types, type_definitions, terms, actions, functions, entity_sets, singletons,
    /// annotations) and exits 0; on invalid input prints every error and exits 1.
    Inspect(InspectArgs),
    /// Generate a Rust crate from a CSDL document into a folder.
    ///
    /// Writes only files whose content changed and removes generated files that are no longer
    /// produced. Files whose first line lacks the `@generated` marker are hand-owned: they are never
    /// overwritten or removed. Refuses a non-empty folder that holds no generated file.
    ///
    /// Records what it generated from in `DIR/.odata-codegen.stamp`; a later run with the same
    /// metadata, referenced documents, options and generator, into a folder nobody changed since,
    /// generates nothing and says `unchanged`.
    Generate(GenerateArgs),
    /// Compare the crates two CSDL documents give: what changed in the API, and what it breaks.
    ///
    /// Every change is classified breaking, additive or docs-only for the generated crate's
    /// semver and names the Rust items it touches. Exits 0 when nothing breaks, 1 when something
    /// does, 2 on invalid input (every error printed as `FILE:LINE:COL: error: ...`). Without
    /// --include-path, --include-type or --config, the whole documents are compared (--all).
    Diff(DiffArgs),
}

#[derive(Debug, Args)]
struct InspectArgs {
    /// The CSDL document (`.csdl` or `.xml`).
    #[arg(long, value_name = "FILE")]
    metadata: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ApiVersion {
    #[value(name = "beta")]
    Beta,
    #[value(name = "v1.0")]
    V1,
}

impl ApiVersion {
    fn as_str(self) -> &'static str {
        match self {
            ApiVersion::Beta => "beta",
            ApiVersion::V1 => "v1.0",
        }
    }
}

/// What to generate, or to compare.
#[derive(Debug, Args)]
struct SelectionArgs {
    /// Include the resources under a path, Kiota style (`/users/**`,
    /// `/deviceManagement/remoteAssistanceSettings`). Repeatable.
    #[arg(long = "include-path", value_name = "GLOB")]
    include_paths: Vec<String>,
    /// Include a type by qualified or simple name. Repeatable.
    #[arg(long = "include-type", value_name = "NAME")]
    include_types: Vec<String>,
    /// Every type and every path (for `diff`, the default without another selection).
    #[arg(long)]
    all: bool,
    /// Do not bring in the derived types of the types that the selected paths declare their values
    /// with (values of a derived type are then read as the declared type, their own properties kept
    /// in `additional_properties`).
    #[arg(long)]
    no_derived_types: bool,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// The CSDL document (`.csdl` or `.xml`).
    #[arg(long, value_name = "FILE")]
    metadata: PathBuf,
    #[command(flatten)]
    select: SelectionArgs,
    /// With --all: do not split the crate into one Cargo feature per entity set or singleton.
    #[arg(long)]
    no_area_features: bool,
    /// Operations overlay (TOML): operations and permissions of paths where the metadata is silent.
    #[arg(long, value_name = "FILE")]
    overlay: Option<PathBuf>,
    /// The folder to write the crate into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Package name of the generated crate [default: derived from the metadata file name].
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// The Graph API version the crate targets.
    #[arg(long, value_enum, default_value = "v1.0", value_name = "VERSION")]
    api_version: ApiVersion,
    /// Generate and compare every file even when the stamp says nothing changed.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// The earlier CSDL document.
    #[arg(long, value_name = "FILE")]
    old: PathBuf,
    /// The later CSDL document [default with --config: the configuration's metadata].
    #[arg(long, value_name = "FILE", required_unless_present = "config")]
    new: Option<PathBuf>,
    /// Select, and take the overlay, as this configuration does (`metadata/codegen.toml`).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["include_paths", "include_types", "all", "no_derived_types", "overlay"])]
    config: Option<PathBuf>,
    #[command(flatten)]
    select: SelectionArgs,
    /// Operations overlay (TOML) of both sides.
    #[arg(long, value_name = "FILE")]
    overlay: Option<PathBuf>,
    /// Operations overlay of the earlier side [default: the later side's].
    #[arg(long, value_name = "FILE")]
    old_overlay: Option<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// A failed run: the message (already printed, if empty) and the exit code.
type Failure = ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect(args) => inspect(&args),
        Command::Generate(args) => generate_crate(&args),
        Command::Diff(args) => diff(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Prints `message` as an error and returns the failure exit code.
fn fail(message: impl std::fmt::Display) -> Failure {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

/// Reads and loads the model of `path` with its references; prints warnings.
fn load(path: &Path) -> Result<(Model, Vec<u8>), Failure> {
    load_or_exit(path, ExitCode::FAILURE)
}

/// [`load`], failing with `code` on invalid input.
fn load_or_exit(path: &Path, code: ExitCode) -> Result<(Model, Vec<u8>), Failure> {
    let bytes = read_metadata(path, code)?;
    let model = load_bytes(path, &bytes, &mut FsLoader::new(""), code)?;
    for line in warning_lines(&model.warnings, MAX_WARNINGS) {
        eprintln!("{line}");
    }
    Ok((model, bytes))
}

/// The bytes of the metadata file at `path`, failing with `code`.
fn read_metadata(path: &Path, code: ExitCode) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        eprintln!("error: cannot read metadata file `{}`: {e}", path.display());
        code
    })
}

/// The model of the metadata `bytes` read from `path`, its references read by `loader`; prints
/// the errors and fails with `code` on invalid input.
fn load_bytes(
    path: &Path,
    bytes: &[u8],
    loader: &mut FsLoader,
    code: ExitCode,
) -> Result<Model, Failure> {
    match load_model(&cli_fs::document_name(path), bytes, loader) {
        Ok(model) => Ok(model),
        Err(errors) => {
            print_diagnostics(&errors);
            let n = errors.len();
            let plural = if n == 1 { "" } else { "s" };
            eprintln!(
                "error: `{}` is not valid CSDL ({n} error{plural})",
                path.display()
            );
            Err(code)
        }
    }
}

fn inspect(args: &InspectArgs) -> Result<(), Failure> {
    let (model, _) = load(&args.metadata)?;
    let c = model.counts();
    let figures = [
        ("schemas", c.schemas),
        ("entity_types", c.entity_types),
        ("complex_types", c.complex_types),
        ("enum_types", c.enum_types),
        ("type_definitions", c.type_definitions),
        ("terms", c.terms),
        ("actions", c.actions),
        ("functions", c.functions),
        ("entity_sets", c.entity_sets),
        ("singletons", c.singletons),
        ("annotations", c.annotations),
    ];
    for (name, n) in figures {
        println!("{name}: {n}");
    }
    Ok(())
}

fn generate_crate(args: &GenerateArgs) -> Result<(), Failure> {
    let crate_name = match &args.crate_name {
        Some(name) => {
            if let Err(why) = check_package_name(name) {
                return Err(fail(format_args!(
                    "--crate-name `{name}` is not a valid package name: {why}"
                )));
            }
            name.clone()
        }
        None => default_crate_name(&args.metadata),
    };
    let overlay = read_overlay(args.overlay.as_deref(), ExitCode::FAILURE)?;
    let options = GenerateOptions {
        crate_name,
        api_version: args.api_version.as_str().to_string(),
        include_paths: args.select.include_paths.clone(),
        include_types: args.select.include_types.clone(),
        all: args.select.all,
        overlay,
        metadata_label: args.metadata.display().to_string(),
        metadata_bytes: read_metadata(&args.metadata, ExitCode::FAILURE)?,
        runtime_path: runtime_path(),
        standalone: true,
        regenerate_command: "odata-codegen generate".to_string(),
        area_features: args.select.all && !args.no_area_features,
        no_derived_types: args.select.no_derived_types,
    };
    let out = &args.out;
    if !args.force
        && let Some(stamp) = cli_fs::unchanged(out, &mut FsLoader::new(""), &options, &[])
    {
        for line in &stamp.warnings {
            eprintln!("{line}");
        }
        println!(
            "unchanged: `{}` is up to date with the metadata, options and generator \
             (nothing generated; --force regenerates)",
            out.display()
        );
        return Ok(());
    }
    // Refuse a folder this command did not generate before doing any work.
    let existing = cli_fs::list_files(out).map_err(fail)?;
    let non_empty = match std::fs::read_dir(out) {
        Ok(entries) => entries.flatten().any(|e| e.file_name() != cli_fs::STAMP),
        Err(_) => false, // missing (list_files refused anything else)
    };
    if non_empty && !existing.values().any(|text| output::is_generated(text)) {
        return Err(fail(format_args!(
            "`{}` is not empty and holds no generated file (none starts with a `{}` line): \
             refusing to write into a folder odata-codegen did not generate; pick an empty or new folder",
            out.display(),
            output::MARKER
        )));
    }
    let mut loader = FsLoader::new("");
    let model = load_bytes(
        &args.metadata,
        &options.metadata_bytes,
        &mut loader,
        ExitCode::FAILURE,
    )?;
    let mut warnings = warning_lines(&model.warnings, MAX_WARNINGS);
    let files = generate(&model, &options).map_err(|errors| {
        print_diagnostics(&errors);
        fail("generation failed")
    })?;
    warnings.extend(
        files
            .warnings
            .iter()
            .map(|w| w.diagnostic(None).to_string()),
    );
    for line in &warnings {
        eprintln!("{line}");
    }

    let unsafe_paths = cli_fs::unsafe_paths(&files);
    if !unsafe_paths.is_empty() {
        return Err(fail(format_args!(
            "refusing to write paths that are not safe inside `{}`: {}",
            out.display(),
            unsafe_paths.join(", ")
        )));
    }
    let plan = output::plan(&existing, &files);
    if !plan.conflicts.is_empty() {
        return Err(fail(format_args!(
            "refusing to overwrite hand-owned files in `{}` (their first line has no `{}` marker): {}",
            out.display(),
            output::MARKER,
            plan.conflicts.join(", ")
        )));
    }
    cli_fs::remove_stamp(out).map_err(fail)?;
    cli_fs::apply_plan(out, &plan, &files).map_err(fail)?;
    cli_fs::write_stamp(out, &options, &[], &loader, warnings).map_err(fail)?;
    println!("{}", cli_fs::summary(&plan));
    Ok(())
}

/// The overlay at `path` (none: an empty one), failing with `code`.
fn read_overlay(path: Option<&Path>, code: ExitCode) -> Result<Overlay, Failure> {
    let Some(path) = path else {
        return Ok(Overlay::default());
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read overlay file `{}`: {e}", path.display());
        code
    })?;
    odata_codegen::config::parse_overlay(&text, &path.display().to_string()).map_err(|d| {
        eprintln!("{d}");
        code
    })
}

/// The exit status of invalid input to `diff` (1 means breaking changes).
const DIFF_INVALID: u8 = 2;

/// What `diff` compares with: the selection and the overlays of both sides.
struct DiffSelection {
    include_paths: Vec<String>,
    include_types: Vec<String>,
    all: bool,
    no_derived_types: bool,
    old_overlay: Overlay,
    new_overlay: Overlay,
    new: PathBuf,
}

fn diff_selection(args: &DiffArgs) -> Result<DiffSelection, Failure> {
    let invalid = || ExitCode::from(DIFF_INVALID);
    let Some(config_path) = &args.config else {
        let new_overlay = read_overlay(args.overlay.as_deref(), invalid())?;
        let old_overlay = match &args.old_overlay {
            Some(path) => read_overlay(Some(path), invalid())?,
            None => new_overlay.clone(),
        };
        let select = &args.select;
        let all =
            select.all || (select.include_paths.is_empty() && select.include_types.is_empty());
        return Ok(DiffSelection {
            include_paths: select.include_paths.clone(),
            include_types: select.include_types.clone(),
            all,
            no_derived_types: select.no_derived_types,
            old_overlay,
            new_overlay,
            new: args.new.clone().unwrap_or_default(),
        });
    };
    let text = std::fs::read_to_string(config_path).map_err(|e| {
        eprintln!(
            "error: cannot read configuration `{}`: {e}",
            config_path.display()
        );
        invalid()
    })?;
    let config = odata_codegen::config::parse_config(&text, &config_path.display().to_string())
        .map_err(|d| {
            eprintln!("{d}");
            invalid()
        })?;
    // paths in the configuration are relative to it
    let dir = config_path.parent().unwrap_or(Path::new(""));
    let config_overlay = config.overlay.as_ref().map(|o| dir.join(o));
    let new_overlay = read_overlay(config_overlay.as_deref(), invalid())?;
    let old_overlay = match &args.old_overlay {
        Some(path) => read_overlay(Some(path), invalid())?,
        None => new_overlay.clone(),
    };
    Ok(DiffSelection {
        include_paths: config.include_paths,
        include_types: config.include_types,
        all: config.all,
        no_derived_types: !config.derived_types,
        old_overlay,
        new_overlay,
        new: args
            .new
            .clone()
            .unwrap_or_else(|| dir.join(&config.metadata)),
    })
}

fn diff(args: &DiffArgs) -> Result<(), Failure> {
    let s = diff_selection(args)?;
    let invalid = ExitCode::from(DIFF_INVALID);
    let (old, _) = load_or_exit(&args.old, invalid)?;
    let (new, _) = load_or_exit(&s.new, invalid)?;
    let options = |overlay| SelectOptions {
        include_paths: &s.include_paths,
        include_types: &s.include_types,
        all: s.all,
        overlay: Some(overlay),
        area_features: false,
        no_derived_types: s.no_derived_types,
    };
    let report = odata_codegen::diff::diff_models(
        &old,
        &options(&s.old_overlay),
        &new,
        &options(&s.new_overlay),
    );
    let text = match args.format {
        Format::Text => render::text(&report),
        Format::Markdown => render::markdown(&report),
        Format::Json => render::json(&report),
    };
    print!("{text}");
    if report.has_breaking() {
        Err(ExitCode::FAILURE)
    } else {
        Ok(())
    }
}

/// The `runtime/` folder of this workspace, for the generated crate's `odata-runtime` path dependency.
fn runtime_path() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("runtime");
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    path.display().to_string()
}

/// A package name from the metadata file stem: `graph-beta.csdl` -> `graph-beta`,
/// `v1.0-Prod.csdl` -> `v1-0-prod`.
fn default_crate_name(metadata: &Path) -> String {
    let stem = metadata
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let mut name = name.trim_end_matches('-').to_string();
    if name.is_empty() {
        name = "odata-client".to_string();
    } else if name.starts_with(|c: char| c.is_ascii_digit()) || check_package_name(&name).is_err() {
        name = format!("odata-{name}");
    }
    name
}

/// Cargo's rules for a package name, as far as they matter here.
fn check_package_name(name: &str) -> Result<(), &'static str> {
    const RESERVED: &[&str] = &[
        "as",
        "async",
        "await",
        "break",
        "const",
        "continue",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "return",
        "self",
        "static",
        "struct",
        "super",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
        "abstract",
        "become",
        "box",
        "do",
        "final",
        "macro",
        "override",
        "priv",
        "typeof",
        "unsized",
        "virtual",
        "yield",
        "try",
        "gen",
        "std",
        "core",
        "alloc",
        "proc_macro",
        "proc-macro",
        "test",
    ];
    if name.is_empty() {
        Err("it is empty")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    {
        Err("only ASCII letters, digits, `-` and `_` are allowed")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        Err("it starts with a digit")
    } else if RESERVED.contains(&name) {
        Err("it is a Rust keyword or a reserved name")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_crate_names_from_file_stems() {
        assert_eq!(
            default_crate_name(Path::new("metadata/graph-beta.csdl")),
            "graph-beta"
        );
        assert_eq!(default_crate_name(Path::new("v1.0-Prod.csdl")), "v1-0-prod");
        assert_eq!(
            default_crate_name(Path::new("2019 graph.xml")),
            "odata-2019-graph"
        );
        assert_eq!(default_crate_name(Path::new("test.xml")), "odata-test");
        assert_eq!(default_crate_name(Path::new("...")), "odata-client");
        assert_eq!(default_crate_name(Path::new("Über.csdl")), "ber");
    }

    #[test]
    fn normalizes_document_names() {
        assert_eq!(
            cli_fs::document_name(Path::new("./a/b/../c.xml")),
            "a/c.xml"
        );
        assert_eq!(
            cli_fs::document_name(Path::new("../x/./y.xml")),
            "../x/y.xml"
        );
        assert_eq!(cli_fs::document_name(Path::new("/a/../../b.xml")), "/b.xml");
    }

    #[test]
    fn refuses_absolute_references() {
        let mut loader = FsLoader::new("");
        use odata_codegen::model::SourceLoader;
        for uri in [
            "https://example.com/x.xml",
            "http://x/y",
            "file:///etc/passwd",
            "/etc/passwd",
        ] {
            let err = loader.load(uri, "dir/main.csdl").unwrap_err();
            assert!(err.contains("not"), "{uri}: {err}");
        }
        let err = loader
            .load("missing%20file.xml", "no-such-dir/main.csdl")
            .unwrap_err();
        assert_eq!(err, "file `no-such-dir/missing file.xml` does not exist");
    }
}
