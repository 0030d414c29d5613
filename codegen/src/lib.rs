//! OData CSDL code generator: CSDL syntax -> resolved model -> Rust tokens.
//!
//! The library does no file or network I/O: callers hand it bytes and a [`model::SourceLoader`]
//! for referenced documents, and receive file contents to write ([`output::GeneratedFiles`]).

pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod model;
pub mod naming;
pub mod output;
mod repeats;
pub mod select;
pub mod syntax;
mod threads;
