//! Following `@odata.nextLink`: a collection read as a [`Stream`] of pages or of items.
//!
//! Graph answers a collection one page at a time; each page but the last carries an absolute
//! `@odata.nextLink` holding every query option of the first request. The first request's own
//! headers (`ConsistencyLevel`, `Prefer: odata.maxpagesize=...`) are not in the link: Graph says
//! to send them again, so every later page carries them. The bearer token goes with a page only
//! when its link points at the Graph origin ([`Client`] decides per URL).
//!
//! Memory stays flat: one page is held at a time, and [`Items`] hands its items out one by one.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use http::{HeaderMap, Method, Uri};
use serde::de::DeserializeOwned;

use crate::auth::BoxFuture;
use crate::client::{Client, resolve};
use crate::error::Error;
use crate::operation::Operation;
use crate::request::{Request, is_absolute};
use crate::response::{Expect, Json, Page};

/// A response that is one page of a collection: its items and the links to what follows.
pub trait Paged: DeserializeOwned + Send + 'static {
    /// One item of the collection.
    type Item: Send + 'static;
    /// `@odata.nextLink`: where the next page is, if there is one.
    fn next_link(&self) -> Option<&str>;
    /// `@odata.deltaLink`: where the next round of changes will be (delta queries only).
    fn delta_link(&self) -> Option<&str> {
        None
    }
    /// The page's items, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

impl<T: DeserializeOwned + Send + 'static> Paged for Page<T> {
    type Item = T;
    fn next_link(&self) -> Option<&str> {
        self.next_link.as_deref()
    }
    fn delta_link(&self) -> Option<&str> {
        self.additional_properties
            .get("@odata.deltaLink")
            .and_then(serde_json::Value::as_str)
    }
    fn into_items(self) -> Vec<T> {
        self.value
    }
}

impl<P: Paged> Operation<Json<P>> {
    /// The pages of the collection, following `@odata.nextLink` until the last page.
    ///
    /// Every page is requested with this operation's headers (`ConsistencyLevel`, `Prefer`).
    /// An error ends the stream after the pages before it; [`Pages::next_link`] then still
    /// holds the link of the page that failed, to try again later.
    pub fn pages(self) -> Pages<P> {
        let (client, request, error) = self.into_parts();
        Pages {
            client,
            headers: request.headers.clone(),
            next: Next::First(request),
            error,
            stopped: false,
            in_flight: None,
            max_pages: None,
            fetched: 0,
            delta_link: None,
        }
    }

    /// The items of every page, one by one, following `@odata.nextLink`. An error on page N
    /// comes after the items of pages 1 to N-1, and ends the stream.
    pub fn items(self) -> Items<P> {
        Items {
            pages: self.pages(),
            current: VecDeque::new(),
            max_items: None,
            yielded: 0,
        }
    }

    /// Continues a collection from a stored `@odata.nextLink` (or, for a delta query, a stored
    /// `@odata.deltaLink`): the link replaces this operation's path and query options, and its
    /// headers are kept. Build the operation as the first request was built (the same
    /// `ConsistencyLevel` or `Prefer`), then resume:
    ///
    /// ```no_run
    /// # async fn run(op: odata_runtime::Operation<odata_runtime::Json<odata_runtime::Page<serde_json::Value>>>, stored: String) {
    /// let mut pages = op.resume_from(stored).pages();
    /// # }
    /// ```
    pub fn resume_from(self, link: impl Into<String>) -> Self {
        self.map_request(|request| {
            request.path = link.into();
            request.query.clear();
        })
    }
}

/// What the stream requests next.
#[derive(Debug)]
enum Next {
    /// The operation's own request.
    First(Request),
    /// A link from the previous page (absolute).
    Link(String),
    /// The last page was read.
    Done,
}

/// The pages of a collection, as a [`Stream`]; from [`Operation::pages`].
pub struct Pages<P: Paged> {
    client: Client,
    /// The first request's headers, sent with every page.
    headers: HeaderMap,
    /// Kept until the page it names has arrived.
    next: Next,
    /// The operation's build error, handed out as the first item.
    error: Option<Error>,
    /// After an error: the stream has ended.
    stopped: bool,
    in_flight: Option<BoxFuture<'static, Result<P, Error>>>,
    max_pages: Option<usize>,
    fetched: usize,
    delta_link: Option<String>,
}

impl<P: Paged> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .field("error", &self.error)
            .field("stopped", &self.stopped)
            .field("in_flight", &self.in_flight.is_some())
            .field("max_pages", &self.max_pages)
            .field("fetched", &self.fetched)
            .field("delta_link", &self.delta_link)
            .finish_non_exhaustive()
    }
}

