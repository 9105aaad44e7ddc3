//! Hostile and broken inputs through the library API: no panic, no hang, and a
//! clear per-page result (Ok with sensible text, or Err naming the stage).
//!
//! Each test runs in a child process (this test binary re-run with a filter),
//! so a stack overflow or abort fails only that test and a hang is caught by a
//! timeout instead of stalling the suite.

mod common;
use common::xorshift_bytes;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use pith::{Article, Failure, Format, Page, Pipeline, Stage};

// ---------------------------------------------------------------- harness

const CHILD_ENV: &str = "PITH_ROBUSTNESS_CHILD";

/// Runs `body` in a child process with a time limit. In the child, runs it.
fn isolated(name: &str, limit: Duration, body: impl FnOnce()) {
    if std::env::var(CHILD_ENV).as_deref() == Ok(name) {
        body();
        return;
    }
    let started = Instant::now();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, name)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the pipes on threads so a chatty child cannot block on them.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("{name}: no result after {limit:?} (hang or pathological slowness)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = t_out.join().unwrap();
    let err = t_err.join().unwrap();
    assert!(
        status.success(),
        "{name}: child failed ({status}) after {:?}\n--- stdout\n{out}\n--- stderr\n{err}",
        started.elapsed()
    );
    assert!(
        out.contains("1 passed"),
        "{name}: child did not run the test (filter mismatch?)\n{out}\n{err}"
    );
    eprintln!("{name}: {:?}", started.elapsed());
}

/// The time limit for a test: generous, since debug builds are ~10x slower.
fn limit(secs: u64) -> Duration {
    Duration::from_secs(if cfg!(debug_assertions) {
        secs * 4
    } else {
        secs
    })
}

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(Pipeline::default)
}

fn process(body: impl Into<Vec<u8>>) -> Result<Article, Failure> {
    pipeline().process(&Page::html("t", body))
}

fn process_text(body: impl Into<Vec<u8>>) -> Result<Article, Failure> {
    pipeline().process(&Page::html("t", body).with_format(Format::Text))
}

fn ok_text(r: Result<Article, Failure>, what: &str) -> String {
    match r {
        Ok(a) => {
            let t = a.text();
            assert!(!t.trim().is_empty(), "{what}: Ok but empty text");
            assert!(t.ends_with('\n'), "{what}: text does not end in a newline");
            t
        }
        Err(f) => panic!("{what}: expected Ok, got {f}"),
    }
}

fn err_stage(r: Result<Article, Failure>, what: &str) -> Stage {
    match r {
        Ok(a) => panic!(
            "{what}: expected Err, got Ok with text {:?}",
            short(&a.text())
        ),
        Err(f) => {
            assert_eq!(f.id, "t", "{what}: failure lost the page id");
            assert!(!f.error.to_string().is_empty(), "{what}: no reason");
            f.stage
        }
    }
}

fn short(s: &str) -> String {
    s.chars().take(200).collect()
}

/// A realistic page with multi-byte characters, boilerplate and metadata.
const PAGE: &str = r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Café owners brace for tourist season | Harbour Gazette</title>
<meta property="og:site_name" content="Harbour Gazette">
<script>window.dataLayer = [{"page": "news"}];</script>
<style>p { margin: 0 }</style>
</head><body>
<header class="site-header"><a href="/">Harbour Gazette</a></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article class="story">
<h1>Café owners brace for tourist season</h1>
<p>Owners of the café on the quay — the oldest in town — expect twice as many visitors this summer.</p>
<p>Bookings from Japan (日本) and Korea (한국) have doubled since the new ferry route opened in March.</p>
<p>“We will hire four more people,” said Zoë Ångström, who has run the café since 1998.</p>
</article>
<aside class="sidebar"><h2>Most read</h2><ol><li><a href="/a">Storm hits pier</a></li><li><a href="/b">Fish prices rise</a></li></ol></aside>
<footer><p>© 2024 Harbour Gazette. All rights reserved.</p></footer>
</body></html>
"##;

const PAGE_TEXT: &str = "Owners of the café on the quay — the oldest in town — expect twice as many visitors this summer.\n\n\
Bookings from Japan (日本) and Korea (한국) have doubled since the new ferry route opened in March.\n\n\
“We will hire four more people,” said Zoë Ångström, who has run the café since 1998.\n";

