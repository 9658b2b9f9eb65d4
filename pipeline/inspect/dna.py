"""A Discourse Network Analyzer (DNA 3) database: the statements as DNA itself stores them (SQLite).

The tables and their initial contents follow ``Sql.createTables`` of DNA 3's source (leifeld/dna,
``dna/src/main/java/sql/Sql.java``, SQLite branch): SETTINGS, CODERS, DOCUMENTS, STATEMENTTYPES,
VARIABLES, VARIABLELINKS, REGEXES, CODERRELATIONS, STATEMENTS, DATABOOLEAN, DATAINTEGER, ENTITIES,
DATASHORTTEXT, DATALONGTEXT, ATTRIBUTEVARIABLES, ATTRIBUTEVALUES. What DNA needs beyond the tables:

- document ``Date`` in epoch seconds (UTC), as DNA reads it (``LocalDateTime.ofEpochSecond``);
- statement ``Start``/``Stop`` as Java string offsets (UTF-16 code units), not Python code points;
- an ``Admin`` coder whose password is a jasypt ``StrongPasswordEncryptor`` digest
  (base64 of a 16-byte salt + SHA-256 iterated 100,000 times over salt + UTF-8 password);
- every short-text value as an ENTITIES row (with an empty ATTRIBUTEVALUES row per attribute variable).

The statement types and variables are the ones DNA seeds ("DNA Statement", "NPF Story Element",
"Annotation"); the statements are "DNA Statement"s with DNA's variables person, organization, concept
(short text) and agreement — an *integer* (the stance's polarity, -1/0/1) rather than DNA's default
boolean — plus argmine's own variables: actor (the actor the claim names), stance and claim_type (short
text) and claim (the claim id, long text). ``tests/test_dna_sql.py`` runs the SELECT statements DNA's
Sql.java runs to open the database and list documents, statements and statement types.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import sqlite3
import unicodedata
from itertools import accumulate
from pathlib import Path
from typing import Callable

import pandas as pd

from ..writers import atomic_write
from .metadata import document_frame

log = logging.getLogger(__name__)

DNA_VERSION = ("3.0.8", "2022-06-16")  # the newest release whose Dna.java version string we could read
DEFAULT_PASSWORD = "admin"
# What DNA's createTables seeds (SQLite branch), in its order: statement types (ID, label, colour) and
# variables (ID, name, data type, statement type). Only "DNA Statement" (1) carries argmine's statements;
# the other two are there because every database DNA creates has them. Deviation: agreement is an
# integer here (DNA seeds a boolean), so that neutral claims (0) stay apart from pro (1) and con (-1).
STATEMENT_TYPES = [(1, "DNA Statement", (239, 208, 51)), (2, "NPF Story Element", (100, 200, 190)),
                   (3, "Annotation", (211, 211, 211))]
DNA_VARIABLES = [(1, "person", "short text", 1), (2, "organization", "short text", 1), (3, "concept", "short text", 1),
                 (4, "agreement", "integer", 1), (5, "narrator", "short text", 2), (6, "victim", "short text", 2),
                 (7, "villain", "short text", 2), (8, "plot", "short text", 2), (9, "hero", "short text", 2),
                 (10, "policy solution", "short text", 2), (11, "note", "long text", 3)]
ATTRIBUTE_VARIABLES = ("Type", "Alias", "Notes")  # DNA seeds these for person, organization, concept
# Every variable of "DNA Statement" as (VARIABLES.ID, name, DNA data type, statements column it is read
# from): DNA's four, then argmine's own (IDs after DNA's seeded ones).
VARIABLES = [
    (1, "person", "short text", "person"),
    (2, "organization", "short text", "organization"),
    (3, "concept", "short text", "concept"),
    (4, "agreement", "integer", "agreement_value"),
    (12, "actor", "short text", "actor"),
    (13, "stance", "short text", "agreement"),
    (14, "claim_type", "short text", "claim_type"),
    (15, "claim", "long text", "claim_id"),
]

TABLES = [
    "CREATE TABLE IF NOT EXISTS SETTINGS(Property TEXT PRIMARY KEY, Value TEXT NOT NULL);",
    "CREATE TABLE IF NOT EXISTS CODERS(ID INTEGER NOT NULL PRIMARY KEY, Name TEXT NOT NULL CHECK (LENGTH(Name) < 191), "
    "Red INTEGER NOT NULL DEFAULT 0 CHECK (Red BETWEEN 0 AND 255), Green INTEGER NOT NULL DEFAULT 0 CHECK (Green BETWEEN 0 AND 255), "
    "Blue INTEGER NOT NULL DEFAULT 0 CHECK (Blue BETWEEN 0 AND 255), Refresh INTEGER NOT NULL CHECK (Refresh BETWEEN 0 AND 9999) DEFAULT 0, "
    "FontSize INTEGER NOT NULL CHECK (FontSize BETWEEN 1 AND 99) DEFAULT 14, Password TEXT NOT NULL CHECK (LENGTH(Password) < 191), "
    "PopupWidth INTEGER CHECK (PopupWidth BETWEEN 100 AND 9999) DEFAULT 300, "
    + ", ".join(f"{c} INTEGER NOT NULL CHECK ({c} BETWEEN 0 AND 1) DEFAULT {d}" for c, d in [
        ("ColorByCoder", 0), ("PopupDecoration", 0), ("PopupAutoComplete", 1), ("PermissionAddDocuments", 1),
        ("PermissionEditDocuments", 1), ("PermissionDeleteDocuments", 1), ("PermissionImportDocuments", 1),
        ("PermissionAddStatements", 1), ("PermissionEditStatements", 1), ("PermissionDeleteStatements", 1),
        ("PermissionEditAttributes", 1), ("PermissionEditRegex", 1), ("PermissionEditStatementTypes", 1),
        ("PermissionEditCoders", 1), ("PermissionEditCoderRelations", 1), ("PermissionViewOthersDocuments", 1),
        ("PermissionEditOthersDocuments", 1), ("PermissionViewOthersStatements", 1), ("PermissionEditOthersStatements", 1)]) + ");",
    "CREATE TABLE IF NOT EXISTS DOCUMENTS(ID INTEGER NOT NULL PRIMARY KEY, Title TEXT NOT NULL CHECK (LENGTH(Title) < 191), "
    "Text TEXT NOT NULL, Coder INTEGER, Author TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Author) < 191), "
    "Source TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Source) < 191), Section TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Section) < 191), "
    "Notes TEXT NOT NULL DEFAULT '', Type TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Type) < 191), Date INTEGER NOT NULL, "
    "FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS STATEMENTTYPES(ID INTEGER NOT NULL PRIMARY KEY, Label TEXT NOT NULL CHECK (LENGTH(Label) < 191), "
    "Red INTEGER NOT NULL DEFAULT 0 CHECK (Red BETWEEN 0 AND 255), Green INTEGER NOT NULL DEFAULT 0 CHECK (Green BETWEEN 0 AND 255), "
    "Blue INTEGER NOT NULL DEFAULT 0 CHECK (Blue BETWEEN 0 AND 255));",
    "CREATE TABLE IF NOT EXISTS VARIABLES(ID INTEGER NOT NULL PRIMARY KEY, Variable TEXT NOT NULL CHECK (LENGTH(Variable) < 191), "
    "DataType TEXT NOT NULL CHECK (DataType = 'boolean' OR DataType = 'integer' OR DataType = 'long text' OR DataType = 'short text') "
    "DEFAULT 'short text', StatementTypeId INTEGER, FOREIGN KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, "
    "UNIQUE (Variable, StatementTypeId));",
    "CREATE TABLE IF NOT EXISTS VARIABLELINKS(ID INTEGER NOT NULL PRIMARY KEY, SourceVariableId INTEGER, TargetVariableId INTEGER, "
    "CHECK (TargetVariableId != SourceVariableId), FOREIGN KEY(SourceVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(TargetVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS REGEXES(Label TEXT PRIMARY KEY CHECK (LENGTH(Label) < 191), "
    "Red INTEGER NOT NULL DEFAULT 0 CHECK (Red BETWEEN 0 AND 255), Green INTEGER NOT NULL DEFAULT 0 CHECK (Green BETWEEN 0 AND 255), "
    "Blue INTEGER NOT NULL DEFAULT 0 CHECK (Blue BETWEEN 0 AND 255));",
    "CREATE TABLE IF NOT EXISTS CODERRELATIONS(ID INTEGER NOT NULL PRIMARY KEY, Coder INTEGER CHECK(Coder > 0), "
    "OtherCoder INTEGER CHECK(OtherCoder > 0), "
    + ", ".join(f"{c} INTEGER NOT NULL DEFAULT 1 CHECK({c} BETWEEN 0 AND 1)" for c in ("viewStatements", "editStatements", "viewDocuments", "editDocuments"))
    + ", CHECK (Coder != OtherCoder), FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(OtherCoder) REFERENCES CODERS(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS STATEMENTS(ID INTEGER NOT NULL PRIMARY KEY, StatementTypeId INTEGER, DocumentId INTEGER, "
    "Start INTEGER NOT NULL CHECK(Start >= 0), Stop INTEGER NOT NULL CHECK(Stop >= 0), Coder INTEGER, CHECK (Start < Stop), "
    "FOREIGN KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(DocumentId) REFERENCES DOCUMENTS(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS DATABOOLEAN(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, "
    "Value INTEGER NOT NULL DEFAULT 1, FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS DATAINTEGER(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, "
    "Value INTEGER NOT NULL DEFAULT 0, FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS ENTITIES(ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL, "
    "Value TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Value) < 191), Red INTEGER CHECK (Red BETWEEN 0 AND 255), "
    "Green INTEGER CHECK (Green BETWEEN 0 AND 255), Blue INTEGER CHECK (Blue BETWEEN 0 AND 255), ChildOf INTEGER CHECK(ChildOf > 0), "
    "UNIQUE (VariableId, Value), FOREIGN KEY(ChildOf) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS DATASHORTTEXT(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, "
    "Entity INTEGER NOT NULL, FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, FOREIGN KEY(Entity) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
    "UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS DATALONGTEXT(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, "
    "Value TEXT DEFAULT '', FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS ATTRIBUTEVARIABLES(ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL, "
    "AttributeVariable TEXT NOT NULL CHECK (LENGTH(AttributeVariable) < 191), UNIQUE(VariableId, AttributeVariable), "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS ATTRIBUTEVALUES(ID INTEGER PRIMARY KEY NOT NULL, EntityId INTEGER NOT NULL, "
    "AttributeVariableId INTEGER NOT NULL, AttributeValue TEXT NOT NULL DEFAULT '' CHECK (LENGTH(AttributeValue) < 191), "
    "UNIQUE (EntityId, AttributeVariableId), FOREIGN KEY(EntityId) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(AttributeVariableId) REFERENCES ATTRIBUTEVARIABLES(ID) ON DELETE CASCADE);",
]


def jasypt_digest(password: str, salt: bytes | None = None, iterations: int = 100_000) -> str:
    """A jasypt ``StrongPasswordEncryptor`` digest (what DNA stores in CODERS.Password)."""
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.sha256(salt + unicodedata.normalize("NFC", password).encode("utf-8")).digest()
    for _ in range(iterations - 1):
        digest = hashlib.sha256(digest).digest()
    return base64.b64encode(salt + digest).decode("ascii")


def check_jasypt(password: str, stored: str) -> bool:
    """Whether ``password`` matches a ``jasypt_digest`` (as DNA checks a coder's password)."""
    raw = base64.b64decode(stored)
    return jasypt_digest(password, raw[:16]) == stored


ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def utf16_mapper(text: str) -> Callable[[int], int]:
    """A function from Python (code point) offsets of ``text`` to Java/JavaScript string offsets (UTF-16
    code units): the identity unless the text has characters outside the Basic Multilingual Plane."""
    if not ASTRAL.search(text):
        return lambda index: index
    extra = list(accumulate((1 if ord(ch) > 0xFFFF else 0 for ch in text), initial=0))
    return lambda index: index + extra[min(index, len(text))]


def utf16_offset(text: str, index: int) -> int:
    """A Python (code point) offset as a Java string offset (UTF-16 code units)."""
    return utf16_mapper(text)(index)


def _short(value, limit: int = 190) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text if len(text) < limit else text[: limit - 1] + "…"


def _epoch(iso: str) -> int:
    if not iso:
        return 0
    return int((pd.Timestamp(iso) - pd.Timestamp("1970-01-01")).total_seconds())


def _init(conn: sqlite3.Connection, password: str) -> None:
    for sql in TABLES:
        conn.execute(sql)
    conn.execute("INSERT INTO CODERS (ID, Name, Red, Green, Blue, Password, PermissionEditStatementTypes, PermissionEditCoders, "
                 "PermissionEditOthersDocuments, PermissionEditOthersStatements) VALUES (1, 'Admin', 255, 255, 0, ?, 1, 1, 1, 1)",
                 (jasypt_digest(password),))
    conn.executemany("INSERT INTO SETTINGS (Property, Value) VALUES (?, ?)", [("version", DNA_VERSION[0]), ("date", DNA_VERSION[1])])
    conn.executemany("INSERT INTO STATEMENTTYPES (ID, Label, Red, Green, Blue) VALUES (?, ?, ?, ?, ?)",
                     [(i, label, *rgb) for i, label, rgb in STATEMENT_TYPES])
    ours = [(i, name, dtype, 1) for i, name, dtype, _ in VARIABLES if i > len(DNA_VARIABLES)]
    conn.executemany("INSERT INTO VARIABLES (ID, Variable, DataType, StatementTypeId) VALUES (?, ?, ?, ?)", DNA_VARIABLES + ours)
    seeded = [(v, a) for a in ATTRIBUTE_VARIABLES for v in (1, 2, 3)]  # DNA's order: Type 1-3, Alias 1-3, Notes 1-3
    seeded += [(i, a) for i, _, dtype, _ in ours if dtype == "short text" for a in ATTRIBUTE_VARIABLES]
    conn.executemany("INSERT INTO ATTRIBUTEVARIABLES (VariableId, AttributeVariable) VALUES (?, ?)", seeded)


def _entity(conn: sqlite3.Connection, cache: dict, variable_id: int, value: str) -> int:
    key = (variable_id, value)
    if key not in cache:
        cur = conn.execute("INSERT INTO ENTITIES (VariableId, Value, Red, Green, Blue) VALUES (?, ?, 0, 0, 0)", key)
        cache[key] = cur.lastrowid
        conn.execute("INSERT INTO ATTRIBUTEVALUES (EntityId, AttributeVariableId, AttributeValue) "
                     "SELECT ?, ID, '' FROM ATTRIBUTEVARIABLES WHERE VariableId = ?", (cur.lastrowid, variable_id))
    return cache[key]


def _documents(conn: sqlite3.Connection, view, docs: pd.DataFrame, wanted: set[str]) -> dict[str, tuple[int, str]]:
    """Insert the documents that have a text; returns doc_id → (DNA document id, text)."""
    ids: dict[str, tuple[int, str]] = {}
    for doc in view.documents:
        if doc.doc_id not in wanted:
            continue
        text = view.text(doc.doc_id)
        if text is None:
            log.warning("%s: texts/%s.txt is missing; its statements are left out of the DNA database", doc.doc_id, doc.doc_id)
            continue
        meta = docs.loc[doc.doc_id] if doc.doc_id in docs.index else pd.Series(dtype=str)
        date = str(meta.get("date", "") or "")
        notes = f"argmine doc_id: {doc.doc_id}; path: {doc.path}" + ("" if date else "; date unknown (stored as 1970-01-01)")
        source = meta.get("outlet", "") or meta.get("source", "")
        cur = conn.execute(
            "INSERT INTO DOCUMENTS (Title, Text, Coder, Author, Source, Section, Notes, Type, Date) VALUES (?, ?, 1, ?, ?, '', ?, ?, ?)",
            (_short(doc.title or doc.doc_id), text, _short(doc.author), _short(source), notes, _short(meta.get("genre", "")), _epoch(date)))
        assert cur.lastrowid is not None  # set by the INSERT above
        ids[doc.doc_id] = (cur.lastrowid, text)
    return ids


def write_dna(view, st: pd.DataFrame, out: str | Path, metadata=None, password: str = DEFAULT_PASSWORD) -> dict:
    """Write the statements ``st`` (from ``export.statements``) as a DNA 3 SQLite database at ``out``."""
    docs = document_frame(view, metadata)
    counts = {"documents": 0, "statements": 0, "claims": len(view.claims)}

    def write(tmp: Path) -> None:
        tmp.unlink(missing_ok=True)  # sqlite wants to create the file itself
        conn = sqlite3.connect(tmp)
        try:
            with conn:
                _init(conn, password)
                doc_ids = _documents(conn, view, docs, set(st["document"]) if len(st) else set())
                entities: dict = {}
                for row in st.itertuples(index=False):
                    if row.document not in doc_ids:
                        continue
                    _statement(conn, entities, doc_ids[row.document], row._asdict())
                counts["documents"] = len(doc_ids)
                counts["statements"] = conn.execute("SELECT COUNT(*) FROM STATEMENTS").fetchone()[0]
        finally:
            conn.close()

    atomic_write(Path(out), write)
    return counts


def _statement(conn: sqlite3.Connection, entities: dict, doc: tuple[int, str], row: dict) -> None:
    doc_id, text = doc
    to_utf16 = utf16_mapper(text)
    start, stop = to_utf16(int(row["start"])), to_utf16(int(row["end"]))
    cur = conn.execute("INSERT INTO STATEMENTS (StatementTypeId, DocumentId, Start, Stop, Coder) VALUES (1, ?, ?, ?, 1)",
                       (doc_id, start, stop))
    statement_id = cur.lastrowid
    for variable_id, _name, dtype, column in VARIABLES:
        value = row.get(column)
        if dtype == "short text":
            entity = _entity(conn, entities, variable_id, _short(value))
            conn.execute("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (?, ?, ?)", (statement_id, variable_id, entity))
        elif dtype == "integer":
            number = 0 if value is None or pd.isna(value) else int(value)  # unlabelled: 0, told apart by `stance` = ''
            conn.execute("INSERT INTO DATAINTEGER (StatementId, VariableId, Value) VALUES (?, ?, ?)", (statement_id, variable_id, number))
        else:
            conn.execute("INSERT INTO DATALONGTEXT (StatementId, VariableId, Value) VALUES (?, ?, ?)", (statement_id, variable_id, str(value or "")))
