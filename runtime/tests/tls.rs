//! The reqwest transport's TLS set-up: its own crypto provider, nothing installed process-wide.
//! One test per process state, so this file holds a single test.
#![cfg(feature = "reqwest")]

use std::io::{Read, Write};
use std::net::TcpListener;

use odata_runtime::{ReqwestTransport, Transport, TransportErrorKind};
use rustls::crypto::CryptoProvider;

/// A server that answers the ClientHello in plain HTTP: the handshake starts
/// (the provider's key shares are sent) and fails as a TLS error.
#[tokio::test]
async fn handshake_uses_ring_without_installing_a_process_default() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut hello = [0u8; 5];
        stream.read_exact(&mut hello).unwrap();
        stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            .unwrap();
        hello
    });

    let transport = ReqwestTransport::new().unwrap();
    assert!(
        CryptoProvider::get_default().is_none(),
        "building the transport installed a process-wide crypto provider"
    );
    let request = http::Request::get(format!("https://127.0.0.1:{port}/v1.0/me"))
        .body(Vec::new())
        .unwrap();
    let error = transport.send(request).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");

    let hello = server.join().unwrap();
    assert_eq!(
        hello[0], 0x16,
        "the client did not open with a TLS handshake record"
    );
    assert!(CryptoProvider::get_default().is_none());
}
