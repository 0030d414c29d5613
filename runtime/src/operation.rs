//! A prepared request bound to a client, with OData query options.

use std::fmt;
use std::marker::PhantomData;

use http::{HeaderName, HeaderValue};

use crate::client::Client;
use crate::error::Error;
use crate::request::{Request, url_literal};
use crate::response::Expect;

/// One API call, built by generated code; `E` says what the response becomes.
///
/// Every generated builder method returns an `Operation`, also those that take a body or
/// parameters. A body or parameter that cannot be serialized does not fail the method: the
/// operation keeps the error ([`Operation::error`]), and [`Operation::send`] and
/// [`Operation::into_request`] return it without sending anything.
pub struct Operation<E: Expect> {
    client: Client,
    request: Request,
    /// The first error met while building the request.
    error: Option<Error>,
    expect: PhantomData<fn() -> E>,
}

impl<E: Expect> fmt::Debug for Operation<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("client", &self.client)
            .field("request", &self.request)
            .field("error", &self.error)
            .finish()
    }
}

impl<E: Expect> Operation<E> {
    /// Binds `request` to `client`.
    pub fn new(client: Client, request: Request) -> Self {
        Operation {
            client,
            request,
            error: None,
            expect: PhantomData,
        }
    }

    /// Serializes `body` as the JSON body (`Content-Type: application/json`). When it does not
    /// serialize, the operation keeps the error for [`Operation::send`] and
    /// [`Operation::into_request`].
    pub fn json_body<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        if let Err(e) = self.request.set_json_body(body) {
            self.error.get_or_insert(e);
        }
        self
    }

    /// A query option whose value is the OData URL literal of `value` ([`url_literal`]): how
    /// function parameters travel as parameter aliases (`fn(p=@p)?@p='text'`). Replaces an
    /// earlier value of the same name. When `value` does not serialize, the operation keeps the
    /// error for [`Operation::send`] and [`Operation::into_request`].
    pub fn query_literal<T: serde::Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Self {
        match url_literal(value) {
            Ok(literal) => self.query(name, literal),
            Err(e) => {
                self.error.get_or_insert(e);
                self
            }
        }
    }

    /// Why the request could not be built (a body or parameter that does not serialize), if it
    /// could not: [`Operation::send`] and [`Operation::into_request`] return this error.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// `$select`: properties to return (merged with earlier calls).
    pub fn select<I: IntoIterator<Item = S>, S: AsRef<str>>(self, fields: I) -> Self {
        self.merge_list("$select", fields)
    }

    /// `$expand`: navigation properties to include (merged with earlier calls).
    pub fn expand<I: IntoIterator<Item = S>, S: AsRef<str>>(self, fields: I) -> Self {
        self.merge_list("$expand", fields)
    }

    /// `$filter`: an OData filter expression (replaces an earlier one).
    pub fn filter(self, expr: impl Into<String>) -> Self {
        self.query("$filter", expr)
    }

    /// `$orderby`: e.g. `["displayName desc"]` (merged with earlier calls).
    pub fn order_by<I: IntoIterator<Item = S>, S: AsRef<str>>(self, items: I) -> Self {
        self.merge_list("$orderby", items)
    }

    /// `$top`: page size.
    pub fn top(self, n: u32) -> Self {
        self.query("$top", n.to_string())
    }

    /// `$skip`: items to skip.
    pub fn skip(self, n: u32) -> Self {
        self.query("$skip", n.to_string())
    }

    /// `$count`: include `@odata.count`.
    pub fn count(self, yes: bool) -> Self {
        self.query("$count", if yes { "true" } else { "false" })
    }

    /// `$search`: a search expression (Graph expects it quoted, e.g. `"\"name:a\""`).
    pub fn search(self, s: impl Into<String>) -> Self {
        self.query("$search", s)
    }

    /// Any other query option; replaces an earlier value of the same name.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let value = value.into();
        match self.request.query.iter_mut().find(|(k, _)| *k == name) {
            Some(entry) => entry.1 = value,
            None => self.request.query.push((name, value)),
        }
        self
    }

    /// A header for this request only.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.request.headers.insert(name, value);
        self
    }

    /// The request as it would be sent (relative to the client's service root), to look at.
    ///
    /// When building it failed ([`Operation::error`] is `Some`), this is what was built before:
    /// for a body that did not serialize, the request without its body.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The request, without sending it: the seam for tests and for other HTTP stacks. Fails
    /// with the error met while building it (a body or parameter that does not serialize), so
    /// an incomplete request is never handed on.
    pub fn into_request(self) -> Result<Request, Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.request),
        }
    }

    /// The client and the request, or the error met while building the request: for runtime
    /// helpers that send an operation their own way (a batch step, an upload session).
    pub(crate) fn into_parts(self) -> (Client, Result<Request, Error>) {
        let request = match self.error {
            Some(e) => Err(e),
            None => Ok(self.request),
        };
        (self.client, request)
    }

    /// Sends the request through the client and converts the response. A request that could
    /// not be built is not sent: its error is returned.
    pub async fn send(self) -> Result<E::Output, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let response = self.client.execute(self.request).await?;
        E::from_response(&response)
    }

    fn merge_list<I: IntoIterator<Item = S>, S: AsRef<str>>(
        mut self,
        name: &str,
        items: I,
    ) -> Self {
        let added: Vec<String> = items
            .into_iter()
            .map(|s| s.as_ref().trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        if added.is_empty() {
            return self;
        }
        let added = added.join(",");
        match self.request.query.iter_mut().find(|(k, _)| k == name) {
            Some((_, existing)) if !existing.is_empty() => {
                existing.push(',');
                existing.push_str(&added);
            }
            Some((_, existing)) => *existing = added,
            None => self.request.query.push((name.to_owned(), added)),
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{Empty, Json, Response};
    use crate::transport::Transport;

    /// Counts the requests that reach it and answers 204.
    #[derive(Debug, Default, Clone)]
    struct Counter(std::sync::Arc<std::sync::atomic::AtomicUsize>);

    impl Transport for Counter {
        fn send(
            &self,
            _request: http::Request<Vec<u8>>,
        ) -> crate::BoxFuture<'_, Result<Response, crate::TransportError>> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async {
                Ok(Response {
                    status: http::StatusCode::NO_CONTENT,
                    headers: http::HeaderMap::new(),
                    body: Vec::new(),
                })
            })
        }
    }

    /// A value that never serializes.
    struct Unserializable;

    impl serde::Serialize for Unserializable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("this value does not serialize"))
        }
    }

    fn client(counter: &Counter) -> Client {
        Client::builder()
            .transport(counter.clone())
            .build()
            .unwrap()
    }

    fn post(client: Client) -> Operation<Empty> {
        Operation::new(client, Request::new(http::Method::POST, "/x"))
    }

    #[tokio::test]
    async fn a_body_is_serialized_once_and_sent() {
        let counter = Counter::default();
        let op = post(client(&counter)).json_body(&serde_json::json!({"a": 1}));
        assert!(op.error().is_none());
        assert_eq!(op.request().body_json(), Some(serde_json::json!({"a": 1})));
        assert_eq!(
            op.request().headers[http::header::CONTENT_TYPE],
            "application/json"
        );
        op.send().await.unwrap();
        assert_eq!(counter.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_body_that_does_not_serialize_is_the_error_of_send_and_nothing_is_sent() {
        let counter = Counter::default();
        let op = post(client(&counter))
            .json_body(&Unserializable)
            .select(["id"]);
        assert!(matches!(op.error(), Some(Error::Serialize(_))));
        // what was built stays visible, without a body
        assert!(op.request().body.is_none());
        assert_eq!(op.request().query_string(), "$select=id");
        let err = op.send().await.unwrap_err();
        assert!(matches!(err, Error::Serialize(_)), "{err:?}");
        assert!(err.to_string().contains("does not serialize"), "{err}");
        assert_eq!(counter.0.load(std::sync::atomic::Ordering::SeqCst), 0);
        let err = post(client(&counter))
            .json_body(&Unserializable)
            .into_request()
            .unwrap_err();
        assert!(matches!(err, Error::Serialize(_)), "{err:?}");
    }

    #[test]
    fn the_first_error_is_kept() {
        let counter = Counter::default();
        let op = Operation::<Json<serde_json::Value>>::new(
            client(&counter),
            Request::new(http::Method::GET, "/f(p=@p,q=@q)"),
        )
        .query_literal("@p", &Unserializable)
        .json_body(&Unserializable)
        .query_literal("@q", "it's");
        assert!(
            matches!(op.error(), Some(Error::Serialize(e)) if e.to_string().contains("does not serialize"))
        );
        assert_eq!(
            op.request().query,
            [("@q".to_string(), "'it''s'".to_string())]
        );
        assert!(op.into_request().is_err());
    }

    #[test]
    fn query_literals_are_url_literals() {
        let counter = Counter::default();
        let request = Operation::<Empty>::new(
            client(&counter),
            Request::new(http::Method::GET, "/f(a=@a,b=@b)"),
        )
        .query_literal("@a", "o'neil")
        .query_literal("@b", &5)
        .query_literal("@a", "x")
        .into_request()
        .unwrap();
        assert_eq!(
            request.query,
            [
                ("@a".to_string(), "'x'".to_string()),
                ("@b".to_string(), "5".to_string())
            ]
        );
    }
}
