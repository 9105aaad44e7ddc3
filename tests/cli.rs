//! The `pith` command-line contract, tested by running the built binary.
//!
//! Every test works in its own temporary folder and never touches the network.
//! Exit codes: 0 every page ok, 1 some pages failed, 2 usage/configuration/I/O.

mod common;
use common::{pith, run_with_stdin, show, xorshift_bytes};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

use serde_json::Value;

/// A small news page with navigation, header, share bar and footer boilerplate.
const RAIN_HTML: &str = r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Rain floods the valley | Valley Daily</title>
<meta property="og:site_name" content="Valley Daily">
<meta name="author" content="Ann Smith">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
</head><body>
<header><a href="/">Valley Daily</a></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
  <h1>Rain floods the valley</h1>
  <p>It rained all day in the valley, and the river rose by a metre before dusk.</p>
  <p>Farmers said the water would help the late crops after a dry summer.</p>
  <p>The council opened two shelters near the bridge for families whose homes flooded.</p>
  <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
</article>
<footer><p>Copyright 2024 Valley Daily. All rights reserved.</p></footer>
</body></html>
"##;

const RAIN_TEXT: &str =
    "It rained all day in the valley, and the river rose by a metre before dusk.\n\n\
Farmers said the water would help the late crops after a dry summer.\n\n\
The council opened two shelters near the bridge for families whose homes flooded.\n";

/// A second, different page.
const BRIDGE_HTML: &str = r##"<html><head><title>New bridge opens</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><h1>New bridge opens</h1>
<p>The new footbridge over the river opened on Saturday after eighteen months of work.</p>
<p>Hundreds of residents walked across it in the first hour, the council said.</p>
</main>
<footer>Contact us | Privacy</footer>
</body></html>
"##;

const BRIDGE_TEXT: &str =
    "The new footbridge over the river opened on Saturday after eighteen months of work.\n\n\
Hundreds of residents walked across it in the first hour, the council said.\n";

/// A third page, to be stored gzipped.
const MARKET_HTML: &str = r##"<html><head><title>Market moves</title></head><body>
<div id="menu"><a href="/">Home</a> <a href="/a">A</a> <a href="/b">B</a></div>
<div class="article-body">
<p>The Saturday market will move to the station square from the first week of May.</p>
<p>Stallholders welcomed the change, which gives them more space and better shelter.</p>
</div>
<div class="footer">About | Jobs | Advertise</div>
</body></html>
"##;

const MARKET_TEXT: &str =
    "The Saturday market will move to the station square from the first week of May.\n\n\
Stallholders welcomed the change, which gives them more space and better shelter.\n";

const MANIFEST_KEYS: [&str; 13] = [
    "id",
    "source",
    "url",
    "title",
    "published",
    "author",
    "site",
    "lang",
    "encoding",
    "encoding_rule",
    "chars",
    "status",
    "error",
];

const JSONL_KEYS: [&str; 9] = [
    "id",
    "url",
    "title",
    "published",
    "author",
    "site",
    "lang",
    "encoding",
    "text",
];

// ---------------------------------------------------------------- helpers

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("running pith")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("pith exited by a signal")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_code(o: &Output, want: i32) {
    assert_eq!(o.status.code(), Some(want), "{}", show(o));
    assert_no_panic(o);
}

fn assert_no_panic(o: &Output) {
    let e = stderr(o);
    assert!(
        !e.contains("panicked") && !e.contains("RUST_BACKTRACE"),
        "pith panicked:\n{e}"
    );
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(d) = path.parent() {
        fs::create_dir_all(d).unwrap();
    }
    fs::write(path, bytes).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// A folder with three good pages: `rain.html`, `bridge.htm`, `market.html.gz`.
fn batch(dir: &Path) -> PathBuf {
    let pages = dir.join("pages");
    write(&pages.join("rain.html"), RAIN_HTML);
    write(&pages.join("bridge.htm"), BRIDGE_HTML);
    write(&pages.join("market.html.gz"), gzip(MARKET_HTML.as_bytes()));
    // Not a page: must be ignored by the folder walk.
    write(&pages.join("notes.md"), "# not a page\n");
    pages
}

fn read_jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

fn manifest(out: &Path) -> Vec<Value> {
    read_jsonl(&fs::read_to_string(out.join("manifest.jsonl")).unwrap())
}

fn by_id<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row with id {id:?} in {rows:#?}"))
}

fn sorted_ids(rows: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = rows
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn assert_no_temp_files(dir: &Path) {
    let hidden: Vec<String> = names_in(dir)
        .into_iter()
        .filter(|n| n.starts_with('.') || n.ends_with(".tmp"))
        .collect();
    assert!(
        hidden.is_empty(),
        "leftover temp files in {}: {hidden:?}",
        dir.display()
    );
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------- extract, one page

#[test]
fn extract_file_prints_clean_text() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("rain.html");
    write(&p, RAIN_HTML);
    let o = run(pith().arg("extract").arg(&p));
    assert_code(&o, 0);
    assert_eq!(stdout(&o), RAIN_TEXT, "{}", show(&o));
    for boiler in ["Home", "Sport", "Share on", "Copyright", "Valley Daily"] {
        assert!(!stdout(&o).contains(boiler), "{boiler:?} leaked");
    }
}

#[test]
fn extract_accepts_url() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("rain.html");
    write(&p, RAIN_HTML);
    let o = run(pith()
        .args(["extract", "--url", "https://valley.example/news/rain"])
        .arg(&p));
    assert_code(&o, 0);
    assert_eq!(stdout(&o), RAIN_TEXT);
    // The URL lands in the JSONL record.
    let o = run(pith()
        .args([
            "extract",
            "--jsonl",
            "-",
            "--url",
            "https://valley.example/news/rain",
        ])
        .arg(&p));
    assert_code(&o, 0);
    let rows = read_jsonl(&stdout(&o));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["url"], "https://valley.example/news/rain");
    assert_eq!(rows[0]["id"], "rain");
}

#[test]
fn url_with_several_pages_is_a_usage_error() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    let o = run(pith()
        .args(["extract", "--url", "https://x.example/", "--jsonl", "-"])
        .arg(&pages));
    assert_code(&o, 2);
}

#[test]
fn stdin_dash_gives_identical_output() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("rain.html");
    write(&p, RAIN_HTML);
    let from_file = run(pith().arg("extract").arg(&p));
    assert_code(&from_file, 0);

    for args in [vec!["extract", "-"], vec!["extract"]] {
        let o = run_with_stdin(pith().args(&args), RAIN_HTML.as_bytes());
        assert_code(&o, 0);
        assert_eq!(o.stdout, from_file.stdout, "args {args:?}");
        assert_eq!(stdout(&o), RAIN_TEXT);
    }
}

#[test]
fn stdin_jsonl_has_id_stdin() {
    let o = run_with_stdin(
        pith().args(["extract", "-", "--jsonl", "-"]),
        BRIDGE_HTML.as_bytes(),
    );
    assert_code(&o, 0);
    let rows = read_jsonl(&stdout(&o));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "stdin");
    assert_eq!(rows[0]["text"], BRIDGE_TEXT);
}

// ---------------------------------------------------------------- batches

