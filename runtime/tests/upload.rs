//! Large uploads against the loopback Graph emulator's upload sessions: the ranges, headers and
//! resumes it saw, and the bytes it holds at the end.
#![cfg(feature = "reqwest")]

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use graph_emulator::upload::{self, CHUNK_UNIT, UploadControl};
use graph_emulator::{Emulator, Seen};
use odata_runtime::upload::{UploadOutcome, UploadProgress};
use odata_runtime::{Client, Error, JsonOrEmpty, LargeUpload, Operation, Request};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, ReadBuf};

mod emulated;

const TOKEN: &str = "upload-token";
const CREATE: &str = "/v1.0/drives/d/items/i/createUploadSession";

async fn start() -> (Emulator, UploadControl, Client) {
    let (routes, control) = upload::routes(CREATE);
    let graph = Emulator::start(routes).await;
    let client = client_for(&graph);
    (graph, control, client)
}

fn client_for(graph: &Emulator) -> Client {
    emulated::client_for(graph, TOKEN)
}

fn create_session(client: &Client) -> Operation<JsonOrEmpty<Value>> {
    Operation::new(
        client.clone(),
        Request::new(http::Method::POST, "/drives/d/items/i/createUploadSession"),
    )
    .json_body(&json!({"item": {"@microsoft.graph.conflictBehavior": "rename"}}))
}

/// Bytes that differ from one position to the next, so a shifted range shows.
fn file(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// A stream that cannot seek, hands out at most 1000 bytes per read and counts what it gave.
struct OneWay {
    data: Vec<u8>,
    at: usize,
    given: Arc<AtomicU64>,
}

impl AsyncRead for OneWay {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = buf.remaining().min(1000).min(self.data.len() - self.at);
        let at = self.at;
        buf.put_slice(&self.data[at..at + n]);
        self.at += n;
        self.given.fetch_add(n as u64, Ordering::SeqCst);
        Poll::Ready(Ok(()))
    }
}

fn uploads(seen: &[Seen]) -> Vec<&Seen> {
    seen.iter()
        .filter(|s| s.path().starts_with("/upload/"))
        .collect()
}

/// `PUT bytes a-b/n` or `GET` / `DELETE`, for each request to the upload URL.
fn wire(seen: &[Seen]) -> Vec<String> {
    uploads(seen)
        .iter()
        .map(|s| match s.header("content-range") {
            Some(range) => format!("{} {range}", s.method),
            None => s.method.to_string(),
        })
        .collect()
}

#[tokio::test]
async fn a_stream_resumes_after_a_503_from_where_the_session_says_without_reading_it_twice() {
    let (graph, control, client) = start().await;
    let total = 3 * CHUNK_UNIT + 12_345;
    let data = file(total);
    // the second range fails after the session kept 1000 of its bytes
    control.fail_put(2, http::StatusCode::SERVICE_UNAVAILABLE, Some(0), 1000);
    let given = Arc::new(AtomicU64::new(0));
    let reader = OneWay {
        data: data.clone(),
        at: 0,
        given: given.clone(),
    };
    let progress = Arc::new(Mutex::new(Vec::new()));
    let seen_progress = progress.clone();
    let outcome = LargeUpload::new(create_session(&client))
        .chunk_size(CHUNK_UNIT)
        .on_progress(move |p: UploadProgress| seen_progress.lock().unwrap().push(p.uploaded))
        .upload_reader(reader, total as u64)
        .await
        .unwrap();
    let UploadOutcome::Completed(done) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(done.status, http::StatusCode::CREATED);
    let item: Value = done.item().unwrap().unwrap();
    assert_eq!(item["size"], total);

    // the session holds the file, byte for byte, and the stream was read once
    assert_eq!(control.sessions()[0].received, data);
    assert_eq!(given.load(Ordering::SeqCst), total as u64);

    let n = total;
    let seen = graph.seen();
    assert_eq!(
        wire(&seen),
        [
            format!("PUT bytes 0-327679/{n}"),
            format!("PUT bytes 327680-655359/{n}"),
            "GET".to_string(),
            format!("PUT bytes 328680-656359/{n}"),
            format!("PUT bytes 656360-984039/{n}"),
            format!("PUT bytes 984040-{}/{n}", n - 1),
        ]
    );
    for request in uploads(&seen) {
        assert_eq!(request.header("authorization"), None, "{request:?}");
        if request.method == http::Method::PUT {
            assert_eq!(
                request.header("content-type"),
                Some("application/octet-stream")
            );
            assert_eq!(
                request.header("content-length"),
                Some(request.body.len().to_string().as_str())
            );
        }
    }
    // the session was created with the token, on Graph
    assert_eq!(seen[0].path(), CREATE);
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        *progress.lock().unwrap(),
        [327_680, 656_360, 984_040, n as u64]
    );
}

