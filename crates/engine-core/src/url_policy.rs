//! Which application URLs the engine will open.
//!
//! A URL comes from outside and makes a browser on our machine fetch it, so it is checked
//! before anything touches a browser: its shape first ([`UrlPolicy::check`], no I/O), then
//! the addresses its host resolves to ([`UrlPolicy::check_resolved`]). By default loopback,
//! private, link-local and cloud-metadata targets are refused; tests and local setups lift
//! that with [`UrlPolicy::allow_private_targets`] or an allow-list of hosts.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// The longest URL accepted, in bytes.
pub const MAX_URL_LEN: usize = 2000;

/// Why a URL was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// Nothing was given.
    #[error("the url is empty: give the job posting's application url")]
    Empty,
    /// Over [`MAX_URL_LEN`].
    #[error("the url is {len} characters long; at most {MAX_URL_LEN} are accepted")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// Not a URL, or a relative one.
    #[error(
        "the url cannot be parsed ({reason}): give an absolute http(s) url such as https://jobs.example.com/apply"
    )]
    Malformed {
        /// What the parser said.
        reason: String,
    },
    /// Not http or https.
    #[error("the url scheme `{scheme}` is not supported: use http or https")]
    UnsupportedScheme {
        /// The scheme given.
        scheme: String,
    },
    /// No host part.
    #[error("the url has no host: give an absolute http(s) url with a host name")]
    NoHost,
    /// `user:password@` in the URL.
    #[error("the url carries a user name or password: remove the `user:password@` part")]
    Credentials,
    /// A host that names this machine or a cloud metadata service.
    #[error(
        "the host `{host}` is {what} and is refused: only public hosts can be opened (allow local targets for local testing)"
    )]
    ForbiddenHost {
        /// The host.
        host: String,
        /// What it is, e.g. "a loopback address".
        what: &'static str,
    },
    /// A host name that resolves to a refused address.
    #[error(
        "the host `{host}` resolves to {address}, which is {what}, and is refused: only public hosts can be opened (allow local targets for local testing)"
    )]
    ResolvesToForbidden {
        /// The host.
        host: String,
        /// The address it resolved to.
        address: IpAddr,
        /// What that address is.
        what: &'static str,
    },
    /// The host name does not resolve.
    #[error("the host `{host}` could not be resolved ({reason}): check the url")]
    Unresolvable {
        /// The host.
        host: String,
        /// What the resolver said.
        reason: String,
    },
}

/// The rules for application URLs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlPolicy {
    /// Accept loopback, private and link-local targets (local testing only).
    pub allow_private_targets: bool,
    /// Hosts accepted whatever they resolve to (exact, case-insensitive match).
    pub allowed_hosts: Vec<String>,
}

impl UrlPolicy {
    /// The default policy: public hosts only.
    pub fn public_only() -> Self {
        UrlPolicy::default()
    }

    /// A policy that also accepts local and private targets.
    pub fn allow_local() -> Self {
        UrlPolicy {
            allow_private_targets: true,
            allowed_hosts: Vec::new(),
        }
    }

    /// Checks the URL's shape and any IP literal in it, without I/O.
    pub fn check(&self, input: &str) -> Result<Url, UrlError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(UrlError::Empty);
        }
        if input.len() > MAX_URL_LEN {
            return Err(UrlError::TooLong { len: input.len() });
        }
        let url = Url::parse(trimmed).map_err(|err| UrlError::Malformed {
            reason: err.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlError::UnsupportedScheme {
                scheme: url.scheme().to_owned(),
            });
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::Credentials);
        }
        let host = url.host().ok_or(UrlError::NoHost)?;
        if self.lifts_checks_for(&url) {
            return Ok(url);
        }
        match host {
            Host::Ipv4(ip) => refuse_address(IpAddr::V4(ip)).map_or(Ok(()), |what| {
                Err(UrlError::ForbiddenHost {
                    host: ip.to_string(),
                    what,
                })
            })?,
            Host::Ipv6(ip) => refuse_address(IpAddr::V6(ip)).map_or(Ok(()), |what| {
                Err(UrlError::ForbiddenHost {
                    host: ip.to_string(),
                    what,
                })
            })?,
            Host::Domain(name) => {
                if let Some(what) = refuse_name(name) {
                    return Err(UrlError::ForbiddenHost {
                        host: name.to_owned(),
                        what,
                    });
                }
            }
        }
        Ok(url)
    }

    /// Resolves the URL's host and refuses it if any address it has is refused.
    ///
    /// Call after [`UrlPolicy::check`]; IP literals need no lookup.
    pub async fn check_resolved(&self, url: &Url) -> Result<(), UrlError> {
        if self.lifts_checks_for(url) {
            return Ok(());
        }
        let Some(Host::Domain(name)) = url.host() else {
            return Ok(());
        };
        let port = url.port_or_known_default().unwrap_or(443);
        let addresses =
            tokio::net::lookup_host((name, port))
                .await
                .map_err(|err| UrlError::Unresolvable {
                    host: name.to_owned(),
                    reason: err.to_string(),
                })?;
        for address in addresses {
            if let Some(what) = refuse_address(address.ip()) {
                return Err(UrlError::ResolvesToForbidden {
                    host: name.to_owned(),
                    address: address.ip(),
                    what,
                });
            }
        }
        Ok(())
    }

    fn lifts_checks_for(&self, url: &Url) -> bool {
        if self.allow_private_targets {
            return true;
        }
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.allowed_hosts
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(host))
    }
}

