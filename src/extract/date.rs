//! Dates as pages write them (ISO 8601 in full or basic form, English month
//! names, a date in the URL's path), normalised to `YYYY-MM-DD`.

use regex::Regex;

/// The date patterns, compiled once per pipeline.
#[derive(Debug, Clone)]
pub(crate) struct DatePatterns {
    iso: Regex,
    /// ISO 8601's basic form, `20180619T055000+0900`.
    basic: Regex,
    word: Regex,
    url: Regex,
}

impl DatePatterns {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        Ok(DatePatterns {
            iso: Regex::new(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")?,
            basic: Regex::new(r"^\s*(\d{4})(\d{2})(\d{2})(?:T\d|\s*$)")?,
            word: Regex::new(
                r"(?i)\b(?:(\d{1,2})(?:st|nd|rd|th)?\.?\s+([a-z]{3,9})\.?,?\s+(\d{4})|([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b",
            )?,
            url: Regex::new(
                r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|$)",
            )?,
        })
    }

    /// Where the first date written with a month name ("March 25, 2015",
    /// "19 September 2023") starts in `s`.
    pub(crate) fn word_date_start(&self, s: &str) -> Option<usize> {
        self.word.find(s).map(|m| m.start())
    }
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Normalises a date written in common machine or English forms to `YYYY-MM-DD`.
pub(crate) fn date(p: &DatePatterns, s: &str) -> Option<String> {
    let ymd = |y: &str, m: u32, d: &str| -> Option<String> {
        let y: u32 = y.parse().ok()?;
        let d: u32 = d.parse().ok()?;
        ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
            .then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    if let Some(c) = p.iso.captures(s).or_else(|| p.basic.captures(s)) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    let c = p.word.captures(s)?;
    let month = |name: &str| {
        let n = name.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| n.starts_with(m))
            .map(|i| i as u32 + 1)
    };
    if let (Some(d), Some(mo), Some(y)) = (c.get(1), c.get(2), c.get(3)) {
        return ymd(y.as_str(), month(mo.as_str())?, d.as_str());
    }
    if let (Some(mo), Some(d), Some(y)) = (c.get(4), c.get(5), c.get(6)) {
        return ymd(y.as_str(), month(mo.as_str())?, d.as_str());
    }
    None
}

pub(super) fn date_in_url(p: &DatePatterns, url: &str) -> Option<String> {
    let c = p.url.captures(url)?;
    Some(format!("{}-{}-{}", &c[1], &c[2], &c[3]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_many_forms() {
        let p = DatePatterns::new().unwrap();
        let date = |s| date(&p, s);
        assert_eq!(
            date("2024-01-13T07:39:00+09:00").as_deref(),
            Some("2024-01-13")
        );
        assert_eq!(date("2024/1/3").as_deref(), Some("2024-01-03"));
        assert_eq!(
            date("15:15 JST, January 13, 2024").as_deref(),
            Some("2024-01-13")
        );
        assert_eq!(date("19 September 2023").as_deref(), Some("2023-09-19"));
        assert_eq!(date("Sept. 9th, 2023").as_deref(), Some("2023-09-09"));
        assert_eq!(date("20180619T055000+0900").as_deref(), Some("2018-06-19"));
        assert_eq!(date("20180619").as_deref(), Some("2018-06-19"));
        assert_eq!(date("1529283660000"), None);
        assert_eq!(
            date("Saturday, December 27, 2014, 12:06 PM").as_deref(),
            Some("2014-12-27")
        );
        assert_eq!(date("yesterday"), None);
        assert_eq!(date("2024-13-40"), None);
    }

    #[test]
    fn url_dates() {
        let p = DatePatterns::new().unwrap();
        let date_in_url = |s| date_in_url(&p, s);
        assert_eq!(
            date_in_url("https://x.com/2023/09/19/slug/").as_deref(),
            Some("2023-09-19")
        );
        assert_eq!(
            date_in_url("https://x.com/20240113-161874/"),
            Some("2024-01-13".into())
        );
        assert_eq!(
            date_in_url("http://www.news.cn/fortune/2023-11/17/c_1129981476.htm").as_deref(),
            Some("2023-11-17")
        );
    }
}
