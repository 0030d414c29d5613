use super::attributes::scan_value;
use super::checks::target_syntax;
use super::cursor::Cursor;
use super::elements::SUPPORTED;
use super::*;
use crate::syntax::identifier::NAME_RULE;
use crate::syntax::*;

mod constructs;
mod errors;
mod robustness;

fn read(xml: &str) -> Document {
    match read_document(xml.as_bytes(), "t.csdl", &ReadOptions::default()) {
        Ok(doc) => doc,
        Err(errors) => panic!("unexpected errors: {errors:#?}"),
    }
}

fn errors(xml: &[u8]) -> Vec<(String, String)> {
    match read_document(xml, "t.csdl", &ReadOptions::default()) {
        Ok(_) => panic!("expected errors"),
        Err(errors) => errors
            .into_iter()
            .map(|d| (d.pos().unwrap_or_default().to_string(), d.message))
            .collect(),
    }
}

fn one_error(xml: &str) -> (String, String) {
    let mut errs = errors(xml.as_bytes());
    assert_eq!(errs.len(), 1, "{errs:#?}");
    errs.remove(0)
}

const EDMX_OPEN: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:DataServices>
<Schema Namespace="NS" Alias="self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
"#;
const EDMX_CLOSE: &str = "</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n";

/// Wraps schema content; the content starts on line 4, column 1.
fn schema(content: &str) -> Document {
    read(&format!("{EDMX_OPEN}{content}{EDMX_CLOSE}"))
}

fn schema_errors(content: &str) -> Vec<(String, String)> {
    errors(format!("{EDMX_OPEN}{content}{EDMX_CLOSE}").as_bytes())
}

fn p(line: u32, col: u32) -> Pos {
    Pos { line, col }
}

fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = match std::env::var_os("ODATA_CORPUS") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipping corpus test: {} is not a directory (set ODATA_CORPUS)",
            dir.display()
        );
        None
    }
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("csdl" | "xml")
        ) {
            out.push(path);
        }
    }
}