impl<P: Paged> Pages<P> {
    /// Stops after `n` pages (counted from this stream's first page); the link of the page
    /// after them stays in [`Pages::next_link`].
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = Some(n);
        self
    }

    /// The link of the page this stream would request next: store it to resume later with
    /// [`Operation::resume_from`]. `None` before the first page has arrived (the operation
    /// itself is the way to start) and after the last one. After an error, the link of the page
    /// that failed.
    pub fn next_link(&self) -> Option<&str> {
        match &self.next {
            Next::Link(link) => Some(link),
            _ => None,
        }
    }

    /// `@odata.deltaLink` of the last page, once it has arrived (delta queries): store it for
    /// the next round of changes.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }

    /// Pages received so far.
    pub fn pages_fetched(&self) -> usize {
        self.fetched
    }

    fn start(&mut self) -> Option<BoxFuture<'static, Result<P, Error>>> {
        if self.max_pages.is_some_and(|max| self.fetched >= max) {
            return None;
        }
        let request = match &self.next {
            Next::First(request) => request.clone(),
            Next::Link(link) => {
                let mut request = Request::new(Method::GET, link.clone());
                request.headers = self.headers.clone();
                request
            }
            Next::Done => return None,
        };
        let client = self.client.clone();
        Some(Box::pin(async move {
            let response = client.execute(request).await?;
            Json::<P>::from_response(&response)
        }))
    }

    fn received(&mut self, page: &P) {
        self.fetched += 1;
        if let Some(delta) = page.delta_link() {
            self.delta_link = Some(delta.to_owned());
        }
        let base = match &self.next {
            Next::First(request) => request.url(self.client.service_root()),
            Next::Link(link) => link.clone(),
            Next::Done => String::new(),
        };
        self.next = match page.next_link().map(|link| (link, absolute(&base, link))) {
            Some((_, Some(link))) => Next::Link(link),
            Some((link, None)) => {
                // this page is handed out; the error comes next and ends the stream
                self.error = Some(Error::Protocol(format!(
                    "@odata.nextLink is not an http(s) URL: {}",
                    crate::error::excerpt(link.as_bytes())
                )));
                Next::Done
            }
            None => Next::Done,
        };
    }
}

/// A next link as a URL to request: absolute as Graph sends it, or resolved against the page
/// that gave it.
fn absolute(base: &str, link: &str) -> Option<String> {
    if is_absolute(link) {
        return Some(link.to_owned());
    }
    let base: Uri = base.parse().ok()?;
    resolve(&base, link)
}

impl<P: Paged> Stream for Pages<P> {
    type Item = Result<P, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(e) = this.error.take() {
            this.stopped = true;
            return Poll::Ready(Some(Err(e)));
        }
        if this.stopped {
            return Poll::Ready(None);
        }
        if this.in_flight.is_none() {
            this.in_flight = this.start();
        }
        let Some(in_flight) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = std::task::ready!(in_flight.as_mut().poll(cx));
        this.in_flight = None;
        match result {
            Ok(page) => {
                this.received(&page);
                Poll::Ready(Some(Ok(page)))
            }
            Err(e) => {
                // the link of the failed page stays readable for a later resume
                this.stopped = true;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

/// The items of a collection across its pages, as a [`Stream`]; from [`Operation::items`].
pub struct Items<P: Paged> {
    pages: Pages<P>,
    current: VecDeque<P::Item>,
    max_items: Option<usize>,
    yielded: usize,
}

impl<P: Paged> fmt::Debug for Items<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .field("max_items", &self.max_items)
            .field("yielded", &self.yielded)
            .finish()
    }
}

impl<P: Paged> Items<P> {
    /// Stops after `n` items; no page is requested once they have been handed out.
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }

    /// Stops after the items of `n` pages.
    pub fn max_pages(mut self, n: usize) -> Self {
        self.pages = self.pages.max_pages(n);
        self
    }

    /// The link of the page after the items received so far (see [`Pages::next_link`]).
    /// Resuming from it skips the [`Items::buffered`] items of the current page.
    pub fn next_link(&self) -> Option<&str> {
        self.pages.next_link()
    }

    /// Items of the current page not handed out yet.
    pub fn buffered(&self) -> impl ExactSizeIterator<Item = &P::Item> {
        self.current.iter()
    }

    /// Stops: the items of the current page not handed out yet, and the link to resume from
    /// after them.
    pub fn into_remaining(self) -> (Vec<P::Item>, Option<String>) {
        let link = self.pages.next_link().map(str::to_owned);
        (self.current.into(), link)
    }

    /// `@odata.deltaLink` of the last page, once it has arrived (delta queries).
    pub fn delta_link(&self) -> Option<&str> {
        self.pages.delta_link()
    }

    /// Pages received so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages.pages_fetched()
    }
}

// Items are moved out of the buffer, never pinned in it.
impl<P: Paged> Unpin for Items<P> {}

impl<P: Paged> Stream for Items<P> {
    type Item = Result<P::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.max_items.is_some_and(|max| this.yielded >= max) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.current.pop_front() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.current = page.into_items().into(),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}
