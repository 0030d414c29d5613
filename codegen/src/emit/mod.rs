//! Stage 3: Rust tokens from the resolved model, formatted in-process with prettyplease.

mod deprecations;
mod docs;
mod enums;
mod features;
mod layout;
mod manifest;
mod models;
mod names;
mod polymorphic;
mod requests;
mod uploads;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, mpsc};

use proc_macro2::TokenStream;
use quote::quote;
use sha2::{Digest, Sha256};

use crate::config::Overlay;
use crate::diagnostics::Diagnostic;
use crate::model::Model;
use crate::output::{GeneratedFiles, SelectionWarning, is_safe_relative_path};
use crate::select::{SelectOptions, select};
use crate::syntax::Pos;

pub use docs::escape_markdown;
pub use names::{BoundNames, BuilderNames, Names};

/// The Rust types the emitters write, as text without spaces (`Option<Vec<models::Alert>>`), so
/// that two versions of a crate can be compared without comparing code.
pub mod rust_types {
    use crate::model::{Model, Operation, Property, TypeUse};

    use super::Names;

    fn text(tokens: proc_macro2::TokenStream) -> String {
        let mut s = tokens.to_string();
        s.retain(|c| c != ' ');
        s.replace("crate::", "")
    }

    /// The field of a structural property (`Option<T>`, `odata_runtime::Nullable<T>`,
    /// `Option<Vec<T>>`), without the `Box` of a recursive field.
    pub fn property(model: &Model, names: &Names, p: &Property) -> String {
        text(super::models::property_type(model, names, p))
    }

    /// A value of a parameter or a type definition's alias (`Vec<T>` for collections).
    pub fn value(model: &Model, names: &Names, t: &TypeUse) -> String {
        text(super::models::use_type(model, names, t))
    }

    /// What the method of a bound action or function answers (`odata_runtime::Json<...>`).
    pub fn result(model: &Model, names: &Names, op: &Operation) -> String {
        text(super::requests::expect_type(model, names, op))
    }
}

/// Everything `generate` needs besides the model.
#[derive(Debug, Clone, Default)]
pub struct GenerateOptions {
    /// Package name of the generated crate (`msgraph-beta`).
    pub crate_name: String,
    /// `beta` or `v1.0`; empty means `v1.0`, anything else is refused. The generated crate sends
    /// only to this version, whatever client it is given.
    pub api_version: String,
    /// Kiota-style include paths (`/deviceManagement/remoteAssistanceSettings`, `/users/**`).
    pub include_paths: Vec<String>,
    /// Qualified or simple type names to include.
    pub include_types: Vec<String>,
    /// Generate every type and every path.
    pub all: bool,
    pub overlay: Overlay,
    /// How the `@generated` header names the metadata (`metadata/graph-beta.csdl`).
    pub metadata_label: String,
    /// The metadata bytes, for the sha256 in the header.
    pub metadata_bytes: Vec<u8>,
    /// The `path` of the `odata-runtime` dependency in the generated `Cargo.toml`.
    pub runtime_path: String,
    /// Add an empty `[workspace]` table so the crate builds outside this workspace.
    pub standalone: bool,
    /// The command the `@generated` header tells readers to run; `cargo xtask codegen` when empty.
    pub regenerate_command: String,
    /// One Cargo feature per entity set or singleton (see [`crate::select`]); off, everything
    /// compiles unconditionally.
    pub area_features: bool,
    /// Leave out the derived types of declared types (see [`SelectOptions::no_derived_types`]).
    pub no_derived_types: bool,
}

impl GenerateOptions {
    /// The first line of every generated file; `sha256` is the hex digest of the metadata.
    fn header(&self, comment: &str, sha256: &str) -> String {
        format!(
            "{comment} {} from {} (sha256 {sha256}). DO NOT EDIT: run `{}` to regenerate.\n",
            crate::output::MARKER,
            self.metadata_label.replace(['\n', '\r'], " "),
            if self.regenerate_command.is_empty() {
                "cargo xtask codegen"
            } else {
                self.regenerate_command.as_str()
            }
        )
    }
}

