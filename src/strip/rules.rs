//! The `[strip]` table ([`Rules`]), its defaults, and [`Compiled`]: the rules
//! with every pattern compiled, and the line predicates [`super::boilerplate`]
//! asks them.

use std::fmt;

use regex::Regex;
use serde::Deserialize;

use super::{
    any, char_len, count, ends_with, Closing, ADVERT, BYLINE, COMMENTS, COPYRIGHT, COUNTER, DATE,
    FULL_STOP, LOGIN, NAVIGATION, PAGER, POPULAR, RELATED, SENTENCE_END, SHARE, SOURCE, SUBSCRIBE,
    TAGS,
};
use crate::page::{Block, BlockKind};

/// The `[strip]` table: thresholds and patterns (Rust `regex` syntax) as data.
///
/// [`Default`] gives the shipped rules, identical to the `[strip]` table of
/// `pipelines/default.toml`. Lengths are counted in
/// characters, densities are shares of a block's characters inside links.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Longest label line (advert, share, navigation, byline, date, back-to, section heading).
    pub label_max_chars: usize,
    /// Longest block that can be a caption or credit.
    pub caption_max_chars: usize,
    /// Longest item of a related/popular list, and longest inline "Read more: …" line.
    pub list_item_max_chars: usize,
    /// Plain text: longest unpunctuated line above the first paragraph that is dropped.
    pub lead_line_max_chars: usize,
    /// Plain text: more unpunctuated lines than this above the first paragraph are kept.
    pub max_lead_lines: usize,
    /// Similarity (0–1) to the title at which a block is the headline.
    pub title_similarity: f32,
    /// Link density at which a block is link-only.
    pub link_heavy_density: f32,
    /// Link density at which a block counts as an item of a link list.
    pub link_item_density: f32,
    /// Link-only blocks longer than this are kept.
    pub link_block_max_chars: usize,
    /// Consecutive link items that make a link list.
    pub min_link_run: usize,
    /// A run of link-heavy list items followed by running text, each item a
    /// sentence of at least this many words (not a Title Case headline), is a
    /// list of link-led sentences inside the text and stays (0 = off).
    pub link_sentence_min_words: usize,
    /// Field labels glued in front of a block; the match is cut off.
    pub date_label: Vec<String>,
    /// Date and time expressions.
    pub date: Vec<String>,
    /// Words allowed around a date on a date line.
    pub date_filler: Vec<String>,
    /// Strong caption/credit forms (one suffices).
    pub caption: Vec<String>,
    /// Weak caption hints (two suffice, or one above the first paragraph).
    pub caption_hint: Vec<String>,
    /// Related-section lead-ins, matched at the start of a line.
    pub related: Vec<String>,
    /// Popular/ranking section words.
    pub popular: Vec<String>,
    /// Advertising and promotion labels.
    pub advert: Vec<String>,
    /// Share-bar lines.
    pub share: Vec<String>,
    /// Byline forms.
    pub byline: Vec<String>,
    /// "Back to …" prefixes; the rest of the line names a section.
    pub back_to: Vec<String>,
    /// Breadcrumbs and skip links.
    pub navigation: Vec<String>,
    /// Longest furniture line (the classes below); such a line goes only at an
    /// edge of the body, above its first paragraph or below its last.
    pub furniture_max_chars: usize,
    /// Furniture: counters (reading time, views, comment counts); the whole
    /// line must be counters, dates and bylines between separators.
    pub counter: Vec<String>,
    /// Furniture: newsletter and subscription prompts.
    pub subscribe: Vec<String>,
    /// Furniture: source and reposting notes.
    pub source: Vec<String>,
    /// Furniture: copyright and reproduction notices.
    pub copyright: Vec<String>,
    /// Furniture: tag lists.
    pub tags: Vec<String>,
    /// Furniture: previous/next and back-to-top links.
    pub pager: Vec<String>,
    /// Furniture: comment prompts and notices.
    pub comments: Vec<String>,
    /// Furniture: log-in prompts.
    pub login: Vec<String>,
    /// Most blocks after a `bio` label for the label and them to go.
    pub bio_max_blocks: usize,
    /// Labels of a closing box about the author, reviewer or site.
    pub bio: Vec<String>,
}

