"""``enface serve --processes N``: the app in N gunicorn worker processes.

Every process builds its own app (``create_app`` after the fork); what must be the same in all of
them lives in the database (jobs, progress, sign-in throttling, accounts) or in the data folder
(the session key, made once before the processes start). Gunicorn trusts no forwarded headers
itself: the app reads them through ``web.proxies.wrap`` (ProxyFix for ``ENFACE_PROXIES`` hops,
from ``ENFACE_TRUSTED_PROXY`` only), the same trust waitress is given under one process.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Processes(BaseApplication):
    def __init__(self, settings: dict[str, Any], options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from webapp.reading import warm_in_background
        from webapp.web.app import create_app

        app = create_app(self.settings)
        warm_in_background(app.config["DATA_DIR"])
        return app


def serve_processes(settings: dict[str, Any], *, host: str, port: int, processes: int,
                    threads: int) -> None:
    """Serve with ``processes`` gunicorn workers of ``threads`` threads each (blocks)."""
    bracketed = f"[{host}]" if ":" in host else host
    _Processes(settings, {
        "bind": f"{bracketed}:{port}",
        "workers": processes,
        "threads": threads,
        "worker_class": "gthread",
        "forwarded_allow_ips": "",  # the app decides (web.proxies.wrap), by ENFACE_PROXIES
        "secure_scheme_headers": {},
        "timeout": 120,
        "graceful_timeout": 20,
        "accesslog": None,
        "preload_app": False,
        "proc_name": "enface-web",
    }).run()