#[test]
fn out_dir_writes_one_txt_per_page_and_manifest() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    let out = t.path().join("out");
    let o = run(pith()
        .args(["extract", "--jobs", "2", "--out"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 0);
    assert_eq!(
        names_in(&out),
        ["bridge.txt", "manifest.jsonl", "market.txt", "rain.txt"]
    );
    assert_eq!(fs::read_to_string(out.join("rain.txt")).unwrap(), RAIN_TEXT);
    assert_eq!(
        fs::read_to_string(out.join("bridge.txt")).unwrap(),
        BRIDGE_TEXT
    );
    assert_eq!(
        fs::read_to_string(out.join("market.txt")).unwrap(),
        MARKET_TEXT
    );

    let rows = manifest(&out);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert_eq!(sorted_ids(&rows), ["bridge", "market", "rain"]);
    for r in &rows {
        for k in MANIFEST_KEYS {
            assert!(r.get(k).is_some(), "manifest line lacks {k:?}: {r}");
        }
        assert_eq!(r["status"], "ok", "{r}");
        assert!(r["error"].is_null(), "{r}");
        let id = r["id"].as_str().unwrap();
        let text = fs::read_to_string(out.join(format!("{id}.txt"))).unwrap();
        assert_eq!(r["chars"], text.chars().count() as u64, "{r}");
        assert_eq!(r["encoding"], "UTF-8", "{r}");
        assert!(r["encoding_rule"].is_string(), "{r}");
        let src = r["source"].as_str().unwrap();
        assert!(Path::new(src).exists(), "source {src:?} does not exist");
    }
    assert!(by_id(&rows, "market")["source"]
        .as_str()
        .unwrap()
        .ends_with("market.html.gz"));
    let rain = by_id(&rows, "rain");
    // Four words or fewer once " | Valley Daily" is cut: the whole <title>
    // stays, as reader modes keep it.
    assert_eq!(rain["title"], "Rain floods the valley | Valley Daily");
    assert_eq!(rain["lang"], "en");
    assert_eq!(rain["encoding_rule"], "meta");
    assert_no_temp_files(&out);
}

#[test]
fn ids_strip_every_page_extension() {
    let t = tempfile::tempdir().unwrap();
    let pages = t.path().join("pages");
    write(&pages.join("a.html"), RAIN_HTML);
    write(&pages.join("b.htm"), RAIN_HTML);
    write(&pages.join("c.xhtml"), RAIN_HTML);
    write(&pages.join("d.html.gz"), gzip(RAIN_HTML.as_bytes()));
    write(&pages.join("e.htm.gz"), gzip(RAIN_HTML.as_bytes()));
    write(&pages.join("sub/f.html"), RAIN_HTML);
    let out = t.path().join("out");
    let o = run(pith().args(["extract", "--out"]).arg(&out).arg(&pages));
    assert_code(&o, 0);
    assert_eq!(
        names_in(&out),
        [
            "a.txt",
            "b.txt",
            "c.txt",
            "d.txt",
            "e.txt",
            "f.txt",
            "manifest.jsonl"
        ]
    );
    for n in ["a", "b", "c", "d", "e", "f"] {
        assert_eq!(
            fs::read_to_string(out.join(format!("{n}.txt"))).unwrap(),
            RAIN_TEXT,
            "{n}"
        );
    }
}

#[test]
fn jsonl_file_and_stdout() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    let path = t.path().join("res/out.jsonl");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let o = run(pith().args(["extract", "--jsonl"]).arg(&path).arg(&pages));
    assert_code(&o, 0);
    assert!(o.stdout.is_empty(), "stdout should be empty: {}", show(&o));
    let from_file = read_jsonl(&fs::read_to_string(&path).unwrap());
    assert_no_temp_files(path.parent().unwrap());

    let o = run(pith().args(["extract", "--jsonl", "-"]).arg(&pages));
    assert_code(&o, 0);
    let from_stdout = read_jsonl(&stdout(&o));
    assert_eq!(from_file, from_stdout);

    assert_eq!(from_file.len(), 3);
    // Input order: the folder is walked in sorted order.
    let ids: Vec<&str> = from_file
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["bridge", "market", "rain"]);
    for r in &from_file {
        for k in JSONL_KEYS {
            assert!(r.get(k).is_some(), "JSONL line lacks {k:?}: {r}");
        }
    }
    assert_eq!(by_id(&from_file, "rain")["text"], RAIN_TEXT);
    assert_eq!(by_id(&from_file, "bridge")["text"], BRIDGE_TEXT);
    assert_eq!(by_id(&from_file, "market")["text"], MARKET_TEXT);
    let rain = by_id(&from_file, "rain");
    // Four words or fewer once " | Valley Daily" is cut: the whole <title>
    // stays, as reader modes keep it.
    assert_eq!(rain["title"], "Rain floods the valley | Valley Daily");
    assert_eq!(rain["site"], "Valley Daily");
    assert_eq!(rain["author"], "Ann Smith");
    assert_eq!(rain["published"], "2024-03-05");
    assert_eq!(rain["lang"], "en");
    assert_eq!(rain["encoding"], "UTF-8");
}

#[test]
fn bad_page_fails_alone_with_exit_1() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    write(&pages.join("empty.html"), b"");
    let mut junk = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    junk.extend(xorshift_bytes(7, 4096));
    write(&pages.join("junk.html"), &junk);

    // --out: every good page written, both bad ones recorded as failed.
    let out = t.path().join("out");
    let o = run(pith().args(["extract", "--out"]).arg(&out).arg(&pages));
    assert_code(&o, 1);
    assert!(
        stderr(&o).contains("empty"),
        "failure not reported: {}",
        show(&o)
    );
    assert_eq!(fs::read_to_string(out.join("rain.txt")).unwrap(), RAIN_TEXT);
    assert_eq!(
        fs::read_to_string(out.join("bridge.txt")).unwrap(),
        BRIDGE_TEXT
    );
    assert_eq!(
        fs::read_to_string(out.join("market.txt")).unwrap(),
        MARKET_TEXT
    );
    assert!(!out.join("empty.txt").exists());
    assert!(!out.join("junk.txt").exists());
    let rows = manifest(&out);
    assert_eq!(
        sorted_ids(&rows),
        ["bridge", "empty", "junk", "market", "rain"]
    );
    for id in ["empty", "junk"] {
        let r = by_id(&rows, id);
        assert_eq!(r["status"], "failed", "{r}");
        let err = r["error"].as_str().unwrap_or_default();
        assert!(!err.is_empty(), "failed page {id} has no reason: {r}");
    }
    assert_eq!(by_id(&rows, "empty")["stage"], "decode");
    for id in ["rain", "bridge", "market"] {
        assert_eq!(by_id(&rows, id)["status"], "ok");
    }
    assert_no_temp_files(&out);

    // --jsonl: a failed page is {id, error}.
    let o = run(pith()
        .args(["extract", "--quiet", "--jsonl", "-"])
        .arg(&pages));
    assert_code(&o, 1);
    assert!(
        !stderr(&o).contains("empty.html"),
        "--quiet still reports: {}",
        show(&o)
    );
    let rows = read_jsonl(&stdout(&o));
    assert_eq!(rows.len(), 5);
    let e = by_id(&rows, "empty");
    assert!(e["error"].as_str().is_some_and(|s| !s.is_empty()), "{e}");
    assert!(e.get("text").is_none(), "{e}");
    assert_eq!(by_id(&rows, "rain")["text"], RAIN_TEXT);
}

#[test]
fn single_empty_page_to_stdout_exits_1() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("empty.html");
    write(&p, b"");
    let o = run(pith().arg("extract").arg(&p));
    assert_code(&o, 1);
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("decode"), "{}", show(&o));
}

// ---------------------------------------------------------------- exit code 2

#[test]
fn nonexistent_input_is_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let missing = t.path().join("no-such-page.html");
    let o = run(pith().arg("extract").arg(&missing));
    assert_code(&o, 2);
    let e = stderr(&o);
    assert!(e.contains("no-such-page.html"), "{}", show(&o));
    // One line that says it once: not "…: No such file … : No such file …".
    assert_eq!(e.lines().count(), 1, "{e}");
    assert_eq!(
        e.matches("(os error 2)").count(),
        1,
        "cause printed twice: {e}"
    );
    let o = run(pith()
        .args(["extract", "--jsonl", "-"])
        .arg(t.path().join("no-such-dir")));
    assert_code(&o, 2);
}

