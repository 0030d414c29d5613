//! Large uploads through an upload session (`createUploadSession`), as Graph documents them for
//! drive items and Outlook attachments.
//!
//! The session is created with the token, on Graph; its `uploadUrl` is pre-authenticated, so the
//! byte ranges are `PUT` there **without** an `Authorization` header, whatever its origin. Each
//! range is `Content-Range: bytes {first}-{last}/{total}`, in order, and every range but the last
//! is a multiple of 320 KiB ([`CHUNK_UNIT`]), under 60 MiB.
//!
//! After a failed range (a 429 or 5xx, a transport error, a timeout, or 416 for bytes the
//! session already has), the uploader waits (`Retry-After`, else the policy's backoff), asks the
//! session where it stands (`GET uploadUrl`, `nextExpectedRanges`) and goes on from there,
//! within the client's [`RetryPolicy`] per range. A stream is never read
//! twice: the bytes of the range in flight stay in memory until the session acknowledges them,
//! so a resume sends the same bytes again, not the stream's next ones.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use http::header::{CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Method, StatusCode};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::{mpsc, watch};

use crate::client::{Client, SDK_VERSION};
use crate::error::Error;
use crate::operation::Operation;
use crate::request::{Request, is_absolute};
use crate::response::{Expect, Response};
use crate::retry::{RetryPolicy, retry_after};

/// Every range but the last is a multiple of 320 KiB (327,680 bytes).
pub const CHUNK_UNIT: usize = 320 * 1024;

/// The largest range: Graph takes less than 60 MiB per request, so 191 × 320 KiB.
pub const MAX_CHUNK: usize = 191 * CHUNK_UNIT;

/// The default range: 10 × 320 KiB (3.125 MiB), under the 4 MB Outlook recommends.
pub const DEFAULT_CHUNK: usize = 10 * CHUNK_UNIT;

/// Graph's `uploadSession`, as `createUploadSession` and the upload URL answer it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadSession {
    /// The pre-authenticated URL the ranges go to.
    #[serde(
        rename = "uploadUrl",
        alias = "UploadUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub upload_url: Option<String>,
    /// When the session ends, as Graph wrote it.
    #[serde(
        rename = "expirationDateTime",
        alias = "ExpirationDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_date_time: Option<String>,
    /// The ranges the session still expects (`"26-"`, `"12345-55232"`; Outlook also writes
    /// `"2097152"`).
    #[serde(
        rename = "nextExpectedRanges",
        alias = "NextExpectedRanges",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_expected_ranges: Option<Vec<String>>,
}

impl UploadSession {
    /// The first byte range the session expects: `(start, inclusive end if bounded)`, the one
    /// that starts first. `None` when it lists none; an error when one does not read as a range.
    pub fn next_range(&self) -> Result<Option<(u64, Option<u64>)>, Error> {
        let mut first: Option<(u64, Option<u64>)> = None;
        for range in self.next_expected_ranges.iter().flatten() {
            let parsed = parse_range(range).ok_or_else(|| {
                Error::Protocol(format!(
                    "the upload session expects the range {range:?}, which is not a byte range"
                ))
            })?;
            if first.is_none_or(|f| parsed.0 < f.0) {
                first = Some(parsed);
            }
        }
        Ok(first)
    }
}

/// `N-`, `N-M` or `N`.
fn parse_range(range: &str) -> Option<(u64, Option<u64>)> {
    let range = range.trim();
    let (start, end) = range.split_once('-').unwrap_or((range, ""));
    let start = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => None,
        end => Some(end.parse().ok().filter(|e| *e >= start)?),
    };
    Some((start, end))
}

/// How far an upload got: bytes the session has acknowledged, of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    /// Bytes the session has.
    pub uploaded: u64,
    /// The file's size.
    pub total: u64,
}

/// The end of a large upload.
#[derive(Debug)]
pub enum UploadOutcome {
    /// The last range was accepted.
    Completed(Uploaded),
    /// [`CancelUpload::cancel`] stopped it, and the session was deleted.
    Cancelled,
}