impl Default for Rules {
    /// The shipped rules; identical to the `[strip]` table of `pipelines/default.toml` (checked by a test).
    fn default() -> Self {
        Rules {
            // Longest "label" line: advert, share, navigation, byline, date/time, back-to and
            // section-heading lines. Real labels seen are <= 50 chars; 80 leaves room for
            // "Updated: Friday, January 12, 2024 at 3:15 p.m. EST" and long bylines.
            label_max_chars: 80,
            // Longest caption or credit line. Seed captions are ~210 chars; body paragraphs
            // that merely mention a photo are usually longer and carry no credit form.
            caption_max_chars: 300,
            // Longest item in a related/popular list (a headline). Seed headlines reach 125.
            list_item_max_chars: 200,
            // Plain text only: longest unpunctuated line above the first paragraph that is
            // taken for a headline, kicker, section name or caption. Seed headline: 117.
            lead_line_max_chars: 200,
            // Most unpunctuated lead lines removed; more than this is content (a poem, a list).
            max_lead_lines: 6,
            // A block at least this similar to the page title is the headline (0 = any, 1 = exact).
            title_similarity: 0.8,
            // HTML only: a block whose link density reaches this is link-only (a "Read more" line).
            link_heavy_density: 0.7,
            // HTML only: a block whose link density reaches this counts as a link-list item.
            link_item_density: 0.5,
            // HTML only: link-heavy blocks longer than this are kept (a real linked paragraph).
            link_block_max_chars: 300,
            // HTML only: this many consecutive link-list items make a link list.
            min_link_run: 2,
            // HTML only: link-heavy list items of at least this many words, between a
            // plain block and running text, are sentences of the text (a changelog's
            // "Bug 4411 – Sync stalls when …"); 0 turns this off.
            link_sentence_min_words: 6,
            // A field label glued in front of a block by the old scraper ("date 2024-01-12 ...");
            // the matched prefix is cut off, and the block is dropped if nothing else remains.
            date_label: vec![
                r#"(?i)^(?:date|published|updated|posted)\s*[:：]?\s*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?:\s+|$)"#.to_string(),
            ],
            // Date and time expressions. A short line that is nothing but these plus `date_filler`
            // words is a date/time-stamp line ("15:15 JST, January 13, 2024", "Updated 3 hours ago").
            date: vec![
                r#"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"#.to_string(),
                r#"\b\d{1,4}[./]\d{1,2}[./]\d{1,4}\b"#.to_string(),
                r#"(?i)\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?"#.to_string(),
                r#"(?i)\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4}\b)?"#.to_string(),
                r#"(?i)\b\d{1,2}(?:st|nd|rd|th|\.)?\s+(?:de\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\.?(?:,?\s+(?:de\s+)?\d{4}\b)?"#.to_string(),
                r#"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*時\s*\d{1,2}\s*分"#.to_string(),
                r#"(?i)\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\b|\bvor\s+\d+\s+(?:Sekunden|Minuten|Stunden|Tagen|Wochen)\b|\bil y a\s+\d+\s+(?:secondes?|minutes?|heures?|jours?)\b|\bhace\s+\d+\s+(?:segundos?|minutos?|horas?|días?)\b|\d+\s*(?:秒|分|時間|日)前"#.to_string(),
            ],
            // Words allowed around a date on a date/time-stamp line (labels, weekdays, time zones).
            date_filler: vec![
                r#"(?i)\b(?:last\s+)?(?:updated|published|posted|modified|created|date|on|at|as of|aktualisiert|veröffentlicht|am|um|uhr|mis à jour|publié|le|à|publicado|actualizado|el|a las|de|y|and)\b"#.to_string(),
                r#"(?i)\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\b\.?"#.to_string(),
                r#"\b[A-Z]{2,5}\b"#.to_string(),
                r#"更新|公開|配信|掲載|[（(][月火水木金土日][）)]"#.to_string(),
            ],
            // Strong caption/credit forms: one is enough for a block of at most caption_max_chars.
            // A bracketed credit counts only at the start or the end of the block ("… (Photo courtesy
            // of X)(Kyodo)"), so "the museum (photos below) reopened." stays.
            caption: vec![
                r#"(?i)^(?:photos?|photograph|images?|pictures?|pictured|credits?|fotos?|bild|crédit|crédito|imagen|illustration)\s*(?:\([^)]*\)\s*)?[:：|]"#.to_string(),
                r#"^(?:写真|画像|사진|图片|圖片)\s*[:：|]"#.to_string(),
                r#"(?i)^(?:photos?|images?|fotos?)\s+(?:by|courtesy(?:\s+of)?|credit)\b"#.to_string(),
                r#"(?i)^\((?:(?:photos?|images?|pictures?|file photo|credits?|fotos?|bild)\b|写真|画像)[^)]*\)|\((?:(?:photos?|images?|pictures?|file photo|credits?|fotos?|bild)\b|写真|画像)[^)]*\)(?:\s*\([^)]*\))*\s*$"#.to_string(),
                r#"(?i)\b(?:AP|AFP|Reuters|EPA|Kyodo|Jiji|Yonhap|Xinhua|Bloomberg)\s*(?:/\s*)?(?:Photos?|Images?|Fotos?)\s*/"#.to_string(),
                r#"(?i)/\s*Getty\s+Images\b|\bvia\s+Getty\s+Images\b|^Getty\s+Images\b"#.to_string(),
            ],
            // Weak caption hints: two in one block (or one in a block above the first paragraph)
            // make a caption. Positions of people in a photo, a trailing agency tag, "file photo".
            caption_hint: vec![
                r#"(?i)(?:,|\()\s*(?:(?:far|second|third|\d+(?:st|nd|rd|th))\s+(?:from\s+)?)?(?:left|right|center|centre)\s*[,)]"#.to_string(),
                r#"(?i)\((?:far|\d+(?:st|nd|rd|th)\s+from)\s+[lr]\)"#.to_string(),
                r#"(?i)\b(?:from left|from right|von links|de gauche à droite|de izquierda a derecha)\b"#.to_string(),
                r#"\((?:Kyodo|AP|AFP|Reuters|Xinhua|Yonhap|Jiji|EPA|dpa|Bloomberg)\)\s*$"#.to_string(),
                r#"(?i)\bfile photo\b"#.to_string(),
            ],
            // Lead-ins of related-link sections, anchored at the start of a short unpunctuated
            // line; such a line is dropped with the run of list-like lines after it.
            related: vec![
                r#"(?i)^(?:related(?:\s+(?:coverage|stories|articles|news|content|posts|links|reading|topics))?|read more|read also|also read|see also|more on this(?: story)?|more from|you may also like|you might also like|recommended(?: for you)?|further reading|more stories)\b"#.to_string(),
                r#"(?i)^(?:mehr zum thema|lesen sie auch|auch interessant|das könnte sie auch interessieren|à lire aussi|lire aussi|sur le même sujet|voir aussi|te puede interesar|lee también|noticias relacionadas|leggi anche)\b"#.to_string(),
                r#"^(?:関連記事|関連ニュース|あわせて読みたい|相关新闻|相关阅读|相關新聞|관련\s?기사)"#.to_string(),
            ],
            // Popular/most-read/ranking section words, anywhere in a short unpunctuated line; such a
            // line is dropped only together with the list-like lines after it (or at the very end).
            popular: vec![
                r#"(?i)\b(?:popular|most[- ](?:read|viewed|popular|shared|emailed)|trending|top stories|ranking|meistgelesen|beliebt|les plus lus|lo más leído|más leídas|più lette)\b"#.to_string(),
                r#"人気|ランキング|热门|排行|인기"#.to_string(),
            ],
            // Advertising and self-promotion labels (whole short line).
            advert: vec![
                r#"(?i)^[\s\-–—_*·|]*(?:advertisement|advertising|advertorial|sponsored(?: content)?|paid content|anzeige|werbung|publicité|publicidad|pubblicità|広告|광고|广告|scroll to continue(?: with content)?|story continues below(?: this)? advertisement|continue reading (?:below|the main story)|article continues below)[\s\-–—_*·|]*$"#.to_string(),
                r#"(?i)^(?:click here to subscribe|subscribe (?:now|today|here|to our newsletter)|sign up for (?:our|the)\b.*\bnewsletter|get our newsletter|jetzt abonnieren|abonnez-vous|suscríbete)\b"#.to_string(),
            ],
            // Share bars and tool links (whole short line).
            share: vec![
                r#"(?i)^(?:share(?:\s+(?:this|on|via|article|story|page))*|tweet|pin it|email this|print(?: this)?(?: article| page)?|copy link|teilen|partager|compartir|シェア|分享)\b[\s:：]*(?:(?:facebook|twitter|x|whatsapp|linkedin|line|email|e-mail|print|reddit|telegram|pinterest|copy link|hatena|pocket)[\s,|/·•]*)*$"#.to_string(),
                r#"(?i)^(?:(?:facebook|twitter|x|whatsapp|linkedin|line|email|e-mail|print|reddit|telegram|pinterest|copy link|hatena|pocket)[\s,|/·•]*){2,}$"#.to_string(),
            ],
            // Bylines: "By" and at least two capitalised name words (not "By Friday, ...").
            byline: vec![
                r#"^(?:By|BY|Von|VON|Par|PAR|Por|POR|Di)\s+\p{Lu}[\p{L}'’.\-]*\s+\p{Lu}"#.to_string(),
                r#"^(?i:written|reporting|reported|text|story|words)\s+(?i:by)\s+\p{Lu}"#.to_string(),
            ],
            // "Back to ..." links; the text after the match names a section ("Back to Japan-U.S.
            // Relations"), and a top line equal to that section name is navigation too.
            back_to: vec![
                r#"(?i)^(?:back to|return to|zurück zu[rm]?|retour (?:à|au|aux)|volver a|torna a)\s+"#.to_string(),
            ],
            // Breadcrumbs and skip links.
            navigation: vec![
                r#"^(?:Home|HOME|Top|Startseite|Accueil|Inicio|Portada|ホーム|トップ|首页|首頁)\s*[>»›/|]"#.to_string(),
                r#"^[^>»›.!?]{1,40}(?:\s*[>»›]\s*[^>»›.!?]{1,40}){2,}$"#.to_string(),
                r#"(?i)^(?:skip to (?:main )?content|jump to navigation)$"#.to_string(),
            ],
            // Furniture: short edge lines that are not prose (issue 14). A block is one of
            // these only when it matches a class's patterns, is at most furniture_max_chars
            // long, and stands at an edge of the body: above its first paragraph or below
            // its last (furniture lines themselves do not count as paragraphs, so a
            // copyright notice ending in a full stop is still at the edge). The same line
            // in the middle of the text stays. Words here are data, never the only signal:
            // the length and the position decide with them. Class names are the reasons
            // `--explain` gives.
            furniture_max_chars: 200,
            // Counters: reading time, views, hits, comment and share counts. The whole line
            // must be counters, dates and their filler words, and bylines, between
            // separators ("March 15, 2022 · 3 min read · By Ann Lee", "3 MIN. READ").
            counter: vec![
                r#"(?i)\b\d+\s*(?:-\s*)?(?:min(?:ute)?s?|mins?)\.?\s*(?:read|reading(?:\s+time)?|lesezeit|lesen|de lecture|de lectura|di lettura)\b"#.to_string(),
                r#"(?i)\b(?:reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo di lettura)\s*[:：]?\s*(?:\d+\s*(?:min(?:ute)?s?|minuten)?\.?)?"#.to_string(),
                r#"(?i)\b\d[\d,.]*\s*[km]?\+?\s*(?:views?|hits?|reads?|comments?|replies|shares?|likes?|aufrufe|zugriffe|kommentare?|vues|commentaires?|visitas|comentarios?|visite|commenti)\b"#.to_string(),
                r#"(?i)\b(?:views?|hits?|reads?|comments?|aufrufe|zugriffe|kommentare|vues|visitas)\s*[:：]\s*\d[\d,.]*\s*[km]?"#.to_string(),
                r#"(?i)\bno comments?\b|\bkeine kommentare\b|\baucun commentaire\b|\bsin comentarios\b"#.to_string(),
            ],
            // Newsletter and subscription prompts.
            subscribe: vec![
                r#"(?i)\b(?:subscribe|sign(?:\s|-)?up|join|register|get|receive)\b.{0,80}\b(?:newsletters?|mailing list|e-?mail list|inbox|e-?mail updates)\b"#.to_string(),
                r#"(?i)^(?:subscribe|subscribe now|newsletter|join (?:our|the) newsletter|our newsletter|sign up for (?:free|updates)|newsletter abonnieren|newsletter bestellen|abonnez-vous|inscrivez-vous|suscríbete|iscriviti)\W*$"#.to_string(),
                r#"(?i)^(?:enter your e-?mail(?: address)?|your e-?mail(?: address)?|e-?mail address)\W*$"#.to_string(),
                r#"(?i)\b(?:become a (?:paid )?(?:subscriber|member)|subscribe to (?:read|continue|unlock)|to (?:read|continue reading) (?:the rest of )?this (?:story|article),? subscribe)\b"#.to_string(),
            ],
            // Where the text came from: source and reposting notes.
            source: vec![
                r#"(?i)^[(\[]?\s*(?:sources?|quellen?|fuentes?|fonte)\s*[:：]\s*\S"#.to_string(),
                r#"(?i)^(?:this (?:article|story|post|piece|content) (?:was |is |has been )?(?:originally |first )?(?:published|appeared|posted|republished|reprinted|syndicated)|originally (?:published|appeared|posted)|(?:reposted|republished|reprinted|syndicated) (?:from|with|by|on))\b"#.to_string(),
                r#"(?i)^(?:some |all )?(?:images?|photos?|pictures?) (?:courtesy|via|from|by)\b"#.to_string(),
            ],
            // Copyright and reproduction notices.
            copyright: vec![
                r#"©\s*(?:\d{4}|\p{Lu})|(?i:\(c\)\s*\d{4}|\bcopyright\s*(?:©|\(c\)|\d{4}))"#.to_string(),
                r#"(?i)\ball rights reserved\b|\balle rechte vorbehalten\b|\btous droits réservés\b|\btodos los derechos reservados\b|\briproduzione riservata\b"#.to_string(),
                r#"(?i)\b(?:may not be|must not be|cannot be) (?:reproduced|published|republished|broadcast|redistributed|rewritten|copied|reprinted)\b"#.to_string(),
            ],
            // Tag lists: a tag label and a list after it, or a row of hashtags.
            tags: vec![
                r#"(?i)^(?:tags?|tagged(?: (?:with|in|as))?|topics?|filed under|categories|category|posted in|keywords|schlagwörter|schlagworte|stichwörter|themen|étiquettes|mots-clés|etiquetas|temas|argomenti)\s*[:：]\s*\S"#.to_string(),
                r#"^(?:#[\p{L}\p{N}_]+[\s,]*){2,}$"#.to_string(),
            ],
            // Previous/next and back-to-top links.
            pager: vec![
                r#"(?i)^[«‹←<\s]*(?:previous|prev|next|older|newer|vorheriger|vorherige|nächster|nächste|précédent|suivant|anterior|siguiente|precedente|successivo)(?:\s+(?:post|article|story|page|entry|posts|articles|stories|entries|artikel|beitrag|seite))?\s*[»›→>]*\s*(?:[:：|].*)?$"#.to_string(),
                r#"(?i)^[↑⇧▲^\s]*(?:back to (?:the )?top|to (?:the )?top|top of (?:the )?page|page top|go to top|scroll to top|nach oben|zum seitenanfang|haut de (?:la )?page|retour en haut|volver arriba|torna su|ページトップ|ページの先頭へ)\W*$"#.to_string(),
            ],
            // Comment-section furniture: prompts, closed notices, spam-filter notes.
            comments: vec![
                r#"(?i)^(?:leave a (?:comment|reply)|post a comment|add (?:a )?comment|write a comment|comments? (?:are|is) closed|notify (?:me )?of\b|join the (?:discussion|conversation)|(?:show|view|load|read) (?:all )?comments|be the first to comment|cancel reply|kommentar (?:schreiben|verfassen)|laisser un commentaire|deja (?:un|tu) comentario|lascia un commento)\b"#.to_string(),
                r#"(?i)\bthis site uses akismet to reduce spam\b|\blearn how your comment data is processed\b"#.to_string(),
            ],
            // Log-in prompts.
            login: vec![
                r#"(?i)^(?:you must be (?:logged|signed) in|(?:log|sign) ?in (?:to|or|and)\b|please (?:log|sign) ?in\b|already (?:a (?:subscriber|member)|have an account|registered)|(?:log ?in|sign ?in|register)(?:\s*(?:/|\||or)\s*(?:log ?in|sign ?in|register|sign up))?\W*$|anmelden\W*$|se connecter\W*$|iniciar sesión\W*$)"#.to_string(),
            ],
            // A closing box about the author, reviewer or the site: a label line matching
            // one of these with at most bio_max_blocks blocks after it, at the end of the
            // text, goes with the blocks under it up to the next heading that is not such a
            // label (reason "bio"). Further up it is a section of the text and stays.
            bio_max_blocks: 6,
            bio: vec![
                r#"(?i)^(?:about the (?:authors?|reviewers?|writers?|contributors?|editors?|experts?)|about (?:me|us)|author bio(?:graphy)?|meet the (?:author|writer)|written by|reviewed by|disclaimer|editorial disclaimer|medical disclaimer|über (?:den|die) autor(?:in|en)?|über mich|à propos de l.auteur|sobre el autor|sobre (?:mí|nosotros))\W*$"#.to_string(),
            ],
        }
    }
}

