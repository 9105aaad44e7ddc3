//! The evaluation set: the clean texts of the bench ([`clean_corpora`]),
//! their normal form ([`normalise`], the reference) and the corrupted
//! [`Case`]s made from them ([`corpus`], with the generators of `corrupt`).

use std::path::Path;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::corrupt::{broken_runs, c1_leftovers, is_english, misread, rng_for, typos};
use super::{Case, Kind};
use crate::error::Error;
use crate::repair::{self, Options, Repairer};

/// A named corpus of clean texts, `(set/id, text)` each.
pub type Corpus = (String, Vec<(String, String)>);

/// The clean texts under `root`, as corpora reported apart: every `text` of
/// `*/truth.jsonl`, as `(set/id, text)`, in a stable order (sets by name,
/// lines in file order). A WCXB-style set (its truth lines name a
/// `page_type`) is a corpus of its own, named as the set; the other sets
/// (the news sets this evaluation was built on) form one corpus, named by
/// their set names joined with `+`.
pub fn clean_corpora(root: &Path) -> Result<Vec<Corpus>, Error> {
    #[derive(Deserialize)]
    struct Line {
        id: serde_json::Value,
        #[serde(default)]
        text: String,
        #[serde(default)]
        page_type: Option<String>,
    }
    let mut sets = Vec::new();
    for entry in std::fs::read_dir(root).map_err(|e| Error::io(root, e))? {
        let p = entry.map_err(|e| Error::io(root, e))?.path();
        if p.join("truth.jsonl").is_file() {
            sets.push(p);
        }
    }
    sets.sort();
    let mut news: (Vec<String>, Vec<(String, String)>) = Default::default();
    let mut own = Vec::new();
    for dir in sets {
        let path = dir.join("truth.jsonl");
        let set = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let raw = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let mut texts = Vec::new();
        let mut typed = false;
        for line in raw.lines().filter(|l| !l.trim().is_empty()) {
            let t: Line = serde_json::from_str(line)?;
            let id = crate::eval::id_text(t.id);
            typed |= t.page_type.is_some();
            texts.push((format!("{set}/{id}"), t.text));
        }
        if typed {
            own.push((set, texts));
        } else {
            news.0.push(set);
            news.1.extend(texts);
        }
    }
    let mut out = Vec::new();
    if !news.1.is_empty() {
        out.push((news.0.join("+"), news.1));
    }
    out.extend(own);
    Ok(out)
}

/// The normal form the repair stage gives any text, whatever else it does:
/// HTML character references left in the text decoded (`400&percnt;` →
/// `400%`), one non-empty line per paragraph, invisible characters (soft
/// hyphen, zero-width space, word joiner, BOM, C0 controls) removed, NFC,
/// runs of spaces, tabs and no-break spaces collapsed to one space, lines
/// trimmed.
pub fn normalise(text: &str) -> String {
    let text = repair::decode_references(text);
    let mut lines = Vec::new();
    for line in text.split(['\n', '\r']) {
        let visible: String = line
            .chars()
            .filter(|&c| {
                !(matches!(c, '\u{AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
                    || (c.is_control() && c != '\t'))
            })
            .nfc()
            .collect();
        let words: Vec<&str> = visible
            .split([' ', '\t', '\u{B}', '\u{C}', '\u{A0}'])
            .filter(|w| !w.is_empty())
            .collect();
        if !words.is_empty() {
            lines.push(words.join(" "));
        }
    }
    lines.join("\n")
}

/// The whole corrupted set: one case per clean text and kind, except where
/// the corruption changes nothing (an ASCII text misread; a non-English text,
/// or one without a chosen word, for typos).
pub fn corpus(texts: &[(String, String)], seed: u64) -> Vec<Case> {
    let r = Repairer::new(&Options::default());
    let mut out = Vec::new();
    for (id, raw) in texts {
        let reference = normalise(raw);
        let english = is_english(&reference, &r);
        for kind in Kind::ALL {
            let mut rng = rng_for(seed, id, kind);
            let input = match kind {
                Kind::Clean => raw.clone(),
                Kind::MojibakeCp1252 => misread(&reference, true),
                Kind::MojibakeLatin1 => misread(&reference, false),
                Kind::MojibakeDouble => misread(&misread(&reference, true), true),
                Kind::MojibakeRuns => broken_runs(&reference, &mut rng),
                Kind::C1Controls => c1_leftovers(&reference),
                _ if english => typos(&reference, kind, &mut rng, &r),
                _ => continue,
            };
            if kind != Kind::Clean && input == reference {
                continue;
            }
            out.push(Case {
                id: id.clone(),
                kind,
                input,
                reference: reference.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::repair::DEFAULT_SEED;

    #[test]
    fn generator_is_deterministic_and_corrupts() {
        let texts = vec![(
            "t/1".to_owned(),
            "It’s a café — “quoted” text about the government and its ministers, \
             which reiterated the importance of continuous cooperation between countries."
                .to_owned(),
        )];
        let a = corpus(&texts, DEFAULT_SEED);
        let b = corpus(&texts, DEFAULT_SEED);
        assert_eq!(a, b);
        let get = |k: Kind| a.iter().find(|c| c.kind == k).map(|c| c.input.as_str());
        assert_eq!(
            get(Kind::MojibakeCp1252).unwrap_or_default(),
            "Itâ€™s a cafÃ© â€” â€œquotedâ€\u{9d} text about the government and its ministers, which reiterated the importance of continuous cooperation between countries."
        );
        assert!(get(Kind::MojibakeLatin1)
            .unwrap_or_default()
            .contains("â\u{80}\u{99}"));
        assert!(get(Kind::C1Controls)
            .unwrap_or_default()
            .starts_with("It\u{92}s"));
        assert!(get(Kind::MojibakeDouble)
            .unwrap_or_default()
            .contains("Ã¢â‚¬â„¢"));
    }

    #[test]
    fn normal_form() {
        assert_eq!(
            normalise(" a\u{A0} b\n\n c\u{AD}d e\u{301} \n"),
            "a b\ncd é"
        );
        assert_eq!(
            normalise("up 400&percnt; &amp;c &nope;"),
            "up 400% &c &nope;"
        );
    }
}
