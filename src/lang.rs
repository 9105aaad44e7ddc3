//! The language of the extracted text, for pages whose markup declares none.
//!
//! whatlang (MIT, pure Rust, no model files: trigram profiles of 69
//! languages compiled in) names the language; isolang turns its ISO 639-3
//! code into the two-letter code pith's `lang` has always carried.

/// Where a page's `lang` came from.
pub const MARKUP: &str = "markup";
/// From the extracted text.
pub const TEXT: &str = "text";

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

/// The page's language and its source: the declared one stands; the text's
/// fills in when none is declared. The text is read only then. (A text that
/// reads as another language does not overrule the markup: on
/// placeholder-Latin pages it would say `la` where the page is English.)
pub fn decide(
    declared: Option<&str>,
    texts: impl FnOnce() -> Option<String>,
) -> Option<(String, &'static str)> {
    match declared {
        Some(d) => Some((d.to_owned(), MARKUP)),
        None => texts().map(|t| (t, TEXT)),
    }
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
        assert_eq!(decide(Some("en"), unread), Some(("en".into(), MARKUP)));
        // Not declared: the text's.
        assert_eq!(decide(None, || de), Some(("de".into(), TEXT)));
        assert_eq!(decide(None, || None), None);
    }
}
