//! [`Transport`] over reqwest with rustls (ring provider, platform certificate verifier).

use std::error::Error as StdError;
use std::time::Duration;

use crate::auth::BoxFuture;
use crate::error::{Error, TransportError, TransportErrorKind};
use crate::response::Response;
use crate::transport::Transport;

/// The default transport: reqwest, rustls, redirects disabled.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with a 30 s connect timeout.
    ///
    /// Installs rustls' `ring` crypto provider as the process default if no
    /// provider is installed yet.
    pub fn new() -> Result<Self, Error> {
        Self::with_connect_timeout(Duration::from_secs(30))
    }

    /// A transport with the given connect timeout.
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, Error> {
        // Err only means another provider is already installed, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(ReqwestTransport { client })
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response, TransportError>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(classify)?;
            let response = self.client.execute(request).await.map_err(classify)?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(classify)?.to_vec();
            Ok(Response {
                status,
                headers,
                body,
            })
        })
    }
}

fn classify(error: reqwest::Error) -> TransportError {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if is_tls(&error) {
        TransportErrorKind::Tls
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    };
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    TransportError::new(kind, message).with_source(error)
}

fn is_tls(error: &reqwest::Error) -> bool {
    let mut source = error.source();
    while let Some(s) = source {
        if s.is::<rustls::Error>() {
            return true;
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>())
        {
            return true;
        }
        source = s.source();
    }
    false
}
