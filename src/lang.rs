//! The language of a page whose markup declares none: its HTTP
//! `Content-Language` header's, else the one its extracted text reads as.
//!
//! whatlang (MIT, pure Rust, no model files: trigram profiles of 69
//! languages compiled in) names the language; isolang turns its ISO 639-3
//! code into the two-letter code pith's `lang` has always carried.

/// Where a page's `lang` came from.
pub const MARKUP: &str = "markup";
/// From the HTTP `Content-Language` header.
pub const HEADER: &str = "header";
/// From the extracted text.
pub const TEXT: &str = "text";

/// The primary language of a `Content-Language` header (`de-AT, en` ->
/// `de`): the first tag's first subtag, when it is two or three letters.
pub fn of_header(value: &str) -> Option<String> {
    let first = value.split(',').next()?.trim();
    let primary = first.split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase()))
        .then_some(primary)
}

/// At most this much text is read: enough for a confident answer.
const SAMPLE_CHARS: usize = 4000;

/// The language the text reads as, as a two-letter code.
pub fn of_text<'a>(texts: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut sample = String::new();
    for t in texts {
        if sample.len() >= SAMPLE_CHARS {
            break;
        }
        sample.push_str(t);
        sample.push('\n');
    }
    let mut cut = sample.len().min(SAMPLE_CHARS);
    while !sample.is_char_boundary(cut) {
        cut -= 1;
    }
    sample.truncate(cut);
    let info = whatlang::detect(&sample)?;
    let code = isolang::Language::from_639_3(info.lang().code())?.to_639_1()?;
    Some(code.to_owned())
}

/// The page's language and its source: the one its markup declares stands;
/// else its `Content-Language` header's; else the text's, which is read
/// only then. (A text that reads as another language does not overrule the
/// markup: on placeholder-Latin pages it would say `la` where the page is
/// English.)
pub fn decide(
    declared: Option<&str>,
    header: Option<&str>,
    texts: impl FnOnce() -> Option<String>,
) -> Option<(String, &'static str)> {
    if let Some(d) = declared {
        return Some((d.to_owned(), MARKUP));
    }
    if let Some(h) = header.and_then(of_header) {
        return Some((h, HEADER));
    }
    texts().map(|t| (t, TEXT))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "The harbour wall was repaired this week after the winter storms had \
        damaged it badly, and the town council said the work cost far less than it had feared \
        when the first estimates came in from the engineers in the autumn. Residents who had \
        campaigned for the repair for years welcomed the news at a meeting on Tuesday evening, \
        and the harbour master thanked the crews who worked through the cold nights.";
    const DE: &str = "Die Hafenmauer wurde in dieser Woche repariert, nachdem die Winterstürme \
        sie schwer beschädigt hatten, und der Gemeinderat sagte, die Arbeiten hätten weit weniger \
        gekostet als befürchtet, als die ersten Schätzungen der Ingenieure im Herbst eintrafen. \
        Die Anwohner, die sich jahrelang für die Reparatur eingesetzt hatten, begrüßten die \
        Nachricht bei einer Versammlung am Dienstagabend.";

    #[test]
    fn text_language_fills_in_and_never_overrules() {
        let en = of_text([EN].into_iter());
        assert_eq!(en.as_deref(), Some("en"));
        let de = of_text([DE].into_iter());
        assert_eq!(de.as_deref(), Some("de"));
        // Declared: the markup's, even where the text reads otherwise, and
        // the text is not read at all.
        let unread = || -> Option<String> { panic!("the text was read") };
        assert_eq!(
            decide(Some("en"), Some("fr"), unread),
            Some(("en".into(), MARKUP))
        );
        // Not declared: the header's, else the text's.
        assert_eq!(
            decide(None, Some("de-AT, en"), unread),
            Some(("de".into(), HEADER))
        );
        assert_eq!(
            decide(None, Some("*"), || de.clone()),
            Some(("de".into(), TEXT))
        );
        assert_eq!(decide(None, None, || de), Some(("de".into(), TEXT)));
        assert_eq!(decide(None, None, || None), None);
        assert_eq!(of_header(" EN-gb"), Some("en".into()));
        assert_eq!(of_header(""), None);
    }
}
