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

/// The metadata a truth line gives, and what pith found, field by field
/// (in the order of [`FIELDS`]).
pub type MetaPair = [(Option<String>, Option<String>); 5];

/// The metadata fields, in the order of a [`MetaPair`].
pub const FIELDS: [&str; 5] = ["title", "author", "lang", "published", "site"];

/// Whitespace collapsed, lowercased.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A title and the forms it takes without a site's name before or after it
/// (`Story | Site`, `Site - Story`, …): the whole, and each side of the
/// first and of the last separator.
fn title_forms(title: &str) -> Vec<String> {
    const SEPARATORS: [&str; 8] = [" | ", " - ", " – ", " — ", " · ", " :: ", " » ", " : "];
    let mut out = vec![title.to_owned()];
    for sep in SEPARATORS {
        for (l, r) in [title.split_once(sep), title.rsplit_once(sep)]
            .into_iter()
            .flatten()
        {
            out.extend([l.trim().to_owned(), r.trim().to_owned()]);
        }
    }
    out.retain(|t| !t.is_empty());
    out
}

/// The people of a byline, as a set: a leading "by" dropped, split at
/// commas, semicolons, "and", "&" and "|".
fn people(byline: &str) -> std::collections::BTreeSet<String> {
    let b = fold(byline);
    let b = b.strip_prefix("by ").unwrap_or(&b);
    b.replace(" and ", ",")
        .split([',', ';', '&', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The `YYYY-MM-DD` a date string starts with, if it starts with one.
fn day(s: &str) -> Option<&str> {
    let d = s.trim().get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)).then_some(d)
}

/// Whether pith's value for a metadata field matches the truth's (see
/// [`Score`]): compared without regard to case and whitespace; a title also
/// without a site's name before or after it; an author as a set of people
/// (or contained in the truth's byline, which reader modes keep whole: "By
/// Ann Lee March 25, 2015"); a language by its primary subtag; a date by its
/// `YYYY-MM-DD`.
fn meta_matches(field: &str, truth: &str, got: Option<&str>) -> bool {
    let Some(got) = got.map(fold).filter(|g| !g.is_empty()) else {
        return false;
    };
    let truth = fold(truth);
    match field {
        "title" => title_forms(&got).contains(&truth) || title_forms(&truth).contains(&got),
        "author" => {
            let (t, g) = (people(&truth), people(&got));
            t == g || (g.len() == 1 && truth.contains(&got))
        }
        "lang" => {
            let primary = |s: &str| s.split(['-', '_']).next().unwrap_or("").to_owned();
            primary(&truth) == primary(&got)
        }
        "published" => day(&truth).is_some_and(|t| day(&got) == Some(t)),
        _ => truth == got,
    }
}

/// One metadata field's figures over a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldCount {
    /// The field's name (one of [`FIELDS`]).
    pub field: &'static str,
    /// Pages whose truth has a value.
    pub with_truth: usize,
    /// Of those, pages where pith's value matches.
    pub right: usize,
    /// Pages whose truth has none.
    pub without_truth: usize,
    /// Of those, pages where pith gives one anyway (a false value).
    pub given: usize,
}

/// Whether a truth value is there at all.
fn has(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|t| !t.trim().is_empty())
}

/// Whether pith's value for a field of one page is wrong: it does not match
/// the truth's, or it is given where the truth has none.
pub fn meta_wrong(field: usize, pair: &MetaPair) -> bool {
    let (truth, got) = &pair[field];
    match truth.as_deref().filter(|_| has(truth)) {
        Some(t) => !meta_matches(FIELDS[field], t, got.as_deref()),
        None => has(got),
    }
}

/// The figures of each field the set's truth has a value for on some page.
pub fn field_counts(pairs: &[MetaPair]) -> Vec<FieldCount> {
    FIELDS
        .iter()
        .enumerate()
        .map(|(i, &field)| {
            let mut c = FieldCount {
                field,
                with_truth: 0,
                right: 0,
                without_truth: 0,
                given: 0,
            };
            for pair in pairs {
                let (truth, got) = &pair[i];
                if has(truth) {
                    c.with_truth += 1;
                    c.right += usize::from(!meta_wrong(i, pair));
                } else {
                    c.without_truth += 1;
                    c.given += usize::from(has(got));
                }
            }
            c
        })
        .filter(|c| c.with_truth > 0)
        .collect()
}

/// Fills `score`'s metadata figures from the pages' pairs.
pub(super) fn score_metadata(score: &mut Score, pairs: &[MetaPair]) {
    for c in field_counts(pairs) {
        let share = |n: usize, of: usize| (of > 0).then(|| n as f64 / of as f64);
        for (field, slot) in score.metadata_mut() {
            if field == c.field {
                *slot = share(c.right, c.with_truth);
            }
        }
        if let Some(v) = share(c.given, c.without_truth) {
            score.false_values.insert(c.field.to_owned(), v);
        }
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
        assert!(!meta_matches(
            "published",
            "April 5, 2018",
            Some("2018-04-05")
        ));
        // Case, and a site's name before or after the title.
        assert!(meta_matches(
            "title",
            "A Wall Mended",
            Some("A wall mended | Harbour News")
        ));
        assert!(meta_matches(
            "title",
            "A wall mended",
            Some("Harbour News - A Wall Mended")
        ));
        assert!(meta_matches(
            "title",
            "A wall mended - Harbour News",
            Some("A wall mended")
        ));
        assert!(!meta_matches(
            "title",
            "A wall mended",
            Some("Harbour News")
        ));
        assert!(!meta_matches(
            "title",
            "A wall | Mended",
            Some("A wall | Broken")
        ));
        // Authors as sets.
        assert!(meta_matches(
            "author",
            "Ann Lee and Bo Chan",
            Some("Bo Chan, Ann Lee")
        ));
        assert!(!meta_matches(
            "author",
            "Ann Lee, Bo Chan",
            Some("Ann Lee, Cy Dee")
        ));
        let mut score = Score::default();
        let pair = |t: &str, g: &str| -> MetaPair {
            std::array::from_fn(|i| {
                (
                    (i == 0).then(|| t.to_owned()),
                    (i == 0).then(|| g.to_owned()),
                )
            })
        };
        let no_title = |g: Option<&str>| -> MetaPair {
            let mut p = pair("", "");
            p[0] = (None, g.map(str::to_owned));
            p
        };
        let pages = [
            pair("A", "A"),
            pair("B", "C"),
            no_title(Some("D")),
            no_title(None),
            no_title(None),
            no_title(None),
        ];
        score_metadata(&mut score, &pages);
        assert_eq!(score.title, Some(0.5));
        assert_eq!(score.author, None);
        // One of the four pages without a title got one.
        assert_eq!(score.false_values, [("title".to_owned(), 0.25)].into());
        assert!(meta_wrong(0, &pages[2]) && !meta_wrong(0, &pages[3]));
    }
}