#[test]
fn unknown_pipeline_name_is_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("rain.html");
    write(&p, RAIN_HTML);
    let o = run(pith()
        .current_dir(t.path())
        .args(["extract", "--pipeline", "no-such-pipeline"])
        .arg(&p));
    assert_code(&o, 2);
    assert!(stderr(&o).contains("no-such-pipeline"), "{}", show(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn pipeline_file_with_unknown_key_is_exit_2_naming_file_and_key() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("rain.html");
    write(&p, RAIN_HTML);
    let pl = t.path().join("my-pipeline.toml");
    write(&pl, "[extract]\nkeep_captionz = true\n");
    let o = run(pith().args(["extract", "--pipeline"]).arg(&pl).arg(&p));
    assert_code(&o, 2);
    let e = stderr(&o);
    assert!(e.contains("my-pipeline.toml"), "file not named: {e}");
    assert!(e.contains("keep_captionz"), "key not named: {e}");
    assert!(o.stdout.is_empty());

    // An unknown table too.
    write(&pl, "[extrakt]\nmin_chars = 3\n");
    let o = run(pith().args(["extract", "--pipeline"]).arg(&pl).arg(&p));
    assert_code(&o, 2);
    let e = stderr(&o);
    assert!(
        e.contains("my-pipeline.toml") && e.contains("extrakt"),
        "{e}"
    );
}

#[test]
fn several_pages_without_out_or_jsonl_is_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    let o = run(pith().arg("extract").arg(&pages));
    assert_code(&o, 2);
    assert!(o.stdout.is_empty(), "{}", show(&o));
    assert!(stderr(&o).contains("--out"), "{}", show(&o));
    // Two files named explicitly: same.
    let o = run(pith()
        .arg("extract")
        .arg(pages.join("rain.html"))
        .arg(pages.join("bridge.htm")));
    assert_code(&o, 2);
}

#[test]
fn resume_without_out_is_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    let o = run(pith()
        .args(["extract", "--resume", "--jsonl", "-"])
        .arg(&pages));
    assert_code(&o, 2);
    assert!(stderr(&o).contains("--resume"), "{}", show(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn out_and_jsonl_together_is_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    let o = run(pith()
        .args(["extract", "--jsonl", "-", "--out"])
        .arg(t.path().join("out"))
        .arg(&pages));
    assert_code(&o, 2);
}

#[test]
fn unknown_flag_is_exit_2() {
    let o = run(pith().args(["extract", "--no-such-flag"]));
    assert_code(&o, 2);
}

// ---------------------------------------------------------------- pipelines

const CAPTION_HTML: &str = r##"<html><head><title>Harbour</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<p>The harbour wall was repaired this week after the winter storms damaged it badly.</p>
<figure><img src="wall.jpg" alt=""><figcaption>Workers on the harbour wall</figcaption></figure>
<p>The work cost the town less than expected, the harbour master told reporters.</p>
</article>
</body></html>
"##;

#[test]
fn custom_pipeline_file_changes_output() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("harbour.html");
    write(&p, CAPTION_HTML);
    let default = run(pith().arg("extract").arg(&p));
    assert_code(&default, 0);
    assert!(
        !stdout(&default).contains("Workers on the harbour wall"),
        "{}",
        show(&default)
    );
    assert!(stdout(&default).contains("The harbour wall was repaired"));

    let pl = t.path().join("captions.toml");
    write(&pl, "[extract]\nkeep_captions = true\n");
    let custom = run(pith().args(["extract", "--pipeline"]).arg(&pl).arg(&p));
    assert_code(&custom, 0);
    assert_eq!(
        stdout(&custom),
        "The harbour wall was repaired this week after the winter storms damaged it badly.\n\n\
         Workers on the harbour wall\n\n\
         The work cost the town less than expected, the harbour master told reporters.\n"
    );

    // The --keep-captions flag does the same.
    let flag = run(pith().args(["extract", "--keep-captions"]).arg(&p));
    assert_code(&flag, 0);
    assert_eq!(flag.stdout, custom.stdout);
}

#[test]
fn keep_tables_flag_overrides_a_pipeline_without_tables() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("rates.html");
    write(
        &p,
        "<html><head><title>Ferry fares</title></head><body><article>\
         <p>The ferry company published its fares for the coming season on Monday morning.</p>\
         <table><tr><th>Ticket</th><th>Price</th></tr>\
         <tr><td>Adult single</td><td>4.50</td></tr>\
         <tr><td>Child single</td><td>2.20</td></tr>\
         <tr><td>Bicycle</td><td>1.00</td></tr></table>\
         <p>Season tickets stay at the price they had last year, the company said.</p>\
         </article></body></html>",
    );
    let pl = t.path().join("no-tables.toml");
    write(&pl, "[extract]\nkeep_tables = false\n");
    let without = run(pith().args(["extract", "--pipeline"]).arg(&pl).arg(&p));
    assert_code(&without, 0);
    assert!(
        !stdout(&without).contains("Adult single"),
        "{}",
        show(&without)
    );
    let with = run(pith()
        .args(["extract", "--keep-tables", "--pipeline"])
        .arg(&pl)
        .arg(&p));
    assert_code(&with, 0);
    assert!(
        stdout(&with).contains("Adult single\t4.50"),
        "{}",
        show(&with)
    );
}

#[test]
fn pipeline_by_name_from_pipelines_dir() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("harbour.html");
    write(&p, CAPTION_HTML);
    write(
        &t.path().join("pipelines/captions.toml"),
        "[extract]\nkeep_captions = true\n",
    );
    let o = run(pith().current_dir(t.path()).args([
        "extract",
        "--pipeline",
        "captions",
        "harbour.html",
    ]));
    assert_code(&o, 0);
    assert!(
        stdout(&o).contains("Workers on the harbour wall"),
        "{}",
        show(&o)
    );
}

#[test]
fn typos_off_in_pipeline_keeps_typo() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("typo.txt");
    write(
        &p,
        "The minister eiterated the government's position on the new trade agreement during a press conference.\n",
    );
    let fixed = run(pith().arg("clean").arg(&p));
    assert_code(&fixed, 0);
    assert!(
        stdout(&fixed).contains("reiterated") && !stdout(&fixed).contains(" eiterated"),
        "default pipeline should fix the typo: {}",
        show(&fixed)
    );
    let pl = t.path().join("notypos.toml");
    write(&pl, "[repair]\ntypos = false\n");
    let kept = run(pith().args(["clean", "--pipeline"]).arg(&pl).arg(&p));
    assert_code(&kept, 0);
    assert_eq!(
        stdout(&kept),
        "The minister eiterated the government's position on the new trade agreement during a press conference.\n"
    );
}

// ---------------------------------------------------------------- resume

fn mtime(p: &Path) -> SystemTime {
    fs::metadata(p).unwrap().modified().unwrap()
}

