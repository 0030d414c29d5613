//! The HTTP request seam: what an operation sends, independent of any network stack.

use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method};
use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::Error;

/// Characters encoded in query names and values. `$`, `,` and the OData
/// punctuation `'():@/!*` stay readable; `&`, `=`, `+`, `#`, space etc. are encoded.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b',')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b':')
    .remove(b'@')
    .remove(b'/')
    .remove(b'!')
    .remove(b'*');

/// Characters encoded in one path segment (RFC 3986 `pchar` keeps the rest).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Percent-encodes one path segment (an entity key, for example), so that
/// `/`, `?`, `#`, `%`, spaces and non-ASCII cannot change the path's structure.
pub fn path_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// The OData URL literal of a value, for function parameters passed as parameter aliases
/// (`fn(p=@p)?@p=<literal>`): strings in single quotes with quotes doubled, numbers and booleans
/// as written, `null`, and JSON text for structured values and collections.
///
/// This goes through the value's JSON form, so a single [`crate::edm`] value would come out
/// quoted like a string; use [`crate::edm::UrlLiteral`] for those (`2026-11-29`, `duration'P1D'`).
/// In a collection they are right as JSON.
pub fn url_literal<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, crate::Error> {
    let value = serde_json::to_value(value).map_err(crate::Error::Serialize)?;
    Ok(match value {
        serde_json::Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        serde_json::Value::Null => "null".to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    })
}

/// An HTTP request relative to a service root, built by generated code.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The HTTP method.
    pub method: http::Method,
    /// Path relative to the service root (e.g. `/deviceManagement/remoteAssistanceSettings`),
    /// or an absolute URL such as an `@odata.nextLink`.
    pub path: String,
    /// Unencoded query pairs, e.g. `("$select", "id,blockChat")`.
    pub query: Vec<(String, String)>,
    /// Headers for this request only.
    pub headers: http::HeaderMap,
    /// JSON body bytes.
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// A request with `Accept: application/json` and no body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers,
            body: None,
        }
    }

    /// Serializes `body` as JSON and sets `Content-Type: application/json`.
    pub fn with_json_body<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        self.set_json_body(body)?;
        Ok(self)
    }

    /// [`Request::with_json_body`] in place; on failure the request is unchanged.
    pub(crate) fn set_json_body<B: serde::Serialize + ?Sized>(
        &mut self,
        body: &B,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(Error::Serialize)?;
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.body = Some(bytes);
        Ok(())
    }

    /// The body parsed as JSON, if there is one and it parses.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        self.body
            .as_deref()
            .and_then(|b| serde_json::from_slice(b).ok())
    }

    /// The percent-encoded query string without the leading `?`, e.g. `$select=id,blockChat`.
    pub fn query_string(&self) -> String {
        self.query
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(k, QUERY),
                    utf8_percent_encode(v, QUERY)
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The path followed by `?query` when there is a query.
    pub fn path_and_query(&self) -> String {
        let query = self.query_string();
        if query.is_empty() {
            self.path.clone()
        } else if self.path.contains('?') {
            format!("{}&{query}", self.path)
        } else {
            format!("{}?{query}", self.path)
        }
    }

    /// The absolute URL under `service_root` (e.g. `https://graph.microsoft.com/beta`).
    /// An absolute `path` (a next link) is used as it is.
    pub fn url(&self, service_root: &str) -> String {
        if is_absolute(&self.path) {
            return self.path_and_query();
        }
        let root = service_root.trim_end_matches('/');
        let pq = self.path_and_query();
        if pq.starts_with('/') {
            format!("{root}{pq}")
        } else {
            format!("{root}/{pq}")
        }
    }
}

pub(crate) fn is_absolute(path: &str) -> bool {
    let lower = path.get(..8).unwrap_or(path).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    #[test]
    fn url_literals() {
        assert_eq!(super::url_literal("it's").unwrap(), "'it''s'");
        assert_eq!(super::url_literal(&5).unwrap(), "5");
        assert_eq!(super::url_literal(&true).unwrap(), "true");
        assert_eq!(super::url_literal(&Option::<u8>::None).unwrap(), "null");
        assert_eq!(super::url_literal(&vec![1, 2]).unwrap(), "[1,2]");
    }

    use super::*;

    #[test]
    fn query_encoding_keeps_odata_punctuation_readable() {
        let mut r = Request::new(Method::GET, "/users");
        r.query.push(("$select".into(), "id,displayName".into()));
        r.query.push((
            "$filter".into(),
            "startswith(displayName,'a b&c=d+e#')".into(),
        ));
        assert_eq!(
            r.query_string(),
            "$select=id,displayName&$filter=startswith(displayName,'a%20b%26c%3Dd%2Be%23')"
        );
        assert_eq!(
            r.url("https://graph.microsoft.com/beta/"),
            format!(
                "https://graph.microsoft.com/beta/users?{}",
                r.query_string()
            )
        );
    }

    #[test]
    fn absolute_paths_are_kept() {
        let mut r = Request::new(
            Method::GET,
            "https://graph.microsoft.com/beta/users?$skiptoken=X",
        );
        assert_eq!(
            r.url("http://127.0.0.1:1/beta"),
            "https://graph.microsoft.com/beta/users?$skiptoken=X"
        );
        r.query.push(("$top".into(), "5".into()));
        assert_eq!(
            r.path_and_query(),
            "https://graph.microsoft.com/beta/users?$skiptoken=X&$top=5"
        );
    }

    #[test]
    fn path_segment_encodes_structure() {
        assert_eq!(path_segment("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(path_segment("user@contoso.com"), "user@contoso.com");
        assert_eq!(path_segment("é"), "%C3%A9");
    }

    #[test]
    fn json_body_sets_content_type() {
        let r = Request::new(Method::PATCH, "/x")
            .with_json_body(&serde_json::json!({"a": 1}))
            .unwrap();
        assert_eq!(r.headers[CONTENT_TYPE], "application/json");
        assert_eq!(r.headers[ACCEPT], "application/json");
        assert_eq!(r.body_json(), Some(serde_json::json!({"a": 1})));
    }
}
