//! [`Transport`] over reqwest with rustls (the process's crypto provider, else ring's;
//! platform certificate verifier).

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use rustls::crypto::CryptoProvider;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::auth::BoxFuture;
use crate::content::StreamingResponse;
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
    /// TLS uses the rustls crypto provider the process installed
    /// (`CryptoProvider::install_default`) if there is one, and otherwise
    /// rustls' `ring` provider, for this transport only: nothing is installed
    /// process-wide.
    pub fn new() -> Result<Self, Error> {
        Self::with_connect_timeout(Duration::from_secs(30))
    }

    /// A transport with the given connect timeout.
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, Error> {
        let tls_error = |e: rustls::Error| Error::Config(format!("cannot set up TLS: {e}"));
        let mut tls = rustls::ClientConfig::builder_with_provider(crypto_provider())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .with_platform_verifier()
            .map_err(tls_error)?
            .with_no_client_auth();
        // HTTP/1.1 as before: this crate does not enable reqwest's HTTP/2
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(ReqwestTransport { client })
    }
}

/// The process-wide provider if the application installed one, else ring's.
fn crypto_provider() -> Arc<CryptoProvider> {
    if let Some(installed) = CryptoProvider::get_default() {
        return Arc::clone(installed);
    }
    // rustls deprecates ring's provider (from 0.23.48) because ring has no
    // post-quantum key exchange. It stays the default here as it spares every
    // user the aws-lc-sys C build; an application that wants post-quantum key
    // exchange installs aws-lc-rs's provider, which the branch above takes.
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider();
    Arc::new(ring)
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response, TransportError>> {
        Box::pin(async move { self.send_streaming(request).await?.collect().await })
    }

    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(classify)?;
            let response = self.client.execute(request).await.map_err(classify)?;
            let status = response.status();
            let headers = response.headers().clone();
            // chunk by chunk; after an error the stream ends
            let body = futures_util::stream::unfold(Some(response), |response| async move {
                let mut response = response?;
                match response.chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                    Ok(None) => None,
                    Err(e) => Some((Err(classify(e)), None)),
                }
            });
            Ok(StreamingResponse {
                status,
                headers,
                body: Box::pin(body),
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
        // An io::Error's source() skips the error it wraps, and the connector
        // nests them (Other around InvalidData around the rustls error).
        source = match s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => s.source(),
        };
    }
    false
}
