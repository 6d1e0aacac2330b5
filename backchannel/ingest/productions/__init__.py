"""Productions: load files (Concordance DAT and other delimited tables, Opticon, Summation)
with their volumes, the records they list and the messages built from those records."""