/// The answer to the last range: for a drive item the item itself (`201 Created` or `200 OK`),
/// for an Outlook attachment `201 Created` with the attachment's URL in `Location`.
#[derive(Debug, Clone)]
pub struct Uploaded {
    /// The answer's status.
    pub status: StatusCode,
    /// The `Location` header (Outlook: the new attachment's URL).
    pub location: Option<String>,
    /// The answer's body (a drive item's JSON; empty for Outlook).
    pub body: Vec<u8>,
}

impl Uploaded {
    /// The body read as `T` (a drive item, for example); `None` when the answer has no body.
    pub fn item<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, Error> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        serde_json::from_slice(&self.body)
            .map(Some)
            .map_err(|source| Error::Decode {
                status: self.status,
                source,
                excerpt: crate::error::excerpt(&self.body),
            })
    }
}

/// Stops a running upload: before its next range, or during the one in flight, the upload
/// deletes its session (`DELETE uploadUrl`) and ends with [`UploadOutcome::Cancelled`].
#[derive(Debug, Clone)]
pub struct CancelUpload(Arc<watch::Sender<bool>>);

impl CancelUpload {
    /// Asks the upload to stop.
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }
}

/// Upload progress as a [`futures_core::Stream`] (or with [`UploadProgressStream::next`]): one
/// item per acknowledged range; it ends with the upload.
#[derive(Debug)]
pub struct UploadProgressStream(mpsc::UnboundedReceiver<UploadProgress>);

impl UploadProgressStream {
    /// The next progress report, `None` once the upload ended.
    pub async fn next(&mut self) -> Option<UploadProgress> {
        self.0.recv().await
    }
}

impl futures_core::Stream for UploadProgressStream {
    type Item = UploadProgress;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<UploadProgress>> {
        self.0.poll_recv(cx)
    }
}

enum Start {
    /// The `createUploadSession` request, sent with the token.
    Create(Result<Request, Error>),
    /// The URL of a session created earlier.
    Resume(String),
}

/// The progress callback of [`LargeUpload::on_progress`].
type ProgressFn = Box<dyn FnMut(UploadProgress) + Send>;

/// A large upload through an upload session.
///
/// ```no_run
/// # async fn run(
/// #     create_session: odata_runtime::Operation<odata_runtime::JsonOrEmpty<serde_json::Value>>,
/// #     file: impl tokio::io::AsyncRead + Unpin + Send,
/// #     len: u64,
/// # ) -> Result<(), odata_runtime::Error> {
/// use odata_runtime::upload::{CHUNK_UNIT, LargeUpload, UploadOutcome};
///
/// // `create_session`: a generated `create_upload_session(&params)` operation; `file`: a reader
/// let outcome = LargeUpload::new(create_session)
///     .chunk_size(16 * CHUNK_UNIT)
///     .on_progress(|p| println!("{}/{}", p.uploaded, p.total))
///     .upload_reader(file, len)
///     .await?;
/// if let UploadOutcome::Completed(done) = outcome {
///     println!("{:?}", done.item::<serde_json::Value>()?);
/// }
/// # Ok(()) }
/// ```
pub struct LargeUpload {
    client: Client,
    start: Start,
    chunk_size: usize,
    /// In a `Mutex` (never contended: only `report` takes it, through `&mut`) so that
    /// `LargeUpload` is `Sync` and the upload's future `Send`, for `tokio::spawn`.
    on_progress: Option<std::sync::Mutex<ProgressFn>>,
    progress: Option<mpsc::UnboundedSender<UploadProgress>>,
    cancel: Arc<watch::Sender<bool>>,
}

impl fmt::Debug for LargeUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = match &self.start {
            Start::Create(_) => "createUploadSession",
            Start::Resume(_) => "resume",
        };
        f.debug_struct("LargeUpload")
            .field("start", &start)
            .field("chunk_size", &self.chunk_size)
            .finish_non_exhaustive()
    }
}

impl LargeUpload {
    /// An upload that first sends `create_session`, a `createUploadSession` operation, and then
    /// uploads to the session it answers.
    pub fn new<E: Expect>(create_session: Operation<E>) -> LargeUpload {
        let (client, request) = create_session.into_checked_parts();
        LargeUpload::with_start(client, Start::Create(request))
    }