/// Why [`Compiled::new`] rejected a [`Rules`] value.
#[derive(Debug)]
#[non_exhaustive]
pub enum StripError {
    /// A pattern is not a valid regular expression.
    Pattern {
        /// The `[strip]` field holding it.
        field: &'static str,
        /// Its position in that list, from 0.
        index: usize,
        /// The pattern as written.
        pattern: String,
        /// What the regex compiler said.
        source: regex::Error,
    },
    /// A threshold is out of range.
    Threshold {
        /// The `[strip]` field.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

impl fmt::Display for StripError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StripError::Pattern {
                field,
                index,
                pattern,
                source,
            } => write!(
                f,
                "[strip] {field}[{index}]: invalid pattern {pattern:?}: {source}"
            ),
            StripError::Threshold { field, message } => write!(f, "[strip] {field}: {message}"),
        }
    }
}

impl std::error::Error for StripError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StripError::Pattern { source, .. } => Some(source),
            StripError::Threshold { .. } => None,
        }
    }
}

/// [`Rules`] with every pattern compiled, built once and shared; immutable, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub(super) rules: Rules,
    pub(super) date_label: Vec<Regex>,
    pub(super) date: Vec<Regex>,
    pub(super) date_filler: Vec<Regex>,
    pub(super) caption: Vec<Regex>,
    pub(super) caption_hint: Vec<Regex>,
    pub(super) related: Vec<Regex>,
    pub(super) popular: Vec<Regex>,
    pub(super) advert: Vec<Regex>,
    pub(super) share: Vec<Regex>,
    pub(super) byline: Vec<Regex>,
    pub(super) back_to: Vec<Regex>,
    pub(super) navigation: Vec<Regex>,
    pub(super) bio: Vec<Regex>,
    /// The furniture classes in the order they are tried: reason, patterns.
    pub(super) furniture: Vec<(&'static str, Vec<Regex>)>,
}

