"""The engagement index's posts and Update evidence in SQLite, so both survive a restart.

Posts are keyed as SKLTP keys them (:meth:`Engagement.key` with the EI as owner), so an Update
that repeats a post changes nothing but its mostRecentContent and updateTime (an idempotent
upsert); ``deleteFlag=true`` removes it (SKLTP ``UpdatePersistentStorageServiceImpl.java``).
creationTime and updateTime are set by the store (``Engagement.java`` ``@PrePersist``/``@PreUpdate``),
in Swedish local time as the contract's timestamps are (TKB: no time zone, CET/CEST implied).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from harness.mock_ntp.ei_model import ENGAGEMENT_FIELDS, Engagement, EngagementTransaction, FindContentQuery

__all__ = ["EngagementStore", "StoredUpdate"]

_SWEDEN = ZoneInfo("Europe/Stockholm")
_COLUMNS = ", ".join(f'"{name}"' for name in ENGAGEMENT_FIELDS)
_FIELD_COLUMNS = ", ".join(f'"{n}" TEXT' for n in ENGAGEMENT_FIELDS)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS engagement (id TEXT PRIMARY KEY, {_FIELD_COLUMNS});
CREATE INDEX IF NOT EXISTS engagement_person
  ON engagement ("registeredResidentIdentification", "serviceDomain");
CREATE TABLE IF NOT EXISTS update_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, way TEXT NOT NULL, sender TEXT NOT NULL,
  logical_address TEXT, accepted INTEGER NOT NULL, fault TEXT NOT NULL, posts INTEGER NOT NULL,
  request BLOB NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class StoredUpdate:
    """An Update as kept in the database's log (accepted or rejected)."""

    seq: int
    at: str
    way: str  # "vp" or "direct"
    sender: str
    logical_address: str | None
    accepted: bool
    fault: str  # the faultstring, "" when accepted
    posts: int
    request: bytes


class EngagementStore:
    """Thread-safe SQLite store; ``path`` is the database file (created if missing)."""

    def __init__(self, path: Path, *, owner: str, log_limit: int = 10_000) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._owner = owner
        self._log_limit = log_limit
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def apply(self, transactions: Sequence[EngagementTransaction], now: datetime) -> None:
        """Deletes, then upserts, in one transaction."""
        stamp = now.astimezone(_SWEDEN).strftime("%Y%m%d%H%M%S")
        with self._lock:
            self._db.execute("BEGIN")
            try:
                for t in (t for t in transactions if t.delete):
                    self._db.execute("DELETE FROM engagement WHERE id = ?", (t.engagement.key(self._owner),))
                for t in (t for t in transactions if not t.delete):
                    self._upsert(t.engagement, stamp)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _upsert(self, engagement: Engagement, stamp: str) -> None:
        stored = engagement.with_fields(owner=self._owner, creationTime=stamp, updateTime=None)
        values = [stored.get(name) for name in ENGAGEMENT_FIELDS]
        self._db.execute(
            f"INSERT INTO engagement (id, {_COLUMNS}) VALUES (?, {', '.join('?' * len(values))}) "
            'ON CONFLICT(id) DO UPDATE SET "mostRecentContent" = excluded."mostRecentContent", '
            '"updateTime" = ?',
            [engagement.key(self._owner), *values, stamp],
        )

    def find(self, query: FindContentQuery) -> tuple[Engagement, ...]:
        """Posts for one person and service domain, narrowed by the query's other fields."""
        where = ['"registeredResidentIdentification" = ?', '"serviceDomain" = ?']
        args = [query.registered_resident_identification, query.service_domain]
        for name, value in query.filters:
            where.append(f'"{name}" = ?')
            args.append(value)
        if query.most_recent_content:
            where.append('"mostRecentContent" >= ?')
            args.append(query.most_recent_content)
        sql = f"SELECT {_COLUMNS} FROM engagement WHERE {' AND '.join(where)} ORDER BY rowid"
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return tuple(Engagement.of(dict(zip(ENGAGEMENT_FIELDS, row, strict=True))) for row in rows)

    def all(self) -> tuple[Engagement, ...]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM engagement ORDER BY rowid").fetchall()
        return tuple(Engagement.of(dict(zip(ENGAGEMENT_FIELDS, row, strict=True))) for row in rows)

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM engagement").fetchone()[0])

    def clear(self) -> None:
        """Remove every post (a scenario's fresh start); the Update log is kept."""
        with self._lock:
            self._db.execute("DELETE FROM engagement")

    def log_update(self, entry: StoredUpdate) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO update_log (at, way, sender, logical_address, accepted, fault, posts, request) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.at,
                    entry.way,
                    entry.sender,
                    entry.logical_address,
                    int(entry.accepted),
                    entry.fault,
                    entry.posts,
                    entry.request,
                ),
            )
            self._db.execute(
                "DELETE FROM update_log WHERE seq <= (SELECT MAX(seq) FROM update_log) - ?",
                (self._log_limit,),
            )

    def logged_updates(self, last: int = 100) -> tuple[StoredUpdate, ...]:
        """The newest ``last`` logged Updates, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, at, way, sender, logical_address, accepted, fault, posts, request "
                "FROM update_log ORDER BY seq DESC LIMIT ?",
                (last,),
            ).fetchall()
        return tuple(
            StoredUpdate(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7], bytes(r[8]))
            for r in reversed(rows)
        )