    /// An upload to a session created earlier (its `uploadUrl`): it asks the session which
    /// bytes it still expects and goes on from there (a stream is read forward to that point).
    pub fn resume(client: Client, upload_url: impl Into<String>) -> LargeUpload {
        LargeUpload::with_start(client, Start::Resume(upload_url.into()))
    }

    fn with_start(client: Client, start: Start) -> LargeUpload {
        LargeUpload {
            client,
            start,
            chunk_size: DEFAULT_CHUNK,
            on_progress: None,
            progress: None,
            cancel: Arc::new(watch::channel(false).0),
        }
    }

    /// The size of each range: a multiple of [`CHUNK_UNIT`], at most [`MAX_CHUNK`] (default
    /// [`DEFAULT_CHUNK`]). Another size makes the upload fail before anything is sent.
    pub fn chunk_size(mut self, bytes: usize) -> LargeUpload {
        self.chunk_size = bytes;
        self
    }

    /// Calls `f` after each acknowledged range.
    pub fn on_progress(mut self, f: impl FnMut(UploadProgress) + Send + 'static) -> LargeUpload {
        self.on_progress = Some(std::sync::Mutex::new(Box::new(f)));
        self
    }

    /// Progress as a stream, one item per acknowledged range.
    pub fn progress_stream(&mut self) -> UploadProgressStream {
        let (tx, rx) = mpsc::unbounded_channel();
        self.progress = Some(tx);
        UploadProgressStream(rx)
    }

    /// A handle that cancels this upload from elsewhere.
    pub fn cancel_handle(&self) -> CancelUpload {
        CancelUpload(self.cancel.clone())
    }

    /// Uploads `data`.
    pub async fn upload_bytes(self, data: &[u8]) -> Result<UploadOutcome, Error> {
        let total = data.len() as u64;
        self.run(Source::<tokio::io::Empty>::Bytes(data), total)
            .await
    }

    /// Uploads `length` bytes read from `reader`, which is read once, forward: the range in
    /// flight stays in memory until the session has it. A reader that ends early, or holds more
    /// than `length`, fails the upload.
    pub async fn upload_reader<R: AsyncRead + Unpin + Send>(
        self,
        reader: R,
        length: u64,
    ) -> Result<UploadOutcome, Error> {
        let source = Source::Reader(Buffered {
            reader,
            buf: Vec::new(),
            buf_start: 0,
        });
        self.run(source, length).await
    }