fn paragraphs_html(n: usize) -> String {
    let mut s = String::with_capacity(n * 120);
    for i in 0..n {
        s.push_str(&format!(
            "<p>Paragraph {i}: the committee met again to discuss the harbour budget and the new ferry timetable.</p>\n"
        ));
    }
    s
}

// ---------------------------------------------------------------- baseline

#[test]
fn realistic_page_baseline() {
    let t = ok_text(process(PAGE.as_bytes()), "page");
    assert_eq!(t, PAGE_TEXT);
    assert_eq!(
        pith::clean_html(PAGE.as_bytes(), Some("https://harbour.example/cafe"))
            .unwrap()
            .text(),
        PAGE_TEXT
    );
}

// ---------------------------------------------------------------- empty and junk

#[test]
fn empty_bytes_fail_at_decode() {
    assert_eq!(err_stage(process(Vec::new()), "empty"), Stage::Decode);
    assert_eq!(
        err_stage(process_text(Vec::new()), "empty text"),
        Stage::Decode
    );
    assert!(pith::clean_html(b"", None).is_err());
}

#[test]
fn whitespace_only_fails_cleanly() {
    for ws in [&b" "[..], b"\n\n\n", b" \t\r\n \x0c ", &[b' '; 100_000][..]] {
        let s = err_stage(process(ws), "whitespace");
        assert!(matches!(s, Stage::Decode | Stage::Extract), "{s:?}");
        let s = err_stage(process_text(ws), "whitespace text");
        assert!(matches!(s, Stage::Decode | Stage::Extract), "{s:?}");
    }
    // Markup with only whitespace text: decode succeeds, extract finds nothing.
    let s = err_stage(
        process("<html><body><div>  </div><p>\n</p>&nbsp;</body></html>"),
        "empty markup",
    );
    assert_eq!(s, Stage::Extract);
}

#[test]
fn binary_junk_fails_at_decode() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(xorshift_bytes(42, 64 * 1024));
    assert_eq!(err_stage(process(png.clone()), "png"), Stage::Decode);
    assert_eq!(err_stage(process_text(png), "png text"), Stage::Decode);
    for seed in 1..=20u64 {
        let junk = xorshift_bytes(seed, 1 + (seed as usize * 997) % 20_000);
        // Random bytes: Err at decode (binary), or, for short inputs that slip
        // through the binary check, whatever they decode to — but never a panic.
        match process(junk.clone()) {
            Ok(a) => assert!(!a.text().contains('\0')),
            Err(f) => assert!(matches!(f.stage, Stage::Decode | Stage::Extract), "{f}"),
        }
        let _ = process_text(junk);
    }
    let junk = xorshift_bytes(99, 100_000);
    assert_eq!(err_stage(process(junk), "random 100k"), Stage::Decode);
}

#[test]
fn gzip_bytes_passed_as_html_fail_at_decode() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(PAGE.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    assert_eq!(err_stage(process(gz.clone()), "gzip"), Stage::Decode);
    assert_eq!(err_stage(process_text(gz), "gzip text"), Stage::Decode);
}

#[test]
fn nul_bytes() {
    // A few stray NULs in a page: text comes out, without the NULs.
    let page = PAGE.replacen("oldest in town", "oldest\0 in town", 1);
    let t = ok_text(process(page), "one NUL");
    assert!(!t.contains('\0'), "{t:?}");
    assert!(t.contains("the oldest in town") || t.contains("the oldest  in town"));
    // NULs far into a page (past any binary-check window) are dropped too.
    let mut long = String::from("<html><body><article>");
    long.push_str(&paragraphs_html(200));
    for i in 0..50 {
        long.push_str(&format!(
            "<p>Late paragraph {i} with a NUL\0 byte in it, after the rest of the story.</p>"
        ));
    }
    long.push_str("</article></body></html>");
    let t = ok_text(process(long), "late NULs");
    assert!(!t.contains('\0'));
    assert!(t.contains("Late paragraph 49 with a NUL"), "{}", short(&t));
    // A page that is mostly NULs is binary.
    let mut nuls = b"<html><body><p>".to_vec();
    nuls.extend(std::iter::repeat_n(0u8, 10_000));
    nuls.extend_from_slice(b"</p></body></html>");
    assert_eq!(err_stage(process(nuls), "NULs"), Stage::Decode);
}

