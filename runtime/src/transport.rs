//! The seam between the client and an HTTP stack.

use std::fmt;

use crate::auth::BoxFuture;
use crate::error::TransportError;
use crate::response::Response;

/// Sends one HTTP request and returns the complete response.
///
/// The request URI is absolute and all headers (including `Authorization`)
/// are already set. Implementations must **not** follow redirects: the client
/// handles 3xx itself so that credentials never reach another host. Timeouts
/// and retries are also applied by the client, around this call.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request`; any status, including 4xx/5xx, is `Ok`.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response, TransportError>>;
}
