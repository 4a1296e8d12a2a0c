#!/usr/bin/env python3
"""Replaces (or appends) one `## TITLE` section of benchmarks/RESULTS.md with the text on stdin."""
import os
import re
import sys

title = sys.argv[1]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md")
body = sys.stdin.read().rstrip() + "\n"
text = open(path).read() if os.path.exists(path) else "# Benchmark results\n\nWritten by the scripts in benchmarks/ (see README.md); newest run per section.\n"
section = f"## {title}\n\n{body}"
pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda _m: section + "\n", text)
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w").write(text.rstrip() + "\n")
