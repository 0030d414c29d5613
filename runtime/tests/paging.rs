//! Paging against the loopback Graph emulator: what went over the wire on every page.
#![cfg(feature = "reqwest")]

mod common;

use common::client_for;
use futures_util::StreamExt;
use graph_emulator::Emulator;
use graph_emulator::paging::Collection;
use http::{HeaderName, HeaderValue, Method, StatusCode};
use odata_runtime::{Client, Error, Json, Operation, Page, Request};
use serde::Deserialize;
use serde_json::{Value, json};

const TOKEN: &str = "paging-token";
const CONSISTENCY: HeaderName = HeaderName::from_static("consistencylevel");
const PREFER: HeaderName = HeaderName::from_static("prefer");

/// A polymorphic item, as a generated `AnyDirectoryObject` reads it: by `@odata.type`.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "@odata.type")]
enum DirectoryObject {
    #[serde(rename = "#microsoft.graph.user")]
    User {
        id: String,
        #[serde(rename = "displayName")]
        display_name: String,
    },
    #[serde(rename = "#microsoft.graph.group")]
    Group {
        id: String,
        #[serde(rename = "mailEnabled")]
        mail_enabled: bool,
    },
}

impl DirectoryObject {
    fn id(&self) -> &str {
        match self {
            DirectoryObject::User { id, .. } | DirectoryObject::Group { id, .. } => id,
        }
    }
}

fn member(i: usize) -> Value {
    if i.is_multiple_of(2) {
        json!({"@odata.type": "#microsoft.graph.user", "id": format!("{i}"), "displayName": format!("User {i}")})
    } else {
        json!({"@odata.type": "#microsoft.graph.group", "id": format!("{i}"), "mailEnabled": i.is_multiple_of(3)})
    }
}

fn members(total: usize) -> Collection {
    Collection::new("/v1.0/groups/g1/members", total, member).directory()
}

fn list(client: &Client) -> Operation<Json<Page<DirectoryObject>>> {
    Operation::new(
        client.clone(),
        Request::new(Method::GET, "/groups/g1/members"),
    )
    .top(100)
    .header(CONSISTENCY, HeaderValue::from_static("eventual"))
    .header(PREFER, HeaderValue::from_static("odata.maxpagesize=100"))
}

fn ids(items: &[DirectoryObject]) -> Vec<usize> {
    items.iter().map(|i| i.id().parse().unwrap()).collect()
}

#[tokio::test]
async fn pages_follow_next_links_with_the_first_requests_headers() {
    let graph = Emulator::start(members(250).routes()).await;
    let client = client_for(graph.origin(), TOKEN);
    let pages: Vec<_> = list(&client).pages().collect().await;
    let pages: Vec<Page<DirectoryObject>> = pages.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        pages.iter().map(|p| p.value.len()).collect::<Vec<_>>(),
        [100, 100, 50]
    );
    assert!(
        matches!(&pages[0].value[0], DirectoryObject::User { display_name, .. } if display_name == "User 0")
    );
    assert!(matches!(
        &pages[2].value[1],
        DirectoryObject::Group {
            mail_enabled: true,
            ..
        }
    ));

    let seen = graph.seen();
    assert_eq!(seen.len(), 3);
    for (n, request) in seen.iter().enumerate() {
        assert_eq!(request.path(), "/v1.0/groups/g1/members", "page {}", n + 1);
        assert_eq!(
            request.header("consistencylevel"),
            Some("eventual"),
            "page {}",
            n + 1
        );
        assert_eq!(request.header("prefer"), Some("odata.maxpagesize=100"));
        assert_eq!(request.header("authorization"), Some("Bearer paging-token"));
    }
    // the next link is used as it is: every query option of the first request, and the token
    assert_eq!(
        seen[2].path_and_query,
        "/v1.0/groups/g1/members?$top=100&$skiptoken=page-2"
    );
}

