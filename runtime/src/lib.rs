//! Runtime for generated Microsoft Graph clients.
//!
//! Generated code builds a [`Request`] and wraps it in an [`Operation`] bound
//! to a [`Client`]; [`Operation::send`] runs it through the client (headers,
//! bearer token, redirects, retries, timeout) and converts the response with
//! an [`Expect`] ([`Json`], [`JsonOrEmpty`] or [`Empty`]). A body or parameter that does not
//! serialize ([`Operation::json_body`], [`Operation::query_literal`]) is kept by the operation
//! and returned by `send` and [`Operation::into_request`]; nothing is sent.
//!
//! ```no_run
//! # async fn run() -> Result<(), odata_runtime::Error> {
//! use odata_runtime::{ApiVersion, Client, Cloud, Json, Operation, Request};
//!
//! let client = Client::builder()
//!     .cloud(Cloud::UsGovL4)
//!     .api_version(ApiVersion::Beta)
//!     .bearer_token("eyJ0eXAi...")
//!     .build()?;
//! let request = Request::new(http::Method::GET, "/deviceManagement/remoteAssistanceSettings");
//! let settings: serde_json::Value = Operation::<Json<serde_json::Value>>::new(client, request)
//!     .select(["id", "blockChat"])
//!     .send()
//!     .await?;
//! # let _ = settings; Ok(()) }
//! ```
//!
//! Features: `reqwest` (default) provides [`ReqwestTransport`]; without it,
//! supply a [`Transport`] with [`ClientBuilder::transport`].

#![warn(missing_docs)]

mod auth;
mod batch;
mod cast;
mod client;
mod cloud;
mod content;
mod delta;
pub mod edm;
mod error;
mod fields;
mod macros;
mod nullable;
mod operation;
mod paging;
mod polymorphic;
mod request;
mod resource;
mod response;
mod retry;
mod transport;
pub mod upload;

#[cfg(feature = "reqwest")]
mod reqwest_transport;

pub use auth::{AccessToken, BoxFuture, StaticToken, TokenProvider};
pub use batch::{Batch, BatchResponse, BatchStep, StepId};
pub use cast::{CastCollection, CastEntity};
pub use client::{Client, ClientBuilder, SDK_VERSION};
pub use cloud::{ApiVersion, Cloud};
pub use content::{BodyStream, ByteStream, Download, StreamingResponse, put_content};
pub use delta::{Delta, DeltaPage, Removed, RemovedReason, navigation_delta};
pub use error::{Error, GraphError, HttpError, InnerError, TransportError, TransportErrorKind};
pub use fields::{
    Object, ObjectReader, ObjectWriter, Property, debug_object, deserialize_object,
    deserialize_parameters, deserialize_str, serialize_object,
};
pub use nullable::Nullable;
pub use operation::{Operation, search_clause};
pub use paging::{Items, Paged, Pages};
pub use polymorphic::{
    Polymorphic, ReadVariant, VariantOf, VariantVisitor, clone_polymorphic, debug_polymorphic,
    deserialize_polymorphic, eq_polymorphic, read_variant, serialize_polymorphic,
};
pub use request::{Request, path_segment, url_literal};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::ReqwestTransport;
pub use resource::Resource;
pub use response::{Empty, Expect, Json, JsonOrEmpty, Page, Response, ValueResponse};
pub use retry::{RetryPolicy, retry_after};
pub use transport::Transport;
pub use upload::LargeUpload;

// Generated code names these through the runtime so it needs no direct dependency.
pub use http;
pub use serde;
pub use serde_json;
