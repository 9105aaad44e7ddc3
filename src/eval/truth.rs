//! Truth lines: reading `truth.jsonl`, and scoring the metadata pith found
//! against the truth's, field by field.

use serde::Deserialize;

use super::Score;
use crate::error::Error;

#[derive(Deserialize)]
struct TruthLine {
    id: serde_json::Value,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default, alias = "author")]
    byline: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default, rename = "publishedTime", alias = "published")]
    published_time: Option<String>,
    #[serde(default, rename = "siteName", alias = "site")]
    site_name: Option<String>,
    #[serde(default)]
    page_type: Option<String>,
    #[serde(default)]
    with: Option<Vec<String>>,
    #[serde(default)]
    without: Option<Vec<String>>,
}

/// A truth line's `id` as text: a string as it is, a number as written.
pub(super) fn id_text(id: serde_json::Value) -> String {
    match id {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// One truth line, as `run_set` keeps it.
pub(super) struct Truth {
    pub(super) id: String,
    pub(super) url: Option<String>,
    pub(super) text: String,
    pub(super) meta: [Option<String>; 5],
    pub(super) page_type: Option<String>,
    pub(super) with: Vec<String>,
    pub(super) without: Vec<String>,
}

impl Truth {
    pub(super) fn from_line(line: &str) -> Result<Self, Error> {
        let t: TruthLine = serde_json::from_str(line)?;
        Ok(Truth {
            id: id_text(t.id),
            url: t.url,
            text: t.text,
            meta: [t.title, t.byline, t.lang, t.published_time, t.site_name],
            page_type: t.page_type,
            with: t.with.unwrap_or_default(),
            without: t.without.unwrap_or_default(),
        })
    }

    /// Whether this line is WCXB's kind (it names a page type or snippets).
    pub(super) fn is_word_bag(&self) -> bool {
        self.page_type.is_some() || !self.with.is_empty() || !self.without.is_empty()
    }
}

/// The metadata a truth line gives, and what pith found, field by field.
pub(super) type MetaPair = [(Option<String>, Option<String>); 5];

/// Whether pith's value for a metadata field matches the truth's (see [`Score`]).
fn meta_matches(field: &str, truth: &str, got: Option<&str>) -> bool {
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(got) = got.map(collapse).filter(|g| !g.is_empty()) else {
        return false;
    };
    let truth = collapse(truth);
    match field {
        "author" => {
            let person = |s: &str| {
                let l = s.to_lowercase();
                l.strip_prefix("by ").map(str::to_owned).unwrap_or(l)
            };
            let (t, g) = (person(&truth), person(&got));
            t == g || t.contains(&g)
        }
        "lang" => {
            let primary = |s: &str| s.split(['-', '_']).next().unwrap_or("").to_lowercase();
            primary(&truth) == primary(&got)
        }
        "published" => truth.get(..10).unwrap_or(&truth) == got,
        _ => truth == got,
    }
}

/// Fills `score`'s metadata figures from the pages' pairs.
pub(super) fn score_metadata(score: &mut Score, pairs: &[MetaPair]) {
    for (i, (field, slot)) in score.metadata_mut().into_iter().enumerate() {
        let mut have = 0usize;
        let mut right = 0usize;
        for pair in pairs {
            let (truth, got) = &pair[i];
            if let Some(t) = truth.as_deref().filter(|t| !t.trim().is_empty()) {
                have += 1;
                right += usize::from(meta_matches(field, t, got.as_deref()));
            }
        }
        *slot = (have > 0).then(|| right as f64 / have as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_matching_rules() {
        assert!(meta_matches("title", "A  title", Some("A title")));
        assert!(!meta_matches("title", "A title", None));
        assert!(meta_matches("author", "By Ann Lee", Some("Ann Lee")));
        assert!(meta_matches(
            "author",
            "By Ann Lee March 25, 2015",
            Some("ann lee")
        ));
        assert!(!meta_matches("author", "Ann Lee", Some("Ann Lee, Bo Chan")));
        assert!(meta_matches("lang", "en-US", Some("en")));
        assert!(meta_matches(
            "published",
            "2018-04-05T06:00",
            Some("2018-04-05")
        ));
        assert!(!meta_matches("published", "2018-04-05", Some("2018-04-06")));
        let mut score = Score::default();
        let pair = |t: &str, g: &str| -> MetaPair {
            std::array::from_fn(|i| {
                (
                    (i == 0).then(|| t.to_owned()),
                    (i == 0).then(|| g.to_owned()),
                )
            })
        };
        score_metadata(&mut score, &[pair("A", "A"), pair("B", "C")]);
        assert_eq!(score.title, Some(0.5));
        assert_eq!(score.author, None);
    }
}