#[tokio::test]
async fn items_come_in_order_across_pages() {
    let graph = Emulator::start(members(250).routes()).await;
    let client = client_for(graph.origin(), TOKEN);
    let items: Vec<DirectoryObject> = list(&client).items().map(Result::unwrap).collect().await;
    assert_eq!(ids(&items), (0..250).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_next_link_to_another_origin_gets_no_token() {
    let elsewhere = Emulator::start(members(250).routes()).await;
    let graph = Emulator::start(members(250).next_link_origin(elsewhere.origin()).routes()).await;
    let client = client_for(graph.origin(), TOKEN);
    let items: Vec<DirectoryObject> = list(&client).items().map(Result::unwrap).collect().await;
    assert_eq!(ids(&items), (0..250).collect::<Vec<_>>());

    let at_graph = graph.seen();
    assert_eq!(at_graph.len(), 1);
    assert_eq!(
        at_graph[0].header("authorization"),
        Some("Bearer paging-token")
    );
    let other = elsewhere.seen();
    assert_eq!(other.len(), 2, "pages 2 and 3 come from the other origin");
    for request in &other {
        assert_eq!(request.header("authorization"), None);
        assert_eq!(request.header("consistencylevel"), Some("eventual"));
    }
}

#[tokio::test]
async fn a_program_can_stop_store_the_next_link_and_resume() {
    let graph = Emulator::start(members(250).routes()).await;
    let client = client_for(graph.origin(), TOKEN);
    let mut pages = list(&client).pages().max_pages(2);
    let mut first = Vec::new();
    while let Some(page) = pages.next().await {
        first.extend(page.unwrap().value);
    }
    assert_eq!(pages.pages_fetched(), 2);
    let stored = pages.next_link().expect("a link to resume from").to_owned();
    drop(pages);
    assert_eq!(graph.seen().len(), 2, "the bound stops before page 3");

    // later: the same operation, resumed from the stored link
    let rest: Vec<DirectoryObject> = list(&client)
        .resume_from(stored.clone())
        .items()
        .map(Result::unwrap)
        .collect()
        .await;
    first.extend(rest);
    assert_eq!(ids(&first), (0..250).collect::<Vec<_>>());
    let seen = graph.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(
        format!("{}{}", graph.origin(), seen[2].path_and_query),
        stored
    );
    assert_eq!(seen[2].header("consistencylevel"), Some("eventual"));
}

#[tokio::test]
async fn the_number_of_items_can_be_bounded() {
    let graph = Emulator::start(members(1000).routes()).await;
    let client = client_for(graph.origin(), TOKEN);
    let mut items = list(&client).items().max_items(150);
    let mut got = Vec::new();
    while let Some(item) = items.next().await {
        got.push(item.unwrap());
    }
    assert_eq!(ids(&got), (0..150).collect::<Vec<_>>());
    assert_eq!(graph.seen().len(), 2, "no page is requested past the bound");
    // the rest of page 2 is still at hand, and the link after it
    let (rest, link) = items.into_remaining();
    assert_eq!(ids(&rest), (150..200).collect::<Vec<_>>());
    assert!(link.unwrap().ends_with("$skiptoken=page-2"));
}

#[tokio::test]
async fn an_error_on_page_n_comes_after_the_items_of_the_pages_before() {
    let graph = Emulator::start(
        members(250)
            .fail_once_on_page(3, StatusCode::INTERNAL_SERVER_ERROR)
            .routes(),
    )
    .await;
    let client = client_for(graph.origin(), TOKEN);
    let mut items = list(&client).items();
    let mut got = Vec::new();
    let error = loop {
        match items.next().await {
            Some(Ok(item)) => got.push(item),
            Some(Err(e)) => break e,
            None => panic!("the stream ended without the error"),
        }
    };
    assert_eq!(ids(&got), (0..200).collect::<Vec<_>>());
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(
        items.next().await.is_none(),
        "the stream ends after the error"
    );
    // the failed page's link is kept: resuming from it reads the rest
    let link = items.next_link().unwrap().to_owned();
    let rest: Vec<DirectoryObject> = list(&client)
        .resume_from(link)
        .items()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(ids(&rest), (200..250).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_next_link_that_is_not_a_url_is_an_error_after_its_page() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(
            json!({"value": [{"@odata.type": "#microsoft.graph.group", "id": "1", "mailEnabled": false}], "@odata.nextLink": "ftp://elsewhere/next"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), TOKEN);
    let got: Vec<Result<DirectoryObject, Error>> = list(&client).items().collect().await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(matches!(&got[0], Ok(DirectoryObject::Group { id, .. }) if id == "1"));
    assert!(
        matches!(&got[1], Err(Error::Protocol(m)) if m.contains("ftp://elsewhere/next")),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_request_that_could_not_be_built_is_the_only_item() {
    struct Unserializable;
    impl serde::Serialize for Unserializable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no"))
        }
    }
    let graph = Emulator::start(members(10).routes()).await;
    let client = client_for(graph.origin(), TOKEN);
    let got: Vec<_> = list(&client)
        .query_literal("@p", &Unserializable)
        .pages()
        .collect()
        .await;
    assert!(matches!(got.as_slice(), [Err(Error::Serialize(_))]));
    assert!(graph.seen().is_empty());
}
