//! The seam between the client and an HTTP stack.

use std::fmt;

use crate::auth::BoxFuture;
use crate::content::StreamingResponse;
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

    /// Sends `request` and returns as soon as the status and headers have arrived, the body to
    /// be read as a stream (media downloads). The default reads the whole body with
    /// [`Transport::send`]; a transport that can stream overrides it.
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(async move { self.send(request).await.map(StreamingResponse::from) })
    }
}
