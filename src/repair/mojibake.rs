//! Mojibake repair: UTF-8 text that was decoded as windows-1252 or latin-1.

use super::MAX_LAYERS;
use crate::page::Repair;

/// The windows-1252 characters of bytes 0x80–0x9F (`None` for the five
/// undefined bytes, which latin-1 maps to C1 controls instead).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The character windows-1252 decodes a byte 0x80–0x9F to.
pub(super) fn cp1252_char(b: u8) -> Option<char> {
    CP1252_HIGH
        .get(usize::from(b.checked_sub(0x80)?))
        .copied()
        .flatten()
}

/// The byte a character came from if it was decoded as windows-1252, with
/// latin-1 as the fallback (so C1 controls map back to themselves).
fn cp1252_byte(c: char) -> Option<u8> {
    let u = u32::from(c);
    if u < 0x100 {
        return u8::try_from(u).ok();
    }
    CP1252_HIGH
        .iter()
        .position(|&x| x == Some(c))
        .and_then(|i| u8::try_from(i + 0x80).ok())
}

/// How many bytes a UTF-8 sequence starting with `b` has (0 if `b` cannot
/// start a multi-byte sequence).
fn utf8_len(b: u8) -> usize {
    match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Whether a byte is a UTF-8 continuation byte.
fn is_cont(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// Mojibake markers in a run of bytes: a UTF-8 lead byte directly followed by
/// a continuation byte (`Ã©`, `â€`, `Ð¿`).
fn markers(bytes: &[u8]) -> usize {
    bytes
        .windows(2)
        .filter(|w| utf8_len(w[0]) > 0 && is_cont(w[1]))
        .count()
}

/// Fixes mojibake runs; `None` when there is nothing to fix.
///
/// Two passes over the text run: the first fixes what is clearly mojibake on
/// its own; when it fixed something (the run is mis-decoded text), or the run
/// holds several weak sequences, a second, lenient pass also fixes the
/// remaining weak sequences that decode to letters (a lone Cyrillic `в`
/// written `Ð²` between spaces).
pub(super) fn fix_mojibake(s: &str, log: &mut Vec<Repair>) -> Option<String> {
    // Fast path: every UTF-8 lead byte decodes to U+00C2..U+00F4.
    if !s.chars().any(|c| ('\u{C2}'..='\u{F4}').contains(&c)) {
        return None;
    }
    let first = fix_pass(s, false, log);
    let text = first.as_deref().unwrap_or(s);
    if first.is_none() && weak_letters(text) < LENIENT_MIN_WEAK {
        return None;
    }
    match fix_pass(text, true, log) {
        Some(second) => Some(second),
        None => first,
    }
}

/// Weak sequences a text needs before the lenient pass runs on it even when
/// nothing else was fixed (two mis-decoded Cyrillic or Greek letters).
const LENIENT_MIN_WEAK: usize = 2;

/// How many two-byte sequences led by C4..DF in a text decode to a letter.
fn weak_letters(s: &str) -> usize {
    let bytes: Vec<Option<u8>> = s.chars().map(cp1252_byte).collect();
    bytes
        .windows(2)
        .filter(|w| match (w[0], w[1]) {
            (Some(a @ 0xC4..=0xDF), Some(b)) if is_cont(b) => std::str::from_utf8(&[a, b])
                .ok()
                .and_then(|d| d.chars().next())
                .is_some_and(is_weak_letter),
            _ => false,
        })
        .count()
}

/// Whether a character decoded from a weak sequence is a letter of the
/// scripts such sequences carry: Latin Extended, IPA, Greek, Cyrillic,
/// Armenian, Hebrew, Arabic (U+0100..U+06FF; not NKo or Thaana, which correct
/// German `ß` before a quote would give).
fn is_weak_letter(c: char) -> bool {
    ('\u{100}'..='\u{6FF}').contains(&c) && c.is_alphabetic()
}

/// One pass of mojibake repair; `lenient` accepts weak sequences that decode
/// to U+0100..U+06FF (letters, marks, modifiers) anywhere.
fn fix_pass(s: &str, lenient: bool, log: &mut Vec<Repair>) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if cp1252_byte(c).is_none_or(|b| b < 0x80) {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && cp1252_byte(chars[i]).is_some_and(|b| b >= 0x80) {
            i += 1;
        }
        let run = &chars[start..i];
        let next = chars.get(i).copied();
        let prev = start.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let ctx = Context {
            prev,
            next,
            lenient,
        };
        let mut fixed = fix_layers(run, ctx);
        // `Â` + space: a no-break space (C2 A0) whose A0 became a plain space.
        let mut eat_next = false;
        if fixed.is_none()
            && run == ['Â']
            && next == Some(' ')
            && !prev.is_some_and(char::is_uppercase)
        {
            fixed = Some(String::new());
        }
        // A lost third byte after `â€` left U+FFFD: swallow it with the quote.
        if next == Some('\u{FFFD}')
            && fixed.as_deref().is_some_and(|f| f.ends_with('”'))
            && run.ends_with(&['â', '€'])
        {
            eat_next = true;
        }
        match fixed {
            Some(f) => {
                let mut from: String = run.iter().collect();
                if eat_next {
                    from.push('\u{FFFD}');
                    i += 1;
                }
                if run == ['Â'] {
                    from.push(' ');
                    log.push(Repair {
                        kind: "mojibake".into(),
                        from,
                        to: " ".into(),
                    });
                } else {
                    log.push(Repair {
                        kind: "mojibake".into(),
                        from,
                        to: f.clone(),
                    });
                }
                out.push_str(&f);
                changed = true;
            }
            None => out.extend(run),
        }
    }
    changed.then_some(out)
}

/// Undoes one or more layers of mis-decoding on a run of encodable non-ASCII
/// characters; `None` if nothing was clearly mojibake.
fn fix_layers(run: &[char], ctx: Context) -> Option<String> {
    let mut cur: Vec<char> = run.to_vec();
    let mut any = false;
    for _ in 0..MAX_LAYERS {
        let c = if any {
            Context { next: None, ..ctx }
        } else {
            ctx
        };
        match fix_cluster(&cur, c) {
            Some(f) => {
                any = true;
                let done = !f.chars().any(|c| cp1252_byte(c).is_some_and(|b| b >= 0x80));
                cur = f.chars().collect();
                if done {
                    break;
                }
            }
            None => break,
        }
    }
    any.then(|| cur.into_iter().collect())
}

/// What surrounds a run of mojibake candidates.
#[derive(Debug, Clone, Copy)]
struct Context {
    /// The character before the run.
    prev: Option<char>,
    /// The character after the run.
    next: Option<char>,
    /// Accept weak sequences that decode to U+0100..U+06FF anywhere.
    lenient: bool,
}

/// One layer of mojibake repair on a run of characters that all encode to
/// bytes ≥ 0x80. Rules for a byte sequence that is valid UTF-8:
/// - 2 bytes led by C2/C3 (`Â`, `Ã`: decodes to U+0080..U+00FF): fixed;
/// - 2 bytes led by C4..DF (`Ä`..`ß`: Latin Extended, Greek, Cyrillic, Hebrew,
///   Arabic): fixed next to another fixed sequence, so `Ð¿Ñ€` becomes `пр`
///   while a lone `ß”` or `Ö‘` (correct German before a quote) stays; also
///   inside a word when it decodes to a Latin, Greek or Cyrillic letter (a
///   lower-case ASCII letter before it or any ASCII letter after it, as in
///   `MÄ\u{81}ori`, `PetroviÄ‡`), and, in the lenient pass, whenever it
///   decodes to U+0100..U+06FF (`Ë™` → `˙`);
/// - 3 and 4 bytes (`â€™`, `ã‚¢`, `ðŸ˜€`): fixed;
/// - `â€` with nothing valid after it (the third byte was lost, almost always
///   the undefined 0x9D of `”`): becomes `”`.
///
/// The result is accepted only if it has fewer mojibake markers.
fn fix_cluster(run: &[char], ctx: Context) -> Option<String> {
    let next = ctx.next;
    let bytes: Vec<u8> = run.iter().filter_map(|&c| cp1252_byte(c)).collect();
    if bytes.len() != run.len() {
        return None;
    }
    // (start, end, decoded, strong)
    let mut segs: Vec<(usize, usize, Option<char>, bool)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let n = utf8_len(bytes[i]);
        let decoded =
            (n > 0 && i + n <= bytes.len() && bytes[i + 1..i + n].iter().all(|&b| is_cont(b)))
                .then(|| {
                    std::str::from_utf8(&bytes[i..i + n])
                        .ok()
                        .and_then(|s| s.chars().next())
                })
                .flatten();
        if let Some(d) = decoded {
            let in_word = (i == 0 && ctx.prev.is_some_and(|c| c.is_ascii_lowercase()))
                || (i + n == bytes.len() && next.is_some_and(|c| c.is_ascii_alphabetic()));
            let letter = is_weak_letter(d);
            let strong = n > 2
                || bytes[i] <= 0xC3
                || (ctx.lenient && ('\u{100}'..='\u{6FF}').contains(&d))
                || (letter && in_word && d <= '\u{52F}');
            segs.push((i, i + n, Some(d), strong));
            i += n;
        } else if bytes[i] == 0xE2
            && bytes.get(i + 1) == Some(&0x80)
            && i + 2 == bytes.len()
            && !next.is_some_and(char::is_alphanumeric)
        {
            segs.push((i, i + 2, Some('”'), true));
            i += 2;
        } else {
            segs.push((i, i + 1, None, false));
            i += 1;
        }
    }
    let mut out = String::new();
    let mut changed = false;
    for (k, &(s, e, d, strong)) in segs.iter().enumerate() {
        let neighbour =
            |j: Option<usize>| j.and_then(|j| segs.get(j)).is_some_and(|x| x.2.is_some());
        let accept =
            d.is_some() && (strong || neighbour(k.checked_sub(1)) || neighbour(Some(k + 1)));
        match d {
            Some(c) if accept => {
                out.push(c);
                changed = true;
            }
            _ => out.extend(&run[s..e]),
        }
    }
    if !changed {
        return None;
    }
    let after: Vec<u8> = out.chars().filter_map(cp1252_byte).collect();
    (markers(&after) < markers(&bytes)).then_some(out)
}

