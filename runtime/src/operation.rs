//! A prepared request bound to a client, with OData query options.

use std::fmt;
use std::marker::PhantomData;

use http::{HeaderName, HeaderValue};

use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::response::Expect;

/// One API call, built by generated code; `E` says what the response becomes.
pub struct Operation<E: Expect> {
    client: Client,
    request: Request,
    expect: PhantomData<fn() -> E>,
}

impl<E: Expect> fmt::Debug for Operation<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("client", &self.client)
            .field("request", &self.request)
            .finish()
    }
}

impl<E: Expect> Operation<E> {
    /// Binds `request` to `client`.
    pub fn new(client: Client, request: Request) -> Self {
        Operation {
            client,
            request,
            expect: PhantomData,
        }
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

    /// The request as it would be sent (relative to the client's service root).
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The request, without sending it.
    pub fn into_request(self) -> Request {
        self.request
    }

    /// Sends the request through the client and converts the response.
    pub async fn send(self) -> Result<E::Output, Error> {
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