    async fn run<R: AsyncRead + Unpin + Send>(
        mut self,
        mut source: Source<'_, R>,
        total: u64,
    ) -> Result<UploadOutcome, Error> {
        if self.chunk_size == 0
            || !self.chunk_size.is_multiple_of(CHUNK_UNIT)
            || self.chunk_size > MAX_CHUNK
        {
            return Err(Error::Config(format!(
                "an upload range is a multiple of {CHUNK_UNIT} bytes (320 KiB) up to {MAX_CHUNK}, not {}",
                self.chunk_size
            )));
        }
        if total == 0 {
            return Err(Error::Config(
                "an upload session takes at least one byte; send an empty file in one request"
                    .into(),
            ));
        }
        let mut cancelled = self.cancel.subscribe();
        let start = std::mem::replace(&mut self.start, Start::Resume(String::new()));
        let (url, mut next) = match start {
            Start::Create(request) => {
                let response =
                    match or_cancelled(&mut cancelled, self.client.execute(request?)).await {
                        Some(response) => response?,
                        None => return Ok(UploadOutcome::Cancelled),
                    };
                let session: UploadSession = response.json()?;
                let url = session
                    .upload_url
                    .clone()
                    .ok_or_else(|| Error::Protocol("the upload session has no uploadUrl".into()))?;
                (url, session.next_range()?.unwrap_or((0, None)))
            }
            Start::Resume(url) => {
                let session = self.status(&url).await?;
                let next = session.next_range()?.ok_or_else(|| {
                    Error::Protocol("the upload session expects no more bytes".into())
                })?;
                (url, next)
            }
        };
        if !is_absolute(&url) {
            return Err(Error::Protocol(format!(
                "the uploadUrl is not an http(s) URL: {url}"
            )));
        }
        let policy = self.client.retry_policy().clone();
        let mut failures = 0u32;
        let mut range_started = Instant::now();
        loop {
            let (offset, bound) = next;
            if offset >= total {
                return Err(Error::Protocol(format!(
                    "the upload session expects bytes from {offset}, past the end of the {total} bytes"
                )));
            }
            let mut end = total.min(offset + self.chunk_size as u64);
            if let Some(last) = bound {
                end = end.min(last + 1);
            }
            if *cancelled.borrow() {
                return self.cancel_session(&url).await;
            }
            let chunk = source.range(offset, end, total).await?;
            let put = self.put(&url, offset, end, total, chunk);
            let attempt = match or_cancelled(&mut cancelled, put).await {
                Some(attempt) => attempt,
                None => return self.cancel_session(&url).await,
            };
            let failure = match attempt {
                Ok(response) if response.status.is_success() => {
                    let session = serde_json::from_slice::<UploadSession>(&response.body)
                        .ok()
                        .and_then(|s| s.next_range().ok().flatten());
                    match session {
                        Some(range) => {
                            failures = 0;
                            range_started = Instant::now();
                            self.report(range.0, total);
                            next = range;
                            continue;
                        }
                        None if end == total => {
                            self.report(total, total);
                            return Ok(UploadOutcome::Completed(Uploaded {
                                location: response.header("location").map(str::to_owned),
                                status: response.status,
                                body: response.body,
                            }));
                        }
                        None => {
                            return Err(Error::Protocol(format!(
                                "the upload session accepted bytes {offset}-{} of {total} without saying which it expects next",
                                end - 1
                            )));
                        }
                    }
                }
                Ok(response) => {
                    let resumable = RetryPolicy::is_retryable(response.status)
                        || response.status.is_server_error()
                        || response.status == StatusCode::RANGE_NOT_SATISFIABLE;
                    let error = Error::from_response(&response);
                    if !resumable {
                        return Err(error);
                    }
                    (error, retry_after(&response.headers))
                }
                Err(e @ (Error::Transport(_) | Error::Timeout(_))) => (e, None),
                Err(e) => return Err(e),
            };
            let (error, wait) = failure;
            failures += 1;
            if failures >= policy.max_attempts.max(1) {
                return Err(error);
            }
            let delay = wait.unwrap_or_else(|| policy.backoff(failures));
            if range_started.elapsed().saturating_add(delay) > policy.max_elapsed {
                return Err(error);
            }
            tracing::info!(
                offset,
                failures,
                delay_ms = delay.as_millis(),
                error = %error,
                "upload range failed; asking the session where to resume"
            );
            if or_cancelled(&mut cancelled, tokio::time::sleep(delay))
                .await
                .is_none()
            {
                return self.cancel_session(&url).await;
            }
            let status = match self.status(&url).await {
                Ok(status) => status,
                Err(e) => {
                    tracing::info!(error = %e, "the upload session's status could not be read");
                    continue;
                }
            };
            next = status.next_range()?.ok_or_else(|| {
                Error::Protocol(
                    "the upload session expects no more bytes, but did not confirm the upload"
                        .into(),
                )
            })?;
        }
    }

    fn report(&mut self, uploaded: u64, total: u64) {
        let progress = UploadProgress { uploaded, total };
        if let Some(f) = &mut self.on_progress {
            let f = f
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            f(progress);
        }
        if let Some(tx) = &self.progress {
            let _ = tx.send(progress);
        }
    }

    /// A request to the upload URL, which carries its own authorization: no token.
    fn upload_request(
        url: &str,
        method: Method,
        body: Vec<u8>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let uri: http::Uri = url
            .parse()
            .map_err(|e| Error::Protocol(format!("the uploadUrl is not a valid URL: {e}")))?;
        let mut request = http::Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        request
            .headers_mut()
            .insert(USER_AGENT, HeaderValue::from_static(SDK_VERSION));
        Ok(request)
    }

