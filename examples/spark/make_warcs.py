"""Builds WARC files of HTML pages, for trying examples/spark/job.py.

    python make_warcs.py --golden ../../golden --files 2 --broken OUT_DIR
    python make_warcs.py --pages '/work/shared/bench/scrapinghub/pages/*.html' --files 4 OUT_DIR

Writes OUT_DIR/pages-NNN.warc.gz (gzip, one member per record, by warcio's
writer): one `response` record per page, the pages dealt round-robin over
--files files. The HTTP head says `200 OK` and the page's Content-Type
(a golden case's `content_type`, else `text/html`).

--golden DIR  the pages are DIR/*/input.html, each with the `url` of its
              case.toml (a case without one gets http://golden.invalid/<case>).
--pages GLOB  the pages are the files GLOB names, with made-up urls
              http://bench.invalid/<file stem>.
--broken      also writes one response record that cannot be read: its HTTP
              head is garbage (url http://broken.invalid/garbage-head), as
              the first record of the last file, so that the job must read
              on past it. warcio's writer refuses such a head, so this record
              is written by hand (one gzip member, like the others).
--folder DIR  also writes each page as DIR/<id>.html with a response record
              DIR/<id>.http.json (url and content type, as `pith fetch --raw`
              keeps them), so that `pith extract DIR` reads the same pages.
"""

import argparse
import glob
import gzip
import io
import json
import os
import sys
import uuid
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

BROKEN_URL = "http://broken.invalid/garbage-head"


def broken_record():
    """One gzipped WARC response record whose HTTP head is not HTTP."""
    payload = b"\x00\xff\xfe this is no HTTP status line\r\nnor: a header\r\n\r\n<html><p>lost</p></html>"
    head = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        "WARC-Date: 2026-01-01T00:00:00Z\r\n"
        f"WARC-Target-URI: {BROKEN_URL}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + payload + b"\r\n\r\n")


def golden_pages(root):
    """(id, url, content type, bytes) of every golden case with an input.html."""
    for html in sorted(Path(root).glob("*/input.html")):
        case = html.parent
        meta = {}
        if (case / "case.toml").exists():
            if tomllib is None:
                sys.exit("make_warcs.py: --golden needs Python 3.11 (tomllib)")
            meta = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
        url = meta.get("url") or f"http://golden.invalid/{case.name}"
        yield case.name, url, meta.get("content_type") or "text/html", html.read_bytes()


def bench_pages(pattern):
    """(id, url, content type, bytes) of the files `pattern` names."""
    files = sorted(glob.glob(pattern))
    if not files:
        sys.exit(f"make_warcs.py: no files match {pattern}")
    for f in files:
        stem = Path(f).name.split(".")[0]
        yield stem, f"http://bench.invalid/{stem}", "text/html", Path(f).read_bytes()


def response(writer, url, content_type, body, extra=()):
    head = StatusAndHeaders(
        "200 OK",
        [("Content-Type", content_type), ("Content-Length", str(len(body)))] + list(extra),
        protocol="HTTP/1.1",
    )
    return writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body), http_headers=head
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--golden", metavar="DIR")
    src.add_argument("--pages", metavar="GLOB")
    ap.add_argument("--files", type=int, default=2, metavar="N")
    ap.add_argument("--broken", action="store_true")
    ap.add_argument("--folder", metavar="DIR")
    ap.add_argument("out", metavar="OUT_DIR")
    args = ap.parse_args()
    if args.files < 1:
        ap.error("--files must be at least 1")

    pages = list(golden_pages(args.golden) if args.golden else bench_pages(args.pages))
    if len({url for _, url, _, _ in pages}) != len(pages):
        sys.exit("make_warcs.py: two pages have the same url (job output is matched by url)")
    os.makedirs(args.out, exist_ok=True)
    if args.folder:
        os.makedirs(args.folder, exist_ok=True)
    handles = [open(os.path.join(args.out, f"pages-{i:03}.warc.gz"), "wb") for i in range(args.files)]
    if args.broken:
        handles[-1].write(broken_record())
    writers = [WARCWriter(h, gzip=True) for h in handles]
    for n, (pid, url, ctype, body) in enumerate(pages):
        writers[n % args.files].write_record(response(writers[n % args.files], url, ctype, body))
        if args.folder:
            Path(args.folder, f"{pid}.html").write_bytes(body)
            record = {"url": url, "final_url": None, "status": 200, "content_type": ctype}
            Path(args.folder, f"{pid}.http.json").write_text(json.dumps(record) + "\n")
    for h in handles:
        h.close()
    print(f"make_warcs.py: {len(pages)} pages{' + 1 broken record' if args.broken else ''} "
          f"in {args.files} files under {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
