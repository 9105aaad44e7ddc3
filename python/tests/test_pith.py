"""Tests of the pith Python module (run by python/check.sh).

The golden comparison runs the binary named by $PITH_BIN (default
target/debug/pith) once per golden case.
"""

import concurrent.futures
import json
import os
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

import pith

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "golden"
PITH_BIN = Path(os.environ.get("PITH_BIN", ROOT / "target" / "debug" / "pith"))

ARTICLE = b"""<html><head><title>Heavy rain swells the river | Daily</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Heavy rain swells the river</h1>
<p>It rained all day in the valley, and the river rose by a metre before dusk.</p>
<p>Farmers said the water would help the late crops after a dry summer.</p>
</article><footer>Copyright Daily</footer></body></html>"""

TEXT = (
    "It rained all day in the valley, and the river rose by a metre before dusk.\n\n"
    "Farmers said the water would help the late crops after a dry summer.\n"
)

# One page a call: the CLI compared with must not weigh other pages' words.
INDEPENDENT = "[repair]\nbatch_vocabulary = false\n"


def test_version():
    assert isinstance(pith.__version__, str) and pith.__version__.count(".") == 2


def test_extract_gives_the_jsonl_fields():
    d = pith.extract(ARTICLE, "https://example.com/rain")
    assert d["text"] == TEXT
    assert d["title"] == "Heavy rain swells the river"
    assert d["url"] == "https://example.com/rain"
    assert d["id"] == "page"
    assert d["encoding"] == "windows-1252" or d["encoding"] == "UTF-8"
    assert isinstance(d["repairs"], list) and isinstance(d["removed"], dict)
    assert "error" not in d


@pytest.mark.parametrize("html", [ARTICLE, bytearray(ARTICLE), ARTICLE.decode()])
def test_bytes_bytearray_and_str_are_accepted(html):
    assert pith.extract(html)["text"] == TEXT
    assert pith.Pipeline().extract(html)["text"] == TEXT


def test_a_str_is_taken_as_utf8_whatever_its_meta_says():
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head>'
        "<body><article><p>"
        + "The caf\u00e9 on the corner serves cr\u00e8me br\u00fbl\u00e9e every day of the week. " * 3
        + "</p></article></body></html>"
    )
    d = pith.extract(page)
    assert "caf\u00e9" in d["text"] and "\u00c3" not in d["text"]
    # The same page as bytes in its declared charset decodes the same way.
    b = pith.extract(page.encode("windows-1252"))
    assert b["text"] == d["text"]
    assert b["encoding"] == "windows-1252"


@pytest.mark.parametrize("html", [None, 12, ["<p>x</p>"], memoryview(b"x")])
def test_other_html_types_raise_type_error(html):
    with pytest.raises(TypeError, match="html must be bytes, bytearray or str"):
        pith.extract(html)
    with pytest.raises(TypeError):
        pith.Pipeline().extract(html)


@pytest.mark.parametrize(
    "kwargs",
    [{"url": 1}, {"url": b"https://x.test/"}, {"content_type": 3}, {"id": 4}],
)
def test_wrong_argument_types_raise_type_error(kwargs):
    with pytest.raises(TypeError):
        pith.extract(ARTICLE, **kwargs)


def test_keyword_arguments():
    d = pith.extract(
        ARTICLE,
        url="https://example.com/rain",
        content_type="text/html; charset=utf-8",
        id="rain",
        content_language="en",
    )
    assert (d["id"], d["encoding"], d["text"]) == ("rain", "UTF-8", TEXT)


def test_a_failed_page_is_a_failed_line_not_an_exception():
    d = pith.extract(b"")
    assert set(d) == {"error", "id", "stage"}, d
    assert d["error"]
    small = pith.Pipeline("[limits]\nmax_page_bytes = 100\n")
    d = small.extract(ARTICLE, "https://example.com/rain")
    assert d["stage"] == "decode"
    assert "100" in d["error"]
    assert "text" not in d


def test_pipeline_from_text_file_and_errors(tmp_path):
    keep = "[extract]\nkeep_captions = true\n"
    f = tmp_path / "keep.toml"
    f.write_text(keep)
    for p in (pith.Pipeline(keep), pith.Pipeline(str(f))):
        assert p.extract(ARTICLE)["text"] == TEXT
    assert "keep.toml" in repr(pith.Pipeline(str(f)))
    with pytest.raises(ValueError):
        pith.Pipeline("[extract]\nno_such_key = 1\n")
    with pytest.raises(ValueError):
        pith.Pipeline("this is = not [toml")
    with pytest.raises(OSError):
        pith.Pipeline(str(tmp_path / "missing.toml"))
    with pytest.raises(TypeError):
        pith.Pipeline(3)