/// Generates the files of a crate (relative paths -> contents).
pub fn generate(
    model: &Model,
    options: &GenerateOptions,
) -> Result<GeneratedFiles, Vec<Diagnostic>> {
    let version = ApiVersion::parse(&options.api_version).ok_or_else(|| {
        vec![Diagnostic::error(
            options.metadata_label.clone(),
            Pos { line: 1, col: 1 },
            format!(
                "API version `{}` is not supported: expected `beta` or `v1.0`",
                options.api_version
            ),
        )]
    })?;
    let selection = select(
        model,
        &SelectOptions {
            include_paths: &options.include_paths,
            include_types: &options.include_types,
            all: options.all,
            overlay: Some(&options.overlay),
            area_features: options.area_features,
            no_derived_types: options.no_derived_types,
        },
    );
    let names = Names::assign(model, &selection);
    let boxed = models::recursive_edges(model, &selection);
    let (lib, modules, mut formatted) = std::thread::scope(|scope| {
        let mut pieces = Pieces::start(scope);
        let lib = pieces.push(lib_rs(model, &selection, &names, options, version));
        let mut modules = models::emit(model, &selection, &names, &boxed, &mut pieces);
        modules.push(requests::emit(
            model,
            &selection,
            &names,
            version,
            &mut pieces,
        ));
        (lib, modules, pieces.finish())
    });
    let mut layout = vec![("src/lib.rs".to_string(), vec![lib])];
    for mut module in modules {
        for item in &mut module.items {
            formatted.measure(item);
        }
        layout.extend(layout::files(module, &mut |t| formatted.push(t)));
    }
    let sha256: String = Sha256::digest(&options.metadata_bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut files = GeneratedFiles::default();
    files.warnings.extend(
        selection
            .unmatched_paths
            .iter()
            .cloned()
            .map(SelectionWarning::Path),
    );
    files.warnings.extend(
        selection
            .unmatched_types
            .iter()
            .cloned()
            .map(SelectionWarning::Type),
    );
    let mut errors = Vec::new();
    for (path, ids) in layout {
        let mut text = options.header("//", &sha256);
        let size: usize = ids
            .iter()
            .filter_map(|id| formatted.get(*id)?.as_ref().ok())
            .map(String::len)
            .sum();
        text.reserve(size);
        let mut error = None;
        for id in ids {
            match formatted.get(id) {
                Some(Ok(piece)) => text.push_str(piece),
                Some(Err(e)) => {
                    error.get_or_insert_with(|| e.clone());
                }
                None => {
                    error.get_or_insert_with(|| "a formatting thread stopped".to_string());
                }
            }
        }
        match error {
            None => {
                files.files.insert(path, text);
            }
            Some(e) => errors.push(Diagnostic::error(
                path,
                Pos { line: 1, col: 1 },
                format!("internal error: {e}"),
            )),
        }
    }
    files.files.insert(
        "Cargo.toml".into(),
        format!(
            "{}{}",
            options.header("#", &sha256),
            manifest::cargo_toml(options, &selection)
        ),
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Some(bad) = files.files.keys().find(|p| !is_safe_relative_path(p)) {
        return Err(vec![Diagnostic::error(
            bad.clone(),
            Pos { line: 1, col: 1 },
            "internal error: a generated file path would leave the output folder",
        )]);
    }
    Ok(files)
}

/// The Graph API version a crate is generated for; its requests go to that version only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ApiVersion {
    Beta,
    V1_0,
}

impl ApiVersion {
    /// `beta` or `v1.0`; empty is `v1.0`, the default of `generate` and of the runtime.
    fn parse(s: &str) -> Option<ApiVersion> {
        match s {
            "beta" => Some(ApiVersion::Beta),
            "v1.0" | "" => Some(ApiVersion::V1_0),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ApiVersion::Beta => "beta",
            ApiVersion::V1_0 => "v1.0",
        }
    }

    /// The runtime's `ApiVersion` variant.
    fn variant(self) -> TokenStream {
        match self {
            ApiVersion::Beta => quote! { Beta },
            ApiVersion::V1_0 => quote! { V1_0 },
        }
    }
}

/// A formatted piece, or why there is none (it does not parse, or building it panicked); and
/// whether it declares a named item.
type Formatted = (Result<String, String>, bool);

/// Builds the tokens of an item on a formatting thread.
type Job<'scope> = Box<dyn FnOnce() -> TokenStream + Send + 'scope>;

/// A piece of a generated file, by the order it was handed to [`Pieces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PieceId(usize);

/// The pieces of the files (an item or a few), formatted one by one: a file is its pieces' text
/// in order, which is what formatting the whole file gives, without one huge syntax tree.
///
/// Items are jobs: each is built, parsed and printed on one of the worker threads, from tokens to
/// text, so that no token stream is turned into a string and lexed again (token streams are not
/// `Send`). The small pieces around them (module heads, the layout's declarations) are formatted
/// where they are pushed.
pub(crate) struct Pieces<'scope> {
    sender: Option<mpsc::Sender<(usize, Job<'scope>)>>,
    workers: Vec<std::thread::ScopedJoinHandle<'scope, Vec<(usize, Formatted)>>>,
    /// Pieces formatted on the calling thread.
    done: Vec<(usize, Formatted)>,
    next: usize,
}

impl std::fmt::Debug for Pieces<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pieces")
            .field("workers", &self.workers.len())
            .field("next", &self.next)
            .finish()
    }
}

