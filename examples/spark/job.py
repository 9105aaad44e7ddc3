"""A PySpark job that extracts the article text of every HTML response in WARC files with pith.

    spark-submit job.py [--stats FILE] OUT_DIR WARC [WARC ...]

Each WARC file is one Spark partition (`sc.parallelize(paths, len(paths))`);
a partition reads its file with warcio and runs every `response` record
whose HTTP Content-Type is HTML (text/html, application/xhtml+xml) through
one `pith.Pipeline()` per partition. Every page is processed on its own,
so the result does not depend on how the records are spread over files
or workers.

OUT_DIR gets Spark's text output (part-NNNNN files), one JSON line per
record: `warc` (the file), `record_id`, `url`, and `pith` (the dict of the
page's `pith extract --jsonl` line). A record that cannot be read, or whose
page pith could not extract, has an `error` too (a record that cannot be
read has no `pith`). A file that cannot be opened or read on is one line
with its `warc` and `error`. Other records (requests, metadata, non-HTML
responses) give no line.

--stats FILE writes {"records", "seconds", "records_per_s", "pith_seconds"}:
`seconds` is the Spark action that reads, extracts and writes, timed in the
driver after the SparkContext has started and a warm-up action has started
the Python workers (so the JVM's, the context's and the workers' start-up
are not in it; each partition's Pipeline compile is); `pith_seconds` is
the time spent in Pipeline.extract, summed over the workers.

The paths must be readable by every executor (local paths in local mode).
"""

import argparse
import json
import sys
import time


HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_html(content_type):
    return bool(content_type) and content_type.split(";")[0].strip().lower() in HTML_TYPES


def extract_file(path, pipeline, spent):
    """The output lines of one WARC file, as dicts."""
    # Imported here: this runs on the executors.
    from warcio.archiveiterator import ArchiveIterator
    from warcio.statusandheaders import StatusAndHeadersParser

    parser = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"])
    try:
        fh = open(path, "rb")
    except OSError as e:
        yield {"warc": path, "error": f"cannot open: {e}"}
        return
    with fh:
        try:
            # no_record_parse: the HTTP head is parsed below, per record, so
            # that a garbage head fails its record, not the rest of the file.
            for record in ArchiveIterator(fh, no_record_parse=True):
                if record.rec_type != "response":
                    continue
                line = {
                    "warc": path,
                    "record_id": record.rec_headers.get_header("WARC-Record-ID"),
                    "url": record.rec_headers.get_header("WARC-Target-URI"),
                }
                try:
                    record.http_headers = parser.parse(record.raw_stream)
                    content_type = record.http_headers.get_header("Content-Type")
                    if not is_html(content_type):
                        continue
                    # Chunked transfer and gzip/deflate/br content encodings undone.
                    body = record.content_stream().read()
                except Exception as e:  # noqa: BLE001 - any unreadable record is a line
                    line["error"] = f"unreadable record: {type(e).__name__}: {e}"
                    yield line
                    continue
                t = time.perf_counter()
                d = pipeline.extract(
                    body,
                    url=line["url"],
                    content_type=content_type,
                    id=line["record_id"],
                    content_language=record.http_headers.get_header("Content-Language"),
                )
                spent.add(time.perf_counter() - t)
                line["pith"] = d
                if "error" in d:
                    line["error"] = d["error"]
                yield line
        except Exception as e:  # noqa: BLE001 - a file that cannot be read on
            yield {"warc": path, "error": f"cannot read on: {type(e).__name__}: {e}"}


def partition(spent):
    def run(paths):
        import pith

        pipeline = pith.Pipeline()
        for path in paths:
            for line in extract_file(path, pipeline, spent):
                yield json.dumps(line, ensure_ascii=False, sort_keys=True)

    return run


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stats", metavar="FILE")
    ap.add_argument("out", metavar="OUT_DIR")
    ap.add_argument("warcs", metavar="WARC", nargs="+")
    args = ap.parse_args(argv)

    from pyspark import SparkContext

    sc = SparkContext.getOrCreate()
    try:
        # Warm-up: starts the Python workers before the clock does.
        n = sc.defaultParallelism
        sc.parallelize(range(n), n).map(lambda x: x).count()
        spent = sc.accumulator(0.0)
        started = time.perf_counter()
        lines = sc.parallelize(args.warcs, len(args.warcs)).mapPartitions(partition(spent))
        lines.saveAsTextFile(args.out)
        seconds = time.perf_counter() - started
        records = sc.textFile(args.out).count()
        pith_seconds = spent.value
    finally:
        sc.stop()
    stats = {"records": records, "seconds": round(seconds, 3),
             "records_per_s": round(records / max(seconds, 1e-9), 1),
             "pith_seconds": round(pith_seconds, 3)}
    print(f"job.py: {json.dumps(stats)}", file=sys.stderr)
    if args.stats:
        with open(args.stats, "w") as f:
            f.write(json.dumps(stats) + "\n")


if __name__ == "__main__":
    main()