/// A line with a popular/ranking word that reads as a sentence of this many
/// words or more ("Good deals on popular titles", a pros-and-cons item) is
/// text, not a section heading ("Most Popular", "Trending now").
const POPULAR_SENTENCE_WORDS: usize = 4;

/// Whether `s` is nothing but matches of `patterns` (and punctuation and
/// spaces): every match is blanked in turn and no letter or digit is left.
fn nothing_but<'r>(s: &str, patterns: impl Iterator<Item = &'r Regex>) -> bool {
    let mut rest = s.to_string();
    for r in patterns {
        rest = r.replace_all(&rest, " ").into_owned();
    }
    !rest.chars().any(char::is_alphanumeric)
}

/// What separates the parts of a meta line ("date · 3 min read · By …").
const META_SEPARATORS: &[char] = &['·', '•', '|', '–', '—', '⋅', '∙'];

fn compile(field: &'static str, patterns: &[String]) -> Result<Vec<Regex>, StripError> {
    patterns
        .iter()
        .enumerate()
        .map(|(index, p)| {
            Regex::new(p).map_err(|source| StripError::Pattern {
                field,
                index,
                pattern: p.clone(),
                source,
            })
        })
        .collect()
}

fn check_fraction(field: &'static str, value: f32) -> Result<(), StripError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(StripError::Threshold {
            field,
            message: format!("must be between 0 and 1, got {value}"),
        })
    }
}

