#!/usr/bin/env python3
"""Adds or updates UI strings in both resource files.

Usage: scripts/add-strings.py strings.tsv   (lines: Key<TAB>English<TAB>Türkçe)
The .resx files stay the source of truth; this only saves typing XML by hand.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

RES = Path(__file__).resolve().parent.parent / "src" / "Kazan" / "Resources"
HEADER = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""


def load(path):
    if not path.exists():
        return {}
    return {d.get("name"): (d.find("value").text or "") for d in ET.parse(path).getroot().findall("data")}


def save(path, strings):
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = "".join(
        f'  <data name="{k}" xml:space="preserve"><value>{esc(v)}</value></data>\n' for k, v in sorted(strings.items()))
    path.write_text(HEADER + body + "</root>\n", encoding="utf-8")


def main():
    en_path, tr_path = RES / "SharedResource.resx", RES / "SharedResource.tr.resx"
    en, tr = load(en_path), load(tr_path)
    for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, e, t = line.split("\t")
        en[key], tr[key] = e, t
    save(en_path, en)
    save(tr_path, tr)


main()
