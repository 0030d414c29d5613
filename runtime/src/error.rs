//! The crate's single error type and the parsed Graph error body.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use http::StatusCode;
use serde_json::Value;

use crate::response::Response;

/// Longest excerpt of a response body kept in an error, in characters.
pub(crate) const EXCERPT_CHARS: usize = 300;

/// Everything that can go wrong when building, sending or decoding a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The HTTP stack failed: connect, TLS, I/O or a transport-level timeout.
    #[error(transparent)]
    Transport(#[from] TransportError),

    /// No response arrived within the per-request timeout.
    #[error("request timed out after {0:?}")]
    Timeout(Duration),

    /// The service answered with a non-success status.
    #[error(transparent)]
    Http(Box<HttpError>),

    /// A success response whose body does not match the expected model.
    #[error(
        "response body ({status}) does not match the expected model: {source}; body starts: {excerpt}"
    )]
    Decode {
        /// Status of the response.
        status: StatusCode,
        /// What serde rejected.
        #[source]
        source: serde_json::Error,
        /// Bounded, single-line start of the body.
        excerpt: String,
    },

    /// A JSON body was expected but the response had none (for example 204 No Content).
    #[error(
        "expected a JSON body but the response ({status}) had none; the operation should use JsonOrEmpty"
    )]
    EmptyBody {
        /// Status of the response.
        status: StatusCode,
    },

    /// A request body could not be serialized to JSON.
    #[error("request body could not be serialized: {0}")]
    Serialize(#[source] serde_json::Error),

    /// The token provider failed to produce a token.
    #[error("token acquisition failed: {0}")]
    Auth(#[source] Box<dyn StdError + Send + Sync>),

    /// A redirect could not be followed (missing/invalid `Location`, or too many hops).
    #[error("redirect not followed: {0}")]
    Redirect(String),

    /// Invalid client configuration or request (bad root URL, header value, ...).
    #[error("invalid configuration: {0}")]
    Config(String),

    /// The service answered outside the protocol it documents (an `@odata.nextLink` that is not
    /// a URL, a `$batch` response without a step's answer, an upload session that asks for bytes
    /// it already acknowledged, ...).
    #[error("protocol error: {0}")]
    Protocol(String),

    /// Reading what an upload sends failed (the `AsyncRead` of a large upload).
    #[error("reading the upload source failed: {0}")]
    Read(#[source] std::io::Error),
}

impl Error {
    /// The HTTP status, for [`Error::Http`], [`Error::Decode`] and [`Error::EmptyBody`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Http(e) => Some(e.status),
            Error::Decode { status, .. } | Error::EmptyBody { status } => Some(*status),
            _ => None,
        }
    }

    /// The HTTP error details, when the service answered with a non-success status.
    pub fn http(&self) -> Option<&HttpError> {
        match self {
            Error::Http(e) => Some(e),
            _ => None,
        }
    }

    /// The parsed Graph error body (`{"error": {...}}`), if there was one.
    pub fn graph_error(&self) -> Option<&GraphError> {
        self.http().and_then(HttpError::graph_error)
    }

    /// The service's `request-id` (from the error body or the response header).
    pub fn request_id(&self) -> Option<&str> {
        self.http().and_then(HttpError::request_id)
    }

    /// Builds the error for a non-success response. Never fails, whatever the body.
    pub fn from_response(response: &Response) -> Error {
        Error::Http(Box::new(HttpError::from_response(response)))
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established (DNS, refused, unreachable).
    Connect,
    /// The TLS handshake or certificate validation failed.
    Tls,
    /// The transport's own timeout elapsed.
    Timeout,
    /// Anything else (I/O error mid-response, protocol error, ...).
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Tls => "TLS",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Other => "transport",
        })
    }
}

/// A failure of the HTTP stack behind a [`Transport`](crate::Transport).
#[derive(Debug, thiserror::Error)]
#[error("{kind} error: {message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl TransportError {
    /// A transport error of `kind` with a human-readable message.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The human-readable message, without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A non-success HTTP response, with Graph's error body parsed when it has one.