    async fn put(
        &self,
        url: &str,
        offset: u64,
        end: u64,
        total: u64,
        chunk: Vec<u8>,
    ) -> Result<Response, Error> {
        let mut request = Self::upload_request(url, Method::PUT, chunk)?;
        let headers = request.headers_mut();
        headers.insert(CONTENT_LENGTH, HeaderValue::from(end - offset));
        let range = format!("bytes {offset}-{}/{total}", end - 1);
        headers.insert(
            CONTENT_RANGE,
            HeaderValue::from_str(&range).map_err(|e| Error::Config(e.to_string()))?,
        );
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        );
        self.client.send_unauthenticated(request).await
    }

    /// `GET uploadUrl`: which bytes the session still expects.
    async fn status(&self, url: &str) -> Result<UploadSession, Error> {
        let request = Self::upload_request(url, Method::GET, Vec::new())?;
        let response = self.client.send_unauthenticated(request).await?;
        response.error_for_status()?;
        response.json()
    }

    /// `DELETE uploadUrl`; a session already gone (404) counts as deleted.
    async fn cancel_session(&self, url: &str) -> Result<UploadOutcome, Error> {
        let request = Self::upload_request(url, Method::DELETE, Vec::new())?;
        let response = self.client.send_unauthenticated(request).await?;
        if response.status.is_success() || response.status == StatusCode::NOT_FOUND {
            Ok(UploadOutcome::Cancelled)
        } else {
            Err(Error::from_response(&response))
        }
    }
}

/// Runs `future` unless the upload is cancelled first (`None`).
async fn or_cancelled<F: Future>(
    cancelled: &mut watch::Receiver<bool>,
    future: F,
) -> Option<F::Output> {
    if *cancelled.borrow() {
        return None;
    }
    let wait = cancelled.wait_for(|c| *c);
    tokio::pin!(future, wait);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        match wait.as_mut().poll(cx) {
            // a dropped sender means nobody can cancel any more: go on
            Poll::Ready(Ok(_)) => Poll::Ready(None),
            Poll::Ready(Err(_)) | Poll::Pending => Poll::Pending,
        }
    })
    .await
}

/// Where the bytes come from.
enum Source<'a, R> {
    Bytes(&'a [u8]),
    Reader(Buffered<R>),
}

/// A reader with the bytes the session has not acknowledged yet.
struct Buffered<R> {
    reader: R,
    /// Bytes from `buf_start`, read and not yet acknowledged.
    buf: Vec<u8>,
    buf_start: u64,
}

impl<R: AsyncRead + Unpin + Send> Source<'_, R> {
    /// The bytes `offset..end` of the file. Bytes before `offset` are acknowledged: a reader
    /// drops them, and fails if asked for them again.
    async fn range(&mut self, offset: u64, end: u64, total: u64) -> Result<Vec<u8>, Error> {
        match self {
            Source::Bytes(data) => {
                let (start, stop) = (usize::try_from(offset), usize::try_from(end));
                match (start, stop) {
                    (Ok(start), Ok(stop)) if stop <= data.len() => Ok(data[start..stop].to_vec()),
                    _ => Err(Error::Protocol(format!(
                        "bytes {offset}-{end} lie outside the {} bytes",
                        data.len()
                    ))),
                }
            }
            Source::Reader(b) => b.range(offset, end, total).await,
        }
    }
}

