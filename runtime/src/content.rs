//! Media content: the bytes of a media entity (`HasStream`, at `{entity}/$value`) or of an
//! `Edm.Stream` property (`{entity}/content`).
//!
//! A download is read as a stream of chunks, never held whole. Graph often answers it with a
//! `302 Found` to a pre-authenticated download URL on another host
//! (`api-reference/v1.0/api/driveitem-get-content.md`); the client follows it without the
//! `Authorization` header, which goes only to the Graph origin.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, TransportError};
use crate::operation::Operation;
use crate::request::Request;
use crate::response::{JsonOrEmpty, Response};

/// A response body as it arrives, chunk by chunk.
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>;

/// A response whose body has not been read yet: what
/// [`Transport::send_streaming`](crate::Transport::send_streaming) returns.
pub struct StreamingResponse {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, not read yet.
    pub body: BodyStream,
}

impl fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl From<Response> for StreamingResponse {
    /// A complete response as a one-chunk stream.
    fn from(response: Response) -> Self {
        let body = Bytes::from(response.body);
        let chunks: Vec<Result<Bytes, TransportError>> = if body.is_empty() {
            Vec::new()
        } else {
            vec![Ok(body)]
        };
        StreamingResponse {
            status: response.status,
            headers: response.headers,
            body: Box::pin(futures_util::stream::iter(chunks)),
        }
    }
}

impl StreamingResponse {
    /// Reads the whole body.
    pub async fn collect(self) -> Result<Response, TransportError> {
        use futures_util::StreamExt;
        let mut body = Vec::new();
        let mut chunks = self.body;
        while let Some(chunk) = chunks.next().await {
            body.extend_from_slice(&chunk?);
        }
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body,
        })
    }
}

/// A GET of media content, built by generated `content()` methods. [`Download::send`] gives the
/// body as a [`ByteStream`]; [`Download::bytes`] reads it whole.
pub struct Download {
    client: Client,
    request: Request,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

impl Download {
    /// The content at `path` (`/me/photo/$value`, `/drives/{id}/items/{id}/content`), relative
    /// to the client's service root.
    pub fn new(client: Client, path: impl Into<String>) -> Self {
        let mut request = Request::new(Method::GET, path);
        request
            .headers
            .insert(ACCEPT, HeaderValue::from_static("*/*"));
        Download { client, request }
    }

    /// A header for this request (`Range: bytes=0-1023`, `If-None-Match`...).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.request.headers.insert(name, value);
        self
    }

    /// Any query option (`format=pdf` for a driveItem's content in another format).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.query.push((name.into(), value.into()));
        self
    }

    /// The request as it would be sent.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The request, without sending it.
    pub fn into_request(self) -> Request {
        self.request
    }

    /// Sends the request, following redirects (without the token off the Graph origin), and
    /// returns the body as it arrives. A non-success status is an [`Error::Http`], read whole.
    /// The client's timeout covers the wait for the response headers, not the reading of the
    /// body.
    pub async fn send(self) -> Result<ByteStream, Error> {
        let response = self.client.execute_streaming(self.request).await?;
        Ok(ByteStream { response })
    }

    /// Sends the request and reads the whole body.
    pub async fn bytes(self) -> Result<Vec<u8>, Error> {
        let stream = self.send().await?;
        Ok(stream.response.collect().await?.body)
    }
}

/// The body of a download, chunk by chunk; a [`Stream`] of [`Bytes`].
pub struct ByteStream {
    response: StreamingResponse,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("response", &self.response)
            .finish()
    }
}

impl ByteStream {
    /// The status of the final response (200, or 206 for a range).
    pub fn status(&self) -> StatusCode {
        self.response.status
    }

    /// The headers of the final response (from the download host after a redirect).
    pub fn headers(&self) -> &HeaderMap {
        &self.response.headers
    }

    /// `Content-Type`, if the response says.
    pub fn content_type(&self) -> Option<&str> {
        self.response
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// `Content-Length`, if the response says.
    pub fn content_length(&self) -> Option<u64> {
        self.response
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .response
            .body
            .as_mut()
            .poll_next(cx)
            .map(|chunk| chunk.map(|c| c.map_err(Error::from)))
    }
}

/// A PUT of media content, for generated `put_content()` methods: `body` sent as it is with its
/// `Content-Type`. The service answers with the entity or with no content. A content type that
/// is not a valid header value is the operation's error.
pub fn put_content<T: DeserializeOwned>(
    client: Client,
    path: impl Into<String>,
    body: Vec<u8>,
    content_type: &str,
) -> Operation<JsonOrEmpty<T>> {
    let mut request = Request::new(Method::PUT, path);
    let content_type = HeaderValue::from_str(content_type).map_err(|_| {
        Error::Config(format!(
            "not a valid Content-Type header value: {content_type:?}"
        ))
    });
    let error = match content_type {
        Ok(value) => {
            request.headers.insert(CONTENT_TYPE, value);
            request.body = Some(body);
            None
        }
        Err(e) => Some(e),
    };
    let op = Operation::new(client, request);
    match error {
        Some(e) => op.with_error(e),
        None => op,
    }
}
