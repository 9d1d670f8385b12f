"""Stukken (issue 20): documents kept with the work, synced as encrypted blobs, searchable.

store.py      content-addressed bytes beside the database (SHA-256, checked on every read)
targets.py    what a document can be attached to (an extensible list)
service.py    attach / list / remove / read (metadata through UnitOfWork)
extract.py    text of PDF and DOCX per page into the FTS5 index, once per content
transport.py  blobs through the shared store / team server (AES-GCM, Ed25519), on demand
search.py     full-text search over the document text
"""
