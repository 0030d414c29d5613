//! JSON batching against the loopback Graph emulator: what went over the wire, not only what
//! the client returned.
#![cfg(feature = "reqwest")]

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use graph_emulator::batch::{self, BatchControl, sent_batches};
use graph_emulator::{Emulator, graph_error};
use odata_runtime::{ApiVersion, Batch, Client, Empty, Error, Json, Operation, Request};
use serde_json::{Value, json};

mod emulated;

const TOKEN: &str = "batch-token";

/// Users `/v1.0/users/{id}`: GET answers the user (404 for `missing`), DELETE answers 204.
fn users() -> Router {
    Router::new().route(
        "/v1.0/users/{id}",
        get(|Path(id): Path<String>| async move {
            if id == "missing" {
                graph_error(StatusCode::NOT_FOUND, "Request_ResourceNotFound", "no user")
            } else {
                axum::Json(json!({"id": id, "displayName": format!("User {id}")})).into_response()
            }
        })
        .delete(|| async { StatusCode::NO_CONTENT }),
    )
}

async fn start() -> (Emulator, BatchControl, Client) {
    let (routes, control) = batch::routes("v1.0", users());
    let graph = Emulator::start(routes).await;
    let client = emulated::client_for(&graph, TOKEN);
    (graph, control, client)
}

fn get_user(client: &Client, id: &str) -> Operation<Json<Value>> {
    Operation::new(
        client.clone(),
        Request::new(http::Method::GET, format!("/users/{id}")),
    )
    .select(["id", "displayName"])
}

fn delete_user(client: &Client, id: &str) -> Operation<Empty> {
    Operation::new(
        client.clone(),
        Request::new(http::Method::DELETE, format!("/users/{id}")),
    )
}

