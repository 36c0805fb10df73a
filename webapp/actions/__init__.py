"""What people do, one Flask-free function per action, shared by the web views, the JSON API
and the CLI: ``imports`` (files, folders, URLs, uploads, TMX/XLIFF back), ``translate`` (queue
and run translations), ``edit`` (save, approve, restore, paragraphs, retranslate, alternatives,
history), ``models`` (install, remove), ``downloads`` (exports of one document or the library),
``archives`` (a folder or archive of many files as a job) and ``jobs`` (the background job
runner)."""

from collections.abc import Callable

#: Tells the job queue there is work for a job, ``submit(job_id, kind, chunks=1)`` (one message
#: per chunk, so that idle workers share it): what the web app and the CLI pass to the actions
#: that queue jobs (tests that run jobs themselves pass none).
Submit = Callable[..., None]
