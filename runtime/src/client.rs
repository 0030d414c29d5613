//! The client: headers, authentication, redirects, retries and timeouts around a [`Transport`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use tracing::Instrument;

use crate::auth::{StaticToken, TokenProvider};
use crate::cloud::{ApiVersion, Cloud, validate_root};
use crate::content::StreamingResponse;
use crate::error::Error;
use crate::request::{Request, is_absolute};
use crate::response::Response;
use crate::retry::{RetryPolicy, retry_after};
use crate::transport::Transport;

/// `odata-runtime/<version>`, sent as `User-Agent` and `SdkVersion`.
pub const SDK_VERSION: &str = concat!("odata-runtime/", env!("CARGO_PKG_VERSION"));

const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const SDK_VERSION_HEADER: HeaderName = HeaderName::from_static("sdkversion");
const PREFER: HeaderName = HeaderName::from_static("prefer");
const INCLUDE_UNKNOWN_ENUM_MEMBERS: &str = "include-unknown-enum-members";

/// A Microsoft Graph client. Cheap to clone (shared state behind an `Arc`).
///
/// The API version is kept outside the shared state, so [`Client::with_api_version`] is a cheap
/// copy. Generated crates call it: their service client and request builders send to the
/// version the crate was generated for, whatever version the client was built with.
///
/// Every request gets `Accept: application/json`, a `client-request-id` GUID
/// (reused on retries and redirects of the same logical request, so the
/// service's logs correlate them), `User-Agent` and `SdkVersion`.
///
/// The bearer token is sent only to the configured Graph origin (scheme, host
/// and port). Redirects (301, 302, 303, 307, 308) are followed by the client,
/// up to a limit; a redirect to another origin is followed **without** the
/// `Authorization` header.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    version: ApiVersion,
}

struct Inner {
    cloud: Cloud,
    /// The service root of each version: `{graph_root}/beta` and `{graph_root}/v1.0`.
    beta_root: String,
    v1_root: String,
    graph_origin: Option<Origin>,
    scope: String,
    token: Option<Arc<dyn TokenProvider>>,
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    default_headers: HeaderMap,
    include_unknown_enum_members: bool,
    max_redirects: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("service_root", &self.service_root())
            .field("token", &i.token.as_ref().map(|_| "[redacted]"))
            .field("transport", &i.transport)
            .field("retry", &i.retry)
            .field("timeout", &i.timeout)
            .field(
                "default_headers",
                &i.default_headers.keys().collect::<Vec<_>>(),
            )
            .field(
                "include_unknown_enum_members",
                &i.include_unknown_enum_members,
            )
            .field("max_redirects", &i.max_redirects)
            .finish()
    }
}

impl Client {
    /// A builder with the global cloud, `v1.0`, the default retry policy and a 100 s timeout.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The versioned service root, e.g. `https://graph.microsoft.com/v1.0`.
    pub fn service_root(&self) -> &str {
        match self.version {
            ApiVersion::Beta => &self.inner.beta_root,
            ApiVersion::V1_0 => &self.inner.v1_root,
        }
    }

    /// The same client (cloud, credentials, transport, retries: all shared) sending to
    /// `version`. A cheap copy: nothing is rebuilt.
    ///
    /// Generated crates call this to pin the version they were generated for, so a crate
    /// generated for `beta` sends only to `/beta` even when given a `v1.0` client.
    pub fn with_api_version(mut self, version: ApiVersion) -> Client {
        self.version = version;
        self
    }

    /// The cloud this client talks to.
    pub fn cloud(&self) -> &Cloud {
        &self.inner.cloud
    }