fn ids(batch: &[Value]) -> Vec<&str> {
    batch.iter().map(|s| s["id"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn forty_five_steps_go_in_three_requests_in_order_and_come_back_typed() {
    let (graph, _, client) = start().await;
    let mut batch = Batch::new(client.clone());
    let steps: Vec<_> = (0..45)
        .map(|i| batch.add(get_user(&client, &i.to_string())))
        .collect();
    let mut response = batch.send().await;
    for (i, step) in steps.into_iter().enumerate() {
        let user = response.result(step).unwrap();
        assert_eq!(user["id"], i.to_string());
        assert_eq!(user["displayName"], format!("User {i}"));
    }

    let seen = graph.seen();
    assert_eq!(seen.len(), 3);
    for request in &seen {
        assert_eq!(request.path_and_query, "/v1.0/$batch");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    let batches = sent_batches(&seen);
    assert_eq!(
        batches.iter().map(Vec::len).collect::<Vec<_>>(),
        [20, 20, 5]
    );
    let all: Vec<&Value> = batches.iter().flatten().collect();
    for (i, step) in all.iter().enumerate() {
        assert_eq!(step["id"], (i + 1).to_string());
        assert_eq!(step["method"], "GET");
        // relative to the version root, with the query
        assert_eq!(
            step["url"],
            format!("/users/{i}?$select=id,displayName"),
            "{step}"
        );
        // the token travels on the $batch request only
        assert!(step.get("headers").is_none(), "{step}");
    }
}

#[tokio::test]
async fn a_dependency_chain_is_never_split_across_requests() {
    let (graph, control, client) = start().await;
    let mut batch = Batch::new(client.clone());
    let mut loose = Vec::new();
    for i in 0..18 {
        loose.push(batch.add(get_user(&client, &i.to_string())));
    }
    // steps 19, 20, 21: read, then delete, then read again, in that order
    let read = batch.add(get_user(&client, "a"));
    let delete = batch.add_after(delete_user(&client, "a"), [read.id()]);
    let again = batch.add_after(get_user(&client, "b"), [delete.id()]);
    let mut response = batch.send().await;
    response.result(read).unwrap();
    response.result(delete).unwrap();
    assert_eq!(response.result(again).unwrap()["id"], "b");
    for step in loose {
        response.result(step).unwrap();
    }

    let batches = sent_batches(&graph.seen());
    assert_eq!(batches.len(), 2);
    assert_eq!(
        ids(&batches[0]),
        (1..=18).map(|i| i.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(ids(&batches[1]), ["19", "20", "21"]);
    assert!(batches[1][0].get("dependsOn").is_none());
    assert_eq!(batches[1][1]["dependsOn"], json!(["19"]));
    assert_eq!(batches[1][1]["method"], "DELETE");
    assert_eq!(batches[1][2]["dependsOn"], json!(["20"]));
    let ran = control.ran();
    let tail: Vec<&str> = ran[ran.len() - 3..]
        .iter()
        .map(|(m, _)| m.as_str())
        .collect();
    assert_eq!(tail, ["GET", "DELETE", "GET"]);
}

#[tokio::test]
async fn a_throttled_step_is_retried_after_its_own_retry_after_with_its_dependents() {
    let (graph, control, client) = start().await;
    control.throttle(
        http::Method::GET,
        "/users/2",
        1,
        StatusCode::TOO_MANY_REQUESTS,
        1,
    );
    let mut batch = Batch::new(client.clone());
    let one = batch.add(get_user(&client, "1"));
    let two = batch.add(get_user(&client, "2"));
    let three = batch.add_after(delete_user(&client, "3"), [two.id()]);
    let started = Instant::now();
    let mut response = batch.send().await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the step's Retry-After was not honoured: {:?}",
        started.elapsed()
    );
    assert_eq!(response.status(two.id()), Some(http::StatusCode::OK));
    assert_eq!(response.result(one).unwrap()["id"], "1");
    assert_eq!(response.result(two).unwrap()["id"], "2");
    response.result(three).unwrap();

    let batches = sent_batches(&graph.seen());
    assert_eq!(batches.len(), 2);
    assert_eq!(ids(&batches[0]), ["1", "2", "3"]);
    // only the throttled step and the one that failed because of it go again
    assert_eq!(ids(&batches[1]), ["2", "3"]);
    assert_eq!(batches[1][1]["dependsOn"], json!(["2"]));
    // step 3 ran once, after step 2 succeeded
    let deletes = control.ran().iter().filter(|(m, _)| m == "DELETE").count();
    assert_eq!(deletes, 1);
}

#[tokio::test]
async fn throttling_beyond_the_retry_budget_is_the_step_error() {
    let (graph, control, client) = start().await;
    control.throttle(
        http::Method::GET,
        "/users/2",
        10,
        StatusCode::SERVICE_UNAVAILABLE,
        0,
    );
    let mut batch = Batch::new(client.clone());
    let one = batch.add(get_user(&client, "1"));
    let two = batch.add(get_user(&client, "2"));
    let mut response = batch.send().await;
    response.result(one).unwrap();
    let e = response.result(two).unwrap_err();
    assert_eq!(
        e.status(),
        Some(http::StatusCode::SERVICE_UNAVAILABLE),
        "{e}"
    );
    // max_attempts is 3: the step was sent three times
    let batches = sent_batches(&graph.seen());
    assert_eq!(
        batches.iter().map(|b| ids(b)).collect::<Vec<_>>(),
        [vec!["1", "2"], vec!["2"], vec!["2"]]
    );
}

#[tokio::test]
async fn a_failed_dependency_is_reported_as_424_and_not_run() {
    let (_graph, control, client) = start().await;
    let mut batch = Batch::new(client.clone());
    let missing = batch.add(get_user(&client, "missing"));
    let delete = batch.add_after(delete_user(&client, "x"), [missing.id()]);
    let after = batch.add_after(get_user(&client, "y"), [delete.id()]);
    let free = batch.add(get_user(&client, "z"));
    let mut response = batch.send().await;
    let e = response.result(missing).unwrap_err();
    assert_eq!(e.status(), Some(http::StatusCode::NOT_FOUND));
    assert_eq!(
        e.graph_error().and_then(|g| g.code()),
        Some("Request_ResourceNotFound")
    );
    for step in [delete.id(), after.id()] {
        assert_eq!(
            response.status(step),
            Some(http::StatusCode::FAILED_DEPENDENCY)
        );
    }
    let e = response.result(delete).unwrap_err();
    assert_eq!(e.status(), Some(http::StatusCode::FAILED_DEPENDENCY), "{e}");
    let e = response.result(after).unwrap_err();
    assert_eq!(e.status(), Some(http::StatusCode::FAILED_DEPENDENCY), "{e}");
    assert_eq!(response.result(free).unwrap()["id"], "z");
    // neither dependent ran
    assert!(control.ran().iter().all(|(m, _)| m == "GET"));
    assert_eq!(control.ran().len(), 2);
}

/// A value that never serializes.
struct Unserializable;

impl serde::Serialize for Unserializable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("no"))
    }
}

#[tokio::test]
async fn a_step_that_cannot_be_built_is_not_sent_and_its_dependents_fail_with_424() {
    let (graph, _, client) = start().await;
    let mut batch = Batch::new(client.clone());
    let broken = batch.add(
        Operation::<Empty>::new(client.clone(), Request::new(http::Method::POST, "/users"))
            .json_body(&Unserializable),
    );
    let dependent = batch.add_after(get_user(&client, "1"), [broken.id()]);
    let fine = batch.add(get_user(&client, "2"));
    // a step for another API version cannot join a v1.0 batch
    let beta = batch.add(get_user(
        &client.clone().with_api_version(ApiVersion::Beta),
        "3",
    ));
    let mut response = batch.send().await;
    assert!(matches!(response.result(broken), Err(Error::Serialize(_))));
    let e = response.result(dependent).unwrap_err();
    assert_eq!(e.status(), Some(http::StatusCode::FAILED_DEPENDENCY), "{e}");
    assert!(matches!(response.result(beta), Err(Error::Config(_))));
    assert_eq!(response.result(fine).unwrap()["id"], "2");
    let batches = sent_batches(&graph.seen());
    assert_eq!(batches.len(), 1);
    assert_eq!(ids(&batches[0]), ["3"]);
}

#[tokio::test]
async fn a_failed_batch_request_is_every_step_error() {
    let (graph, _, client) = start().await;
    let mut batch = Batch::new(client.clone());
    // nobody listens any more
    let steps: Vec<_> = (0..3)
        .map(|i| batch.add(get_user(&client, &i.to_string())))
        .collect();
    drop(graph);
    let mut response = batch.send().await;
    for step in steps {
        let e = response.result(step).unwrap_err();
        assert!(matches!(e, Error::Transport(_)), "{e}");
    }
    assert_eq!(response.len(), 3);
}