/// Formats `tokens` as a file; says whether they declare a named item (see
/// [`layout::declares_items`]).
fn format(tokens: TokenStream) -> Formatted {
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => (
            Ok(prettyplease::unparse(&file)),
            layout::declares_items(&file),
        ),
        Err(e) => (Err(format!("generated code does not parse: {e}")), false),
    }
}

/// Builds a job's tokens and formats them. A panic while building is that piece's error: the
/// worker goes on with the next job, so the other pieces (and the files they make) are kept.
fn build_and_format(job: Job<'_>) -> Formatted {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)) {
        Ok(tokens) => format(tokens),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("no message");
            (Err(format!("building an item panicked: {message}")), false)
        }
    }
}

impl<'scope> Pieces<'scope> {
    fn start<'env>(scope: &'scope std::thread::Scope<'scope, 'env>) -> Self {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let (sender, receiver) = mpsc::channel::<(usize, Job<'scope>)>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..threads)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        // The lock is only held to take the next job.
                        let job = match receiver.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => break,
                        };
                        let Ok((id, job)) = job else { break };
                        done.push((id, build_and_format(job)));
                    }
                    done
                })
            })
            .collect();
        Pieces {
            sender: Some(sender),
            workers,
            done: Vec::new(),
            next: 0,
        }
    }

    /// Formats `tokens` here, as the next piece.
    pub(crate) fn push(&mut self, tokens: TokenStream) -> PieceId {
        let id = self.next;
        self.next += 1;
        self.done.push((id, format(tokens)));
        PieceId(id)
    }

    /// An item of a module, for [`layout::files`]: `build` makes its tokens on a worker; its
    /// size and whether it declares anything are known once [`finish`](Pieces::finish) is.
    pub(crate) fn item(
        &mut self,
        areas: Option<&BTreeSet<String>>,
        build: impl FnOnce() -> TokenStream + Send + 'scope,
    ) -> layout::Item {
        let id = self.next;
        self.next += 1;
        if let Some(sender) = &self.sender {
            // A send only fails when every worker has stopped; `finish` reports the piece.
            let _ = sender.send((id, Box::new(build)));
        }
        layout::Item {
            areas: areas.filter(|a| !a.is_empty()).cloned(),
            piece: PieceId(id),
            size: 0,
            declares: false,
        }
    }

    /// Waits for the workers; slot `i` holds piece `i`, `None` when its worker stopped.
    fn finish(mut self) -> FormattedPieces {
        self.sender = None;
        let mut slots = vec![None; self.next];
        let finished = self
            .workers
            .drain(..)
            .flat_map(|worker| worker.join().unwrap_or_default());
        for (id, formatted) in finished.chain(self.done) {
            slots[id] = Some(formatted);
        }
        FormattedPieces { slots }
    }
}

/// The pieces once formatted; pieces the layout adds are formatted as they are pushed.
pub(crate) struct FormattedPieces {
    slots: Vec<Option<Formatted>>,
}

impl FormattedPieces {
    /// Gives `item` its formatted size and whether it declares anything.
    fn measure(&self, item: &mut layout::Item) {
        if let Some(Some((text, declares))) = self.slots.get(item.piece.0) {
            item.size = text.as_ref().map_or(0, String::len);
            item.declares = *declares;
        }
    }

