//! `--input jsonl` (one page a line in, one JSONL line a page out, in order,
//! each as soon as it is done) and `--independent` (a page's output that
//! does not depend on how a job is split), tested by running the binary.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Output, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

mod common;
use common::{pith, run_with_stdin, show};

fn lines(o: &Output) -> Vec<Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

/// A news page about `topic`, long enough to be extracted.
fn page(topic: &str) -> String {
    format!(
        "<html lang=en><head><title>{topic}</title></head><body><nav><a href=/>Home</a></nav>\
         <article><h1>{topic}</h1><p>The council met on Monday to talk about the {topic}, \
         and most of the people who came said they wanted it settled before the winter.</p>\
         <p>A decision on the {topic} is expected next month, after a second meeting.</p>\
         </article><footer>Copyright</footer></body></html>"
    )
}

/// Pages whose typo repair depends on the batch (the `varint` pair of
/// `src/pipeline.rs`): `a` uses `varint` twice, which vouches for the word
/// on `b`, where it stands once and alone reads as a typo of `variant`.
fn network_page(sentence: &str) -> String {
    format!(
        "<html lang=en><body><article><p>{sentence}</p><p>The rest of this article is \
         plain English prose about networks, written for people who build them, with \
         nothing unusual in it at all.</p></article></body></html>"
    )
}

fn varint_a() -> String {
    network_page("Every field starts with a varint tag, and each varint is short.")
}

fn varint_b() -> String {
    network_page(
        "Now that the length is a varint capable of storing larger integers, frames can \
         carry far more data.",
    )
}

fn request(id: &str, html: &str) -> String {
    format!("{}\n", json!({"id": id, "html": html}))
}

#[test]
fn each_line_comes_out_before_the_next_goes_in() {
    let mut child = pith()
        .args(["extract", "--input", "jsonl", "-j", "2", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    // Should pith wait for the end of its input, the reads below would block
    // forever: the watchdog then kills it, they see the end and fail.
    let child: Arc<Mutex<Child>> = Arc::new(Mutex::new(child));
    let (done, finished) = mpsc::channel::<()>();
    let watched = Arc::clone(&child);
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(Duration::from_secs(120)).is_err() {
            let _ = watched.lock().unwrap().kill();
        }
    });
    let mut next = |line: &str| -> Value {
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.flush().unwrap();
        let mut got = String::new();
        out.read_line(&mut got).unwrap();
        assert!(
            got.ends_with('\n'),
            "no line came back for {line:?}: {got:?}"
        );
        serde_json::from_str(&got).unwrap()
    };
    let first = next(&request("first", &page("bridge")));
    assert_eq!(first["id"], "first");
    assert!(first["text"].as_str().unwrap().contains("about the bridge"));
    let bad = next("{\"id\": \"broken\", \"html\": \n");
    assert_eq!(bad["id"], "2", "{bad}");
    assert_eq!(bad["stage"], "read");
    assert!(bad["error"].as_str().unwrap().contains("not JSON"), "{bad}");
    let third = next(&request("third", &page("harbour")));
    assert_eq!(third["id"], "third");
    assert!(third["text"]
        .as_str()
        .unwrap()
        .contains("about the harbour"));
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    assert_eq!(rest, "", "nothing more after the input ends");
    let status = child.lock().unwrap().wait().unwrap();
    done.send(()).unwrap();
    watchdog.join().unwrap();
    assert_eq!(status.code(), Some(1), "a line failed: exit 1");
}

#[test]
fn one_line_out_per_line_in_in_order_whatever_the_line() {
    let mut input = String::new();
    let mut want: Vec<(String, bool)> = Vec::new();
    for i in 0..24 {
        let id = format!("p{i:02}");
        match i % 6 {
            1 => {
                input.push_str("this is not json\n");
                want.push(((input.lines().count()).to_string(), false));
            }
            3 => {
                input.push_str(&format!("{}\n", json!({"id": id, "html_b64": "***"})));
                want.push((id, false));
            }
            4 => {
                input.push('\n');
                want.push(((input.lines().count()).to_string(), false));
            }
            _ => {
                input.push_str(&request(&id, &page(&format!("item {i}"))));
                want.push((id, true));
            }
        }
    }
    // Invalid UTF-8 inside a string: that line's error, with its id.
    input.push_str("{\"id\":\"latin\",\"html\":\"caf");
    let mut bytes = input.into_bytes();
    bytes.extend_from_slice(b"\xe9\"}\n");
    want.push(("latin".into(), false));
    // No id, and a last line without its line break: the line number.
    bytes.extend_from_slice(format!("{}", json!({"html": page("last")})).as_bytes());
    want.push(("26".into(), true));

    let o = run_with_stdin(
        pith().args(["extract", "--input", "jsonl", "-q", "-j", "4"]),
        &bytes,
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(o.stderr.is_empty(), "-q: {}", show(&o));
    let got: Vec<(String, bool)> = lines(&o)
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_owned(),
                l.get("error").is_none(),
            )
        })
        .collect();
    assert_eq!(got, want);

    // All good lines: exit 0, and --jsonl FILE holds the same lines.
    let good = format!("{}{}", request("x", &page("x")), request("y", &page("y")));
    let t = tempfile::tempdir().unwrap();
    let file = t.path().join("out.jsonl");
    let o = run_with_stdin(
        pith()
            .args(["extract", "--input", "jsonl", "--jsonl"])
            .arg(&file),
        good.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(o.stdout.is_empty());
    let o2 = run_with_stdin(
        pith().args(["extract", "--input", "jsonl", "-"]),
        good.as_bytes(),
    );
    assert_eq!(fs::read(&file).unwrap(), o2.stdout);
    let ids: Vec<Value> = lines(&o2).iter().map(|l| l["id"].clone()).collect();
    assert_eq!(ids, [json!("x"), json!("y")]);
}

