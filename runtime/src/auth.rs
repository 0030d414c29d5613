//! Access tokens and where they come from.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::error::Error;

/// A boxed, `Send` future, as returned by the object-safe traits of this crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A bearer token. Its `Debug` output is `[redacted]`; it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a raw token (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }

    /// The raw token, for building the `Authorization` header.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken([redacted])")
    }
}

/// Supplies bearer tokens; called before every attempt, so an implementation
/// can cache and refresh. `scope` is the cloud's app-only scope, e.g.
/// `https://graph.microsoft.com/.default`.
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// A token valid for `scope`. Failures should be [`Error::Auth`].
    fn token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, Error>>;
}

/// A fixed token, e.g. one obtained out of band. Debug prints `[redacted]`.
#[derive(Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider that always returns `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(AccessToken::new(token))
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken([redacted])")
    }
}

impl TokenProvider for StaticToken {
    fn token<'a>(&'a self, _scope: &'a str) -> BoxFuture<'a, Result<AccessToken, Error>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let t = StaticToken::new("s3cr3t");
        assert_eq!(format!("{t:?}"), "StaticToken([redacted])");
        assert!(!format!("{:?}", AccessToken::new("s3cr3t")).contains("s3cr3t"));
    }
}