/// Host names that never lead anywhere public.
fn refuse_name(name: &str) -> Option<&'static str> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return Some("this machine (localhost)");
    }
    if matches!(
        name.as_str(),
        "metadata" | "metadata.google.internal" | "metadata.azure.internal" | "instance-data"
    ) || name.ends_with(".internal")
    {
        return Some("a cloud metadata or internal host");
    }
    None
}

/// What kind of non-public address `ip` is, or `None` for a public one.
pub fn refuse_address(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => refuse_v4(ip),
        IpAddr::V6(ip) => refuse_v6(ip),
    }
}

fn refuse_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, d] = ip.octets();
    if (a, b, c, d) == (169, 254, 169, 254) || (a, b, c, d) == (100, 100, 100, 200) {
        return Some("a cloud metadata address");
    }
    if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_private() {
        Some("a private address")
    } else if ip.is_link_local() {
        Some("a link-local address")
    } else if ip.is_unspecified() || a == 0 {
        Some("an unspecified address")
    } else if a == 100 && (64..128).contains(&b) {
        Some("a shared (carrier-grade NAT) address")
    } else if ip.is_broadcast() || ip.is_multicast() || a >= 240 {
        Some("a broadcast, multicast or reserved address")
    } else if ip.is_documentation() || (a == 198 && (b == 18 || b == 19)) {
        Some("a documentation or benchmarking address")
    } else {
        None
    }
}

