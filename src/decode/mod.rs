//! Decode: the first pipeline stage, turning a page's raw bytes into UTF-8 text.
//!
//! Everything later in pith (extract → strip → repair → write) works on `str`,
//! so this module has one job: find the character encoding a page was written
//! in and decode it, once, into a `String`. It never fails on odd bytes:
//! malformed sequences become U+FFFD and [`Decoded::malformed`] says so. It
//! only refuses input that is empty or plainly not text ([`DecodeError`]).
//!
//! The encoding is chosen by the first rule that applies, in this order (the
//! winning rule is reported as a [`Rule`]):
//!
//! 1. **BOM** — a UTF-8, UTF-16LE or UTF-16BE byte order mark ([`Rule::Bom`]).
//! 2. **HTTP** — the `charset` parameter of the `Content-Type` header
//!    ([`Rule::Http`]), parsed by [`charset_from_content_type`].
//! 3. **`<meta>`** — the WHATWG HTML "prescan a byte stream to determine its
//!    encoding" algorithm over the first [`Options::prescan_bytes`] bytes
//!    ([`Rule::Meta`]).
//! 4. **Sniffing** — valid UTF-8 is taken as UTF-8; anything else goes to
//!    `chardetng` ([`Rule::Sniffed`]).
//! 5. **Fallback** — [`Options::fallback`] when the sniffer has no confident
//!    guess ([`Rule::Default`]).
//!
//! Two corrections sit on top of the declared charsets, because scraped pages
//! lie about their encoding far more often than browsers' users notice:
//!
//! * A declaration of anything but UTF-8 on bytes that are valid UTF-8 and
//!   contain non-ASCII is overruled by the bytes ([`Rule::Utf8Bytes`]) when
//!   [`Options::trust_utf8_bytes`] is set. Legacy-encoded text is practically
//!   never valid UTF-8 by accident, while "UTF-8 served as ISO-8859-1" is common.
//! * A UTF-8 declaration on bytes that are *not* valid UTF-8 is kept when most
//!   multi-byte sequences are still valid (a UTF-8 page with a few stray legacy
//!   bytes: those become U+FFFD). Otherwise `chardetng` is asked, and its guess
//!   is used ([`Rule::Sniffed`]) when it is confident and not UTF-8; if it is
//!   not, the declared UTF-8 stays and the errors become U+FFFD.
//!
//! A few deliberate departures from what browsers do, all in favour of getting
//! text out of scraped pages: labels that WHATWG maps to the "replacement"
//! encoding (ISO-2022-KR, HZ-GB-2312, ...) are ignored rather than decoding the
//! whole page to one U+FFFD; `x-user-defined` means windows-1252 whether it
//! comes from HTTP or `<meta>`; an HTTP UTF-16 label is honoured only when the
//! bytes have NULs (otherwise, like a `<meta>` UTF-16 label, it means UTF-8);
//! and the default prescan window is larger than the browsers' 1024 bytes.
//!
//! Cost: for the common case the input is read once to check UTF-8 validity
//! and once more while decoding into the single output `String`; the prescan,
//! binary check and sniffer only look at bounded prefixes, so a 50 MB page
//! costs little more than a `memcpy`.
//!
//! This file holds the entry point [`to_utf8`] (the rules in order), its
//! result and error types and the label helpers the rules share; each rule's
//! work lives in a submodule: `options` ([`Options`]), `http` (the header's
//! charset), `prescan` (the `<meta>` prescan), `binary` (the binary check)
//! and `sniff` (UTF-8 validity, the "mostly UTF-8" vote and `chardetng`).

use std::fmt;

