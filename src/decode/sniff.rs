//! Sniffing: what the bytes themselves say when no declaration decides.
//! UTF-8 validity ([`utf8_status`]), the "mostly UTF-8" vote
//! ([`mostly_utf8`]) and `chardetng` ([`sniff`]), all over bounded
//! prefixes. Used by [`to_utf8`](super::to_utf8) for rules 4 and 5 and for
//! the two corrections on top of the declared charsets.

use encoding_rs::Encoding;

/// How many leading bytes are fed to `chardetng` (and to the "mostly UTF-8"
/// vote). Beyond a few hundred KiB of text the guess no longer changes, while
/// the sniffer is several times slower than decoding; this bounds the cost on
/// huge pages.
const SNIFF_MAX_BYTES: usize = 512 * 1024;

/// With a UTF-8 declaration but invalid bytes, the declaration is kept when
/// valid multi-byte sequences are at least this many times the invalid ones
/// (a UTF-8 page with a few stray legacy bytes). The declaration tips the
/// balance, so a simple majority suffices.
pub(super) const DECLARED_UTF8_VALID_PER_INVALID: usize = 1;

/// Without any declaration, invalid bytes are still decoded as UTF-8 when valid
/// multi-byte sequences are at least this many times the invalid ones. Higher
/// than the declared case because some legacy CJK text forms a valid UTF-8
/// sequence by chance for roughly one character in ten.
pub(super) const UNDECLARED_UTF8_VALID_PER_INVALID: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Utf8Status {
    /// Only ASCII bytes.
    Ascii,
    /// Valid UTF-8 (a truncated final sequence allowed) with some non-ASCII.
    NonAscii,
    /// Not valid UTF-8.
    Invalid,
}

/// One pass: SIMD ASCII scan, then UTF-8 validation from the first non-ASCII
/// byte on. A multi-byte sequence cut off by the end of input (a truncated
/// download) does not make the input invalid.
pub(super) fn utf8_status(bytes: &[u8]) -> Utf8Status {
    let ascii = Encoding::ascii_valid_up_to(bytes);
    let Some(rest) = bytes.get(ascii..).filter(|rest| !rest.is_empty()) else {
        return Utf8Status::Ascii;
    };
    match std::str::from_utf8(rest) {
        Ok(_) => Utf8Status::NonAscii,
        Err(e) if e.error_len().is_none() => Utf8Status::NonAscii,
        Err(_) => Utf8Status::Invalid,
    }
}

/// Whether the first [`SNIFF_MAX_BYTES`] have at least `ratio` valid
/// multi-byte UTF-8 sequences per invalid one (and at least one valid one).
pub(super) fn mostly_utf8(bytes: &[u8], ratio: usize) -> bool {
    let mut rest = sniff_window(bytes);
    let mut valid = 0usize;
    let mut invalid = 0usize;
    let count_leads = |s: &[u8]| s.iter().filter(|&&b| b >= 0xC0).count();
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid += count_leads(s.as_bytes());
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid += count_leads(good);
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        rest = after.get(n..).unwrap_or_default();
                    }
                    None => break,
                }
            }
        }
    }
    valid > 0 && valid >= invalid.saturating_mul(ratio)
}

/// `chardetng` over the sniff window: the guess and whether it is confident.
pub(super) fn sniff(bytes: &[u8]) -> (&'static Encoding, bool) {
    let window = sniff_window(bytes);
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(window, window.len() == bytes.len());
    detector.guess_assess(None, true)
}

pub(super) fn sniff_window(bytes: &[u8]) -> &[u8] {
    bytes.get(..SNIFF_MAX_BYTES).unwrap_or(bytes)
}
