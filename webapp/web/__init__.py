"""The web side: ``app`` (create_app), ``db`` (the app's library, ``lib()``, and ``submit`` to the
job queue), ``pages`` (library, reader, imports, progress), ``edit`` (corrections in place),
``models``, ``downloads``, ``api`` (JSON), ``security`` (CSRF, same-origin, headers), ``errors``
(one handler) and ``filters`` (template filters and the vocabulary). Views call the Flask-free
actions of ``webapp.actions`` only, never the storage."""
