"""The HTML page of a run report, as a ``string.Template`` a person can read and edit.

Placeholders (``$name``) are filled by :func:`ivanet.reports.html.render_html` with HTML
that is already escaped. The page is self-contained: inline CSS, images as data URIs.
"""
from string import Template

REPORT_TEMPLATE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ivanet run: $title</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
         max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
  h1 { margin-bottom: 0.1em; }
  .subtitle { color: #666; margin-top: 0; }
  table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
  th, td { border: 1px solid #ddd; padding: 0.3em 0.8em; text-align: left; }
  th { background: #f4f6f8; }
  td.number { text-align: right; font-variant-numeric: tabular-nums; }
  .verdict { font-size: 1.25em; font-weight: 600; }
  .verdict.good { color: #2ca02c; } .verdict.bad { color: #d62728; }
  figure { margin: 1em 0 2em; }
  figure img { max-width: 100%; border: 1px solid #eee; }
  figcaption { color: #555; font-size: 0.9em; }
  details { margin-bottom: 1.5em; }
  .empty { color: #888; font-style: italic; }
</style>
</head>
<body>
<h1>ivanet run: $title</h1>
<p class="subtitle">$subtitle</p>

<h2>Results</h2>
$results_table

<h2>Bias / variance diagnosis</h2>
$diagnosis

<h2>Figures</h2>
$figures

<h2>Run</h2>
$summary_table

<h2>Configuration</h2>
$config_table

<p class="subtitle">Report written $generated from the files in <code>$run_dir</code>.</p>
</body>
</html>
""")
