"""Importing: bytes, files, folders and URLs become articles (or feeds, or translations).

``readers`` holds one reader per format and the one rule that picks it (``readers.sniff``);
``load`` is what every door does first (bytes or a file or a URL to a reader's result);
``charset`` decodes bytes; ``download`` fetches a URL; ``language`` detects the source
language; ``dates`` reads publication times in their zone.
"""

from webapp.importing.load import (
    download_source,
    fetch_url,
    folder_files,
    iter_folder,
    load_bytes,
    load_path,
    open_bytes,
    read_article,
    read_file,
)
from webapp.importing.readers import sniff
from webapp.importing.readers.base import DEFAULT_MAX_BYTES, NotReadable

__all__ = ["DEFAULT_MAX_BYTES", "NotReadable", "download_source", "fetch_url", "folder_files",
           "iter_folder", "load_bytes", "load_path", "open_bytes", "read_article", "read_file",
           "sniff"]