// ---------------------------------------------------------------- broken encodings

#[test]
fn invalid_utf8_sprinkled_into_utf8_page() {
    let mut bytes = PAGE.as_bytes().to_vec();
    // Stray bytes inside the three paragraphs: lone continuation, lone lead,
    // 0xFF, an overlong sequence and a truncated 3-byte sequence.
    for (needle, junk) in [
        (&b"expect twice"[..], &b"\x80"[..]),
        (b"have doubled", b"\xC3"),
        (b"four more", b"\xFF\xFE"),
        (b"since 1998", b"\xC0\xAF"),
        (b"ferry route", b"\xE6\x97"),
    ] {
        let at = bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap();
        bytes.splice(at..at, junk.iter().copied());
    }
    assert!(std::str::from_utf8(&bytes).is_err());
    let a = process(bytes).unwrap_or_else(|f| panic!("sprinkled: {f}"));
    let t = a.text();
    let enc = a.encoding.as_ref().unwrap();
    assert_eq!(
        enc.name, "UTF-8",
        "a few stray bytes must not flip the encoding"
    );
    assert!(enc.malformed, "malformed input not recorded");
    // The valid multi-byte text survives intact (no mojibake).
    for s in [
        "café",
        "— the oldest in town —",
        "(日本)",
        "(한국)",
        "Zoë Ångström",
        "“We will",
    ] {
        assert!(t.contains(s), "{s:?} lost:\n{t}");
    }
    assert_eq!(t.lines().filter(|l| !l.is_empty()).count(), 3, "{t}");
}

#[test]
fn truncated_page_at_every_offset() {
    isolated("truncated_page_at_every_offset", limit(60), || {
        let bytes = PAGE.as_bytes();
        let end_of_article = PAGE.find("</article>").unwrap() + "</article>".len();
        let mut mid_utf8 = 0;
        let mut ok = 0;
        for cut in 0..=bytes.len() {
            let piece = &bytes[..cut];
            if std::str::from_utf8(piece).is_err() {
                mid_utf8 += 1;
            }
            match process(piece) {
                Ok(a) => {
                    ok += 1;
                    let t = a.text();
                    assert!(!t.trim().is_empty(), "cut {cut}: Ok with empty text");
                    // At end of input, a lone `<` or `</` is text by the HTML
                    // spec (browsers show it too); anything else is leaked markup.
                    let mut t = t;
                    for tail in ["</", "<"] {
                        if piece.ends_with(tail.as_bytes()) {
                            if let Some(x) = t.strip_suffix(&format!("{tail}\n")) {
                                t = format!("{}\n", x.trim_end());
                                break;
                            }
                        }
                    }
                    if t.trim().is_empty() {
                        continue;
                    }
                    assert!(
                        !t.contains("<p") && !t.contains("</") && !t.contains("<script"),
                        "cut {cut}: markup in text {t:?}"
                    );
                    assert!(!t.contains("window.dataLayer"), "cut {cut}: script text");
                    if cut >= end_of_article {
                        assert_eq!(t, PAGE_TEXT, "cut {cut}");
                    }
                }
                Err(f) => {
                    assert!(
                        cut < end_of_article,
                        "cut {cut}: a page holding the whole article failed: {f}"
                    );
                    assert!(
                        matches!(f.stage, Stage::Decode | Stage::Extract),
                        "cut {cut}: {f}"
                    );
                }
            }
        }
        assert!(mid_utf8 > 20, "the page has too few multi-byte characters");
        assert!(ok > bytes.len() / 3, "only {ok} cuts gave text");
    });
}

#[test]
fn truncated_text_mode_at_every_offset() {
    isolated("truncated_text_mode_at_every_offset", limit(60), || {
        let text = PAGE_TEXT.as_bytes();
        for cut in 0..=text.len() {
            match process_text(&text[..cut]) {
                Ok(a) => assert!(!a.text().trim().is_empty(), "cut {cut}"),
                Err(f) => assert!(
                    matches!(f.stage, Stage::Decode | Stage::Extract),
                    "cut {cut}: {f}"
                ),
            }
        }
    });
}

