"""The Feeds page: subscribe to a feed by URL, update subscriptions, unsubscribe."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from htmx_flask import request as htmx_request

from webapp.actions import feeds, jobs
from webapp.errors import NotFound
from webapp.vocabulary import ACTIVE, FEEDS_JOB
from webapp.web.db import lib, submit

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


def _render(status: int = 200, **extra):
    template = "_feeds.html" if htmx_request.htmx else "feeds.html"
    job = feeds.update_job(lib())
    context = {"feeds": feeds.subscriptions(lib()),
               "job": job if job and job["status"] in ACTIVE else None}
    return render_template(template, **{**context, **extra}), status


def _limits() -> dict:
    """Size limit, and whether private addresses may be fetched."""
    return {"max_bytes": current_app.config["MAX_IMPORT_BYTES"],
            "allow_private": current_app.config["ALLOW_PRIVATE_URLS"]}


@bp.get("", strict_slashes=False)
def index():
    """Subscriptions and the subscribe form."""
    return _render()


@bp.post("", strict_slashes=False)
def add():
    """Subscribe to a feed URL (nothing is stored if it cannot be read); the job worker imports
    its items, and the answer's status block polls until they are in."""
    url = (request.form.get("url") or "").strip()
    if not url.startswith(("http://", "https://")):
        return _render(400, error="Enter the http(s) address of an RSS or Atom feed.")
    report, job_id = feeds.subscribe(lib(), url, submit=submit, **_limits())
    if job_id is None:
        return _render(400, reports=[report])
    return _render(202, job=feeds.update_job(lib(), job_id),
                   message=f"Subscribed to {report.title or report.url}.")


@bp.post("/update")
def update():
    """Queue the update of every subscription (the job worker imports their new items);
    answer with its status block, which polls until the update is done."""
    job_id = feeds.queue_update(lib(), submit=submit)
    if not htmx_request.htmx:
        return _render(202, job=feeds.update_job(lib(), job_id))
    return render_template("_feed_update.html", job=feeds.update_job(lib(), job_id)), 202


@bp.get("/update/<int:job_id>")
def update_status(job_id: int):
    """A feed update's status block: progress while it runs, then new / skipped / failed per
    feed (and the refreshed list of subscriptions)."""
    job = feeds.update_job(lib(), job_id)
    if job is None:
        raise NotFound(f"There is no feed update {job_id}.")
    return render_template("_feed_update.html", job=job, feeds=feeds.subscriptions(lib()),
                           refresh=True)


@bp.post("/update/<int:job_id>/cancel")
def cancel_update(job_id: int):
    """Stop a feed update between two feeds (what was imported stays)."""
    jobs.cancel(lib(), job_id, FEEDS_JOB)
    return render_template("_feed_update.html", job=feeds.update_job(lib(), job_id),
                           feeds=feeds.subscriptions(lib()), refresh=True)


@bp.post("/<int:feed_id>/delete")
def remove(feed_id: int):
    """Unsubscribe (imported documents stay in the library)."""
    feeds.unsubscribe(lib(), feed_id)
    return _render(message=f"Unsubscribed from feed {feed_id}.")
