//! Workspace tasks: `cargo xtask codegen [--check]` regenerates `generated/` from
//! `metadata/codegen.toml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use odata_codegen::config::{Overlay, parse_config, parse_overlay};
use odata_codegen::diagnostics::{Diagnostic, Location, Pos, warning_lines};
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
                     API changes

Both stop early when generated/.odata-codegen.stamp shows that the metadata, the configuration,
the generator and every file of generated/ are as the last `cargo xtask codegen` left them;
`--force` after `codegen` (or `codegen --check`) generates and compares regardless.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => run(false, false),
        ["codegen", "--force"] => run(false, true),
        ["codegen", "--check"] => run(true, false),
        ["codegen", "--check", "--force"] | ["codegen", "--force", "--check"] => run(true, true),
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

fn run(check: bool, force: bool) -> ExitCode {
    let root = workspace_root();
    let result = if !force && let Some(stamp) = unchanged(&root) {
        if check {
            println!("{OUTPUT}/ is up to date (unchanged since the last run)");
        } else {
            print_warnings(&stamp.warnings);
            println!("{OUTPUT}/: unchanged since the last run (nothing generated)");
        }
        Ok(ExitCode::SUCCESS)
    } else if check {
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
    let inputs = read_inputs(root)?;
    let mut loader = FsLoader::new(root);
    let (files, warnings, api) = generate_files(&inputs, &mut loader)?;
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
        options: inputs.options,
        loader,
    })
}

struct Generated {
    plan: Plan,
    files: GeneratedFiles,
    warnings: Vec<Diagnostic>,
    change: Option<diff::Report>,
    /// What the files were generated from, for the stamp.
    options: GenerateOptions,
    loader: FsLoader,
}

/// What the xtask adds to the generator's files itself, for the fingerprint.
const EXTRA_INPUTS: &[(&str, &str)] = &[("api summary", API_SUMMARY)];

/// The stamp of `generated/` when the inputs and the folder are as the last run left them.
fn unchanged(root: &Path) -> Option<cli_fs::Stamp> {
    let inputs = read_inputs(root).ok()?;
    let mut loader = FsLoader::new(root);
    cli_fs::unchanged(
        &root.join(OUTPUT),
        &mut loader,
        &inputs.options,
        EXTRA_INPUTS,
    )
}

fn print_warnings(lines: &[String]) {
    for line in lines {
        eprintln!("{line}");
    }
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
        options,
        loader,
    } = plan_generated(root)?;
    let warnings = warning_lines(&warnings, MAX_WARNINGS);
    print_warnings(&warnings);
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
    let out = root.join(OUTPUT);
    cli_fs::remove_stamp(&out).map_err(|e| format!("error: {e}"))?;
    cli_fs::apply_plan(&out, &plan, &files).map_err(|e| format!("error: {e}"))?;
    cli_fs::write_stamp(&out, &options, EXTRA_INPUTS, &loader, warnings)
        .map_err(|e| format!("error: {e}"))?;
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

/// What `metadata/codegen.toml` asks for: its text and the options it gives, with the
/// overlay and the metadata's bytes read.
struct Inputs {
    config_text: String,
    options: GenerateOptions,
}

fn read_inputs(root: &Path) -> Result<Inputs, String> {
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
    let bytes = std::fs::read(root.join(&name))
        .map_err(|e| format!("error: cannot read metadata file `{name}`: {e}"))?;
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
    Ok(Inputs {
        config_text,
        options,
    })
}