use encoding_rs::{Encoding, REPLACEMENT, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

mod binary;
mod http;
mod options;
mod prescan;
mod sniff;

use binary::{binary_window, control_bytes_reason, magic_signature};
pub use http::charset_from_content_type;
pub use options::Options;
use prescan::prescan;
use sniff::{
    mostly_utf8, sniff, sniff_window, utf8_status, Utf8Status, DECLARED_UTF8_VALID_PER_INVALID,
    UNDECLARED_UTF8_VALID_PER_INVALID,
};

/// Which rule chose the encoding (see the module docs for the order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A byte order mark at the start of the input.
    Bom,
    /// The `charset` parameter of the HTTP `Content-Type` header.
    Http,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` in the prescan window.
    Meta,
    /// A non-UTF-8 declaration was overruled because the bytes are valid UTF-8.
    Utf8Bytes,
    /// No usable declaration: the bytes were valid (or mostly valid) UTF-8, or
    /// `chardetng` guessed with confidence.
    Sniffed,
    /// Nothing worked; [`Options::fallback`] was used.
    Default,
}

impl Rule {
    /// A short stable name for reports and metadata:
    /// `"bom"`, `"http"`, `"meta"`, `"utf8-bytes"`, `"sniffed"` or `"default"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Bom => "bom",
            Rule::Http => "http",
            Rule::Meta => "meta",
            Rule::Utf8Bytes => "utf8-bytes",
            Rule::Sniffed => "sniffed",
            Rule::Default => "default",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A page decoded to UTF-8, with how the encoding was found.
#[derive(Debug)]
pub struct Decoded {
    /// The whole document as UTF-8, with any BOM removed.
    pub text: String,
    /// The encoding the bytes were decoded with.
    pub encoding: &'static Encoding,
    /// The rule that chose [`Decoded::encoding`].
    pub rule: Rule,
    /// Whether malformed byte sequences were replaced with U+FFFD (this
    /// includes a multi-byte character cut off at the end of the input).
    pub malformed: bool,
}

/// Why a page could not be decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Zero bytes, or nothing but whitespace.
    #[error("empty input")]
    Empty,
    /// A known binary signature, or NUL/control bytes where text would be.
    #[error("input looks binary, not text ({reason})")]
    Binary {
        /// A short human-readable reason, e.g. `"PNG image"`.
        reason: String,
    },
    /// [`Options::fallback`] is not a usable WHATWG encoding label.
    #[error("unknown fallback encoding {0:?}")]
    UnknownFallback(String),
}

/// Decodes a page's bytes to UTF-8.
///
/// `content_type` is the HTTP `Content-Type` header value, if known; only its
/// `charset` parameter is used. See the module docs for how the encoding is
/// chosen. Never panics; any byte sequence either decodes (malformed parts
/// become U+FFFD) or yields `DecodeError::Empty` / `DecodeError::Binary`.
/// `DecodeError::UnknownFallback` is returned for a bad
/// [`Options::fallback`] whatever the input, so configuration errors show up
/// on the first page.
pub fn to_utf8(
    bytes: &[u8],
    content_type: Option<&str>,
    opts: &Options,
) -> Result<Decoded, DecodeError> {
    let fallback = resolve_fallback(&opts.fallback)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }

    // 1. BOM: the strongest signal there is, and the only way UTF-16 (which is
    // full of NULs) gets past the binary check below.
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        return finish(body, encoding, Rule::Bom);
    }

    if let Some(name) = magic_signature(bytes) {
        return Err(DecodeError::Binary {
            reason: name.to_owned(),
        });
    }

    // 2. HTTP. A UTF-16 label is believed only if the bytes look like UTF-16
    // (ASCII markup in UTF-16 is half NULs); otherwise the page is evidently
    // ASCII-compatible and, as the HTML spec does for <meta>, it means UTF-8.
    let http = content_type
        .and_then(charset_from_content_type)
        .map(usable_declared);
    let http = match http {
        Some(enc) if enc == UTF_16LE || enc == UTF_16BE => {
            if binary_window(bytes).contains(&0) {
                return finish(bytes, enc, Rule::Http);
            }
            Some(UTF_8)
        }
        other => other,
    };

    if let Some(reason) = control_bytes_reason(bytes) {
        return Err(DecodeError::Binary { reason });
    }

    // 3. <meta> prescan, only when HTTP said nothing usable.
    let declared = match http {
        Some(enc) => Some((enc, Rule::Http)),
        None => prescan(bytes, opts.prescan_bytes).map(|enc| (enc, Rule::Meta)),
    };

    let utf8 = utf8_status(bytes);
    match declared {
        Some((enc, rule)) if enc == UTF_8 => {
            if utf8 != Utf8Status::Invalid || mostly_utf8(bytes, DECLARED_UTF8_VALID_PER_INVALID) {
                return finish(bytes, UTF_8, rule);
            }
            match sniff(bytes) {
                (guess, true) if guess != UTF_8 => finish(bytes, guess, Rule::Sniffed),
                _ => finish(bytes, UTF_8, rule),
            }
        }
        Some((enc, rule)) => {
            if opts.trust_utf8_bytes && utf8 == Utf8Status::NonAscii {
                finish(bytes, UTF_8, Rule::Utf8Bytes)
            } else {
                finish(bytes, enc, rule)
            }
        }
        None => {
            // 4. Sniffing. Valid UTF-8 needs no statistics; pure ASCII is
            // UTF-8 too unless it has ESC bytes (ISO-2022-JP is 7-bit).
            let plain_utf8 = match utf8 {
                Utf8Status::NonAscii => true,
                Utf8Status::Ascii => !sniff_window(bytes).contains(&0x1B),
                Utf8Status::Invalid => mostly_utf8(bytes, UNDECLARED_UTF8_VALID_PER_INVALID),
            };
            if plain_utf8 {
                return finish(bytes, UTF_8, Rule::Sniffed);
            }
            match sniff(bytes) {
                (guess, true) => finish(bytes, guess, Rule::Sniffed),
                // 5. chardetng itself says its guess is likely wrong.
                (_, false) => finish(bytes, fallback, Rule::Default),
            }
        }
    }
}
/// The one place bytes are decoded: one pass, one allocation.
fn finish(bytes: &[u8], encoding: &'static Encoding, rule: Rule) -> Result<Decoded, DecodeError> {
    let (text, malformed) = encoding.decode_without_bom_handling(bytes);
    let text = text.into_owned();
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text,
        encoding,
        rule,
        malformed,
    })
}

