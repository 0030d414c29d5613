//! Media content (Graph's `api-reference/v1.0/api/driveitem-get-content.md`,
//! `driveitem-put-content.md`, `profilephoto-get.md`).
//!
//! - `GET {item}/content` answers `302 Found` with a `Location` on another host: a
//!   pre-authenticated download URL that needs no `Authorization` header. The download host
//!   (a second emulator serving [`Drive::download_routes`]) answers with the bytes; it refuses a request that
//!   carries a bearer token, as a pre-authenticated URL must not receive one.
//! - `PUT {item}/content` stores the body (`Content-Type` required) and answers `201 Created`
//!   with the driveItem.
//! - `GET /me/photo/$value` answers the photo's bytes directly (`200`, `image/jpeg`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::get;
use http::StatusCode;
use http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use serde_json::json;

use crate::graph_error;
use crate::paging::json_response;

type Files = Arc<Mutex<BTreeMap<String, (String, Vec<u8>)>>>;

/// A drive's files (`/v1.0/drives/{drive}/items/{item}/content`) and a photo
/// (`/v1.0/me/photo/$value`), downloads redirected to `download_origin`.
#[derive(Debug, Clone, Default)]
pub struct Drive {
    files: Files,
    download_origin: Arc<Mutex<String>>,
}

impl Drive {
    /// An empty drive.
    pub fn new() -> Self {
        Drive::default()
    }

    /// Where download URLs point: the origin of the emulator serving [`Drive::download_routes`].
    pub fn redirect_downloads_to(&self, origin: &str) {
        *self
            .download_origin
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = origin.to_owned();
    }

    /// Stores a file `item` with its content type.
    pub fn put(&self, item: &str, content_type: &str, bytes: Vec<u8>) {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(item.to_owned(), (content_type.to_owned(), bytes));
    }

    /// A stored file's content type and bytes.
    pub fn file(&self, item: &str) -> Option<(String, Vec<u8>)> {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(item)
            .cloned()
    }

    /// The Graph routes.
    pub fn routes(&self) -> Router {
        Router::new()
            .route(
                "/v1.0/drives/{drive}/items/{item}/content",
                get(download_redirect).put(upload),
            )
            .route("/v1.0/me/photo/$value", get(photo))
            .with_state(self.clone())
    }

    /// The routes of the download host: serves the files of this drive by their download URL.
    pub fn download_routes(&self) -> Router {
        Router::new()
            .route("/download/{item}", get(download))
            .with_state(self.clone())
    }
}

async fn download_redirect(
    State(drive): State<Drive>,
    Path((_drive, item)): Path<(String, String)>,
) -> Response {
    if drive.file(&item).is_none() {
        return graph_error(
            StatusCode::NOT_FOUND,
            "itemNotFound",
            "The item does not exist.",
        );
    }
    Response::builder()
        .status(StatusCode::FOUND)
        .header(
            LOCATION,
            format!(
                "{}/download/{item}?tempauth=pre-authenticated",
                drive
                    .download_origin
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
            ),
        )
        .body(Body::empty())
        .expect("a valid response")
}

async fn download(
    State(drive): State<Drive>,
    Path(item): Path<String>,
    request: Request,
) -> Response {
    if request.headers().contains_key(AUTHORIZATION) {
        return Response::builder()
            .status(StatusCode::UNAUTHORIZED)
            .body(Body::from(
                "a pre-authenticated URL takes no Authorization header",
            ))
            .expect("a valid response");
    }
    match drive.file(&item) {
        Some((content_type, bytes)) => Response::builder()
            .status(StatusCode::OK)
            .header(CONTENT_TYPE, content_type)
            .header(CONTENT_LENGTH, bytes.len())
            .body(Body::from(bytes))
            .expect("a valid response"),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::empty())
            .expect("a valid response"),
    }
}

async fn upload(
    State(drive): State<Drive>,
    Path((_drive, item)): Path<(String, String)>,
    request: Request,
) -> Response {
    let Some(content_type) = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "Content-Type is required.",
        );
    };
    let bytes: Bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let size = bytes.len();
    drive.put(&item, &content_type, bytes.to_vec());
    json_response(
        StatusCode::CREATED,
        &json!({
            "@odata.type": "#microsoft.graph.driveItem",
            "id": item,
            "name": item,
            "size": size,
            "file": {"mimeType": content_type}
        }),
    )
}

async fn photo(State(drive): State<Drive>) -> Response {
    match drive.file("photo") {
        Some((content_type, bytes)) => Response::builder()
            .status(StatusCode::OK)
            .header(CONTENT_TYPE, content_type)
            .body(Body::from(bytes))
            .expect("a valid response"),
        None => graph_error(
            StatusCode::NOT_FOUND,
            "ImageNotFound",
            "The photo wasn't found.",
        ),
    }
}
