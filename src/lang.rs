//! The language of the extracted text, for pages whose markup declares none
//! or declares one the text plainly is not in.
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
/// Below this many words the text does not overrule the markup.
const OVERRULE_MIN_WORDS: usize = 50;
/// ... nor below this confidence.
const OVERRULE_CONFIDENCE: f64 = 0.9;

/// The language the text reads as: its two-letter code, and whether the
/// answer is strong enough to overrule a declared language.
pub fn of_text<'a>(texts: impl Iterator<Item = &'a str>) -> Option<(String, bool)> {
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
    let strong = info.is_reliable()
        && info.confidence() >= OVERRULE_CONFIDENCE
        && sample.split_whitespace().count() >= OVERRULE_MIN_WORDS;
    Some((code.to_owned(), strong))
}

/// The page's language and its source: the declared one; the text's when
/// none is declared. (A confident text in another language does not overrule
/// the markup yet: on placeholder-Latin pages it would say `la` where the
/// page is English; `strong` is kept for when it does.)
pub fn decide(
    declared: Option<&str>,
    text: Option<(String, bool)>,
) -> Option<(String, &'static str)> {
    match (declared, text) {
        (Some(d), _) => Some((d.to_owned(), MARKUP)),
        (None, Some((t, _))) => Some((t, TEXT)),
        (None, None) => None,
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
    fn text_language_fills_in_and_overrules() {
        let en = of_text([EN].into_iter());
        assert_eq!(en, Some(("en".into(), true)));
        let de = of_text([DE].into_iter());
        assert_eq!(de.as_ref().map(|d| d.0.as_str()), Some("de"));
        // Declared and right: the markup's.
        assert_eq!(decide(Some("en"), en.clone()), Some(("en".into(), MARKUP)));
        // Declared: the markup's, even where the text reads otherwise.
        assert_eq!(decide(Some("en"), de.clone()), Some(("en".into(), MARKUP)));
        // Not declared.
        assert_eq!(decide(None, de), Some(("de".into(), TEXT)));
        // A short text does not overrule the markup, but fills a gap.
        let short = of_text(["Die Mauer ist wieder heil."].into_iter());
        assert!(short.as_ref().is_none_or(|s| !s.1), "{short:?}");
        assert_eq!(decide(Some("en"), short).map(|d| d.1), Some(MARKUP));
        assert_eq!(decide(None, None), None);
    }
}