#[test]
fn resume_skips_done_pages_and_writes_new_ones() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    let out = t.path().join("out");
    let o = run(pith().args(["extract", "--out"]).arg(&out).arg(&pages));
    assert_code(&o, 0);
    let before_rain = mtime(&out.join("rain.txt"));
    let before_bridge = mtime(&out.join("bridge.txt"));
    // Make a rewrite detectable even on coarse-mtime filesystems, and mark the
    // old file so a rewrite would also change its content.
    std::thread::sleep(Duration::from_millis(1100));
    fs::write(out.join("bridge.txt"), "SENTINEL: must not be rewritten\n").unwrap();
    let sentinel_mtime = mtime(&out.join("bridge.txt"));

    // Forget market in the manifest: it must be redone.
    let kept: Vec<String> = fs::read_to_string(out.join("manifest.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.contains("\"market\""))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(out.join("manifest.jsonl"), kept.concat()).unwrap();
    fs::remove_file(out.join("market.txt")).unwrap();

    write(&pages.join("harbour.html"), CAPTION_HTML);
    let o = run(pith()
        .args(["extract", "--resume", "--out"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 0);

    assert_eq!(
        mtime(&out.join("rain.txt")),
        before_rain,
        "rain.txt rewritten"
    );
    assert_ne!(before_bridge, sentinel_mtime);
    assert_eq!(
        fs::read_to_string(out.join("bridge.txt")).unwrap(),
        "SENTINEL: must not be rewritten\n",
        "bridge.txt rewritten"
    );
    assert_eq!(
        fs::read_to_string(out.join("market.txt")).unwrap(),
        MARKET_TEXT
    );
    assert!(fs::read_to_string(out.join("harbour.txt"))
        .unwrap()
        .contains("The harbour wall was repaired"));
    let rows = manifest(&out);
    assert_eq!(sorted_ids(&rows), ["bridge", "harbour", "market", "rain"]);
    for r in &rows {
        assert_eq!(r["status"], "ok", "{r}");
    }
    assert_no_temp_files(&out);
}

/// A page whose typo repair depends on the batch (see
/// `batch_typo_repair_weighs_earlier_pages_whatever_the_workers` in
/// `src/pipeline.rs`).
fn network_page(sentence: &str) -> String {
    format!(
        "<html lang=en><body><article><p>{sentence}</p><p>The rest of this article is \
         plain English prose about networks, written for people who build them, with \
         nothing unusual in it at all.</p></article></body></html>"
    )
}

#[test]
fn resumed_batch_repairs_typos_as_one_uninterrupted_run() {
    let t = tempfile::tempdir().unwrap();
    let pages = t.path().join("pages");
    // `a` uses `varint` twice (kept); `b`, alone, would read it as `variant`.
    write(
        &pages.join("a.html"),
        network_page("Every field starts with a varint tag, and each varint is short."),
    );
    let b = network_page(
        "Now that the length is a varint capable of storing larger integers, frames \
         can carry far more data.",
    );
    let whole = t.path().join("whole");
    write(&pages.join("b.html"), &b);
    let o = run(pith().args(["extract", "--out"]).arg(&whole).arg(&pages));
    assert_code(&o, 0);
    let b_whole = fs::read_to_string(whole.join("b.txt")).unwrap();
    assert!(b_whole.contains("a varint capable"), "{b_whole}");

    // The same batch, stopped after `a` and resumed.
    let first = t.path().join("first");
    write(
        &first.join("a.html"),
        fs::read(pages.join("a.html")).unwrap(),
    );
    let out = t.path().join("out");
    let o = run(pith().args(["extract", "--out"]).arg(&out).arg(&first));
    assert_code(&o, 0);
    let o = run(pith()
        .args(["extract", "--resume", "--out"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 0);
    assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), b_whole);

    // Alone, `b` is repaired on its own evidence.
    let alone = run(pith().arg("extract").arg(pages.join("b.html")));
    assert!(
        stdout(&alone).contains("a variant capable"),
        "{}",
        show(&alone)
    );
}

#[test]
fn resume_redoes_failed_pages_and_tolerates_torn_manifest() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    write(&pages.join("empty.html"), b"");
    let out = t.path().join("out");
    let o = run(pith()
        .args(["extract", "-q", "--out"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 1);
    // A killed run leaves a torn last line.
    let mut f = fs::OpenOptions::new()
        .append(true)
        .open(out.join("manifest.jsonl"))
        .unwrap();
    f.write_all(b"{\"id\":\"tor").unwrap();
    drop(f);
    // Fix the bad page; resume must pick it up (failed pages are not "done").
    write(&pages.join("empty.html"), BRIDGE_HTML);
    let o = run(pith()
        .args(["extract", "--resume", "--out"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 0);
    assert_eq!(
        fs::read_to_string(out.join("empty.txt")).unwrap(),
        BRIDGE_TEXT
    );
    // The redone page's record must be readable: not glued onto the torn line.
    let text = fs::read_to_string(out.join("manifest.jsonl")).unwrap();
    let ok_empty = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .any(|r| r["id"] == "empty" && r["status"] == "ok");
    assert!(
        ok_empty,
        "no readable ok record for the redone page:\n{text}"
    );
    // So a third resume has nothing left to do and leaves empty.txt alone.
    let before = mtime(&out.join("empty.txt"));
    std::thread::sleep(Duration::from_millis(1100));
    let o = run(pith()
        .args(["extract", "--resume", "--out"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 0);
    assert_eq!(
        mtime(&out.join("empty.txt")),
        before,
        "empty.txt redone a third time"
    );
}

#[test]
fn out_without_resume_starts_manifest_afresh() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    let out = t.path().join("out");
    for _ in 0..2 {
        let o = run(pith().args(["extract", "--out"]).arg(&out).arg(&pages));
        assert_code(&o, 0);
    }
    assert_eq!(manifest(&out).len(), 3);
}

// ---------------------------------------------------------------- clean

fn seed_text_case() -> PathBuf {
    let golden = repo().join("golden");
    let mut found: Vec<PathBuf> = fs::read_dir(&golden)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("seed-000-text-"))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .expect("golden/seed-000-text-* exists")
}

#[test]
fn clean_old_scraper_text_matches_golden() {
    let case = seed_text_case();
    let o = run(pith().arg("clean").arg(case.join("input.txt")));
    assert_code(&o, 0);
    let expected = fs::read_to_string(case.join("expected.txt")).unwrap();
    assert_eq!(stdout(&o), expected);
}

#[test]
fn clean_reads_stdin_and_txt_folders() {
    let case = seed_text_case();
    let input = fs::read(case.join("input.txt")).unwrap();
    let expected = fs::read_to_string(case.join("expected.txt")).unwrap();
    let o = run_with_stdin(pith().args(["clean", "-"]), &input);
    assert_code(&o, 0);
    assert_eq!(stdout(&o), expected);

    // A folder of .txt files (html files are ignored by `clean`).
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("texts");
    write(&dir.join("000_seed.txt"), &input);
    write(&dir.join("page.html"), RAIN_HTML);
    let out = t.path().join("out");
    let o = run(pith().args(["clean", "--out"]).arg(&out).arg(&dir));
    assert_code(&o, 0);
    assert_eq!(names_in(&out), ["000_seed.txt", "manifest.jsonl"]);
    assert_eq!(
        fs::read_to_string(out.join("000_seed.txt")).unwrap(),
        expected
    );
}

// ---------------------------------------------------------------- golden

const GOLDEN_PAGE: &str = r##"<html><head><title>Harbour news</title></head><body>
<nav><a href="/">Home</a></nav>
<article>
<p>The harbour wall was repaired this week after the winter storms damaged it badly.</p>
<p>The work cost the town less than expected, the harbour master told reporters.</p>
</article>
<footer>Harbour Gazette footer</footer>
</body></html>
"##;

const GOLDEN_TEXT: &str =
    "The harbour wall was repaired this week after the winter storms damaged it badly.\n\n\
The work cost the town less than expected, the harbour master told reporters.\n";

fn golden_case(root: &Path, name: &str, expected: Option<&str>, without: &[&str]) -> PathBuf {
    let d = root.join(name);
    write(&d.join("input.html"), GOLDEN_PAGE);
    let list: Vec<String> = without.iter().map(|w| format!("{w:?}")).collect();
    write(
        &d.join("case.toml"),
        format!(
            "url = \"https://harbour.example/news/wall\"\nwhy = \"test case\"\nwithout = [{}]\n",
            list.join(", ")
        ),
    );
    if let Some(e) = expected {
        write(&d.join("expected.txt"), e);
    }
    d
}

#[test]
fn golden_check_pass_then_fail() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("golden");
    let good = golden_case(&root, "good", Some(GOLDEN_TEXT), &["Harbour Gazette"]);

    let o = run(pith().args(["golden", "check"]).arg(&root));
    assert_code(&o, 0);
    assert!(stdout(&o).contains("good"), "{}", show(&o));
    assert!(!good.join("expected.txt.new").exists());

    let wrong = "The harbour wall was rebuilt this week.\n";
    let bad = golden_case(&root, "bad", Some(wrong), &[]);

    // With CI unset: exit 1, a diff, expected.txt.new written with the actual output.
    let o = run(pith().args(["golden", "check"]).arg(&root));
    assert_code(&o, 1);
    let out = stdout(&o);
    assert!(out.contains("bad"), "{out}");
    assert!(
        out.contains("-The harbour wall was rebuilt this week.")
            && out.contains("+The harbour wall was repaired this week"),
        "no unified diff printed:\n{out}"
    );
    assert_eq!(
        fs::read_to_string(bad.join("expected.txt.new")).unwrap(),
        GOLDEN_TEXT
    );
    assert_eq!(fs::read_to_string(bad.join("expected.txt")).unwrap(), wrong);
    assert!(!good.join("expected.txt.new").exists());
    assert_no_temp_files(&bad);

    // With CI=1: exit 1, the diff, but no .new file.
    fs::remove_file(bad.join("expected.txt.new")).unwrap();
    let o = run(pith().env("CI", "1").args(["golden", "check"]).arg(&root));
    assert_code(&o, 1);
    assert!(stdout(&o).contains("+The harbour wall was repaired this week"));
    assert!(
        !bad.join("expected.txt.new").exists(),
        "CI=1 must not write .new"
    );

    // --no-new: same.
    let o = run(pith().args(["golden", "check", "--no-new"]).arg(&root));
    assert_code(&o, 1);
    assert!(
        !bad.join("expected.txt.new").exists(),
        "--no-new must not write .new"
    );
}

#[test]
fn golden_add_makes_a_blessed_case_that_checks() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("suite");
    let page = t.path().join("wall.html");
    write(&page, GOLDEN_PAGE);
    // `pith golden add SUITE NAME`, the page and the rest to come.
    let add = |name: &str| {
        let mut c = pith();
        c.args(["golden", "add"]).arg(&root).arg(name);
        c
    };
    let o = run(add("harbour-wall").arg(&page).args([
        "--url",
        "https://harbour.example/news/wall",
        "--why",
        "the wall story",
    ]));
    assert_code(&o, 0);
    assert!(stdout(&o).contains("added"), "{}", show(&o));
    let case = root.join("harbour-wall");
    assert_eq!(
        fs::read(case.join("input.html")).unwrap(),
        GOLDEN_PAGE.as_bytes()
    );
    assert_eq!(
        fs::read_to_string(case.join("expected.txt")).unwrap(),
        GOLDEN_TEXT
    );
    assert_eq!(
        fs::read_to_string(case.join("expected.md")).unwrap(),
        GOLDEN_TEXT
    );
    let toml = fs::read_to_string(case.join("case.toml")).unwrap();
    assert!(
        toml.contains("url = \"https://harbour.example/news/wall\""),
        "{toml}"
    );
    assert!(toml.contains("why = \"the wall story\""), "{toml}");
    assert_no_temp_files(&root);
    let o = run(pith().args(["golden", "check"]).arg(&root));
    assert_code(&o, 0);
    assert!(stdout(&o).contains("1 passed, 0 failed"), "{}", show(&o));

    // A second add of the same name, or a name with a path in it, is refused
    // and changes nothing.
    let o = run(add("harbour-wall").arg(&page));
    assert_ne!(code(&o), 0, "{}", show(&o));
    assert!(show(&o).contains("exists already"), "{}", show(&o));
    let o = run(add("../out").arg(&page));
    assert_ne!(code(&o), 0, "{}", show(&o));
    assert!(!t.path().join("out").exists());

    // From standard input, scraped text (`-` with no extension is HTML).
    let o = run(add("from-stdin")
        .arg("-")
        .stdin(fs::File::open(&page).unwrap()));
    assert_code(&o, 0);
    assert_eq!(
        fs::read_to_string(root.join("from-stdin").join("expected.txt")).unwrap(),
        GOLDEN_TEXT
    );
    assert_no_temp_files(&root);
}

#[test]
fn golden_check_reports_f1_and_junit() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("golden");
    golden_case(&root, "good", Some(GOLDEN_TEXT), &[]);
    let half =
        "The harbour wall was repaired this week after the winter storms damaged it badly.\n";
    golden_case(&root, "longer", Some(half), &[]);
    golden_case(&root, "missing", None, &[]);
    let report = t.path().join("reports").join("golden.xml");
    fs::create_dir_all(report.parent().unwrap()).unwrap();
    let o = run(pith()
        .env("CI", "1")
        .args(["golden", "check"])
        .arg(&root)
        .arg("--junit")
        .arg(&report));
    assert_code(&o, 1);
    let out = stdout(&o);
    // 14 tokens expected, 27 output: all 11 expected shingles kept, 13 added: F1 22/35.
    assert!(out.contains("DIFF    longer (F1 0.629)"), "{out}");
    assert!(
        out.contains("1 passed, 2 failed; 1 changed, shingle F1 mean 0.629, worst 0.629 (longer)"),
        "{out}"
    );
    let xml = fs::read_to_string(&report).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\""), "{xml}");
    assert!(
        xml.contains("<testsuite name=") && xml.contains("tests=\"3\" failures=\"2\""),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase classname=\"golden\" name=\"good\"/>"),
        "{xml}"
    );
    assert!(
        xml.contains("name=\"longer\"><failure message=\"output differs, shingle F1 0.629\">"),
        "{xml}"
    );
    assert!(
        xml.contains("name=\"missing\"><failure message=\"no expected.txt\">"),
        "{xml}"
    );
    assert!(xml.contains("+The work cost the town"), "{xml}");
    assert_no_temp_files(report.parent().unwrap());
}