// ---------------------------------------------------------------- deep nesting

fn nested(open: &str, close: &str, depth: usize, text: &str) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * depth + text.len() + 64);
    s.push_str("<html><head><title>Deep</title></head><body>");
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(text);
    for _ in 0..depth {
        s.push_str(close);
    }
    s.push_str("</body></html>");
    s
}

const DEEP_TEXT: &str =
    "The text at the bottom of a very deep tree must still come out as a paragraph.";

/// A deep page must give its text, or fail cleanly at extract (a pipeline may
/// refuse absurd nesting), within `DEEP_LIMIT` in every build profile: a
/// nesting guard makes this cheap even in debug builds.
fn deep_result(html: String, what: &str) {
    match process(html) {
        Ok(a) => {
            let t = a.text();
            assert!(t.contains(DEEP_TEXT), "{what}: text lost: {}", short(&t));
        }
        Err(f) => assert_eq!(f.stage, Stage::Extract, "{what}: {f}"),
    }
}

fn deep_case(open: &str, close: &str, depth: usize) {
    let html = nested(open, close, depth, &format!("<p>{DEEP_TEXT}</p>"));
    deep_result(html, &format!("{open} x{depth}"));
    // Unclosed: the end tags never come.
    let unclosed = nested(open, "", depth, DEEP_TEXT);
    deep_result(unclosed, &format!("{open} x{depth} unclosed"));
}

/// 100,000 levels is a ~600 KB page: seconds at most, whatever the profile.
const DEEP_LIMIT: Duration = Duration::from_secs(20);

#[test]
fn deep_div_nesting() {
    isolated("deep_div_nesting", DEEP_LIMIT, || {
        deep_case("<div>", "</div>", 100_000)
    });
}

#[test]
fn deep_b_nesting() {
    isolated("deep_b_nesting", DEEP_LIMIT, || {
        deep_case("<b>", "</b>", 100_000)
    });
}

#[test]
fn deep_table_nesting() {
    isolated("deep_table_nesting", DEEP_LIMIT, || {
        deep_case("<table><tr><td>", "</td></tr></table>", 100_000)
    });
}

#[test]
fn deep_span_nesting_on_cli_sized_stack() {
    // The CLI runs pages on tokio blocking threads (2 MiB stacks by default):
    // any recursion over the tree would overflow here.
    isolated("deep_span_nesting_on_cli_sized_stack", DEEP_LIMIT, || {
        let html = nested("<span>", "</span>", 100_000, &format!("<p>{DEEP_TEXT}</p>"));
        let h = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || deep_result(html, "<span> x100000"))
            .unwrap();
        h.join().expect("no panic");
    });
}

#[test]
fn deep_list_nesting() {
    isolated("deep_list_nesting", DEEP_LIMIT, || {
        let depth = 10_000;
        let mut s = String::from("<html><body><article><p>");
        s.push_str(DEEP_TEXT);
        s.push_str("</p>");
        for i in 0..depth {
            s.push_str(&format!("<ol><li>Item at level {i} of the list"));
        }
        for _ in 0..depth {
            s.push_str("</li></ol>");
        }
        s.push_str("</article></body></html>");
        deep_result(s, "<ol> x10000");
    });
}

// ---------------------------------------------------------------- size

/// A few seconds in release; the test profile optimises (see Cargo.toml) so
/// this runs in `cargo test` too.
#[test]
fn fifty_megabyte_page() {
    isolated("fifty_megabyte_page", limit(25), || {
        let mut html = String::from(
            "<html><head><title>Minutes</title></head><body><nav><a href=\"/\">Home</a></nav><article>",
        );
        let para = paragraphs_html(1);
        let n = 50_000_000 / para.len();
        html.push_str(&paragraphs_html(n));
        html.push_str("</article><footer>Footer</footer></body></html>");
        assert!(html.len() >= 50_000_000);
        let started = Instant::now();
        let t = ok_text(process(html), "50 MB");
        eprintln!("50 MB page: {:?}", started.elapsed());
        assert!(t.starts_with("Paragraph 0: the committee"), "{}", short(&t));
        assert!(
            t.contains(&format!("Paragraph {}: the committee", n - 1)),
            "last paragraph lost"
        );
        assert_eq!(t.matches("\n\n").count(), n - 1);
        assert!(!t.contains("Home") && !t.contains("Footer"));
    });
}

