//! The decode stage's settings: [`Options`] (the `[decode]` table of a
//! pipeline file) and its prescan default. Read by [`to_utf8`](super::to_utf8).

/// Default for [`Options::prescan_bytes`]. Browsers stop the `<meta>` prescan
/// at 1024 bytes, but scraped pages often put `<meta charset>` after inline
/// analytics scripts, long `<link>` lists or JSON-LD; 8 KiB catches most of
/// those while staying a few microseconds of work.
pub const DEFAULT_PRESCAN_BYTES: usize = 8 * 1024;

/// Settings for `to_utf8`. Deserializable (every field optional, unknown
/// fields rejected) so it can sit in pith's config file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// WHATWG label used when BOM, header, `<meta>` and sniffing all fail.
    /// Default `"windows-1252"`. Must name an encoding other than UTF-16 or
    /// "replacement", else decoding fails with an "unknown fallback encoding" error.
    pub fallback: String,
    /// How many bytes the `<meta charset>` prescan looks at. Browsers use
    /// 1024; the default here is `DEFAULT_PRESCAN_BYTES` (8 KiB) because
    /// many real pages put the `<meta>` later. `0` disables the prescan.
    pub prescan_bytes: usize,
    /// When a declared charset (header or `<meta>`) contradicts bytes that are
    /// valid UTF-8 containing non-ASCII, believe the bytes. Default `true`.
    pub trust_utf8_bytes: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fallback: "windows-1252".to_owned(),
            prescan_bytes: DEFAULT_PRESCAN_BYTES,
            trust_utf8_bytes: true,
        }
    }
}