#[test]
fn golden_check_missing_expected_is_failure() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("golden");
    let c = golden_case(&root, "fresh", None, &[]);
    let o = run(pith().args(["golden", "check"]).arg(&root));
    assert_code(&o, 1);
    assert_eq!(
        fs::read_to_string(c.join("expected.txt.new")).unwrap(),
        GOLDEN_TEXT
    );
}

#[test]
fn golden_check_forbidden_string_fails() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("golden");
    // expected.txt matches, but the output contains a `without` string.
    golden_case(&root, "forbid", Some(GOLDEN_TEXT), &["harbour master"]);
    let o = run(pith().args(["golden", "check"]).arg(&root));
    assert_code(&o, 1);
    assert!(stdout(&o).contains("harbour master"), "{}", show(&o));
}

#[test]
fn golden_bless_rewrites_expected() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("golden");
    golden_case(&root, "good", Some(GOLDEN_TEXT), &[]);
    let bad = golden_case(&root, "bad", Some("stale\n"), &["Harbour Gazette"]);
    // Leave a .new behind: bless removes it.
    let o = run(pith().args(["golden", "check"]).arg(&root));
    assert_code(&o, 1);
    assert!(bad.join("expected.txt.new").exists());

    let o = run(pith().args(["golden", "bless"]).arg(&root).arg("bad"));
    assert_code(&o, 0);
    assert_eq!(
        fs::read_to_string(bad.join("expected.txt")).unwrap(),
        GOLDEN_TEXT
    );
    assert!(!bad.join("expected.txt.new").exists());
    assert_no_temp_files(&bad);

    let o = run(pith().args(["golden", "check"]).arg(&root));
    assert_code(&o, 0);

    // Bless pins the Markdown too, and check compares it once the text passes.
    assert_eq!(
        fs::read_to_string(bad.join("expected.md")).unwrap(),
        GOLDEN_TEXT
    );
    assert!(!root.join("good").join("expected.md").exists());
    write(&bad.join("expected.md"), "## Harbour\n\nstale\n");
    let o = run(pith().args(["golden", "check"]).arg(&root));
    assert_code(&o, 1);
    let out = stdout(&o);
    assert!(out.contains("DIFF    bad (Markdown)"), "{out}");
    assert!(
        out.contains("-## Harbour") && out.contains("+The harbour wall was repaired"),
        "{out}"
    );
    assert!(out.contains("1 passed, 1 failed"), "{out}");

    // An unknown case name is an error.
    let o = run(pith().args(["golden", "bless"]).arg(&root).arg("nope"));
    assert_ne!(code(&o), 0, "{}", show(&o));
    assert_no_panic(&o);
}

