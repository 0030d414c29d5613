//! OData CSDL code generator: CSDL syntax -> resolved model -> Rust tokens.
//!
//! The stages do no file or network I/O: callers hand them bytes and a [`model::SourceLoader`]
//! for referenced documents, and receive file contents to write ([`output::GeneratedFiles`]).
//! The `fs` module (feature `fs`, on for the `odata-codegen` command) is the file-system side that
//! the command and the xtask share.

pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod fingerprint;
#[cfg(feature = "fs")]
pub mod fs;
pub mod model;
pub mod naming;
pub mod output;
mod repeats;
pub mod select;
pub mod syntax;