impl<R: AsyncRead + Unpin + Send> Buffered<R> {
    async fn range(&mut self, offset: u64, end: u64, total: u64) -> Result<Vec<u8>, Error> {
        if offset < self.buf_start {
            return Err(Error::Protocol(format!(
                "the upload session asks again for bytes from {offset}, which it had acknowledged up to {}; a stream cannot be read twice",
                self.buf_start
            )));
        }
        let buffered_end = self.buf_start + self.buf.len() as u64;
        if offset > buffered_end {
            // a resumed session has these already: read past them
            let skip = offset - buffered_end;
            let skipped =
                tokio::io::copy(&mut (&mut self.reader).take(skip), &mut tokio::io::sink())
                    .await
                    .map_err(Error::Read)?;
            if skipped < skip {
                return Err(ended_early(buffered_end + skipped, total));
            }
            self.buf.clear();
        } else {
            let acknowledged = usize::try_from(offset - self.buf_start).unwrap_or(usize::MAX);
            self.buf.drain(..acknowledged.min(self.buf.len()));
        }
        self.buf_start = offset;
        let have = self.buf.len() as u64;
        let want = end - offset;
        if have < want {
            let read = (&mut self.reader)
                .take(want - have)
                .read_to_end(&mut self.buf)
                .await
                .map_err(Error::Read)?;
            if (read as u64) < want - have {
                return Err(ended_early(offset + have + read as u64, total));
            }
        }
        if end == total {
            let mut extra = [0u8; 1];
            if self.reader.read(&mut extra).await.map_err(Error::Read)? > 0 {
                return Err(Error::Config(format!(
                    "the stream holds more than the {total} bytes declared"
                )));
            }
        }
        let len = usize::try_from(want)
            .unwrap_or(usize::MAX)
            .min(self.buf.len());
        Ok(self.buf[..len].to_vec())
    }
}

fn ended_early(at: u64, total: u64) -> Error {
    Error::Read(std::io::Error::new(
        std::io::ErrorKind::UnexpectedEof,
        format!("the stream ended after {at} of the {total} bytes declared"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_graph_and_outlook_write_them() {
        assert_eq!(parse_range("26-"), Some((26, None)));
        assert_eq!(parse_range("12345-55232"), Some((12345, Some(55232))));
        assert_eq!(parse_range("2097152"), Some((2097152, None)));
        assert_eq!(parse_range(" 0- "), Some((0, None)));
        assert_eq!(parse_range("9-3"), None);
        assert_eq!(parse_range("-5"), None);
        assert_eq!(parse_range("a-"), None);
        let session = UploadSession {
            next_expected_ranges: Some(vec!["77829-99375".into(), "12345-55232".into()]),
            ..UploadSession::default()
        };
        assert_eq!(session.next_range().unwrap(), Some((12345, Some(55232))));
        let bad = UploadSession {
            next_expected_ranges: Some(vec!["soon".into()]),
            ..UploadSession::default()
        };
        assert!(matches!(bad.next_range(), Err(Error::Protocol(_))));
        assert_eq!(UploadSession::default().next_range().unwrap(), None);
        let outlook: UploadSession = serde_json::from_str(
            r#"{"ExpirationDateTime":"2019-09-25T01:09:30.7671707Z","NextExpectedRanges":["2097152"]}"#,
        )
        .unwrap();
        assert_eq!(outlook.next_range().unwrap(), Some((2097152, None)));
    }

    #[tokio::test]
    async fn a_reader_keeps_the_unacknowledged_range_and_never_reads_back() {
        let data: Vec<u8> = (0..100u8).collect();
        let mut source = Source::Reader(Buffered {
            reader: &data[..],
            buf: Vec::new(),
            buf_start: 0,
        });
        assert_eq!(source.range(0, 40, 100).await.unwrap(), data[0..40]);
        // the same range again (a failed PUT): the same bytes, from memory
        assert_eq!(source.range(0, 40, 100).await.unwrap(), data[0..40]);
        // the session kept part of it: the rest, then more from the stream
        assert_eq!(source.range(25, 65, 100).await.unwrap(), data[25..65]);
        // acknowledged bytes are gone for good
        let e = source.range(10, 50, 100).await.unwrap_err();
        assert!(matches!(e, Error::Protocol(_)), "{e}");
        // skipping forward (a resumed session) reads past bytes the session has
        assert_eq!(source.range(80, 100, 100).await.unwrap(), data[80..100]);
    }

    #[tokio::test]
    async fn a_reader_must_hold_exactly_the_declared_length() {
        let data = [7u8; 10];
        let mut short = Source::Reader(Buffered {
            reader: &data[..],
            buf: Vec::new(),
            buf_start: 0,
        });
        let e = short.range(0, 12, 12).await.unwrap_err();
        assert!(matches!(e, Error::Read(_)), "{e}");
        let mut long = Source::Reader(Buffered {
            reader: &data[..],
            buf: Vec::new(),
            buf_start: 0,
        });
        let e = long.range(0, 8, 8).await.unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{e}");
    }
}