/// Loads the model that `inputs` name, its references through `loader`, and generates the
/// crate's files, its API summary among them; also returns the model's warnings and the API.
fn generate_files(
    inputs: &Inputs,
    loader: &mut FsLoader,
) -> Result<(GeneratedFiles, Vec<Diagnostic>, Api), String> {
    let Inputs {
        config_text,
        options,
    } = inputs;
    let name = &options.metadata_label;
    let model =
        load_model(name, &options.metadata_bytes, loader).map_err(|errors| diagnostics(&errors))?;
    let api = diff::api(
        &model,
        &SelectOptions {
            include_paths: &options.include_paths,
            include_types: &options.include_types,
            all: options.all,
            overlay: Some(&options.overlay),
            area_features: false,
            no_derived_types: options.no_derived_types,
        },
    );
    let summary = diff::api::to_stored(&api, name, "cargo xtask codegen");
    let mut files = generate(&model, options).map_err(|errors| diagnostics(&errors))?;
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

    /// A fresh folder `name` under the temporary folder with `files` of `metadata/` copied into
    /// its own `metadata/`.
    fn temp_workspace(name: &str, files: &[&str]) -> PathBuf {
        let root = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let metadata = root.join("metadata");
        std::fs::create_dir_all(&metadata).expect("mkdir");
        let source = workspace_root().join("metadata");
        for file in files {
            std::fs::copy(source.join(file), metadata.join(file)).expect("copy");
        }
        root
    }

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
        let root = temp_workspace("xtask-unmatched", &["graph-beta.csdl", "operations.toml"]);
        let metadata = root.join("metadata");
        std::fs::write(
            metadata.join("codegen.toml"),
            "metadata = \"graph-beta.csdl\"\ncrate_name = \"x\"\napi_version = \"beta\"\n\
             include_paths = [\n  \"/deviceManagement/remoteAssistanceSettings\",\n  \"/deviceManagement/nothing\",\n]\n",
        )
        .expect("write the configuration");
        let result = read_inputs(&root)
            .and_then(|inputs| generate_files(&inputs, &mut FsLoader::new(&root)));
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
        let root = temp_workspace(
            "xtask-summary",
            &["graph-beta.csdl", "operations.toml", "codegen.toml"],
        );
        let metadata = root.join("metadata");
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

    /// A run with nothing changed stops at the stamp; an edited or deleted file of `generated/`,
    /// a changed configuration or overlay does not, and `--check` then finds what is stale.
    #[test]
    fn an_unchanged_run_stops_early_and_a_touched_one_does_not() {
        let root = temp_workspace(
            "xtask-stamp",
            &["graph-beta.csdl", "operations.toml", "codegen.toml"],
        );
        let metadata = root.join("metadata");
        let lib = root.join(OUTPUT).join("src/lib.rs");
        let append = |path: &Path, text: &str| {
            let old = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
            std::fs::write(path, format!("{old}{text}")).map_err(|e| e.to_string())
        };
        let result = (|| {
            let mut fresh = Vec::new();
            regenerate(&root)?;
            fresh.push(unchanged(&root).is_some());
            append(&lib, "// mine\n")?;
            fresh.push(unchanged(&root).is_some());
            let (edited, _) = check_generated(&root)?;
            regenerate(&root)?;
            fresh.push(unchanged(&root).is_some());
            std::fs::remove_file(&lib).map_err(|e| e.to_string())?;
            fresh.push(unchanged(&root).is_some());
            let (deleted, _) = check_generated(&root)?;
            regenerate(&root)?;
            append(&metadata.join("operations.toml"), "# a comment\n")?;
            fresh.push(unchanged(&root).is_some());
            append(
                &metadata.join("operations.toml"),
                "[[path]]\npath = \"/deviceManagement\"\noperations = [\"get\"]\n",
            )?;
            fresh.push(unchanged(&root).is_some());
            regenerate(&root)?;
            append(&metadata.join("codegen.toml"), "derived_types = false\n")?;
            fresh.push(unchanged(&root).is_some());
            Ok::<_, String>((fresh, edited, deleted))
        })();
        let _ = std::fs::remove_dir_all(&root);
        let (fresh, edited, deleted) = result.expect("runs");
        assert_eq!(fresh, [true, false, true, false, true, false, false]);
        assert_eq!(edited, ["src/lib.rs"]);
        assert_eq!(deleted, ["src/lib.rs"]);
    }
}
