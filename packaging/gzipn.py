#!/usr/bin/env python3
"""gzip -9n IN > OUT: maximum compression, no name and no time stamp in the header, so the
result is reproducible (Debian policy for man pages and changelogs)."""
import gzip
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(src, "rb") as f:
    data = f.read()
with open(dst, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as z:
    z.write(data)
