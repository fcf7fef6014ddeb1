"""Render: each page its own WeasyPrint document, behind a locked-down URL fetcher (fetch), in
worker processes, finished for print and checked right away (pages); pages that have not changed
come from a content-addressed cache (cache)."""