fn resolve_fallback(label: &str) -> Result<&'static Encoding, DecodeError> {
    match Encoding::for_label(label.as_bytes()) {
        Some(enc) if enc != REPLACEMENT && enc != UTF_16LE && enc != UTF_16BE => Ok(enc),
        _ => Err(DecodeError::UnknownFallback(label.to_owned())),
    }
}

/// WHATWG "get an encoding", minus the replacement encoding (see
/// [`charset_from_content_type`]).
fn encoding_for_label(label: &[u8]) -> Option<&'static Encoding> {
    Encoding::for_label(label).filter(|&enc| enc != REPLACEMENT)
}

/// x-user-defined only makes sense for binary-in-text hacks; pages that
/// declare it are windows-1252 in practice (the HTML spec says so for `<meta>`).
fn usable_declared(enc: &'static Encoding) -> &'static Encoding {
    if enc == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        enc
    }
}

#[cfg(test)]
mod tests {
    /// `decode.prescan_bytes` in `pipelines/default.toml`.
    const DEFAULT_PRESCAN_BYTES: usize = 8 * 1024;
    use super::*;
    use encoding_rs::{
        BIG5, EUC_JP, EUC_KR, GBK, ISO_2022_JP, ISO_8859_2, KOI8_R, SHIFT_JIS, WINDOWS_1251,
    };

    const JAPANESE: &str = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。\
        何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。\
        吾輩はここで始めて人間というものを見た。しかもあとで聞くとそれは書生という\
        人間中で一番獰悪な種族であったそうだ。この書生というのは時々我々を捕えて\
        煮て食うという話である。";
    const CHINESE: &str = "中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的\
        社会主义国家。今天天气很好，我们一起去公园散步吧。这个城市的经济发展非常迅速，\
        人民生活水平不断提高。学习汉语需要每天练习听说读写，坚持下去就会有进步。";
    const TRADITIONAL: &str = "今天天氣很好，我們一起去公園散步吧。這個城市的經濟發展非常迅速，\
        人民生活水準不斷提高。學習語言需要每天練習聽說讀寫，堅持下去就會有進步。";
    const KOREAN: &str = "대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, \
        모든 권력은 국민으로부터 나온다. 오늘은 날씨가 아주 좋아서 공원에 산책하러 갔습니다.";
    const RUSSIAN: &str = "Все счастливые семьи похожи друг на друга, каждая несчастливая семья \
        несчастлива по-своему. Всё смешалось в доме Облонских. Жена узнала, что муж был в \
        связи с бывшею в их доме француженкою-гувернанткой, и объявила мужу, что не может \
        жить с ним в одном доме.";
    const CZECH_POLISH: &str = "Příliš žluťoučký kůň úpěl ďábelské ódy. \
        Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig.";
    const FRENCH: &str = "café — naïve “quotes” : déjà vu à l’hôtel, où l’été était très \
        agréable. Les élèves ont préféré la crème brûlée et le gâteau ; « c’est génial », \
        a déclaré le maître d’hôtel, né à Besançon.";