fn refuse_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return refuse_v4(v4);
    }
    let first = ip.segments()[0];
    if ip.segments() == [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254] {
        Some("a cloud metadata address")
    } else if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_unspecified() {
        Some("an unspecified address")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a private (unique local) address")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local address")
    } else if ip.is_multicast() {
        Some("a multicast address")
    } else if first == 0x2001 && ip.segments()[1] == 0x0db8 {
        Some("a documentation address")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(input: &str) -> UrlError {
        match UrlPolicy::public_only().check(input) {
            Ok(url) => panic!("{input} was accepted as {url}"),
            Err(err) => err,
        }
    }

    #[test]
    fn accepts_public_application_urls() {
        let good = [
            "https://job-boards.greenhouse.io/acme/jobs/4012345",
            "https://boards.greenhouse.io/embed/job_app?for=acme&token=4012345",
            "https://jobs.lever.co/acme/0b4a4c1e-6f3a-4b7e-9d1a-2f5c8e9a1b2c/apply",
            "https://jobs.ashbyhq.com/acme/0b4a4c1e-6f3a-4b7e-9d1a-2f5c8e9a1b2c/application",
            "http://careers.example.com/apply?gh_jid=123",
            "https://acme.wd5.myworkdayjobs.com/en-US/careers/job/Remote/Engineer_R1",
            "  https://apply.workable.com/acme/j/ABC123/apply/  ",
            "https://8.8.8.8/apply",
            "https://[2606:4700::1111]/apply",
            "HTTPS://JOBS.LEVER.CO/acme",
            "https://jobs.example.com:8443/apply#form",
        ];
        for input in good {
            assert!(
                UrlPolicy::public_only().check(input).is_ok(),
                "{input} was refused: {:?}",
                UrlPolicy::public_only().check(input)
            );
        }
    }

    #[test]
    fn refuses_bad_urls_with_specific_errors() {
        let long = format!("https://jobs.example.com/{}", "a".repeat(MAX_URL_LEN));
        type IsExpected = fn(&UrlError) -> bool;
        let cases: Vec<(&str, IsExpected)> = vec![
            ("", |e| matches!(e, UrlError::Empty)),
            ("   ", |e| matches!(e, UrlError::Empty)),
            (long.as_str(), |e| matches!(e, UrlError::TooLong { .. })),
            ("jobs.lever.co/acme", |e| {
                matches!(e, UrlError::Malformed { .. })
            }),
            ("/relative/apply", |e| {
                matches!(e, UrlError::Malformed { .. })
            }),
            ("https://", |e| matches!(e, UrlError::Malformed { .. })),
            ("http://exa mple.com/", |e| {
                matches!(e, UrlError::Malformed { .. })
            }),
            ("https://[::1/apply", |e| {
                matches!(e, UrlError::Malformed { .. })
            }),
            (
                "ftp://jobs.example.com/apply",
                |e| matches!(e, UrlError::UnsupportedScheme { scheme } if scheme == "ftp"),
            ),
            ("javascript:alert(1)", |e| {
                matches!(e, UrlError::UnsupportedScheme { .. })
            }),
            ("file:///etc/passwd", |e| {
                matches!(e, UrlError::UnsupportedScheme { .. })
            }),
            ("data:text/html,<form>", |e| {
                matches!(e, UrlError::UnsupportedScheme { .. })
            }),
            ("mailto:jobs@example.com", |e| {
                matches!(e, UrlError::UnsupportedScheme { .. })
            }),
            ("https://user:pass@jobs.example.com/", |e| {
                matches!(e, UrlError::Credentials)
            }),
            ("https://user@jobs.example.com/", |e| {
                matches!(e, UrlError::Credentials)
            }),
            ("http://localhost:8080/apply", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            ("http://app.localhost/apply", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            (
                "http://127.0.0.1/",
                |e| matches!(e, UrlError::ForbiddenHost { what, .. } if what.contains("loopback")),
            ),
            ("http://127.1.2.3/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            (
                "http://2130706433/",
                |e| matches!(e, UrlError::ForbiddenHost { what, .. } if what.contains("loopback")),
            ),
            ("http://0x7f000001/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            (
                "http://10.0.0.5/",
                |e| matches!(e, UrlError::ForbiddenHost { what, .. } if what.contains("private")),
            ),
            ("http://172.16.3.4/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            ("http://192.168.1.1/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            (
                "http://169.254.169.254/latest/meta-data/",
                |e| matches!(e, UrlError::ForbiddenHost { what, .. } if what.contains("metadata")),
            ),
            (
                "http://169.254.10.10/",
                |e| matches!(e, UrlError::ForbiddenHost { what, .. } if what.contains("link-local")),
            ),
            ("http://metadata.google.internal/computeMetadata/v1/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            ("http://0.0.0.0/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            ("http://100.64.0.1/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            (
                "http://[::1]/",
                |e| matches!(e, UrlError::ForbiddenHost { what, .. } if what.contains("loopback")),
            ),
            ("http://[::ffff:127.0.0.1]/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            (
                "http://[fd00:ec2::254]/",
                |e| matches!(e, UrlError::ForbiddenHost { what, .. } if what.contains("metadata")),
            ),
            ("http://[fc00::1]/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            ("http://[fe80::1]/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
            ("http://224.0.0.1/", |e| {
                matches!(e, UrlError::ForbiddenHost { .. })
            }),
        ];
        assert!(cases.len() >= 30);
        for (input, is_expected) in cases {
            let err = refused(input);
            assert!(is_expected(&err), "{input:?} gave {err:?}");
            let message = err.to_string();
            assert!(!message.ends_with('.'), "{message}");
            assert!(message.starts_with(|c: char| c.is_lowercase()), "{message}");
        }
    }

    #[test]
    fn allow_local_lifts_address_checks_but_not_shape_checks() {
        let policy = UrlPolicy::allow_local();
        assert!(policy.check("http://127.0.0.1:3000/apply").is_ok());
        assert!(policy.check("http://localhost/apply").is_ok());
        assert_eq!(
            policy.check("ftp://127.0.0.1/"),
            Err(UrlError::UnsupportedScheme {
                scheme: "ftp".into()
            })
        );
        assert_eq!(
            policy.check("http://u:p@127.0.0.1/"),
            Err(UrlError::Credentials)
        );
    }

    #[test]
    fn allow_list_names_single_hosts() {
        let policy = UrlPolicy {
            allow_private_targets: false,
            allowed_hosts: vec!["127.0.0.1".into(), "mock.localhost".into()],
        };
        assert!(policy.check("http://127.0.0.1:9/").is_ok());
        assert!(policy.check("http://MOCK.localhost/").is_ok());
        assert!(policy.check("http://10.0.0.1/").is_err());
        assert!(policy.check("http://localhost/").is_err());
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused() {
        let policy = UrlPolicy {
            allow_private_targets: false,
            // A name that resolves without DNS: /etc/hosts maps it to loopback.
            allowed_hosts: Vec::new(),
        };
        // `localhost` is refused by name already; resolution is checked with a name that
        // only the resolver knows is loopback.
        let url = Url::parse("http://ip6-localhost/").expect("valid url");
        match policy.check_resolved(&url).await {
            Err(UrlError::ResolvesToForbidden { what, .. }) => assert!(what.contains("loopback")),
            // Machines without that /etc/hosts entry cannot resolve it: still refused.
            Err(UrlError::Unresolvable { .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
        let ip_literal = Url::parse("http://8.8.8.8/").expect("valid url");
        assert_eq!(policy.check_resolved(&ip_literal).await, Ok(()));
    }
}
