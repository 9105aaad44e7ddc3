//! The HTTP rule: the `charset` parameter of a `Content-Type` header
//! ([`charset_from_content_type`], re-exported by the parent), with its
//! whitespace helpers.

use encoding_rs::Encoding;

use super::encoding_for_label;

/// Parses the `charset` parameter of a `Content-Type` header value, e.g.
/// `text/html; charset="Shift_JIS"` gives `Some(SHIFT_JIS)`.
///
/// Parameter names are case-insensitive; values may be bare, double-quoted
/// (with backslash escapes) or, leniently, single-quoted. Labels are resolved
/// the WHATWG way ([`Encoding::for_label`], so `latin1` is windows-1252). The
/// first `charset` parameter wins. Returns `None` when there is no such
/// parameter, the label is unknown, or the label maps to the WHATWG
/// "replacement" encoding (ISO-2022-KR, HZ-GB-2312, ...), since decoding with
/// that would throw away the whole document.
pub fn charset_from_content_type(value: &str) -> Option<&'static Encoding> {
    let b = value.as_bytes();
    // Skip the type/subtype: parameters start after the first ';'.
    let mut i = b.iter().position(|&c| c == b';')? + 1;
    while i < b.len() {
        while i < b.len() && (b[i] == b';' || is_http_ws(b[i])) {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && b[i] != b'=' && b[i] != b';' {
            i += 1;
        }
        let name = trim_http_ws(&b[name_start..i]);
        if i >= b.len() || b[i] == b';' {
            continue; // a parameter without '=' is ignored
        }
        i += 1; // '='
        while i < b.len() && is_http_ws(b[i]) {
            i += 1;
        }
        let mut label = Vec::new();
        if b.get(i) == Some(&b'"') {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                label.push(b[i]);
                i += 1;
            }
            // Skip the closing quote and anything up to the next ';'.
            while i < b.len() && b[i] != b';' {
                i += 1;
            }
        } else {
            let start = i;
            while i < b.len() && b[i] != b';' {
                i += 1;
            }
            let mut raw = trim_http_ws(&b[start..i]);
            if raw.len() >= 2 && raw[0] == b'\'' && raw[raw.len() - 1] == b'\'' {
                raw = &raw[1..raw.len() - 1];
            }
            label.extend_from_slice(raw);
        }
        if name.eq_ignore_ascii_case(b"charset") {
            return encoding_for_label(&label);
        }
    }
    None
}

fn is_http_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn trim_http_ws(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_http_ws(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_http_ws(*last) {
            break;
        }
        s = rest;
    }
    s
}