impl Compiled {
    /// Validates the thresholds and compiles every pattern; the error names the first bad one.
    pub fn new(rules: &Rules) -> Result<Compiled, StripError> {
        check_fraction("title_similarity", rules.title_similarity)?;
        check_fraction("link_heavy_density", rules.link_heavy_density)?;
        check_fraction("link_item_density", rules.link_item_density)?;
        if rules.min_link_run == 0 {
            return Err(StripError::Threshold {
                field: "min_link_run",
                message: "must be at least 1".to_string(),
            });
        }
        Ok(Compiled {
            rules: rules.clone(),
            date_label: compile("date_label", &rules.date_label)?,
            date: compile("date", &rules.date)?,
            date_filler: compile("date_filler", &rules.date_filler)?,
            caption: compile("caption", &rules.caption)?,
            caption_hint: compile("caption_hint", &rules.caption_hint)?,
            related: compile("related", &rules.related)?,
            popular: compile("popular", &rules.popular)?,
            advert: compile("advert", &rules.advert)?,
            share: compile("share", &rules.share)?,
            byline: compile("byline", &rules.byline)?,
            back_to: compile("back_to", &rules.back_to)?,
            navigation: compile("navigation", &rules.navigation)?,
            bio: compile("bio", &rules.bio)?,
            furniture: vec![
                (COUNTER, compile("counter", &rules.counter)?),
                (COPYRIGHT, compile("copyright", &rules.copyright)?),
                (SOURCE, compile("source", &rules.source)?),
                (TAGS, compile("tags", &rules.tags)?),
                (PAGER, compile("pager", &rules.pager)?),
                (COMMENTS, compile("comments", &rules.comments)?),
                (LOGIN, compile("login", &rules.login)?),
                (SUBSCRIBE, compile("subscribe", &rules.subscribe)?),
            ],
        })
    }

