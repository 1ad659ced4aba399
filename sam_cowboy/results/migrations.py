"""Versioned schema migrations, shared by the SQLite and PostgreSQL backends.

Each migration is (version, name, statements). Statements use `{id}` (an auto-numbered
primary key), `{real}` (a float) and `{bigint}` so one text serves both dialects. A store
opened on an older database applies the missing migrations in one transaction per version,
under a lock, so many processes starting at once migrate exactly once. Never edit a
migration that has shipped: add the next one.
"""

from __future__ import annotations

Migration = tuple[int, str, list[str]]

MIGRATIONS: list[Migration] = [
    (1, "runs, decisions, sessions, participants, votes", [
        """CREATE TABLE runs (
            id {id},
            player TEXT NOT NULL,
            episode_id TEXT NOT NULL,
            episode_hash TEXT NOT NULL,
            lang TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'play',
            started_at {real} NOT NULL,
            updated_at {real} NOT NULL,
            ended_at {real},
            status TEXT NOT NULL DEFAULT 'playing',
            scene TEXT,
            ending TEXT,
            ending_kind TEXT,
            scores TEXT NOT NULL DEFAULT '{{}}',
            overall INTEGER,
            practice INTEGER NOT NULL DEFAULT 0,
            test INTEGER NOT NULL DEFAULT 0,
            session_code TEXT,
            participant_id {bigint}
        )""",
        """CREATE TABLE decisions (
            run_id {bigint} NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            scene TEXT NOT NULL,
            choice TEXT NOT NULL,
            at {real} NOT NULL,
            changes TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (run_id, seq)
        )""",
        """CREATE TABLE sessions (
            code TEXT PRIMARY KEY,
            key_hash TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            mode TEXT NOT NULL,
            anonymous INTEGER NOT NULL DEFAULT 0,
            episode_id TEXT NOT NULL,
            episode_ref TEXT NOT NULL,
            episode_hash TEXT NOT NULL,
            lang TEXT NOT NULL,
            analysis TEXT NOT NULL,
            created_at {real} NOT NULL,
            step INTEGER NOT NULL DEFAULT 0,
            phase TEXT NOT NULL DEFAULT 'open',
            revealed INTEGER NOT NULL DEFAULT 0,
            lock_at {real},
            winner TEXT,
            path TEXT NOT NULL DEFAULT '[]',
            version INTEGER NOT NULL DEFAULT 0,
            updated_at {real} NOT NULL
        )""",
        """CREATE TABLE participants (
            id {id},
            session_code TEXT NOT NULL REFERENCES sessions(code) ON DELETE CASCADE,
            name TEXT NOT NULL,
            joined_at {real} NOT NULL,
            last_seen {real} NOT NULL,
            UNIQUE (session_code, name)
        )""",
        """CREATE TABLE votes (
            session_code TEXT NOT NULL REFERENCES sessions(code) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            participant_id {bigint} NOT NULL,
            scene TEXT NOT NULL,
            choice TEXT NOT NULL,
            at {real} NOT NULL,
            changes INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_code, step, participant_id)
        )""",
    ]),
    (2, "indexes for reports and dashboards", [
        "CREATE INDEX runs_session ON runs (session_code, participant_id)",
        "CREATE INDEX runs_player ON runs (player, episode_id)",
        "CREATE INDEX votes_step ON votes (session_code, step, choice)",
    ]),
    (3, "workshop server: participant tokens, the episode kept with its session", [
        "ALTER TABLE participants ADD COLUMN token_hash TEXT",
        "ALTER TABLE sessions ADD COLUMN episode_source TEXT",
        "ALTER TABLE sessions ADD COLUMN series_source TEXT",
        "CREATE UNIQUE INDEX participants_token ON participants (session_code, token_hash)",
    ]),
    (4, "transfer: reflection answers, commitments and follow-ups; assessment runs", [
        "ALTER TABLE runs ADD COLUMN assessment INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE runs ADD COLUMN reflection TEXT",
        "ALTER TABLE sessions ADD COLUMN assessment INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE commitments (
            id {id},
            run_id {bigint} REFERENCES runs(id) ON DELETE SET NULL,
            player TEXT NOT NULL,
            episode_id TEXT NOT NULL,
            scene TEXT,
            choice TEXT,
            action TEXT NOT NULL,
            own INTEGER NOT NULL DEFAULT 0,
            due TEXT NOT NULL,
            made_at {real} NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            note TEXT,
            followed_at {real}
        )""",
        """CREATE TABLE follow_ups (
            id {id},
            commitment_id {bigint} NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            note TEXT,
            asked_on TEXT NOT NULL,
            at {real} NOT NULL
        )""",
        "CREATE INDEX commitments_player ON commitments (player, status)",
    ]),
]

LATEST = MIGRATIONS[-1][0]
