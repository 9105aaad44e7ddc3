//! Which site a link leads to: the page's own (its host or a subdomain) or
//! another one, for telling a list article's items from teasers.

use super::Walk;

impl Walk<'_> {
    /// Whether `<a>` links to another site than the page's own (unknown: no).
    pub(super) fn is_offsite(&self, e: &scraper::node::Element) -> bool {
        let Some(site) = &self.site else {
            return false;
        };
        e.attr("href")
            .and_then(|h| crate::extract::meta::host(h.trim()))
            .is_some_and(|h| !in_site(h, site))
    }
}

/// Whether `host` belongs to `site` (as [`site_of`] gives it): the site
/// itself or a subdomain of it, case aside. No allocation: it runs for every
/// link the walk opens and closes.
fn in_site(host: &str, site: &str) -> bool {
    let host = host.trim_end_matches('.');
    let Some(cut) = host.len().checked_sub(site.len()) else {
        return false;
    };
    host.is_char_boundary(cut)
        && host[cut..].eq_ignore_ascii_case(site)
        && (cut == 0 || host[..cut].ends_with('.'))
}

/// A host's site: its last two labels, or three under a short second-level
/// label of a country (`shop.example.co.uk` -> `example.co.uk`), lowercase,
/// so `blog.example.com` and `www.example.com` are one site.
pub(in crate::extract) fn site_of(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && labels[n - 2].len() <= 3 {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..].join(".")
}

#[cfg(test)]
mod tests {
    use super::site_of;

    #[test]
    fn sites_fold_subdomains() {
        assert_eq!(site_of("www.Example.com"), "example.com");
        assert_eq!(site_of("blog.example.com"), "example.com");
        assert_eq!(site_of("shop.example.co.uk"), "example.co.uk");
        assert_eq!(site_of("example.com."), "example.com");
        assert_eq!(site_of("localhost"), "localhost");
        assert_ne!(site_of("trustpilot.com"), site_of("legalzoom.com"));
        assert!(super::in_site("Blog.Example.com", "example.com"));
        assert!(super::in_site("example.com.", "example.com"));
        assert!(!super::in_site("notexample.com", "example.com"));
        assert!(!super::in_site("com", "example.com"));
    }
}