#[test]
fn one_huge_text_node() {
    isolated("one_huge_text_node", limit(30), || {
        let sentence = "The committee met again to discuss the harbour budget and the timetable. ";
        let n = 2_000_000 / sentence.len();
        let body = sentence.repeat(n);
        let t = ok_text(process(body.clone()), "huge text node");
        assert!(t.starts_with("The committee met again"), "{}", short(&t));
        assert!(
            t.len() >= body.trim().len(),
            "text lost: {} < {}",
            t.len(),
            body.len()
        );
        // Text mode: one huge line.
        let t = ok_text(process_text(body.clone()), "huge line");
        assert!(t.len() >= body.trim().len());
    });
}

#[test]
fn ten_thousand_attributes() {
    isolated("ten_thousand_attributes", limit(30), || {
        let mut attrs = String::new();
        for i in 0..10_000 {
            attrs.push_str(&format!(" data-a{i}=\"v{i}\""));
        }
        // Also a huge class attribute, which the class/id rules look at.
        let classes: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
        let html = format!(
            "<html><body><article{attrs} class=\"{}\"><p>{DEEP_TEXT}</p></article></body></html>",
            classes.join(" ")
        );
        let t = ok_text(process(html), "attributes");
        assert_eq!(t, format!("{DEEP_TEXT}\n"));
        // Duplicate attribute names.
        let dup = " x=1".repeat(10_000);
        let html = format!("<html><body><div{dup}><p>{DEEP_TEXT}</p></div></body></html>");
        assert_eq!(
            ok_text(process(html), "dup attrs"),
            format!("{DEEP_TEXT}\n")
        );
    });
}

#[test]
fn many_siblings_and_long_lines() {
    isolated("many_siblings_and_long_lines", limit(30), || {
        // 100,000 empty inline siblings, and a single word 1 MB long.
        let mut html = String::from("<html><body><article><p>");
        html.push_str(DEEP_TEXT);
        html.push_str(&"<span></span>".repeat(100_000));
        html.push_str("</p><p>");
        html.push_str(&"x".repeat(1_000_000));
        html.push_str("</p></article></body></html>");
        let t = ok_text(process(html), "siblings");
        assert!(t.contains(DEEP_TEXT));
    });
}

// ---------------------------------------------------------------- fuzz-ish

#[test]
fn random_tag_soup() {
    isolated("random_tag_soup", limit(60), || {
        const PIECES: &[&str] = &[
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<table>",
            "<tr>",
            "<td>",
            "</table>",
            "<ol>",
            "<li>",
            "</ol>",
            "<pre>",
            "</pre>",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<nav>",
            "</nav>",
            "<article>",
            "</article>",
            "<br>",
            "&amp;",
            "&#xD800;",
            "&#0;",
            "&nbsp;",
            "\u{AD}",
            "\u{200B}",
            "é",
            "日本",
            "\r\n",
            " ",
            "word ",
            "<a href=x>",
            "</a>",
            "<h1>",
            "</h1>",
            "<meta charset=shift_jis>",
            "<svg>",
            "<math>",
            "<template>",
            "<select>",
            "<plaintext>",
            "<frameset>",
            "\u{FEFF}",
            "Ã©",
            "<![CDATA[",
            "]]>",
            "<figure><figcaption>",
            "</figcaption></figure>",
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..300 {
            let len = (next() % 400) as usize;
            let mut s = String::new();
            for _ in 0..len {
                s.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            match process(s.clone()) {
                Ok(a) => assert!(!a.text().trim().is_empty(), "{s:?}"),
                Err(f) => assert!(matches!(f.stage, Stage::Decode | Stage::Extract), "{f}"),
            }
            let _ = process_text(s);
        }
    });
}
