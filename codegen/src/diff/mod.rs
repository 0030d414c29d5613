//! What changed in the API of a generated crate between two metadata documents, and what it
//! breaks.
//!
//! Each side becomes an [`Api`]: every item the crate would hold, named by the naming stage
//! ([`crate::emit::Names`]) and typed as the emitters type it ([`crate::emit::rust_types`]), with
//! the CSDL facts it comes from. [`diff`] compares two of them into a [`Report`], each change
//! classified for the crate's semver; [`render`] writes it as text, Markdown or JSON. Pure: no
//! file is read here.

pub mod api;
mod docs;
mod operations;
pub mod render;
mod report;
mod requests;
mod types;

use std::collections::BTreeMap;

pub use api::Api;
pub use report::{Change, Class, Counts, Kind, NO_AREA, Report, SHARED};

use crate::emit::Names;
use crate::model::Model;
use crate::select::{SelectOptions, select};

/// The API of the crate generated from `model` with these options. The areas are computed
/// whatever `options.area_features` says: they name the report's groups and change no name.
pub fn api(model: &Model, options: &SelectOptions<'_>) -> Api {
    let selection = select(
        model,
        &SelectOptions {
            area_features: true,
            ..options.clone()
        },
    );
    let names = Names::assign(model, &selection);
    Api::build(model, &selection, &names)
}

/// The changes from `old` to `new`.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut changes = report::Changes::default();
    types::compare(old, new, &mut changes);
    requests::compare(old, new, &mut changes);
    operations::compare(old, new, &mut changes);
    Report::new(changes.0)
}

/// The changes between the crates generated from two models, each with its options (the
/// overlay may differ); the two sides are built on two threads.
pub fn diff_models(
    old: &Model,
    old_options: &SelectOptions<'_>,
    new: &Model,
    new_options: &SelectOptions<'_>,
) -> Report {
    let (old, new) = std::thread::scope(|scope| {
        // a main thread's stack: models hold annotation values nested to the reader's limit
        let worker = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn_scoped(scope, || api(old, old_options))
            .ok();
        let new = api(new, new_options);
        let old = match worker.map(|w| w.join()) {
            Some(Ok(old)) => old,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => api(old, old_options),
        };
        (old, new)
    });
    diff(&old, &new)
}

/// Every key of two maps in order, with the value on each side.
fn pairs<'a, V>(
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
) -> impl Iterator<Item = (&'a String, Option<&'a V>, Option<&'a V>)> {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter().map(|k| (k, old.get(k), new.get(k)))
}