    /// The API version of [`Client::service_root`].
    pub fn api_version(&self) -> ApiVersion {
        self.version
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// One attempt of `request`, exactly as given, through the transport with the per-attempt
    /// timeout: no token, no default headers, no redirects, no retries. For URLs that carry
    /// their own authorization (an upload session's pre-authenticated `uploadUrl`), where a
    /// bearer token must not go whatever the origin.
    pub(crate) async fn send_unauthenticated(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<Response, Error> {
        let send = self.inner.transport.send(request);
        match self.inner.timeout {
            Some(limit) => Ok(tokio::time::timeout(limit, send)
                .await
                .map_err(|_| Error::Timeout(limit))??),
            None => Ok(send.await?),
        }
    }

    /// Sends `request` with headers, authentication, redirects, retries and
    /// the per-request timeout. Returns the response for a 2xx status;
    /// any other final status is an [`Error::Http`].
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        self.execute_with(request, |response| async move {
            let response = response.collect().await?;
            Ok(if response.status.is_success() {
                Ok(response)
            } else {
                Err(response)
            })
        })
        .await
    }

    /// [`Client::execute`], returning as soon as a 2xx response's headers have arrived: its body
    /// is read as a stream, outside the per-attempt timeout (downloads). An error response is
    /// read whole, for retries and the error.
    pub async fn execute_streaming(&self, request: Request) -> Result<StreamingResponse, Error> {
        self.execute_with(request, |response| async move {
            if response.status.is_success() {
                Ok(Ok(response))
            } else {
                Ok(Err(response.collect().await?))
            }
        })
        .await
    }

    /// The logical request: retries around attempts. `finish` turns an attempt's response into
    /// the output (`Ok`) or a complete error response (`Err`) for the retry decision.
    async fn execute_with<R, F, Fut>(&self, request: Request, finish: F) -> Result<R, Error>
    where
        F: Fn(StreamingResponse) -> Fut,
        Fut: Future<Output = Result<Result<R, Response>, Error>>,
    {
        let client_request_id = match request.headers.get(&CLIENT_REQUEST_ID) {
            Some(v) => v.clone(),
            None => HeaderValue::try_from(uuid::Uuid::new_v4().to_string())
                .map_err(|e| Error::Config(e.to_string()))?,
        };
        let span = tracing::debug_span!(
            "graph_request",
            method = %request.method,
            path = %strip_query(&request.path),
            client_request_id = client_request_id.to_str().unwrap_or_default(),
        );
        self.execute_logical(request, client_request_id, finish)
            .instrument(span)
            .await
    }

    async fn execute_logical<R, F, Fut>(
        &self,
        request: Request,
        client_request_id: HeaderValue,
        finish: F,
    ) -> Result<R, Error>
    where
        F: Fn(StreamingResponse) -> Fut,
        Fut: Future<Output = Result<Result<R, Response>, Error>>,
    {
        let policy = &self.inner.retry;
        let start = Instant::now();
        let url = request.url(self.service_root());
        let mut attempt: u32 = 1;
        loop {
            let one = async {
                let response = self.attempt(&request, &url, &client_request_id).await?;
                finish(response).await
            };
            let outcome = match self.inner.timeout {
                Some(limit) => tokio::time::timeout(limit, one)
                    .await
                    .map_err(|_| Error::Timeout(limit))??,
                None => one.await?,
            };
            let response = match outcome {
                Ok(output) => {
                    tracing::debug!(attempt, "response");
                    return Ok(output);
                }
                Err(response) => response,
            };
            let status = response.status;
            if !RetryPolicy::is_retryable(status) || attempt >= policy.max_attempts.max(1) {
                tracing::debug!(status = status.as_u16(), attempt, "error response");
                return Err(Error::from_response(&response));
            }
            let delay = retry_after(&response.headers).unwrap_or_else(|| policy.backoff(attempt));
            if start.elapsed().saturating_add(delay) > policy.max_elapsed {
                tracing::warn!(
                    status = status.as_u16(),
                    attempt,
                    delay_ms = delay.as_millis(),
                    "not retrying: the wait would exceed the retry time budget"
                );
                return Err(Error::from_response(&response));
            }
            tracing::info!(
                status = status.as_u16(),
                attempt,
                delay_ms = delay.as_millis(),
                "retrying"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt: send, following redirects.
    async fn attempt(
        &self,
        request: &Request,
        url: &str,
        client_request_id: &HeaderValue,
    ) -> Result<StreamingResponse, Error> {
        let mut method = request.method.clone();
        let mut body = request.body.clone();
        let mut url = url.to_owned();
        let mut hops = 0usize;
        loop {
            let uri: Uri = url
                .parse()
                .map_err(|e| Error::Config(format!("invalid request URL: {e}")))?;
            let same_origin =
                self.inner.graph_origin.is_some() && Origin::of(&uri) == self.inner.graph_origin;
            let headers = self
                .headers_for(request, body.is_some(), client_request_id, same_origin)
                .await?;
            let mut http_request = http::Request::new(body.clone().unwrap_or_default());
            *http_request.method_mut() = method.clone();
            *http_request.uri_mut() = uri.clone();
            *http_request.headers_mut() = headers;
            let response = self.inner.transport.send_streaming(http_request).await?;

            let status = response.status;
            if !is_followed_redirect(status) {
                return Ok(response);
            }
            let Some(location) = response.headers.get(LOCATION) else {
                return Ok(response);
            };
            if hops >= self.inner.max_redirects {
                return Err(Error::Redirect(format!(
                    "more than {} redirects",
                    self.inner.max_redirects
                )));
            }
            hops += 1;
            let location = location
                .to_str()
                .map_err(|_| Error::Redirect("Location is not valid text".into()))?;
            url = resolve(&uri, location)
                .ok_or_else(|| Error::Redirect("Location is not an http(s) URL".into()))?;
            if status == StatusCode::SEE_OTHER
                || (method == Method::POST
                    && matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND))
            {
                method = Method::GET;
                body = None;
            }
            tracing::debug!(
                status = status.as_u16(),
                hop = hops,
                host = url
                    .parse::<Uri>()
                    .ok()
                    .and_then(|u| u.host().map(str::to_owned)),
                "following redirect"
            );
        }
    }

    async fn headers_for(
        &self,
        request: &Request,
        has_body: bool,
        client_request_id: &HeaderValue,
        same_origin: bool,
    ) -> Result<HeaderMap, Error> {
        let mut headers = self.inner.default_headers.clone();
        headers.extend(request.headers.clone());
        let caller_auth = headers.remove(AUTHORIZATION);
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        if !has_body {
            headers.remove(CONTENT_TYPE);
        } else if !headers.contains_key(CONTENT_TYPE) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        headers.insert(CLIENT_REQUEST_ID, client_request_id.clone());
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, HeaderValue::from_static(SDK_VERSION));
        }
        headers.insert(SDK_VERSION_HEADER, HeaderValue::from_static(SDK_VERSION));
        if self.inner.include_unknown_enum_members {
            add_preference(&mut headers, INCLUDE_UNKNOWN_ENUM_MEMBERS);
        }
        if same_origin {
            if let Some(provider) = &self.inner.token {
                let token = provider.token(&self.inner.scope).await?;
                let mut value = HeaderValue::try_from(format!("Bearer {}", token.secret()))
                    .map_err(|_| Error::Auth("the token is not a valid header value".into()))?;
                value.set_sensitive(true);
                headers.insert(AUTHORIZATION, value);
            } else if let Some(value) = caller_auth {
                headers.insert(AUTHORIZATION, value);
            }
        }
        Ok(headers)
    }
}

fn add_preference(headers: &mut HeaderMap, preference: &'static str) {
    let existing: Vec<&str> = headers
        .get_all(PREFER)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let present = existing
        .iter()
        .flat_map(|v| v.split(','))
        .any(|p| p.trim().eq_ignore_ascii_case(preference));
    if !present {
        headers.append(PREFER, HeaderValue::from_static(preference));
    }
}

fn is_followed_redirect(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

fn strip_query(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

/// Resolves a `Location` against the URL that produced it (no dot-segment removal).
pub(crate) fn resolve(base: &Uri, location: &str) -> Option<String> {
    let scheme = base.scheme_str()?;
    let authority = base.authority()?.as_str();
    let resolved = if is_absolute(location) {
        location.to_owned()
    } else if has_scheme(location) {
        return None;
    } else if let Some(rest) = location.strip_prefix("//") {
        format!("{scheme}://{rest}")
    } else if location.starts_with('/') {
        format!("{scheme}://{authority}{location}")
    } else {
        let path = base.path();
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        format!("{scheme}://{authority}{dir}{location}")
    };
    let uri: Uri = resolved.parse().ok()?;
    matches!(uri.scheme_str(), Some("http" | "https")).then_some(resolved)
}

fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Scheme, host and port: the unit the token is scoped to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    fn of(uri: &Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let port = uri.port_u16().or(match scheme.as_str() {
            "https" => Some(443),
            "http" => Some(80),
            _ => None,
        })?;
        Some(Origin {
            host: uri.host()?.to_ascii_lowercase(),
            scheme,
            port,
        })
    }
}

/// Configures and builds a [`Client`].
pub struct ClientBuilder {
    cloud: Cloud,
    version: ApiVersion,
    token: Option<Arc<dyn TokenProvider>>,
    transport: Option<Arc<dyn Transport>>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    default_headers: HeaderMap,
    include_unknown_enum_members: bool,
    max_redirects: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            cloud: Cloud::Global,
            version: ApiVersion::default(),
            token: None,
            transport: None,
            retry: RetryPolicy::default(),
            timeout: Some(Duration::from_secs(100)),
            default_headers: HeaderMap::new(),
            include_unknown_enum_members: false,
            max_redirects: 5,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("cloud", &self.cloud)
            .field("version", &self.version)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("transport", &self.transport)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The cloud (default [`Cloud::Global`]).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// The API version (default [`ApiVersion::V1_0`]).
    ///
    /// This is the version of requests built by hand ([`Operation::new`](crate::Operation::new)).
    /// A generated crate decides for its own requests: its service client and builders send to
    /// the version it was generated for, whatever is set here.
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Where bearer tokens come from. Without one, no `Authorization` header is sent.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// A shared token provider.
    pub fn token_provider_arc(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.token = Some(provider);
        self
    }

    /// Shorthand for a [`StaticToken`].
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// The HTTP stack (default: [`ReqwestTransport`](crate::ReqwestTransport) with the `reqwest` feature).
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time limit of one attempt, redirects included (default 100 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No per-attempt time limit.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// A header sent with every request (a request's own headers take precedence).
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.insert(name, value);
        self
    }

    /// Sends `Prefer: include-unknown-enum-members` so evolvable enums return new members.
    pub fn include_unknown_enum_members(mut self, yes: bool) -> Self {
        self.include_unknown_enum_members = yes;
        self
    }

    /// Redirects followed per attempt (default 5; 0 returns the 3xx as an error).
    pub fn max_redirects(mut self, max: usize) -> Self {
        self.max_redirects = max;
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        if let Cloud::Custom(root) = &self.cloud {
            validate_root(root)?;
        }
        let beta_root = self.cloud.service_root(ApiVersion::Beta);
        let v1_root = self.cloud.service_root(ApiVersion::V1_0);
        // both roots share the Graph root, hence its origin
        let graph_origin = v1_root.parse::<Uri>().ok().and_then(|u| Origin::of(&u));
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport()?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                scope: self.cloud.scope(),
                beta_root,
                v1_root,
                graph_origin,
                cloud: self.cloud,
                token: self.token,
                transport,
                retry: self.retry,
                timeout: self.timeout,
                default_headers: self.default_headers,
                include_unknown_enum_members: self.include_unknown_enum_members,
                max_redirects: self.max_redirects,
            }),
            version: self.version,
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    Ok(Arc::new(crate::ReqwestTransport::new()?))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    Err(Error::Config(
        "no transport configured: enable the `reqwest` feature or call ClientBuilder::transport"
            .into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_locations() {
        let base: Uri = "https://graph.microsoft.com/beta/a/b?x=1".parse().unwrap();
        assert_eq!(
            resolve(&base, "/c").unwrap(),
            "https://graph.microsoft.com/c"
        );
        assert_eq!(
            resolve(&base, "c").unwrap(),
            "https://graph.microsoft.com/beta/a/c"
        );
        assert_eq!(
            resolve(&base, "//other.example/x").unwrap(),
            "https://other.example/x"
        );
        assert_eq!(resolve(&base, "http://h:81/x").unwrap(), "http://h:81/x");
        assert!(resolve(&base, "ftp://h/x").is_none());
    }

    #[test]
    fn origins_compare_scheme_host_port() {
        let o = |s: &str| Origin::of(&s.parse::<Uri>().unwrap());
        assert_eq!(
            o("https://Graph.microsoft.com/beta"),
            o("https://graph.microsoft.com:443/x")
        );
        assert_ne!(
            o("https://graph.microsoft.com"),
            o("http://graph.microsoft.com")
        );
        assert_ne!(o("http://127.0.0.1:1"), o("http://127.0.0.1:2"));
        assert_ne!(
            o("https://graph.microsoft.com"),
            o("https://graph.microsoft.com.evil.example")
        );
    }

    /// Records the URI of every request and answers 204.
    #[derive(Debug, Default, Clone)]
    struct Recorder(Arc<std::sync::Mutex<Vec<String>>>);

    impl Transport for Recorder {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
        ) -> crate::BoxFuture<'_, Result<Response, crate::TransportError>> {
            self.0.lock().unwrap().push(request.uri().to_string());
            Box::pin(async {
                Ok(Response {
                    status: StatusCode::NO_CONTENT,
                    headers: HeaderMap::new(),
                    body: Vec::new(),
                })
            })
        }
    }

    #[test]
    fn the_default_version_is_v1() {
        let client = Client::builder()
            .transport(Recorder::default())
            .build()
            .unwrap();
        assert_eq!(client.api_version(), ApiVersion::V1_0);
        assert_eq!(client.service_root(), "https://graph.microsoft.com/v1.0");
        assert_eq!(ApiVersion::default(), ApiVersion::V1_0);
    }

    #[test]
    fn with_api_version_is_a_copy_sharing_the_state() {
        let v1 = Client::builder()
            .cloud(Cloud::UsGovL4)
            .api_version(ApiVersion::V1_0)
            .transport(Recorder::default())
            .build()
            .unwrap();
        let beta = v1.clone().with_api_version(ApiVersion::Beta);
        assert_eq!(beta.api_version(), ApiVersion::Beta);
        assert_eq!(beta.service_root(), "https://graph.microsoft.us/beta");
        assert_eq!(beta.cloud(), &Cloud::UsGovL4);
        // the original is unchanged, and nothing was rebuilt
        assert_eq!(v1.api_version(), ApiVersion::V1_0);
        assert_eq!(v1.service_root(), "https://graph.microsoft.us/v1.0");
        assert!(Arc::ptr_eq(&v1.inner, &beta.inner));
        let back = beta.with_api_version(ApiVersion::V1_0);
        assert_eq!(back.service_root(), v1.service_root());
        assert!(format!("{back:?}").contains("https://graph.microsoft.us/v1.0"));
    }

    #[tokio::test]
    async fn requests_go_to_the_version_of_the_copy() {
        let recorder = Recorder::default();
        let client = Client::builder()
            .cloud(Cloud::custom("http://127.0.0.1:9").unwrap())
            .api_version(ApiVersion::V1_0)
            .transport(recorder.clone())
            .build()
            .unwrap();
        let get = || Request::new(Method::GET, "/me");
        client
            .clone()
            .with_api_version(ApiVersion::Beta)
            .execute(get())
            .await
            .unwrap();
        client.execute(get()).await.unwrap();
        // an absolute next link is used as it is, whatever the version
        client
            .with_api_version(ApiVersion::Beta)
            .execute(Request::new(
                Method::GET,
                "http://127.0.0.1:9/v1.0/me?$skiptoken=x",
            ))
            .await
            .unwrap();
        assert_eq!(
            *recorder.0.lock().unwrap(),
            [
                "http://127.0.0.1:9/beta/me",
                "http://127.0.0.1:9/v1.0/me",
                "http://127.0.0.1:9/v1.0/me?$skiptoken=x"
            ]
        );
    }

    #[test]
    fn prefer_is_added_once() {
        let mut h = HeaderMap::new();
        h.insert(PREFER, HeaderValue::from_static("return=minimal"));
        add_preference(&mut h, INCLUDE_UNKNOWN_ENUM_MEMBERS);
        add_preference(&mut h, INCLUDE_UNKNOWN_ENUM_MEMBERS);
        assert_eq!(h.get_all(PREFER).iter().count(), 2);
    }
}
