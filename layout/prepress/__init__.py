"""Prepress: what a plant needs beyond the page itself — colour converted for the printing
condition before rendering (colour), and the rendered PDF finished for print (finish, fontfile)."""
