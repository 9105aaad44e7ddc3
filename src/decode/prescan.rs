//! The `<meta>` rule: WHATWG HTML's "prescan a byte stream to determine its
//! encoding" over the first [`Options::prescan_bytes`](super::Options::prescan_bytes)
//! bytes ([`prescan`]), with its attribute reader and the `content`
//! attribute's charset parser. Called by [`to_utf8`](super::to_utf8) when
//! HTTP said nothing usable.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::{encoding_for_label, usable_declared};

/// How far past [`Options::prescan_bytes`](super::Options::prescan_bytes) a tag that *starts* inside the
/// prescan window may run, so a `<meta>` straddling the window edge is still
/// read whole. Nothing new starts in this slack; it only finishes a tag or
/// comment already begun.
const PRESCAN_TAG_SLACK: usize = 512;

// <meta> prescan (WHATWG HTML, "prescan a byte stream to determine its encoding")

/// The spec's whitespace for the prescan: TAB, LF, FF, CR, SPACE.
fn is_ws(b: u8) -> bool {
    matches!(b, 0x09 | 0x0A | 0x0C | 0x0D | 0x20)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// The prescan. Constructs must start within the first `window` bytes; one
/// that started may finish within [`PRESCAN_TAG_SLACK`] more. Returns the
/// declared encoding with the spec's fix-ups (UTF-16 → UTF-8,
/// x-user-defined → windows-1252).
pub(super) fn prescan(bytes: &[u8], window: usize) -> Option<&'static Encoding> {
    let end = window.min(bytes.len());
    let hay = bytes
        .get(..window.saturating_add(PRESCAN_TAG_SLACK))
        .unwrap_or(bytes);
    let mut pos = 0usize;
    while pos < end {
        // Jump to the next '<'; nothing else starts a construct.
        pos += hay.get(pos..end)?.iter().position(|&b| b == b'<')?;
        let rest = hay.get(pos..)?;
        if rest.starts_with(b"<!--") {
            // The '>' of the first "-->" after the '<' (the "--" of "<!--"
            // counts, so "<!-->" is a complete comment).
            pos += 2 + find(rest.get(2..)?, b"-->")? + 2;
        } else if rest.len() > 5
            && rest[..5].eq_ignore_ascii_case(b"<meta")
            && (is_ws(rest[5]) || rest[5] == b'/')
        {
            pos += 5;
            if let Some(enc) = meta_element(hay, &mut pos) {
                return Some(enc);
            }
        } else if rest.len() > 1
            && (rest[1].is_ascii_alphabetic()
                || (rest[1] == b'/' && rest.get(2).is_some_and(u8::is_ascii_alphabetic)))
        {
            // Any other tag: skip the name, then its attributes.
            pos += rest
                .iter()
                .position(|&b| is_ws(b) || b == b'>')
                .unwrap_or(rest.len());
            while get_attribute(hay, &mut pos).is_some() {}
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            pos += rest.iter().position(|&b| b == b'>')?;
        }
        pos += 1; // "next byte"
    }
    None
}

/// The attributes of one `<meta>` (position just after `<meta`), and the
/// spec's decision whether they declare an encoding.
fn meta_element(hay: &[u8], pos: &mut usize) -> Option<&'static Encoding> {
    let (mut seen_http_equiv, mut seen_content, mut seen_charset) = (false, false, false);
    let mut got_pragma = false;
    let mut need_pragma: Option<bool> = None;
    let mut charset: Option<&'static Encoding> = None;
    while let Some((name, value)) = get_attribute(hay, pos) {
        if name.eq_ignore_ascii_case(b"http-equiv") && !seen_http_equiv {
            seen_http_equiv = true;
            got_pragma = value.eq_ignore_ascii_case(b"content-type");
        } else if name.eq_ignore_ascii_case(b"content") && !seen_content {
            seen_content = true;
            if charset.is_none() {
                if let Some(enc) = charset_from_meta_content(value) {
                    charset = Some(enc);
                    need_pragma = Some(true);
                }
            }
        } else if name.eq_ignore_ascii_case(b"charset") && !seen_charset {
            seen_charset = true;
            charset = encoding_for_label(value);
            need_pragma = Some(false);
        }
    }
    let need_pragma = need_pragma?;
    if need_pragma && !got_pragma {
        return None;
    }
    let enc = charset?;
    if enc == UTF_16LE || enc == UTF_16BE {
        return Some(UTF_8);
    }
    Some(usable_declared(enc))
}

/// The spec's "get an attribute". Returns `None` at `>` (position left on it)
/// or when the input runs out mid-attribute (that attribute is dropped).
fn get_attribute<'a>(hay: &'a [u8], pos: &mut usize) -> Option<(&'a [u8], &'a [u8])> {
    while hay.get(*pos).is_some_and(|&b| is_ws(b) || b == b'/') {
        *pos += 1;
    }
    if *hay.get(*pos)? == b'>' {
        return None;
    }
    let name_start = *pos;
    loop {
        let b = *hay.get(*pos)?;
        if b == b'=' && *pos > name_start {
            let name = hay.get(name_start..*pos)?;
            *pos += 1;
            return attribute_value(hay, pos, name);
        }
        if is_ws(b) {
            break;
        }
        if b == b'/' || b == b'>' {
            return Some((hay.get(name_start..*pos)?, b""));
        }
        *pos += 1;
    }
    let name = hay.get(name_start..*pos)?;
    while is_ws(*hay.get(*pos)?) {
        *pos += 1;
    }
    if *hay.get(*pos)? != b'=' {
        return Some((name, b""));
    }
    *pos += 1;
    attribute_value(hay, pos, name)
}

fn attribute_value<'a>(
    hay: &'a [u8],
    pos: &mut usize,
    name: &'a [u8],
) -> Option<(&'a [u8], &'a [u8])> {
    while is_ws(*hay.get(*pos)?) {
        *pos += 1;
    }
    let b = *hay.get(*pos)?;
    if b == b'"' || b == b'\'' {
        let start = *pos + 1;
        let len = hay.get(start..)?.iter().position(|&c| c == b)?;
        *pos = start + len + 1;
        return Some((name, hay.get(start..start + len)?));
    }
    if b == b'>' {
        return Some((name, b""));
    }
    let start = *pos;
    *pos += 1;
    loop {
        let c = *hay.get(*pos)?;
        if is_ws(c) || c == b'>' {
            return Some((name, hay.get(start..*pos)?));
        }
        *pos += 1;
    }
}

/// The spec's "extracting a character encoding from a meta element", applied
/// to a `content` attribute such as `text/html; charset=euc-jp`.
fn charset_from_meta_content(s: &[u8]) -> Option<&'static Encoding> {
    let mut pos = 0usize;
    loop {
        pos += find_ignore_case(s.get(pos..)?, b"charset")? + b"charset".len();
        let mut p = pos;
        while s.get(p).is_some_and(|&b| is_ws(b)) {
            p += 1;
        }
        if s.get(p) != Some(&b'=') {
            continue;
        }
        p += 1;
        while s.get(p).is_some_and(|&b| is_ws(b)) {
            p += 1;
        }
        let rest = s.get(p..)?;
        return match rest.first()? {
            &q @ (b'"' | b'\'') => {
                let inner = rest.get(1..)?;
                let len = inner.iter().position(|&c| c == q)?;
                encoding_for_label(inner.get(..len)?)
            }
            _ => {
                let len = rest
                    .iter()
                    .position(|&c| is_ws(c) || c == b';')
                    .unwrap_or(rest.len());
                encoding_for_label(rest.get(..len)?)
            }
        };
    }
}
