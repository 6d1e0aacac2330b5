"""Printouts: PDFs of printed emails, with a text layer or scanned (read by OCR), their page
marks (Bates numbers, redaction codes) and the printed headers that start each email."""
