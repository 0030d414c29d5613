//! The resource a generated request builder stands for: a client and a path relative to the
//! service root. Builders hold one and make each request, child builder or cast through it, so
//! that every generated method is one short call.

use http::Method;
use serde::de::DeserializeOwned;

use crate::cast::{CastCollection, CastEntity};
use crate::client::Client;
use crate::content::{Download, put_content};
use crate::operation::Operation;
use crate::request::{Request, path_segment};
use crate::response::{Expect, JsonOrEmpty};

/// A client and the path of one resource (`/deviceManagement/remoteAssistanceSettings`,
/// `/users/{id}/messages`), relative to the client's service root.
#[derive(Debug, Clone)]
pub struct Resource {
    client: Client,
    path: String,
}

impl Resource {
    /// The resource at `path`, relative to `client`'s service root.
    pub fn new(client: Client, path: impl Into<String>) -> Self {
        Resource {
            client,
            path: path.into(),
        }
    }

    /// The client requests go through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The path relative to the service root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The resource at this path followed by `segment` (`/auditEvents`,
    /// `/microsoft.graph.group`), through the same client.
    pub fn join(&self, segment: &str) -> Resource {
        Resource {
            client: self.client.clone(),
            path: format!("{}{segment}", self.path),
        }
    }

    /// One member of this collection by its key, percent-encoded as one path segment
    /// ([`path_segment`]).
    pub fn key(&self, key: &str) -> Resource {
        Resource {
            client: self.client.clone(),
            path: format!("{}/{}", self.path, path_segment(key)),
        }
    }

    /// A request with `method` on this resource; `E` says how the answer is read.
    pub fn request<E: Expect>(&self, method: Method) -> Operation<E> {
        Operation::new(self.client.clone(), Request::new(method, self.path.clone()))
    }

    /// A `GET` of this resource.
    pub fn get<E: Expect>(&self) -> Operation<E> {
        self.request(Method::GET)
    }

    /// A `POST` to this resource.
    pub fn post<E: Expect>(&self) -> Operation<E> {
        self.request(Method::POST)
    }

    /// A `PATCH` of this resource.
    pub fn patch<E: Expect>(&self) -> Operation<E> {
        self.request(Method::PATCH)
    }

    /// A `DELETE` of this resource.
    pub fn delete<E: Expect>(&self) -> Operation<E> {
        self.request(Method::DELETE)
    }

    /// This resource's content as bytes ([`Download`]).
    pub fn download(&self) -> Download {
        Download::new(self.client.clone(), self.path.clone())
    }

    /// Replaces this resource's content with `body`, sent with `content_type` ([`put_content`]).
    pub fn put_content<T: DeserializeOwned>(
        &self,
        body: Vec<u8>,
        content_type: &str,
    ) -> Operation<JsonOrEmpty<T>> {
        put_content(self.client.clone(), self.path.clone(), body, content_type)
    }

    /// This resource (a path ending with a type-cast segment) read as one entity of type `T`.
    pub fn cast_entity<T: DeserializeOwned>(&self) -> CastEntity<T> {
        CastEntity::new(self.client.clone(), self.path.clone())
    }

    /// This resource (a path ending with a type-cast segment) as a collection of `T`.
    pub fn cast_collection<T: DeserializeOwned>(&self) -> CastCollection<T> {
        CastCollection::new(self.client.clone(), self.path.clone())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::response::{Empty, Json};

    /// Never called: these tests only build requests.
    #[derive(Debug)]
    struct NoTransport;

    impl crate::Transport for NoTransport {
        fn send(
            &self,
            _request: http::Request<Vec<u8>>,
        ) -> crate::BoxFuture<'_, Result<crate::Response, crate::TransportError>> {
            unreachable!("no request is sent")
        }
    }

    pub(crate) fn client() -> Client {
        Client::builder()
            .transport(NoTransport)
            .build()
            .expect("a client with a transport builds")
    }

    #[test]
    fn join_and_key_build_paths_and_keys_are_one_segment() {
        let users = Resource::new(client(), "/users");
        let user = users.key("a/b c?#%");
        assert_eq!(user.path(), "/users/a%2Fb%20c%3F%23%25");
        assert_eq!(
            user.join("/messages").path(),
            "/users/a%2Fb%20c%3F%23%25/messages"
        );
        assert_eq!(
            users.path(),
            "/users",
            "joining leaves the parent as it was"
        );
    }

    #[test]
    fn requests_carry_the_method_and_path() {
        let settings = Resource::new(client(), "/deviceManagement/remoteAssistanceSettings");
        for (op, method) in [
            (
                settings.get::<Json<serde_json::Value>>().into_request(),
                Method::GET,
            ),
            (
                settings.post::<Json<serde_json::Value>>().into_request(),
                Method::POST,
            ),
            (
                settings.patch::<Json<serde_json::Value>>().into_request(),
                Method::PATCH,
            ),
            (settings.delete::<Empty>().into_request(), Method::DELETE),
        ] {
            let request = op.expect("nothing failed to serialize");
            assert_eq!(request.method, method);
            assert_eq!(request.path, "/deviceManagement/remoteAssistanceSettings");
        }
    }

    #[test]
    fn casts_and_content_keep_the_path() {
        let member_of = Resource::new(client(), "/me/memberOf").join("/microsoft.graph.group");
        assert_eq!(
            member_of.cast_collection::<serde_json::Value>().path(),
            "/me/memberOf/microsoft.graph.group"
        );
        assert_eq!(
            member_of.cast_entity::<serde_json::Value>().path(),
            "/me/memberOf/microsoft.graph.group"
        );
        let put = Resource::new(client(), "/me/photo/$value")
            .put_content::<serde_json::Value>(vec![1, 2], "image/png")
            .into_request()
            .expect("a valid content type");
        assert_eq!(put.method, Method::PUT);
        assert_eq!(put.body.as_deref(), Some(&[1u8, 2][..]));
    }
}
