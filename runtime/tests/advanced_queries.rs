//! `$count` and `$search` on directory objects against the loopback Graph emulator, which
//! answers as Graph documents: 400 for `$search` without `ConsistencyLevel: eventual`, `$count`
//! ignored without it.
#![cfg(feature = "reqwest")]

mod common;

use common::client_for;
use futures_util::StreamExt;
use graph_emulator::Emulator;
use graph_emulator::paging::Collection;
use http::{Method, StatusCode};
use odata_runtime::{Client, Json, Operation, Page, Request};
use serde_json::{Value, json};

fn users(total: usize) -> Collection {
    Collection::new(
        "/v1.0/users",
        total,
        |i| json!({"@odata.type": "#microsoft.graph.user", "id": i.to_string()}),
    )
    .directory()
}

fn list(client: &Client) -> Operation<Json<Page<Value>>> {
    Operation::new(client.clone(), Request::new(Method::GET, "/users")).directory_objects()
}

#[tokio::test]
async fn search_on_directory_objects_sends_consistency_level_on_every_page() {
    let graph = Emulator::start(users(25).routes()).await;
    let client = client_for(graph.origin(), "t");
    let items: Vec<Value> = list(&client)
        .search("displayName:wa")
        .top(10)
        .items()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items.len(), 25);
    let seen = graph.seen();
    assert_eq!(seen.len(), 3);
    for request in &seen {
        assert_eq!(request.header("consistencylevel"), Some("eventual"));
        assert!(
            request
                .path_and_query
                .contains("$search=%22displayName:wa%22"),
            "{}",
            request.path_and_query
        );
    }
}

#[tokio::test]
async fn without_consistency_level_graph_answers_400() {
    let graph = Emulator::start(users(5).routes()).await;
    let client = client_for(graph.origin(), "t");
    let error = list(&client)
        .search("displayName:wa")
        .eventual_consistency(false)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(
        error.graph_error().and_then(|g| g.code()),
        Some("Request_UnsupportedQuery")
    );
    assert_eq!(graph.seen()[0].header("consistencylevel"), None);
}

#[tokio::test]
async fn count_is_answered_with_consistency_level() {
    let graph = Emulator::start(users(25).routes()).await;
    let client = client_for(graph.origin(), "t");
    let mut pages = list(&client).count(true).top(10).pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.count, Some(25));
    let rest: Vec<_> = pages.map(Result::unwrap).collect().await;
    assert_eq!(rest.len(), 2);
    assert!(
        rest.iter().all(|p| p.count.is_none()),
        "only the first page counts"
    );
    assert!(
        graph
            .seen()
            .iter()
            .all(|r| r.header("consistencylevel") == Some("eventual"))
    );

    // opted out: Graph ignores $count, silently
    let page = list(&client)
        .count(true)
        .eventual_consistency(false)
        .send()
        .await
        .unwrap();
    assert_eq!(page.count, None);
}
