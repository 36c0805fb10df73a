"""Importing: bytes, files, folders and URLs become articles.

``articles`` sniffs a file's format (seed envelope, Markdown, text, HTML fragment or whole page)
and builds the :class:`~webapp.segmenting.article.Article`; ``charset`` decodes bytes;
``download`` fetches a URL; ``page`` finds the article in a whole web page; ``language`` detects
the source language; ``exchange`` reads TMX/XLIFF files of translations coming back.
"""

from webapp.importing.articles import (
    ARTICLE_SUFFIXES,
    DEFAULT_MAX_BYTES,
    fetch_url,
    iter_folder,
    load_bytes,
    load_path,
)

__all__ = ["ARTICLE_SUFFIXES", "DEFAULT_MAX_BYTES", "fetch_url", "iter_folder", "load_bytes",
           "load_path"]