#[test]
fn golden_bless_refuses_forbidden_output() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("golden");
    let c = golden_case(&root, "forbid", Some("stale\n"), &["harbour master"]);
    let o = run(pith().args(["golden", "bless"]).arg(&root).arg("forbid"));
    assert_ne!(
        code(&o),
        0,
        "bless accepted a forbidden output: {}",
        show(&o)
    );
    assert_no_panic(&o);
    assert!(stderr(&o).contains("harbour master"), "{}", show(&o));
    assert_eq!(
        fs::read_to_string(c.join("expected.txt")).unwrap(),
        "stale\n"
    );
}

#[test]
fn golden_empty_dir_is_an_error() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("golden");
    fs::create_dir_all(&root).unwrap();
    let o = run(pith().args(["golden", "check"]).arg(&root));
    assert_ne!(code(&o), 0, "{}", show(&o));
    assert_no_panic(&o);
    assert!(stderr(&o).contains("no cases"), "{}", show(&o));
    let o = run(pith()
        .args(["golden", "check"])
        .arg(t.path().join("missing")));
    assert_ne!(code(&o), 0, "{}", show(&o));
    assert_no_panic(&o);
}

// ---------------------------------------------------------------- help

#[test]
fn help_works_for_every_subcommand() {
    let top = run(pith().arg("--help"));
    assert_code(&top, 0);
    let h = stdout(&top);
    for s in ["extract", "clean", "golden", "Exit codes", "0", "1", "2"] {
        assert!(h.contains(s), "top-level --help lacks {s:?}:\n{h}");
    }
    for args in [
        vec!["extract", "--help"],
        vec!["clean", "--help"],
        vec!["golden", "--help"],
        vec!["golden", "check", "--help"],
        vec!["golden", "bless", "--help"],
        vec!["help", "extract"],
    ] {
        let o = run(pith().args(&args));
        assert_code(&o, 0);
        assert!(stdout(&o).contains("Usage:"), "{args:?}: {}", show(&o));
    }
    let o = run(pith().args(["extract", "--help"]));
    for flag in [
        "--out",
        "--jsonl",
        "--url",
        "--pipeline",
        "--resume",
        "--jobs",
    ] {
        assert!(stdout(&o).contains(flag), "extract --help lacks {flag}");
    }
    let o = run(pith().arg("--version"));
    assert_code(&o, 0);
    assert!(stdout(&o).starts_with("pith "));
}

// ---------------------------------------------------------------- broken pipe

#[test]
fn closed_stdout_is_not_an_error() {
    let t = tempfile::tempdir().unwrap();
    // Big enough that the output does not fit in a pipe buffer.
    let mut html = String::from("<html><body><article>");
    for i in 0..4000 {
        html.push_str(&format!(
            "<p>Paragraph {i} of a long report about the valley, its river and its farmers.</p>\n"
        ));
    }
    html.push_str("</article></body></html>");
    let p = t.path().join("long.html");
    write(&p, &html);

    for args in [vec!["extract"], vec!["extract", "--jsonl", "-"]] {
        let mut child = pith()
            .args(&args)
            .arg(&p)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        out.read_exact(&mut one).unwrap();
        drop(out); // like `| head -c1`
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", show(&o));
        assert!(stderr(&o).is_empty(), "{args:?}: {}", show(&o));
    }
}

// ---------------------------------------------------------------- misc

#[test]
fn content_type_flag_is_a_charset_hint() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("latin.html");
    // windows-1252 bytes, no declaration in the page.
    let mut body = b"<html><body><article><p>Le caf".to_vec();
    body.push(0xE9); // é
    body.extend_from_slice(b" de la gare rouvre ses portes apr");
    body.push(0xE8); // è
    body.extend_from_slice(b"s six mois de travaux.</p></article></body></html>");
    write(&p, &body);
    let o = run(pith()
        .args([
            "extract",
            "--jsonl",
            "-",
            "--content-type",
            "text/html; charset=windows-1252",
        ])
        .arg(&p));
    assert_code(&o, 0);
    let rows = read_jsonl(&stdout(&o));
    assert_eq!(
        rows[0]["text"],
        "Le café de la gare rouvre ses portes après six mois de travaux.\n"
    );
    assert_eq!(rows[0]["encoding"], "windows-1252");
}

/// A one-page evaluation set whose truth also gives the title.
fn tiny_eval_set(root: &Path) {
    let set = root.join("tiny");
    fs::create_dir_all(set.join("pages")).unwrap();
    fs::write(set.join("pages/rain.html"), RAIN_HTML).unwrap();
    let truth = serde_json::json!({
        "id": "rain", "text": RAIN_TEXT, "title": "Rain floods the valley | Valley Daily",
        "lang": "en-GB",
    });
    fs::write(set.join("truth.jsonl"), format!("{truth}\n")).unwrap();
}

#[test]
fn eval_scores_text_and_metadata() {
    let t = tempfile::tempdir().unwrap();
    tiny_eval_set(t.path());
    let floors = t.path().join("floors.toml");
    let o = run(pith()
        .args(["eval"])
        .arg(t.path())
        .arg("--floors")
        .arg(&floors));
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    assert!(out.contains("F1 1.000"), "{out}");
    assert!(out.contains("metadata: title 1.000  lang 1.000"), "{out}");
}

/// A product page that shows a byline and a date of a widget, and may
/// declare an author in `<meta>`.
fn product_page(declared_author: &str) -> String {
    format!(
        r#"<html lang="en"><head><title>Trail Runner 3 shoes | Acme Store</title>{declared_author}
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"Product","name":"Trail Runner 3",
"offers":{{"@type":"Offer","price":"89.00","priceCurrency":"USD"}}}}</script>
</head><body><main><h1>Trail Runner 3</h1>
<div class="product-author">Visit the Acme Store</div>
<time datetime="2025-02-01">February 1, 2025</time>
<p class="price">$89.00</p><button>Add to cart</button>
<p>A light trail shoe with a grippy outsole for wet rock and loose gravel, and a roomy toe box.</p>
<ul><li>Weight: 280 g</li><li>Drop: 6 mm</li><li>Upper: recycled mesh</li></ul>
</main></body></html>"#
    )
}

#[test]
fn a_product_page_has_no_shown_byline_but_keeps_a_declared_one() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("shoe.html");
    let meta_of = |html: &str| {
        write(&p, html);
        let o = run(pith()
            .args(["extract", "--jsonl", "-", "--url"])
            .arg("https://shop.example/products/trail-runner-3")
            .arg(&p));
        assert_code(&o, 0);
        read_jsonl(&stdout(&o)).remove(0)
    };
    let shown = meta_of(&product_page(""));
    assert_eq!(shown["page_type"], "product", "{shown}");
    assert!(shown.get("author").is_none_or(Value::is_null), "{shown}");
    assert!(shown.get("published").is_none_or(Value::is_null), "{shown}");
    let o = run(pith()
        .args(["extract", "--explain", "--url"])
        .arg("https://shop.example/products/trail-runner-3")
        .arg(&p));
    assert!(
        stdout(&o).contains(
            "not the page's own on a product page: the shown author \"Visit the Acme Store\" and"
        ),
        "{}",
        show(&o)
    );
    let declared = meta_of(&product_page(r#"<meta name="author" content="Ann Lee">"#));
    assert_eq!(declared["author"], "Ann Lee", "{declared}");
}

#[test]
fn eval_meta_tables_each_field_with_its_false_values() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("meta");
    fs::create_dir_all(set.join("pages")).unwrap();
    for id in ["a", "b", "c"] {
        fs::write(set.join(format!("pages/{id}.html")), RAIN_HTML).unwrap();
    }
    // The same page three times: its title without the site's name and in
    // other case, its author right, wrong, and given where the truth has
    // none; its date right once, missing from the truth twice.
    let lines = [
        serde_json::json!({"id": "a", "text": RAIN_TEXT, "title": "RAIN floods the valley",
            "author": "By Ann Smith", "published": "2024-03-05"}),
        serde_json::json!({"id": "b", "text": RAIN_TEXT, "title": "Rain floods the valley",
            "author": "Bo Chan", "published": null}),
        serde_json::json!({"id": "c", "text": RAIN_TEXT, "title": "Rain floods the valley",
            "author": null, "published": null}),
    ];
    let truth: String = lines.iter().map(|l| format!("{l}\n")).collect();
    fs::write(set.join("truth.jsonl"), truth).unwrap();
    let o = run(pith()
        .args(["eval", "--meta", "--worst", "5"])
        .arg(t.path())
        .arg("--floors")
        .arg(t.path().join("floors.toml")));
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    let row = |field: &str| {
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(field))
            .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("no {field} row in {out}"))
    };
    assert_eq!(row("title"), "3 3 100.0% 0 0 -");
    assert_eq!(row("author"), "2 1 50.0% 1 1 100.0%");
    assert_eq!(row("published"), "1 1 100.0% 2 2 100.0%");
    assert!(
        out.contains("author    b: truth \"Bo Chan\" · pith \"Ann Smith\""),
        "{out}"
    );
    assert!(
        out.contains("published c: truth none · pith \"2024-03-05\""),
        "{out}"
    );
}

