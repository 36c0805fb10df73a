"""Deployment helpers and examples: a local PostgreSQL server, a one-machine cluster, and the
compose file and systemd units of a scaled-out setup (data files beside this package)."""
