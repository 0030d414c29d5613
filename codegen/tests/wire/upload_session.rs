//! Run inside the generated `upload_session` crate: `large_upload` against the loopback Graph
//! emulator's upload sessions, checked on the ranges and headers the emulator saw.

mod emulated;

use fixture_upload_session::ServiceClient;
use fixture_upload_session::models::{AttachmentItem, DriveItem, DriveItemUploadableProperties};
use fixture_upload_session::requests::{
    CreateUploadSessionParameters, CreateUploadSessionParameters2,
};
use fixture_upload_session::runtime::Nullable;
use fixture_upload_session::runtime::http::StatusCode;
use fixture_upload_session::runtime::upload::{CHUNK_UNIT, UploadOutcome};
use graph_emulator::upload;
use graph_emulator::{Emulator, Seen};
use serde_json::{Value, json};

const TOKEN: &str = "upload-token";

fn graph_for(emulator: &Emulator) -> ServiceClient {
    ServiceClient::new(emulated::client_for(emulator, TOKEN))
}

/// Bytes that differ from one position to the next, so a shifted range shows.
fn file(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// `PUT bytes a-b/n`, `GET` or `DELETE`, for each request to an upload URL.
fn ranges(seen: &[Seen]) -> Vec<String> {
    seen.iter()
        .filter(|s| s.path().starts_with("/upload/"))
        .map(|s| match s.header("content-range") {
            Some(range) => format!("{} {range}", s.method),
            None => s.method.to_string(),
        })
        .collect()
}

#[tokio::test]
async fn a_drive_item_from_a_reader_resumes_where_the_session_says() {
    let (routes, control) = upload::routes("/v1.0/items/i1/test.files.createUploadSession");
    let emulator = Emulator::start(routes).await;
    // the second range fails after the session kept 1000 of its bytes
    control.fail_put(2, StatusCode::SERVICE_UNAVAILABLE, Some(0), 1000);
    let graph = graph_for(&emulator);
    let n = 2 * CHUNK_UNIT + 100;
    let data = file(n);
    let parameters = CreateUploadSessionParameters2 {
        item: Some(DriveItemUploadableProperties {
            name: Nullable::Value("video.mp4".into()),
            file_size: Nullable::Value(n as i64),
            ..Default::default()
        }),
        defer_commit: Some(false),
    };
    let outcome = graph
        .items()
        .by_id("i1")
        .large_upload_2(&parameters)
        .chunk_size(CHUNK_UNIT)
        .upload_reader(&data[..], n as u64)
        .await
        .unwrap();
    let UploadOutcome::Completed(done) = outcome else {
        panic!("{outcome:?}")
    };
    let item: DriveItem = done.item().unwrap().unwrap();
    assert_eq!(item.id.as_deref(), Some("item-1"));
    assert_eq!(item.additional_properties["size"], json!(n));
    assert_eq!(control.sessions()[0].received, data);

    let seen = emulator.seen();
    // the session is created on Graph, with the token and the parameters
    assert_eq!(
        seen[0].path(),
        "/v1.0/items/i1/test.files.createUploadSession"
    );
    assert_eq!(seen[0].header("authorization"), Some("Bearer upload-token"));
    let body: Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(
        body,
        json!({"item": {"name": "video.mp4", "fileSize": n}, "deferCommit": false})
    );
    // ranges of 320 KiB; after the 503, from the byte the session asks for
    assert_eq!(
        ranges(&seen),
        [
            format!("PUT bytes 0-327679/{n}"),
            format!("PUT bytes 327680-655359/{n}"),
            "GET".to_string(),
            format!("PUT bytes 328680-{}/{n}", n - 1),
        ]
    );
    for s in seen.iter().filter(|s| s.path().starts_with("/upload/")) {
        assert_eq!(s.header("authorization"), None, "{s:?}");
    }
}

#[tokio::test]
async fn an_attachment_goes_to_an_upload_url_on_another_origin() {
    let (routes, control) = upload::routes("/v1.0/attachments/test.files.createUploadSession");
    let emulator = Emulator::start(routes.clone()).await;
    let outlook = Emulator::start(routes).await;
    control.set_upload_origin(outlook.origin());
    control.complete_like_outlook();
    let graph = graph_for(&emulator);
    let data = file(3 * CHUNK_UNIT);
    let parameters = CreateUploadSessionParameters {
        attachment_item: Some(AttachmentItem {
            name: Nullable::Value("big.pdf".into()),
            size: Nullable::Value(data.len() as i64),
            ..Default::default()
        }),
    };
    let mut upload = graph
        .attachments()
        .large_upload(&parameters)
        .chunk_size(2 * CHUNK_UNIT);
    let mut progress = upload.progress_stream();
    let outcome = upload.upload_bytes(&data).await.unwrap();
    let UploadOutcome::Completed(done) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(done.status, StatusCode::CREATED);
    assert!(done.location.unwrap().ends_with("/Attachments('a1')"));
    let mut reported = Vec::new();
    while let Some(p) = progress.next().await {
        reported.push(p.uploaded);
    }
    assert_eq!(reported, [655_360, 983_040]);
    assert_eq!(control.sessions()[0].received, data);

    let at_graph = emulator.seen();
    assert_eq!(at_graph.len(), 1);
    assert_eq!(
        at_graph[0].header("authorization"),
        Some("Bearer upload-token")
    );
    let body: Value = serde_json::from_slice(&at_graph[0].body).unwrap();
    assert_eq!(
        body,
        json!({"AttachmentItem": {"name": "big.pdf", "size": 983_040}})
    );
    let at_outlook = outlook.seen();
    assert_eq!(
        ranges(&at_outlook),
        [
            "PUT bytes 0-655359/983040",
            "PUT bytes 655360-983039/983040"
        ]
    );
    assert!(
        at_outlook
            .iter()
            .all(|s| s.header("authorization").is_none())
    );
}
