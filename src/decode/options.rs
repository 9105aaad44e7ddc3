//! The decode stage's settings: [`Options`] (the `[decode]` table of a
//! pipeline file). Read by [`to_utf8`](super::to_utf8).

/// Settings for `to_utf8`: the `[decode]` table of a pipeline file (unknown
/// keys rejected). [`Default`] is that table in `pipelines/default.toml`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// WHATWG label used when BOM, header, `<meta>` and sniffing all fail.
    /// Default `"windows-1252"`. Must name an encoding other than UTF-16 or
    /// "replacement", else decoding fails with an "unknown fallback encoding" error.
    pub fallback: String,
    /// How many bytes the `<meta charset>` prescan looks at. Browsers use
    /// 1024; the default here is 8 KiB because many real pages put the
    /// `<meta>` later. `0` disables the prescan.
    pub prescan_bytes: usize,
    /// When a declared charset (header or `<meta>`) contradicts bytes that are
    /// valid UTF-8 containing non-ASCII, believe the bytes. Default `true`.
    pub trust_utf8_bytes: bool,
}

impl Default for Options {
    fn default() -> Self {
        crate::config::defaults().decode.clone()
    }
}