#[test]
fn jsonl_files_and_a_text_folder_and_clean() {
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("a.jsonl");
    let b = t.path().join("b.jsonl");
    fs::write(
        &a,
        format!(
            "{}\n",
            json!({"id": "one", "url": "https://news.example/one", "html": page("one")})
        ),
    )
    .unwrap();
    fs::write(&b, format!("{}\n", json!({"html": page("two")}))).unwrap();
    let out = t.path().join("out");
    let o = pith()
        .args(["extract", "--input", "jsonl", "--out"])
        .arg(&out)
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(fs::read_to_string(out.join("one.txt"))
        .unwrap()
        .contains("about the one"));
    // The second file's line is the run's line 2.
    assert!(fs::read_to_string(out.join("2.txt"))
        .unwrap()
        .contains("about the two"));
    let manifest = fs::read_to_string(out.join("manifest.jsonl")).unwrap();
    let rows: Vec<Value> = manifest
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["url"], "https://news.example/one");
    assert_eq!(rows[0]["source"], format!("{}:1", a.display()));
    assert_eq!(rows[1]["source"], format!("{}:2", b.display()));

    // `pith clean` reads lines too, the body as `text`.
    let o = run_with_stdin(
        pith().args(["clean", "--input", "jsonl"]),
        format!(
            "{}\n",
            json!({"id": "t", "text": "A line of scraped text that is long enough to keep.\nShare this\n"})
        )
        .as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let l = &lines(&o)[0];
    assert_eq!(l["id"], "t");
    assert!(l["text"]
        .as_str()
        .unwrap()
        .starts_with("A line of scraped text"));

    // What takes one page does not take a stream.
    let o = run_with_stdin(
        pith().args(["extract", "--input", "jsonl", "--url", "https://x.org/"]),
        b"",
    );
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
}

/// Each page's text, by id, from JSONL output.
fn texts(o: &Output) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = lines(o)
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_owned(),
                serde_json::to_string(l).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn independent_output_does_not_depend_on_how_the_job_is_split() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let files = [
        ("a", varint_a()),
        ("b", varint_b()),
        ("c", page("library")),
        ("d", page("market")),
    ];
    for (id, html) in &files {
        fs::write(dir.join(format!("{id}.html")), html).unwrap();
    }
    let path = |id: &str| dir.join(format!("{id}.html"));
    let extract = |independent: bool, ids: &[&str]| -> Output {
        let mut c = pith();
        c.args(["extract", "--jsonl", "-"]);
        if independent {
            c.arg("--independent");
        }
        for id in ids {
            c.arg(path(id));
        }
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", show(&o));
        o
    };
    // One batch; the same pages in two runs; in reverse order.
    let whole = texts(&extract(true, &["a", "b", "c", "d"]));
    let mut split = texts(&extract(true, &["a", "c"]));
    split.extend(texts(&extract(true, &["b", "d"])));
    split.sort();
    let reversed = texts(&extract(true, &["d", "c", "b", "a"]));
    assert_eq!(whole.len(), 4);
    assert_eq!(split, whole);
    assert_eq!(reversed, whole);
    let b = &whole[1].1;
    assert!(b.contains("a variant capable"), "{b}");

    // Without it, `b` depends on whether `a` came before it in the run.
    let batch = texts(&extract(false, &["a", "b"]));
    let alone = texts(&extract(false, &["b"]));
    assert!(batch[1].1.contains("a varint capable"), "{}", batch[1].1);
    assert!(alone[0].1.contains("a variant capable"), "{}", alone[0].1);
    assert_ne!(batch[1], alone[0]);

    // A folder run writes the same files either way it is split.
    let out_whole = dir.join("whole");
    let o = pith()
        .args(["extract", "--independent", "--out"])
        .arg(&out_whole)
        .args([path("a"), path("b"), path("c"), path("d")])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let out_split = dir.join("split");
    for ids in [["b", "d"], ["c", "a"]] {
        let o = pith()
            .args(["extract", "--independent", "--resume", "--out"])
            .arg(&out_split)
            .args(ids.map(path))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    }
    for (id, _) in &files {
        let name = format!("{id}.txt");
        assert_eq!(
            fs::read(out_whole.join(&name)).unwrap(),
            fs::read(out_split.join(&name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn a_jsonl_stream_is_independent_unless_told_otherwise() {
    let input = format!("{}{}", request("a", &varint_a()), request("b", &varint_b()));
    let o = run_with_stdin(
        pith().args(["extract", "--input", "jsonl"]),
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let b = lines(&o)[1]["text"].as_str().unwrap().to_owned();
    assert!(b.contains("a variant capable"), "{b}");
    let o = run_with_stdin(
        pith().args(["extract", "--input", "jsonl", "--independent=false"]),
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let b = lines(&o)[1]["text"].as_str().unwrap().to_owned();
    assert!(b.contains("a varint capable"), "{b}");
}

#[test]
fn help_names_the_new_flags() {
    let o = pith().args(["extract", "--help"]).output().unwrap();
    let help = String::from_utf8(o.stdout).unwrap();
    for flag in [
        "--input <KIND>",
        "--independent[=<BOOL>]",
        "repair.batch_vocabulary",
    ] {
        assert!(help.contains(flag), "{flag} not in --help:\n{help}");
    }
}
