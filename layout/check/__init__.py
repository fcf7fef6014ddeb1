"""Check: preflight of any PDF for print (preflight, content, fonts) and the typographic preflight
of the edition's own pages (typography)."""