    fn html(head: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html><head>{head}<title>t</title></head>\n\
             <body><h1>Titre</h1><p>{body}</p></body></html>\n"
        )
    }

    fn encode(text: &str, enc: &'static Encoding) -> Vec<u8> {
        let (bytes, _, unmappable) = enc.encode(text);
        assert!(!unmappable, "test text not encodable in {}", enc.name());
        bytes.into_owned()
    }

    fn decode(bytes: &[u8], ct: Option<&str>) -> Decoded {
        match to_utf8(bytes, ct, &Options::default()) {
            Ok(d) => d,
            Err(e) => panic!("decode failed: {e}"),
        }
    }

    /// Decodes `bytes` and checks the text, encoding and rule it gives.
    #[track_caller]
    fn assert_decodes(bytes: &[u8], ct: Option<&str>, want: (&str, &'static Encoding, Rule)) {
        let d = decode(bytes, ct);
        assert_eq!((d.text.as_str(), d.encoding, d.rule), want);
    }

    #[test]
    fn rule_names() {
        let all = [
            (Rule::Bom, "bom"),
            (Rule::Http, "http"),
            (Rule::Meta, "meta"),
            (Rule::Utf8Bytes, "utf8-bytes"),
            (Rule::Sniffed, "sniffed"),
            (Rule::Default, "default"),
        ];
        for (rule, name) in all {
            assert_eq!(rule.as_str(), name);
            assert_eq!(rule.to_string(), name);
        }
    }

    #[test]
    fn options_default_and_deserialize() {
        let d = Options::default();
        assert_eq!(d.fallback, "windows-1252");
        assert_eq!(d.prescan_bytes, DEFAULT_PRESCAN_BYTES);
        assert!(d.trust_utf8_bytes);
        let file = crate::PipelineFile::parse("[decode]\nprescan_bytes = 1024\n", "<t>").unwrap();
        assert_eq!(file.decode.prescan_bytes, 1024);
        assert_eq!(file.decode.fallback, "windows-1252");
        assert!(crate::PipelineFile::parse("[decode]\nprescan = 1\n", "<t>").is_err());
    }

    #[test]
    fn bom_utf8() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("<p>héllo</p>".as_bytes());
        let d = decode(&bytes, Some("text/html; charset=iso-8859-1"));
        assert_eq!(d.text, "<p>héllo</p>");
        assert_eq!((d.encoding, d.rule, d.malformed), (UTF_8, Rule::Bom, false));
    }

    #[test]
    fn bom_utf16le_and_be() {
        let text = "<html><body>Grüße, 世界</body></html>";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_decodes(&le, None, (text, UTF_16LE, Rule::Bom));
        let d = decode(&be, Some("text/html; charset=windows-1252"));
        assert_eq!(
            (d.text.as_str(), d.encoding, d.rule),
            (text, UTF_16BE, Rule::Bom)
        );
        assert!(!d.malformed);
    }

    #[test]
    fn bom_only_is_empty() {
        assert!(matches!(
            to_utf8(b"\xEF\xBB\xBF  \n", None, &Options::default()),
            Err(DecodeError::Empty)
        ));
        assert!(matches!(
            to_utf8(b"\xFF\xFE", None, &Options::default()),
            Err(DecodeError::Empty)
        ));
    }

    #[test]
    fn http_header_parsing() {
        let cases: &[(&str, Option<&'static Encoding>)] = &[
            ("text/html; charset=utf-8", Some(UTF_8)),
            ("text/html;charset=UTF-8", Some(UTF_8)),
            (r#"text/html; charset="Shift_JIS""#, Some(SHIFT_JIS)),
            ("text/html; CharSet=  'euc-jp' ", Some(EUC_JP)),
            (
                "TEXT/HTML ; foo=\"a;b\" ; CHARSET = Latin1",
                Some(WINDOWS_1252),
            ),
            (r#"text/html; charset="gb\2312""#, Some(GBK)),
            (
                "text/html; charset=iso-8859-1; charset=utf-8",
                Some(WINDOWS_1252),
            ),
            ("text/html; charset=koi8-r;format=flowed", Some(KOI8_R)),
            ("text/html", None),
            ("text/html; charset=", None),
            ("text/html; charset=no-such-thing", None),
            ("text/html; charset=iso-2022-kr", None),
            ("text/html; charsetx=utf-8", None),
            ("text/html; ;;; x", None),
            ("", None),
            ("charset=utf-8", None),
        ];
        for &(value, want) in cases {
            assert_eq!(charset_from_content_type(value), want, "{value:?}");
        }
    }

    #[test]
    fn http_header_decides() {
        let page = html("", FRENCH);
        let bytes = encode(&page, WINDOWS_1252);
        for ct in [
            "text/html; charset=windows-1252",
            "text/html; charset=\"ISO-8859-1\"",
            "Text/HTML; CHARSET=Latin1",
        ] {
            let d = decode(&bytes, Some(ct));
            assert_eq!(d.text, page);
            assert_eq!(
                (d.encoding, d.rule, d.malformed),
                (WINDOWS_1252, Rule::Http, false)
            );
        }
    }

    #[test]
    fn http_beats_meta() {
        let page = html(r#"<meta charset="shift_jis">"#, JAPANESE);
        let bytes = encode(&page, EUC_JP);
        let d = decode(&bytes, Some("text/html; charset=EUC-JP"));
        assert_eq!(
            (d.text.as_str(), d.encoding, d.rule),
            (page.as_str(), EUC_JP, Rule::Http)
        );
    }

    #[test]
    fn meta_charset() {
        let page = html(r#"<meta charset="windows-1251">"#, RUSSIAN);
        assert_decodes(
            &encode(&page, WINDOWS_1251),
            None,
            (page.as_str(), WINDOWS_1251, Rule::Meta),
        );
    }

    #[test]
    fn meta_http_equiv_any_order_and_quoting() {
        let heads = [
            r#"<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">"#,
            r#"<META CONTENT='text/html;charset=shift_jis' HTTP-EQUIV='content-type'>"#,
            "<meta\ncontent=\"text/html; charset = 'x-sjis'\"\thttp-equiv=content-type />",
            r#"<meta name=x content="charset=nope" http-equiv="Content-Type" content="charset=sjis"><meta charset=shift_jis>"#,
        ];
        for head in heads {
            let page = html(head, JAPANESE);
            let d = decode(&encode(&page, SHIFT_JIS), None);
            assert_eq!(
                (d.text.as_str(), d.encoding, d.rule),
                (page.as_str(), SHIFT_JIS, Rule::Meta),
                "{head}"
            );
        }
    }

    #[test]
    fn meta_prescan_details() {
        let p = |s: &str| prescan(s.as_bytes(), DEFAULT_PRESCAN_BYTES);
        // content without http-equiv does not count; charset alone does.
        assert_eq!(p(r#"<meta content="text/html; charset=koi8-r">"#), None);
        assert_eq!(
            p(r#"<meta http-equiv="refresh" content="0; charset=koi8-r">"#),
            None
        );
        assert_eq!(p("<meta charset=KOI8-R>"), Some(KOI8_R));
        assert_eq!(p("<meta/charset=koi8-r>"), Some(KOI8_R));
        // First attribute of a name wins.
        assert_eq!(p("<meta charset=koi8-r charset=gbk>"), Some(KOI8_R));
        // Spec fix-ups.
        assert_eq!(p(r#"<meta charset="utf-16le">"#), Some(UTF_8));
        assert_eq!(p(r#"<meta charset="x-user-defined">"#), Some(WINDOWS_1252));
        // Unknown labels and the replacement encoding are ignored, the scan goes on.
        assert_eq!(p("<meta charset=bogus><meta charset=gbk>"), Some(GBK));
        assert_eq!(p("<meta charset=hz-gb-2312>"), None);
        // Attributes of other tags are skipped, including quoted '>' and fake metas.
        assert_eq!(
            p(r#"<a title="<meta charset=koi8-r>">x</a><meta charset=gbk>"#),
            Some(GBK)
        );
        assert_eq!(p("<metal charset=koi8-r><meta charset=gbk>"), Some(GBK));
        assert_eq!(
            p("<?xml version='1.0' encoding='koi8-r'?><meta charset=gbk>"),
            Some(GBK)
        );
        assert_eq!(p("<!-->-<meta charset=gbk>"), Some(GBK));
        // An unquoted value runs to whitespace or '>', so "content-type/" is no pragma.
        assert_eq!(
            p("<meta http-equiv=content-type/ content='charset=gbk'>"),
            None
        );
        // Cut off mid-attribute: nothing.
        assert_eq!(p("<meta charset=\"gbk"), None);
        assert_eq!(p("<meta charset"), None);
    }

    #[test]
    fn meta_inside_comment_ignored() {
        let page = html(
            r#"<!-- <meta charset="windows-1251"> --><meta charset="iso-8859-2">"#,
            CZECH_POLISH,
        );
        assert_decodes(
            &encode(&page, ISO_8859_2),
            None,
            (page.as_str(), ISO_8859_2, Rule::Meta),
        );
        // Only a commented-out meta: it is not used, the bytes are sniffed.
        let page = html(r#"<!-- <meta charset="koi8-r"> -->"#, RUSSIAN);
        let d = decode(&encode(&page, WINDOWS_1251), None);
        assert_eq!((d.encoding, d.rule), (WINDOWS_1251, Rule::Sniffed));
    }

    #[test]
    fn meta_window_and_slack() {
        let filler = "<script>var x = 1;</script>\n".repeat(60); // ~1.7 KB
        let page = html(&format!("{filler}<meta charset=\"euc-kr\">"), KOREAN);
        let bytes = encode(&page, EUC_KR);
        let d = decode(&bytes, None);
        assert_eq!((d.encoding, d.rule), (EUC_KR, Rule::Meta));
        let browser_like = Options {
            prescan_bytes: 1024,
            ..Options::default()
        };
        assert_eq!(prescan(&bytes, 1024), None);
        let d = to_utf8(&bytes, None, &browser_like).unwrap();
        assert_eq!(d.rule, Rule::Sniffed);
        // A meta starting just inside the window is read whole.
        let at = page.find("<meta").unwrap();
        assert_eq!(prescan(&bytes, at + 3), Some(EUC_KR));
        assert_eq!(prescan(&bytes, at), None);
        assert_eq!(prescan(&bytes, 0), None);
    }

    #[test]
    fn shift_jis_declared_and_sniffed() {
        let page = html("", JAPANESE);
        let bytes = encode(&page, SHIFT_JIS);
        assert_decodes(&bytes, None, (page.as_str(), SHIFT_JIS, Rule::Sniffed));
        let d = decode(&bytes, Some("text/html; charset=Shift_JIS"));
        assert_eq!(
            (d.text.as_str(), d.encoding, d.rule),
            (page.as_str(), SHIFT_JIS, Rule::Http)
        );
        let page = html("<meta charset=shift_jis>", JAPANESE);
        assert_decodes(
            &encode(&page, SHIFT_JIS),
            None,
            (page.as_str(), SHIFT_JIS, Rule::Meta),
        );
    }

    #[test]
    fn legacy_encodings_sniffed() {
        for (text, enc) in [
            (JAPANESE, EUC_JP),
            (CHINESE, GBK),
            (RUSSIAN, WINDOWS_1251),
            (TRADITIONAL, BIG5),
            (KOREAN, EUC_KR),
        ] {
            let page = html("", text);
            let d = decode(&encode(&page, enc), None);
            assert_eq!(d.encoding, enc, "{}", enc.name());
            assert_eq!(
                (d.text.as_str(), d.rule, d.malformed),
                (page.as_str(), Rule::Sniffed, false)
            );
        }
    }

    #[test]
    fn iso_2022_jp_sniffed() {
        let page = html("", JAPANESE);
        let bytes = encode(&page, ISO_2022_JP);
        assert!(bytes.is_ascii());
        assert_decodes(&bytes, None, (page.as_str(), ISO_2022_JP, Rule::Sniffed));
    }

    #[test]
    fn windows_1252_declared_and_undeclared() {
        let page = html("", FRENCH);
        let bytes = encode(&page, WINDOWS_1252);
        assert_decodes(&bytes, None, (page.as_str(), WINDOWS_1252, Rule::Sniffed));
        let page = html(r#"<meta charset="windows-1252">"#, FRENCH);
        assert_decodes(
            &encode(&page, WINDOWS_1252),
            None,
            (page.as_str(), WINDOWS_1252, Rule::Meta),
        );
        // A short fragment too.
        let short = "café — naïve “quotes”";
        let d = decode(&encode(short, WINDOWS_1252), None);
        assert_eq!((d.text.as_str(), d.encoding), (short, WINDOWS_1252));
    }

    #[test]
    fn utf8_misdeclared_as_latin1() {
        let page = html(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">"#,
            FRENCH,
        );
        assert_decodes(
            page.as_bytes(),
            None,
            (page.as_str(), UTF_8, Rule::Utf8Bytes),
        );
        let d = decode(page.as_bytes(), Some("text/html; charset=iso-8859-1"));
        assert_eq!((d.encoding, d.rule), (UTF_8, Rule::Utf8Bytes));
        // Turned off: the declaration is obeyed (and produces mojibake).
        let obey = Options {
            trust_utf8_bytes: false,
            ..Options::default()
        };
        let d = to_utf8(page.as_bytes(), None, &obey).unwrap();
        assert_eq!((d.encoding, d.rule), (WINDOWS_1252, Rule::Meta));
        assert!(d.text.contains("cafÃ©"));
        // Pure ASCII under a legacy declaration keeps the declaration.
        let d = decode(b"<meta charset=koi8-r><p>plain</p>", None);
        assert_eq!((d.encoding, d.rule), (KOI8_R, Rule::Meta));
    }

    #[test]
    fn declared_utf8_but_legacy_bytes() {
        // Wholly windows-1252: chardetng's confident guess wins.
        let page = html(r#"<meta charset="utf-8">"#, FRENCH);
        assert_decodes(
            &encode(&page, WINDOWS_1252),
            None,
            (page.as_str(), WINDOWS_1252, Rule::Sniffed),
        );
        let page = html("", RUSSIAN);
        let d = decode(
            &encode(&page, WINDOWS_1251),
            Some("text/html; charset=utf-8"),
        );
        assert_eq!(
            (d.text.as_str(), d.encoding, d.rule),
            (page.as_str(), WINDOWS_1251, Rule::Sniffed)
        );
        // Mostly UTF-8 with one stray latin-1 byte: stays UTF-8, U+FFFD inserted.
        let mut bytes = html(r#"<meta charset="utf-8">"#, FRENCH).into_bytes();
        bytes.extend_from_slice(b"<p>caf\xE9</p>");
        let d = decode(&bytes, None);
        assert_eq!((d.encoding, d.rule, d.malformed), (UTF_8, Rule::Meta, true));
        assert!(d.text.ends_with("caf\u{FFFD}</p>"));
        // Same, undeclared.
        let mut bytes = html("", FRENCH).into_bytes();
        bytes.extend_from_slice(b"<p>caf\xE9</p>");
        let d = decode(&bytes, None);
        assert_eq!(
            (d.encoding, d.rule, d.malformed),
            (UTF_8, Rule::Sniffed, true)
        );
    }

    #[test]
    fn truncated_multibyte_at_end() {
        let page = html("", "日本語のテキスト");
        let bytes = page.as_bytes();
        let cut = &bytes[..page.find("テキスト").unwrap() + 2];
        let d = decode(cut, None);
        assert_eq!(
            (d.encoding, d.rule, d.malformed),
            (UTF_8, Rule::Sniffed, true)
        );
        assert!(d.text.ends_with("日本語の\u{FFFD}"));
        // With a legacy declaration it is still recognised as UTF-8.
        let mut declared = b"<meta charset=windows-1252>".to_vec();
        declared.extend_from_slice(cut);
        let d = decode(&declared, None);
        assert_eq!((d.encoding, d.rule), (UTF_8, Rule::Utf8Bytes));
    }

    #[test]
    fn http_utf16_without_bom() {
        let text = "<p>Grüße</p>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decode(&le, Some("text/html; charset=utf-16le"));
        assert_eq!(
            (d.text.as_str(), d.encoding, d.rule),
            (text, UTF_16LE, Rule::Http)
        );
        // A UTF-16 label on ASCII-compatible bytes means UTF-8.
        let d = decode(text.as_bytes(), Some("text/html; charset=utf-16"));
        assert_eq!(
            (d.text.as_str(), d.encoding, d.rule),
            (text, UTF_8, Rule::Http)
        );
        // Without the header, BOM-less UTF-16 is full of NULs: binary.
        assert!(matches!(
            to_utf8(&le, None, &Options::default()),
            Err(DecodeError::Binary { .. })
        ));
    }

    #[test]
    fn binary_inputs() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&[0u8; 64]);
        let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        pdf.extend_from_slice(b"1 0 obj << /Type /Catalog >> endobj");
        let mut rng = Lcg(7);
        let noise: Vec<u8> = (0..4096).map(|_| rng.byte()).collect();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (png, "PNG"),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF".to_vec(), "JPEG"),
            (b"GIF89a\x01\0\x01\0".to_vec(), "GIF"),
            (pdf, "PDF"),
            (b"PK\x03\x04\x14\0\0\0".to_vec(), "ZIP"),
            (b"\x1F\x8B\x08\0\0\0\0\0".to_vec(), "gzip"),
            (b"RIFF\x24\0\0\0WEBPVP8 ".to_vec(), "WebP"),
            (noise, "bytes"),
            (b"<html>\0\0\0\0</html>".to_vec(), "NUL"),
            (b"<p>\x01\x02\x03\x04\x05 text</p>".to_vec(), "control"),
        ];
        for (bytes, what) in cases {
            match to_utf8(
                &bytes,
                Some("text/html; charset=utf-8"),
                &Options::default(),
            ) {
                Err(DecodeError::Binary { reason }) => assert!(reason.contains(what), "{reason}"),
                other => panic!("{what}: expected Binary, got {other:?}"),
            }
        }
        // A stray NUL or control byte in a real page is tolerated.
        let mut page = html("", FRENCH).into_bytes();
        page.extend_from_slice(b"\0\x01 trailing");
        let d = decode(&page, None);
        assert!(d.text.ends_with("\0\u{1} trailing"));
    }

    #[test]
    fn empty_inputs() {
        for bytes in [&b""[..], b"   ", b"\r\n\t \x0C"] {
            assert!(matches!(
                to_utf8(bytes, None, &Options::default()),
                Err(DecodeError::Empty)
            ));
        }
        assert!(matches!(
            to_utf8("\u{a0}\u{3000}".as_bytes(), None, &Options::default()),
            Err(DecodeError::Empty)
        ));
        assert_eq!(DecodeError::Empty.to_string(), "empty input");
    }

    #[test]
    fn fallback_option() {
        let bad = Options {
            fallback: "klingon".into(),
            ..Options::default()
        };
        match to_utf8(b"<p>hi</p>", None, &bad) {
            Err(e @ DecodeError::UnknownFallback(_)) => {
                assert_eq!(e.to_string(), "unknown fallback encoding \"klingon\"")
            }
            other => panic!("{other:?}"),
        }
        for label in ["utf-16", "iso-2022-kr"] {
            let bad = Options {
                fallback: label.into(),
                ..Options::default()
            };
            assert!(matches!(
                to_utf8(b"x", None, &bad),
                Err(DecodeError::UnknownFallback(_))
            ));
        }
        assert_eq!(resolve_fallback(" Latin1 ").ok(), Some(WINDOWS_1252));
        assert_eq!(resolve_fallback("gbk").ok(), Some(GBK));
    }

    #[test]
    fn round_trip_through_every_encoding() {
        let samples: &[(&'static Encoding, &str)] = &[
            (UTF_8, "Grüße — 日本語, русский, 中文 ✓"),
            (WINDOWS_1252, FRENCH),
            (SHIFT_JIS, JAPANESE),
            (EUC_JP, JAPANESE),
            (GBK, CHINESE),
            (BIG5, TRADITIONAL),
            (EUC_KR, KOREAN),
            (WINDOWS_1251, RUSSIAN),
            (KOI8_R, RUSSIAN),
            (ISO_8859_2, CZECH_POLISH),
        ];
        for &(enc, text) in samples {
            for head in [
                format!("<meta charset=\"{}\">", enc.name()),
                format!(
                    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset={}\">",
                    enc.name().to_ascii_lowercase()
                ),
            ] {
                let page = html(&head, text);
                let bytes = encode(&page, enc);
                let d = decode(&bytes, None);
                assert_eq!(d.text, page, "{}", enc.name());
                assert_eq!(
                    (d.encoding, d.rule, d.malformed),
                    (enc, Rule::Meta, false),
                    "{}",
                    enc.name()
                );
            }
            let page = html("", text);
            let ct = format!("text/html; charset={}", enc.name());
            assert_decodes(
                &encode(&page, enc),
                Some(&ct),
                (page.as_str(), enc, Rule::Http),
            );
        }
    }

    /// Tiny deterministic PRNG so the fuzz loop needs no dependency.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        fn byte(&mut self) -> u8 {
            (self.next() & 0xFF) as u8
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        const PIECES: &[&[u8]] = &[
            b"<meta",
            b"<META ",
            b" charset=",
            b"\"",
            b"'",
            b">",
            b"<!--",
            b"-->",
            b"<!",
            b"</",
            b"<?",
            b"<a ",
            b"http-equiv=content-type",
            b" content=\"charset=",
            b"utf-16",
            b"shift_jis",
            b"=",
            b"/",
            b" ",
            b"\xEF\xBB\xBF",
            b"\xFF\xFE",
            b"\xE6\x97",
            b"\x82\xA0",
            b"\0",
            b"\x1B$B",
        ];
        let mut rng = Lcg(0x5eed);
        let cts = [
            None,
            Some("text/html; charset=utf-8"),
            Some("text/html; charset=windows-1252"),
            Some("text/html; charset=utf-16be"),
            Some("text/html; charset=\"\\"),
        ];
        for len in 0..600usize {
            let mut bytes = Vec::with_capacity(len);
            let structured = len % 2 == 0;
            while bytes.len() < len {
                if structured && rng.next().is_multiple_of(3) {
                    let piece = PIECES[rng.next() as usize % PIECES.len()];
                    bytes.extend_from_slice(piece);
                } else if rng.next().is_multiple_of(4) {
                    bytes.push(rng.byte());
                } else {
                    bytes.push(b' ' + (rng.next() % 95) as u8);
                }
            }
            for opts_window in [0usize, 7, 64, DEFAULT_PRESCAN_BYTES] {
                let opts = Options {
                    prescan_bytes: opts_window,
                    ..Options::default()
                };
                let ct = cts[len % cts.len()];
                if let Ok(d) = to_utf8(&bytes, ct, &opts) {
                    assert!(!d.text.trim().is_empty());
                }
                let _ = prescan(&bytes, opts_window);
            }
            if let Ok(s) = std::str::from_utf8(&bytes) {
                let _ = charset_from_content_type(s);
            }
        }
    }

    #[test]
    fn large_page() {
        let mut page = html("<meta charset=utf-8>", "");
        let para = format!("<p>{FRENCH} {RUSSIAN}</p>\n");
        while page.len() < 8 * 1024 * 1024 {
            page.push_str(&para);
        }
        let d = decode(page.as_bytes(), None);
        assert_eq!((d.text.len(), d.rule), (page.len(), Rule::Meta));
        let page = html("", &FRENCH.repeat(40_000));
        let d = decode(&encode(&page, WINDOWS_1252), None);
        assert_eq!(
            (d.text.len(), d.encoding, d.rule),
            (page.len(), WINDOWS_1252, Rule::Sniffed)
        );
    }
}