#[test]
fn eval_into_a_closed_pipe_exits_quietly() {
    let t = tempfile::tempdir().unwrap();
    tiny_eval_set(t.path());
    for repair in [false, true] {
        let mut cmd = pith();
        cmd.args(["eval"])
            .arg(t.path())
            .arg("--floors")
            .arg(t.path().join("floors.toml"));
        if repair {
            cmd.arg("--repair");
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(code(&o), 0, "--repair {repair}: {}", show(&o));
        assert!(
            !stderr(&o).contains("panicked"),
            "--repair {repair}: {}",
            show(&o)
        );
    }
}

// ---------------------------------------------------------------- issue 7: no escape, clear errors
// Issue #7.

/// Every file under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_owned());
            }
        }
    }
    out.sort();
    out
}

/// Input names that look like paths, odd Unicode and over-long names: every
/// output lands directly in the output folder, one file per page, and the
/// manifest records the original ids.
#[test]
fn no_input_name_writes_outside_the_output_folder() {
    use std::os::unix::ffi::OsStrExt;
    let t = tempfile::tempdir().unwrap();
    let pages = t.path().join("in");
    let out = t.path().join("work/out");
    let names: Vec<std::ffi::OsString> = vec![
        "...html".into(),
        "..html".into(),
        ".hidden.html".into(),
        "..\\..\\evil.html".into(),
        "a\u{202E}lmth.exe.html".into(),
        "\u{FEFF}\u{200B}.html".into(),
        "con.html".into(),
        "manifest.html".into(),
        "x\ny.html".into(),
        "Ελληνικά 日本語.html".into(),
        // Invalid UTF-8, long enough that U+FFFD (3 bytes each) would
        // overflow the 255-byte file-name limit.
        std::ffi::OsStr::from_bytes(&[&[0xFFu8; 240][..], b".html"].concat()).to_owned(),
        std::ffi::OsStr::from_bytes(&[&[b'n'; 245][..], b".html"].concat()).to_owned(),
    ];
    for n in &names {
        write(&pages.join(n), RAIN_HTML);
    }
    // Ids that repeat get ~2: two files that lose the same bytes to U+FFFD.
    write(&pages.join("sub").join(&names[10]), RAIN_HTML);
    let o = run(pith()
        .args(["extract", "-q", "--out"])
        .arg(&out)
        .arg(&pages)
        .arg(pages.join("..html")));
    assert_code(&o, 0);
    let written = files_under(t.path().join("work").as_path());
    for w in &written {
        assert_eq!(w.components().count(), 2, "outside out/: {w:?}");
        assert!(w.starts_with("out"), "outside out/: {w:?}");
    }
    let rows = manifest(&out);
    assert_eq!(rows.len(), names.len() + 2, "{rows:#?}");
    assert!(rows.iter().all(|r| r["status"] == "ok"));
    let txts: Vec<_> = written
        .iter()
        .filter(|w| w.extension().is_some_and(|e| e == "txt"))
        .collect();
    assert_eq!(txts.len(), rows.len(), "one .txt per page: {written:?}");
    for w in &written {
        let name = w.file_name().unwrap().as_bytes();
        assert!(name.len() <= 255 && !name.starts_with(b"."), "{w:?}");
    }
    // Resume finds every one of them done.
    let o = run(pith()
        .args(["extract", "--resume", "--out"])
        .arg(&out)
        .arg(&pages)
        .arg(pages.join("..html")));
    assert_code(&o, 0);
    assert!(
        stderr(&o).contains(&format!("{n} of {n} pages already done", n = rows.len())),
        "{}",
        show(&o)
    );
}

/// A library caller's ids go through the same naming: `../`, absolute paths
/// and separators stay inside the folder.
#[test]
fn no_page_id_writes_outside_the_output_folder() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("a/b/out");
    let mut sink = pith::TxtDir::create(&out, false).unwrap();
    let pipeline = pith::Pipeline::default();
    let ids = [
        "../escape",
        "../../../../../../tmp/pith-escape",
        "/tmp/pith-absolute",
        "https://example.com/news/1?x=../../y",
        "a/../../b",
        "..",
        ".",
        "",
        "nul\0byte",
        "C:\\Windows\\x",
    ];
    for id in ids {
        let page = pith::Page::html(id, RAIN_HTML);
        let r = pipeline.process(&page);
        pith::Sink::write(&mut sink, &page, &r).unwrap();
    }
    pith::Sink::finish(&mut sink).unwrap();
    // The folder's lock file (`.pith.lock`) goes with the sink.
    drop(sink);
    let written = files_under(t.path());
    assert_eq!(written.len(), ids.len() + 1, "{written:?}");
    for w in &written {
        assert!(
            w.starts_with("a/b/out") && w.components().count() == 4,
            "escaped: {w:?}"
        );
    }
    assert!(!Path::new("/tmp/pith-escape.txt").exists());
    assert!(!Path::new("/tmp/pith-absolute.txt").exists());
    let rows = manifest(&out);
    let got: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids);
}

/// `pith: …` on one line naming the path, exit 2, nothing on stdout.
fn assert_clear_error(o: &Output, names: &[&str]) {
    assert_code(o, 2);
    let e = stderr(o);
    assert_eq!(e.lines().count(), 1, "not one line:\n{e}");
    assert!(e.starts_with("pith: "), "{e}");
    for n in names {
        assert!(e.contains(n), "{n:?} not named in {e:?}");
    }
    assert!(o.stdout.is_empty(), "{}", show(o));
}

