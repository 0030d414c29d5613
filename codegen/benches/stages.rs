//! Per-stage benchmarks on Microsoft Graph `v1.0-Prod.csdl` (3.4 MB), with a floor measured in
//! the same run: quick-xml reading every event of the same bytes and doing nothing else.
//!
//! Run with `cargo bench -p odata-codegen --bench stages`. The corpus folder is `$ODATA_CORPUS`,
//! else `../shared/corpus` next to the workspace; when the file is absent the benchmarks are
//! skipped (exit 0). Figures and their ratios are recorded in `BENCHMARKS.md`.

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::black_box;
use odata_codegen::config::Overlay;
use odata_codegen::emit::{GenerateOptions, generate};
use odata_codegen::model::{Model, NoReferences, load_model};
use odata_codegen::output::GeneratedFiles;
use odata_codegen::select::{SelectOptions, select};
use odata_codegen::syntax::{ReadOptions, configure_xml, read_document};
use quick_xml::events::Event;

/// The allocator of the `odata-codegen` binary, so that the stages are measured as it runs them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FILE: &str = "graph/v1.0-Prod.csdl";

fn corpus_file() -> PathBuf {
    std::env::var_os("ODATA_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
        .join(FILE)
}

static BYTES: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let path = corpus_file();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
});

static MODEL: LazyLock<Model> = LazyLock::new(|| {
    load_model(FILE, &BYTES, &mut NoReferences)
        .unwrap_or_else(|e| panic!("{FILE} does not load: {e:?}"))
});

static OVERLAY: LazyLock<Overlay> = LazyLock::new(Overlay::default);

fn generate_options() -> GenerateOptions {
    GenerateOptions {
        crate_name: "msgraph-v1".to_string(),
        api_version: "v1.0".to_string(),
        all: true,
        metadata_label: FILE.to_string(),
        metadata_bytes: BYTES.clone(),
        runtime_path: "../runtime".to_string(),
        ..GenerateOptions::default()
    }
}

static GENERATED: LazyLock<GeneratedFiles> = LazyLock::new(|| {
    generate(&MODEL, &generate_options())
        .unwrap_or_else(|e| panic!("{FILE} does not generate: {e:?}"))
});

fn main() {
    let path = corpus_file();
    if !path.is_file() {
        eprintln!(
            "skipped: no {} (set ODATA_CORPUS to the corpus folder)",
            path.display()
        );
        return;
    }
    divan::main();
}

/// The floor: quick-xml reading every event of the bytes (borrowed, no copy), configured as the
/// reader configures it, doing nothing else.
#[divan::bench(sample_count = 100)]
fn xml_event_floor(bencher: divan::Bencher) {
    let bytes: &[u8] = &BYTES;
    bencher.bench(|| {
        let mut xml = quick_xml::Reader::from_reader(black_box(bytes));
        configure_xml(xml.config_mut());
        let mut events = 0usize;
        loop {
            match xml.read_event() {
                Ok(Event::Eof) => break,
                Ok(event) => {
                    black_box(event);
                    events += 1;
                }
                Err(e) => panic!("{FILE}: {e}"),
            }
        }
        events
    });
}

/// Stage 1: bytes to `syntax::Document`.
#[divan::bench(sample_count = 50)]
fn read(bencher: divan::Bencher) {
    let bytes: &[u8] = &BYTES;
    let options = ReadOptions::default();
    bencher.bench(|| read_document(black_box(bytes), FILE, &options).expect("reads"));
}

/// Stages 1 and 2: bytes to `model::Model` (no referenced documents).
#[divan::bench(sample_count = 40)]
fn read_resolve(bencher: divan::Bencher) {
    let bytes: &[u8] = &BYTES;
    bencher.bench(|| load_model(FILE, black_box(bytes), &mut NoReferences).expect("loads"));
}

/// Selection of every builder and type of the resolved model.
#[divan::bench(sample_count = 20)]
fn select_all(bencher: divan::Bencher) {
    let model: &Model = &MODEL;
    let options = SelectOptions {
        include_paths: &[],
        include_types: &[],
        all: true,
        overlay: Some(&OVERLAY),
        area_features: false,
        no_derived_types: false,
    };
    bencher.bench(|| select(black_box(model), &options));
}

/// `generate` with `all = true`: select, name, build tokens and format with prettyplease.
#[divan::bench(sample_count = 5)]
fn emit_all(bencher: divan::Bencher) {
    let model: &Model = &MODEL;
    let options = generate_options();
    bencher.bench(|| generate(black_box(model), &options).expect("generates"));
}

/// An approximation of the format step alone (private to `emit`, where it runs on tokens):
/// parsing every generated `.rs` file with syn and printing it again with prettyplease.
#[divan::bench(sample_count = 5)]
fn format_reparse(bencher: divan::Bencher) {
    let sources: Vec<&str> = GENERATED
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(_, text)| text.as_str())
        .collect();
    bencher.bench(|| {
        sources
            .iter()
            .map(|text| {
                let file = syn::parse_file(black_box(text)).expect("generated code parses");
                prettyplease::unparse(&file).len()
            })
            .sum::<usize>()
    });
}