/// Characters windows-1252 text leaves behind when it is read as latin-1:
/// C1 controls U+0080–U+009F whose byte windows-1252 defines (`\u{92}` for
/// `’`). Each becomes its windows-1252 character (ftfy's `fix_c1_controls`);
/// the five undefined ones are left to the invisible repair. Runs after
/// [`fix_mojibake`], so C1 controls inside a mojibake sequence (UTF-8 read as
/// latin-1) are decoded with their sequence first.
pub(super) fn fix_c1(s: &str, log: &mut Vec<Repair>) -> Option<String> {
    let mapped = |c: char| -> Option<char> {
        let u = u32::from(c);
        if (0x80..=0x9F).contains(&u) {
            cp1252_char(u8::try_from(u).ok()?)
        } else {
            None
        }
    };
    if !s.chars().any(|c| mapped(c).is_some()) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for tok in s.split_inclusive(char::is_whitespace) {
        if tok.chars().any(|c| mapped(c).is_some()) {
            let fixed: String = tok.chars().map(|c| mapped(c).unwrap_or(c)).collect();
            log.push(Repair {
                kind: "mojibake".into(),
                from: tok.trim_end().to_owned(),
                to: fixed.trim_end().to_owned(),
            });
            out.push_str(&fixed);
        } else {
            out.push_str(tok);
        }
    }
    Some(out)
}
