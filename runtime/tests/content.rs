//! Media content against the loopback Graph emulator: a download that Graph redirects (302) to a
//! pre-authenticated URL on another origin, read as a stream; an upload with its content type.
#![cfg(feature = "reqwest")]

mod common;

use common::client_for;
use futures_util::StreamExt;
use graph_emulator::Emulator;
use graph_emulator::content::Drive;
use http::StatusCode;
use odata_runtime::{Download, Error, put_content};
use serde_json::Value;

/// 3 MiB that are not all the same byte, so a misplaced chunk shows.
fn file() -> Vec<u8> {
    (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect()
}

async fn drive_with_file() -> (Drive, Emulator, Emulator) {
    let drive = Drive::new();
    drive.put("report.pdf", "application/pdf", file());
    let downloads = Emulator::start(drive.download_routes()).await;
    drive.redirect_downloads_to(downloads.origin());
    let graph = Emulator::start(drive.routes()).await;
    (drive, graph, downloads)
}

#[tokio::test]
async fn a_download_follows_the_302_without_the_token_and_streams() {
    let (_drive, graph, downloads) = drive_with_file().await;
    let client = client_for(graph.origin(), "content-token");
    let mut stream = Download::new(client, "/drives/d1/items/report.pdf/content")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.content_type(), Some("application/pdf"));
    assert_eq!(stream.content_length(), Some(3 * 1024 * 1024));
    let mut body = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        body.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(body, file());
    assert!(chunks > 1, "the body arrives in chunks, not in one piece");

    let at_graph = graph.seen();
    assert_eq!(at_graph.len(), 1);
    assert_eq!(
        at_graph[0].path(),
        "/v1.0/drives/d1/items/report.pdf/content"
    );
    assert_eq!(
        at_graph[0].header("authorization"),
        Some("Bearer content-token")
    );
    let at_download = downloads.seen();
    assert_eq!(at_download.len(), 1);
    assert_eq!(
        at_download[0].path_and_query,
        "/download/report.pdf?tempauth=pre-authenticated"
    );
    assert_eq!(at_download[0].header("authorization"), None);
    // the same logical request on both hosts
    assert_eq!(
        at_download[0].header("client-request-id"),
        at_graph[0].header("client-request-id")
    );
}

#[tokio::test]
async fn a_missing_item_is_graphs_error() {
    let (_drive, graph, downloads) = drive_with_file().await;
    let client = client_for(graph.origin(), "content-token");
    let error = Download::new(client, "/drives/d1/items/nothing/content")
        .bytes()
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Http(_)), "{error:?}");
    assert_eq!(
        error.graph_error().and_then(|g| g.code()),
        Some("itemNotFound")
    );
    assert!(downloads.seen().is_empty());
}

#[tokio::test]
async fn a_photo_is_read_whole() {
    let drive = Drive::new();
    drive.put("photo", "image/jpeg", vec![0xFF, 0xD8, 0xFF, 0xE0]);
    let graph = Emulator::start(drive.routes()).await;
    let client = client_for(graph.origin(), "content-token");
    let bytes = Download::new(client, "/me/photo/$value")
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes, [0xFF, 0xD8, 0xFF, 0xE0]);
    assert_eq!(graph.seen()[0].header("accept"), Some("*/*"));
}

#[tokio::test]
async fn an_upload_sends_the_bytes_with_their_content_type() {
    let drive = Drive::new();
    let graph = Emulator::start(drive.routes()).await;
    let client = client_for(graph.origin(), "content-token");
    let item: Option<Value> = put_content(
        client.clone(),
        "/drives/d1/items/notes.txt/content",
        b"hello".to_vec(),
        "text/plain",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(item.unwrap()["size"], 5);
    assert_eq!(
        drive.file("notes.txt"),
        Some(("text/plain".to_string(), b"hello".to_vec()))
    );
    let seen = graph.seen();
    assert_eq!(seen[0].method, http::Method::PUT);
    assert_eq!(seen[0].header("content-type"), Some("text/plain"));
    assert_eq!(&seen[0].body[..], b"hello");

    // a content type that is not a header value: nothing is sent
    let error = put_content::<Value>(
        client,
        "/drives/d1/items/x/content",
        vec![1],
        "text/\nplain",
    )
    .send()
    .await
    .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert_eq!(graph.seen().len(), 1);
}
