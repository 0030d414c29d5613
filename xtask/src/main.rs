//! Workspace tasks: `cargo xtask codegen [--check]` regenerates `generated/` from
//! `metadata/codegen.toml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use odata_codegen::config::{Overlay, parse_config, parse_overlay};
use odata_codegen::diagnostics::{Diagnostic, Location, Pos};
use odata_codegen::diff::{self, Api, render};
use odata_codegen::emit::{GenerateOptions, generate};
use odata_codegen::model::load_model;
use odata_codegen::output::{self, GeneratedFiles, Plan};
use odata_codegen::select::SelectOptions;

use odata_codegen::fs::{self as cli_fs, FsLoader};

const CONFIG: &str = "metadata/codegen.toml";
const OUTPUT: &str = "generated";
/// The API summary of `generated/`, relative to it: what the next run compares with.
const API_SUMMARY: &str = "api.json";
/// How many changes `--check` names.
const CHECK_CHANGES: usize = 5;
/// How many warnings `cargo xtask codegen` prints before the rest are only counted.
const MAX_WARNINGS: usize = 20;
const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  codegen            regenerate generated/ from metadata/codegen.toml; when anything changes,
                     print a summary of the API change since generated/api.json
  codegen --check    write nothing; fail if generated/ is not up to date, naming the first
                     API changes";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => run(false),
        ["codegen", "--check"] => run(true),
        ["-h" | "--help" | "help"] | ["codegen", "-h" | "--help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(check: bool) -> ExitCode {
    let root = workspace_root();
    let result = if check {
        check_generated(&root).map(|(stale, changes)| report_check(stale, &changes))
    } else {
        regenerate(&root)
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn report_check(stale: Vec<String>, changes: &str) -> ExitCode {
    if stale.is_empty() {
        println!("{OUTPUT}/ is up to date");
        ExitCode::SUCCESS
    } else {
        eprint!("{changes}");
        eprintln!("{}", stale_message(&stale));
        ExitCode::FAILURE
    }
}

fn stale_message(stale: &[String]) -> String {
    let mut message = format!("{OUTPUT}/ is out of date:\n");
    for path in stale {
        message.push_str(&format!("  {OUTPUT}/{path}\n"));
    }
    message.push_str("run `cargo xtask codegen` to regenerate");
    message
}

/// The workspace root: the parent of this crate's folder.
fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

/// What `generated/` should hold, the plan that brings it there, and the API change from the
/// summary stored there (`None` without a readable one).
fn plan_generated(root: &Path) -> Result<Generated, String> {
    let (files, warnings, api) = generate_files(root)?;
    let unsafe_paths = cli_fs::unsafe_paths(&files);
    if !unsafe_paths.is_empty() {
        return Err(format!(
            "error: the generator produced paths that are not safe inside {OUTPUT}/: {}",
            unsafe_paths.join(", ")
        ));
    }
    let existing = cli_fs::list_files(&root.join(OUTPUT)).map_err(|e| format!("error: {e}"))?;
    let plan = output::plan(&existing, &files);
    let change = existing
        .get(API_SUMMARY)
        .and_then(|text| diff::api::from_stored(text))
        .map(|old| diff::diff(&old, &api));
    Ok(Generated {
        plan,
        files,
        warnings,
        change,
    })
}

struct Generated {
    plan: Plan,
    files: GeneratedFiles,
    warnings: Vec<Diagnostic>,
    change: Option<diff::Report>,
}

/// The paragraph on the API change that a run which writes something prints.
fn change_paragraph(change: Option<&diff::Report>) -> String {
    match change {
        Some(report) => render::summary(report),
        None => format!(
            "No earlier API summary in {OUTPUT}/{API_SUMMARY} to compare with: the next run will have one."
        ),
    }
}

/// The first changes of the API, for `--check`.
fn first_changes(change: Option<&diff::Report>) -> String {
    let Some(report) = change else {
        return format!("no readable API summary in {OUTPUT}/{API_SUMMARY} to compare with\n");
    };
    if report.is_empty() {
        return "the API did not change\n".to_string();
    }
    let mut text = format!("first API changes ({} in all):\n", report.changes.len());
    for c in report.changes.iter().take(CHECK_CHANGES) {
        let item = c.rust.first().unwrap_or(&c.element);
        text.push_str(&format!(
            "  {}: {} {item}\n",
            c.class.label(),
            c.kind.label()
        ));
    }
    text
}

/// The files of `generated/` that differ from what the generator produces now (relative to
/// `generated/`), empty when it is up to date, and the first API changes when not.
fn check_generated(root: &Path) -> Result<(Vec<String>, String), String> {
    let generated = plan_generated(root)?;
    let stale: Vec<String> = generated
        .plan
        .stale()
        .into_iter()
        .map(str::to_string)
        .collect();
    Ok((stale, first_changes(generated.change.as_ref())))
}

fn regenerate(root: &Path) -> Result<ExitCode, String> {
    let Generated {
        plan,
        files,
        warnings,
        change,
    } = plan_generated(root)?;
    for w in warnings.iter().take(MAX_WARNINGS) {
        eprintln!("{w}");
    }
    if warnings.len() > MAX_WARNINGS {
        eprintln!("... and {} more warnings", warnings.len() - MAX_WARNINGS);
    }
    if !plan.conflicts.is_empty() {
        let list: Vec<String> = plan
            .conflicts
            .iter()
            .map(|p| format!("  {OUTPUT}/{p}"))
            .collect();
        return Err(format!(
            "error: these hand-owned files (no `{}` on their first line) would be overwritten; \
             remove or rename them, then run `cargo xtask codegen` again:\n{}",
            output::MARKER,
            list.join("\n")
        ));
    }
    cli_fs::apply_plan(&root.join(OUTPUT), &plan, &files).map_err(|e| format!("error: {e}"))?;
    println!("{OUTPUT}/: {}", cli_fs::summary(&plan));
    if !plan.write.is_empty() || !plan.delete.is_empty() {
        println!("{}", change_paragraph(change.as_ref()));
    }
    Ok(ExitCode::SUCCESS)
}

fn read_text(root: &Path, name: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(name))
        .map_err(|e| format!("error: cannot read `{name}`: {e}"))
}

fn diagnostics(list: &[Diagnostic]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads the model named by `metadata/codegen.toml` and generates the crate's files, its API
/// summary among them; also returns the model's warnings and the API.
fn generate_files(root: &Path) -> Result<(GeneratedFiles, Vec<Diagnostic>, Api), String> {
    let config_text = read_text(root, CONFIG)?;
    let config = parse_config(&config_text, CONFIG).map_err(|d| d.to_string())?;
    let overlay = match &config.overlay {
        None => Overlay::default(),
        Some(file) => {
            let name = cli_fs::document_name(&Path::new("metadata").join(file));
            parse_overlay(&read_text(root, &name)?, &name).map_err(|d| d.to_string())?
        }
    };
    // A stable, relative label: the output must be byte-identical on every machine.
    let name = cli_fs::document_name(&Path::new("metadata").join(&config.metadata));
    let mut loader = FsLoader::new(root);
    let bytes = std::fs::read(loader.path_of(&name))
        .map_err(|e| format!("error: cannot read metadata file `{name}`: {e}"))?;
    let model = load_model(&name, &bytes, &mut loader).map_err(|errors| diagnostics(&errors))?;
    let api = diff::api(
        &model,
        &SelectOptions {
            include_paths: &config.include_paths,
            include_types: &config.include_types,
            all: config.all,
            overlay: Some(&overlay),
            area_features: false,
            no_derived_types: !config.derived_types,
        },
    );
    let summary = diff::api::to_stored(&api, &name, "cargo xtask codegen");
    let options = GenerateOptions {
        crate_name: config.crate_name,
        api_version: config.api_version,
        include_paths: config.include_paths,
        include_types: config.include_types,
        all: config.all,
        overlay,
        metadata_label: name,
        metadata_bytes: bytes,
        runtime_path: "../runtime".to_string(),
        standalone: false,
        regenerate_command: "cargo xtask codegen".to_string(),
        area_features: false,
        no_derived_types: !config.derived_types,
    };
    let mut files = generate(&model, &options).map_err(|errors| diagnostics(&errors))?;
    files.files.insert(API_SUMMARY.to_string(), summary);
    let mut warnings = model.warnings;
    warnings.extend(files.warnings.iter().map(|w| {
        // the entry's line in the configuration, when it is written there as a string
        let quoted = format!("\"{}\"", w.pattern());
        let line = config_text
            .lines()
            .position(|l| l.contains(&quoted))
            .and_then(|i| u32::try_from(i + 1).ok())
            .unwrap_or(1);
        w.diagnostic(Some(Location {
            file: CONFIG.to_string(),
            pos: Pos { line, col: 1 },
        }))
    }));
    Ok((files, warnings, api))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same check as `cargo xtask codegen --check`: `generated/` must be what the generator
    /// produces from `metadata/codegen.toml`.
    #[test]
    fn generated_is_up_to_date() {
        match check_generated(&workspace_root()) {
            Ok((stale, _)) => assert!(stale.is_empty(), "{}", stale_message(&stale)),
            Err(message) => panic!("{message}"),
        }
    }

    /// An include path of the configuration that selects nothing is a warning at its line.
    #[test]
    fn an_unmatched_include_path_is_a_warning_at_its_line() {
        let root = std::env::temp_dir().join(format!("xtask-unmatched-{}", std::process::id()));
        let metadata = root.join("metadata");
        std::fs::create_dir_all(&metadata).expect("mkdir");
        let source = workspace_root().join("metadata");
        for file in ["graph-beta.csdl", "operations.toml"] {
            std::fs::copy(source.join(file), metadata.join(file)).expect("copy");
        }
        std::fs::write(
            metadata.join("codegen.toml"),
            "metadata = \"graph-beta.csdl\"\ncrate_name = \"x\"\napi_version = \"beta\"\n\
             include_paths = [\n  \"/deviceManagement/remoteAssistanceSettings\",\n  \"/deviceManagement/nothing\",\n]\n",
        )
        .expect("write the configuration");
        let result = generate_files(&root);
        let _ = std::fs::remove_dir_all(&root);
        let (_, warnings, _) = result.expect("generates");
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "metadata/codegen.toml:6:1: warning: include path `/deviceManagement/nothing` matches no \
              entity set, singleton, navigation property or operation"
            ]
        );
    }

    /// A run that writes prints the API change since the stored summary; `--check` names it.
    #[test]
    fn a_changed_api_is_summarized() {
        let root = std::env::temp_dir().join(format!("xtask-summary-{}", std::process::id()));
        let metadata = root.join("metadata");
        std::fs::create_dir_all(&metadata).expect("mkdir");
        let source = workspace_root().join("metadata");
        for file in ["graph-beta.csdl", "operations.toml", "codegen.toml"] {
            std::fs::copy(source.join(file), metadata.join(file)).expect("copy");
        }
        let result = (|| {
            regenerate(&root)?;
            let unchanged = plan_generated(&root)?;
            let csdl = metadata.join("graph-beta.csdl");
            let text = std::fs::read_to_string(&csdl).map_err(|e| e.to_string())?;
            let without = text.replace(
                "<Property Name=\"blockChat\" Type=\"Edm.Boolean\" Nullable=\"false\" />",
                "",
            );
            std::fs::write(&csdl, without).map_err(|e| e.to_string())?;
            let changed = plan_generated(&root)?;
            let check = check_generated(&root)?;
            Ok::<_, String>((unchanged, changed, check))
        })();
        let _ = std::fs::remove_dir_all(&root);
        let (unchanged, changed, (stale, first)) = result.expect("runs");
        assert!(unchanged.plan.is_up_to_date());
        assert_eq!(unchanged.change.as_ref().map(|r| r.is_empty()), Some(true));
        let paragraph = change_paragraph(changed.change.as_ref());
        assert_eq!(
            paragraph,
            "API changes: 1 breaking, 0 additive, 0 docs-only. Breaking: property removed \
             models::RemoteAssistanceSettings::block_chat."
        );
        assert!(stale.contains(&API_SUMMARY.to_string()), "{stale:?}");
        assert_eq!(
            first,
            "first API changes (1 in all):\n  breaking: property removed \
             models::RemoteAssistanceSettings::block_chat\n"
        );
    }
}