#[tokio::test]
async fn bytes_go_to_an_upload_url_on_another_origin_and_complete_like_outlook() {
    let (routes, control) = upload::routes(CREATE);
    let graph = Emulator::start(routes.clone()).await;
    let outlook = Emulator::start(routes).await;
    control.set_upload_origin(outlook.origin());
    control.complete_like_outlook();
    let client = client_for(&graph);
    let data = file(2 * CHUNK_UNIT + 1);
    let mut upload = LargeUpload::new(create_session(&client)).chunk_size(2 * CHUNK_UNIT);
    let mut progress = upload.progress_stream();
    let outcome = upload.upload_bytes(&data).await.unwrap();
    let UploadOutcome::Completed(done) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(done.status, http::StatusCode::CREATED);
    assert!(
        done.location
            .as_deref()
            .unwrap()
            .contains("/Attachments('a1')")
    );
    assert_eq!(done.item::<Value>().unwrap(), None);
    let mut reported = Vec::new();
    while let Some(p) = progress.next().await {
        reported.push((p.uploaded, p.total));
    }
    assert_eq!(reported, [(655_360, 655_361), (655_361, 655_361)]);

    assert_eq!(control.sessions()[0].received, data);
    // Graph saw only the session's creation; the ranges went to the other origin, without token
    assert_eq!(graph.seen().len(), 1);
    let seen = outlook.seen();
    assert_eq!(
        wire(&seen),
        [
            "PUT bytes 0-655359/655361",
            "PUT bytes 655360-655360/655361"
        ]
    );
    assert!(seen.iter().all(|s| s.header("authorization").is_none()));
}

#[tokio::test]
async fn cancelling_deletes_the_session() {
    let (graph, control, client) = start().await;
    let data = file(4 * CHUNK_UNIT);
    let upload = LargeUpload::new(create_session(&client)).chunk_size(CHUNK_UNIT);
    let cancel = upload.cancel_handle();
    let outcome = upload
        .on_progress(move |_| cancel.cancel())
        .upload_bytes(&data)
        .await
        .unwrap();
    assert!(matches!(outcome, UploadOutcome::Cancelled), "{outcome:?}");
    let session = &control.sessions()[0];
    assert!(session.deleted);
    assert_eq!(session.received.len(), CHUNK_UNIT);
    let seen = graph.seen();
    assert_eq!(wire(&seen), ["PUT bytes 0-327679/1310720", "DELETE"]);
    assert!(
        uploads(&seen)
            .iter()
            .all(|s| s.header("authorization").is_none())
    );
}

#[tokio::test]
async fn cancelling_during_a_range_in_flight_deletes_the_session_without_waiting_for_it() {
    let (graph, control, client) = start().await;
    let data = file(3 * CHUNK_UNIT);
    // the second range reaches the session and is kept waiting there
    let held = control.hold_put(2);
    let upload = LargeUpload::new(create_session(&client)).chunk_size(CHUNK_UNIT);
    let cancel = upload.cancel_handle();
    let running = tokio::spawn(async move { upload.upload_bytes(&data).await });
    held.arrived().await;
    cancel.cancel();
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(5), running)
        .await
        .expect("the cancel does not wait for the range in flight")
        .unwrap()
        .unwrap();
    assert!(matches!(outcome, UploadOutcome::Cancelled), "{outcome:?}");
    held.release();
    // the session is gone and holds the first range only: the one in flight never landed
    let session = &control.sessions()[0];
    assert!(session.deleted);
    assert_eq!(session.received.len(), CHUNK_UNIT);
    let seen = graph.seen();
    assert_eq!(
        wire(&seen),
        [
            "PUT bytes 0-327679/983040",
            "PUT bytes 327680-655359/983040",
            "DELETE"
        ]
    );
    assert!(
        uploads(&seen)
            .iter()
            .all(|s| s.header("authorization").is_none())
    );
}

#[tokio::test]
async fn a_stored_session_is_resumed_where_it_stands() {
    let (graph, control, client) = start().await;
    let data = file(3 * CHUNK_UNIT);
    // the first upload gives up on its second range (its 503s outlast max_attempts)
    for put in 2..=4 {
        control.fail_put(put, http::StatusCode::SERVICE_UNAVAILABLE, Some(0), 0);
    }
    let e = LargeUpload::new(create_session(&client))
        .chunk_size(CHUNK_UNIT)
        .upload_bytes(&data)
        .await
        .unwrap_err();
    assert_eq!(
        e.status(),
        Some(http::StatusCode::SERVICE_UNAVAILABLE),
        "{e}"
    );
    assert_eq!(control.sessions()[0].received.len(), CHUNK_UNIT);
    // later, from the stored upload URL and the file read from its start
    let url = format!("{}/upload/1", graph.origin());
    let given = Arc::new(AtomicU64::new(0));
    let reader = OneWay {
        data: data.clone(),
        at: 0,
        given: given.clone(),
    };
    let outcome = LargeUpload::resume(client, url)
        .chunk_size(CHUNK_UNIT)
        .upload_reader(reader, data.len() as u64)
        .await
        .unwrap();
    assert!(
        matches!(outcome, UploadOutcome::Completed(_)),
        "{outcome:?}"
    );
    assert_eq!(control.sessions()[0].received, data);
    let wire = wire(&graph.seen());
    assert_eq!(
        wire[wire.len() - 3..],
        [
            "GET",
            "PUT bytes 327680-655359/983040",
            "PUT bytes 655360-983039/983040"
        ]
    );
}

#[tokio::test]
async fn refusals_are_errors_and_bad_chunk_sizes_send_nothing() {
    let (graph, control, client) = start().await;
    for size in [0, 1000, CHUNK_UNIT + 1, 192 * CHUNK_UNIT] {
        let e = LargeUpload::new(create_session(&client))
            .chunk_size(size)
            .upload_bytes(&[1, 2, 3])
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{e}");
    }
    assert!(graph.seen().is_empty());
    // a conflict on the last range is not resumed
    control.fail_put(1, http::StatusCode::CONFLICT, None, 0);
    let e = LargeUpload::new(create_session(&client))
        .upload_bytes(&[1, 2, 3])
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(http::StatusCode::CONFLICT), "{e}");
    assert_eq!(wire(&graph.seen()), ["PUT bytes 0-2/3"]);
}
