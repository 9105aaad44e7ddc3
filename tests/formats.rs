//! `--format text|markdown|html` through the real binary: standard output,
//! an `--out` folder (files, manifest, resume) and JSONL fields.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_pith");

/// A how-to page: a heading, a paragraph, a bulleted and a numbered list, a
/// table and a code block inside the article, boilerplate around it.
const GUIDE_HTML: &str = r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Pruning snapshots | Tide Docs</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/docs">Docs</a></li></ul></nav>
<main><article>
<h1>Pruning snapshots</h1>
<p>Retention rules say how long each snapshot is kept before it is pruned from the store.</p>
<h2>Before you start</h2>
<ul><li>Version 2.4 or later of the tool, installed on the machine.</li>
<li>Write access to the repository that holds the snapshots.</li></ul>
<h2>Steps</h2>
<ol><li>Open the configuration file in an editor of your choice.</li>
<li>Add a retention table with the default age for every path.</li></ol>
<table><tr><th>Path</th><th>Keep</th></tr><tr><td>logs/*</td><td>7 days</td></tr></table>
<pre><code>[retention]
default = "30d"</code></pre>
<p>Run the command with the dry-run flag first, to see what it would delete.</p>
</article></main>
<footer><p>Copyright 2026 Tide. All rights reserved.</p></footer>
</body></html>
"##;

const GUIDE_TEXT: &str =
    "Retention rules say how long each snapshot is kept before it is pruned from the store.\n\n\
Before you start\n\n\
Version 2.4 or later of the tool, installed on the machine.\n\n\
Write access to the repository that holds the snapshots.\n\n\
Steps\n\n\
1. Open the configuration file in an editor of your choice.\n\n\
2. Add a retention table with the default age for every path.\n\n\
Path\tKeep\n\n\
logs/*\t7 days\n\n\
[retention]\ndefault = \"30d\"\n\n\
Run the command with the dry-run flag first, to see what it would delete.\n";

const GUIDE_MD: &str =
    "Retention rules say how long each snapshot is kept before it is pruned from the store.\n\n\
## Before you start\n\n\
- Version 2.4 or later of the tool, installed on the machine.\n\
- Write access to the repository that holds the snapshots.\n\n\
## Steps\n\n\
1. Open the configuration file in an editor of your choice.\n\
2. Add a retention table with the default age for every path.\n\n\
| Path | Keep |\n\
| --- | --- |\n\
| logs/\\* | 7 days |\n\n\
```\n[retention]\ndefault = \"30d\"\n```\n\n\
Run the command with the dry-run flag first, to see what it would delete.\n";

fn pith() -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("CI");
    c.stdin(Stdio::null());
    c
}

fn run(cmd: &mut Command) -> Output {
    let o = cmd.output().expect("run pith");
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("panicked"),
        "pith panicked: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn ok_stdout(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// Writes `html` as `dir/pages/name` and returns its path.
fn write_page(dir: &Path, name: &str, html: &str) -> std::path::PathBuf {
    let p = dir.join("pages").join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, html).unwrap();
    p
}

fn page(dir: &Path) -> std::path::PathBuf {
    write_page(dir, "guide.html", GUIDE_HTML)
}

#[test]
fn plain_text_is_the_default_and_unchanged() {
    let t = tempfile::tempdir().unwrap();
    let p = page(t.path());
    assert_eq!(ok_stdout(&run(pith().arg("extract").arg(&p))), GUIDE_TEXT);
    let o = run(pith().args(["extract", "--format", "text"]).arg(&p));
    assert_eq!(ok_stdout(&o), GUIDE_TEXT);
}

#[test]
fn markdown_on_standard_output() {
    let t = tempfile::tempdir().unwrap();
    let p = page(t.path());
    let o = run(pith().args(["extract", "--format", "markdown"]).arg(&p));
    assert_eq!(ok_stdout(&o), GUIDE_MD);
}

#[test]
fn html_on_standard_output_is_a_document() {
    let t = tempfile::tempdir().unwrap();
    let p = page(t.path());
    let h = ok_stdout(&run(pith().args(["extract", "--format", "html"]).arg(&p)));
    assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{h}");
    assert!(h.contains("<title>Pruning snapshots"), "{h}");
    assert!(
        h.contains("<h2>Steps</h2>\n<ol>\n<li>Open the configuration file"),
        "{h}"
    );
    assert!(h.contains("<tr><td>logs/*</td><td>7 days</td></tr>"), "{h}");
    assert!(
        h.contains("<pre><code>[retention]\ndefault = &quot;30d&quot;</code></pre>"),
        "{h}"
    );
    assert!(!h.contains("Copyright"), "{h}");
}

#[test]
fn out_folder_writes_md_files_and_resumes_them() {
    let t = tempfile::tempdir().unwrap();
    page(t.path());
    let pages = t.path().join("pages");
    let out = t.path().join("out");
    let o = run(pith()
        .args(["extract", "--format", "markdown", "--out"])
        .arg(&out)
        .arg(&pages));
    ok_stdout(&o);
    assert_eq!(fs::read_to_string(out.join("guide.md")).unwrap(), GUIDE_MD);
    assert!(!out.join("guide.txt").exists());
    let manifest = fs::read_to_string(out.join("manifest.jsonl")).unwrap();
    let rec: Value = serde_json::from_str(manifest.lines().next().unwrap()).unwrap();
    assert_eq!(rec["status"], "ok");

    // A resumed run in the same form finds the page done (its .md exists) and
    // leaves the file alone.
    fs::write(out.join("guide.md"), "SENTINEL\n").unwrap();
    let o = run(pith()
        .args(["extract", "--format", "markdown", "--resume", "--out"])
        .arg(&out)
        .arg(&pages));
    ok_stdout(&o);
    assert_eq!(
        fs::read_to_string(out.join("guide.md")).unwrap(),
        "SENTINEL\n"
    );
    // In plain text the page is not done yet (no guide.txt): it is written.
    let o = run(pith()
        .args(["extract", "--resume", "--out"])
        .arg(&out)
        .arg(&pages));
    ok_stdout(&o);
    assert_eq!(
        fs::read_to_string(out.join("guide.txt")).unwrap(),
        GUIDE_TEXT
    );
}

#[test]
fn jsonl_adds_the_form_beside_the_text() {
    let t = tempfile::tempdir().unwrap();
    let p = page(t.path());
    let line = |form: &str| -> Value {
        let o = run(pith()
            .args(["extract", "--jsonl", "-", "--format", form])
            .arg(&p));
        serde_json::from_str(ok_stdout(&o).trim_end()).unwrap()
    };
    let text = line("text");
    assert_eq!(text["text"], GUIDE_TEXT);
    assert!(text.get("markdown").is_none() && text.get("html").is_none());
    let md = line("markdown");
    assert_eq!(md["text"], GUIDE_TEXT);
    assert_eq!(md["markdown"], GUIDE_MD);
    assert!(md.get("html").is_none());
    let html = line("html");
    assert_eq!(html["text"], GUIDE_TEXT);
    assert!(html["html"]
        .as_str()
        .unwrap()
        .contains("<h2>Before you start</h2>"));
}

#[test]
fn nested_lists_keep_their_depth_in_markdown() {
    let t = tempfile::tempdir().unwrap();
    let p = write_page(
        t.path(),
        "nested.html",
        r#"<html><head><title>Packing list</title></head><body><main><article>
<p>What to bring on the three-day walk along the coast path, in order of weight.</p>
<ul><li>Clothing for wet and windy weather on the cliffs
  <ol><li>A waterproof jacket with a hood that fits over a hat</li>
      <li>Two pairs of wool socks for each day of the walk</li></ol></li>
<li>Food and water for the stretches without any villages</li></ul>
</article></main></body></html>"#,
    );
    let o = run(pith().args(["extract", "--format", "markdown"]).arg(&p));
    assert_eq!(
        ok_stdout(&o),
        "What to bring on the three-day walk along the coast path, in order of weight.\n\n\
- Clothing for wet and windy weather on the cliffs\n    \
1. A waterproof jacket with a hood that fits over a hat\n    \
2. Two pairs of wool socks for each day of the walk\n\
- Food and water for the stretches without any villages\n"
    );
}

#[test]
fn links_are_kept_absolute_only_when_asked() {
    let t = tempfile::tempdir().unwrap();
    let p = write_page(
        t.path(),
        "linked.html",
        r##"<html lang="en"><head><title>Retention</title></head><body><main><article>
<p>Snapshots older than the limit are pruned; see <a href="../rules/retention.html">the retention
rules</a> for the defaults, or <a href="javascript:void(0)">open the helper</a> in the app.</p>
<p>Each rule names a path and an age, and the <a href="#top">oldest</a> rule that matches a path wins
when two or more of them match the same path in the store.</p>
</article></main></body></html>"##,
    );
    let url = "https://docs.example.org/guide/prune.html";
    let md = ok_stdout(&run(pith()
        .args(["extract", "--format", "markdown", "--links", "--url", url])
        .arg(&p)));
    assert!(
        md.contains("see [the retention rules](https://docs.example.org/rules/retention.html) for"),
        "{md}"
    );
    // A script link and an in-page anchor lead nowhere a reader could go.
    assert!(md.contains("or open the helper in the app"), "{md}");
    assert!(md.contains("and the oldest rule"), "{md}");
    let html = ok_stdout(&run(pith()
        .args(["extract", "--format", "html", "--links", "--url", url])
        .arg(&p)));
    assert!(
        html.contains(
            "<a href=\"https://docs.example.org/rules/retention.html\">the retention rules</a>"
        ),
        "{html}"
    );
    // Off by default, and plain text never carries links.
    let plain_md = ok_stdout(&run(pith()
        .args(["extract", "--format", "markdown", "--url", url])
        .arg(&p)));
    assert!(!plain_md.contains("]("), "{plain_md}");
    let with = ok_stdout(&run(pith()
        .args(["extract", "--links", "--url", url])
        .arg(&p)));
    let without = ok_stdout(&run(pith().args(["extract", "--url", url]).arg(&p)));
    assert_eq!(with, without);
    assert!(
        with.contains("see the retention rules for the defaults"),
        "{with}"
    );
}

#[test]
fn images_are_kept_after_their_paragraph_only_when_asked() {
    let t = tempfile::tempdir().unwrap();
    let p = write_page(
        t.path(),
        "wall.html",
        r#"<html lang="en"><head><title>Harbour</title></head><body><main><article>
<p>The wall was repaired this week after the winter storms had damaged it badly, the council said on Tuesday.</p>
<figure><img src="data:image/gif;base64,R0lGOD" data-src="/img/wall (1).jpg" alt="The [mended] wall"><figcaption>The wall at low tide. Photo: Ann Lee</figcaption></figure>
<ul><li>Residents who had campaigned for the repair <img src="/i/smile.png" alt="smile"> welcomed the news</li>
<li>The harbour master thanked the crews who worked through the cold nights</li></ul>
<img src="/pixel.gif" width="1" height="1" alt="">
<p>Work on the slipway starts in the spring, when the weather allows the crews to reach the lower steps.</p>
</article></main></body></html>"#,
    );
    let url = "https://harbour.example/news/wall.html";
    let form = |extra: &[&str]| {
        ok_stdout(&run(pith()
            .args(["extract", "--url", url])
            .args(extra)
            .arg(&p)))
    };
    assert_eq!(
        form(&["--format", "markdown", "--images"]),
        "The wall was repaired this week after the winter storms had damaged it badly, the council said on Tuesday.\n\n\
![The \\[mended\\] wall](https://harbour.example/img/wall%20\\(1\\).jpg)\n\n\
- Residents who had campaigned for the repair welcomed the news ![smile](https://harbour.example/i/smile.png)\n\
- The harbour master thanked the crews who worked through the cold nights\n\n\
Work on the slipway starts in the spring, when the weather allows the crews to reach the lower steps.\n"
    );
    let html = form(&["--format", "html", "--images"]);
    assert!(
        html.contains("<p><img src=\"https://harbour.example/img/wall%20(1).jpg\" alt=\"The [mended] wall\"></p>"),
        "{html}"
    );
    assert!(!html.contains("pixel.gif"), "{html}");
    // Without --images none, and the plain text is the same either way.
    assert!(!form(&["--format", "markdown"]).contains("!["));
    assert_eq!(form(&["--images"]), form(&[]));
}