    /// Formats `tokens` as the next piece.
    fn push(&mut self, tokens: TokenStream) -> PieceId {
        self.slots.push(Some(format(tokens)));
        PieceId(self.slots.len() - 1)
    }

    fn get(&self, PieceId(id): PieceId) -> Option<&Result<String, String>> {
        self.slots.get(id)?.as_ref().map(|(text, _)| text)
    }
}

fn lib_rs(
    model: &Model,
    selection: &crate::select::Selection,
    names: &Names,
    options: &GenerateOptions,
    version: ApiVersion,
) -> TokenStream {
    let container = model.container();
    let service = container.map_or("the service".to_string(), |c| format!("`{}`", c.name));
    let intro = format!(
        " Typed models and request builders for {service}, API version `{}`, generated from `{}`.",
        version.as_str(),
        options.metadata_label.replace(['\n', '\r'], " ")
    );
    let pinned_doc = format!(
        " Every request of this crate goes to `{}`, whatever version its client was built with: [`requests`] pins it with [`runtime::Client::with_api_version`].",
        version.as_str()
    );
    let client = names.client.as_ref().map(|c| {
        let ident = quote::format_ident!("{}", c);
        quote! { pub use requests::#ident; }
    });
    let variant = version.variant();
    let version = version.as_str();
    let mut feature_docs: Vec<String> = Vec::new();
    if !selection.areas.is_empty() {
        feature_docs.push(String::new());
        feature_docs.push(
            " # Features\n\n One Cargo feature per area of the API (an entity set or singleton and what its \
             containment tree reaches); `full` enables all of them. Navigation into another area compiles \
             when both areas are enabled.\n"
                .to_string(),
        );
        feature_docs.push(" | feature | root |\n |---|---|".to_string());
        for (root, feature) in &selection.areas {
            feature_docs.push(format!(" | `{feature}` | `/{root}` |"));
        }
        if selection
            .type_areas
            .values()
            .any(|a| a.contains(crate::select::EXTRA_TYPES_FEATURE))
        {
            feature_docs.push(format!(
                " | `{}` | types that no area uses |",
                crate::select::EXTRA_TYPES_FEATURE
            ));
        }
    }
    quote! {
        #![doc = #intro]
        #![doc = ""]
        #![doc = " Models live in [`models`], request builders in [`requests`]; the HTTP runtime is re-exported as [`runtime`]."]
        #![doc = ""]
        #![doc = #pinned_doc]
        #( #![doc = #feature_docs] )*
        // the crate reads its own deprecated items; Graph dates them with dates, not versions
        #![allow(deprecated, clippy::deprecated_semver)]

        // prettyplease formats generated files; rustfmt must not reformat them differently
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod requests;

        pub use odata_runtime as runtime;
        #client

        /// The API version the models and paths were generated for.
        pub const API_VERSION: &str = #version;

        /// [`API_VERSION`] as the runtime's type: the version every request builder of this crate
        /// sends to, whatever the client's.
        pub const PINNED_API_VERSION: odata_runtime::ApiVersion = odata_runtime::ApiVersion::#variant;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_that_fails_leaves_the_others() {
        let (ids, formatted) = std::thread::scope(|scope| {
            let mut pieces = Pieces::start(scope);
            let ids = [
                pieces.item(None, || quote! { pub struct A; }).piece,
                pieces.item(None, || panic!("no tokens for B")).piece,
                pieces.item(None, || quote! { pub struct ; }).piece,
                pieces.item(None, || quote! { pub struct D; }).piece,
            ];
            (ids, pieces.finish())
        });
        let [a, b, c, d] = ids.map(|id| formatted.get(id).cloned());
        assert_eq!(a, Some(Ok("pub struct A;\n".to_string())));
        assert_eq!(
            b,
            Some(Err("building an item panicked: no tokens for B".to_string()))
        );
        assert!(
            matches!(&c, Some(Err(e)) if e.starts_with("generated code does not parse: ")),
            "{c:?}"
        );
        assert_eq!(d, Some(Ok("pub struct D;\n".to_string())));
    }
}
