//! Type-cast path segments: `/users/{id}/memberOf/microsoft.graph.group` lists only the groups,
//! `/deviceManagement/deviceConfigurations/{id}/microsoft.graph.windows10GeneralConfiguration`
//! reads the configuration as that type (the service answers 404 when it is another type).

use std::fmt;
use std::marker::PhantomData;

use http::Method;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::operation::Operation;
use crate::request::Request;
use crate::response::{Json, Page};

/// A collection narrowed to the members of one derived type `T`.
pub struct CastCollection<T> {
    client: Client,
    path: String,
    directory: bool,
    item: PhantomData<fn() -> T>,
}

/// One entity read as the derived type `T`.
pub struct CastEntity<T> {
    client: Client,
    path: String,
    value: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> CastCollection<T> {
    /// The collection at `path` (ending with the cast segment), relative to the service root.
    pub fn new(client: Client, path: impl Into<String>) -> Self {
        CastCollection {
            client,
            path: path.into(),
            directory: false,
            item: PhantomData,
        }
    }

    /// Marks the members as directory objects: [`CastCollection::list`] then sends `$search`
    /// with `ConsistencyLevel: eventual` ([`Operation::directory_objects`]).
    pub fn directory_objects(mut self) -> Self {
        self.directory = true;
        self
    }

    /// The path of the narrowed collection relative to the service root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Lists the members of type `T`: `send()` for one page, `items()` or `pages()` for a
    /// stream that follows `@odata.nextLink`.
    pub fn list(&self) -> Operation<Json<Page<T>>> {
        let op = Operation::new(self.client.clone(), Request::new(Method::GET, &self.path));
        if self.directory {
            op.directory_objects()
        } else {
            op
        }
    }
}

impl<T: DeserializeOwned> CastEntity<T> {
    /// The entity at `path` (ending with the cast segment), relative to the service root.
    pub fn new(client: Client, path: impl Into<String>) -> Self {
        CastEntity {
            client,
            path: path.into(),
            value: PhantomData,
        }
    }

    /// The path of the cast entity relative to the service root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Reads the entity as `T`; the service answers 404 when it is of another type.
    pub fn get(&self) -> Operation<Json<T>> {
        Operation::new(self.client.clone(), Request::new(Method::GET, &self.path))
    }
}

impl<T> Clone for CastCollection<T> {
    fn clone(&self) -> Self {
        CastCollection {
            client: self.client.clone(),
            path: self.path.clone(),
            directory: self.directory,
            item: PhantomData,
        }
    }
}

impl<T> Clone for CastEntity<T> {
    fn clone(&self) -> Self {
        CastEntity {
            client: self.client.clone(),
            path: self.path.clone(),
            value: PhantomData,
        }
    }
}

impl<T> fmt::Debug for CastCollection<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CastCollection")
            .field("path", &self.path)
            .field("item", &std::any::type_name::<T>())
            .finish()
    }
}

impl<T> fmt::Debug for CastEntity<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CastEntity")
            .field("path", &self.path)
            .field("value", &std::any::type_name::<T>())
            .finish()
    }
}
