#!/usr/bin/env python3
"""Writes ConsoleTexts.resx, .ko.resx and .zh-Hans.resx from texts.tsv (key, en, ko, zh-Hans):
one table to edit, so a text is never translated in one language and forgotten in another."""
import csv, os
from xml.sax.saxutils import escape

here = os.path.dirname(os.path.abspath(__file__))
rows = [r for r in csv.reader(open(os.path.join(here, "texts.tsv"), encoding="utf-8"), delimiter="\t") if r]
head = """<?xml version="1.0" encoding="utf-8"?>
<!-- Generated from texts.tsv by make-resx.py: edit the table, not this file. -->
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""
for column, suffix in ((1, ""), (2, ".ko"), (3, ".zh-Hans")):
    with open(os.path.join(here, f"ConsoleTexts{suffix}.resx"), "w", encoding="utf-8") as out:
        out.write(head)
        for row in rows:
            assert len(row) == 4, f"{row[0]}: every text needs en, ko and zh-Hans"
            out.write(f'  <data name="{escape(row[0])}" xml:space="preserve"><value>{escape(row[column])}</value></data>\n')
        out.write("</root>\n")
