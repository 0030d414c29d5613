//! Responses and how an operation turns one into its output.

use std::fmt;
use std::marker::PhantomData;

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, excerpt};

/// A complete HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Response {
    /// A header's value as text, if present and valid.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// True when the body is empty or only whitespace.
    pub fn body_is_empty(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// Deserializes the body as JSON, reporting a mismatch as [`Error::Decode`].
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            status: self.status,
            source,
            excerpt: excerpt(&self.body),
        })
    }

    /// `Ok(())` for a 2xx status, otherwise the parsed error.
    pub fn error_for_status(&self) -> Result<(), Error> {
        if self.status.is_success() {
            Ok(())
        } else {
            Err(Error::from_response(self))
        }
    }
}

/// What a response turns into for one kind of operation.
pub trait Expect {
    /// The value an operation returns.
    type Output;
    /// Converts a response; a non-2xx status is an error.
    fn from_response(resp: &Response) -> Result<Self::Output, Error>;
}

/// A 2xx response with a JSON body, decoded as `T`. No body is an error.
pub struct Json<T>(PhantomData<T>);

/// A 2xx response whose JSON body is optional: `Some(T)`, or `None` for 204 / an empty body.
pub struct JsonOrEmpty<T>(PhantomData<T>);

/// A 2xx response whose body is ignored.
#[derive(Debug, Clone, Copy, Default)]
pub struct Empty;

impl<T> fmt::Debug for Json<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Json<{}>", std::any::type_name::<T>())
    }
}

impl<T> fmt::Debug for JsonOrEmpty<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonOrEmpty<{}>", std::any::type_name::<T>())
    }
}

impl<T: DeserializeOwned> Expect for Json<T> {
    type Output = T;
    fn from_response(resp: &Response) -> Result<T, Error> {
        resp.error_for_status()?;
        if resp.status == StatusCode::NO_CONTENT || resp.body_is_empty() {
            return Err(Error::EmptyBody {
                status: resp.status,
            });
        }
        resp.json()
    }
}

impl<T: DeserializeOwned> Expect for JsonOrEmpty<T> {
    type Output = Option<T>;
    fn from_response(resp: &Response) -> Result<Option<T>, Error> {
        resp.error_for_status()?;
        if resp.status == StatusCode::NO_CONTENT || resp.body_is_empty() {
            return Ok(None);
        }
        resp.json().map(Some)
    }
}

impl Expect for Empty {
    type Output = ();
    fn from_response(resp: &Response) -> Result<(), Error> {
        resp.error_for_status()
    }
}

/// One page of a collection response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items of this page.
    pub value: Vec<T>,
    /// `@odata.nextLink`: the absolute URL of the next page.
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// `@odata.count`, when `$count=true` was requested.
    #[serde(
        rename = "@odata.count",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    /// The other control information and annotations of the page (`@odata.context`,
    /// `@odata.deltaLink`...), kept so that a round trip loses nothing.
    #[serde(flatten)]
    pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
}

/// A single primitive, enum or collection value wrapped as OData returns it from an operation:
/// `{"value": ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueResponse<T> {
    /// The value.
    pub value: T,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn json_expectations() {
        assert_eq!(
            Json::<Value>::from_response(&resp(200, "{\"a\":1}")).unwrap()["a"],
            1
        );
        let e = Json::<Value>::from_response(&resp(204, "")).unwrap_err();
        assert!(e.to_string().contains("JsonOrEmpty"), "{e}");
        assert!(
            JsonOrEmpty::<Value>::from_response(&resp(204, ""))
                .unwrap()
                .is_none()
        );
        assert!(
            JsonOrEmpty::<Value>::from_response(&resp(200, " \n"))
                .unwrap()
                .is_none()
        );
        let e = Json::<u32>::from_response(&resp(200, "{\"a\":1}")).unwrap_err();
        assert!(matches!(e, Error::Decode { .. }), "{e}");
        assert!(Empty::from_response(&resp(404, "nope")).is_err());
        Empty::from_response(&resp(204, "")).unwrap();
    }

    #[test]
    fn page_reads_odata_annotations() {
        let p: Page<u32> = serde_json::from_str(
            r#"{"value":[1,2],"@odata.nextLink":"https://x/next","@odata.count":7}"#,
        )
        .unwrap();
        assert_eq!(p.value, vec![1, 2]);
        assert_eq!(p.next_link.as_deref(), Some("https://x/next"));
        assert_eq!(p.count, Some(7));
        let p: Page<u32> = serde_json::from_str(r#"{"value":[]}"#).unwrap();
        assert_eq!(p.next_link, None);
    }

    #[test]
    fn value_response_unwraps_value() {
        let v: ValueResponse<bool> =
            serde_json::from_str(r#"{"@odata.context":"x","value":true}"#).unwrap();
        assert!(v.value);
    }
}
