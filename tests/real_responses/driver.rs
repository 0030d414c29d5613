//! Reads the response bodies of one API version (`tests/responses/index.json`) into the models of
//! a crate generated from the shared corpus, and prints one JSON report per body. Built and run by
//! `tests/tests/real_responses.rs`, which appends `fn dispatch` (one arm per declared type).

use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span;

/// Every event the runtime logs while reading: a value kept raw because it did not parse.
#[derive(Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }
    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}
    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if event.metadata().target().starts_with("odata_runtime") {
            let mut fields = Fields(String::new());
            event.record(&mut fields);
            if let Ok(mut list) = self.0.lock() {
                list.push(fields.0);
            }
        }
    }
    fn enter(&self, _: &span::Id) {}
    fn exit(&self, _: &span::Id) {}
}

/// Reads `body` as `shape` into `T`: the top-level keys each value left in
/// `additional_properties` (with the value's `@odata.type`), whether writing gives the body back,
/// and what the runtime kept raw.
fn check<T, F>(body: Value, shape: &str, rest: F) -> Value
where
    T: DeserializeOwned + Serialize,
    F: Fn(&T) -> Vec<String>,
{
    let events = Arc::new(Mutex::new(Vec::new()));
    let capture = Capture(Arc::clone(&events));
    let outcome = tracing::subscriber::with_default(capture, || -> Result<_, String> {
        // a callsite another test's thread registered first must not hide events from this one
        tracing::callsite::rebuild_interest_cache();
        if shape == "collection" {
            let page: graph::runtime::Page<T> = serde_json::from_value(body.clone())
                .map_err(|e| format!("reading the page: {e}"))?;
            let items = page.value.iter().map(|v| item(v, &rest)).collect();
            let written = serde_json::to_value(&page).map_err(|e| e.to_string())?;
            return Ok((written == body, items));
        }
        // the Intune pages show a single entity wrapped in `{"value": ...}`
        let input = if shape == "value-wrapped-entity" {
            body["value"].clone()
        } else {
            body
        };
        let value: T =
            serde_json::from_value(input.clone()).map_err(|e| format!("reading: {e}"))?;
        let written = serde_json::to_value(&value).map_err(|e| e.to_string())?;
        Ok((written == input, vec![item(&value, &rest)]))
    });
    let kept_raw = events.lock().map(|l| l.clone()).unwrap_or_default();
    match outcome {
        Ok((round_trip, items)) => json!({
            "round_trip": round_trip, "items": items, "kept_raw": kept_raw,
        }),
        Err(error) => json!({"error": error, "kept_raw": kept_raw}),
    }
}

fn item<T: Serialize, F: Fn(&T) -> Vec<String>>(value: &T, rest: &F) -> Value {
    let written = serde_json::to_value(value).unwrap_or_default();
    json!({"odata_type": written.get("@odata.type"), "rest": rest(value)})
}

fn keys(map: &std::collections::BTreeMap<String, Value>) -> Vec<String> {
    map.keys().cloned().collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(version)) = (args.next(), args.next()) else {
        eprintln!("usage: driver RESPONSES_DIR VERSION");
        std::process::exit(2);
    };
    let dir = std::path::Path::new(&dir);
    let index: Vec<Value> = serde_json::from_slice(
        &std::fs::read(dir.join("index.json")).expect("index.json"),
    )
    .expect("index.json is JSON");
    for entry in index.iter().filter(|e| e["version"] == version.as_str()) {
        let file = entry["file"].as_str().unwrap_or_default();
        let body: Value =
            serde_json::from_slice(&std::fs::read(dir.join(file)).expect("body")).expect("JSON");
        let shape = entry["shape"].as_str().unwrap_or_default();
        let declared = entry["type"].as_str().unwrap_or_default();
        let mut report = dispatch(declared, body, shape)
            .unwrap_or_else(|| json!({"error": format!("no model for `{declared}`")}));
        report["file"] = json!(file);
        println!("{report}");
    }
}
