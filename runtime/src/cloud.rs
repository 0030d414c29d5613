//! National cloud deployments and API versions.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use http::Uri;

use crate::error::Error;

/// Entra ID (login) endpoint of the global service.
const LOGIN_GLOBAL: &str = "https://login.microsoftonline.com";
/// Entra ID (login) endpoint of the US Government clouds (L4 and L5).
const LOGIN_USGOV: &str = "https://login.microsoftonline.us";
/// Entra ID (login) endpoint of the China cloud operated by 21Vianet.
const LOGIN_CHINA: &str = "https://login.chinacloudapi.cn";

/// A Microsoft Graph deployment (see Microsoft Graph "national cloud deployments").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Cloud {
    /// The global service: `https://graph.microsoft.com`.
    #[default]
    Global,
    /// US Government L4 (GCC High): `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DoD): `https://dod-graph.microsoft.us`.
    UsGovL5Dod,
    /// China operated by 21Vianet: `https://microsoftgraph.chinacloudapi.cn`.
    China21Vianet,
    /// Any other Graph root, such as a local test server. Must be `https`,
    /// or `http` on a loopback host; checked by [`Cloud::custom`] and when a
    /// client is built. Its login endpoint is the global one.
    Custom(String),
}

impl Cloud {
    /// A validated [`Cloud::Custom`] root (trailing `/` removed).
    pub fn custom(root: impl Into<String>) -> Result<Cloud, Error> {
        let root = root.into();
        validate_root(&root)?;
        Ok(Cloud::Custom(root.trim_end_matches('/').to_owned()))
    }

    /// The Graph root without a version, e.g. `https://graph.microsoft.com`.
    pub fn graph_root(&self) -> &str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5Dod => "https://dod-graph.microsoft.us",
            Cloud::China21Vianet => "https://microsoftgraph.chinacloudapi.cn",
            Cloud::Custom(root) => root.trim_end_matches('/'),
        }
    }

    /// The Microsoft Entra ID (login) endpoint, e.g. `https://login.microsoftonline.com`.
    pub fn login_endpoint(&self) -> &str {
        match self {
            Cloud::Global | Cloud::Custom(_) => LOGIN_GLOBAL,
            Cloud::UsGovL4 | Cloud::UsGovL5Dod => LOGIN_USGOV,
            Cloud::China21Vianet => LOGIN_CHINA,
        }
    }

    /// The authority for a tenant: `{login_endpoint}/{tenant}`.
    pub fn authority(&self, tenant: &str) -> String {
        format!("{}/{tenant}", self.login_endpoint())
    }

    /// The OAuth 2.0 v2 token endpoint for a tenant.
    pub fn token_endpoint(&self, tenant: &str) -> String {
        format!("{}/oauth2/v2.0/token", self.authority(tenant))
    }

    /// The app-only (client credentials) scope: `{graph_root}/.default`.
    pub fn scope(&self) -> String {
        format!("{}/.default", self.graph_root())
    }

    /// The service root for a version, e.g. `https://graph.microsoft.com/beta`.
    pub fn service_root(&self, version: ApiVersion) -> String {
        format!("{}/{version}", self.graph_root())
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cloud::Global => f.write_str("global"),
            Cloud::UsGovL4 => f.write_str("usgov-l4"),
            Cloud::UsGovL5Dod => f.write_str("usgov-l5"),
            Cloud::China21Vianet => f.write_str("china"),
            Cloud::Custom(root) => f.write_str(root),
        }
    }
}

impl FromStr for Cloud {
    type Err = Error;

    /// Accepts `global`, `usgov-l4` (`usgovl4`, `gcchigh`), `usgov-l5` (`usgovl5`,
    /// `dod`), `china` (`21vianet`), case-insensitively, or a root URL (custom).
    fn from_str(s: &str) -> Result<Self, Error> {
        let name = s.trim().to_ascii_lowercase();
        match name.as_str() {
            "global" | "public" | "worldwide" => Ok(Cloud::Global),
            "usgov-l4" | "usgovl4" | "usgov" | "gcchigh" | "gcc-high" => Ok(Cloud::UsGovL4),
            "usgov-l5" | "usgovl5" | "dod" | "usgov-dod" => Ok(Cloud::UsGovL5Dod),
            "china" | "21vianet" | "china-21vianet" | "china21vianet" => Ok(Cloud::China21Vianet),
            _ if name.starts_with("https://") || name.starts_with("http://") => {
                Cloud::custom(s.trim())
            }
            _ => Err(Error::Config(format!(
                "unknown cloud {s:?}; expected global, usgov-l4, usgov-l5, china or a root URL"
            ))),
        }
    }
}

/// Checks a Graph root: `https`, or `http` on a loopback host; no query or fragment.
pub(crate) fn validate_root(root: &str) -> Result<(), Error> {
    let uri: Uri = root
        .parse()
        .map_err(|e| Error::Config(format!("invalid root URL {root:?}: {e}")))?;
    let host = uri
        .host()
        .ok_or_else(|| Error::Config(format!("root URL {root:?} has no host")))?;
    if uri.query().is_some() || root.contains('#') {
        return Err(Error::Config(format!(
            "root URL {root:?} must not have a query or fragment"
        )));
    }
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if is_loopback(host) => Ok(()),
        _ => Err(Error::Config(format!(
            "root URL {root:?} must use https (http is allowed only for loopback hosts)"
        ))),
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The Graph API version.
///
/// The default, `v1.0`, is also `odata-codegen generate`'s default. A generated crate pins the
/// version it was generated for (see [`Client::with_api_version`](crate::Client::with_api_version)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiVersion {
    /// `beta`.
    Beta,
    /// `v1.0`.
    #[default]
    V1_0,
}

impl ApiVersion {
    /// The path segment: `beta` or `v1.0`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiVersion::Beta => "beta",
            ApiVersion::V1_0 => "v1.0",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApiVersion {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "beta" => Ok(ApiVersion::Beta),
            "v1.0" | "v1" | "1.0" => Ok(ApiVersion::V1_0),
            _ => Err(Error::Config(format!(
                "unknown API version {s:?}; expected beta or v1.0"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_validation() {
        for ok in [
            "https://example.com",
            "http://127.0.0.1:8080",
            "http://localhost:1/prefix",
            "http://[::1]:9",
            "http://127.0.0.2",
        ] {
            assert!(Cloud::custom(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "not a url",
            "/relative",
            "https://x.com/?a=b",
        ] {
            assert!(Cloud::custom(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Cloud::custom("http://127.0.0.1:5/").unwrap().graph_root(),
            "http://127.0.0.1:5"
        );
    }

    #[test]
    fn names_parse() {
        assert_eq!("Global".parse::<Cloud>().unwrap(), Cloud::Global);
        assert_eq!("usgovl4".parse::<Cloud>().unwrap(), Cloud::UsGovL4);
        assert_eq!("dod".parse::<Cloud>().unwrap(), Cloud::UsGovL5Dod);
        assert_eq!("china".parse::<Cloud>().unwrap(), Cloud::China21Vianet);
        assert!("mars".parse::<Cloud>().is_err());
        assert_eq!("v1.0".parse::<ApiVersion>().unwrap(), ApiVersion::V1_0);
        assert_eq!(ApiVersion::V1_0.to_string(), "v1.0");
        assert_eq!(ApiVersion::Beta.to_string(), "beta");
    }
}