def test_many_threads_share_one_pipeline():
    p = pith.Pipeline()
    pages = [
        ARTICLE.replace(b"valley", b"valley %d" % i) for i in range(32)
    ]
    serial = [p.extract(page, f"https://example.com/{i}") for i, page in enumerate(pages)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        threaded = list(
            pool.map(lambda ip: p.extract(ip[1], f"https://example.com/{ip[0]}"),
                     enumerate(pages))
        )
    assert threaded == serial
    assert len({d["text"] for d in threaded}) == 32


def test_the_gil_is_released_while_a_page_is_processed():
    """With the switch interval at 1000 s, CPython never takes the GIL from a
    thread: another thread runs only when the GIL is released. The helper
    thread wakes when the worker is about to call extract; it can set its
    flag during one of the worker's calls only if extract releases the GIL."""
    big = ARTICLE.replace(b"</article>", b"<p>More rain is due over the weekend.</p>" * 2000 + b"</article>")
    p = pith.Pipeline()
    started, ran = threading.Event(), threading.Event()
    seen = []

    def helper():
        started.wait()
        ran.set()

    def worker():
        started.set()
        for _ in range(20):
            p.extract(big)
            if ran.is_set():
                seen.append(True)
                return
        seen.append(False)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1000)
    try:
        h = threading.Thread(target=helper)
        h.start()
        w = threading.Thread(target=worker)
        w.start()
        w.join()
        h.join()
    finally:
        sys.setswitchinterval(old)
    assert seen == [True], "no other thread ran during 20 calls of Pipeline.extract"


def golden_cases():
    return sorted(p.parent for p in GOLDEN.glob("*/input.html"))


def test_there_are_golden_cases():
    assert len(golden_cases()) >= 50


@pytest.fixture(scope="module")
def independent(tmp_path_factory):
    f = tmp_path_factory.mktemp("pipeline") / "independent.toml"
    f.write_text(INDEPENDENT)
    return f


@pytest.mark.parametrize("case", golden_cases(), ids=lambda p: p.name)
def test_golden_case_equals_the_cli_jsonl_line(case, independent):
    """pith.extract's dict is the line `pith extract --jsonl` writes for the
    page. File pages' lines carry no timing fields (process_ms and fetch_ms
    are only on fetched pages), so nothing is masked: checked below."""
    assert PITH_BIN.is_file(), f"no {PITH_BIN}: run cargo build first"
    meta = tomllib.loads((case / "case.toml").read_text()) if (case / "case.toml").exists() else {}
    assert meta.get("pipeline", "default") == "default", "a case with its own pipeline: extend this test"
    url, ctype = meta.get("url"), meta.get("content_type")
    cmd = [str(PITH_BIN), "extract", str(case / "input.html"), "--jsonl", "-", "-q",
           "--pipeline", str(independent)]
    if url:
        cmd += ["--url", url]
    if ctype:
        cmd += ["--content-type", ctype]
    run = subprocess.run(cmd, capture_output=True, check=False)
    assert run.returncode in (0, 1), run.stderr.decode(errors="replace")
    lines = run.stdout.decode().splitlines()
    assert len(lines) == 1, run.stdout
    cli = json.loads(lines[0])
    assert not {"process_ms", "fetch_ms"} & set(cli)
    body = (case / "input.html").read_bytes()
    mine = pith.extract(body, url, ctype, id=cli["id"])
    assert mine == cli
    assert pith.Pipeline(str(independent)).extract(body, url, ctype, id=cli["id"]) == cli


def readme_python_blocks():
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    return [b.split("\n```", 1)[0] for b in section.split("```python\n")[1:]]


def test_the_readme_examples_run(monkeypatch):
    """The README's Python section: its example and its datatrove-style step."""
    from types import SimpleNamespace

    monkeypatch.chdir(ROOT)
    example, step = readme_python_blocks()
    scope = {}
    exec(example, scope)
    assert scope["d"]["text"] and scope["d"]["title"]
    exec(step, scope)
    docs = [
        SimpleNamespace(text=ARTICLE.decode(), metadata={"url": "https://example.com/rain"}),
        SimpleNamespace(text="", metadata={}),
    ]
    out = list(scope["PithExtractor"]().run(docs, rank=0, world_size=1))
    assert len(out) == 1 and out[0].text == TEXT
    assert out[0].metadata["title"] == "Heavy rain swells the river"