#[derive(Debug, Clone)]
pub struct HttpError {
    status: StatusCode,
    graph: Option<GraphError>,
    content_type: Option<String>,
    excerpt: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    retry_after: Option<Duration>,
}

impl HttpError {
    /// Parses a non-success response. Never fails: an unparseable body becomes an excerpt.
    pub fn from_response(response: &Response) -> Self {
        let header = |name: &str| {
            response
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let graph = serde_json::from_slice::<Value>(&response.body)
            .ok()
            .and_then(|v| GraphError::from_json(&v));
        let excerpt = if graph.is_none() && !response.body.is_empty() {
            Some(excerpt(&response.body))
        } else {
            None
        };
        let body_request_id = graph
            .as_ref()
            .and_then(|g| g.request_id().map(str::to_owned));
        let body_client_id = graph
            .as_ref()
            .and_then(|g| g.client_request_id().map(str::to_owned));
        HttpError {
            status: response.status,
            content_type: header("content-type"),
            request_id: body_request_id.or_else(|| header("request-id")),
            client_request_id: body_client_id.or_else(|| header("client-request-id")),
            retry_after: crate::retry::retry_after(&response.headers),
            graph,
            excerpt,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Graph's parsed `error` object, when the body was a Graph/OData error.
    pub fn graph_error(&self) -> Option<&GraphError> {
        self.graph.as_ref()
    }

    /// The top-level error code (`error.code`), when present.
    pub fn code(&self) -> Option<&str> {
        self.graph.as_ref().and_then(|g| g.code.as_deref())
    }

    /// The top-level error message (`error.message`), when present.
    pub fn message(&self) -> Option<&str> {
        self.graph.as_ref().and_then(|g| g.message.as_deref())
    }

    /// The `Content-Type` of the error response.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// A bounded single-line excerpt of a body that was not a Graph error (e.g. an HTML gateway page).
    pub fn excerpt(&self) -> Option<&str> {
        self.excerpt.as_deref()
    }

    /// The service's `request-id`, from the error body or else the response header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The `client-request-id` echoed by the service.
    pub fn client_request_id(&self) -> Option<&str> {
        self.client_request_id.as_deref()
    }

    /// The delay the service asked for in `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        match &self.graph {
            Some(g) => {
                write!(f, ": {}", g.code.as_deref().unwrap_or("(no code)"))?;
                if let Some(m) = &g.message {
                    write!(f, ": {}", one_line(m))?;
                }
                if let Some(inner) = g.innermost_code() {
                    write!(f, " [inner code: {inner}]")?;
                }
            }
            None => {
                if let Some(ct) = &self.content_type {
                    write!(f, " ({ct})")?;
                }
                match &self.excerpt {
                    Some(e) => write!(f, ": {e}")?,
                    None => f.write_str(": empty body")?,
                }
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request-id: {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for HttpError {}

/// Graph's `error` object (OData error): `{"error": {"code", "message", "innerError": {...}}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphError {
    code: Option<String>,
    message: Option<String>,
    target: Option<String>,
    inner: Option<Box<InnerError>>,
}

impl GraphError {
    /// Reads `{"error": {...}}` leniently; `None` when the JSON has no `error` object.
    pub fn from_json(value: &Value) -> Option<GraphError> {
        let error = value.get("error")?.as_object()?;
        Some(GraphError {
            code: string_field(error, "code"),
            message: message_field(error),
            target: string_field(error, "target"),
            inner: InnerError::from_parent(error),
        })
    }

    /// `error.code`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// `error.message`.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `error.target`.
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// The first `innerError` / `innererror` object.
    pub fn inner_error(&self) -> Option<&InnerError> {
        self.inner.as_deref()
    }

    /// Every inner error, outermost first.
    pub fn inner_errors(&self) -> impl Iterator<Item = &InnerError> {
        std::iter::successors(self.inner_error(), |e| e.inner_error())
    }

    /// The `code` of the innermost inner error that has one.
    pub fn innermost_code(&self) -> Option<&str> {
        self.inner_errors().filter_map(InnerError::code).last()
    }

    /// The first `request-id` found in the inner error chain.
    pub fn request_id(&self) -> Option<&str> {
        self.inner_errors().find_map(InnerError::request_id)
    }

    /// The first `client-request-id` found in the inner error chain.
    pub fn client_request_id(&self) -> Option<&str> {
        self.inner_errors().find_map(InnerError::client_request_id)
    }

    /// The first `date` found in the inner error chain, verbatim.
    pub fn date(&self) -> Option<&str> {
        self.inner_errors().find_map(InnerError::date)
    }
}

/// One level of Graph's nested `innerError` chain.
#[derive(Debug, Clone, PartialEq)]
pub struct InnerError {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
    inner: Option<Box<InnerError>>,
}

impl InnerError {
    fn from_parent(parent: &serde_json::Map<String, Value>) -> Option<Box<InnerError>> {
        Self::from_parent_depth(parent, 0)
    }

    fn from_parent_depth(
        parent: &serde_json::Map<String, Value>,
        depth: usize,
    ) -> Option<Box<InnerError>> {
        // Bounded so a hostile body cannot make the chain arbitrarily long.
        if depth >= 16 {
            return None;
        }
        let obj = parent
            .get("innerError")
            .or_else(|| parent.get("innererror"))?
            .as_object()?;
        Some(Box::new(InnerError {
            code: string_field(obj, "code"),
            message: message_field(obj),
            request_id: string_field(obj, "request-id"),
            client_request_id: string_field(obj, "client-request-id"),
            date: string_field(obj, "date"),
            inner: Self::from_parent_depth(obj, depth + 1),
        }))
    }

    /// `code` at this level.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// `message` at this level.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `request-id` at this level.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// `client-request-id` at this level.
    pub fn client_request_id(&self) -> Option<&str> {
        self.client_request_id.as_deref()
    }

    /// `date` at this level, verbatim (Graph often omits the UTC offset).
    pub fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }

    /// The next, more specific inner error.
    pub fn inner_error(&self) -> Option<&InnerError> {
        self.inner.as_deref()
    }
}

fn string_field(obj: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// OData v4 uses a string; older services send `{"lang": "..", "value": ".."}`.
fn message_field(obj: &serde_json::Map<String, Value>) -> Option<String> {
    match obj.get("message")? {
        Value::Object(m) => string_field(m, "value"),
        _ => string_field(obj, "message"),
    }
}

/// A bounded, single-line, char-boundary-safe excerpt of a body.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let line = one_line(&text);
    let mut chars = line.char_indices();
    match chars.nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None if head.len() < body.len() => format!("{line}…"),
        None => line,
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_char_safe() {
        let body = "é".repeat(1000);
        let e = excerpt(body.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
        assert_eq!(
            excerpt(b"<html>\n  <b>502</b>\n</html>"),
            "<html> <b>502</b> </html>"
        );
        assert_eq!(excerpt(&[0xff, 0xfe, b'a']), "\u{fffd}\u{fffd}a");
    }

    #[test]
    fn parses_nested_inner_errors_leniently() {
        let v: Value = serde_json::json!({"error": {
            "code": "Forbidden", "message": {"lang": "en", "value": "No"},
            "innererror": {"code": "a", "request-id": "r1", "date": "2024-01-01T00:00:00",
                "innerError": {"code": "b", "innerError": {"message": "deep"}}}}});
        let g = GraphError::from_json(&v).unwrap();
        assert_eq!(g.message(), Some("No"));
        assert_eq!(g.innermost_code(), Some("b"));
        assert_eq!(g.request_id(), Some("r1"));
        assert_eq!(g.date(), Some("2024-01-01T00:00:00"));
        assert_eq!(g.inner_errors().count(), 3);
        assert!(GraphError::from_json(&serde_json::json!({"error": "x"})).is_none());
        assert!(GraphError::from_json(&serde_json::json!([1])).is_none());
    }
}