#[test]
fn unreadable_input_is_one_clear_line() {
    let t = tempfile::tempdir().unwrap();
    // A dangling symlink, and a path through a file: unreadable even for root.
    let link = t.path().join("gone.html");
    std::os::unix::fs::symlink(t.path().join("nowhere.html"), &link).unwrap();
    let o = run(pith().arg("extract").arg(&link));
    assert_clear_error(&o, &["gone.html"]);
    let file = t.path().join("file.html");
    write(&file, RAIN_HTML);
    let o = run(pith().arg("extract").arg(file.join("x.html")));
    assert_clear_error(&o, &["file.html/x.html"]);
    // Missing folder.
    let o = run(pith()
        .args(["extract", "--jsonl", "-"])
        .arg(t.path().join("no-dir")));
    assert_clear_error(&o, &["no-dir"]);
    // Inside a batch, an unreadable page is that page's failure (exit 1),
    // recorded with its path; the others are written.
    let pages = batch(t.path());
    std::os::unix::fs::symlink(t.path().join("nowhere.html"), pages.join("dangling.html")).unwrap();
    let out = t.path().join("out");
    let o = run(pith()
        .args(["extract", "-q", "--out"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 1);
    let rows = manifest(&out);
    let bad = by_id(&rows, "dangling");
    assert_eq!(bad["status"], "failed");
    assert_eq!(bad["stage"], "read");
    assert!(
        bad["error"].as_str().unwrap().contains("dangling.html"),
        "{bad}"
    );
    assert_eq!(rows.iter().filter(|r| r["status"] == "ok").count(), 3);
}

#[test]
fn unwritable_output_is_one_clear_line_and_leaves_nothing() {
    let t = tempfile::tempdir().unwrap();
    let page = t.path().join("rain.html");
    write(&page, RAIN_HTML);
    let file = t.path().join("plain-file");
    write(&file, "x");
    // An output folder that cannot be created.
    let o = run(pith()
        .arg("extract")
        .arg("--out")
        .arg(file.join("out"))
        .arg(&page));
    assert_clear_error(&o, &["plain-file/out"]);
    // A JSONL path in a folder that does not exist.
    let o = run(pith()
        .arg("extract")
        .arg("--jsonl")
        .arg(t.path().join("no-dir/x.jsonl"))
        .arg(&page));
    assert_clear_error(&o, &["no-dir/x.jsonl"]);
    // A full device: ENOSPC on write. Nothing is renamed over /dev/full.
    let o = run(pith().args(["extract", "--jsonl", "/dev/full"]).arg(&page));
    assert_clear_error(&o, &["/dev/full"]);
    assert!(
        stderr(&o).contains("No space left on device"),
        "{}",
        show(&o)
    );
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device());
    }
    assert_eq!(names_in(t.path()), ["plain-file", "rain.html"]);
    // Read-only folders cannot be tested honestly as root (root writes anyway).
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        let ro = t.path().join("ro");
        fs::create_dir(&ro).unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
        let o = run(pith().arg("extract").arg("--out").arg(&ro).arg(&page));
        assert_clear_error(&o, &["ro"]);
        assert!(names_in(&ro).is_empty());
    }
}

fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// Bad pipeline files: one line naming the file and, where there is one, the
/// key; exit 2; no output folder created.
#[test]
fn bad_pipeline_file_is_one_clear_line_naming_file_and_key() {
    let t = tempfile::tempdir().unwrap();
    let page = t.path().join("rain.html");
    write(&page, RAIN_HTML);
    let pl = t.path().join("bad.toml");
    let out = t.path().join("out");
    let cases: &[(&str, &[&str])] = &[
        ("[extract\nmin_chars = 3\n", &["bad.toml", "line 1"]),
        (
            "[extract]\nmin_chars = \"many\"\n",
            &["bad.toml", "min_chars"],
        ),
        ("[extract]\nmin_chars = -1\n", &["bad.toml", "min_chars"]),
        (
            "[limits]\npage_time_ms = \"soon\"\n",
            &["bad.toml", "page_time_ms"],
        ),
        (
            "[[extract.remove]]\nreason = \"x\"\nnames = \"(unclosed\"\n",
            &["bad.toml", "names"],
        ),
        ("[strip]\ndate = [\"[a-\"]\n", &["bad.toml", "date"]),
        (
            "[decode]\nfallback = \"no-such-charset\"\n",
            &["bad.toml", "fallback"],
        ),
        ("[repair]\ntypos = 3\n", &["bad.toml", "typos"]),
    ];
    for (text, names) in cases {
        write(&pl, text);
        let o = run(pith()
            .args(["extract", "--pipeline"])
            .arg(&pl)
            .arg("--out")
            .arg(&out)
            .arg(&page));
        assert_clear_error(&o, names);
        assert!(!out.exists(), "{text:?}: output folder created");
    }
    // A pipeline path that is a folder.
    let o = run(pith()
        .args(["extract", "--pipeline"])
        .arg(t.path())
        .arg(&page));
    assert_code(&o, 2);
}

#[test]
fn time_budget_flag_fails_a_slow_page_and_the_batch_goes_on() {
    let t = tempfile::tempdir().unwrap();
    let pages = batch(t.path());
    let para = "<p>The committee met again to discuss the harbour budget, the timetable and the ferry.</p>";
    write(
        &pages.join("huge.html"),
        format!(
            "<html><body><article>{}</article></body></html>",
            para.repeat(100_000)
        ),
    );
    let out = t.path().join("out");
    let o = run(pith()
        .args(["extract", "--time-budget", "1", "--out"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 1);
    assert!(stderr(&o).contains("time budget exceeded"), "{}", show(&o));
    let rows = manifest(&out);
    assert_eq!(rows.len(), 4);
    let huge = by_id(&rows, "huge");
    assert_eq!(huge["status"], "failed");
    assert!(
        huge["error"]
            .as_str()
            .unwrap()
            .contains("time budget exceeded"),
        "{huge}"
    );
    assert!(!out.join("huge.txt").exists());
}

// ---------------------------------------------------------------- language

const GERMAN_BODY: &str = "<p>Die Hafenmauer wurde in dieser Woche repariert, nachdem die \
Winterstürme sie schwer beschädigt hatten, und der Gemeinderat sagte, die Arbeiten hätten weit \
weniger gekostet als befürchtet.</p><p>Die Anwohner, die sich jahrelang für die Reparatur \
eingesetzt hatten, begrüßten die Nachricht bei einer Versammlung am Dienstagabend im Rathaus \
der kleinen Stadt an der Küste.</p>";

const ENGLISH_BODY: &str = "<p>The harbour wall was repaired this week after the winter storms \
had damaged it badly, and the town council said the work cost far less than it had feared.</p>\
<p>Residents who had campaigned for the repair for years welcomed the news at a meeting on \
Tuesday evening in the town hall of the small coastal town.</p>";

#[test]
fn lang_comes_from_the_text_when_markup_is_missing_or_wrong_and_filters() {
    let t = tempfile::tempdir().unwrap();
    let pages = t.path().join("pages");
    // A German story declared as English (markup wins); an English page that declares nothing.
    write(
        &pages.join("de.html"),
        format!("<html lang=\"en\"><body><article>{GERMAN_BODY}</article></body></html>"),
    );
    write(
        &pages.join("en.html"),
        format!("<html><body><article>{ENGLISH_BODY}</article></body></html>"),
    );
    write(
        &pages.join("fr.html"),
        format!("<html lang=\"fr\"><body><article>{ENGLISH_BODY}</article></body></html>"),
    );
    let out = t.path().join("all.jsonl");
    let o = run(pith()
        .args(["extract", "-q", "--jsonl"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 0);
    let lines: Vec<serde_json::Value> = fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |id: &str| {
        let l = lines.iter().find(|l| l["id"] == id).expect(id);
        (
            l["lang"].as_str().map(str::to_owned),
            l["lang_source"].as_str().map(str::to_owned),
        )
    };
    assert_eq!(of("de"), (Some("en".into()), Some("markup".into())));
    assert_eq!(of("en"), (Some("en".into()), Some("text".into())));
    assert_eq!(of("fr"), (Some("fr".into()), Some("markup".into())));

    let out = t.path().join("de.jsonl");
    let o = run(pith()
        .args(["extract", "-q", "--lang", "fr", "--jsonl"])
        .arg(&out)
        .arg(&pages));
    assert_code(&o, 0);
    let text = fs::read_to_string(&out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    for l in &lines {
        if l["id"] == "fr" {
            assert!(
                l["text"].as_str().unwrap().starts_with("The harbour wall"),
                "{l}"
            );
        } else {
            assert_eq!(
                l["error"].as_str().unwrap(),
                format!(
                    "skipped {}: language en is not one of --lang fr",
                    l["id"].as_str().unwrap()
                ),
                "{l}"
            );
        }
    }
    // One page to standard output: the skip is said on standard error,
    // and -q keeps it quiet.
    let one = pages.join("de.html");
    let o = run(pith().args(["extract", "--lang", "fr"]).arg(&one));
    assert_code(&o, 0);
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("pith: skipped de: language en is not one of --lang fr"),
        "{}",
        show(&o)
    );
    let o = run(pith().args(["extract", "-q", "--lang", "fr"]).arg(&one));
    assert_eq!(stderr(&o), "", "{}", show(&o));
}
