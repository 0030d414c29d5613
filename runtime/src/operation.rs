//! A prepared request bound to a client, with OData query options.

use std::fmt;
use std::marker::PhantomData;

use http::{HeaderName, HeaderValue};

use crate::client::Client;
use crate::error::Error;
use crate::request::{Request, url_literal};
use crate::response::Expect;

const CONSISTENCY_LEVEL: HeaderName = HeaderName::from_static("consistencylevel");

/// One `$search` clause as Graph expects it: in double quotes, with `"` and `\` escaped by a
/// backslash (`displayName:wa` becomes `"displayName:wa"`). Join clauses with ` AND ` / ` OR `
/// for [`Operation::search`]. The query string's percent-encoding is applied when sending.
pub fn search_clause(clause: &str) -> String {
    let mut out = String::with_capacity(clause.len() + 2);
    out.push('"');
    for c in clause.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

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
    /// `ConsistencyLevel: eventual` as the caller chose it ([`Operation::eventual_consistency`]);
    /// `None`: added when `$count` or a directory `$search` needs it.
    consistency: Option<bool>,
    /// A collection of directory objects, where `$search` needs `ConsistencyLevel`.
    directory: bool,
    /// The `ConsistencyLevel` header is ours (added for `$count` or `$search`), not the caller's.
    consistency_added: bool,
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
            consistency: None,
            directory: false,
            consistency_added: false,
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

    /// `$count`: include `@odata.count`. `$count=true` also sends `ConsistencyLevel: eventual`
    /// (directory objects count only in advanced queries, and ignore `$count` without it),
    /// unless [`Operation::eventual_consistency`] says otherwise.
    pub fn count(self, yes: bool) -> Self {
        self.query("$count", if yes { "true" } else { "false" })
    }

    /// `$search`. A single clause (`displayName:wa`, `pizza`) is put in double quotes with `"`
    /// and `\` escaped, as Graph expects ([`search_clause`]); a value that starts with `"` is
    /// taken as a whole expression already quoted (`"displayName:a" OR "mail:a"`) and sent as it
    /// is. On a collection of directory objects it also sends `ConsistencyLevel: eventual`
    /// (Graph answers 400 without it), unless [`Operation::eventual_consistency`] says otherwise.
    pub fn search(self, s: impl AsRef<str>) -> Self {
        let s = s.as_ref();
        if s.trim_start().starts_with('"') {
            self.query("$search", s.trim())
        } else {
            self.query("$search", search_clause(s))
        }
    }

    /// Whether to send `ConsistencyLevel: eventual` (advanced queries on directory objects:
    /// `$count`, `$search`, `ne`, `endsWith`...). `true` always sends it; `false` never adds it,
    /// even with `$count` or `$search`. Without a call, it is added when `$count=true` is set, or
    /// `$search` on a collection of directory objects.
    pub fn eventual_consistency(mut self, yes: bool) -> Self {
        self.consistency = Some(yes);
        self.sync_consistency();
        self
    }

    /// Marks the collection as one of directory objects (users, groups, applications...), where
    /// `$search` needs `ConsistencyLevel: eventual`. Generated builders call it where the
    /// metadata says the items derive from `directoryObject`.
    pub fn directory_objects(mut self) -> Self {
        self.directory = true;
        self.sync_consistency();
        self
    }

    /// Any other query option; replaces an earlier value of the same name.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let value = value.into();
        match self.request.query.iter_mut().find(|(k, _)| *k == name) {
            Some(entry) => entry.1 = value,
            None => self.request.query.push((name, value)),
        }
        self.sync_consistency();
        self
    }

    /// A header for this request only.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        if name == CONSISTENCY_LEVEL {
            self.consistency_added = false;
        }
        self.request.headers.insert(name, value);
        self
    }

    /// Adds or removes the `ConsistencyLevel` header this operation added, as the query options
    /// and [`Operation::eventual_consistency`] require. A header the caller set is left alone.
    fn sync_consistency(&mut self) {
        let needed = self
            .request
            .query
            .iter()
            .any(|(k, v)| (k == "$count" && v == "true") || (k == "$search" && self.directory));
        let wanted = self.consistency.unwrap_or(needed);
        let present = self.request.headers.contains_key(CONSISTENCY_LEVEL);
        if wanted && !present {
            self.request
                .headers
                .insert(CONSISTENCY_LEVEL, HeaderValue::from_static("eventual"));
            self.consistency_added = true;
        } else if !wanted && self.consistency_added {
            self.request.headers.remove(CONSISTENCY_LEVEL);
            self.consistency_added = false;
        }
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
    pub(crate) fn into_checked_parts(self) -> (Client, Result<Request, Error>) {
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

    /// The client, the request and the build error: what the paging streams take over (they
    /// keep the request's headers for later pages even when the first request cannot be sent).
    pub(crate) fn into_parts(self) -> (Client, Request, Option<Error>) {
        (self.client, self.request, self.error)
    }

    /// Keeps `e` as the operation's error, unless it has one already.
    pub(crate) fn with_error(mut self, e: Error) -> Self {
        self.error.get_or_insert(e);
        self
    }

    /// Changes the request in place (resuming from a link, for example).
    pub(crate) fn map_request(mut self, change: impl FnOnce(&mut Request)) -> Self {
        change(&mut self.request);
        self
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

    fn list(counter: &Counter) -> Operation<Json<serde_json::Value>> {
        Operation::new(client(counter), Request::new(http::Method::GET, "/users"))
    }

    fn consistency(op: &Operation<Json<serde_json::Value>>) -> Option<&str> {
        op.request()
            .headers
            .get("consistencylevel")
            .and_then(|v| v.to_str().ok())
    }

    #[test]
    fn count_adds_consistency_level_unless_opted_out() {
        let counter = Counter::default();
        assert_eq!(consistency(&list(&counter)), None);
        assert_eq!(consistency(&list(&counter).count(true)), Some("eventual"));
        assert_eq!(consistency(&list(&counter).count(false)), None);
        // turning $count off again takes the header away, the opt-out wins in either order
        assert_eq!(consistency(&list(&counter).count(true).count(false)), None);
        let out = list(&counter).count(true).eventual_consistency(false);
        assert_eq!(consistency(&out), None);
        assert_eq!(out.request().query_string(), "$count=true");
        let out = list(&counter).eventual_consistency(false).count(true);
        assert_eq!(consistency(&out), None);
        // opting in needs no $count
        assert_eq!(
            consistency(&list(&counter).eventual_consistency(true)),
            Some("eventual")
        );
        // a header the caller set stays the caller's
        let own = list(&counter)
            .header(
                HeaderName::from_static("consistencylevel"),
                HeaderValue::from_static("session"),
            )
            .count(true)
            .count(false);
        assert_eq!(consistency(&own), Some("session"));
    }

    #[test]
    fn search_needs_consistency_level_on_directory_objects_only() {
        let counter = Counter::default();
        assert_eq!(consistency(&list(&counter).search("pizza")), None);
        assert_eq!(
            consistency(&list(&counter).directory_objects().search("displayName:wa")),
            Some("eventual")
        );
        assert_eq!(
            consistency(&list(&counter).search("displayName:wa").directory_objects()),
            Some("eventual")
        );
        assert_eq!(
            consistency(
                &list(&counter)
                    .directory_objects()
                    .search("displayName:wa")
                    .eventual_consistency(false)
            ),
            None
        );
    }

    #[test]
    fn search_values_are_quoted_as_graph_expects() {
        let counter = Counter::default();
        let search = |s: &str| list(&counter).search(s).request().query[0].1.clone();
        assert_eq!(search("displayName:wa"), "\"displayName:wa\"");
        assert_eq!(search("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
        // an expression already quoted is sent as written
        assert_eq!(
            search("\"displayName:a\" OR \"mail:a\""),
            "\"displayName:a\" OR \"mail:a\""
        );
        assert_eq!(
            list(&counter).search("a b&c").request().query_string(),
            "$search=%22a%20b%26c%22"
        );
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