    /// End of a date label at the start of `s`, if any.
    pub(super) fn date_label_end(&self, s: &str) -> Option<usize> {
        self.date_label
            .iter()
            .find_map(|r| r.find(s).filter(|m| m.start() == 0).map(|m| m.end()))
    }

    /// A line made of nothing but dates, times and filler words.
    pub(super) fn is_date_line(&self, s: &str) -> bool {
        if !any(&self.date, s) {
            return false;
        }
        nothing_but(s, self.date.iter().chain(&self.date_filler))
    }

    /// A caption or credit by form alone: one strong form, or two hints.
    pub(super) fn is_caption(&self, s: &str, len: usize) -> bool {
        len <= self.rules.caption_max_chars
            && (any(&self.caption, s) || count(&self.caption_hint, s) >= 2)
    }

    /// Reason for a short self-evident label line, wherever it stands.
    pub(super) fn label_reason(&self, s: &str, len: usize) -> Option<&'static str> {
        if len > self.rules.label_max_chars {
            return None;
        }
        if any(&self.advert, s) {
            Some(ADVERT)
        } else if any(&self.share, s) {
            Some(SHARE)
        } else if any(&self.navigation, s) {
            Some(NAVIGATION)
        } else if !ends_with(s, FULL_STOP, Closing::TagAware) && any(&self.byline, s) {
            Some(BYLINE)
        } else if self.is_date_line(s) {
            Some(DATE)
        } else {
            None
        }
    }

    /// Reason for a section heading ("Related coverage:", "JN ACCESS RANKING"), if `b` is one.
    pub(super) fn section_reason(&self, b: &Block) -> Option<&'static str> {
        let s = b.text.trim();
        if s.is_empty() || ends_with(s, FULL_STOP, Closing::TagAware) {
            return None;
        }
        let len = char_len(s);
        // Longer than a label, a related lead-in must introduce a title after a colon or
        // arrow ("Also read: <headline>"); "Related to this, …" is prose.
        let related = self
            .related
            .iter()
            .find_map(|r| r.find(s))
            .is_some_and(|m| {
                len <= self.rules.label_max_chars
                    || (len <= self.rules.list_item_max_chars
                        && s[m.end()..]
                            .trim_start()
                            .starts_with([':', '：', '|', '»', '›']))
            });
        if related {
            Some(RELATED)
        } else if len <= self.rules.label_max_chars
            && any(&self.popular, s)
            && !s.contains([':', '：'])
            && !super::is_sentence(s, POPULAR_SENTENCE_WORDS)
        {
            Some(POPULAR)
        } else {
            None
        }
    }

    /// An item of a related/popular list: short, title-like or link-only.
    pub(super) fn is_list_like(&self, b: &Block) -> bool {
        let s = b.text.trim();
        let len = char_len(s);
        if len == 0 || len > self.rules.list_item_max_chars {
            return false;
        }
        if b.link_density() >= self.rules.link_item_density {
            return true;
        }
        match b.kind {
            BlockKind::Paragraph | BlockKind::ListItem | BlockKind::TableRow => {
                !ends_with(s, FULL_STOP, Closing::TagAware)
            }
            BlockKind::Heading(_) => self.section_reason(b).is_some(),
            _ => false,
        }
    }

    /// An item of a link list (HTML): mostly link text, short.
    pub(super) fn is_link_item(&self, b: &Block) -> bool {
        b.link_density() >= self.rules.link_item_density
            && char_len(&b.text) <= self.rules.list_item_max_chars
    }

    /// The furniture class of a short line, by its form alone (where it stands
    /// is [`super::boilerplate`]'s to check). Counters must make up the whole
    /// line with dates and bylines; tag lists and pager links must not end
    /// like a sentence; the other classes may ("Comments are closed.").
    pub(super) fn furniture_reason(&self, s: &str, len: usize) -> Option<&'static str> {
        if len == 0 || len > self.rules.furniture_max_chars {
            return None;
        }
        let (reason, _) = self
            .furniture
            .iter()
            .find(|(reason, res)| any(res, s) && self.furniture_form(reason, res, s))?;
        Some(reason)
    }

    fn furniture_form(&self, reason: &str, res: &[Regex], s: &str) -> bool {
        match reason {
            COUNTER => self.is_meta_line(res, s),
            TAGS | PAGER => !ends_with(s, FULL_STOP, Closing::TagAware),
            _ => true,
        }
    }

    /// A line made of nothing but `counters`, dates and bylines, between
    /// separators ("March 15, 2022 · 3 min read · By Ann Lee").
    fn is_meta_line(&self, counters: &[Regex], s: &str) -> bool {
        if char_len(s) > self.rules.label_max_chars {
            return false;
        }
        s.split(META_SEPARATORS).all(|part| {
            let part = part.trim();
            if part.is_empty() || any(&self.byline, part) {
                return true;
            }
            nothing_but(
                part,
                counters.iter().chain(&self.date).chain(&self.date_filler),
            )
        })
    }

    /// Running text: ends like a sentence or is too long for a label or title.
    pub(super) fn is_body(&self, b: &Block) -> bool {
        let s = b.text.trim();
        !matches!(b.kind, BlockKind::Heading(_))
            && !s.is_empty()
            && (ends_with(s, SENTENCE_END, Closing::TagAware)
                || char_len(s) > self.rules.list_item_max_chars)
    }
}
