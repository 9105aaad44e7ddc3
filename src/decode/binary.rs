//! The binary check: known file signatures and NUL/control-byte counts in
//! the first few KB. [`to_utf8`](super::to_utf8) runs it (after the BOM
//! rule) and turns a hit into [`DecodeError::Binary`](super::DecodeError::Binary).

/// How many leading bytes the binary check looks at ("first few KB"). Binary
/// formats show themselves within the first block; looking further would only
/// cost time on large pages.
const BINARY_SNIFF_BYTES: usize = 4 * 1024;

/// More NUL bytes than this in the binary-check window means the input is
/// binary. Text never legitimately contains NUL, but a stray one or two turn up
/// in scraped pages (buggy CMSes, truncated writes); compressed or image data
/// averages one NUL every 256 bytes, i.e. ~16 in the window, so tolerating two
/// costs no detection power.
const MAX_NUL_BYTES: usize = 2;

/// The share, in bytes per thousand, of "binary data bytes" (the WHATWG MIME
/// sniffing set: C0 controls except TAB, LF, FF, CR and ESC) in the
/// binary-check window above which the input is binary. Random or compressed
/// data has ~105 per mille; real text has essentially none.
const MAX_CONTROL_PER_MILLE: usize = 20;

/// The control-byte ratio only counts once at least this many control bytes
/// were seen, so that a tiny input with one odd byte is not called binary.
const MIN_CONTROL_BYTES: usize = 4;

/// Known file signatures at offset 0 that mean "not a text page", with the
/// name used in [`DecodeError::Binary`](super::DecodeError::Binary).
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1F\x8B", "gzip data"),
    (b"\x28\xB5\x2F\xFD", "zstd data"),
    (b"\x7FELF", "ELF binary"),
];

pub(super) fn binary_window(bytes: &[u8]) -> &[u8] {
    bytes.get(..BINARY_SNIFF_BYTES).unwrap_or(bytes)
}

pub(super) fn magic_signature(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        return Some("WebP image");
    }
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, name)| name)
}

/// WHATWG MIME sniffing's "binary data byte": C0 controls other than TAB, LF,
/// FF, CR and ESC (ESC is needed by ISO-2022-JP).
fn is_binary_byte(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F)
}

pub(super) fn control_bytes_reason(bytes: &[u8]) -> Option<String> {
    let window = binary_window(bytes);
    let nuls = window.iter().filter(|&&b| b == 0).count();
    if nuls > MAX_NUL_BYTES {
        return Some(format!(
            "{nuls} NUL bytes in the first {} bytes",
            window.len()
        ));
    }
    let controls = window.iter().filter(|&&b| is_binary_byte(b)).count();
    if controls >= MIN_CONTROL_BYTES
        && controls.saturating_mul(1000) > window.len().saturating_mul(MAX_CONTROL_PER_MILLE)
    {
        return Some(format!(
            "{controls} control bytes in the first {} bytes",
            window.len()
        ));
    }
    None
}
